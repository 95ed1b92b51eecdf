/**
 * Manual orders (phone and walk-in) and the order search, on the real stack: a seller enters an
 * order, it starts already closed by them with the catalogue's names and prices, goes on to the
 * next stage, and they can read it (scope `own`); bad fields are 422 naming the field; only
 * `orders.create` may enter one. The order list finds it by phone in any spelling, name, code.
 */
import { eq } from 'drizzle-orm';
import { orders } from '../../db/schema';
import { apiClient, eventually, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let admin: ReturnType<typeof apiClient>;
let seller: { id: string; token: string };
let phoneSeq = Math.floor(Math.random() * 9_000_000);
const newPhone = () => `0987${String(++phoneSeq).padStart(6, '0')}`;
const fieldsOf = (body: { error?: { details?: { fields?: Array<{ field: string }> } } }) =>
  body.error?.details?.fields?.map((f) => f.field) ?? [];

const order = (over: Record<string, unknown> = {}) => ({
  channel: 'website',
  customer: { name: 'Trần Thị Tại Quầy', phone: newPhone() },
  items: [
    { sku: 'MO-BINH-GOM', qty: 2 },
    { sku: 'MO-CHEN', qty: 1, price: 45_000 },
  ],
  shippingAddress: { street: '5 Lê Lợi', ward: 'Phường Bến Thành', province: 'Hồ Chí Minh' },
  payment: 'cod',
  shippingFee: 30_000,
  ...over,
});

beforeAll(async () => {
  stack = await openTestStack({ COURIERS: 'simulator' });
  await stack.startWorker();
  base = await stack.startApp();
  admin = apiClient(base, (await stack.createStaff(['admin'])).token);
  seller = await stack.createStaff(['store-sales'], { name: 'Lý Bán Quầy' });
  for (const [sku, name, price] of [
    ['MO-BINH-GOM', 'Bình gốm Bát Tràng', 250_000],
    ['MO-CHEN', 'Chén men lam', 50_000],
  ] as const) {
    expect((await admin.post('/api/v1/products', { sku, name, price })).status).toBe(201);
    expect((await admin.post('/api/v1/stock/adjustments', { sku, qty: 50, reason: 'kiểm kho đầu kỳ' })).status).toBeLessThan(300);
  }
}, 120_000);
afterAll(() => stack?.close());

test('When a store seller enters a walk-in order, then it starts closed by them with the catalogue names, the COD and the address, and they can read it', async () => {
  const api = apiClient(base, seller.token);
  const body = order();
  const res = await api.post('/api/v1/orders/manual', body);
  expect(res.status).toBe(201);
  const id = res.body.orderId as string;
  expect(res.body).toMatchObject({ created: true, href: `/api/v1/orders/${id}` });

  const detail = await eventually(
    async () => {
      const r = await api.get(`/api/v1/orders/${id}`);
      return r.status === 200 && r.body.stage !== 'close' && r.body.items.length > 0 ? r.body : undefined;
    },
    60_000,
    'the order past closing',
  );
  expect(detail.items).toEqual([
    { sku: 'MO-BINH-GOM', name: 'Bình gốm Bát Tràng', qty: 2, price: 250_000, amount: 500_000 },
    { sku: 'MO-CHEN', name: 'Chén men lam', qty: 1, price: 45_000, amount: 45_000 },
  ]);
  expect(detail.shippingAddress.text).toBe('5 Lê Lợi, Phường Bến Thành, Hồ Chí Minh');
  expect(detail.codAmount).toBe(575_000);
  expect(detail.customer).toMatchObject({ name: 'Trần Thị Tại Quầy', phone: body.customer.phone });
  expect(detail.channel).toBe('website');
  const [row] = await stack.database.db.select().from(orders).where(eq(orders.id, id));
  expect(row!.closedBy).toBe(seller.id);
  // No closing task was opened for it.
  const tasks = await admin.get(`/api/v1/tasks?order=${id}`);
  expect(tasks.body.tasks.map((t: { stage: string }) => t.stage)).not.toContain('close');
}, 120_000);

test('When a prepaid phone order is entered with a phone in another spelling, then nothing is collected and the phone is stored as 0xxxxxxxxx', async () => {
  const phone = newPhone();
  const spelled = `+84 ${phone.slice(1, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`;
  const res = await apiClient(base, seller.token).post(
    '/api/v1/orders/manual',
    order({ channel: 'zalo', payment: 'prepaid', customer: { name: 'Khách Gọi Điện', phone: spelled } }),
  );
  expect(res.status).toBe(201);
  const detail = await eventually(async () => {
    const r = await admin.get(`/api/v1/orders/${res.body.orderId}`);
    return r.body.codAmount !== null && r.body.codAmount !== undefined ? r.body : undefined;
  }, 60_000);
  expect(detail.codAmount).toBe(0);
  expect(detail.customer.phone).toBe(phone);
}, 120_000);

test('When a manual order has a bad field, then the answer is 422 naming it and no order starts', async () => {
  const api = apiClient(base, seller.token);
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ items: [{ sku: 'KHONG-CO', qty: 1 }] }, 'items.0.sku'],
    [{ customer: { name: 'A', phone: '12345678' } }, 'customer.phone'],
    [{ channel: 'cho-troi' }, 'channel'],
    [{ shippingAddress: { street: '1 Hai Bà Trưng', province: 'Hà Nội' } }, 'shippingAddress.ward'],
    [{ payment: 'credit' }, 'payment'],
    [{ items: [] }, 'items'],
    [{ items: [{ sku: 'MO-CHEN', qty: 0 }] }, 'items.0.qty'],
    [{ payment: 'prepaid', codAmount: 10_000 }, 'codAmount'],
  ];
  const before = (await stack.database.db.select({ id: orders.id }).from(orders)).length;
  for (const [over, field] of cases) {
    const res = await api.post('/api/v1/orders/manual', order(over));
    expect({ over, status: res.status, fields: fieldsOf(res.body) }).toEqual({
      over,
      status: 422,
      fields: expect.arrayContaining([field]),
    });
  }
  expect((await stack.database.db.select({ id: orders.id }).from(orders)).length).toBe(before);
}, 60_000);

