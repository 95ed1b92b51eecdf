/**
 * The Viettel Post adapter over real HTTP against the simulator's Viettel Post partner API, and
 * its scenarios end to end: the simulator plays each parcel and posts Viettel Post's real webhook
 * (`{DATA, TOKEN}` JSON, the secret also as `Authorization`) to a receiver that verifies and
 * parses it with the adapter, as shopflow's webhook route does. No Temporal, no database.
 */
import { createViettelPostAdapter } from '../../../activities/shipping/couriers/viettelpost';
import { CourierError, type CourierStatusEvent, type ShipmentState } from '../../../activities/shipping/couriers/types';
import type { CourierSimulator } from '../../../scripts/courier-sim';
import {
  advance,
  armFault,
  failureOf,
  orderCode,
  SECRET,
  shipmentRequest,
  simShipmentsOf,
  startReceiver,
  startSimulator,
  type Receiver,
} from './support';

let sim: CourierSimulator;
let receiver: Receiver;
const adapters: Record<string, ReturnType<typeof createViettelPostAdapter>> = {};

const vtp = (over: Partial<Parameters<typeof createViettelPostAdapter>[0]> = {}) =>
  createViettelPostAdapter({
    id: 'viettelpost',
    baseUrl: sim.url,
    username: '0933177454',
    password: 'mat-khau-thu',
    webhookSecret: SECRET,
    sender: { name: 'Shop Hoa Mai', phone: '0988777666', address: '10 Tràng Tiền, Hoàn Kiếm, Hà Nội' },
    service: { orderService: 'VCN' },
    timeoutMs: 5_000,
    ...over,
  });

beforeAll(async () => {
  receiver = await startReceiver(adapters);
  sim = await startSimulator({ webhookUrl: receiver.url, timeScale: 0.15, defaultScenario: 'manual' });
  adapters.viettelpost = vtp();
});
afterAll(async () => {
  await sim?.close();
  await receiver?.close();
});

const FINAL = new Set<ShipmentState>(['delivered', 'returned', 'cancelled']);
const states = (events: CourierStatusEvent[]) => events.map((e) => e.state);

describe('Viettel Post adapter: creating and cancelling', () => {
  test('When an order is shipped with an account, then the adapter logs in, takes the long-lived token and Viettel Post answers its waybill and fee', async () => {
    const code = orderCode('VTP');
    const created = await adapters.viettelpost!.createShipment(shipmentRequest(code));
    expect(created).toEqual({
      courier: 'viettelpost',
      trackingCode: expect.stringMatching(/^\d{11}$/),
      fee: expect.any(Number),
      expectedDeliveryAt: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
      alreadyExisted: false,
    });
    expect(await simShipmentsOf(sim, code)).toEqual([
      // Received as 100; the manual scenario's acceptance (103) may already have followed.
      expect.objectContaining({
        api: 'viettelpost',
        trackingCode: created.trackingCode,
        createCalls: 1,
        history: expect.arrayContaining([expect.objectContaining({ status: '100' })]),
      }),
    ]);
  });

  test('When the token is wrong and no account is set, then Viettel Post refuses and the error is not retryable', async () => {
    const failure = await failureOf(
      vtp({ token: 'not-a-token', username: undefined, password: undefined }).createShipment(shipmentRequest(orderCode('VTP'))),
    );
    expect(failure).toBeInstanceOf(CourierError);
    expect(failure).toMatchObject({ retryable: false, status: 401 });
    expect(failure.message).toMatch(/Token invalid/);
  });

  test('When the same order code is shipped twice, then Viettel Post refuses the second (CHECK_UNIQUE) and keeps one parcel', async () => {
    const code = orderCode('VTP');
    await adapters.viettelpost!.createShipment(shipmentRequest(code));
    const failure = await failureOf(adapters.viettelpost!.createShipment(shipmentRequest(code)));
    expect(failure).toMatchObject({ retryable: false });
    expect(failure.message).toMatch(/đã tồn tại/);
    const shipments = await simShipmentsOf(sim, code);
    expect(shipments).toHaveLength(1);
    expect(shipments[0]!.createCalls).toBe(2);
  });

  test('When Viettel Post fails with 503, then the failure is retryable and the retry makes one parcel', async () => {
    const code = orderCode('VTP');
    await armFault(sim, { createFailures: 1, status: 503 });
    expect(await failureOf(adapters.viettelpost!.createShipment(shipmentRequest(code)))).toMatchObject({ retryable: true, status: 503 });
    await adapters.viettelpost!.createShipment(shipmentRequest(code));
    expect(await simShipmentsOf(sim, code)).toHaveLength(1);
  });

  test('When the sender is not configured, then shipping fails naming the variables, before calling Viettel Post', async () => {
    const code = orderCode('VTP');
    const failure = await failureOf(vtp({ sender: {} }).createShipment(shipmentRequest(code)));
    expect(failure.message).toMatch(/VIETTELPOST_SENDER_NAME, VIETTELPOST_SENDER_PHONE and VIETTELPOST_SENDER_ADDRESS/);
    expect(await simShipmentsOf(sim, code)).toEqual([]);
  });

  test('When a parcel not yet picked up is cancelled, then Viettel Post cancels it (107); once picked up it refuses with its reason', async () => {
    const first = await adapters.viettelpost!.createShipment(shipmentRequest(orderCode('VTP')));
    expect(await adapters.viettelpost!.cancel(first.trackingCode, '')).toEqual({ cancelled: true });
    const events = await receiver.waitFor(first.trackingCode, (e) => e.some((x) => x.rawStatus === '107'));
    expect(events.at(-1)).toMatchObject({ state: 'cancelled', rawStatus: '107' });

    const second = await adapters.viettelpost!.createShipment(shipmentRequest(orderCode('VTP')));
    await advance(sim, second.trackingCode, '105');
    const refused = await adapters.viettelpost!.cancel(second.trackingCode, '');
    expect(refused.cancelled).toBe(false);
    expect(refused.reason).toMatch(/không thể hủy/);
  });

  test('When shopflow polls a Viettel Post parcel, then the answer says statuses come by webhook only (no guessed API)', async () => {
    const failure = await failureOf(adapters.viettelpost!.getStatus('10000000001', 'DH-1'));
    expect(failure).toMatchObject({ retryable: false });
    expect(failure.message).toMatch(/webhook only/);
  });
});

