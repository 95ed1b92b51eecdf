/**
 * Task data is confined to its form, on the real stack (dev server, PostgreSQL, HTTP app, courier
 * simulator) with the shipped order process: a packer cannot change the COD or the address by
 * adding fields to the packing form, a declared change (CSKH's new address on a failed delivery)
 * is an order event with who and old → new, and SKUs must be the catalogue's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import { orderEvents, orders, shipments, stockMovements } from '../../db/schema';
import { apiClient, eventually, fixture, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let shipped: string;
let loose: string;
type Member = { id: string; token: string };
let admin: Member;
let sales: Member;
let cskh: Member;
let packer: Member;

const SKU = 'KEM-CHONG-NANG-50ML';

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  await stack.startCourierSimulator({ timeScale: 1 });
  ({ name: shipped } = await stack.activateProcess(readFileSync(join(__dirname, '../../definitions/processes/order.yaml'), 'utf8')));
  // fast-ship's forms leave additionalProperties out: closed all the same.
  ({ name: loose } = await stack.activateProcess(fixture('fast-ship.yaml')));
  [admin, sales, cskh, packer] = await Promise.all([
    stack.createStaff(['admin']),
    stack.createStaff(['sales']),
    stack.createStaff(['cskh']),
    stack.createStaff(['warehouse']),
  ]);
  expect(
    (await apiClient(base, admin.token).post('/api/v1/products', { sku: SKU, name: 'Kem chống nắng 50ml', price: 250000 })).status,
  ).toBe(201);
  await stack.database.db
    .insert(stockMovements)
    .values({ sku: SKU, qty: 100, kind: 'receipt', reason: 'opening stock', dedupeKey: `test:receipt:${SKU}` });
});
afterAll(() => stack?.close());

const as = (who: Member) => apiClient(base, who.token);
let phoneSeq = 0;

async function lead(process: string, scenario: string): Promise<string> {
  phoneSeq += 1;
  const res = await as(admin).post('/api/v1/leads', {
    channel: 'facebook',
    process,
    note: `[sim:${scenario}]`,
    customer: { name: `Khách ${scenario}`, phone: `0377${String(Date.now() % 100000).padStart(5, '0')}${phoneSeq}`.slice(0, 10) },
  });
  expect(res.status).toBe(201);
  return res.body.orderId;
}

async function openTask(orderId: string, stage: string): Promise<{ id: string; role: string }> {
  return eventually(
    async () =>
      (await as(admin).get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find(
        (t: { stage: string; followUpOf: string | null }) => t.stage === stage && !t.followUpOf,
      ),
    30_000,
    `open ${stage} task`,
  );
}

const closing = (sku = SKU) => ({
  customerName: 'Nguyễn Thị Lan',
  phone: '0912345678',
  items: [{ sku, name: 'Kem chống nắng', qty: 2, price: 250000 }],
  shippingAddress: { street: '12 Lê Lợi', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
  codAmount: 500000,
});
const parcel = { weightGrams: 400, lengthCm: 20, widthCm: 15, heightCm: 10 };
/** Scan to pack (the shipped pack stage gates "Đã đóng gói" on it): both items of `closing()` scanned. */
async function scanBox(packTaskId: string) {
  for (let i = 0; i < 2; i++) expect((await as(packer).post(`/api/v1/tasks/${packTaskId}/scans`, { barcode: SKU })).status).toBe(201);
}

/** Closed by sales and confirmed by CSKH: the order waits at packing. */
async function atPacking(scenario: string): Promise<string> {
  const orderId = await lead(shipped, scenario);
  const close = await openTask(orderId, 'close');
  expect((await as(sales).post(`/api/v1/tasks/${close.id}/complete`, { outcome: 'closed', data: closing() })).status).toBe(200);
  const confirm = await openTask(orderId, 'confirm'); // a new customer: CSKH confirms first
  expect(
    (await as(cskh).post(`/api/v1/tasks/${confirm.id}/complete`, { outcome: 'confirmed', data: { confirmedVia: 'phone' } })).status,
  ).toBe(200);
  return orderId;
}

const orderRow = async (orderId: string) => (await stack.database.db.select().from(orders).where(eq(orders.id, orderId)))[0]!;
const figureEvents = (orderId: string) =>
  stack.database.db
    .select()
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, 'order_figures_changed')))
    .orderBy(asc(orderEvents.id));

