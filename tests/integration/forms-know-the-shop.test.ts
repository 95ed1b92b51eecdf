/**
 * Forms that know the shop, on the real stack (dev server, PostgreSQL, HTTP app) with the shipped
 * order process: the close task comes filled in from the lead (name, phone, the address read
 * against the provinces and wards) with the lead's note beside it; a phone typed with spaces
 * closes the order and is stored as 0xxxxxxxxx; the catalogue is searched by name, SKU or barcode;
 * the places API serves the 34 provinces and a province's wards, and bad codes name their field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import { orderEvents, stockMovements, tasks } from '../../db/schema';
import { apiClient, eventually, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let shipped: string;
let checked: string;

/** Two steps: the close sets the order's figures, the check step's form is filled in from them. */
const CHECK_PROCESS = `apiVersion: shopflow/v1
kind: OrderProcess
metadata: { name: check-order, title: "Kiểm tra đơn" }
spec:
  start: close
  stages:
    - id: close
      kind: human
      role: sales
      title: "Chốt đơn"
      sla: 1h
      form:
        type: object
        required: [items, codAmount]
        properties:
          items:
            type: array
            items:
              type: object
              required: [sku, qty]
              properties: { sku: { type: string }, name: { type: string }, qty: { type: integer }, price: { type: integer } }
          shippingAddress:
            type: object
            properties: { street: { type: string }, ward: { type: string }, province: { type: string } }
          codAmount: { type: integer }
      sets: { items: items, shippingAddress: shippingAddress, codAmount: codAmount }
      on:
        closed: check
    - id: check
      kind: human
      role: sales
      title: "Kiểm tra đơn"
      sla: 1h
      form:
        type: object
        properties:
          items:
            type: array
            x-shopflow: { widget: product-picker, default: { from: order.items } }
            items: { type: object, required: [sku, qty], properties: { sku: { type: string }, qty: { type: integer } } }
          address: { type: string, x-shopflow: { default: { from: order.shippingAddress } } }
          cod: { type: integer, x-shopflow: { widget: money, default: { from: order.codAmount } } }
          customer: { type: string, x-shopflow: { default: { from: customer.name } } }
      on:
        ok: { to: done, title: "Đúng" }
    - { id: done, kind: end, title: "Xong", result: completed }
`;
type Member = { id: string; token: string };
let admin: Member;
let sales: Member;
let marketing: Member;

const as = (who: Member) => apiClient(base, who.token);

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  ({ name: shipped } = await stack.activateProcess(readFileSync(join(__dirname, '../../definitions/processes/order.yaml'), 'utf8')));
  ({ name: checked } = await stack.activateProcess(CHECK_PROCESS));
  [admin, sales, marketing] = await Promise.all([
    stack.createStaff(['admin']),
    stack.createStaff(['sales'], { channels: ['facebook'] }),
    stack.createStaff(['marketing']),
  ]);
  for (const product of [
    { sku: 'AO-DO-M', name: 'Áo thun Đỏ size M', barcode: '8930000000011', price: 175000 },
    { sku: 'AO-XANH-L', name: 'Áo thun Xanh size L', barcode: '8930000000028', price: 185000 },
    { sku: 'QUAN-JEAN-30', name: 'Quần jean 30', price: 350000 },
  ]) {
    expect((await as(admin).post('/api/v1/products', product)).status).toBe(201);
    await stack.database.db
      .insert(stockMovements)
      .values({ sku: product.sku, qty: 50, kind: 'receipt', reason: 'opening stock', dedupeKey: `forms-test:receipt:${product.sku}` });
  }
});
afterAll(() => stack?.close());