describe('Viettel Post parcels through the simulator', () => {
  async function play(scenario: string): Promise<CourierStatusEvent[]> {
    const code = orderCode('VTP');
    const { trackingCode } = await adapters.viettelpost!.createShipment(
      shipmentRequest(code, { note: `Giao giờ hành chính [sim:${scenario}]` }),
    );
    const events = await receiver.waitFor(trackingCode, (e) => e.some((x) => FINAL.has(x.state)));
    expect(events.every((e) => e.orderCode === code && e.courier === 'viettelpost')).toBe(true);
    return events;
  }

  test('When the parcel is delivered, then the webhooks read created → picking → picked → in transit → delivering → delivered', async () => {
    const events = await play('normal');
    expect(events.map((e) => e.rawStatus)).toEqual(['103', '104', '105', '300', '500', '501']);
    expect(states(events)).toEqual(['created', 'picking', 'picked', 'in_transit', 'delivering', 'delivered']);
    expect(events.at(-1)!.codAmount).toBe(320000);
  });

  test('When the receiver refuses it, then it fails (505, with Viettel Post’s reason code), comes back and is returned (504)', async () => {
    const events = await play('return');
    expect(events.map((e) => e.rawStatus)).toEqual(['103', '104', '105', '300', '500', '505', '515', '502', '504']);
    expect(states(events).slice(-4)).toEqual(['delivery_failed', 'returning', 'returning', 'returned']);
    expect(events.find((e) => e.rawStatus === '505')).toMatchObject({ reasonCode: '30', reason: 'Người nhận không đồng ý nhận sản phẩm' });
  });

  test('When a delivery attempt fails, then the failure (506) reaches the shop before Viettel Post delivers again', async () => {
    const events = await play('fail-then-deliver');
    expect(states(events)).toContain('delivery_failed');
    expect(events.find((e) => e.state === 'delivery_failed')).toMatchObject({ rawStatus: '506', reasonCode: '36' });
    expect(events.at(-1)!.state).toBe('delivered');
  });

  test('When the shop answers a failed delivery by asking for the return (UpdateOrder TYPE 2), then the parcel goes back', async () => {
    const { trackingCode } = await adapters.viettelpost!.createShipment(shipmentRequest(orderCode('VTP')));
    await advance(sim, trackingCode, '505', { reason: 'Khách hàng không có nhu cầu nhận hàng', reasonCode: '30' });
    const answer = await fetch(`${sim.url}/v2/order/UpdateOrder`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Token: 'simulator' },
      body: JSON.stringify({ TYPE: 2, ORDER_NUMBER: trackingCode, NOTE: 'Duyệt hoàn' }),
    });
    expect(await answer.json()).toMatchObject({ status: 200, error: false });
    const events = await receiver.waitFor(trackingCode, (e) => e.some((x) => x.rawStatus === '515'));
    expect(states(events)).toEqual(expect.arrayContaining(['delivery_failed', 'returning']));
  });

  test('When a webhook carries a wrong secret, then the receiver refuses it as forged and records nothing', async () => {
    const before = receiver.forged;
    const res = await fetch(receiver.url + '/viettelpost', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'guess' },
      body: JSON.stringify({ DATA: { ORDER_NUMBER: '19999999999', ORDER_STATUS: 501 }, TOKEN: 'guess' }),
    });
    expect(res.status).toBe(401);
    expect(receiver.forged).toBe(before + 1);
    expect(receiver.events.has('19999999999')).toBe(false);
  });
});
