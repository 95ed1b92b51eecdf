/**
 * The order lifecycle end to end: leads through the real HTTP app, staff completing tasks over
 * HTTP, shipments through the courier simulator over HTTP with real-format webhooks, on the real
 * dev server and PostgreSQL. Second-scale SLAs make late deliveries escalate for real.
 */
import { and, asc, eq } from 'drizzle-orm';
import { stockLevels } from '../../db/books/stock-ledger';
import { courierEvents, customers, notifications, orderEvents, orders, shipments, stockMovements, tasks } from '../../db/schema';
import { apiClient, eventually, fixture, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let sim: string;
let processName: string;
let admin: { id: string; token: string };
let marketing: { id: string; token: string };

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  sim = await stack.startCourierSimulator({ timeScale: 1 }); // one simulated day per second
  ({ name: processName } = await stack.activateProcess(fixture('fast-ship.yaml')));
  [admin, marketing] = await Promise.all([stack.createStaff(['admin']), stack.createStaff(['marketing'])]);
  // Goods received from a supplier, so stock levels are easy to read.
  await stack.database.db
    .insert(stockMovements)
    .values({ sku: 'AO-01', qty: 1000, kind: 'receipt', reason: 'opening stock', dedupeKey: 'test:receipt:AO-01' });
});
afterAll(() => stack?.close());

const api = () => apiClient(base, admin.token);
let phoneSeq = 0;

