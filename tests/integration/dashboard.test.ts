/**
 * The manager's dashboard (`GET /api/v1/dashboard`) and an order's agreed items and address
 * (`GET /api/v1/orders/{id}`) over the real HTTP app, worker, dev server, courier simulator and
 * PostgreSQL. Second-scale SLAs make a task overdue and a parcel late for real; the figures are
 * worked out by hand from the orders the test makes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { products, stockMovements } from '../../db/schema';
import { orderFacts } from '../../server/orders/orders';
import { createDefinitionsStore } from '../../server/shop/definitions';
import { expectDocumented } from '../support/documented';
import { apiClient, eventually, fixture, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let sim: string;
let shipProcess: string;
let closeProcess: string;
let admin: { id: string; token: string };
let manager: { id: string; token: string };
let marketing: { id: string; token: string };
let sales: { id: string; token: string };

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  sim = await stack.startCourierSimulator({ timeScale: 1 }); // one simulated day per second
  ({ name: shipProcess } = await stack.activateProcess(fixture('fast-ship.yaml')));
  ({ name: closeProcess } = await stack.activateProcess(fixture('fast-order.yaml')));
  [admin, manager, marketing, sales] = await Promise.all([
    stack.createStaff(['admin']),
    stack.createStaff(['manager']),
    stack.createStaff(['marketing']),
    stack.createStaff(['sales']),
  ]);
  // AO-01's catalogue name differs from the one typed on the form (the order page names it from the
  // catalogue); AO-02 is listed too, as a shop with a catalogue accepts only catalogue SKUs in task data.
  await stack.database.db.insert(products).values([
    { sku: 'AO-01', name: 'Áo thun cotton trắng', price: 150000 },
    { sku: 'AO-02', name: 'Quần jean', price: 250000 },
  ]);
  await stack.database.db.insert(stockMovements).values([
    { sku: 'AO-01', qty: 100, kind: 'receipt', reason: 'opening stock', dedupeKey: 'dash:receipt:AO-01' },
    { sku: 'AO-02', qty: 100, kind: 'receipt', reason: 'opening stock', dedupeKey: 'dash:receipt:AO-02' },
  ]);
});
afterAll(() => stack?.close());

const api = (token = admin.token) => apiClient(base, token);
let phoneSeq = 0;

async function lead(processName: string, scenario: string): Promise<string> {
  phoneSeq += 1;
  const res = await api(marketing.token).post('/api/v1/leads', {
    channel: 'facebook',
    process: processName,
    note: `[sim:${scenario}]`,
    customer: { name: `Khách ${scenario}`, phone: `0377${String(Date.now() % 100000).padStart(5, '0')}${phoneSeq}`.slice(0, 10) },
  });
  expect(res.status).toBe(201);
  return res.body.orderId as string;
}

async function openTask(orderId: string, stage: string) {
  return eventually(
    async () =>
      (await api().get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find((t: { stage: string }) => t.stage === stage),
    20_000,
    `open ${stage} task`,
  );
}

async function close(orderId: string, data: Record<string, unknown>) {
  const task = await openTask(orderId, 'close');
  const done = await api().post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'closed', data });
  expect(done.body.nextStage).toBe('ship');
}

const dashboard = async (token = manager.token) => {
  const res = await api(token).get('/api/v1/dashboard');
  expectDocumented('/api/v1/dashboard', 'get', res);
  return res;
};

describe('manager dashboard', () => {
  let delivered: string;
  let late: string;
  let waiting: string;

  test("When orders are delivered, late and waiting, then the dashboard counts them per stage, today's value, the late parcel with its rung and the overdue task with its level", async () => {
    // Delivered: 2 × 150.000 ₫. Late: 1 × 250.000 ₫, the simulator never delivers it (SLA 3 s).
    // Waiting: a lead nobody closes (its close task is due after 2 s, escalates at 2 s and 4 s).
    [delivered, late, waiting] = await Promise.all([
      lead(shipProcess, 'normal'),
      lead(shipProcess, 'manual'),
      lead(closeProcess, 'normal'),
    ]);
    await close(delivered, {
      items: [{ sku: 'AO-01', name: 'Áo thun', qty: 2, price: 150000 }],
      shippingAddress: { street: '12 Lê Lợi', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
      codAmount: 300000,
    });
    await close(late, {
      items: [{ sku: 'AO-02', name: 'Quần jean', qty: 1, price: 250000 }],
      shippingAddress: { street: '5 Hàng Bài', ward: 'Tràng Tiền', district: 'Hoàn Kiếm', province: 'Hà Nội' },
      codAmount: 250000,
    });
    await eventually(
      async () => (await api().get(`/api/v1/orders/${delivered}`)).body.status === 'completed',
      30_000,
      'the normal parcel delivered',
    );

    const body = await eventually(
      async () => {
        const res = await dashboard();
        const parcel = res.body.lateDeliveries.orders.find((o: { orderId: string }) => o.orderId === late);
        const task = res.body.overdueTasks.tasks.find((t: { subject: { id: string } }) => t.subject.id === waiting);
        return parcel?.escalationLevel === 1 && task?.escalationLevel === 2 ? res.body : undefined;
      },
      30_000,
      'the late parcel at rung 1 and the overdue task at level 2',
    );

    expect(body.scope).toBe('all');
    expect(body.timezone).toBe('Asia/Ho_Chi_Minh');
    // Open: the late order at `ship`, the waiting lead at `close`; the delivered one has ended.
    expect(body.openOrders).toBe(2);
    expect(body.ordersPerStage).toEqual(
      expect.arrayContaining([
        { stage: 'ship', title: 'Giao hàng', kind: 'courier', count: 1 },
        { stage: 'close', title: expect.any(String), kind: 'human', count: 1 },
      ]),
    );
    expect(body.ordersPerStage).toHaveLength(2);
    // Closed today: 300.000 + 250.000; delivered today: the first order's 300.000, nothing returned.
    expect(body.today.closed).toEqual({ orders: 2, value: 550000 });
    expect(body.today.delivered).toMatchObject({ revenue: 300000, orders: 1, value: 300000, returned: 0, returnedValue: 0 });
    expect(body.today.delivered.byChannel).toEqual([{ channel: 'facebook', revenue: 300000, delivered: 1, returned: 0 }]);
    // Late: SLA 3 s from the hand-over; the ladder's one rung (a CSKH follow-up, manager notified) recorded.
    expect(body.lateDeliveries.count).toBe(1);
    const parcel = body.lateDeliveries.orders[0];
    expect(parcel).toMatchObject({
      orderId: late,
      stage: 'ship',
      courier: 'simulator',
      customer: { name: 'Khách manual' },
      escalationLevel: 1,
    });
    expect(Date.parse(parcel.deliveryDueAt) - Date.parse(parcel.shippedAt)).toBe(3000);
    expect(Date.parse(parcel.deliveryDueAt)).toBeLessThan(Date.parse(body.asOf));
    // Overdue: only the waiting lead's close task (the follow-ups have no due time).
    expect(body.overdueTasks.count).toBe(1);
    expect(body.overdueTasks.tasks[0]).toMatchObject({
      stage: 'close',
      overdue: true,
      escalationLevel: 2,
      priority: 'high',
      role: 'manager',
    });
  });

  test("When the late parcel is delivered, then it leaves the late list and today's revenue grows by its value", async () => {
    const { body: order } = await api().get(`/api/v1/orders/${late}`);
    const res = await fetch(`${sim}/__sim/shipments/${order.trackingCode}/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'delivered' }),
    });
    expect(res.ok).toBe(true);
    await eventually(
      async () => (await api().get(`/api/v1/orders/${late}`)).body.status === 'completed',
      30_000,
      'the late parcel delivered',
    );
    const { body } = await dashboard();
    expect(body.lateDeliveries).toEqual({ count: 0, orders: [] });
    expect(body.today.delivered).toMatchObject({ revenue: 550000, orders: 2, value: 550000 });
    expect(body.ordersPerStage).toEqual([{ stage: 'close', title: expect.any(String), kind: 'human', count: 1 }]);
  });

  test('When a sales rep (no reports.read) asks, then it is 403 in the one error shape', async () => {
    const res = await dashboard(sales.token);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  test('When a reporter of scope `own` asks, then only the orders and tasks they hold count, and nothing they did not close', async () => {
    // A role the shipped shop lacks: reads reports, sees only its own records.
    const shopYaml = fs
      .readFileSync(path.join(__dirname, '..', '..', 'definitions', 'shop.yaml'), 'utf8')
      .replace(
        /^  roles:\n/m,
        '  roles:\n    own-reporter:\n      title: "Báo cáo (chỉ của mình)"\n      permissions: [tasks.read, orders.read, reports.read]\n      scope: own\n',
      );
    const definitions = createDefinitionsStore(stack.database.db);
    const { row } = await definitions.save({ yaml: shopYaml, file: 'shop.yaml', author: 'test' });
    await definitions.activate(row.name, row.version);
    const reporter = await stack.createStaff(['own-reporter']);
    // The lead's own close task (its stage also holds the follow-up an escalation opened).
    const task = (await api().get(`/api/v1/tasks?order=${waiting}&status=open`)).body.tasks.find(
      (t: { stage: string; followUpOf: string | null }) => t.stage === 'close' && t.followUpOf === null,
    );
    // A task handed to a person goes to one of their roles: the admin moves it to the reporter's
    // (a role of the shop just activated, which the API knows once its shop cache refreshes, ~2 s).
    await eventually(
      async () => (await api().post(`/api/v1/tasks/${task.id}/reassign`, { to: reporter.id, role: 'own-reporter' })).status === 200,
      10_000,
      'the reassign to the new role',
    );

    const body = await eventually(
      async () => {
        const res = await dashboard(reporter.token); // the shop is cached for ~2 s
        return res.status === 200 ? res.body : undefined;
      },
      10_000,
      "the reporter's dashboard",
    );
    expect(body.scope).toBe('own');
    expect(body.openOrders).toBe(1);
    expect(body.ordersPerStage).toEqual([{ stage: 'close', title: expect.any(String), kind: 'human', count: 1 }]);
    expect(body.overdueTasks.count).toBe(1);
    expect(body.overdueTasks.tasks[0]).toMatchObject({ id: task.id, assigneeId: reporter.id });
    expect(body.lateDeliveries).toEqual({ count: 0, orders: [] });
    expect(body.today.closed).toEqual({ orders: 0, value: 0 });
    expect(body.today.delivered).toMatchObject({ revenue: 0, orders: 0, byChannel: [] });
  });
});

describe('order facts from step data', () => {
  test('When a shortage substitutes the items and CSKH types a new address, then the later step wins, as the workflow merges them', () => {
    const facts = orderFacts([
      {
        items: [{ sku: 'AO-01', name: 'Áo thun', qty: 2, price: 150000 }],
        shippingAddress: { street: '12 Lê Lợi', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
        codAmount: 300000,
      },
      { items: [{ sku: 'AO-03', name: 'Áo sơ mi', qty: 1, price: 320000 }], note: 'đổi mẫu' },
      { newAddress: '88 Nguyễn Huệ' },
      { restockedItems: [{ sku: 'AO-03', qty: 1 }] },
    ]);
    expect(facts.items).toEqual([{ sku: 'AO-03', name: 'Áo sơ mi', qty: 1, price: 320000, amount: 320000 }]);
    expect(facts.shippingAddress).toEqual({
      street: '88 Nguyễn Huệ',
      ward: 'Bến Nghé',
      district: null,
      province: 'Hồ Chí Minh',
      text: '88 Nguyễn Huệ, Bến Nghé, Hồ Chí Minh',
    });
    expect(orderFacts([{ codAmount: 1 }, { items: 'not a list' }])).toEqual({ items: [], shippingAddress: null });
  });
});

describe('order details', () => {
  test('When an order is closed, then its page lists the agreed items (catalogue names for catalogue SKUs) and the shipping address', async () => {
    const orderId = await lead(shipProcess, 'manual');
    await openTask(orderId, 'close'); // the workflow has written the order's row by then
    const before = await api().get(`/api/v1/orders/${orderId}`);
    expectDocumented('/api/v1/orders/{id}', 'get', before);
    expect(before.body).toMatchObject({ items: [], shippingAddress: null });

    await close(orderId, {
      items: [
        { sku: 'AO-01', name: 'Áo thun', qty: 2, price: 150000 },
        { sku: 'AO-02', name: 'Quần jean', qty: 1, price: 250000 },
      ],
      shippingAddress: { street: '12 Lê Lợi', ward: 'Bến Nghé', district: 'Quận 1', province: 'Hồ Chí Minh' },
      codAmount: 550000,
    });
    const after = await api().get(`/api/v1/orders/${orderId}`);
    expectDocumented('/api/v1/orders/{id}', 'get', after);
    expect(after.body.items).toEqual([
      { sku: 'AO-01', name: 'Áo thun cotton trắng', qty: 2, price: 150000, amount: 300000 },
      { sku: 'AO-02', name: 'Quần jean', qty: 1, price: 250000, amount: 250000 },
    ]);
    expect(after.body.shippingAddress).toEqual({
      street: '12 Lê Lợi',
      ward: 'Bến Nghé',
      district: 'Quận 1',
      province: 'Hồ Chí Minh',
      text: '12 Lê Lợi, Bến Nghé, Quận 1, Hồ Chí Minh',
    });
  });
});
