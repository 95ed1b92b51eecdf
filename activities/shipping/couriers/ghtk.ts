/**
 * GHTK (Giao Hàng Tiết Kiệm) adapter: `POST /services/shipment/order?ver=1.5`, status
 * `GET /services/shipment/v2/{label}`, `POST /services/shipment/cancel/{label}`, and the
 * form-encoded status webhook. Base URL: `https://services.giaohangtietkiem.vn` (or the
 * simulator's root, which serves the same paths).
 */
import type { CourierServiceOptions } from '../../../definitions/types';
import { GHTK_REASONS, ghtkState } from './ghtk-status';
import {
  asAmount,
  asText,
  callCourier,
  DEFAULT_TIMEOUT_MS,
  eventKeyOf,
  instantOf,
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

/** Where GHTK picks parcels up: a saved pick-up address id, or the address spelled out. */
export interface GhtkPickup {
  /** GHTK's `pick_address_id` (a pick-up address saved in the GHTK shop account); preferred when set. */
  addressId?: string;
  name?: string;
  address?: string;
  province?: string;
  district?: string;
  ward?: string;
  tel?: string;
}

export interface GhtkAdapterOptions {
  /** The courier id in shop.yaml. */
  id: string;
  baseUrl: string;
  token?: string;
  /** Sent as `X-Client-Source` (GHTK's partner code) when set. */
  partnerCode?: string;
  /** The secret GHTK's callbacks must carry as `hash` (form field or query parameter). */
  webhookSecret?: string;
  pickup: GhtkPickup;
  service?: CourierServiceOptions;
  timeoutMs?: number;
  /** Names of the env vars settings come from, only to word errors. */
  envNames?: { token?: string; webhookSecret?: string; pickupPrefix?: string };
}

/** GHTK's "order.id has been used" (the other duplicate answer, without the label). */
const ORDER_ID_USED = 30107;
/** GHTK's "already cancelled" answer to a cancel. */
const ALREADY_CANCELLED = 50101;

/** The GHTK adapter: create (idempotent by `order.id`), status, cancel, callbacks. */
export function createGhtkAdapter(options: GhtkAdapterOptions): CourierAdapter {
  const id = options.id;
  const base = options.baseUrl.replace(/\/+$/, '');
  const service = options.service ?? {};
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const headers = (): Record<string, string> => {
    if (!options.token)
      throw new CourierError(id, `GHTK token is not configured: set ${options.envNames?.token ?? 'the token env var'}`, false);
    return {
      Token: options.token,
      ...(options.partnerCode ? { 'X-Client-Source': options.partnerCode } : {}),
      // Tells the local simulator which webhook path to answer on; GHTK ignores it.
      'X-Shopflow-Courier': id,
    };
  };
  const call = (method: 'GET' | 'POST', path: string, json?: unknown) =>
    callCourier(id, { method, url: `${base}${path}`, headers: headers(), json, timeoutMs });

  /** The order GHTK holds (by label, or `partner_id:<our order code>`), or undefined. */
  async function order(tracking: string): Promise<Record<string, unknown> | undefined> {
    const answer = await call('GET', `/services/shipment/v2/${encodeURIComponent(tracking)}`);
    if (answer.body.success === true && isObject(answer.body.order)) return answer.body.order;
    return undefined;
  }

  return {
    id,

    async createShipment(request: CreateShipmentRequest): Promise<ShipmentCreated> {
      const body = ghtkOrderBody(request, service, pickupOrThrow(id, options));
      const answer = await call('POST', '/services/shipment/order?ver=1.5', body);
      if (answer.body.success === true && isObject(answer.body.order)) {
        const created = answer.body.order;
        return withoutUndefined<ShipmentCreated>({
          courier: id,
          trackingCode: asText(created.label),
          fee: asAmount(created.fee),
          expectedDeliveryAt: dateIn(asText(created.estimated_deliver_time)),
          alreadyExisted: false,
        });
      }
      // GHTK never accepts an order.id twice: it answers ORDER_ID_EXIST with the label it gave
      // the first time (or 30107 without it, then the label is looked up by our order code).
      const error = isObject(answer.body.error) ? answer.body.error : {};
      let label = error.code === 'ORDER_ID_EXIST' ? asText(error.ghtk_label) : '';
      if (!label && (error.code === 'ORDER_ID_EXIST' || Number(answer.body.error_code) === ORDER_ID_USED)) {
        label = asText((await order(`partner_id:${request.orderCode}`))?.label_id);
      }
      if (label) return { courier: id, trackingCode: label, alreadyExisted: true };
      throw rejected(id, 'create the order', answer);
    },

    async getStatus(trackingCode: string, orderCode: string): Promise<CourierStatusEvent> {
      const answer = await call('GET', `/services/shipment/v2/${encodeURIComponent(trackingCode)}`);
      if (answer.body.success !== true || !isObject(answer.body.order)) throw rejected(id, 'report the order status', answer);
      const o = answer.body.order;
      return statusEvent(id, {
        trackingCode: asText(o.label_id) || trackingCode,
        orderCode: asText(o.partner_id) || orderCode,
        statusId: asText(o.status),
        at: ghtkInstant(asText(o.modified)),
        codAmount: asAmount(o.pick_money),
      });
    },

    async cancel(trackingCode: string): Promise<{ cancelled: boolean; reason?: string }> {
      const answer = await call('POST', `/services/shipment/cancel/${encodeURIComponent(trackingCode)}`, {});
      if (answer.body.success === true) return { cancelled: true };
      if (answer.status >= 400) throw rejected(id, 'cancel the order', answer);
      // A cancel retried after a lost answer is refused because the order is already cancelled.
      if (Number(answer.body.error_code) === ALREADY_CANCELLED) return { cancelled: true };
      const now = await order(trackingCode).catch(() => undefined);
      if (now && asText(now.status) === '-1') return { cancelled: true };
      return { cancelled: false, reason: messageOf(answer.body) || 'GHTK did not cancel the order' };
    },

    parseWebhook(webhook: IncomingWebhook): CourierStatusEvent[] {
      if (!options.webhookSecret) {
        throw new ForgedWebhookError(
          id,
          `no webhook secret is configured${options.envNames?.webhookSecret ? ` (set ${options.envNames.webhookSecret})` : ''}`,
        );
      }
      const given = webhook.body.hash ?? webhook.query.hash;
      if (!secretMatches(given, options.webhookSecret)) {
        throw new ForgedWebhookError(id, given === undefined ? 'no hash' : 'wrong hash');
      }
      const body = webhook.body;
      const trackingCode = asText(body.label_id);
      const statusId = asText(body.status_id);
      if (!trackingCode || !statusId) throw new CourierError(id, 'GHTK callback without label_id or status_id', false, 400);
      const reasonCode = asText(body.reason_code) || undefined;
      return [
        statusEvent(id, {
          trackingCode,
          orderCode: asText(body.partner_id),
          statusId,
          at: ghtkInstant(asText(body.action_time)),
          reasonCode,
          reason: asText(body.reason) || (reasonCode ? GHTK_REASONS[reasonCode] : undefined),
          codAmount: asAmount(body.pick_money),
          partial: ghtkPartialDelivery(body),
        }),
      ];
    },
  };
}

/** The body of `POST /services/shipment/order` (weights in kg, amounts in VND). */
export function ghtkOrderBody(request: CreateShipmentRequest, service: CourierServiceOptions, pickup: GhtkPickup): Record<string, unknown> {
  const { to } = request;
  const units = request.items.reduce((n, i) => n + i.qty, 0) || 1;
  const kg = (grams: number) => Math.round(grams) / 1000;
  return {
    products: request.items.map((i) =>
      withoutUndefined({
        name: i.name,
        weight: kg(i.weightGrams ?? request.weightGrams / units),
        quantity: i.qty,
        price: Math.round(i.price),
        product_code: i.sku,
      }),
    ),
    order: withoutUndefined({
      id: request.orderCode,
      pick_address_id: pickup.addressId,
      pick_name: pickup.name,
      pick_address: pickup.address,
      pick_province: pickup.province,
      pick_district: pickup.district,
      pick_ward: pickup.ward,
      pick_tel: pickup.tel,
      name: to.name,
      tel: to.phone,
      address: to.address,
      province: to.province,
      district: to.district,
      ward: to.ward,
      hamlet: 'Khác', // GHTK wants a hamlet or a street; "Khác" (other) is its documented filler
      pick_money: Math.round(request.codAmount),
      value: Math.round(request.value > 0 ? request.value : (service.insuranceValue ?? 0)),
      total_weight: kg(request.weightGrams),
      transport: service.transport,
      pick_option: service.pickOption ?? 'cod',
      // GHTK keeps at most 120 characters of the note.
      note: request.note?.slice(0, 120),
      // 1: the shop pays shipping and the shipper collects only pick_money (GHN payment type 1).
      is_freeship: service.paymentTypeId === 2 ? 0 : 1,
    }),
  };
}

/**
 * An instant from GHTK as ISO 8601 UTC. GHTK writes local Vietnamese time: either with an offset
 * (`2016-11-02T12:18:39+07:00`) or without one (`2016-10-31 22:32:08`, meaning UTC+7). A form
 * decoder turns the offset's bare `+` into a space; that is undone here.
 */
export function ghtkInstant(value: string): string | undefined {
  if (!value) return undefined;
  let v = value.trim().replace(/^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$/, '$1+$2');
  if (/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?$/.test(v)) v = `${v.replace(' ', 'T')}+07:00`;
  return instantOf(Date.parse(v));
}

function pickupOrThrow(id: string, options: GhtkAdapterOptions): GhtkPickup {
  const p = options.pickup;
  if (p.addressId || (p.name && p.address && p.province && p.district && p.tel)) return p;
  const prefix = options.envNames?.pickupPrefix ?? 'GHTK_PICK';
  throw new CourierError(
    id,
    `GHTK pick-up address is not configured: set ${prefix}_ADDRESS_ID, or ${prefix}_NAME, ${prefix}_ADDRESS, ${prefix}_PROVINCE, ${prefix}_DISTRICT and ${prefix}_TEL`,
    false,
  );
}

/**
 * GHTK's partial delivery: its webhook's `return_part_package` is 1 when the order was delivered
 * in part (GHTK has no status_id of its own for it: the report is 5 "đã giao hàng" with the flag).
 * GHTK does not state the value coming back; `pick_money` of that report is what it collected.
 */
export function ghtkPartialDelivery(body: Record<string, unknown>): PartialDelivery | undefined {
  if (asText(body.return_part_package).trim() !== '1') return undefined;
  return withoutUndefined<PartialDelivery>({ deliveredValue: asAmount(body.pick_money) });
}

function statusEvent(
  courier: string,
  e: {
    trackingCode: string;
    orderCode: string;
    statusId: string;
    at: string | undefined;
    reason?: string;
    reasonCode?: string;
    codAmount?: number;
    partial?: PartialDelivery;
  },
): CourierStatusEvent {
  return withoutUndefined<CourierStatusEvent>({
    courier,
    orderCode: e.orderCode,
    trackingCode: e.trackingCode,
    rawStatus: e.statusId,
    state: ghtkState(e.statusId, e.reasonCode),
    at: e.at ?? new Date().toISOString(),
    reason: e.reason,
    reasonCode: e.reasonCode,
    codAmount: e.codAmount,
    // 6 "Đã đối soát": GHTK has reconciled the COD it collected, to be paid over to the shop.
    codTransferredAt: e.statusId === '6' ? (e.at ?? new Date().toISOString()) : undefined,
    partial: e.partial,
    eventKey: eventKeyOf(courier, e.trackingCode, e.statusId, e.at),
  });
}

/** GHTK's delivery estimate is a phrase like "Chiều 2017-07-01": keep the date. */
function dateIn(value: string): string | undefined {
  return /\d{4}-\d\d-\d\d/.exec(value)?.[0];
}

function rejected(courier: string, what: string, answer: CourierAnswer): CourierError {
  const code = answer.body.error_code ?? (isObject(answer.body.error) ? answer.body.error.code : undefined);
  return new CourierError(
    courier,
    `GHTK refused to ${what} (${answer.status}${code !== undefined ? `, ${String(code)}` : ''}): ${messageOf(answer.body) || 'no message'}`,
    false,
    answer.status,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}
