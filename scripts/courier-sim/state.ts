/**
 * The simulator's memory: shipments by tracking code and by client order code (per API, like the
 * real couriers, which are separate companies), every create call counted, and injected faults.
 */
import { randomBytes } from 'node:crypto';
import type { ScenarioName } from './scenarios';

export type SimApi = 'ghn' | 'ghtk' | 'viettelpost';

export interface SimShipment {
  api: SimApi;
  /** GHN `order_code` / GHTK `label` / Viettel Post `ORDER_NUMBER`. */
  trackingCode: string;
  /** Our order code: GHN `client_order_code` / GHTK `order.id` (`partner_id` in webhooks) / Viettel Post's request ORDER_NUMBER (`ORDER_REFERENCE` in webhooks). */
  clientOrderCode: string;
  /** Path segment under the webhook URL (the courier id that created it, else `ghn`/`ghtk`). */
  webhookPath: string;
  scenario: ScenarioName;
  /** The courier's own current status (GHN name, GHTK status_id, Viettel Post ORDER_STATUS). */
  status: string;
  history: Array<{ status: string; at: string; reason?: string; reasonCode?: string }>;
  createdAt: string;
  expectedDeliveryAt: string;
  codAmount: number;
  fee: number;
  weightGrams: number;
  /** GHN's `ShopId` header of the create call (0 for GHTK). */
  shopId: number;
  /** The create request's body as received. */
  request: Record<string, unknown>;
  /** The parcel's goods (GHN `items`, GHTK `products`): quantity and unit price in VND. */
  lines?: Array<{ qty: number; price: number }>;
  /** Set when the customer kept only part of the parcel (scenario `partial-return`). */
  partialReturn?: PartialReturn;
  /** Scenario steps still to come. */
  timers: Set<NodeJS.Timeout>;
  /** Webhooks go out one after another per shipment, in order, even when one is being retried. */
  outbox: Promise<unknown>;
}

/** How the next create calls fail (`POST /__sim/faults`). */
export interface CreateFault {
  remaining: number;
  /** Answer with this HTTP status (5xx: the courier's own failure). */
  status?: number;
  /** Hold the answer this long: the shipment IS created, as when a courier's answer gets lost. */
  timeoutMs?: number;
}

/** The part of a parcel that comes back from a partial delivery, and what the courier collected for the rest. */
export interface PartialReturn {
  /** GHN's `PartialReturnCode`: the return order that carries the rest back. */
  code: string;
  returnedValue: number;
  /** COD collected for the part kept (the parcel's COD less the returned value, never below 0). */
  collected: number;
}

/**
 * How the simulated customer splits a parcel: keeps everything but its last line (one unit of it
 * when the parcel has a single line of several units), valued at the lines' unit prices. A single
 * unit cannot be split: nothing comes back and the whole COD is collected.
 */
export function partialReturnOf(s: Pick<SimShipment, 'api' | 'lines' | 'codAmount'>): PartialReturn {
  const lines = (s.lines ?? []).filter((l) => l.qty > 0);
  const last = lines[lines.length - 1];
  const returnedValue = !last ? 0 : lines.length > 1 ? last.qty * last.price : last.qty > 1 ? last.price : 0;
  return { code: s.api === 'ghn' ? `L${randomCode(7)}` : '', returnedValue, collected: Math.max(0, s.codAmount - returnedValue) };
}

/** Quantity and unit price of request lines (`quantity`/`price` in both couriers' create bodies). */
export function linesOf(items: unknown): Array<{ qty: number; price: number }> {
  if (!Array.isArray(items)) return [];
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);
  return (items as Array<Record<string, unknown>>)
    .map((i) => ({ qty: num(i?.quantity ?? 1), price: num(i?.price ?? 0) }))
    .filter((l) => Number.isFinite(l.qty) && Number.isFinite(l.price));
}

export function createShipmentStore() {
  const byTracking = new Map<string, SimShipment>();
  const byClientCode = new Map<string, SimShipment>();
  const createCalls = new Map<string, number>();
  let fault: CreateFault = { remaining: 0 };
  let nextLabel = 2_000_000_000 + Math.floor(Math.random() * 1_000_000);

  const key = (api: SimApi, clientOrderCode: string) => `${api}:${clientOrderCode}`;

  return {
    byTracking: (trackingCode: string) => byTracking.get(trackingCode),
    byClientCode: (api: SimApi, clientOrderCode: string) => byClientCode.get(key(api, clientOrderCode)),
    all: () => [...byTracking.values()],
    add(shipment: SimShipment): void {
      byTracking.set(shipment.trackingCode, shipment);
      byClientCode.set(key(shipment.api, shipment.clientOrderCode), shipment);
    },

    /** Counts a create call (failed, duplicate or not) for an order code. */
    countCreateCall(api: SimApi, clientOrderCode: string): void {
      createCalls.set(key(api, clientOrderCode), (createCalls.get(key(api, clientOrderCode)) ?? 0) + 1);
    },
    createCallsOf: (api: SimApi, clientOrderCode: string) => createCalls.get(key(api, clientOrderCode)) ?? 0,

    /** A fresh tracking code in the courier's format (GHN: 8 letters/digits; GHTK: S1.A1.<n>; Viettel Post: 11 digits). */
    newTrackingCode(api: SimApi): string {
      for (;;) {
        const code =
          api === 'ghn' ? `L${randomCode(7)}` : api === 'ghtk' ? `S1.A1.${nextLabel++}` : `1${String(nextLabel++).padStart(10, '0')}`;
        if (!byTracking.has(code)) return code;
      }
    },

    setFault(next: CreateFault): void {
      fault = next;
    },
    fault: (): CreateFault => ({ ...fault }),
    /** The fault for this create call, if one is armed (and counts it down). */
    takeFault(): CreateFault | undefined {
      if (fault.remaining <= 0) return undefined;
      fault = { ...fault, remaining: fault.remaining - 1 };
      return fault;
    },
  };
}

export type ShipmentStore = ReturnType<typeof createShipmentStore>;

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function randomCode(length: number): string {
  return [...randomBytes(length)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

/** A shipment as the test hooks show it (no timers, no request body). */
export function shipmentView(s: SimShipment, createCalls: number) {
  return {
    api: s.api,
    trackingCode: s.trackingCode,
    clientOrderCode: s.clientOrderCode,
    scenario: s.scenario,
    status: s.status,
    webhookPath: s.webhookPath,
    createCalls,
    createdAt: s.createdAt,
    history: s.history,
  };
}
