/**
 * Viettel Post partner API adapter (`https://partner.viettelpost.vn`, or the simulator's root,
 * which serves the same paths): token by `POST /v2/user/Login` then `/v2/user/ownerconnect` (the
 * long-lived token), create by `POST /v2/order/createOrderNlp` (addresses as text, so no Viettel
 * Post place ids are needed), cancel by `POST /v2/order/UpdateOrder` TYPE 4, and its JSON status
 * webhook `{DATA: {...}, TOKEN}`. Viettel Post documents no status look-up for partners: its
 * statuses arrive by webhook only, so `getStatus` (the polling fallback) says so.
 */
import type { CourierServiceOptions } from '../../../definitions/types';
import {
  asAmount,
  asText,
  callCourier,
  DEFAULT_TIMEOUT_MS,
  eventKeyOf,
  headerOf,
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
  type ShipmentCreated,
} from './types';
import { viettelPostState } from './viettelpost-status';

/** Who sends the parcels (Viettel Post's SENDER_* fields). */
export interface ViettelPostSender {
  name?: string;
  phone?: string;
  /** The full pick-up address as text ("Số 18, Phường Thạnh Xuân, Quận 12, Hồ Chí Minh"). */
  address?: string;
}

export interface ViettelPostAdapterOptions {
  /** The courier id in shop.yaml. */
  id: string;
  /** `https://partner.viettelpost.vn` (production) or `https://partnerdev.viettelpost.vn`. */
  baseUrl: string;
  /** A long-lived token (from ownerconnect or the account page); used as is when set. */
  token?: string;
  /** The Viettel Post account (phone or e-mail) and password: the token is obtained with them when no token is set. */
  username?: string;
  password?: string;
  /** The secret Viettel Post's webhooks carry (`Authorization` header, `TOKEN` field), as set on its webhook page. */
  webhookSecret?: string;
  sender: ViettelPostSender;
  service?: CourierServiceOptions;
  timeoutMs?: number;
  /** Names of the env vars settings come from, only to word errors. */
  envNames?: { token?: string; credentialsPrefix?: string; webhookSecret?: string };
}

/** Viettel Post keeps at most 150 bytes of its text fields. */
const MAX_TEXT_BYTES = 150;

