/**
 * Partial deliveries ("giao 1 phần, trả 1 phần") as the couriers report them: GHN's callback
 * fields `IsPartialReturn` / `PartialReturnCode`, GHTK's `return_part_package`, the value shopflow
 * derives for what comes back, and the simulator's callbacks in those same shapes.
 */
import { createGhnAdapter } from '../../../activities/shipping/couriers/ghn';
import { createGhtkAdapter } from '../../../activities/shipping/couriers/ghtk';
import type { IncomingWebhook } from '../../../activities/shipping/couriers/types';
import { courierReturnedValue } from '../../../definitions/rules/courier-status';
import { partialReturnOf, type SimShipment } from '../../../scripts/courier-sim/state';
import { ghnCallbackBody, ghtkCallbackForm } from '../../../scripts/courier-sim/webhooks';

const SECRET = 'partial-delivery-secret-for-tests';
const ghn = createGhnAdapter({ id: 'ghn', baseUrl: 'http://127.0.0.1:9/shiip/public-api', webhookSecret: SECRET });
const ghtk = createGhtkAdapter({ id: 'ghtk', baseUrl: 'http://127.0.0.1:9', webhookSecret: SECRET, pickup: {} });

/** A GHN callback of a delivered order, all documented fields (JSON body). */
const ghnCallback = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  CODAmount: 350000,
  CODTransferDate: null,
  ClientOrderCode: 'SO-3003',
  ConvertedWeight: 800,
  Description: 'Nhân viên đã giao hàng thành công',
  Fee: {
    CODFailedFee: 0,
    CODFee: 0,
    Coupon: 0,
    DeliverRemoteAreasFee: 0,
    DocumentReturn: 0,
    DoubleCheck: 0,
    Insurance: 0,
    MainService: 22000,
    PickRemoteAreasFee: 0,
    R2S: 0,
    Return: 0,
    StationDO: 0,
    StationPU: 0,
    Total: 22000,
  },
  Height: 10,
  IsPartialReturn: false,
  Length: 20,
  OrderCode: 'LKX7D9QP',
  PartialReturnCode: '',
  PaymentType: 1,
  Reason: '',
  ReasonCode: '',
  ShopID: 885,
  Status: 'delivered',
  Time: '2024-05-02T10:15:00.000Z',
  TotalFee: 22000,
  Type: 'switch_status',
  Warehouse: 'Bưu cục Quận 1',
  Weight: 800,
  Width: 15,
  ...over,
});
/** GHTK's callback fields as a form decoder hands them over (all text). */
const ghtkForm = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  partner_id: 'SO-4004',
  label_id: 'S1.A1.2001297599',
  status_id: '5',
  action_time: '2024-05-02T17:15:00+07:00',
  reason_code: '',
  reason: '',
  weight: '0.8',
  fee: '30400',
  pick_money: '250000',
  return_part_package: '0',
  hash: SECRET,
  ...over,
});
const ghnWebhook = (body: Record<string, unknown>): IncomingWebhook => ({ headers: { token: SECRET }, query: {}, body });
const ghtkWebhook = (body: Record<string, unknown>): IncomingWebhook => ({ headers: {}, query: {}, body });

describe('GHN partial deliveries', () => {
  test('When GHN reports delivered with IsPartialReturn, then the event is delivered and carries the return code and the COD collected', () => {
    const [event] = ghn.parseWebhook(ghnWebhook(ghnCallback({ IsPartialReturn: true, PartialReturnCode: 'LKX7RT01', CODAmount: 200000 })));
    expect(event).toMatchObject({
      state: 'delivered',
      rawStatus: 'delivered',
      codAmount: 200000,
      partial: { code: 'LKX7RT01', deliveredValue: 200000 },
    });
    expect(event!.partial).not.toHaveProperty('returnedValue');
  });

  test('When GHN reports an ordinary delivery (IsPartialReturn false), then the event has no partial facts', () => {
    const [event] = ghn.parseWebhook(ghnWebhook(ghnCallback()));
    expect(event).toMatchObject({ state: 'delivered' });
    expect(event).not.toHaveProperty('partial');
  });

  test.each<[unknown, boolean]>([
    ['true', true],
    ['TRUE', true],
    ['false', false],
    [0, false],
    [null, false],
  ])('When IsPartialReturn is %p, then partial facts are read: %p', (flag, partial) => {
    const [event] = ghn.parseWebhook(ghnWebhook(ghnCallback({ IsPartialReturn: flag, PartialReturnCode: 'LKX7RT01' })));
    expect(event!.partial !== undefined).toBe(partial);
  });

  test('When GHN flags a partial return without a return code, then the partial facts keep only the COD collected', () => {
    const [event] = ghn.parseWebhook(ghnWebhook(ghnCallback({ IsPartialReturn: true, PartialReturnCode: '', CODAmount: '120000' })));
    expect(event!.partial).toEqual({ deliveredValue: 120000 });
  });
});

