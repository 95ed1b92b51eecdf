/**
 * The courier adapter contract: every courier (GHN, GHTK, the local simulator) is spoken to
 * through this interface, and every courier status code is mapped onto {@link ShipmentState}
 * in exactly one place per courier.
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

/** Where a parcel goes and what it holds (amounts in VND, weight in grams, sizes in cm). */
export interface CreateShipmentRequest {
  /** shopflow's order id: the courier's client order code, the key that makes creation idempotent. */
  orderCode: string;
  to: {
    name: string;
    phone: string;
    address: string; // street and number
    ward: string;
    district?: string;
    province: string;
    /** GHN master-data codes when known (GHN needs them; the simulator accepts any). */
    wardCode?: string;
    districtId?: number;
  };
  codAmount: number;
  /** Declared value for insurance. */
  value: number;
  weightGrams: number;
  lengthCm?: number;
  widthCm?: number;
  heightCm?: number;
  items: Array<{ name: string; sku?: string; qty: number; price: number; weightGrams?: number }>;
  note?: string;
}

export interface ShipmentCreated {
  courier: string;
  /** The courier's own code (GHN order_code, GHTK label). */
  trackingCode: string;
  fee?: number;
  expectedDeliveryAt?: string;
  /** True when the courier already had a shipment for this order code (a retried creation). */
  alreadyExisted: boolean;
}

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
 * and shopflow derives it from the COD at hand-over otherwise (activities/shipping/shipments.ts).
 */
export interface PartialDelivery {
  /** The courier's code of the return parcel that carries the rest back (GHN `PartialReturnCode`). */
  code?: string;
  /** COD the courier collected for the part the customer kept (GHN `CODAmount`, GHTK `pick_money` of that report). */
  deliveredValue?: number;
  /** Value of the part coming back, when the courier states it. */
  returnedValue?: number;
}

/** A courier answered with an error. `retryable` only for 5xx, timeouts and network failures. */
export class CourierError extends Error {
  constructor(
    readonly courier: string,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(`${courier}: ${message}`);
    this.name = 'CourierError';
  }
}

/** A webhook whose secret/signature does not match: rejected, never turned into a signal. */
export class ForgedWebhookError extends Error {
  constructor(courier: string, why: string) {
    super(`${courier} webhook rejected: ${why}`);
    this.name = 'ForgedWebhookError';
  }
}

/** An incoming webhook as the HTTP layer received it. */
export interface IncomingWebhook {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  /** Parsed body (JSON object for GHN, form fields for GHTK). */
  body: Record<string, unknown>;
}

/** Everything shopflow does with one courier. */
export interface CourierAdapter {
  readonly id: string;
  /** Idempotent by `orderCode`: a second call for the same order returns the first shipment. */
  createShipment(request: CreateShipmentRequest): Promise<ShipmentCreated>;
  /** Current status (the polling fallback when no webhook arrived for a while). */
  getStatus(trackingCode: string, orderCode: string): Promise<CourierStatusEvent>;
  /** Asks the courier to cancel; `cancelled: false` with the courier's reason when it refuses (e.g. already picked). */
  cancel(trackingCode: string, orderCode: string): Promise<{ cancelled: boolean; reason?: string }>;
  /** Verifies (secret/token) and parses a webhook into events; throws ForgedWebhookError. */
  parseWebhook(webhook: IncomingWebhook): CourierStatusEvent[];
}

/** The outcome the order workflow acts on, from a shipment state. */
export function outcomeOf(state: ShipmentState): ShipmentOutcome {
  if (state === 'delivered') return 'delivered';
  if (state === 'returned') return 'returned';
  if (state === 'delivery_failed' || state === 'lost' || state === 'damaged' || state === 'cancelled') return 'failed';
  return 'in_transit';
}
