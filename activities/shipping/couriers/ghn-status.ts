/**
 * GHN (Giao Hàng Nhanh) order statuses → shopflow's {@link ShipmentState}: the one place they are
 * mapped. GHN sends the status name in webhooks (`Status`) and in order details (`status`).
 */
import type { ShipmentState } from './types';

/** Every status GHN documents for a shipping order (API v2). */
export const GHN_STATUS: Readonly<Record<string, ShipmentState>> = Object.freeze({
  ready_to_pick: 'created', // waiting for the pick-up shipper
  picking: 'picking',
  money_collect_picking: 'picking', // shipper collecting money from the shop at pick-up
  picked: 'picked',
  storing: 'in_transit', // in a GHN hub
  transporting: 'in_transit',
  sorting: 'in_transit',
  delivering: 'delivering',
  money_collect_delivering: 'delivering', // shipper collecting COD at the door
  // Also a partial delivery ("giao 1 phần"): `IsPartialReturn` true on the callback, the rest
  // comes back under `PartialReturnCode`; the order is delivered, less what comes back.
  delivered: 'delivered',
  delivery_fail: 'delivery_failed', // one attempt failed; GHN retries or returns
  waiting_to_return: 'returning', // waiting for the shop to confirm the return
  return: 'returning',
  return_transporting: 'returning',
  return_sorting: 'returning',
  returning: 'returning',
  return_fail: 'return_failed',
  returned: 'returned',
  cancel: 'cancelled',
  exception: 'exception',
  damage: 'damaged',
  lost: 'lost',
});

/** The state of a GHN status; a status GHN adds later is `'unknown'` (recorded, never dropped). */
export function ghnState(status: string): ShipmentState {
  const key = status.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(GHN_STATUS, key) ? GHN_STATUS[key]! : 'unknown';
}
