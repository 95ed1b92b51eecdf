/**
 * Scenarios end to end over HTTP: adapters built from the shipped shop.yaml and the environment
 * (as the worker builds them) create shipments on the simulator, which plays each scenario and
 * posts real-format webhooks to a small receiver that verifies and parses them with the adapters.
 */
import { createCourierAdapters } from '../../../activities/shipping/couriers';
import type { CourierAdapter, CourierStatusEvent, ShipmentState } from '../../../activities/shipping/couriers/types';
import type { CourierSimulator } from '../../../scripts/courier-sim';
import { shippedShop } from '../../unit/definitions/helpers';
import { orderCode, SECRET, shipmentRequest, simShipmentsOf, startReceiver, startSimulator, type Receiver } from './support';

let sim: CourierSimulator;
let receiver: Receiver;
const adapters: Record<string, CourierAdapter> = {};

beforeAll(async () => {
  receiver = await startReceiver(adapters);
  sim = await startSimulator({ webhookUrl: receiver.url, timeScale: 0.15, defaultScenario: 'normal' });
  Object.assign(
    adapters,
    createCourierAdapters(shippedShop(), {
      COURIER_SIMULATOR_URL: sim.url,
      COURIER_SIM_SECRET: SECRET,
      GHN_BASE_URL: `${sim.url}/shiip/public-api`,
      GHN_TOKEN: 'ghn-token',
      GHN_SHOP_ID: '885',
      GHN_WEBHOOK_SECRET: SECRET,
      GHTK_BASE_URL: sim.url,
      GHTK_TOKEN: 'ghtk-token',
      GHTK_WEBHOOK_SECRET: SECRET,
      GHTK_PICK_NAME: 'Shop Hoa Mai',
      GHTK_PICK_ADDRESS: '10 Tràng Tiền',
      GHTK_PICK_PROVINCE: 'Hà Nội',
      GHTK_PICK_DISTRICT: 'Quận Hoàn Kiếm',
      GHTK_PICK_TEL: '0988777666',
    }),
  );
});
afterAll(async () => {
  await sim?.close();
  await receiver?.close();
});

const FINAL = new Set<ShipmentState>(['delivered', 'returned', 'lost', 'cancelled']);
const untilFinal = (events: CourierStatusEvent[]) => events.some((e) => FINAL.has(e.state));
const states = (events: CourierStatusEvent[]) => events.map((e) => e.state);

/** Ships one order through a courier and waits for the scenario's webhooks to end. */
async function play(courier: string, scenario: string): Promise<{ trackingCode: string; code: string; events: CourierStatusEvent[] }> {
  const code = orderCode(courier.toUpperCase());
  const { trackingCode } = await adapters[courier]!.createShipment(
    shipmentRequest(code, { note: `Giao giờ hành chính [sim:${scenario}]` }),
  );
  const events = await receiver.waitFor(trackingCode, untilFinal);
  return { trackingCode, code, events };
}

describe('Scenarios through the simulator courier (GHN format)', () => {
  test.each<[string, ShipmentState[], string[]]>([
    [
      'normal',
      ['created', 'picking', 'picked', 'in_transit', 'delivering', 'delivered'],
      ['ready_to_pick', 'picking', 'picked', 'transporting', 'delivering', 'delivered'],
    ],
    [
      'late',
      ['created', 'picking', 'picked', 'in_transit', 'in_transit', 'delivering', 'delivered'],
      ['ready_to_pick', 'picking', 'picked', 'transporting', 'sorting', 'delivering', 'delivered'],
    ],
    [
      'fail-then-deliver',
      ['created', 'picking', 'picked', 'in_transit', 'delivering', 'delivery_failed', 'delivering', 'delivered'],
      ['ready_to_pick', 'picking', 'picked', 'transporting', 'delivering', 'delivery_fail', 'delivering', 'delivered'],
    ],
    [
      'return',
      ['created', 'picking', 'picked', 'in_transit', 'delivering', 'delivery_failed', 'returning', 'returning', 'returned'],
      ['ready_to_pick', 'picking', 'picked', 'transporting', 'delivering', 'delivery_fail', 'waiting_to_return', 'returning', 'returned'],
    ],
    ['lost', ['created', 'picking', 'picked', 'in_transit', 'lost'], ['ready_to_pick', 'picking', 'picked', 'transporting', 'lost']],
  ])('When an order tagged [sim:%s] ships, then its webhooks bring the states in order', async (scenario, expected, raw) => {
    const { trackingCode, code, events } = await play('simulator', scenario);
    expect(states(events)).toEqual(expected);
    expect(events.map((e) => e.rawStatus)).toEqual(raw);
    expect(events.every((e) => e.courier === 'simulator' && e.orderCode === code && e.trackingCode === trackingCode)).toBe(true);
    expect((await simShipmentsOf(sim, code))[0]).toMatchObject({ webhookPath: 'simulator', scenario });
  });

  test('When a delivery fails, then the webhook says why', async () => {
    const { events } = await play('simulator', 'fail-then-deliver');
    expect(events.find((e) => e.state === 'delivery_failed')).toMatchObject({ reason: 'Không gọi được cho người nhận hàng' });
  });

  test('When a scenario has ended, then polling the status gives the same event (same key) as the last webhook', async () => {
    const { trackingCode, code, events } = await play('simulator', 'normal');
    const polled = await adapters.simulator!.getStatus(trackingCode, code);
    expect(polled.eventKey).toBe(events[events.length - 1]!.eventKey);
  });
});

