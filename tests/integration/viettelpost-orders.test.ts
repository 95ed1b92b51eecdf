/**
 * Viettel Post end to end on the real stack: the shop enables its Viettel Post courier, a
 * process's courier rule picks it, the worker's adapter creates the parcel on the courier
 * simulator's Viettel Post API, and the simulator's real-format webhooks (`{DATA, TOKEN}`) come
 * through the real route `POST /webhooks/couriers/viettelpost` to the order: delivered, returned,
 * failed.
 */
import { and, eq } from 'drizzle-orm';
import { courierEvents, orderEvents, shipments } from '../../db/schema';
import { createDefinitionsStore } from '../../server/shop/definitions';
import { apiClient, courierEnv, eventually, fixture, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let admin: { id: string; token: string };
let sales: { id: string; token: string };
let processName: string;
let phoneSeq = Math.floor(Math.random() * 9000);

beforeAll(async () => {
  stack = await openTestStack();
  base = await stack.startApp();
  const sim = await stack.startCourierSimulator({ timeScale: 0.3 });
  Object.assign(courierEnv, {
    VIETTELPOST_BASE_URL: sim,
    VIETTELPOST_USERNAME: '0933177454',
    VIETTELPOST_PASSWORD: 'mat-khau-thu',
    VIETTELPOST_WEBHOOK_SECRET: courierEnv.COURIER_SIM_SECRET,
    VIETTELPOST_SENDER_NAME: 'Shop Hoa Mai',
    VIETTELPOST_SENDER_PHONE: '0988777666',
    VIETTELPOST_SENDER_ADDRESS: '10 Tràng Tiền, Hoàn Kiếm, Hà Nội',
  });
  // The shop turns its Viettel Post account on (shipped disabled until its settings are there).
  const definitions = createDefinitionsStore(stack.database.db);
  const shopYaml = (await definitions.active('default-shop'))!.yaml;
  const enabled = shopYaml.replace(/(api: viettelpost\n\s+enabled: )false/, '$1true');
  expect(enabled).not.toBe(shopYaml);
  const { row } = await definitions.save({ yaml: enabled, file: 'shop.yaml', author: 'test' });
  await definitions.activate(row.name, row.version);
  await stack.startWorker();
  processName = (await stack.activateProcess(fixture('viettelpost-ship.yaml'))).name;
  admin = await stack.createStaff(['admin']);
  sales = await stack.createStaff(['sales-lead']);
}, 120_000);
afterAll(() => stack?.close());

/** A lead closed by sales, shipped with a simulator scenario. */
async function shipped(scenario: string): Promise<string> {
  phoneSeq += 1;
  const lead = await apiClient(base, admin.token).post('/api/v1/leads', {
    channel: 'facebook',
    process: processName,
    note: `[sim:${scenario}]`,
    customer: { name: `Khách ${scenario}`, phone: `0388${String(phoneSeq).padStart(6, '0')}` },
  });
  expect(lead.status).toBe(201);
  const orderId: string = lead.body.orderId;
  const task = await eventually(
    async () => (await apiClient(base, sales.token).get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks?.[0],
    20_000,
    'the closing task',
  );
  const done = await apiClient(base, sales.token).post(`/api/v1/tasks/${task.id}/complete`, {
    outcome: 'closed',
    data: {
      items: [{ sku: 'VTP-TEE', name: 'Áo thun', qty: 2, price: 160_000 }],
      shippingAddress: { street: '12 Lý Thường Kiệt', ward: 'Phường Hàng Bài', district: 'Quận Hoàn Kiếm', province: 'Hà Nội' },
      codAmount: 320_000,
    },
  });
  expect(done.status).toBe(200);
  return orderId;
}

const resultOf = (orderId: string) => stack.temporal.workflow.getHandle(`order:${orderId}`).result();
const statusesOf = async (orderId: string) =>
  (
    await stack.database.db
      .select({ raw: courierEvents.rawStatus, state: courierEvents.state })
      .from(courierEvents)
      .where(eq(courierEvents.orderId, orderId))
      .orderBy(courierEvents.at, courierEvents.id)
  ).map((e) => `${e.raw}:${e.state}`);

describe('Viettel Post through the real webhook route', () => {
  test('When Viettel Post delivers, then its webhooks move the order to completed, the parcel is Viettel Post’s with its waybill', async () => {
    const orderId = await shipped('normal');
    expect(await resultOf(orderId)).toMatchObject({ result: 'completed' });
    const [shipment] = await stack.database.db.select().from(shipments).where(eq(shipments.orderId, orderId));
    expect(shipment).toMatchObject({ courier: 'viettelpost', state: 'delivered', rawStatus: '501', codAmount: 320_000 });
    expect(shipment!.trackingCode).toMatch(/^\d{11}$/);
    expect(await statusesOf(orderId)).toEqual([
      '103:created',
      '104:picking',
      '105:picked',
      '300:in_transit',
      '500:delivering',
      '501:delivered',
    ]);
  });

  test('When the receiver refuses it, then the order hears the failure (505) and goes to customer care', async () => {
    const orderId = await shipped('return');
    const task = await eventually(
      async () =>
        (await apiClient(base, admin.token).get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks?.find(
          (t: { stage: string }) => t.stage === 'call-customer',
        ),
      30_000,
      'the failed-delivery task',
    );
    expect(task).toMatchObject({ role: 'cskh' });
    const [failure] = await stack.database.db
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, 'courier_status')));
    expect(failure).toBeDefined();
    await eventually(async () => (await statusesOf(orderId)).includes('504:returned'), 30_000, 'the return webhooks');
    expect(await statusesOf(orderId)).toEqual(
      expect.arrayContaining(['505:delivery_failed', '515:returning', '502:returning', '504:returned']),
    );
  });

  test('When a delivery attempt fails and Viettel Post later delivers, then the failure (506) reaches the order first', async () => {
    const orderId = await shipped('fail-then-deliver');
    await eventually(
      async () =>
        (await apiClient(base, admin.token).get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks?.find(
          (t: { stage: string }) => t.stage === 'call-customer',
        ),
      30_000,
      'the failed-delivery task',
    );
    expect(await statusesOf(orderId)).toContain('506:delivery_failed');
  });

  test('When a Viettel Post webhook carries a wrong secret, then the route answers 401 and records nothing', async () => {
    const res = await fetch(`${base}/webhooks/couriers/viettelpost`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'guess' },
      body: JSON.stringify({
        DATA: { ORDER_NUMBER: '19999999998', ORDER_STATUS: 501, ORDER_STATUSDATE: '04/12/2026 10:00:00' },
        TOKEN: 'guess',
      }),
    });
    expect(res.status).toBe(401);
    expect(await stack.database.db.select().from(courierEvents).where(eq(courierEvents.trackingCode, '19999999998'))).toEqual([]);
  });
});