describe('GHTK partial deliveries', () => {
  test('When GHTK reports status 5 with return_part_package=1, then the event is delivered and carries the COD collected', () => {
    const [event] = ghtk.parseWebhook(ghtkWebhook(ghtkForm({ return_part_package: '1' })));
    expect(event).toMatchObject({ state: 'delivered', rawStatus: '5', codAmount: 250000, partial: { deliveredValue: 250000 } });
  });

  test('When return_part_package is 0, then the event has no partial facts', () => {
    const [event] = ghtk.parseWebhook(ghtkWebhook(ghtkForm()));
    expect(event).not.toHaveProperty('partial');
  });

  test('When GHTK sends the flag as a number (a JSON-decoding receiver), then it is read the same', () => {
    const [event] = ghtk.parseWebhook(ghtkWebhook(ghtkForm({ return_part_package: 1, pick_money: 250000 })));
    expect(event!.partial).toEqual({ deliveredValue: 250000 });
  });
});

describe('The value that comes back', () => {
  test.each<[string, { deliveredValue?: number; returnedValue?: number }, number | null, number | undefined]>([
    ['stated by the courier', { returnedValue: 90000.4, deliveredValue: 1 }, 500000, 90000],
    ['COD at hand-over less COD collected', { deliveredValue: 200000 }, 350000, 150000],
    ['nothing came back (collected all of it)', { deliveredValue: 350000 }, 350000, 0],
    ['collected more than the COD (never negative)', { deliveredValue: 400000 }, 350000, 0],
    ['a prepaid parcel (no COD): unknown', { deliveredValue: 0 }, 0, undefined],
    ['no COD recorded for the parcel: unknown', { deliveredValue: 100000 }, null, undefined],
    ['no figure from the courier: unknown', {}, 350000, undefined],
  ])('When it is %s, then it is the expected figure', (_case, partial, cod, expected) => {
    expect(courierReturnedValue(partial, cod)).toBe(expected);
  });
});

describe('The simulator speaks the same shapes', () => {
  const shipment = (api: 'ghn' | 'ghtk', lines: Array<{ qty: number; price: number }>, codAmount: number): SimShipment => ({
    api,
    trackingCode: api === 'ghn' ? 'LSIMPART' : 'S1.A1.2000000001',
    clientOrderCode: 'SO-5005',
    webhookPath: api,
    scenario: 'partial-return',
    status: '5',
    history: [],
    createdAt: '2024-05-01T00:00:00.000Z',
    expectedDeliveryAt: '2024-05-03T00:00:00.000Z',
    codAmount,
    fee: 22000,
    weightGrams: 800,
    shopId: 885,
    request: {},
    lines,
    timers: new Set(),
    outbox: Promise.resolve(),
  });

  test.each<[string, Array<{ qty: number; price: number }>, number, number]>([
    [
      'two lines: the last one comes back',
      [
        { qty: 1, price: 300000 },
        { qty: 2, price: 50000 },
      ],
      420000,
      100000,
    ],
    ['one line of three units: one unit comes back', [{ qty: 3, price: 120000 }], 360000, 120000],
    ['a single unit cannot be split', [{ qty: 1, price: 320000 }], 320000, 0],
  ])('When the customer splits a parcel with %s, then the returned value is worked out from the lines', (_case, lines, cod, returned) => {
    const split = partialReturnOf(shipment('ghn', lines, cod));
    expect(split.returnedValue).toBe(returned);
    expect(split.collected).toBe(cod - returned);
    expect(split.code).toMatch(/^L[A-Z0-9]{7}$/);
    expect(partialReturnOf(shipment('ghtk', lines, cod)).code).toBe('');
  });

  test('When the simulator reports a GHN partial delivery, then the GHN adapter reads the return code and the collected COD', () => {
    const s = shipment(
      'ghn',
      [
        { qty: 1, price: 300000 },
        { qty: 2, price: 50000 },
      ],
      420000,
    );
    s.partialReturn = partialReturnOf(s);
    s.codAmount = s.partialReturn.collected;
    const body = ghnCallbackBody(s, { status: 'delivered', at: new Date('2024-05-02T10:15:00Z'), ghnType: 'switch_status' });
    expect(body).toMatchObject({ IsPartialReturn: true, PartialReturnCode: s.partialReturn.code, CODAmount: 320000 });
    const [event] = ghn.parseWebhook(ghnWebhook(body));
    expect(event).toMatchObject({ state: 'delivered', partial: { code: s.partialReturn.code, deliveredValue: 320000 } });
    expect(courierReturnedValue(event!.partial!, 420000)).toBe(100000);
  });

  test('When the simulator reports a GHTK partial delivery, then the GHTK adapter reads the flag and the collected COD', () => {
    const s = shipment('ghtk', [{ qty: 3, price: 120000 }], 360000);
    s.partialReturn = partialReturnOf(s);
    s.codAmount = s.partialReturn.collected;
    const form = Object.fromEntries(
      ghtkCallbackForm(s, { status: '5', at: new Date('2024-05-02T10:15:00Z'), ghnType: 'switch_status' }, SECRET),
    );
    expect(form).toMatchObject({ status_id: '5', return_part_package: '1', pick_money: '240000' });
    const [event] = ghtk.parseWebhook(ghtkWebhook(form));
    expect(event).toMatchObject({ state: 'delivered', partial: { deliveredValue: 240000 } });
    expect(courierReturnedValue(event!.partial!, 360000)).toBe(120000);
  });
});
