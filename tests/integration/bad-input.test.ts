/**
 * Bad input on the real HTTP app, every route: repeated query parameters and deeply nested
 * bodies are 400 (they answered 500), ids named like Object.prototype's members are unknown ids
 * (422 naming the field, never a 500 or an order without an assignee), and an Idempotency-Key
 * reused with another body is 409 and changes nothing.
 */
import { count, eq } from 'drizzle-orm';
import { complaints, customers, orders, stockMovements } from '../../db/schema';
import { HTTP_METHODS, openApiDocument } from '../../server/http/openapi';
import { apiClient, eventually, fixture, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let admin: ReturnType<typeof apiClient>;
let adminToken: string;
let processName: string;

const PROTOTYPE_IDS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
const operations = Object.entries(openApiDocument.paths).flatMap(([path, item]) =>
  HTTP_METHODS.filter((m) => item[m]).map((m) => ({ method: m.toUpperCase(), path })),
);
const concrete = (path: string) => path.replace(/\{\w+\}/g, 'x1');
const fieldsOf = (body: { error?: { details?: { fields?: Array<{ field: string }> } } }) =>
  body.error?.details?.fields?.map((f) => f.field);

beforeAll(async () => {
  // The customers' providers are set up, so their webhooks are live routes that must refuse bad bodies too.
  stack = await openTestStack({
    ZALO_APP_ID: 'bad-input-app',
    ZALO_OA_SECRET: 'bad-input-secret',
    SMS_MO_CPID: 'cp',
    SMS_MO_PRIVATE_KEY: 'key',
    FACEBOOK_APP_SECRET: 'bad-input-facebook-secret',
    FACEBOOK_VERIFY_TOKEN: 'bad-input-verify',
    SHOPIFY_WEBHOOK_SECRET: 'bad-input-shopify-secret',
    HARAVAN_WEBHOOK_SECRET: 'bad-input-haravan-secret',
  });
  await stack.startWorker();
  base = await stack.startApp();
  const member = await stack.createStaff(['admin']);
  adminToken = member.token;
  admin = apiClient(base, adminToken);
  ({ name: processName } = await stack.activateProcess(fixture('fast-ship.yaml')));
  await stack.activateProcess(fixture('complaint-fast.yaml'));
}, 120_000);
afterAll(() => stack?.close());

describe('repeated query parameters', () => {
  test('When a query parameter is repeated on any route of the OpenAPI document, then it is 400 naming the parameter', async () => {
    const answers: string[] = [];
    for (const { method, path } of operations) {
      const res = await fetch(`${base}${concrete(path)}?q=a&q=b&limit=1`, { method, headers: { authorization: `Bearer ${adminToken}` } });
      const body = (await res.json()) as { error?: { message: string; details?: { fields?: Array<{ field: string }> } } };
      answers.push(`${method} ${path} → ${res.status} ${fieldsOf(body)?.join(',')}`);
    }
    expect(answers).toEqual(operations.map(({ method, path }) => `${method} ${path} → 400 q`));
  }, 120_000);

  test('When /customers?q= or /stock/levels?sku= is given twice, then the answer is 400 in the one error shape; once, 200', async () => {
    const customersTwice = await admin.get('/api/v1/customers?q=a&q=b');
    expect(customersTwice).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request', message: expect.stringContaining('"q"') } },
    });
    const skuTwice = await admin.get('/api/v1/stock/levels?sku=a&sku=b');
    expect(skuTwice).toMatchObject({ status: 400, body: { error: { code: 'bad_request', message: expect.stringContaining('"sku"') } } });
    expect((await admin.get('/api/v1/customers?q=a')).status).toBe(200);
    expect((await admin.get('/api/v1/stock/levels?sku=a')).status).toBe(200);
  });
});

