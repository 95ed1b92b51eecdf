import { createGhnAdapter } from '../../../activities/shipping/couriers/ghn';
import { CourierError, ForgedWebhookError, type IncomingWebhook } from '../../../activities/shipping/couriers/types';

const SECRET = 'ghn-webhook-secret-for-tests';
const adapter = createGhnAdapter({
  id: 'ghn',
  baseUrl: 'http://127.0.0.1:9/shiip/public-api',
  webhookSecret: SECRET,
  envNames: { webhookSecret: 'GHN_WEBHOOK_SECRET' },
});

/** A GHN callback as GHN sends it (JSON body). */
const callback = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  CODAmount: 350000,
  CODTransferDate: null,
  ClientOrderCode: 'SO-1001',
  ConvertedWeight: 800,
  Description: 'Giao hàng thất bại',
  Fee: { MainService: 22000, Total: 22000 },
  Height: 10,
  IsPartialReturn: false,
  Length: 20,
  OrderCode: 'LKX7D9QP',
  PartialReturnCode: '',
  PaymentType: 1,
  Reason: 'Khách hẹn giao lại',
  ReasonCode: 'GHN-DFC1A0',
  ShopID: 885,
  Status: 'delivery_fail',
  Time: '2024-05-01T09:30:15.123Z',
  TotalFee: 22000,
  Type: 'switch_status',
  Warehouse: 'Bưu cục Quận 1',
  Weight: 800,
  Width: 15,
  ...over,
});
const webhook = (
  body: Record<string, unknown>,
  headers: IncomingWebhook['headers'] = { token: SECRET },
  query: Record<string, unknown> = {},
): IncomingWebhook => ({ headers, query, body });

describe('GHN webhooks', () => {
  test('When GHN reports a failed delivery with the right token, then it is one mapped event with reason and COD', () => {
    expect(adapter.parseWebhook(webhook(callback()))).toEqual([
      {
        courier: 'ghn',
        orderCode: 'SO-1001',
        trackingCode: 'LKX7D9QP',
        rawStatus: 'delivery_fail',
        state: 'delivery_failed',
        at: '2024-05-01T09:30:15.123Z',
        reason: 'Khách hẹn giao lại',
        reasonCode: 'GHN-DFC1A0',
        codAmount: 350000,
        eventKey: 'ghn|LKX7D9QP|delivery_fail|2024-05-01T09:30:15.123Z',
      },
    ]);
  });

  test('When the token comes as ?token= instead of a header, then it is accepted', () => {
    const [event] = adapter.parseWebhook(webhook(callback({ Status: 'delivered' }), {}, { token: SECRET }));
    expect(event).toMatchObject({ state: 'delivered', rawStatus: 'delivered' });
  });

  test('When the header name is written in another case, then it is still found', () => {
    expect(adapter.parseWebhook(webhook(callback(), { Token: SECRET }))).toHaveLength(1);
  });

  test('When the token is wrong, then the webhook is rejected as forged', () => {
    expect(() => adapter.parseWebhook(webhook(callback(), { token: `${SECRET}x` }))).toThrow(ForgedWebhookError);
    expect(() => adapter.parseWebhook(webhook(callback(), { token: 'short' }))).toThrow(/wrong token/);
  });

  test('When there is no token at all, then the webhook is rejected as forged', () => {
    expect(() => adapter.parseWebhook(webhook(callback(), {}))).toThrow(/ghn webhook rejected: no token/);
    expect(() => adapter.parseWebhook(webhook(callback(), { token: '' }))).toThrow(ForgedWebhookError);
  });

  test('When no webhook secret is configured, then every webhook is rejected (fail closed), naming the variable', () => {
    const unconfigured = createGhnAdapter({ id: 'ghn', baseUrl: 'http://127.0.0.1:9', envNames: { webhookSecret: 'GHN_WEBHOOK_SECRET' } });
    expect(() => unconfigured.parseWebhook(webhook(callback()))).toThrow(/set GHN_WEBHOOK_SECRET/);
  });

  test('When the same callback arrives twice, then both carry the same event key; another status or time gives another key', () => {
    const [a] = adapter.parseWebhook(webhook(callback()));
    const [b] = adapter.parseWebhook(webhook(callback()));
    const [c] = adapter.parseWebhook(webhook(callback({ Status: 'delivering' })));
    const [d] = adapter.parseWebhook(webhook(callback({ Time: '2024-05-01T10:00:00Z' })));
    expect(a!.eventKey).toBe(b!.eventKey);
    expect(new Set([a!.eventKey, c!.eventKey, d!.eventKey]).size).toBe(3);
  });

  test('When GHN sends a status it never documented, then the event is kept as unknown', () => {
    expect(adapter.parseWebhook(webhook(callback({ Status: 'hovering' })))).toEqual([
      expect.objectContaining({ rawStatus: 'hovering', state: 'unknown' }),
    ]);
  });

  test('When the callback is a weight, COD or fee update, then it is not a status event', () => {
    for (const Type of ['update_weight', 'update_cod', 'update_fee']) {
      expect(adapter.parseWebhook(webhook(callback({ Type })))).toEqual([]);
    }
    expect(adapter.parseWebhook(webhook(callback({ Type: 'create', Status: 'ready_to_pick' })))).toEqual([
      expect.objectContaining({ state: 'created' }),
    ]);
  });

  test('When an authentic callback lacks OrderCode or Status, then it is a non-retryable bad request', () => {
    const bad = () => adapter.parseWebhook(webhook(callback({ OrderCode: undefined })));
    expect(bad).toThrow(CourierError);
    expect(bad).toThrow(/without OrderCode or Status/);
    try {
      bad();
    } catch (err) {
      expect(err).toMatchObject({ retryable: false, status: 400 });
    }
  });

  test('When the forged check fails, then nothing of the body is read (a forged body cannot even cause a 400)', () => {
    expect(() => adapter.parseWebhook(webhook({}, { token: 'nope' }))).toThrow(ForgedWebhookError);
  });
});
