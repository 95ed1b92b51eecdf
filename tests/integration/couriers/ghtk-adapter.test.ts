/**
 * The GHTK adapter over real HTTP against the simulator's GHTK subset (no Temporal, no database).
 */
import { createGhtkAdapter } from '../../../activities/shipping/couriers/ghtk';
import { CourierError } from '../../../activities/shipping/couriers/types';
import type { CourierSimulator } from '../../../scripts/courier-sim';
import { advance, armFault, failureOf, orderCode, shipmentRequest, simShipmentsOf, startSimulator } from './support';

let sim: CourierSimulator;
beforeAll(async () => {
  // The manual scenario's acceptance (GHTK status 1 → 2) 50 ms after creation raced the reads of
  // status 1 on a busy machine; here it waits, so every status read is one the test set.
  sim = await startSimulator({ startDelayMs: 600_000 });
});
afterAll(() => sim?.close());

const ghtk = (timeoutMs = 5_000) =>
  createGhtkAdapter({
    id: 'ghtk',
    baseUrl: sim.url,
    token: 'ghtk-test-token',
    partnerCode: 'S000001',
    timeoutMs,
    pickup: {
      name: 'Shop Hoa Mai',
      address: '10 Tràng Tiền',
      province: 'Hà Nội',
      district: 'Quận Hoàn Kiếm',
      ward: 'Phường Tràng Tiền',
      tel: '0988777666',
    },
    service: { transport: 'road', pickOption: 'cod' },
  });

describe('GHTK adapter: creating a shipment', () => {
  test('When an order is shipped, then GHTK answers with its label, fee and delivery date', async () => {
    const code = orderCode('GHTK');
    const created = await ghtk().createShipment(shipmentRequest(code));
    expect(created).toEqual({
      courier: 'ghtk',
      trackingCode: expect.stringMatching(/^S1\.A1\.\d+$/),
      fee: expect.any(Number),
      expectedDeliveryAt: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
      alreadyExisted: false,
    });
    expect(await simShipmentsOf(sim, code)).toEqual([
      expect.objectContaining({ api: 'ghtk', trackingCode: created.trackingCode, status: '1', createCalls: 1 }),
    ]);
  });

  test('When the same order is shipped twice, then GHTK answers ORDER_ID_EXIST with the first label, returned as already existing', async () => {
    const code = orderCode('GHTK');
    const first = await ghtk().createShipment(shipmentRequest(code));
    const second = await ghtk().createShipment(shipmentRequest(code));
    expect(second).toEqual({ courier: 'ghtk', trackingCode: first.trackingCode, alreadyExisted: true });
    const shipments = await simShipmentsOf(sim, code);
    expect(shipments).toHaveLength(1);
    expect(shipments[0]!.createCalls).toBe(2);
  });

  test('When GHTK fails with 500 twice, then both failures are retryable and the retry that succeeds makes one shipment', async () => {
    const code = orderCode('GHTK');
    await armFault(sim, { createFailures: 2, status: 500 });
    for (let i = 0; i < 2; i++) {
      const failure = await failureOf(ghtk().createShipment(shipmentRequest(code)));
      expect(failure).toBeInstanceOf(CourierError);
      expect(failure).toMatchObject({ retryable: true, status: 500 });
    }
    await ghtk().createShipment(shipmentRequest(code));
    const shipments = await simShipmentsOf(sim, code);
    expect(shipments).toHaveLength(1);
    expect(shipments[0]!.createCalls).toBe(3);
  });

  test('When GHTK refuses the order (422, phone missing), then the error is not retryable and carries GHTK’s code', async () => {
    const code = orderCode('GHTK');
    const request = shipmentRequest(code);
    const failure = await failureOf(ghtk().createShipment({ ...request, to: { ...request.to, phone: '' } }));
    expect(failure).toMatchObject({ retryable: false, status: 422 });
    expect(failure.message).toMatch(/30307/);
    expect(await simShipmentsOf(sim, code)).toHaveLength(0);
  });

  test('When GHTK’s answer does not come in time, then it is retryable, and the retry gets the label of the shipment made meanwhile', async () => {
    const code = orderCode('GHTK');
    await armFault(sim, { createFailures: 1, timeoutMs: 1_500 });
    const failure = await failureOf(ghtk(300).createShipment(shipmentRequest(code)));
    expect(failure).toMatchObject({ retryable: true });
    expect(failure.message).toMatch(/timed out/);
    // The retry has the usual time: only the first answer was late (a busy machine can take over 300 ms for the two calls a retry makes).
    const retried = await ghtk().createShipment(shipmentRequest(code));
    const shipments = await simShipmentsOf(sim, code);
    expect(shipments).toHaveLength(1);
    expect(retried).toMatchObject({ trackingCode: shipments[0]!.trackingCode, alreadyExisted: true });
  });
});

describe('GHTK adapter: status and cancellation', () => {
  test('When the status is asked, then it is GHTK’s status_id, mapped, at GHTK’s (UTC+7) modification time', async () => {
    const code = orderCode('GHTK');
    const { trackingCode } = await ghtk().createShipment(shipmentRequest(code));
    expect(await ghtk().getStatus(trackingCode, code)).toMatchObject({
      courier: 'ghtk',
      orderCode: code,
      trackingCode,
      rawStatus: '1',
      state: 'created',
      codAmount: 320000,
    });
    const { shipment } = await advance(sim, trackingCode, '4');
    const status = await ghtk().getStatus(trackingCode, code);
    expect(status).toMatchObject({ rawStatus: '4', state: 'delivering' });
    // GHTK's status API has whole seconds.
    expect(status.at).toBe(`${shipment.history[shipment.history.length - 1]!.at.slice(0, 19)}.000Z`);
  });

  test('When the status of a label GHTK does not have is asked, then the error is not retryable', async () => {
    expect(await failureOf(ghtk().getStatus('S1.A1.1', 'x'))).toMatchObject({ retryable: false });
  });

  test('When an order not yet picked up is cancelled, then GHTK cancels it; cancelling again still says cancelled', async () => {
    const code = orderCode('GHTK');
    const { trackingCode } = await ghtk().createShipment(shipmentRequest(code));
    await advance(sim, trackingCode, '12');
    expect(await ghtk().cancel(trackingCode, code)).toEqual({ cancelled: true });
    expect((await simShipmentsOf(sim, code))[0]!.status).toBe('-1');
    expect(await ghtk().cancel(trackingCode, code)).toEqual({ cancelled: true });
  });

  test('When an order already picked up is cancelled, then GHTK refuses with its own words', async () => {
    const code = orderCode('GHTK');
    const { trackingCode } = await ghtk().createShipment(shipmentRequest(code));
    await advance(sim, trackingCode, '3');
    expect(await ghtk().cancel(trackingCode, code)).toEqual({ cancelled: false, reason: 'Đơn đã lấy hàng, không thể hủy đơn.' });
  });
});