describe('task data is confined to its form', () => {
  test('When a packer adds codAmount and newAddress to the packing form, then 422 names both fields, the courier is asked for the original COD and the COD reconciliation still lists the order', async () => {
    const orderId = await atPacking('normal');
    const pack = await openTask(orderId, 'pack');

    const forged = await as(packer).post(`/api/v1/tasks/${pack.id}/complete`, {
      outcome: 'packed',
      data: { ...parcel, codAmount: 0, newAddress: '99 Trần Hưng Đạo' },
    });
    expect(forged.status).toBe(422);
    expect(forged.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['data.codAmount', 'data.newAddress']);
    expect((await as(admin).get(`/api/v1/tasks/${pack.id}`)).body.status).toBe('open');
    expect((await orderRow(orderId)).codAmount).toBe(500000);

    await scanBox(pack.id);
    expect((await as(packer).post(`/api/v1/tasks/${pack.id}/complete`, { outcome: 'packed', data: parcel })).status).toBe(200);
    const shipment = await eventually(
      async () => (await stack.database.db.select().from(shipments).where(eq(shipments.orderId, orderId)))[0],
      30_000,
      'shipment',
    );
    expect(shipment.codAmount).toBe(500000);
    await eventually(
      async () => (await stack.database.db.select().from(shipments).where(eq(shipments.orderId, orderId)))[0]?.state === 'delivered',
      60_000,
      'delivered',
    );
    const unpaid = await as(admin).get('/api/v1/cod/unpaid');
    expect(unpaid.status).toBe(200);
    expect(unpaid.body.orders.find((o: { orderId: string }) => o.orderId === orderId)).toMatchObject({ expectedCod: 500000 });
    expect((await orderRow(orderId)).codAmount).toBe(500000);

    // The figures the order has were set by the people whose forms declare them, each an event.
    const events = await figureEvents(orderId);
    expect(events.filter((e) => (e.data as { field: string }).field === 'codAmount')).toEqual([
      expect.objectContaining({ actor: sales.id, fromStage: 'close', data: { field: 'codAmount', from: null, to: 500000 } }),
    ]);
    expect(events.find((e) => (e.data as { field: string }).field === 'weightGrams')).toMatchObject({
      actor: packer.id,
      data: { from: null, to: 400 },
    });
    expect(
      events.some(
        (e) =>
          e.actor === packer.id && ['codAmount', 'shippingAddress', 'shippingAddress.street'].includes((e.data as { field: string }).field),
      ),
    ).toBe(false);
  });

  test('When CSKH gives a new address on the failed-delivery form (declared), then the change is an order event with who and old → new', async () => {
    const orderId = await atPacking('fail-then-deliver');
    const pack = await openTask(orderId, 'pack');
    await scanBox(pack.id);
    expect((await as(packer).post(`/api/v1/tasks/${pack.id}/complete`, { outcome: 'packed', data: parcel })).status).toBe(200);
    const call = await openTask(orderId, 'call-customer');
    const done = await as(cskh).post(`/api/v1/tasks/${call.id}/complete`, {
      outcome: 'redeliver',
      data: { reachedCustomer: true, reason: 'wrong-address', newAddress: '88 Nguyễn Huệ' },
    });
    expect(done.status).toBe(200);
    const change = await eventually(
      async () => (await figureEvents(orderId)).find((e) => (e.data as { field: string }).field === 'shippingAddress.street'),
      30_000,
      'address change event',
    );
    expect(change).toMatchObject({
      actor: cskh.id,
      fromStage: 'call-customer',
      data: { field: 'shippingAddress.street', from: '12 Lê Lợi', to: '88 Nguyễn Huệ' },
    });
    // The order page shows the new street line.
    const detail = await eventually(
      async () => {
        const res = await as(admin).get(`/api/v1/orders/${orderId}`);
        return res.body.shippingAddress?.street === '88 Nguyễn Huệ' ? res.body : undefined;
      },
      30_000,
      'order page with the new address',
    );
    expect(detail.shippingAddress).toMatchObject({ ward: 'Bến Nghé', province: 'Hồ Chí Minh' });
    expect((await orderRow(orderId)).codAmount).toBe(500000);
  });

  test("When a SKU is typed that is not the catalogue's, then 422 points at its field and no stock row is created for it", async () => {
    const orderId = await lead(shipped, 'normal');
    const close = await openTask(orderId, 'close');
    const typo = await as(sales).post(`/api/v1/tasks/${close.id}/complete`, { outcome: 'closed', data: closing('kem-chong-nang') });
    expect(typo.status).toBe(422);
    expect(typo.body.error.details.fields).toEqual([
      { field: 'data.items[0].sku', message: expect.stringContaining('«kem-chong-nang» không có trong danh mục sản phẩm') },
    ]);
    expect(await stack.database.db.select().from(stockMovements).where(eq(stockMovements.sku, 'kem-chong-nang'))).toEqual([]);
    expect((await as(admin).get(`/api/v1/tasks/${close.id}`)).body.status).toBe('open');
    expect((await orderRow(orderId)).codAmount).toBeNull();
    // The catalogue SKU goes through.
    expect((await as(sales).post(`/api/v1/tasks/${close.id}/complete`, { outcome: 'closed', data: closing() })).status).toBe(200);
  });

  test('When a process whose YAML forgets additionalProperties gets an extra field, then it is refused all the same', async () => {
    const orderId = await lead(loose, 'normal');
    const close = await openTask(orderId, 'close');
    const data = {
      items: [{ sku: SKU, name: 'Kem', qty: 1, price: 250000, discount: 50000 }],
      shippingAddress: { street: '1 Hai Bà Trưng', ward: 'Bến Nghé', province: 'Hồ Chí Minh', floor: 3 },
      codAmount: 250000,
      total: 1,
    };
    const res = await as(admin).post(`/api/v1/tasks/${close.id}/complete`, { outcome: 'closed', data });
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'data.items[0].discount',
      'data.shippingAddress.floor',
      'data.total',
    ]);
    expect((await as(admin).get(`/api/v1/tasks/${close.id}`)).body.status).toBe('open');
  });
});
