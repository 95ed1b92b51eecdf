/**
 * What a courier's status report means to the shop, as plain data: shopflow's shipment states
 * (each courier's codes map onto them in its adapter), one mapped report, the outcome the order's
 * courier stage acts on, the news the order workflow receives, and the refusal of a forged
 * webhook. Pure and workflow-safe: the webhook route (server), the adapters and activities, the
 * data access (db/) and the order workflow all speak these, so none imports another's run-time code.
 */

/** shopflow's own shipment states; each courier's codes map onto these. */
export type ShipmentState =
  | 'created' // accepted by the courier, waiting for pick-up
  | 'picking'
  | 'picked'
  | 'in_transit' // storing, transporting, sorting
  | 'delivering'
  | 'delivered'
  | 'delivery_failed' // an attempt failed; the courier may retry or return
  | 'returning' // waiting_to_return, return, return_transporting, returning
  | 'return_failed'
  | 'returned' // back at the shop
  | 'cancelled'
  | 'lost'
  | 'damaged'
  | 'exception'
  | 'unknown'; // a code we do not know: recorded and alerted, never dropped

/** What the order's courier stage cares about: the final verdict, or news on the way. */
export type ShipmentOutcome = 'delivered' | 'returned' | 'failed' | 'in_transit';

/** One status report from a courier (webhook or poll), already mapped. */
export interface CourierStatusEvent {
  courier: string;
  orderCode: string;
  trackingCode: string;
  /** The courier's own status code or name, as sent. */
  rawStatus: string;
  state: ShipmentState;
  /** When it happened, by the courier's clock (ISO 8601). */
  at: string;
  reason?: string;
  reasonCode?: string;
  codAmount?: number;
  /** The courier says it has paid (or reconciled) this parcel's COD: GHN `CODTransferDate`, GHTK status 6 "đã đối soát". */
  codTransferredAt?: string;
  /** The courier delivered only part of the parcel and brings the rest back (GHN `IsPartialReturn`, GHTK `return_part_package`). */
  partial?: PartialDelivery;
  /** Stable per distinct event (courier + tracking code + status + time), for deduplication. */
  eventKey: string;
}

/**
 * A partial delivery ("giao 1 phần, trả 1 phần") as the courier reports it: the customer kept part
 * of the parcel, paid for that part, and the rest travels back to the shop. Amounts in VND.
 * Neither GHN nor GHTK states the value of what comes back; what they do state is the COD they
 * collected for the part kept, so `returnedValue` is set only by a courier that says it outright,
 * and shopflow derives it from the COD at hand-over otherwise ({@link courierReturnedValue}).
 */
export interface PartialDelivery {
  /** The courier's code of the return parcel that carries the rest back (GHN `PartialReturnCode`). */
  code?: string;
  /** COD the courier collected for the part the customer kept (GHN `CODAmount`, GHTK `pick_money` of that report). */
  deliveredValue?: number;
  /** Value of the part coming back, when the courier states it. */
  returnedValue?: number;
}

/** The outcome the order workflow acts on, from a shipment state. */
export function outcomeOf(state: ShipmentState): ShipmentOutcome {
  if (state === 'delivered') return 'delivered';
  if (state === 'returned') return 'returned';
  if (state === 'delivery_failed' || state === 'lost' || state === 'damaged' || state === 'cancelled') return 'failed';
  return 'in_transit';
}

/** The courier's news as the order workflow receives it (the `courierEvent` signal's payload). */
export interface CourierNews {
  outcome: ShipmentOutcome;
  state: string;
  status: string;
  at: string;
  reason?: string;
  /** A partial delivery: the order is delivered, and the rest of the parcel comes back. */
  partial?: PartialDelivery;
}

/** A recorded courier report as the order workflow's news. */
export const toCourierNews = (e: CourierStatusEvent): CourierNews => ({
  outcome: outcomeOf(e.state),
  state: e.state,
  status: e.rawStatus,
  at: e.at,
  ...(e.reason ? { reason: e.reason } : {}),
  ...(e.partial ? { partial: e.partial } : {}),
});

/** VND coming back from a partial delivery: stated by the courier, else COD at hand-over less COD collected; undefined when unknown. */
export function courierReturnedValue(partial: PartialDelivery, codAtHandOver: number | null): number | undefined {
  if (partial.returnedValue !== undefined) return Math.max(0, Math.round(partial.returnedValue));
  if (partial.deliveredValue === undefined || !codAtHandOver || codAtHandOver <= 0) return undefined;
  return Math.max(0, Math.round(codAtHandOver - partial.deliveredValue));
}

/** A webhook whose secret/signature does not match: rejected (401), never turned into a signal. */
export class ForgedWebhookError extends Error {
  constructor(courier: string, why: string) {
    super(`${courier} webhook rejected: ${why}`);
    this.name = 'ForgedWebhookError';
  }
}
