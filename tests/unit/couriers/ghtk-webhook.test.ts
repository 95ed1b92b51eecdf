import { createGhtkAdapter, ghtkInstant } from '../../../activities/shipping/couriers/ghtk';
import { CourierError, ForgedWebhookError, type IncomingWebhook } from '../../../activities/shipping/couriers/types';

const SECRET = 'ghtk-webhook-hash-for-tests';
const adapter = createGhtkAdapter({
  id: 'ghtk',
  baseUrl: 'http://127.0.0.1:9',
  webhookSecret: SECRET,
  pickup: {},
  envNames: { webhookSecret: 'GHTK_WEBHOOK_SECRET' },
});

/** GHTK's callback fields as a form decoder hands them over (all text). */
const form = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  partner_id: 'SO-2002',
  label_id: 'S1.A1.2001297581',
  status_id: '9',
  action_time: '2024-05-01T16:30:00+07:00',
  reason_code: '131',
  reason: 'Không liên lạc được với KH 3 lần',
  weight: '0.8',
  fee: '30400',
  pick_money: '470000',
  return_part_package: '0',
  hash: SECRET,
  ...over,
});
const webhook = (body: Record<string, unknown>, query: Record<string, unknown> = {}): IncomingWebhook => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  query,
  body,
});

describe('GHTK webhooks', () => {
  test('When GHTK reports a failed delivery with the right hash, then it is one mapped event with reason and COD', () => {
    expect(adapter.parseWebhook(webhook(form()))).toEqual([
      {
        courier: 'ghtk',
        orderCode: 'SO-2002',
        trackingCode: 'S1.A1.2001297581',
        rawStatus: '9',
        state: 'delivery_failed',
        at: '2024-05-01T09:30:00.000Z',
        reason: 'Không liên lạc được với KH 3 lần',
        reasonCode: '131',
        codAmount: 470000,
        eventKey: 'ghtk|S1.A1.2001297581|9|2024-05-01T09:30:00.000Z',
      },
    ]);
  });

  test('When the hash comes in the query string instead of the form, then it is accepted', () => {
    const body = form({ status_id: '5', reason_code: '', reason: '' });
    delete body.hash;
    expect(adapter.parseWebhook(webhook(body, { hash: SECRET }))).toEqual([
      expect.objectContaining({ state: 'delivered', rawStatus: '5' }),
    ]);
  });

  test('When the hash is wrong or missing, then the webhook is rejected as forged', () => {
    expect(() => adapter.parseWebhook(webhook(form({ hash: 'guess' })))).toThrow(ForgedWebhookError);
    const body = form();
    delete body.hash;
    expect(() => adapter.parseWebhook(webhook(body))).toThrow(/ghtk webhook rejected: no hash/);
  });

  test('When no webhook secret is configured, then every webhook is rejected (fail closed), naming the variable', () => {
    const unconfigured = createGhtkAdapter({
      id: 'ghtk',
      baseUrl: 'http://127.0.0.1:9',
      pickup: {},
      envNames: { webhookSecret: 'GHTK_WEBHOOK_SECRET' },
    });
    expect(() => unconfigured.parseWebhook(webhook(form()))).toThrow(/set GHTK_WEBHOOK_SECRET/);
  });

  test("When a form decoder turned action_time's bare '+' into a space, then the time is still read as UTC+7", () => {
    const [event] = adapter.parseWebhook(webhook(form({ action_time: '2024-05-01T16:30:00 07:00' })));
    expect(event!.at).toBe('2024-05-01T09:30:00.000Z');
  });

  test('When a reason code comes without its text, then the text is filled in from GHTK’s table', () => {
    const [event] = adapter.parseWebhook(webhook(form({ status_id: '7', reason_code: '110', reason: '' })));
    expect(event).toMatchObject({ state: 'exception', reasonCode: '110', reason: 'Địa chỉ ngoài vùng phục vụ' });
  });

  test('When pick-up failed because our system cancelled (reason 115), then the event says cancelled', () => {
    expect(adapter.parseWebhook(webhook(form({ status_id: '7', reason_code: '115' })))[0]!.state).toBe('cancelled');
  });

  test('When GHTK sends a status_id it never documented, then the event is kept as unknown', () => {
    expect(adapter.parseWebhook(webhook(form({ status_id: '77' })))).toEqual([
      expect.objectContaining({ rawStatus: '77', state: 'unknown' }),
    ]);
  });

  test('When an authentic callback lacks label_id or status_id, then it is a non-retryable bad request', () => {
    expect(() => adapter.parseWebhook(webhook(form({ label_id: '' })))).toThrow(CourierError);
    expect(() => adapter.parseWebhook(webhook(form({ status_id: undefined })))).toThrow(/without label_id or status_id/);
  });

  test('When the same callback arrives twice, then both carry the same event key', () => {
    expect(adapter.parseWebhook(webhook(form()))[0]!.eventKey).toBe(adapter.parseWebhook(webhook(form()))[0]!.eventKey);
  });
});

describe('GHTK times', () => {
  test('When GHTK writes local time without an offset (status API), then it is read as UTC+7', () => {
    expect(ghtkInstant('2016-10-31 22:32:08')).toBe('2016-10-31T15:32:08.000Z');
  });
  test('When GHTK writes an offset, then the offset is used', () => {
    expect(ghtkInstant('2016-11-02T12:18:39+07:00')).toBe('2016-11-02T05:18:39.000Z');
    expect(ghtkInstant('2016-11-02T05:18:39Z')).toBe('2016-11-02T05:18:39.000Z');
  });
  test('When the time is missing or garbage, then there is none (never a throw)', () => {
    expect(ghtkInstant('')).toBeUndefined();
    expect(ghtkInstant('yesterday-ish')).toBeUndefined();
  });
});