test('When someone without orders.create enters a manual order, then it is refused (401 without a token, 403 without the permission)', async () => {
  expect((await apiClient(base).post('/api/v1/orders/manual', order())).status).toBe(401);
  const marketing = await stack.createStaff(['marketing']);
  const res = await apiClient(base, marketing.token).post('/api/v1/orders/manual', order());
  expect(res.status).toBe(403);
});

test('When staff search orders by phone in any spelling, by part of the name or of the order code, then they find it; a search too long is 400 naming q', async () => {
  const phone = newPhone();
  const res = await apiClient(base, seller.token).post(
    '/api/v1/orders/manual',
    order({ customer: { name: 'Phùng Thị Tìm Kiếm', phone }, channel: 'facebook' }),
  );
  expect(res.status).toBe(201);
  const id = res.body.orderId as string;
  const ids = async (query: string) =>
    ((await admin.get(`/api/v1/orders?status=&${query}`)).body.orders as Array<{ id: string }>).map((o) => o.id);
  const spelled = `${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`;
  expect(await ids(`q=${encodeURIComponent(spelled)}`)).toEqual([id]);
  expect(await ids(`q=${encodeURIComponent(`+84${phone.slice(1)}`)}`)).toEqual([id]);
  expect(await ids(`q=${phone.slice(-6)}`)).toContain(id);
  expect(await ids(`q=${encodeURIComponent('tìm kiếm')}`)).toEqual([id]);
  expect(await ids(`q=${encodeURIComponent(id.slice(-8).toLowerCase())}`)).toEqual([id]);
  expect(await ids(`q=${encodeURIComponent(id)}&channel=facebook`)).toEqual([id]);
  expect(await ids(`q=${encodeURIComponent(id)}&channel=zalo`)).toEqual([]);
  expect(await ids(`q=${encodeURIComponent(id)}&courier=ghtk`)).toEqual([]);
  expect(await ids(`q=${encodeURIComponent('100%_')}`)).toEqual([]);
  // Scope own: the seller finds the orders they entered.
  const mine = await apiClient(base, seller.token).get(`/api/v1/orders?q=${phone}`);
  expect(mine.body.orders.map((o: { id: string }) => o.id)).toEqual([id]);
  const tooLong = await admin.get(`/api/v1/orders?q=${'9'.repeat(101)}`);
  expect(tooLong.status).toBe(400);
  expect(JSON.stringify(tooLong.body)).toContain('q');
}, 60_000);

test('When a role lead asks who may take an open step, then they get the active members of its role; anyone not leading it is refused', async () => {
  const member = await stack.createStaff(['cskh'], { name: 'Mai Thị Chăm Sóc' });
  const managerToken = (await stack.createStaff(['manager'])).token;
  const res = await apiClient(base, seller.token).post(
    '/api/v1/orders/manual',
    order({ customer: { name: 'Khách Mới Toanh', phone: newPhone() } }),
  );
  expect(res.status).toBe(201);
  const task = await eventually(async () => {
    const r = await admin.get(`/api/v1/tasks?order=${res.body.orderId}&status=open`);
    return (r.body.tasks as Array<{ id: string; stage: string }>).find((t) => t.stage === 'confirm');
  }, 60_000);
  const answer = await apiClient(base, managerToken).get(`/api/v1/tasks/${task.id}/assignees`);
  expect(answer.status).toBe(200);
  expect(answer.body.role).toEqual({ id: 'cskh', title: 'Chăm sóc khách hàng (CSKH)' });
  expect(answer.body.people).toContainEqual({ id: member.id, name: 'Mai Thị Chăm Sóc' });
  expect(answer.body.people.map((p: { id: string }) => p.id)).not.toContain(seller.id);
  expect(answer.body.roles.map((r: { id: string }) => r.id)).toContain('cskh');
  // What it offers, the reassign accepts.
  expect((await apiClient(base, managerToken).post(`/api/v1/tasks/${task.id}/reassign`, { to: member.id })).status).toBe(200);

  const warehouseLead = await stack.createStaff(['warehouse-lead']);
  expect((await apiClient(base, warehouseLead.token).get(`/api/v1/tasks/${task.id}/assignees`)).status).toBe(403);
  expect((await apiClient(base, member.token).get(`/api/v1/tasks/${task.id}/assignees`)).status).toBe(403);
  expect((await apiClient(base, managerToken).get('/api/v1/tasks/tsk_khong_co/assignees')).status).toBe(404);
  expect((await apiClient(base).get(`/api/v1/tasks/${task.id}/assignees`)).status).toBe(401);
}, 120_000);

test('When the console asks for the order choices, then it gets the channels and couriers with their titles', async () => {
  const res = await apiClient(base, seller.token).get('/api/v1/orders/choices');
  expect(res.status).toBe(200);
  expect(res.body.channels).toContainEqual({ id: 'website', title: 'Website' });
  expect(res.body.couriers.map((c: { id: string }) => c.id)).toContain('ghn');
  expect((await apiClient(base).get('/api/v1/orders/choices')).status).toBe(401);
});
