/**
 * Status webhooks in the couriers' real formats — GHN: JSON with a `Token` header; GHTK:
 * form-encoded with the secret as `hash`; Viettel Post: JSON `{DATA, TOKEN}` with the secret
 * also as `Authorization` — delivered like the couriers do: retried a few times while the
 * receiver is down or answers non-2xx.
 */
import type { Logger } from 'pino';
import { viettelPostStatusName } from '../../activities/shipping/couriers/viettelpost-status';
import type { SimShipment } from './state';

export interface WebhookChange {
  status: string;
  at: Date;
  reason?: string;
  reasonCode?: string;
  /** GHN's callback type: `create` for the first report of a new order. */
  ghnType: 'create' | 'switch_status';
}

export interface WebhookDelivery {
  delivered: boolean;
  attempts: number;
  /** The receiver's last HTTP status, if it answered at all. */
  httpStatus?: number;
}

/** GHN's callback body (the fields GHN documents; fees and sizes from the order). */
export function ghnCallbackBody(s: SimShipment, change: WebhookChange): Record<string, unknown> {
  const r = s.request;
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  return {
    CODAmount: s.codAmount,
    CODTransferDate: null,
    ClientOrderCode: s.clientOrderCode,
    ConvertedWeight: s.weightGrams,
    Description: change.reason ?? GHN_DESCRIPTIONS[change.status] ?? change.status,
    Fee: {
      CODFailedFee: 0,
      CODFee: 0,
      Coupon: 0,
      DeliverRemoteAreasFee: 0,
      DocumentReturn: 0,
      DoubleCheck: 0,
      Insurance: 0,
      MainService: s.fee,
      PickRemoteAreasFee: 0,
      R2S: 0,
      Return: 0,
      StationDO: 0,
      StationPU: 0,
      Total: s.fee,
    },
    Height: num(r.height),
    // Once part of the parcel was delivered, every later callback says so (and CODAmount is what was collected).
    IsPartialReturn: Boolean(s.partialReturn),
    Length: num(r.length),
    OrderCode: s.trackingCode,
    PartialReturnCode: s.partialReturn?.code ?? '',
    PaymentType: num(r.payment_type_id) || 1,
    Reason: change.reason ?? '',
    ReasonCode: change.reasonCode ?? '',
    ShopID: s.shopId,
    Status: change.status,
    Time: change.at.toISOString(),
    TotalFee: s.fee,
    Type: change.ghnType,
    Warehouse: 'Bưu cục giả lập (shopflow)',
    Weight: s.weightGrams,
    Width: num(r.width),
  };
}

/** GHTK's callback fields (GHTK posts `application/x-www-form-urlencoded`). */
export function ghtkCallbackForm(s: SimShipment, change: WebhookChange, secret: string): URLSearchParams {
  return new URLSearchParams({
    partner_id: s.clientOrderCode,
    label_id: s.trackingCode,
    status_id: change.status,
    action_time: vietnamTime(change.at),
    reason_code: change.reasonCode ?? '',
    reason: change.reason ?? '',
    weight: String(s.weightGrams / 1000),
    fee: String(s.fee),
    pick_money: String(s.codAmount),
    return_part_package: s.partialReturn ? '1' : '0',
    hash: secret,
  });
}

/** Viettel Post's webhook body (the fields its partner documentation lists), the secret as `TOKEN`. */
export function viettelPostWebhookBody(s: SimShipment, change: WebhookChange, secret: string): Record<string, unknown> {
  const r = s.request;
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  const vat = Math.round(s.fee / 11);
  const returning = ['502', '504', '515'].includes(change.status);
  return {
    DATA: {
      ORDER_NUMBER: s.trackingCode,
      ORDER_REFERENCE: s.clientOrderCode,
      ORDER_STATUSDATE: viettelPostTime(change.at),
      ORDER_STATUS: Number(change.status),
      STATUS_NAME: viettelPostStatusName(change.status) ?? change.status,
      LOCALION_CURRENTLY: 'HNI, CGY, Bưu cục giả lập (shopflow) - HNI - Hà Nội',
      NOTE: change.reason ?? viettelPostStatusName(change.status) ?? '',
      MONEY_COLLECTION: s.codAmount,
      MONEY_FEECOD: 0,
      MONEY_TOTALFEE: s.fee - vat,
      MONEY_TOTAL: s.fee,
      MONEY_TOTALVAT: vat,
      EXPECTED_DELIVERY: '48 giờ',
      PRODUCT_WEIGHT: s.weightGrams,
      ORDER_SERVICE: typeof r.ORDER_SERVICE === 'string' ? r.ORDER_SERVICE : 'VCN',
      ORDER_SERVICE_ADD: null,
      ORDER_PAYMENT: num(r.ORDER_PAYMENT) || 3,
      EXPECTED_DELIVERY_DATE: null,
      DETAIL: [],
      VOUCHER_VALUE: 0,
      MONEY_COLLECTION_ORIGIN: null,
      EMPLOYEE_NAME: 'Bưu tá giả lập',
      EMPLOYEE_PHONE: '84900000000',
      IS_RETURNING: returning,
      POD: { IMAGES: [] },
      REASON_CODE: change.reasonCode ?? null,
      RECEIVER_FULLNAME: typeof r.RECEIVER_FULLNAME === 'string' ? r.RECEIVER_FULLNAME : '',
      LOCATION_CURRENTLY: 'HNI, CGY, Bưu cục giả lập (shopflow) - HNI - Hà Nội',
    },
    TOKEN: secret,
  };
}

