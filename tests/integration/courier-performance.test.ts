/**
 * Courier performance side by side on the real HTTP app and PostgreSQL, from parcels written
 * straight into the tables (orders of a process whose courier stage has a 48-hour calendar
 * deliverySla), so every figure is worked out by hand:
 *
 *   GHN, handed over 2026-03-02 … 03-04 (Hà Nội time):
 *     A  handed 03-02 10:00, delivered 03-03 10:00 (24 h ≤ 48 h: on time; courier promised 03-03 08:00: late),
 *        COD 500 000, remitted 03-06 10:00 → 3 days
 *     B  handed 03-02 10:00, delivered 03-05 10:00 (72 h: late; promised 03-06: kept), COD, remitted 03-06 10:00 → 1 day
 *     C  handed 03-03 10:00, returned
 *     D  handed 03-04 10:00, delivered 03-05 10:00 (24 h: on time), no COD
 *     E  cancelled (not counted)
 *     → 4 parcels, 3 delivered, on time 2/3 = 0.6667, promise kept 1/2 = 0.5, returned 1/4 = 0.25,
 *       median delivery 24 h, COD days (3 + 1) / 2 = 2 on average, median 2.
 *   GHTK: F handed 03-05 09:00, delivered 03-06 09:00 (on time), COD not yet remitted; G returning.
 *     → 2 parcels, 1 delivered, on time 1/1 = 1, returned 1/2 = 0.5, COD 1 delivered, 0 remitted.
 *   H (GHN, 03-10) is outside 03-02 … 03-08.
 */
import { codRemittanceLines, codRemittances, courierEvents, orders, shipments } from '../../db/schema';
import { apiClient, fixture, openTestStack, type TestStack } from '../support/stack';
import { expectDocumented } from '../support/documented';

const HOUR = 3_600_000;
/** 2026-03-02 00:00 in Hà Nội (UTC+7). */
const MONDAY = Date.UTC(2026, 2, 1, 17);
const at = (day: number, hour: number) => new Date(MONDAY + day * 24 * HOUR + hour * HOUR);

let stack: TestStack;
let base: string;
let manager: { id: string; token: string };

interface Parcel {
  id: string;
  courier: string;
  handed: Date;
  state: string;
  cod: number;
  delivered?: Date;
  returned?: Date;
  promised?: Date;
  remitted?: Date;
}