/** The Viettel Post adapter: create (ORDER_NUMBER = our order code, CHECK_UNIQUE), cancel, webhooks. */
export function createViettelPostAdapter(options: ViettelPostAdapterOptions): CourierAdapter {
  const id = options.id;
  const base = options.baseUrl.replace(/\/+$/, '');
  const service = options.service ?? {};
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const prefix = options.envNames?.credentialsPrefix ?? 'VIETTELPOST';
  let token = options.token;

  const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
    callCourier(id, {
      method: 'POST',
      url: `${base}${path}`,
      // X-Shopflow-Courier tells the local simulator which webhook path to answer on; Viettel Post ignores it.
      headers: { 'X-Shopflow-Courier': id, ...headers },
      json,
      timeoutMs,
    });

  /** Login, then ownerconnect: the long-lived token Viettel Post wants on every order call. */
  async function login(): Promise<string> {
    if (!options.username || !options.password)
      throw new CourierError(
        id,
        `Viettel Post credentials are not configured: set ${options.envNames?.token ?? `${prefix}_TOKEN`}, or ${prefix}_USERNAME and ${prefix}_PASSWORD`,
        false,
      );
    const account = { USERNAME: options.username, PASSWORD: options.password };
    const first = await post('/v2/user/Login', account);
    const temporary = succeeded(first) ? asText(dataOf(first).token) : '';
    if (!temporary) throw rejected(id, 'log in', first);
    const owner = await post('/v2/user/ownerconnect', account, { Token: temporary });
    const lasting = succeeded(owner) ? asText(dataOf(owner).token) : '';
    if (!lasting) throw rejected(id, 'give a long-lived token (ownerconnect)', owner);
    return lasting;
  }

  /** An order call with the token; a token Viettel Post calls invalid or expired is renewed once (credentials allowing). */
  async function call(path: string, json: unknown): Promise<CourierAnswer> {
    token ??= await login();
    const answer = await post(path, json, { Token: token });
    if (!tokenRefused(answer) || !options.username || !options.password) return answer;
    token = await login();
    return post(path, json, { Token: token });
  }

  return {
    id,

    async createShipment(request: CreateShipmentRequest): Promise<ShipmentCreated> {
      const answer = await call('/v2/order/createOrderNlp', viettelPostOrderBody(request, service, senderOrThrow(id, options)));
      if (succeeded(answer)) {
        const data = dataOf(answer);
        const trackingCode = asText(data.ORDER_NUMBER);
        if (trackingCode) {
          return withoutUndefined<ShipmentCreated>({
            courier: id,
            trackingCode,
            fee: asAmount(data.MONEY_TOTAL),
            expectedDeliveryAt: expectedFrom(asAmount(data.KPI_HT)),
            alreadyExisted: false,
          });
        }
      }
      // CHECK_UNIQUE makes Viettel Post refuse an ORDER_NUMBER it already has; it offers no look-up
      // by the partner's code, so a creation retried after a lost answer is a refusal staff see.
      throw rejected(id, 'create the order', answer);
    },

    async getStatus(): Promise<CourierStatusEvent> {
      throw new CourierError(
        id,
        'Viettel Post has no status look-up for partners: its statuses arrive by webhook only (check the webhook URL on the Viettel Post partner page)',
        false,
      );
    },

    async cancel(trackingCode: string): Promise<{ cancelled: boolean; reason?: string }> {
      const answer = await call('/v2/order/UpdateOrder', { TYPE: 4, ORDER_NUMBER: trackingCode, NOTE: 'Shop hủy đơn' });
      if (succeeded(answer)) return { cancelled: true };
      if (answer.status > 400) throw rejected(id, 'cancel the order', answer);
      // Viettel Post cancels only before it has the parcel (status below 200, not 105 or 107).
      return { cancelled: false, reason: messageOf(answer.body) || 'Viettel Post did not cancel the order' };
    },

    parseWebhook(webhook: IncomingWebhook): CourierStatusEvent[] {
      if (!options.webhookSecret) {
        throw new ForgedWebhookError(
          id,
          `no webhook secret is configured${options.envNames?.webhookSecret ? ` (set ${options.envNames.webhookSecret})` : ''}`,
        );
      }
      const header = headerOf(webhook.headers, 'authorization');
      const field = webhook.body.TOKEN;
      if (!secretMatches(header, options.webhookSecret) && !secretMatches(field, options.webhookSecret)) {
        throw new ForgedWebhookError(
          id,
          header === undefined && field === undefined ? 'no secret (Authorization header or TOKEN)' : 'wrong secret',
        );
      }
      const data = isObject(webhook.body.DATA) ? webhook.body.DATA : undefined;
      const trackingCode = asText(data?.ORDER_NUMBER);
      const status = asText(data?.ORDER_STATUS);
      if (!data || !trackingCode || !status)
        throw new CourierError(id, 'Viettel Post webhook without DATA.ORDER_NUMBER or DATA.ORDER_STATUS', false, 400);
      const at = viettelPostInstant(asText(data.ORDER_STATUSDATE));
      const reason = asText(data.NOTE) || asText(data.STATUS_NAME) || undefined;
      return [
        withoutUndefined<CourierStatusEvent>({
          courier: id,
          orderCode: asText(data.ORDER_REFERENCE),
          trackingCode,
          rawStatus: status,
          state: viettelPostState(status),
          at: at ?? new Date().toISOString(),
          reason,
          reasonCode: asText(data.REASON_CODE) || undefined,
          codAmount: asAmount(data.MONEY_COLLECTION),
          eventKey: eventKeyOf(id, trackingCode, status, at),
        }),
      ];
    },
  };
}