describe('Scenarios through GHN (GHN_BASE_URL pointing at the simulator)', () => {
  test('When an order without a scenario tag ships, then the default scenario plays and webhooks arrive on the ghn path', async () => {
    const code = orderCode('GHN');
    const { trackingCode } = await adapters.ghn!.createShipment(shipmentRequest(code, { note: 'Giao giờ hành chính' }));
    const events = await receiver.waitFor(trackingCode, untilFinal);
    expect(states(events)).toEqual(['created', 'picking', 'picked', 'in_transit', 'delivering', 'delivered']);
    expect(events[0]!.courier).toBe('ghn');
    expect((await simShipmentsOf(sim, code))[0]).toMatchObject({ webhookPath: 'ghn', scenario: 'normal' });
  });
});

describe('Scenarios through GHTK (form-encoded webhooks)', () => {
  test.each<[string, ShipmentState[], string[]]>([
    ['normal', ['created', 'picking', 'picked', 'delivering', 'delivered'], ['2', '12', '3', '4', '5']],
    ['late', ['created', 'picking', 'picked', 'delivering', 'delivered'], ['2', '12', '3', '4', '5']],
    [
      'fail-then-deliver',
      ['created', 'picking', 'picked', 'delivering', 'delivering', 'delivering', 'delivered'],
      ['2', '12', '3', '4', '10', '4', '5'],
    ],
    [
      'return',
      ['created', 'picking', 'picked', 'delivering', 'delivery_failed', 'returning', 'returned'],
      ['2', '12', '3', '4', '9', '20', '21'],
    ],
    ['lost', ['created', 'picking', 'picked', 'lost'], ['2', '12', '3', '13']],
  ])('When an order tagged [sim:%s] ships, then its webhooks bring the states in order', async (scenario, expected, raw) => {
    const { trackingCode, code, events } = await play('ghtk', scenario);
    expect(states(events)).toEqual(expected);
    expect(events.map((e) => e.rawStatus)).toEqual(raw);
    expect(events.every((e) => e.courier === 'ghtk' && e.orderCode === code && e.trackingCode === trackingCode)).toBe(true);
  });

  test('When a GHTK parcel comes back, then the failed delivery carries GHTK’s reason code and text', async () => {
    const { events } = await play('ghtk', 'return');
    expect(events.find((e) => e.rawStatus === '9')).toMatchObject({
      reasonCode: '130',
      reason: 'Người nhận không đồng ý nhận sản phẩm',
      codAmount: 320000,
    });
  });

  test('When a GHTK scenario has ended, then polling the status gives the same event (same key) as the last webhook', async () => {
    const { trackingCode, code, events } = await play('ghtk', 'normal');
    const polled = await adapters.ghtk!.getStatus(trackingCode, code);
    expect(polled.eventKey).toBe(events[events.length - 1]!.eventKey);
  });
});

describe('Partial delivery ([sim:partial-return]) in each courier’s shape', () => {
  // Two lines: the customer keeps the shoes (320,000) and sends back the socks (2 × 40,000 = 80,000);
  // the courier collects COD 400,000 − 80,000 = 320,000 for the part kept.
  const twoLines = {
    codAmount: 400000,
    value: 400000,
    items: [
      { name: 'Giày thể thao', sku: 'GTT-42', qty: 1, price: 320000 },
      { name: 'Tất', sku: 'TAT-01', qty: 2, price: 40000 },
    ],
  };

  test.each<[string, string[], Record<string, unknown>]>([
    [
      'simulator',
      ['ready_to_pick', 'picking', 'picked', 'transporting', 'delivering', 'delivered'],
      { code: expect.stringMatching(/^L[A-Z0-9]{7}$/), deliveredValue: 320000 },
    ],
    ['ghtk', ['2', '12', '3', '4', '5'], { deliveredValue: 320000 }],
  ])(
    'When a parcel through %s is delivered in part, then only the delivered report carries the partial facts and the COD collected',
    async (courier, raw, partial) => {
      const code = orderCode(courier.toUpperCase());
      const { trackingCode } = await adapters[courier]!.createShipment(
        shipmentRequest(code, { ...twoLines, note: '[sim:partial-return]' }),
      );
      const events = await receiver.waitFor(trackingCode, untilFinal);
      expect(events.map((e) => e.rawStatus)).toEqual(raw);
      const last = events[events.length - 1]!;
      expect(last).toMatchObject({ state: 'delivered', codAmount: 320000, partial });
      expect(events.slice(0, -1).every((e) => e.partial === undefined)).toBe(true);
    },
  );
});

describe('Webhook delivery', () => {
  test('When the shop’s server refuses the first webhooks (503), then the simulator retries and every state still arrives, in order', async () => {
    receiver.refuseNext(2);
    const { events } = await play('simulator', 'normal');
    expect(receiver.refused).toBeGreaterThanOrEqual(2);
    expect(states(events)).toEqual(['created', 'picking', 'picked', 'in_transit', 'delivering', 'delivered']);
  });

  test('When webhooks are signed with another secret, then the receiver rejects every one as forged', async () => {
    const impostor = await startSimulator({
      webhookUrl: receiver.url,
      secret: 'not-the-shared-secret',
      timeScale: 0.05,
      webhookAttempts: 1,
      defaultScenario: 'normal',
    });
    try {
      const forgedBefore = receiver.forged;
      const ghn = createCourierAdapters(shippedShop(), { COURIER_SIMULATOR_URL: impostor.url }).simulator!;
      const { trackingCode } = await ghn.createShipment(shipmentRequest(orderCode('FORGED'), { note: '[sim:normal]' }));
      const until = Date.now() + 10_000;
      while (receiver.forged - forgedBefore < 6 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      expect(receiver.forged - forgedBefore).toBe(6);
      expect(receiver.events.get(trackingCode)).toBeUndefined();
    } finally {
      await impostor.close();
    }
  });
});
