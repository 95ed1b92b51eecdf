/**
 * GHN (Giao Hàng Nhanh) API v2 adapter. Also speaks to the local simulator, which answers in
 * GHN's shape. The base URL ends with `/shiip/public-api`, as in shop.yaml
 * (`https://online-gateway.ghn.vn/shiip/public-api`, or `https://dev-online-gateway.ghn.vn/…`).
 */
import type { CourierServiceOptions } from '../../../definitions/types';
import { ghnState } from './ghn-status';
import {
  asAmount,
  asText,
  callCourier,
  DEFAULT_TIMEOUT_MS,
  eventKeyOf,
  headerOf,
  isoInstant,
  messageOf,
  secretMatches,
  withoutUndefined,
  type CourierAnswer,
} from './http';
import {
  CourierError,
  ForgedWebhookError,
  type CourierAdapter,
  type CourierStatusEvent,
  type CreateShipmentRequest,
  type IncomingWebhook,
  type PartialDelivery,
  type ShipmentCreated,
} from './types';

export interface GhnAdapterOptions {
  /** The courier id in shop.yaml (events and errors carry it). */
  id: string;
  /** Ends with `/shiip/public-api`. */
  baseUrl: string;
  token?: string;
  shopId?: string;
  /** Shared secret GHN's callbacks must carry (`Token` header or `?token=`). */
  webhookSecret?: string;
  service?: CourierServiceOptions;
  timeoutMs?: number;
  /** Names of the env vars the credentials come from, only to word errors. */
  envNames?: { token?: string; shopId?: string; webhookSecret?: string };
}

/**
 * Callback types that report something other than a status change (weight, COD, fee). They
 * repeat the current status, so turning them into events would only add noise.
 */
const NON_STATUS_CALLBACKS = new Set(['update_weight', 'update_cod', 'update_fee']);