/** The body of `POST /v2/order/createOrderNlp` (amounts in VND, weight in grams, sizes in cm). */
export function viettelPostOrderBody(
  request: CreateShipmentRequest,
  service: CourierServiceOptions,
  sender: Required<ViettelPostSender>,
): Record<string, unknown> {
  const { to } = request;
  const cod = Math.round(request.codAmount);
  const units = request.items.reduce((n, i) => n + i.qty, 0) || 1;
  return withoutUndefined({
    ORDER_NUMBER: request.orderCode,
    SENDER_FULLNAME: bytesAtMost(sender.name),
    SENDER_ADDRESS: bytesAtMost(sender.address),
    SENDER_PHONE: sender.phone,
    RECEIVER_FULLNAME: bytesAtMost(to.name),
    RECEIVER_ADDRESS: bytesAtMost([to.address, to.ward, to.district, to.province].filter(Boolean).join(', ')),
    RECEIVER_PHONE: to.phone,
    PRODUCT_NAME: bytesAtMost(request.items.map((i) => `${i.name} x${i.qty}`).join(', ')),
    PRODUCT_QUANTITY: units,
    PRODUCT_PRICE: Math.round(request.value > 0 ? request.value : (service.insuranceValue ?? 0)),
    PRODUCT_WEIGHT: Math.round(request.weightGrams),
    PRODUCT_LENGTH: request.lengthCm ?? 0,
    PRODUCT_WIDTH: request.widthCm ?? 0,
    PRODUCT_HEIGHT: request.heightCm ?? 0,
    PRODUCT_TYPE: 'HH',
    // 3: collect the goods' price only (the shop pays shipping); 1: collect nothing.
    ORDER_PAYMENT: cod > 0 ? 3 : 1,
    ORDER_SERVICE: service.orderService ?? 'VCN',
    ORDER_NOTE: request.note ? bytesAtMost(request.note) : undefined,
    MONEY_COLLECTION: cod,
    CHECK_UNIQUE: true,
    PRODUCT_DETAIL: request.items.map((i) => ({
      PRODUCT_NAME: bytesAtMost(i.name),
      PRODUCT_QUANTITY: i.qty,
      PRODUCT_PRICE: Math.round(i.price),
      PRODUCT_WEIGHT: Math.round(i.weightGrams ?? request.weightGrams / units),
    })),
  });
}

/**
 * An instant from Viettel Post as ISO 8601 UTC. Its webhooks write local Vietnamese time as
 * `dd/MM/yyyy HH:mm:ss` (`10/11/2025 11:07:16`, UTC+7); an ISO time passes through.
 */
export function viettelPostInstant(value: string): string | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(value.trim());
  if (!m) return value ? instantOf(Date.parse(value)) : undefined;
  const [, day, month, year, hour = '0', minute = '0', second = '0'] = m;
  const time = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour) - 7, Number(minute), Number(second));
  // 31/02 rolls over in Date.UTC: such a date is not one Viettel Post meant.
  const check = new Date(time + 7 * 3600_000);
  if (check.getUTCDate() !== Number(day) || check.getUTCMonth() !== Number(month) - 1) return undefined;
  return instantOf(time);
}

/** Viettel Post's promise (KPI_HT, hours from the day it takes the order) as a date. */
function expectedFrom(hours: number | undefined): string | undefined {
  if (hours === undefined || !(hours > 0)) return undefined;
  return new Date(Date.now() + hours * 3600_000).toISOString().slice(0, 10);
}

/** Text cut to Viettel Post's 150 bytes (UTF-8), never in the middle of a character. */
export function bytesAtMost(text: string, max = MAX_TEXT_BYTES): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch, 'utf8') > max) break;
    out += ch;
  }
  return out;
}

function senderOrThrow(id: string, options: ViettelPostAdapterOptions): Required<ViettelPostSender> {
  const s = options.sender;
  if (s.name && s.phone && s.address) return { name: s.name, phone: s.phone, address: s.address };
  const prefix = options.envNames?.credentialsPrefix ?? 'VIETTELPOST';
  throw new CourierError(
    id,
    `Viettel Post sender is not configured: set ${prefix}_SENDER_NAME, ${prefix}_SENDER_PHONE and ${prefix}_SENDER_ADDRESS`,
    false,
  );
}

/** Viettel Post answers `{status, error, message, data}`; `error: false` with status 200 is success. */
function succeeded(answer: CourierAnswer): boolean {
  const status = typeof answer.body.status === 'number' ? answer.body.status : answer.status;
  return answer.status >= 200 && answer.status < 300 && answer.body.error !== true && status === 200;
}

/** "Token invalid", "Token invalid or expired", "Header Token is required" (its error table), or a 401. */
function tokenRefused(answer: CourierAnswer): boolean {
  if (succeeded(answer)) return false;
  return answer.status === 401 || answer.body.status === 401 || /token/i.test(messageOf(answer.body));
}

function dataOf(answer: CourierAnswer): Record<string, unknown> {
  return isObject(answer.body.data) ? answer.body.data : {};
}

function rejected(courier: string, what: string, answer: CourierAnswer): CourierError {
  const status = typeof answer.body.status === 'number' ? answer.body.status : answer.status;
  return new CourierError(
    courier,
    `Viettel Post refused to ${what} (${status}): ${messageOf(answer.body) || 'no message'}`,
    // Viettel Post's own failure inside an HTTP 200 ("System error", status 500): transient.
    status >= 500,
    answer.status,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}
