import { createViettelPostAdapter, viettelPostInstant, viettelPostOrderBody } from '../../../activities/shipping/couriers/viettelpost';
import { bytesAtMost } from '../../../activities/shipping/couriers/viettelpost';
import { CourierError, ForgedWebhookError, type IncomingWebhook } from '../../../activities/shipping/couriers/types';

const SECRET = 'vtp-webhook-secret-for-tests';
const adapter = createViettelPostAdapter({
  id: 'viettelpost',
  baseUrl: 'http://127.0.0.1:9',
  webhookSecret: SECRET,
  sender: {},
  envNames: { webhookSecret: 'VIETTELPOST_WEBHOOK_SECRET' },
});

/** Viettel Post's webhook body as its partner documentation shows it (trimmed to the fields read). */
const body = (data: Record<string, unknown> = {}, token: unknown = SECRET): Record<string, unknown> => ({
  DATA: {
    ORDER_NUMBER: '15878180012',
    ORDER_REFERENCE: 'DH261204-AB12CD34',
    ORDER_STATUSDATE: '10/11/2025 11:07:16',
    ORDER_STATUS: 505,
    STATUS_NAME: 'Phát thất bại - Yêu cầu chuyển hoàn',
    NOTE: 'Khách từ chối nhận',
    MONEY_COLLECTION: 470000,
    REASON_CODE: '30',
    IS_RETURNING: false,
    ...data,
  },
  ...(token === null ? {} : { TOKEN: token }),
});
const webhook = (json: Record<string, unknown>, headers: Record<string, string> = {}): IncomingWebhook => ({
  headers: { 'content-type': 'application/json', ...headers },
  query: {},
  body: json,
});

describe('Viettel Post webhooks', () => {
  test('When Viettel Post reports a failed delivery with the right TOKEN, then it is one mapped event with reason, code and COD', () => {
    expect(adapter.parseWebhook(webhook(body()))).toEqual([
      {
        courier: 'viettelpost',
        orderCode: 'DH261204-AB12CD34',
        trackingCode: '15878180012',
        rawStatus: '505',
        state: 'delivery_failed',
        at: '2025-11-10T04:07:16.000Z',
        reason: 'Khách từ chối nhận',
        reasonCode: '30',
        codAmount: 470000,
        eventKey: 'viettelpost|15878180012|505|2025-11-10T04:07:16.000Z',
      },
    ]);
  });

  test('When the secret comes as the Authorization header only, then the webhook is accepted', () => {
    const [event] = adapter.parseWebhook(webhook(body({ ORDER_STATUS: 501, NOTE: '' }, null), { authorization: SECRET }));
    expect(event).toMatchObject({ state: 'delivered', rawStatus: '501', reason: 'Phát thất bại - Yêu cầu chuyển hoàn' });
  });

  test('When the secret is wrong or missing, then the webhook is refused as forged', () => {
    expect(() => adapter.parseWebhook(webhook(body({}, 'guess')))).toThrow(ForgedWebhookError);
    expect(() => adapter.parseWebhook(webhook(body({}, null)))).toThrow(/no secret/);
    expect(() => adapter.parseWebhook(webhook(body({}, 'guess'), { authorization: 'also-wrong' }))).toThrow(ForgedWebhookError);
    expect(() => adapter.parseWebhook(webhook(body({}, [SECRET, 'x'] as unknown as string)))).not.toThrow();
  });

  test('When no webhook secret is configured, then every webhook is refused, naming the variable to set', () => {
    const open = createViettelPostAdapter({
      id: 'viettelpost',
      baseUrl: 'http://127.0.0.1:9',
      sender: {},
      envNames: { webhookSecret: 'VIETTELPOST_WEBHOOK_SECRET' },
    });
    expect(() => open.parseWebhook(webhook(body()))).toThrow(/VIETTELPOST_WEBHOOK_SECRET/);
  });

  test('When DATA lacks its order number or status, then it is a bad webhook (400), not an event', () => {
    const error = (() => {
      try {
        adapter.parseWebhook(webhook(body({ ORDER_STATUS: null })));
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(CourierError);
    expect(error).toMatchObject({ status: 400 });
    expect(() => adapter.parseWebhook(webhook({ TOKEN: SECRET }))).toThrow(/DATA\.ORDER_NUMBER/);
  });

  test('When Viettel Post writes its local time, then it is read as UTC+7; impossible dates are not times', () => {
    expect(viettelPostInstant('13/12/2018 17:34:05')).toBe('2018-12-13T10:34:05.000Z');
    expect(viettelPostInstant('01/01/2025 03:00:00')).toBe('2024-12-31T20:00:00.000Z');
    expect(viettelPostInstant('31/02/2025 10:00:00')).toBeUndefined();
    expect(viettelPostInstant('2025-01-01T00:00:00Z')).toBe('2025-01-01T00:00:00.000Z');
    expect(viettelPostInstant('')).toBeUndefined();
  });
});

describe('Viettel Post order body', () => {
  const request = {
    orderCode: 'DH261204-AB12CD34',
    to: {
      name: 'Trần Văn Minh',
      phone: '0901234567',
      address: '45 Nguyễn Huệ',
      ward: 'Phường Bến Nghé',
      district: 'Quận 1',
      province: 'TP. Hồ Chí Minh',
    },
    codAmount: 470000,
    value: 470000,
    weightGrams: 900,
    items: [
      { name: 'Giày thể thao', sku: 'GTT-42', qty: 1, price: 320000 },
      { name: 'Tất', sku: 'TAT-1', qty: 2, price: 75000 },
    ],
    note: 'Gọi trước khi giao',
  };
  const sender = { name: 'Shop Hoa Mai', phone: '0988777666', address: '10 Tràng Tiền, Hoàn Kiếm, Hà Nội' };

  test('When a COD order is shipped, then Viettel Post collects the goods only (ORDER_PAYMENT 3) under our order code, checked unique', () => {
    const b = viettelPostOrderBody(request, { orderService: 'VHT' }, sender);
    expect(b).toMatchObject({
      ORDER_NUMBER: 'DH261204-AB12CD34',
      RECEIVER_ADDRESS: '45 Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh',
      PRODUCT_QUANTITY: 3,
      PRODUCT_PRICE: 470000,
      PRODUCT_WEIGHT: 900,
      ORDER_PAYMENT: 3,
      ORDER_SERVICE: 'VHT',
      MONEY_COLLECTION: 470000,
      CHECK_UNIQUE: true,
      PRODUCT_TYPE: 'HH',
    });
    expect(b.PRODUCT_DETAIL).toEqual([
      { PRODUCT_NAME: 'Giày thể thao', PRODUCT_QUANTITY: 1, PRODUCT_PRICE: 320000, PRODUCT_WEIGHT: 300 },
      { PRODUCT_NAME: 'Tất', PRODUCT_QUANTITY: 2, PRODUCT_PRICE: 75000, PRODUCT_WEIGHT: 300 },
    ]);
  });

  test('When nothing is collected, then ORDER_PAYMENT is 1 and the default service is VCN', () => {
    expect(viettelPostOrderBody({ ...request, codAmount: 0 }, {}, sender)).toMatchObject({
      ORDER_PAYMENT: 1,
      MONEY_COLLECTION: 0,
      ORDER_SERVICE: 'VCN',
    });
  });

  test('When a text field is longer than Viettel Post keeps (150 bytes), then it is cut on a character boundary', () => {
    const long = 'Đường '.repeat(60);
    const cut = bytesAtMost(long);
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(150);
    expect(long.startsWith(cut)).toBe(true);
    expect(cut).not.toContain('\uFFFD');
  });
});