/** An instant as Viettel Post writes it: local Vietnamese time, `dd/MM/yyyy HH:mm:ss`. */
export function viettelPostTime(at: Date): string {
  const [date, time] = vietnamTime(at).slice(0, 19).split('T') as [string, string];
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y} ${time}`;
}

/** An instant as GHTK writes it: local Vietnamese time with its offset (2024-05-01T09:30:00+07:00). */
export function vietnamTime(at: Date): string {
  const local = new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 19);
  return `${local}+07:00`;
}

export interface WebhookSenderOptions {
  /** Base URL; GHN posts go to `<url>/<path>` with the path from the shipment. */
  webhookUrl: string;
  secret: string;
  /** Tries per webhook (default 5). */
  attempts: number;
  /** Wait before the first retry, doubled each time (default 500 ms). */
  retryDelayMs: number;
  log: Logger;
}

/** Sends webhooks with retries; `stop()` abandons what is still being retried (on close). */
export function createWebhookSender(options: WebhookSenderOptions) {
  const stopping = new AbortController();
  const base = options.webhookUrl.replace(/\/+$/, '');

  async function deliver(s: SimShipment, change: WebhookChange): Promise<WebhookDelivery> {
    const url = `${base}/${encodeURIComponent(s.webhookPath)}`;
    const request: RequestInit =
      s.api === 'ghn'
        ? {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Token: options.secret },
            body: JSON.stringify(ghnCallbackBody(s, change)),
          }
        : s.api === 'ghtk'
          ? {
              method: 'POST',
              headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
              body: ghtkCallbackForm(s, change, options.secret).toString(),
            }
          : {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', Authorization: options.secret },
              body: JSON.stringify(viettelPostWebhookBody(s, change, options.secret)),
            };
    let httpStatus: number | undefined;
    let delay = options.retryDelayMs;
    for (let attempt = 1; attempt <= options.attempts; attempt++) {
      if (stopping.signal.aborted) return { delivered: false, attempts: attempt - 1, httpStatus };
      // One controller per try, aborted by close() or after 10 s; listeners are removed after.
      const attemptAbort = new AbortController();
      const onStop = () => attemptAbort.abort();
      stopping.signal.addEventListener('abort', onStop, { once: true });
      const timer = setTimeout(() => attemptAbort.abort(), 10_000);
      try {
        const res = await fetch(url, { ...request, signal: attemptAbort.signal });
        httpStatus = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          options.log.debug({ url, trackingCode: s.trackingCode, status: change.status, attempt }, 'webhook delivered');
          return { delivered: true, attempts: attempt, httpStatus };
        }
        options.log.warn({ url, trackingCode: s.trackingCode, status: change.status, attempt, httpStatus }, 'webhook refused');
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        options.log.warn(
          { url, trackingCode: s.trackingCode, status: change.status, attempt, err: e.cause?.code ?? e.message },
          'webhook not delivered',
        );
      } finally {
        clearTimeout(timer);
        stopping.signal.removeEventListener('abort', onStop);
      }
      if (attempt < options.attempts) {
        await sleep(delay, stopping.signal);
        delay *= 2;
      }
    }
    options.log.error({ url, trackingCode: s.trackingCode, status: change.status }, 'webhook given up');
    return { delivered: false, attempts: options.attempts, httpStatus };
  }

  return {
    /** Queues a webhook behind the shipment's earlier ones; resolves when it is delivered or given up. */
    send(s: SimShipment, change: WebhookChange): Promise<WebhookDelivery> {
      const delivery = s.outbox.then(() => deliver(s, change));
      s.outbox = delivery.catch(() => undefined);
      return delivery;
    },
    stop(): void {
      stopping.abort();
    },
  };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** GHN's descriptions of its statuses (the `Description` of a callback). */
const GHN_DESCRIPTIONS: Record<string, string> = {
  ready_to_pick: 'Mới tạo đơn hàng',
  picking: 'Nhân viên đang lấy hàng',
  picked: 'Nhân viên đã lấy hàng',
  storing: 'Hàng đang nằm ở kho',
  transporting: 'Đang luân chuyển hàng',
  sorting: 'Đang phân loại hàng hóa',
  delivering: 'Nhân viên đang giao cho người nhận',
  delivered: 'Nhân viên đã giao hàng thành công',
  delivery_fail: 'Nhân viên giao hàng thất bại',
  waiting_to_return: 'Đang đợi trả hàng về cho người gửi',
  return: 'Trả hàng',
  returning: 'Nhân viên đang đi trả hàng',
  returned: 'Nhân viên trả hàng thành công',
  cancel: 'Hủy đơn hàng',
  lost: 'Hàng bị mất',
  damage: 'Hàng bị hư hỏng',
};
