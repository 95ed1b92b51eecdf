/**
 * When a courier's webhooks never arrive, the order asks the courier itself after
 * COURIER_POLL_AFTER of silence, and still completes on delivery.
 */
import { and, eq } from 'drizzle-orm';
import { courierEvents, customers } from '../../db/schema';
import { apiClient, eventually, fixture, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let admin: { id: string; token: string };

beforeAll(async () => {
  stack = await openTestStack({ COURIER_POLL_AFTER: '1s' });
  await stack.startWorker();
  base = await stack.startApp();
  // Webhooks go to a closed port: the simulator's news can only be had by asking it.
  await stack.startCourierSimulator({ timeScale: 0.5, webhookUrl: 'http://127.0.0.1:9/webhooks/couriers' });
  admin = await stack.createStaff(['admin']);
});
afterAll(() => stack?.close());

test('When no webhook arrives, then the courier is polled after the quiet period and the order completes', async () => {
  const { name } = await stack.activateProcess(fixture('fast-ship.yaml'));
  const api = apiClient(base, admin.token);
  const lead = await api.post('/api/v1/leads', {
    channel: 'zalo',
    process: name,
    note: '[sim:normal]',
    customer: { name: 'Khách im lặng', phone: '0399123456' },
  });
  const orderId = lead.body.orderId;
  const task = await eventually(
    async () => (await api.get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks[0],
    20_000,
    'close task',
  );
  await api.post(`/api/v1/tasks/${task.id}/complete`, {
    outcome: 'closed',
    data: {
      items: [{ sku: 'X', name: 'X', qty: 1, price: 100000 }],
      shippingAddress: { street: '1', ward: 'W', province: 'Hà Nội' },
      codAmount: 100000,
    },
  });
  const result = await stack.temporal.workflow.getHandle(`order:${orderId}`).result();
  expect(result).toMatchObject({ result: 'completed', shipment: { state: 'delivered' } });
  const polled = await stack.database.db
    .select()
    .from(courierEvents)
    .where(and(eq(courierEvents.orderId, orderId), eq(courierEvents.via, 'poll')));
  expect(polled.map((e) => e.rawStatus)).toContain('delivered');
  expect(
    await stack.database.db
      .select()
      .from(courierEvents)
      .where(and(eq(courierEvents.orderId, orderId), eq(courierEvents.via, 'webhook'))),
  ).toHaveLength(0);
});

test('When the same lead is retried with an Idempotency-Key, then one order exists; a returning customer is matched by phone and their history shows on the task', async () => {
  const { name } = await stack.activateProcess(fixture('fast-order.yaml'));
  const marketing = await stack.createStaff(['marketing']);
  const api = apiClient(base, marketing.token);
  const body = { channel: 'facebook', process: name, customer: { name: 'Hoàng Văn E', phone: '0912.777.888' } };
  const first = await api.post('/api/v1/leads', body, { 'Idempotency-Key': 'fb-msg-42' });
  const retry = await api.post('/api/v1/leads', body, { 'Idempotency-Key': 'fb-msg-42' });
  expect(first.status).toBe(201);
  expect(retry).toMatchObject({ status: 200, body: { orderId: first.body.orderId, created: false } });
  // The lead's answer does not wait for the workflow: wait for the first order's task (its order row
  // is written by then), so the second lead's history counts it. Marketing may not read tasks.
  await eventually(
    async () => (await apiClient(base, admin.token).get(first.body.firstTask.href)).body.tasks?.[0],
    20_000,
    'the first order’s task',
  );

  const second = await api.post('/api/v1/leads', { ...body, customer: { name: 'Hoàng Văn E', phone: '+84 912 777 888' } });
  expect(second.status).toBe(201);
  expect(second.body.orderId).not.toBe(first.body.orderId);
  expect(await stack.database.db.select().from(customers).where(eq(customers.phone, '0912777888'))).toHaveLength(1);
  const task = await eventually(
    async () => (await apiClient(base, admin.token).get(`/api/v1/tasks?order=${second.body.orderId}`)).body.tasks[0],
    20_000,
    'task',
  );
  expect(task.subject.customerHistory).toEqual({ orders: 1, delivered: 0, returned: 0, returnRate: 0 });
  const bad = await api.post('/api/v1/leads', { ...body, customer: { name: 'X', phone: '123456789' }, channel: 'myspace' });
  expect(bad.status).toBe(422);
  expect(bad.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['channel', 'customer.phone']);
});