/** The GHN adapter: create (idempotent by `client_order_code`), detail, cancel, callbacks. */
export function createGhnAdapter(options: GhnAdapterOptions): CourierAdapter {
  const id = options.id;
  const base = options.baseUrl.replace(/\/+$/, '');
  const service = options.service ?? {};
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const names = { token: options.envNames?.token ?? 'the token env var', shopId: options.envNames?.shopId ?? 'the shop id env var' };

  const headers = (): Record<string, string> => {
    if (!options.token || !options.shopId) {
      const missing = [!options.token ? names.token : '', !options.shopId ? names.shopId : ''].filter(Boolean).join(' and ');
      throw new CourierError(id, `GHN credentials are not configured: set ${missing}`, false);
    }
    // X-Shopflow-Courier tells the local simulator which webhook path to answer on; GHN ignores it.
    return { Token: options.token, ShopId: options.shopId, 'X-Shopflow-Courier': id };
  };
  const post = (path: string, json: unknown) =>
    callCourier(id, { method: 'POST', url: `${base}${path}`, headers: headers(), json, timeoutMs });

  /** The order GHN holds under our order code, or undefined when it has none. */
  async function findByClientCode(orderCode: string): Promise<Record<string, unknown> | undefined> {
    const answer = await post('/v2/shipping-order/detail-by-client-code', { client_order_code: orderCode });
    return succeeded(answer) ? dataOf(answer) : undefined;
  }

  async function detail(trackingCode: string): Promise<Record<string, unknown>> {
    const answer = await post('/v2/shipping-order/detail', { order_code: trackingCode });
    if (!succeeded(answer)) throw rejected(id, 'order detail', answer);
    return dataOf(answer);
  }

  /** A created (or, on a retry, found) GHN order as the contract's ShipmentCreated. */
  const shipmentOf = (order: Record<string, unknown>, expected: string, alreadyExisted: boolean): ShipmentCreated => ({
    courier: id,
    trackingCode: asText(order.order_code),
    fee: asAmount(order.total_fee),
    expectedDeliveryAt: isoInstant(expected),
    alreadyExisted,
  });

  return {
    id,

    async createShipment(request: CreateShipmentRequest): Promise<ShipmentCreated> {
      const answer = await post('/v2/shipping-order/create', ghnOrderBody(request, service));
      if (succeeded(answer)) {
        const data = dataOf(answer);
        return shipmentOf(data, asText(data.expected_delivery_time), false);
      }
      // GHN refuses a client_order_code it already has with a 400. Rather than depend on the
      // wording of that message, any 400 is checked against what GHN holds for our order code:
      // a retried creation (say, after a timeout whose order did go through) finds its order.
      if (answer.status === 400 || answer.body.code === 400) {
        const existing = await findByClientCode(request.orderCode);
        if (existing && asText(existing.order_code)) return shipmentOf(existing, asText(existing.leadtime), true);
      }
      throw rejected(id, 'create order', answer);
    },

    async getStatus(trackingCode: string, orderCode: string): Promise<CourierStatusEvent> {
      const data = await detail(trackingCode);
      const status = asText(data.status);
      // The time of the current status is its entry in the log; the order's updated_date is a
      // fallback (it also moves for edits that are not status changes).
      const log = Array.isArray(data.log) ? (data.log as Array<Record<string, unknown>>) : [];
      const entry = [...log].reverse().find((e) => asText(e.status) === status);
      const at = isoInstant(asText(entry?.updated_date)) ?? isoInstant(asText(data.updated_date));
      return statusEvent(id, {
        trackingCode: asText(data.order_code) || trackingCode,
        orderCode: asText(data.client_order_code) || orderCode,
        status,
        at,
        codAmount: asAmount(data.cod_amount),
      });
    },

    async cancel(trackingCode: string): Promise<{ cancelled: boolean; reason?: string }> {
      const answer = await post('/v2/switch-status/cancel', { order_codes: [trackingCode] });
      let reason: string;
      if (succeeded(answer)) {
        const results = Array.isArray(answer.body.data) ? (answer.body.data as Array<Record<string, unknown>>) : [];
        const result = results.find((r) => asText(r.order_code) === trackingCode) ?? results[0];
        if (result?.result === true) return { cancelled: true };
        reason = asText(result?.message) || 'GHN did not cancel the order';
      } else if (answer.status === 400 || answer.body.code === 400) {
        reason = messageOf(answer.body) || 'GHN refused to cancel the order';
      } else {
        throw rejected(id, 'cancel order', answer);
      }
      // A cancel retried after a lost answer is refused because the order is already cancelled.
      const now = await detail(trackingCode).catch(() => undefined);
      if (now && asText(now.status) === 'cancel') return { cancelled: true };
      return { cancelled: false, reason };
    },

    parseWebhook(webhook: IncomingWebhook): CourierStatusEvent[] {
      if (!options.webhookSecret) {
        throw new ForgedWebhookError(
          id,
          `no webhook secret is configured${options.envNames?.webhookSecret ? ` (set ${options.envNames.webhookSecret})` : ''}`,
        );
      }
      const given = headerOf(webhook.headers, 'token') ?? webhook.query.token;
      if (!secretMatches(given, options.webhookSecret)) {
        throw new ForgedWebhookError(id, given === undefined ? 'no token (Token header or ?token=)' : 'wrong token');
      }
      const body = webhook.body;
      if (NON_STATUS_CALLBACKS.has(asText(body.Type).toLowerCase())) return [];
      const trackingCode = asText(body.OrderCode);
      const status = asText(body.Status);
      if (!trackingCode || !status) throw new CourierError(id, 'GHN callback without OrderCode or Status', false, 400);
      return [
        statusEvent(id, {
          trackingCode,
          orderCode: asText(body.ClientOrderCode),
          status,
          at: isoInstant(asText(body.Time)),
          reason: asText(body.Reason) || undefined,
          reasonCode: asText(body.ReasonCode) || undefined,
          codAmount: asAmount(body.CODAmount),
          codTransferredAt: isoInstant(asText(body.CODTransferDate)),
          partial: ghnPartialDelivery(body),
        }),
      ];
    },
  };
}