/** A lead, closed by sales with items, address and COD; the scenario tag goes to the courier's note. */
async function closedOrder(scenario: string, opts: { close?: boolean } = {}) {
  phoneSeq += 1;
  const lead = await apiClient(base, marketing.token).post('/api/v1/leads', {
    channel: 'facebook',
    process: processName,
    note: `[sim:${scenario}]`,
    customer: { name: `Khách ${scenario}`, phone: `0388${String(Date.now() % 100000).padStart(5, '0')}${phoneSeq}`.slice(0, 10) },
  });
  expect(lead.status).toBe(201);
  const orderId: string = lead.body.orderId;
  if (opts.close !== false) {
    const task = await openTask(orderId, 'close');
    const done = await api().post(`/api/v1/tasks/${task.id}/complete`, {
      outcome: 'closed',
      data: {
        items: [{ sku: 'AO-01', name: 'Áo thun', qty: 2, price: 150000 }],
        shippingAddress: { street: '12 Lê Lợi', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
        codAmount: 300000,
      },
    });
    expect(done.body.nextStage).toBe('ship');
  }
  return orderId;
}

async function openTask(orderId: string, stage: string) {
  return eventually(
    async () =>
      (await api().get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find((t: { stage: string }) => t.stage === stage),
    20_000,
    `open ${stage} task`,
  );
}
const finalResult = (orderId: string) => stack.temporal.workflow.getHandle(`order:${orderId}`).result();
const simShipment = async (orderId: string) => {
  const res = await fetch(`${sim}/__sim/shipments`);
  const body = (await res.json()) as
    | { shipments: Array<{ clientOrderCode: string; trackingCode?: string; orderCode?: string; createCalls?: number }> }
    | Array<{ clientOrderCode: string }>;
  const list = Array.isArray(body) ? body : body.shipments;
  return list.filter((s) => JSON.stringify(s).includes(orderId));
};

describe('order lifecycle with the courier simulator', () => {
  test('When a lead is closed and the parcel is delivered, then the order walks every stage and ends completed with its events in the database', async () => {
    const orderId = await closedOrder('normal');
    const result = await finalResult(orderId);
    expect(result).toMatchObject({ result: 'completed', stage: 'done', shipment: { courier: 'simulator', state: 'delivered' } });
    expect(result.path.map((v: { stage: string; outcome?: string }) => [v.stage, v.outcome])).toEqual([
      ['close', 'closed'],
      ['ship', 'delivered'],
      ['done', undefined],
    ]);

    const [order] = await stack.database.db.select().from(orders).where(eq(orders.id, orderId));
    expect(order).toMatchObject({ status: 'completed', stage: 'done', total: 300000, codAmount: 300000, courier: 'simulator' });
    expect(order!.trackingCode).toBeTruthy();
    const [customer] = await stack.database.db.select().from(customers).where(eq(customers.id, order!.customerId!));
    expect(customer!.phone).toBe(order!.customerPhone);
    const [shipment] = await stack.database.db.select().from(shipments).where(eq(shipments.orderId, orderId));
    expect(shipment).toMatchObject({ state: 'delivered', rawStatus: 'delivered', codAmount: 300000 });
    const statuses = (
      await stack.database.db
        .select()
        .from(orderEvents)
        .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, 'courier_status')))
        .orderBy(asc(orderEvents.id))
    ).map((e) => e.data!.status);
    expect(statuses).toEqual(['ready_to_pick', 'picking', 'picked', 'transporting', 'delivering', 'delivered']);

    const detail = await api().get(`/api/v1/orders/${orderId}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      id: orderId,
      status: 'completed',
      shipment: { courier: 'simulator', state: 'delivered' },
      current: { stage: 'done', result: 'completed' },
    });
    expect(detail.body.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['opened', 'task_completed', 'shipment_created', 'courier_status', 'order_ended']),
    );
    const list = await api().get(`/api/v1/orders?status=completed&channel=facebook`);
    expect(list.body.orders.map((o: { id: string }) => o.id)).toContain(orderId);

    // Stock: reserved when the items were agreed, issued (and the reservation released) at hand-over.
    const moves = await stack.database.db
      .select()
      .from(stockMovements)
      .where(eq(stockMovements.orderId, orderId))
      .orderBy(asc(stockMovements.id));
    expect(moves.map((m) => [m.kind, m.sku, m.qty])).toEqual([
      ['reserve', 'AO-01', 2],
      ['issue', 'AO-01', -2],
      ['release', 'AO-01', -2],
    ]);
  });

  test('When the delivery SLA passes without delivery, then the late-delivery escalation fires by itself and the order still completes on delivery', async () => {
    const orderId = await closedOrder('late'); // delivered on simulated day 5 = 5 s; SLA 3 s
    const followUp = await openTask(orderId, 'ship');
    expect(followUp).toMatchObject({ title: 'Đơn giao trễ — liên hệ khách và hãng vận chuyển', role: 'cskh' });
    const [note] = await stack.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.subjectId, orderId), eq(notifications.kind, 'escalation')));
    expect(note!.roles).toEqual(['manager']);
    expect(note!.message).toMatch(/trễ hạn/);
    expect(note!.link).toBe(`/orders/${orderId}`);
    const result = await finalResult(orderId);
    expect(result).toMatchObject({ result: 'completed' });
    // The follow-up nobody finished is closed with the order.
    const [after] = await stack.database.db.select().from(tasks).where(eq(tasks.id, followUp.id));
    expect(after!.status).toBe('cancelled');
  });

  test('When a delivery fails and CSKH arranges a redelivery, then the order goes back to the courier and completes on delivery', async () => {
    const orderId = await closedOrder('fail-then-deliver');
    const call = await openTask(orderId, 'call-customer');
    expect(call.role).toBe('cskh');
    expect((await api().post(`/api/v1/tasks/${call.id}/complete`, { outcome: 'redeliver' })).body.nextStage).toBe('ship');
    const result = await finalResult(orderId);
    expect(result.path.map((v: { stage: string }) => v.stage)).toEqual(['close', 'ship', 'call-customer', 'ship', 'done']);
    expect(result.result).toBe('completed');
    expect(await simShipment(orderId)).toHaveLength(1); // redelivery reuses the one shipment
  });

  test('When the parcel is returned to sender, then the warehouse receives it and the order ends returned', async () => {
    const orderId = await closedOrder('return');
    const call = await openTask(orderId, 'call-customer');
    await api().post(`/api/v1/tasks/${call.id}/complete`, { outcome: 'return' });
    const receive = await openTask(orderId, 'receive-return');
    expect(receive.role).toBe('warehouse');
    await eventually(
      async () => (await stack.database.db.select().from(shipments).where(eq(shipments.orderId, orderId)))[0]?.state === 'returned',
      20_000,
      'shipment returned',
    );
    const before = (await stockLevels(stack.database.db, ['AO-01']))['AO-01']!;
    const received = await api().post(`/api/v1/tasks/${receive.id}/complete`, {
      outcome: 'restocked',
      data: { restockedItems: [{ sku: 'AO-01', qty: 2 }] },
    });
    expect(received.body.nextStage).toBe('returned');
    expect(await finalResult(orderId)).toMatchObject({ result: 'returned' });
    // The returned goods are back on hand; nothing of this order stays reserved.
    const after = (await stockLevels(stack.database.db, ['AO-01']))['AO-01']!;
    expect(after.onHand - before.onHand).toBe(2);
    const net = await stack.database.db.select().from(stockMovements).where(eq(stockMovements.orderId, orderId));
    expect(net.filter((m) => m.kind === 'reserve' || m.kind === 'release').reduce((sum, m) => sum + m.qty, 0)).toBe(0);
    expect(net.filter((m) => ['issue', 'restock'].includes(m.kind)).reduce((sum, m) => sum + m.qty, 0)).toBe(0);
    const [order] = await stack.database.db.select().from(orders).where(eq(orders.id, orderId));
    expect(order!.status).toBe('returned');
  });

  test('When an order is cancelled before hand-over, after hand-over, or after pick-up, then it is cancelled, cancelled at the courier, or refused', async () => {
    const early = await closedOrder('manual', { close: false });
    await openTask(early, 'close');
    const before = await api().post(`/api/v1/orders/${early}/cancel`, { reason: 'khách đổi ý' });
    expect(before).toMatchObject({ status: 200, body: { cancelled: true, status: 'cancelled' } });
    expect((await stack.database.db.select().from(tasks).where(eq(tasks.subjectId, early)))[0]!.status).toBe('cancelled');

    const handedOver = await closedOrder('manual'); // stays at ready_to_pick until told
    await eventually(
      async () => (await stack.database.db.select().from(shipments).where(eq(shipments.orderId, handedOver)))[0],
      20_000,
      'shipment',
    );
    const atCourier = await api().post(`/api/v1/orders/${handedOver}/cancel`, { reason: 'hết hàng' });
    expect(atCourier).toMatchObject({ status: 200, body: { cancelled: true } });
    expect((await stack.database.db.select().from(shipments).where(eq(shipments.orderId, handedOver)))[0]!.state).toBe('cancelled');

    const picked = await closedOrder('manual');
    const [shipment] = await eventually(
      async () => {
        const rows = await stack.database.db.select().from(shipments).where(eq(shipments.orderId, picked));
        return rows.length ? rows : undefined;
      },
      20_000,
      'shipment',
    );
    const advanced = await fetch(`${sim}/__sim/shipments/${shipment!.trackingCode}/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'picked' }),
    });
    expect(advanced.status).toBe(200);
    await eventually(
      async () => (await stack.database.db.select().from(shipments).where(eq(shipments.orderId, picked)))[0]!.state === 'picked',
      20_000,
      'picked',
    );
    const refused = await api().post(`/api/v1/orders/${picked}/cancel`, { reason: 'muộn rồi' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/cannot be cancelled/);
    expect((await api().get(`/api/v1/orders/${picked}`)).body.status).toBe('open');
    expect((await api().post(`/api/v1/orders/${early}/cancel`, { reason: 'again' })).status).toBe(409);
  });

  test('When webhooks arrive twice, out of order, forged or with an unknown status, then duplicates are ignored, old news never moves the shipment back, forgeries are refused and unknowns are recorded and alerted', async () => {
    const orderId = await closedOrder('manual');
    const [shipment] = await eventually(
      async () => {
        const rows = await stack.database.db.select().from(shipments).where(eq(shipments.orderId, orderId));
        return rows.length ? rows : undefined;
      },
      20_000,
      'shipment',
    );
    const secret = (await import('../support/stack')).courierEnv.COURIER_SIM_SECRET!;
    const hook = (body: Record<string, unknown>, token = secret) =>
      fetch(`${base}/webhooks/couriers/simulator`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', Token: token },
        body: JSON.stringify(body),
      });
    const event = (status: string, time: string) => ({
      Type: 'switch_status',
      OrderCode: shipment!.trackingCode,
      ClientOrderCode: orderId,
      Status: status,
      Time: time,
      CODAmount: 300000,
    });

    const delivering = event('delivering', '2030-01-01T10:00:00+07:00');
    expect((await hook(delivering)).status).toBe(200);
    const again = await hook(delivering);
    expect(await again.json()).toMatchObject({ duplicates: 1, applied: 0 });
    const stale = await hook(event('picked', '2030-01-01T08:00:00+07:00'));
    expect(await stale.json()).toMatchObject({ applied: 0 });
    expect((await stack.database.db.select().from(shipments).where(eq(shipments.orderId, orderId)))[0]!.state).toBe('delivering');

    const forged = await hook(event('delivered', '2030-01-01T11:00:00+07:00'), 'wrong-secret');
    expect(forged.status).toBe(401);
    expect(
      await stack.database.db
        .select()
        .from(courierEvents)
        .where(and(eq(courierEvents.orderId, orderId), eq(courierEvents.rawStatus, 'delivered'))),
    ).toHaveLength(0);

    expect((await hook(event('teleported', '2030-01-01T12:00:00+07:00'))).status).toBe(200);
    const [unknown] = await stack.database.db
      .select()
      .from(courierEvents)
      .where(and(eq(courierEvents.orderId, orderId), eq(courierEvents.rawStatus, 'teleported')));
    expect(unknown).toMatchObject({ state: 'unknown', applied: false });
    const alerts = await stack.database.db.select().from(notifications).where(eq(notifications.subjectId, orderId));
    expect(alerts.map((a) => a.message).join('\n')).toMatch(/unknown status "teleported"/);
    expect((await stack.database.db.select().from(shipments).where(eq(shipments.orderId, orderId)))[0]!.state).toBe('delivering');

    expect((await hook(event('delivered', '2030-01-01T13:00:00+07:00'))).status).toBe(200);
    expect(await finalResult(orderId)).toMatchObject({ result: 'completed' });
  });

  test('When the courier answers 500 to the first creation attempts, then the activity retries and exactly one shipment exists', async () => {
    const faults = await fetch(`${sim}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ createFailures: 2, status: 500 }),
    });
    expect(faults.status).toBe(200);
    const orderId = await closedOrder('normal');
    expect(await finalResult(orderId)).toMatchObject({ result: 'completed' });
    const atCourier = await simShipment(orderId);
    expect(atCourier).toHaveLength(1);
    expect(await stack.database.db.select().from(shipments).where(eq(shipments.orderId, orderId))).toHaveLength(1);
  });

  test('When the courier creates the parcel but its answer never arrives (timeout), then the retry finds that parcel instead of creating a second one', async () => {
    // The simulator creates the shipment, then holds its answer past the adapter's 10 s timeout.
    const faults = await fetch(`${sim}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ createFailures: 1, timeoutMs: 12_000 }),
    });
    expect(faults.status).toBe(200);
    const orderId = await closedOrder('normal');
    expect(await finalResult(orderId)).toMatchObject({ result: 'completed' });
    expect(await simShipment(orderId)).toHaveLength(1);
    const [created] = await stack.database.db
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, 'shipment_created')));
    expect(created!.data).toMatchObject({ alreadyExisted: true });
  }, 60_000);
});