describe('deeply nested bodies', () => {
  const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
  const deepObject = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;

  test('When 5,000 nested arrays or objects are sent to any write route, then it is 400 "body nested too deeply", nothing changes', async () => {
    const before = (await stack.database.db.select({ n: count() }).from(orders))[0]!.n;
    const answers: string[] = [];
    for (const { method, path } of operations.filter((o) => o.method !== 'GET')) {
      for (const body of [deep, deepObject]) {
        const res = await fetch(`${base}${concrete(path)}`, {
          method,
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          body,
        });
        const answer = (await res.json()) as { error?: { message: string } };
        answers.push(`${method} ${path} → ${res.status} ${answer.error?.message.startsWith('body nested too deeply')}`);
      }
    }
    expect(answers).toEqual(
      operations
        .filter((o) => o.method !== 'GET')
        .flatMap(({ method, path }) => [`${method} ${path} → 400 true`, `${method} ${path} → 400 true`]),
    );
    expect((await stack.database.db.select({ n: count() }).from(orders))[0]!.n).toBe(before);
  }, 120_000);

  test('When a courier webhook body nests 5,000 deep, then it is 400 too; a body of ordinary depth is not refused for its depth', async () => {
    for (const courier of ['ghn', 'ghtk', 'simulator']) {
      const res = await fetch(`${base}/webhooks/couriers/${courier}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: deepObject,
      });
      expect({ courier, status: res.status, message: ((await res.json()) as { error: { message: string } }).error.message }).toEqual({
        courier,
        status: 400,
        message: expect.stringMatching(/^body nested too deeply/),
      });
    }
    const lead = await admin.post('/api/v1/leads', {
      channel: 'website',
      process: processName,
      note: 'bình thường',
      customer: { name: 'Khách sâu', phone: '0912000111' },
    });
    expect(lead.status).toBe(201);
    // Its order row is written by the workflow: wait for it here, not in the next tests' counts.
    await firstTaskOf(lead.body);
  });
});

describe('ids named like the object prototype', () => {
  test.each(PROTOTYPE_IDS)(
    'When "%s" is a lead’s channel, a staff member’s role or channel, a customer’s channel, a courier or a warehouse, then each is 422 at its field',
    async (id) => {
      const ordersBefore = (await stack.database.db.select({ n: count() }).from(orders))[0]!.n;
      const lead = await admin.post('/api/v1/leads', {
        channel: id,
        process: processName,
        customer: { name: 'Khách', phone: '0912000222' },
      });
      expect({ status: lead.status, fields: fieldsOf(lead.body) }).toEqual({ status: 422, fields: ['channel'] });
      expect((await stack.database.db.select({ n: count() }).from(orders))[0]!.n).toBe(ordersBefore);

      const role = await admin.post('/api/v1/staff', { name: 'Lạ', roles: [id] });
      expect({ status: role.status, fields: fieldsOf(role.body) }).toEqual({ status: 422, fields: ['roles.0'] });
      const channel = await admin.post('/api/v1/staff', { name: 'Lạ', roles: ['sales'], channels: [id] });
      expect({ status: channel.status, fields: fieldsOf(channel.body) }).toEqual({ status: 422, fields: ['channels.0'] });
      const customer = await admin.post('/api/v1/customers', { name: 'Lạ', phone: '0912000333', channel: id });
      expect({ status: customer.status, fields: fieldsOf(customer.body) }).toEqual({ status: 422, fields: ['channel'] });
      const remittance = await admin.post('/api/v1/cod/remittances', {
        courier: id,
        reference: `R-${id}`,
        lines: [{ orderCode: 'X', codCollected: 1, fee: 0 }],
      });
      expect({ status: remittance.status, fields: fieldsOf(remittance.body) }).toEqual({ status: 422, fields: ['courier'] });
      const adjustment = await admin.post('/api/v1/stock/adjustments', { sku: 'NO-SUCH', qty: 1, reason: 'kiểm kê', warehouse: id });
      expect(adjustment.status).toBe(422);
      const levels = await admin.get(`/api/v1/stock/levels?sku=${encodeURIComponent(id)}`);
      expect(levels.status).toBe(200);
      const webhook = await fetch(`${base}/webhooks/couriers/${encodeURIComponent(id)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(webhook.status).toBe(404);
    },
  );

  test('When a task is reassigned to "constructor", then it is 422 at `to`, and the task keeps its role', async () => {
    const lead = await admin.post('/api/v1/leads', {
      channel: 'website',
      process: processName,
      customer: { name: 'Khách giao lại', phone: '0912000444' },
    });
    expect(lead.status).toBe(201);
    const task = await (async () => {
      for (let i = 0; i < 100; i++) {
        const found = (await admin.get(`/api/v1/tasks?order=${lead.body.orderId}`)).body.tasks?.[0];
        if (found) return found;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('no task for the lead');
    })();
    for (const id of PROTOTYPE_IDS) {
      const res = await admin.post(`/api/v1/tasks/${task.id}/reassign`, { to: id });
      expect({ id, status: res.status, fields: fieldsOf(res.body) }).toEqual({ id, status: 422, fields: ['to'] });
    }
    expect((await admin.get(`/api/v1/tasks/${task.id}`)).body).toMatchObject({ role: task.role });
  }, 60_000);
});

describe('an Idempotency-Key reused with another body', () => {
  test('When POST /leads reuses a key with another customer, then it is 409 and no second customer or order exists; the same body again is the same order', async () => {
    const body = { channel: 'website', process: processName, customer: { name: 'Khách khoá', phone: '0912000555' } };
    const key = `lead-${Date.now()}`;
    const first = await admin.post('/api/v1/leads', body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    await firstTaskOf(first.body); // the workflow has written the order's row by then
    const ordersAfterFirst = (await stack.database.db.select({ n: count() }).from(orders))[0]!.n;
    const other = await admin.post(
      '/api/v1/leads',
      { ...body, customer: { name: 'Người khác', phone: '0912000666' } },
      { 'Idempotency-Key': key },
    );
    expect(other).toMatchObject({ status: 409, body: { error: { code: 'idempotency_conflict' } } });
    expect(await stack.database.db.select().from(customers).where(eq(customers.phone, '0912000666'))).toEqual([]);
    const renamed = await admin.post(
      '/api/v1/leads',
      { ...body, customer: { ...body.customer, name: 'Tên đổi' } },
      { 'Idempotency-Key': key },
    );
    expect(renamed.status).toBe(409);
    expect((await stack.database.db.select().from(customers).where(eq(customers.phone, '0912000555')))[0]!.name).toBe('Khách khoá');
    const again = await admin.post('/api/v1/leads', body, { 'Idempotency-Key': key });
    expect(again).toMatchObject({ status: 200, body: { orderId: first.body.orderId, created: false } });
    expect((await stack.database.db.select({ n: count() }).from(orders))[0]!.n).toBe(ordersAfterFirst);
    // Keys are the caller's own: another caller's same key is a new lead.
    const marketing = apiClient(base, (await stack.createStaff(['marketing'])).token);
    const theirs = await marketing.post(
      '/api/v1/leads',
      { ...body, customer: { name: 'Khách MKT', phone: '0912000777' } },
      { 'Idempotency-Key': key },
    );
    expect(theirs.status).toBe(201);
    await firstTaskOf(theirs.body);
    expect((await admin.post('/api/v1/leads', body, { 'Idempotency-Key': 'x'.repeat(201) })).status).toBe(400);
  }, 60_000);

  test('When POST /complaints reuses a key with another description, then it is 409 and files nothing; the same body again is the same complaint', async () => {
    const customer = await admin.post('/api/v1/customers', { name: 'Khách khiếu nại', phone: '0905000111' });
    expect(customer.status).toBe(201);
    const body = { customerId: customer.body.id, category: 'damaged', description: 'Vỡ khi nhận' };
    const key = `complaint-${Date.now()}`;
    const first = await admin.post('/api/v1/complaints', body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    const other = await admin.post('/api/v1/complaints', { ...body, description: 'Khác hẳn' }, { 'Idempotency-Key': key });
    expect(other).toMatchObject({ status: 409, body: { error: { code: 'idempotency_conflict' } } });
    const again = await admin.post('/api/v1/complaints', body, { 'Idempotency-Key': key });
    expect(again).toMatchObject({ status: 200, body: { complaintId: first.body.complaintId, created: false } });
    expect((await stack.database.db.select({ n: count() }).from(complaints).where(eq(complaints.customerId, customer.body.id)))[0]!.n).toBe(
      1,
    );
  }, 60_000);

  test('When POST /stock/adjustments reuses a key with another quantity, then it is 409 and one movement exists', async () => {
    expect((await admin.post('/api/v1/products', { sku: 'BI-IDEM', name: 'Sản phẩm khoá', price: 1000 })).status).toBe(201);
    const key = `adjust-${Date.now()}`;
    const body = { sku: 'BI-IDEM', qty: 3, reason: 'kiểm kê' };
    expect((await admin.post('/api/v1/stock/adjustments', body, { 'Idempotency-Key': key })).status).toBe(201);
    expect((await admin.post('/api/v1/stock/adjustments', { ...body, qty: 4 }, { 'Idempotency-Key': key })).status).toBe(409);
    const replay = await admin.post('/api/v1/stock/adjustments', body, { 'Idempotency-Key': key });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await stack.database.db.select({ n: count() }).from(stockMovements).where(eq(stockMovements.sku, 'BI-IDEM')))[0]!.n).toBe(1);
  });
});

/** The lead answer does not wait for the workflow: its first task, read where the answer points, once it exists. */
function firstTaskOf(lead: { firstTask: { href: string } }): Promise<{ id: string }> {
  return eventually(async () => (await admin.get(lead.firstTask.href)).body.tasks?.[0], 20_000, `the first task at ${lead.firstTask.href}`);
}