/** The body of `POST /v2/shipping-order/create` (amounts in VND, weight in grams, sizes in cm). */
export function ghnOrderBody(request: CreateShipmentRequest, service: CourierServiceOptions): Record<string, unknown> {
  const { to } = request;
  return withoutUndefined({
    client_order_code: request.orderCode,
    payment_type_id: service.paymentTypeId ?? 1,
    service_type_id: service.serviceTypeId ?? 2,
    required_note: service.requiredNote ?? 'KHONGCHOXEMHANG',
    note: request.note,
    to_name: to.name,
    to_phone: to.phone,
    to_address: to.address,
    to_ward_code: to.wardCode,
    to_ward_name: to.ward,
    to_district_id: to.districtId,
    to_district_name: to.district,
    to_province_name: to.province,
    cod_amount: Math.round(request.codAmount),
    insurance_value: Math.round(request.value > 0 ? request.value : (service.insuranceValue ?? 0)),
    weight: Math.round(request.weightGrams),
    length: request.lengthCm,
    width: request.widthCm,
    height: request.heightCm,
    content: request.items
      .map((i) => `${i.name} x${i.qty}`)
      .join(', ')
      .slice(0, 2000),
    items: request.items.map((i) =>
      withoutUndefined({ name: i.name, code: i.sku, quantity: i.qty, price: Math.round(i.price), weight: i.weightGrams }),
    ),
  });
}

/**
 * GHN's "giao 1 phần - trả 1 phần": its callbacks carry `IsPartialReturn` (true once the customer
 * kept only part of the parcel) and `PartialReturnCode` (the GHN order that carries the rest
 * back). GHN does not state the value coming back; the callback's `CODAmount` is then what GHN
 * collects for the part kept (GHN updates the COD when the customer pays for part of the goods).
 */
export function ghnPartialDelivery(body: Record<string, unknown>): PartialDelivery | undefined {
  const flag = body.IsPartialReturn;
  if (!(flag === true || (typeof flag === 'string' && flag.trim().toLowerCase() === 'true'))) return undefined;
  return withoutUndefined<PartialDelivery>({ code: asText(body.PartialReturnCode) || undefined, deliveredValue: asAmount(body.CODAmount) });
}

function statusEvent(
  courier: string,
  e: {
    trackingCode: string;
    orderCode: string;
    status: string;
    at: string | undefined;
    reason?: string;
    reasonCode?: string;
    codAmount?: number;
    codTransferredAt?: string;
    partial?: PartialDelivery;
  },
): CourierStatusEvent {
  return withoutUndefined<CourierStatusEvent>({
    courier,
    orderCode: e.orderCode,
    trackingCode: e.trackingCode,
    rawStatus: e.status,
    state: ghnState(e.status),
    // No time from GHN (never seen in practice): when we heard it is the best we have.
    at: e.at ?? new Date().toISOString(),
    reason: e.reason,
    reasonCode: e.reasonCode,
    codAmount: e.codAmount,
    codTransferredAt: e.codTransferredAt,
    partial: e.partial,
    eventKey: eventKeyOf(courier, e.trackingCode, e.status, e.at),
  });
}

/** GHN answers `{code, message, data}`; `code` 200 is success whatever the HTTP status says. */
function succeeded(answer: CourierAnswer): boolean {
  return answer.status >= 200 && answer.status < 300 && (answer.body.code === undefined || answer.body.code === 200);
}

function dataOf(answer: CourierAnswer): Record<string, unknown> {
  const data = answer.body.data;
  if (Array.isArray(data)) return (data[0] ?? {}) as Record<string, unknown>;
  return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
}

/** A refusal is final, except a `code` 5xx inside an HTTP 200 (GHN's own failure): transient. */
function rejected(courier: string, what: string, answer: CourierAnswer): CourierError {
  const code = typeof answer.body.code === 'number' ? answer.body.code : answer.status;
  return new CourierError(
    courier,
    `GHN refused to ${what} (${code}): ${messageOf(answer.body) || 'no message'}`,
    code >= 500,
    answer.status,
  );
}
