/**
 * The courier adapter contract: every courier (GHN, GHTK, the local simulator) is spoken to
 * through this interface, and every courier status code is mapped onto {@link ShipmentState}
 * in exactly one place per courier.
 */

import type { CourierStatusEvent } from '../../../definitions/rules/courier-status';

// What a status report means (states, the mapped report, partial deliveries, outcomes, the forged
// webhook refusal) is pure and shared with the server, db/ and the workflow: it lives in
// definitions/rules/courier-status.ts; the adapters keep reading it from their contract here.
export {
  ForgedWebhookError,
  outcomeOf,
  type CourierStatusEvent,
  type PartialDelivery,
  type ShipmentOutcome,
  type ShipmentState,
} from '../../../definitions/rules/courier-status';

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