async function closeTaskOf(orderId: string): Promise<string> {
  const task = await eventually(
    async () => (await as(sales).get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks?.[0],
    30_000,
    'the close task',
  );
  return task.id as string;
}

describe('a close task filled in from the lead', () => {
  test('When a lead with an address and a note arrives, then GET /tasks/{id} serves the name, the phone and the address read against the provinces and wards as the prefill, and the note and address beside it', async () => {
    const lead = await as(marketing).post('/api/v1/leads', {
      channel: 'facebook',
      process: shipped,
      note: 'Khách hỏi áo đỏ size M, giao giờ hành chính',
      customer: { name: 'Trần Thị Hoa', phone: '+84 903 111 222', address: '12 Lê Lợi, Phường Sài Gòn, TP Hồ Chí Minh' },
    });
    expect(lead.status).toBe(201);
    const taskId = await closeTaskOf(lead.body.orderId);
    const detail = await as(sales).get(`/api/v1/tasks/${taskId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.prefill).toEqual({
      customerName: 'Trần Thị Hoa',
      phone: '0903111222',
      shippingAddress: { street: '12 Lê Lợi', ward: 'Phường Sài Gòn', province: 'Hồ Chí Minh' },
    });
    expect(detail.body.lead).toEqual({
      channel: 'facebook',
      campaign: null,
      note: 'Khách hỏi áo đỏ size M, giao giờ hành chính',
      address: '12 Lê Lợi, Phường Sài Gòn, TP Hồ Chí Minh',
    });
    const closed = detail.body.outcomes.find((o: { name: string }) => o.name === 'closed');
    expect(closed.prefill).toEqual(detail.body.prefill);
    expect(detail.body.outcomes.find((o: { name: string }) => o.name === 'lost').prefill).toEqual({}); // its own form binds nothing
    // The form carries its widgets for the console.
    expect(detail.body.form.properties.items['x-shopflow']).toEqual({ widget: 'product-picker' });
  });

  test('When the rep closes with the phone typed "0912 345 678", then the order closes and the phone is stored as 0912345678', async () => {
    const lead = await as(marketing).post('/api/v1/leads', {
      channel: 'facebook',
      process: shipped,
      customer: { name: 'Lê Văn Nam', phone: '0988777666' },
    });
    const orderId: string = lead.body.orderId;
    const taskId = await closeTaskOf(orderId);
    // A lead without an address: nothing is guessed for the address picker.
    const detail = await as(sales).get(`/api/v1/tasks/${taskId}`);
    expect(detail.body.prefill).toEqual({ customerName: 'Lê Văn Nam', phone: '0988777666' });
    expect(detail.body.lead.address).toBeNull();

    const done = await as(sales).post(`/api/v1/tasks/${taskId}/complete`, {
      outcome: 'closed',
      data: {
        customerName: 'Lê Văn Nam',
        phone: '0912 345 678',
        items: [{ sku: 'AO-DO-M', name: 'Áo thun Đỏ size M', qty: 2, price: 175000 }],
        shippingAddress: { street: '5 Kim Mã', ward: 'Phường Ba Đình', province: 'Hà Nội' },
        shippingFee: 30000,
        codAmount: 380000,
      },
    });
    expect(done.status).toBe(200);
    const [row] = await stack.database.db.select({ data: tasks.data }).from(tasks).where(eq(tasks.id, taskId));
    expect((row!.data as { phone: string }).phone).toBe('0912345678');
    const phoneChange = await eventually(
      async () => {
        const events = await stack.database.db
          .select({ data: orderEvents.data })
          .from(orderEvents)
          .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, 'order_figures_changed')))
          .orderBy(asc(orderEvents.id));
        return events.map((e) => e.data as { field: string; to: unknown }).find((d) => d.field === 'phone');
      },
      20_000,
      'the phone figure',
    );
    expect(phoneChange.to).toBe('0912345678');
  });

  test('When the phone is not a Vietnamese number in any spelling, then the close is 422 naming data.phone and nothing changes', async () => {
    const lead = await as(marketing).post('/api/v1/leads', {
      channel: 'facebook',
      process: shipped,
      customer: { name: 'Khách', phone: '0977000111' },
    });
    const taskId = await closeTaskOf(lead.body.orderId);
    const res = await as(sales).post(`/api/v1/tasks/${taskId}/complete`, {
      outcome: 'closed',
      data: {
        customerName: 'Khách',
        phone: '12 345',
        items: [{ sku: 'AO-DO-M', name: 'Áo', qty: 1, price: 175000 }],
        shippingAddress: { street: '1', ward: 'Phường Ba Đình', province: 'Hà Nội' },
        codAmount: 175000,
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['data.phone']);
    expect((await as(sales).get(`/api/v1/tasks/${taskId}`)).body.status).toBe('open');
  });
});

describe("a later step filled in from the order's figures", () => {
  test("When the close set the items, address and COD, then the next task's form comes filled in from them, shaped to its own fields", async () => {
    const lead = await as(marketing).post('/api/v1/leads', {
      channel: 'facebook',
      process: checked,
      customer: { name: 'Đỗ Thị Mai', phone: '0966555444' },
    });
    const orderId: string = lead.body.orderId;
    const closeId = await closeTaskOf(orderId);
    const done = await as(sales).post(`/api/v1/tasks/${closeId}/complete`, {
      outcome: 'closed',
      data: {
        items: [{ sku: 'AO-XANH-L', name: 'Áo thun Xanh size L', qty: 3, price: 185000 }],
        shippingAddress: { street: '7 Trần Phú', ward: 'Phường Hải Châu', province: 'Đà Nẵng' },
        codAmount: 555000,
      },
    });
    expect(done.status).toBe(200);
    const check = await eventually(
      async () =>
        (await as(sales).get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find((t: { stage: string }) => t.stage === 'check'),
      30_000,
      'the check task',
    );
    const detail = await as(sales).get(`/api/v1/tasks/${check.id}`);
    expect(detail.body.prefill).toEqual({
      items: [{ sku: 'AO-XANH-L', qty: 3 }], // only the fields this form has
      address: '7 Trần Phú, Phường Hải Châu, Đà Nẵng', // an address into a text field: one line
      cod: 555000,
      customer: 'Đỗ Thị Mai',
    });
  });
});

describe('searching the catalogue', () => {
  const skus = async (q: string) => {
    const res = await as(sales).get(`/api/v1/products?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    return (res.body.products as Array<{ sku: string }>).map((p) => p.sku).sort();
  };

  test('When a rep searches by name (with or without tone marks), SKU or barcode, then the matching products come with price and stock', async () => {
    expect(await skus('áo thun')).toEqual(['AO-DO-M', 'AO-XANH-L']);
    expect(await skus('ao thun do')).toEqual(['AO-DO-M']);
    expect(await skus('XANH')).toEqual(['AO-XANH-L']);
    expect(await skus('quan-jean')).toEqual(['QUAN-JEAN-30']);
    expect(await skus('8930000000028')).toEqual(['AO-XANH-L']);
    expect(await skus('100%')).toEqual([]); // a % typed is a character, not a wildcard
    const res = await as(sales).get('/api/v1/products?q=do%20size');
    // 50 received; the order closed above reserved 2.
    expect(res.body.products[0]).toMatchObject({ sku: 'AO-DO-M', price: 175000, stock: [{ onHand: 50, reserved: 2, available: 48 }] });
  });

  test('When the search is empty or too long, then it is 400 naming q (as every bad query parameter)', async () => {
    for (const q of ['', 'x'.repeat(101)]) {
      const res = await as(sales).get(`/api/v1/products?q=${q}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields).toEqual([{ field: 'q', message: expect.any(String) }]);
    }
  });
});

describe('places after the 2025 reform', () => {
  test("When the provinces are asked for, then there are 34 with their codes, and a province's wards come by name", async () => {
    const res = await as(sales).get('/api/v1/places/provinces');
    expect(res.status).toBe(200);
    expect(res.body.provinces).toHaveLength(34);
    expect(res.body.provinces).toEqual(
      expect.arrayContaining([
        { code: '01', name: 'Hà Nội', fullName: 'Thành phố Hà Nội', type: 'Thành phố Trung Ương' },
        expect.objectContaining({ code: '79', name: 'Hồ Chí Minh' }),
      ]),
    );
    expect(res.body.source).toMatch(/202\/2025\/QH15/);

    const wards = await as(sales).get('/api/v1/places/provinces/79/wards');
    expect(wards.status).toBe(200);
    expect(wards.body.province.name).toBe('Hồ Chí Minh');
    expect(wards.body.wards.length).toBe(168);
    expect(wards.body.wards).toContainEqual({ code: expect.any(String), name: 'Phường Sài Gòn', provinceCode: '79' });
    const found = await as(sales).get('/api/v1/places/provinces/79/wards?q=sai%20gon');
    expect(found.body.wards.map((w: { name: string }) => w.name)).toContain('Phường Sài Gòn');
    expect(found.body.wards.length).toBeLessThan(5);
  });

  test('When a province code is malformed, unknown, the search too long or the caller anonymous, then it is 422 naming code, 404, 400 naming q, or 401', async () => {
    const bad = await as(sales).get('/api/v1/places/provinces/abc/wards');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.fields).toEqual([{ field: 'code', message: expect.any(String) }]);
    expect((await as(sales).get('/api/v1/places/provinces/00/wards')).status).toBe(404);
    expect((await as(sales).get('/api/v1/places/provinces/constructor/wards')).status).toBe(422);
    const tooLong = await as(sales).get(`/api/v1/places/provinces/79/wards?q=${'a'.repeat(101)}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details.fields).toEqual([{ field: 'q', message: expect.any(String) }]);
    expect((await apiClient(base).get('/api/v1/places/provinces')).status).toBe(401);
  });
});
