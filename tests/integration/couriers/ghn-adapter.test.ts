/**
 * The GHN adapter over real HTTP against the simulator's GHN subset (no Temporal, no database).
 */
import { createGhnAdapter } from '../../../activities/shipping/couriers/ghn';
import { CourierError } from '../../../activities/shipping/couriers/types';
import type { CourierSimulator } from '../../../scripts/courier-sim';
import { advance, armFault, failureOf, orderCode, shipmentRequest, simShipmentsOf, startSimulator } from './support';

let sim: CourierSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim?.close());

const ghn = (timeoutMs = 5_000) =>
  createGhnAdapter({
    id: 'ghn',
    baseUrl: `${sim.url}/shiip/public-api`,
    token: 'ghn-test-token',
    shopId: '885',
    timeoutMs,
    service: { serviceTypeId: 2, paymentTypeId: 1, requiredNote: 'KHONGCHOXEMHANG' },
  });

describe('GHN adapter: creating a shipment', () => {
  test('When an order is shipped, then GHN answers with its order code, fee and expected delivery', async () => {
    const code = orderCode('GHN');
    const created = await ghn().createShipment(shipmentRequest(code));
    expect(created).toEqual({
      courier: 'ghn',
      trackingCode: expect.stringMatching(/^L[A-Z0-9]{7}$/),
      fee: expect.any(Number),
      expectedDeliveryAt: expect.any(String),
      alreadyExisted: false,
    });
    expect(Date.parse(created.expectedDeliveryAt!)).toBeGreaterThan(Date.now());
    const [shipment] = await simShipmentsOf(sim, code);
    expect(shipment).toMatchObject({ api: 'ghn', trackingCode: created.trackingCode, status: 'ready_to_pick', createCalls: 1 });
  });

  test('When the same order is shipped twice, then GHN keeps one shipment and the second call returns it as already existing', async () => {
    const code = orderCode('GHN');
    const first = await ghn().createShipment(shipmentRequest(code));
    const second = await ghn().createShipment(shipmentRequest(code));
    expect(second).toMatchObject({ trackingCode: first.trackingCode, alreadyExisted: true });
    const shipments = await simShipmentsOf(sim, code);
    expect(shipments).toHaveLength(1);
    expect(shipments[0]!.createCalls).toBe(2);
  });

  test('When GHN fails with 500 then 503, then each failure is retryable and the retry that succeeds makes one shipment', async () => {
    const code = orderCode('GHN');
    await armFault(sim, { createFailures: 1, status: 500 });
    const first = await failureOf(ghn().createShipment(shipmentRequest(code)));
    expect(first).toBeInstanceOf(CourierError);
    expect(first).toMatchObject({ retryable: true, status: 500 });
    await armFault(sim, { createFailures: 1, status: 503 });
    expect(await failureOf(ghn().createShipment(shipmentRequest(code)))).toMatchObject({ retryable: true, status: 503 });
    // What Temporal's retry does next:
    const created = await ghn().createShipment(shipmentRequest(code));
    expect(created.alreadyExisted).toBe(false);
    const shipments = await simShipmentsOf(sim, code);
    expect(shipments).toHaveLength(1);
    expect(shipments[0]!.createCalls).toBe(3);
  });

  test('When GHN refuses the order (bad phone number, 400), then the error is not retryable and nothing was created', async () => {
    const code = orderCode('GHN');
    const request = shipmentRequest(code);
    const failure = await failureOf(ghn().createShipment({ ...request, to: { ...request.to, phone: '12ab' } }));
    expect(failure).toBeInstanceOf(CourierError);
    expect(failure).toMatchObject({ retryable: false, status: 400 });
    expect(failure.message).toMatch(/Số điện thoại người nhận không hợp lệ/);
    expect(await simShipmentsOf(sim, code)).toHaveLength(0);
  });

  test('When GHN’s answer does not come in time, then it is retryable, and the retry finds the shipment the lost answer was about', async () => {
    const code = orderCode('GHN');
    await armFault(sim, { createFailures: 1, timeoutMs: 1_500 });
    const failure = await failureOf(ghn(300).createShipment(shipmentRequest(code)));
    expect(failure).toBeInstanceOf(CourierError);
    expect(failure).toMatchObject({ retryable: true });
    expect(failure.message).toMatch(/timed out after 300 ms/);
    // The retry has the usual time: only the first answer was late (a busy machine can take over 300 ms for the two calls a retry makes).
    const retried = await ghn().createShipment(shipmentRequest(code));
    const shipments = await simShipmentsOf(sim, code);
    expect(shipments).toHaveLength(1);
    expect(retried).toMatchObject({ trackingCode: shipments[0]!.trackingCode, alreadyExisted: true });
  });

  test('When GHN cannot be reached at all, then the error is retryable', async () => {
    const offline = createGhnAdapter({
      id: 'ghn',
      baseUrl: 'http://127.0.0.1:9/shiip/public-api',
      token: 't',
      shopId: '1',
      timeoutMs: 2_000,
    });
    expect(await failureOf(offline.createShipment(shipmentRequest(orderCode('GHN'))))).toMatchObject({ retryable: true });
  });
});

describe('GHN adapter: status and cancellation', () => {
  test('When the status is asked, then it is GHN’s current status, mapped, at the time GHN logged it', async () => {
    const code = orderCode('GHN');
    const { trackingCode } = await ghn().createShipment(shipmentRequest(code));
    expect(await ghn().getStatus(trackingCode, code)).toMatchObject({
      courier: 'ghn',
      orderCode: code,
      trackingCode,
      rawStatus: 'ready_to_pick',
      state: 'created',
      codAmount: 320000,
    });
    const { shipment } = await advance(sim, trackingCode, 'transporting');
    const status = await ghn().getStatus(trackingCode, code);
    expect(status).toMatchObject({ rawStatus: 'transporting', state: 'in_transit', at: shipment.history[shipment.history.length - 1]!.at });
  });

  test('When the status of an order GHN does not have is asked, then the error is not retryable', async () => {
    expect(await failureOf(ghn().getStatus('LNOSUCH1', 'x'))).toMatchObject({ retryable: false, status: 400 });
  });

  test('When an order not yet picked up is cancelled, then GHN cancels it; cancelling again still says cancelled', async () => {
    const code = orderCode('GHN');
    const { trackingCode } = await ghn().createShipment(shipmentRequest(code));
    await advance(sim, trackingCode, 'picking');
    expect(await ghn().cancel(trackingCode, code)).toEqual({ cancelled: true });
    expect((await simShipmentsOf(sim, code))[0]!.status).toBe('cancel');
    expect(await ghn().cancel(trackingCode, code)).toEqual({ cancelled: true });
    expect(await ghn().getStatus(trackingCode, code)).toMatchObject({ state: 'cancelled' });
  });

  test('When an order already picked up is cancelled, then GHN refuses and says why', async () => {
    const code = orderCode('GHN');
    const { trackingCode } = await ghn().createShipment(shipmentRequest(code));
    await advance(sim, trackingCode, 'picked');
    expect(await ghn().cancel(trackingCode, code)).toEqual({ cancelled: false, reason: expect.stringMatching(/không thể hủy/) });
    expect((await simShipmentsOf(sim, code))[0]!.status).toBe('picked');
  });
});