beforeAll(async () => {
  stack = await openTestStack();
  base = await stack.startApp();
  manager = await stack.createStaff(['manager']);
  const yaml = fixture('fast-ship.yaml')
    .replace('deliverySla: 3s', 'deliverySla: 48h\n      clock: calendar')
    .replace('after: 3s', 'after: 48h');
  const process = await stack.activateProcess(yaml);
  const parcels: Parcel[] = [
    {
      id: 'cp-a',
      courier: 'ghn',
      handed: at(0, 10),
      state: 'delivered',
      cod: 500_000,
      delivered: at(1, 10),
      promised: at(1, 8),
      remitted: at(4, 10),
    },
    {
      id: 'cp-b',
      courier: 'ghn',
      handed: at(0, 10),
      state: 'delivered',
      cod: 400_000,
      delivered: at(3, 10),
      promised: at(4, 0),
      remitted: at(4, 10),
    },
    { id: 'cp-c', courier: 'ghn', handed: at(1, 10), state: 'returned', cod: 300_000, returned: at(4, 10) },
    { id: 'cp-d', courier: 'ghn', handed: at(2, 10), state: 'delivered', cod: 0, delivered: at(3, 10) },
    { id: 'cp-e', courier: 'ghn', handed: at(2, 11), state: 'cancelled', cod: 100_000 },
    { id: 'cp-f', courier: 'ghtk', handed: at(3, 9), state: 'delivered', cod: 200_000, delivered: at(4, 9) },
    { id: 'cp-g', courier: 'ghtk', handed: at(3, 9), state: 'returning', cod: 200_000 },
    { id: 'cp-h', courier: 'ghn', handed: at(8, 9), state: 'delivered', cod: 100_000, delivered: at(9, 9) },
  ];
  const db = stack.database.db;
  const [remittance] = await db
    .insert(codRemittances)
    .values({ courier: 'ghn', reference: 'DS-2026-03-06', source: 'import', createdAt: at(5, 8) })
    .returning();
  let line = 0;
  for (const p of parcels) {
    await db.insert(orders).values({
      id: p.id,
      workflowId: `order:${p.id}`,
      channel: 'facebook',
      status: 'completed',
      stage: 'done',
      codAmount: p.cod,
      total: p.cod,
      courier: p.courier,
      definitionName: process.name,
      definitionVersion: process.version,
      createdAt: new Date(p.handed.getTime() - HOUR),
    });
    await db.insert(shipments).values({
      orderId: p.id,
      courier: p.courier,
      trackingCode: `${p.courier.toUpperCase()}-${p.id}`,
      state: p.state,
      codAmount: p.cod,
      expectedDeliveryAt: p.promised ?? null,
      createdAt: p.handed,
    });
    for (const [state, when] of [
      ['delivered', p.delivered],
      ['returned', p.returned],
    ] as const) {
      if (!when) continue;
      await db.insert(courierEvents).values({
        courier: p.courier,
        eventKey: `${p.id}:${state}`,
        orderId: p.id,
        trackingCode: `${p.courier.toUpperCase()}-${p.id}`,
        rawStatus: state,
        state,
        at: when,
        applied: true,
        signalled: true,
        via: 'webhook',
      });
    }
    if (p.remitted)
      await db.insert(codRemittanceLines).values({
        remittanceId: remittance!.id,
        lineNo: (line += 1),
        orderId: p.id,
        orderCode: p.id,
        codCollected: p.cod,
        transferredAt: p.remitted,
        dedupeKey: `cp:${p.id}`,
      });
  }
}, 120_000);
afterAll(() => stack?.close());

const report = (query: string) => apiClient(base, manager.token).get(`/api/v1/reports/couriers?${query}`);

describe('courier performance', () => {
  test('When parcels of two couriers are known, then on-time rate, return rate and COD days per courier are the hand figures', async () => {
    const res = await report('from=2026-03-02&to=2026-03-08');
    expect(res.status).toBe(200);
    expectDocumented('/api/v1/reports/couriers', 'get', res);
    expect(res.body).toMatchObject({ from: '2026-03-02', to: '2026-03-08' });
    expect(res.body.couriers).toEqual([
      {
        courier: 'ghn',
        title: 'Giao Hàng Nhanh (GHN)',
        shipments: 4,
        delivered: 3,
        withSla: 3,
        onTime: 2,
        onTimeRate: 0.6667,
        withPromise: 2,
        onPromise: 1,
        promiseRate: 0.5,
        returned: 1,
        returnRate: 0.25,
        medianDeliveryHours: 24,
        codDelivered: 2,
        codRemitted: 2,
        averageCodDays: 2,
        medianCodDays: 2,
      },
      {
        courier: 'ghtk',
        title: 'Giao Hàng Tiết Kiệm (GHTK)',
        shipments: 2,
        delivered: 1,
        withSla: 1,
        onTime: 1,
        onTimeRate: 1,
        withPromise: 0,
        onPromise: 0,
        promiseRate: null,
        returned: 1,
        returnRate: 0.5,
        medianDeliveryHours: 24,
        codDelivered: 1,
        codRemitted: 0,
        averageCodDays: null,
        medianCodDays: null,
      },
    ]);
  });

  test('When the range holds no parcels, then no courier is listed; a bad range is 400 naming the parameter', async () => {
    expect((await report('from=2026-01-01&to=2026-01-31')).body.couriers).toEqual([]);
    for (const [query, field] of [
      ['from=2026-03-40', 'from'],
      ['to=yesterday', 'to'],
      ['from=2026-03-08&to=2026-03-02', 'to'],
    ]) {
      const res = await report(query!);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.error.details.fields[0].field).toBe(field);
    }
    const packer = await stack.createStaff(['warehouse']);
    expect((await apiClient(base, packer.token).get('/api/v1/reports/couriers')).status).toBe(403);
  });
});
