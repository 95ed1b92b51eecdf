/**
 * Human words on the real stack: a refused value keeps its machine path and says in Vietnamese
 * (English on request) what a clerk must fix, and an order names its stages and outcomes by their
 * titles, so the console never shows an id.
 */
import { expectDocumented } from '../support/documented';
import { apiClient, eventually, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
});
afterAll(async () => {
  await stack?.close();
});

test('When a rep closes a lead with a bad phone, then the 422 says "Số điện thoại không hợp lệ" at data.phone (English with Accept-Language: en), and the order names its stages and outcomes by title', async () => {
  const rep = await stack.createStaff(['sales', 'manager'], { name: 'Phạm Minh Anh', channels: ['facebook'] });
  const api = apiClient(base, rep.token);

  // A lead's phone that is not a Vietnamese number: the clerk's sentence at customer.phone.
  const badLead = await api.post('/api/v1/leads', {
    channel: 'facebook',
    process: 'standard-order',
    customer: { name: 'Lan', phone: '12-34-56-78' },
  });
  expect(badLead.status).toBe(422);
  expect(badLead.body.error.details.fields).toEqual([
    { field: 'customer.phone', message: 'Số điện thoại không hợp lệ (ví dụ 0912 345 678)' },
  ]);

  const lead = await api.post('/api/v1/leads', {
    channel: 'facebook',
    process: 'standard-order',
    customer: { name: 'Lê Thị Mua', phone: '0912 000 444' },
  });
  expect(lead.status).toBe(201);
  const orderId = lead.body.orderId as string;
  const task = await eventually(
    async () => (await api.get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks[0],
    30_000,
    'the close task',
  );

  const data = { customerName: 'Lê Thị Mua', phone: '12345', items: [{ sku: 'X', name: 'X', qty: 0, price: 1000 }] };
  const vi = await api.post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'closed', data });
  expect(vi.status).toBe(422);
  const fields = Object.fromEntries(
    (vi.body.error.details.fields as Array<{ field: string; message: string }>).map((f) => [f.field, f.message]),
  );
  expect(fields['data.phone']).toBe('Số điện thoại không hợp lệ (ví dụ 0912 345 678)');
  expect(fields['data.items[0].qty']).toMatch(/^«.+» phải từ 1 trở lên$/);
  expect(fields['data.shippingAddress']).toMatch(/^Cần điền «.+»$/);
  // No regex, JSON pointer or key name reaches the clerk.
  expect(Object.values(fields).join(' ')).not.toMatch(/must match|missing required key|\^\(0|customerName|shippingAddress/);

  const en = await api.post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'closed', data }, { 'accept-language': 'en' });
  expect(en.status).toBe(422);
  expect(en.body.error.details.fields).toEqual(
    expect.arrayContaining([{ field: 'data.phone', message: 'Not a valid phone number (e.g. 0912 345 678)' }]),
  );

  const order = await api.get(`/api/v1/orders/${orderId}`);
  expectDocumented('/api/v1/orders/{id}', 'get', order);
  expect(order.status).toBe(200);
  expect(order.body.stages.close).toBe('Chốt đơn');
  expect(order.body.stages[order.body.current.stage]).toBe(order.body.current.title);
  expect(order.body.outcomes.close).toEqual(expect.objectContaining({ closed: 'Đã chốt đơn', lost: 'Khách không mua' }));
});
