/**
 * Tasks carry what the person needs, on the real stack (dev server, PostgreSQL, HTTP app, courier
 * simulator) with the shipped order and complaint processes: the confirm task shows the items
 * (line totals), address, fee and COD; the close form's fee comes from shop.yaml's shippingFee; a
 * new address ticked on the confirm task is required, becomes the order's address and reaches the
 * packer; the failed-delivery task shows the courier's reason and, once the parcel is reported
 * returned, suggests "Hoàn hàng" (never "Giao lại"); the refund task shows the amount, method and
 * bank account CSKH entered; the dashboard's KPI block and its "today" card agree after a delivery.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import { orderEvents, products, stockMovements } from '../../db/schema';
import { apiClient, eventually, fixture, openTestStack, shippedKpiPlan, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let orderProcess: string;
let fastShip: string;
let admin: { id: string; token: string };
let customerSeq = 0;

const shipped = (file: string) => readFileSync(join(__dirname, '../../definitions/processes', file), 'utf8');
const api = () => apiClient(base, admin.token);
type Entry = { fact: string; shape: string; value: unknown };
const fact = (detail: { context: Entry[] }, name: string) => detail.context.find((e) => e.fact === name)?.value;

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  await stack.startCourierSimulator({ timeScale: 1 }); // one simulated day per second
  ({ name: orderProcess } = await stack.activateProcess(shipped('order.yaml')));
  ({ name: fastShip } = await stack.activateProcess(fixture('fast-ship.yaml')));
  admin = await stack.createStaff(['admin']);
  await stack.database.db.insert(products).values([
    { sku: 'AO-DO-M', name: 'Áo thun Đỏ size M', price: 175000 },
    { sku: 'QUAN-30', name: 'Quần jean 30', price: 350000 },
  ]);
  await stack.database.db.insert(stockMovements).values([
    { sku: 'AO-DO-M', qty: 100, kind: 'receipt', reason: 'opening stock', dedupeKey: 'ctx:receipt:AO-DO-M' },
    { sku: 'QUAN-30', qty: 100, kind: 'receipt', reason: 'opening stock', dedupeKey: 'ctx:receipt:QUAN-30' },
  ]);
}, 120_000);
afterAll(() => stack?.close());

async function lead(processName: string, note: string): Promise<string> {
  customerSeq += 1;
  const res = await api().post('/api/v1/leads', {
    channel: 'facebook',
    process: processName,
    note,
    customer: {
      name: `Nguyễn Thị Ngữ Cảnh ${customerSeq}`,
      phone: `0378${String(Date.now() % 100000).padStart(5, '0')}${customerSeq}`.slice(0, 10),
    },
  });
  expect(res.status).toBe(201);
  return res.body.orderId as string;
}

async function openTask(orderId: string, stage: string, timeoutMs = 40_000) {
  const task = await eventually(
    async () =>
      (await api().get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks?.find((t: { stage: string }) => t.stage === stage),
    timeoutMs,
    `open ${stage} task of ${orderId}`,
  );
  const detail = await api().get(`/api/v1/tasks/${task.id}`);
  expect(detail.status).toBe(200);
  return detail.body;
}

const items = [
  { sku: 'AO-DO-M', name: 'Áo thun Đỏ size M', qty: 2, price: 175000 },
  { sku: 'QUAN-30', name: 'Quần jean 30', qty: 1, price: 350000 },
];
const hanoi = { street: '5 Hàng Bài', ward: 'Phường Hoàn Kiếm', province: 'Hà Nội' };
const saigon = { street: '12 Lê Lợi', ward: 'Phường Sài Gòn', province: 'Hồ Chí Minh' };

describe('the shipped order process', () => {
  let orderId: string;

  test('When a rep closes without typing the fee, then the shop rule computes it (Hà Nội 25.000 ₫) and the confirm task shows the items with line totals, the address, fee and COD, preselecting "Khách xác nhận"', async () => {
    orderId = await lead(orderProcess, 'Giao giờ hành chính [sim:return]');
    const close = await openTask(orderId, 'close');
    expect(close.shippingFee).toMatchObject({ flat: 35000, provinces: { 'Hà Nội': 25000 }, freeOver: 1000000 });
    expect(close.form.properties.shippingFee['x-shopflow']).toEqual({
      widget: 'money',
      fee: { address: 'shippingAddress', total: 'items' },
    });
    const done = await api().post(`/api/v1/tasks/${close.id}/complete`, {
      outcome: 'closed',
      data: { customerName: 'Nguyễn Thị Ngữ Cảnh', phone: '0912345678', items, shippingAddress: hanoi, codAmount: 725000 },
    });
    expect(done.status).toBe(200);
    expect(done.body.nextStage).toBe('confirm');
    const figures = await stack.database.db
      .select({ data: orderEvents.data })
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, 'order_figures_changed')))
      .orderBy(asc(orderEvents.id));
    expect(figures.map((f) => f.data)).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'shippingFee', to: 25000 })]));

    const confirm = await openTask(orderId, 'confirm');
    expect(confirm.suggestedOutcome).toBe('confirmed');
    expect(confirm.context.map((e: Entry) => e.fact)).toEqual([
      'customer.name',
      'customer.phone',
      'order.items',
      'order.shippingAddress',
      'order.shippingFee',
      'order.codAmount',
    ]);
    expect(fact(confirm, 'customer.name')).toBe('Nguyễn Thị Ngữ Cảnh');
    expect(fact(confirm, 'customer.phone')).toBe('0912345678');
    expect(fact(confirm, 'order.items')).toEqual([
      { sku: 'AO-DO-M', name: 'Áo thun Đỏ size M', qty: 2, price: 175000, lineTotal: 350000 },
      { sku: 'QUAN-30', name: 'Quần jean 30', qty: 1, price: 350000, lineTotal: 350000 },
    ]);
    expect(fact(confirm, 'order.shippingAddress')).toMatchObject({ ...hanoi, text: '5 Hàng Bài, Phường Hoàn Kiếm, Hà Nội' });
    expect(fact(confirm, 'order.shippingFee')).toBe(25000);
    expect(fact(confirm, 'order.codAmount')).toBe(725000);
    // The new address field starts from the order's address, for the picker to change.
    expect(confirm.prefill.newShippingAddress).toMatchObject(hanoi);
  }, 120_000);

  test('When CSKH ticks "Khách đổi địa chỉ", then the new address is required (422 naming it), refused without the tick, and once given it is the order\'s address the packer sees', async () => {
    const confirm = await openTask(orderId, 'confirm');
    const missing = await api().post(`/api/v1/tasks/${confirm.id}/complete`, {
      outcome: 'confirmed',
      data: { confirmedVia: 'phone', addressChanged: true },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details.fields).toEqual([
      { field: 'data.newShippingAddress', message: expect.stringContaining('addressChanged') },
    ]);
    const unticked = await api().post(`/api/v1/tasks/${confirm.id}/complete`, {
      outcome: 'confirmed',
      data: { confirmedVia: 'phone', newShippingAddress: saigon },
    });
    expect(unticked.status).toBe(422);
    expect(unticked.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['data.newShippingAddress']);

    const done = await api().post(`/api/v1/tasks/${confirm.id}/complete`, {
      outcome: 'confirmed',
      data: { confirmedVia: 'zalo', addressChanged: true, newShippingAddress: saigon },
    });
    expect(done.status).toBe(200);
    expect(done.body.nextStage).toBe('pack');
    const [changed] = await stack.database.db
      .select({ data: orderEvents.data, actor: orderEvents.actor })
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, 'order_figures_changed')))
      .orderBy(asc(orderEvents.id))
      .then((rows) =>
        rows.filter((r) => r.data?.field === 'shippingAddress' && (r.data.to as { province?: string })?.province === 'Hồ Chí Minh'),
      );
    expect(changed).toMatchObject({ actor: admin.id, data: { from: hanoi, to: saigon } });

    // The order's page says where the parcel goes now.
    const order = await api().get(`/api/v1/orders/${orderId}`);
    expect(order.body.shippingAddress).toMatchObject({ ...saigon, text: '12 Lê Lợi, Phường Sài Gòn, Hồ Chí Minh' });
    const pack = await openTask(orderId, 'pack');
    expect(fact(pack, 'order.items')).toHaveLength(2);
    expect(fact(pack, 'order.shippingAddress')).toMatchObject({ ...saigon, text: '12 Lê Lợi, Phường Sài Gòn, Hồ Chí Minh' });
    expect(fact(pack, 'customer.name')).toBe('Nguyễn Thị Ngữ Cảnh');
  }, 120_000);

  test('When the courier fails the delivery and then reports the parcel returning, then the failed-delivery task shows its reason and suggests "Hoàn hàng", not "Giao lại"', async () => {
    const pack = await openTask(orderId, 'pack');
    expect((await api().post(`/api/v1/tasks/${pack.id}/packing-override`, { reason: 'Kiểm đủ bằng mắt' })).status).toBe(201);
    const packed = await api().post(`/api/v1/tasks/${pack.id}/complete`, {
      outcome: 'packed',
      data: { weightGrams: 800, lengthCm: 30, widthCm: 20, heightCm: 10 },
    });
    expect(packed.status).toBe(200);
    const first = await openTask(orderId, 'call-customer', 60_000);
    expect(fact(first, 'shipment.reason')).toBe('Người nhận không đồng ý nhận sản phẩm');
    // Hồ Chí Minh: the new address chose the courier, named as the shop names it.
    expect(fact(first, 'shipment.courier')).toBe('Giao Hàng Nhanh (GHN)');
    const returned = await eventually(
      async () => {
        const d = (await api().get(`/api/v1/tasks/${first.id}`)).body;
        return ['returning', 'returned'].includes(String(fact(d, 'shipment.state'))) ? d : undefined;
      },
      40_000,
      'the courier to report the parcel returning',
    );
    expect(returned.suggestedOutcome).toBe('return');
    expect(returned.outcomes.map((o: { name: string }) => o.name)).toEqual(['redeliver', 'return']);
    expect(fact(returned, 'order.codAmount')).toBe(725000);
  }, 180_000);
});

describe('the refund task of a complaint', () => {
  test("When CSKH settles a complaint with a refund, then the accounting task shows the amount, the method and the bank account CSKH entered, in the form's words", async () => {
    await stack.activateProcess(shipped('complaint.yaml'));
    const customer = await api().post('/api/v1/customers', { phone: '0905 333 444', name: 'Lê Văn Hoàn' });
    expect(customer.status).toBe(201);
    const filed = await api().post('/api/v1/complaints', {
      customerId: customer.body.id,
      category: 'damaged',
      description: 'Bình gốm bị vỡ',
    });
    expect(filed.status).toBe(201);
    const complaintId = filed.body.complaintId as string;
    const intake = await openTask(complaintId, 'complaint-intake');
    const settled = await api().post(`/api/v1/tasks/${intake.id}/complete`, {
      outcome: 'refund',
      data: { summary: 'Hoàn tiền bình vỡ', amount: 250000, method: 'bank-transfer', bankAccount: 'VCB 0123456789 Lê Văn Hoàn' },
    });
    expect(settled.status).toBe(200);
    const refund = await openTask(complaintId, 'complaint-refund');
    expect(refund.role).toBe('accounting');
    expect(fact(refund, 'complaint.decision')).toEqual(
      expect.arrayContaining([
        { field: 'amount', label: 'Số tiền hoàn (VND)', value: 250000 },
        { field: 'method', label: 'Hình thức hoàn', value: 'Chuyển khoản' },
        { field: 'bankAccount', label: 'Tài khoản nhận', value: 'VCB 0123456789 Lê Văn Hoàn' },
      ]),
    );
    expect(fact(refund, 'customer.name')).toBe('Lê Văn Hoàn');
    expect(fact(refund, 'complaint.category')).toBe('Hàng bị hư hỏng, vỡ');
  }, 120_000);
});

describe('the dashboard', () => {
  test("When an order is delivered, then the KPI period's revenue and the dashboard's delivered-today card say the same amount at once", async () => {
    await stack.activateProcess(shippedKpiPlan());
    const started = await api().post('/api/v1/kpi/periods', {});
    expect([200, 201]).toContain(started.status);
    const orderId = await lead(fastShip, '[sim:normal]');
    const close = await openTask(orderId, 'close');
    const done = await api().post(`/api/v1/tasks/${close.id}/complete`, {
      outcome: 'closed',
      data: { items: [{ sku: 'QUAN-30', name: 'Quần jean 30', qty: 2, price: 350000 }], shippingAddress: saigon, codAmount: 700000 },
    });
    expect(done.status).toBe(200);
    const today = await eventually(
      async () => {
        const d = (await api().get('/api/v1/dashboard')).body;
        return d.today.delivered.revenue >= 700000 ? d.today.delivered : undefined;
      },
      60_000,
      'the delivery on the dashboard',
    );
    const kpi = await api().get('/api/v1/kpi/periods/current');
    expect(kpi.status).toBe(200);
    const revenue = kpi.body.metrics.find((m: { type: string }) => m.type === 'revenue');
    // Every order of this fresh database was delivered today, so the month so far is today.
    expect(revenue.actual).toBe(today.revenue);
    expect(Date.parse(kpi.body.actualsAt)).toBeGreaterThan(Date.now() - 60_000);
  }, 180_000);
});
