/**
 * The books end to end on the real dev server, PostgreSQL and HTTP app: stock through a real
 * order and a return, reservations that never oversell, gapless document numbers under
 * concurrency, COD reconciliation, low-stock alerts, and bad input that changes nothing.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, asc, count, desc, eq, like } from 'drizzle-orm';
import { createBooksActivities } from '../../activities/books/books';
import { recordSaleDocument } from '../../db/books/documents';
import { recordPartialReturnDocument } from '../../db/books/partial-return';
import { createStockActivities } from '../../activities/books/stock';
import {
  codRemittances,
  idempotentRequests,
  notifications,
  orderEvents,
  orders,
  purchases,
  salesDocumentLines,
  salesDocuments,
  stockMovements,
} from '../../db/schema';
import { openApiDocument, type Operation } from '../../server/http/openapi';
import { apiClient, eventually, fixture, openTestStack, testLog, type TestStack } from '../support/stack';

/** Real answers against the OpenAPI document's own response schemas. */
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
ajv.addSchema(JSON.parse(JSON.stringify(openApiDocument)), 'openapi');
const pointer = (...keys: string[]) => keys.map((k) => k.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
function expectDocumented(path: string, method: string, res: { status: number; body: unknown }): void {
  const documented = (openApiDocument.paths[path] as Record<string, Operation | undefined>)[method]?.responses[res.status];
  if (!documented) throw new Error(`${method.toUpperCase()} ${path} answered ${res.status}, which is not documented`);
  const base = '$ref' in documented ? documented.$ref.slice(2) : pointer('paths', path, method, 'responses', String(res.status));
  const validate = ajv.compile({ $ref: `openapi#/${base}/content/${pointer('application/json')}/schema` });
  if (!validate(res.body))
    throw new Error(
      `${method.toUpperCase()} ${path} ${res.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(res.body).slice(0, 1500)}`,
    );
}

let stack: TestStack;
let base: string;
let processName: string;
let admin: { id: string; token: string };
let marketing: { id: string; token: string };
let accountant: { id: string; token: string };
let storekeeper: { id: string; token: string };

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  await stack.startCourierSimulator({ timeScale: 1 });
  ({ name: processName } = await stack.activateProcess(fixture('fast-ship.yaml')));
  [admin, marketing, accountant, storekeeper] = await Promise.all([
    stack.createStaff(['admin']),
    stack.createStaff(['marketing']),
    stack.createStaff(['accounting']),
    stack.createStaff(['warehouse']),
  ]);
});
afterAll(() => stack?.close());

const api = () => apiClient(base, admin.token);
const books = () => apiClient(base, accountant.token);
const level = async (sku: string) =>
  (await api().get(`/api/v1/stock/levels?sku=${sku}&warehouse=main`)).body.levels[0] ?? { onHand: 0, reserved: 0, available: 0 };
let phoneSeq = 0;

async function product(sku: string, extra: Record<string, unknown> = {}) {
  const res = await apiClient(base, storekeeper.token).post('/api/v1/products', { sku, name: `Sản phẩm ${sku}`, price: 150000, ...extra });
  expect(res.status).toBe(201);
}
async function purchase(sku: string, qty: number, extra: Record<string, unknown> = {}) {
  return apiClient(base, storekeeper.token).post('/api/v1/purchases', {
    supplier: 'NCC Bình Minh',
    lines: [{ sku, qty, unitCost: 90000 }],
    ...extra,
  });
}
async function openTask(orderId: string, stage: string, role?: string) {
  return eventually(
    async () =>
      (await api().get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find(
        (t: { stage: string; role: string }) => t.stage === stage && (!role || t.role === role),
      ),
    20_000,
    `open ${stage} task`,
  );
}
/** A lead closed by sales with `qty` of `sku` at 150 000 VND each, COD the total. */
async function closedOrder(scenario: string, sku: string, qty = 2) {
  phoneSeq += 1;
  const lead = await apiClient(base, marketing.token).post('/api/v1/leads', {
    channel: 'facebook',
    process: processName,
    note: `[sim:${scenario}]`,
    customer: { name: `Khách ${scenario}`, phone: `0377${String(Date.now() % 100000).padStart(5, '0')}${phoneSeq}`.slice(0, 10) },
  });
  expect(lead.status).toBe(201);
  const orderId: string = lead.body.orderId;
  const task = await openTask(orderId, 'close');
  const done = await api().post(`/api/v1/tasks/${task.id}/complete`, {
    outcome: 'closed',
    data: {
      items: [{ sku, name: 'Áo thun', qty, price: 150000 }],
      shippingAddress: { street: '12 Lê Lợi', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
      codAmount: qty * 150000,
    },
  });
  expect(done.status).toBe(200);
  return orderId;
}
const finalResult = (orderId: string) => stack.temporal.workflow.getHandle(`order:${orderId}`).result();

describe('stock through real orders', () => {
  test('When an order is delivered and another is returned, then the ledger issues and restocks, on hand ends where the return started, and the delivered one gets a sales document', async () => {
    await product('BK-TEE');
    expect((await purchase('BK-TEE', 10)).status).toBe(201);
    expect(await level('BK-TEE')).toMatchObject({ onHand: 10, reserved: 0, available: 10 });

    const delivered = await closedOrder('normal', 'BK-TEE', 2);
    expect(await finalResult(delivered)).toMatchObject({ result: 'completed' });
    expect(await level('BK-TEE')).toMatchObject({ onHand: 8, reserved: 0, available: 8 });
    const [sale] = await stack.database.db.select().from(salesDocuments).where(eq(salesDocuments.orderId, delivered));
    expect(sale).toMatchObject({ kind: 'sale', goodsTotal: 300000, codAmount: 300000 });
    expect(sale!.number).toMatch(/^HD-\d{4}-\d{6}$/);
    const doc = await books().get(`/api/v1/books/sales/${sale!.number}`);
    expect(doc.body.lines).toEqual([{ sku: 'BK-TEE', name: 'Áo thun', qty: 2, price: 150000, amount: 300000 }]);

    const before = await level('BK-TEE');
    const returned = await closedOrder('return', 'BK-TEE', 3);
    const call = await openTask(returned, 'call-customer');
    await api().post(`/api/v1/tasks/${call.id}/complete`, { outcome: 'return' });
    const receive = await openTask(returned, 'receive-return');
    expect(await level('BK-TEE')).toMatchObject({ onHand: before.onHand - 3, reserved: 0 });
    await api().post(`/api/v1/tasks/${receive.id}/complete`, {
      outcome: 'restocked',
      data: { restockedItems: [{ sku: 'BK-TEE', qty: 3 }] },
    });
    expect(await finalResult(returned)).toMatchObject({ result: 'returned' });
    expect(await level('BK-TEE')).toEqual(expect.objectContaining({ onHand: before.onHand, reserved: 0, available: before.onHand }));
    const moves = await api().get(`/api/v1/stock/movements?order=${returned}`);
    expect(moves.body.movements.map((m: { kind: string; qty: number }) => [m.kind, m.qty]).reverse()).toEqual([
      ['reserve', 3],
      ['issue', -3],
      ['release', -3],
      ['restock', 3],
    ]);
    expect(await stack.database.db.select().from(salesDocuments).where(eq(salesDocuments.orderId, returned))).toHaveLength(0);

    // Goods that came back after delivery: the sale is reversed by a return document, once.
    const reversal = await books().post(`/api/v1/books/sales/${sale!.number}/return`, { reason: 'khách khiếu nại, trả hàng' });
    expect(reversal.status).toBe(201);
    expect(reversal.body).toMatchObject({ kind: 'return', reverses: sale!.number, goodsTotal: -300000 });
    expect((await books().post(`/api/v1/books/sales/${sale!.number}/return`, { reason: 'again' })).status).toBe(200);
    // The same through the activity a complaint's refund calls: once per order, nothing for an order never delivered.
    const activities = createBooksActivities({ db: stack.database.db, log: testLog });
    expect(await activities.reverseSale({ orderId: delivered, reason: 'hoàn tiền', actor: admin.id })).toEqual({
      number: reversal.body.number,
      created: false,
    });
    expect(await activities.reverseSale({ orderId: returned, reason: 'hoàn tiền', actor: admin.id })).toBeNull();
    const summary = await books().get('/api/v1/books/summary?granularity=month');
    expect(summary.body.totals).toMatchObject({
      salesDocuments: 1,
      returnDocuments: 1,
      salesGoods: 300000,
      returnedGoods: 300000,
      netSales: 0,
    });
    const csv = await fetch(`${base}/api/v1/books/sales/export.csv`, { headers: { authorization: `Bearer ${accountant.token}` } });
    expect(await csv.text()).toContain(sale!.number);
  });

  test('When catalogue stock is short at closing, then the order waits on a warehouse task and goes on once goods arrive', async () => {
    await product('BK-SHORT');
    const orderId = await closedOrder('normal', 'BK-SHORT', 2);
    const shortage = await openTask(orderId, 'close', 'warehouse');
    expect(shortage.title).toMatch(/Thiếu hàng/);
    expect(await level('BK-SHORT')).toMatchObject({ reserved: 0 });
    expect((await purchase('BK-SHORT', 5)).status).toBe(201);
    const retried = await api().post(`/api/v1/tasks/${shortage.id}/complete`, { outcome: 'restocked' });
    expect(retried.status).toBe(200);
    expect(await finalResult(orderId)).toMatchObject({ result: 'completed' });
    expect(await level('BK-SHORT')).toMatchObject({ onHand: 3, reserved: 0 });
  });
});

describe('concurrency', () => {
  test('When 20 orders reserve the last 5 units at once, then exactly 5 succeed and stock never goes below zero', async () => {
    await product('BK-RACE');
    expect((await purchase('BK-RACE', 5)).status).toBe(201);
    const ids = Array.from({ length: 20 }, (_, i) => `race-${Date.now()}-${i}`);
    await stack.database.db.insert(orders).values(ids.map((id) => ({ id, workflowId: `order:${id}` })));
    const stock = createStockActivities({ db: stack.database.db, log: testLog });
    const answers = await Promise.all(
      ids.map((orderId) =>
        stock.moveOrderStock({ orderId, kind: 'reserve', lines: [{ sku: 'BK-RACE', qty: 1 }], dedupeKey: `${orderId}:reserve` }),
      ),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(5);
    expect(answers.filter((a) => !a.ok)).toHaveLength(15);
    expect(await level('BK-RACE')).toMatchObject({ onHand: 5, reserved: 5, available: 0 });
    // A retried reservation (same dedupe key) is not a second one.
    const winner = ids[answers.findIndex((a) => a.ok)]!;
    expect(
      await stock.moveOrderStock({ orderId: winner, kind: 'reserve', lines: [{ sku: 'BK-RACE', qty: 1 }], dedupeKey: `${winner}:reserve` }),
    ).toEqual({ ok: true });
    expect(await level('BK-RACE')).toMatchObject({ reserved: 5 });
  });

  test('When 50 purchases are recorded at once, then their numbers are exactly 1..50 of the year with no gap', async () => {
    await product('BK-BULK');
    const [{ n: before }] = await stack.database.db.select({ n: count() }).from(purchases);
    const answers = await Promise.all(Array.from({ length: 50 }, () => purchase('BK-BULK', 1)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    const year = answers[0]!.body.number.slice(3, 7);
    const seqs = answers.map((a) => Number(a.body.number.slice(8))).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => before + i + 1));
    const all = (await stack.database.db.select({ number: purchases.number }).from(purchases).orderBy(asc(purchases.seq))).map(
      (p) => p.number,
    );
    expect(all).toEqual(Array.from({ length: before + 50 }, (_, i) => `PN-${year}-${String(i + 1).padStart(6, '0')}`));
    expect(await level('BK-BULK')).toMatchObject({ onHand: 50 });
  });
});

describe('COD reconciliation', () => {
  test('When a remittance pays one order short and names an unknown order, then both are flagged, the unpaid delivered order is listed, and the batch settles once', async () => {
    await product('BK-COD');
    await purchase('BK-COD', 10);
    const [paidShort, unpaid] = [await closedOrder('normal', 'BK-COD', 2), await closedOrder('normal', 'BK-COD', 1)];
    await Promise.all([finalResult(paidShort), finalResult(unpaid)]);
    const reference = `GHN-DS-${Date.now()}`;
    const csv = `order_code,tracking_code,cod_collected,fee\n${paidShort},,"250.000",15000\nno-such-order,GHNXXX,100000,5000\n`;
    const imported = await books().post(`/api/v1/cod/remittances?courier=simulator&reference=${reference}`, csv, {
      'content-type': 'text/csv',
    });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ lines: 2, codCollected: 350000, fees: 20000, net: 330000, status: 'open', created: true });
    expect(imported.body.mismatches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'short', orderId: paidShort, expectedCod: 300000, collected: 250000, difference: 50000 }),
        expect.objectContaining({ kind: 'unknown_order', orderCode: 'no-such-order', collected: 100000 }),
      ]),
    );
    const again = await books().post(`/api/v1/cod/remittances?courier=simulator&reference=${reference}`, csv, {
      'content-type': 'text/csv',
    });
    expect(again).toMatchObject({ status: 200, body: { id: imported.body.id, created: false } });

    const unpaidList = await books().get('/api/v1/cod/unpaid?courier=simulator');
    const unpaidIds = unpaidList.body.orders.map((o: { orderId: string }) => o.orderId);
    expect(unpaidIds).toContain(unpaid);
    expect(unpaidIds).not.toContain(paidShort);
    const detail = await books().get(`/api/v1/cod/remittances/${imported.body.id}`);
    expect(detail.body.parcels.map((l: { match: string }) => l.match)).toEqual(['short', 'unknown_order']);

    expect((await books().post(`/api/v1/cod/remittances/${imported.body.id}/settle`)).body).toMatchObject({
      status: 'settled',
      settledBy: accountant.id,
    });
    expect((await books().post(`/api/v1/cod/remittances/${imported.body.id}/settle`)).status).toBe(409);
  });

  test("When a GHN-style webhook reports CODTransferDate, then the COD lands in that day's webhook batch once", async () => {
    await product('BK-HOOK');
    await purchase('BK-HOOK', 5);
    const orderId = await closedOrder('manual', 'BK-HOOK', 1);
    const { shipments } = await import('../../db/schema');
    const [shipment] = await eventually(
      async () => {
        const rows = await stack.database.db.select().from(shipments).where(eq(shipments.orderId, orderId));
        return rows.length ? rows : undefined;
      },
      20_000,
      'shipment',
    );
    const secret = (await import('../support/stack')).courierEnv.COURIER_SIM_SECRET!;
    const hook = () =>
      fetch(`${base}/webhooks/couriers/simulator`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', Token: secret },
        body: JSON.stringify({
          Type: 'switch_status',
          OrderCode: shipment!.trackingCode,
          ClientOrderCode: orderId,
          Status: 'delivered',
          Time: '2030-01-02T10:00:00+07:00',
          CODAmount: 150000,
          CODTransferDate: '2030-01-03T09:00:00+07:00',
        }),
      });
    expect((await hook()).status).toBe(200);
    expect((await hook()).status).toBe(200);
    expect(await finalResult(orderId)).toMatchObject({ result: 'completed' });
    const [batch] = await stack.database.db
      .select()
      .from(codRemittances)
      .where(and(eq(codRemittances.courier, 'simulator'), eq(codRemittances.reference, 'webhook:2030-01-03')));
    const detail = await books().get(`/api/v1/cod/remittances/${batch!.id}`);
    expect(detail.body).toMatchObject({ source: 'webhook', lines: 1, codCollected: 150000 });
    expect(detail.body.parcels[0]).toMatchObject({ orderId, match: 'matched' });
  });
});

describe('alerts and bad input', () => {
  test('When available stock falls below the threshold twice without recovering, then warehouse and accounting are alerted once; after recovering, again', async () => {
    await product('BK-LOW', { lowStockThreshold: 3 });
    await purchase('BK-LOW', 5);
    const adjust = (qty: number) =>
      apiClient(base, storekeeper.token).post('/api/v1/stock/adjustments', { sku: 'BK-LOW', qty, reason: 'kiểm kê' });
    expect((await adjust(-3)).status).toBe(201);
    expect((await adjust(-1)).status).toBe(201);
    const alerts = () =>
      stack.database.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.subjectType, 'product'), eq(notifications.subjectId, 'BK-LOW')));
    expect(await alerts()).toHaveLength(1);
    expect((await alerts())[0]!.roles).toEqual(['warehouse', 'accounting']);
    expect((await purchase('BK-LOW', 10)).status).toBe(201);
    expect((await adjust(-10)).status).toBe(201);
    expect(await alerts()).toHaveLength(2);
  });

  test('When input is bad (negative qty, unknown SKU, no reason, going below zero, malformed CSV), then a clear 4xx answers and nothing changes', async () => {
    await product('BK-BAD');
    await purchase('BK-BAD', 2);
    const counts = async () => ({
      purchases: (await stack.database.db.select({ n: count() }).from(purchases))[0]!.n,
      movements: (await stack.database.db.select({ n: count() }).from(stockMovements))[0]!.n,
      remittances: (await stack.database.db.select({ n: count() }).from(codRemittances))[0]!.n,
    });
    const before = await counts();
    const keeper = apiClient(base, storekeeper.token);
    const negative = await keeper.post('/api/v1/purchases', { supplier: 'NCC', lines: [{ sku: 'BK-BAD', qty: -1, unitCost: 1 }] });
    expect(negative.status).toBe(422);
    expect(negative.body.error.details.fields[0].field).toBe('lines.0.qty');
    const unknown = await keeper.post('/api/v1/purchases', {
      supplier: 'NCC',
      lines: [
        { sku: 'BK-BAD', qty: 1, unitCost: 1 },
        { sku: 'NO-SUCH', qty: 1, unitCost: 1 },
      ],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details.fields).toEqual([{ field: 'lines.1.sku', message: '"NO-SUCH" is not an active product' }]);
    expect((await keeper.post('/api/v1/stock/adjustments', { sku: 'BK-BAD', qty: -1 })).status).toBe(422);
    const below = await keeper.post('/api/v1/stock/adjustments', { sku: 'BK-BAD', qty: -3, reason: 'mất hàng' });
    expect(below).toMatchObject({ status: 409, body: { error: { code: 'insufficient_stock' } } });
    expect(
      (await keeper.post('/api/v1/purchases', { supplier: 'NCC', warehouse: 'nowhere', lines: [{ sku: 'BK-BAD', qty: 1, unitCost: 1 }] }))
        .status,
    ).toBe(422);
    const malformed = await books().post(
      '/api/v1/cod/remittances?courier=simulator&reference=BAD-1',
      'order_code,cod_collected\nord-1,"300000\n',
      { 'content-type': 'text/csv' },
    );
    expect(malformed.status).toBe(422);
    expect(malformed.body.error.message).toMatch(/CSV cannot be read/);
    expect(
      (await books().post('/api/v1/cod/remittances', { courier: 'nope', reference: 'X', lines: [{ orderCode: 'a', codCollected: 1 }] }))
        .status,
    ).toBe(422);
    // Roles: the warehouse keeps stock but does not see the books.
    expect((await keeper.get('/api/v1/books/summary')).status).toBe(403);
    expect(await counts()).toEqual(before);
    expect(await level('BK-BAD')).toMatchObject({ onHand: 2 });
  });
});

describe('complaints in the books', () => {
  let cskh: { id: string; token: string };
  let delivered: string;
  let customerId: string;
  /** Local day (shop zone, UTC+7) of an instant: the summary's period. */
  const localDay = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10);
  const task = (complaintId: string, stage: string) => openTask(complaintId, stage);
  async function fileComplaint(description: string) {
    const res = await apiClient(base, cskh.token).post('/api/v1/complaints', {
      customerId,
      orderId: delivered,
      category: 'damaged',
      description,
    });
    expect(res.status).toBe(201);
    return res.body.complaintId as string;
  }
  async function decide(complaintId: string, outcome: string, data: Record<string, unknown>) {
    const intake = await task(complaintId, 'complaint-intake');
    expect((await apiClient(base, cskh.token).post(`/api/v1/tasks/${intake.id}/complete`, { outcome, data })).status).toBe(200);
    return task(complaintId, `complaint-${outcome}`);
  }
  const closed = (complaintId: string) =>
    eventually(
      async () => {
        const c = (await api().get(`/api/v1/complaints/${complaintId}`)).body;
        return c.closedAt ? c : undefined;
      },
      20_000,
      `complaint ${complaintId} to close`,
    );

  beforeAll(async () => {
    cskh = await stack.createStaff(['cskh']);
    // The shipped process: its refund follow-up asks for the amount paid, the warehouse's for the items.
    await stack.activateProcess(readFileSync(join(__dirname, '../../definitions/processes/complaint.yaml'), 'utf8'));
    await product('BK-CMP');
    await purchase('BK-CMP', 5);
    delivered = await closedOrder('normal', 'BK-CMP', 2);
    expect(await finalResult(delivered)).toMatchObject({ result: 'completed' });
    const [order] = await stack.database.db.select({ customerId: orders.customerId }).from(orders).where(eq(orders.id, delivered));
    customerId = order!.customerId!;
  });

  test("When accounting pays a refund on a delivered order, then one refund document with the amount negated joins the sales book, its CSV, and that day's summary nets it", async () => {
    const [sale] = await stack.database.db
      .select()
      .from(salesDocuments)
      .where(and(eq(salesDocuments.orderId, delivered), eq(salesDocuments.kind, 'sale')));
    const day = localDay(sale!.at.toISOString());
    const summaryOf = async () => (await books().get(`/api/v1/books/summary?from=${day}&to=${day}`)).body;
    const before = await summaryOf();

    const complaintId = await fileComplaint('Áo bị rách một bên');
    const refundTask = await decide(complaintId, 'refund', { summary: 'Hoàn một phần', amount: 120_000, method: 'bank-transfer' });
    expect(refundTask).toMatchObject({ role: 'accounting' });
    expect((await books().get(`/api/v1/tasks/${refundTask.id}`)).body.form.properties.paidAmount.maximum).toBe(
      Number(sale!.goodsTotal) + sale!.shippingFee,
    );
    // More than the order's value (its sale: goods and shipping) is refused, and nothing is written.
    const limit = Number(sale!.goodsTotal) + sale!.shippingFee;
    const tooMuch = await books().post(`/api/v1/tasks/${refundTask.id}/complete`, {
      outcome: 'done',
      data: { paidAmount: limit + 1, reference: 'UNC-1' },
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.details.fields[0].field).toBe('data.paidAmount');
    expect(
      (
        await books().post(`/api/v1/tasks/${refundTask.id}/complete`, {
          outcome: 'done',
          data: { paidAmount: 120_000, reference: 'UNC-1' },
        })
      ).status,
    ).toBe(200);
    await closed(complaintId);

    const listed = await books().get(`/api/v1/books/sales?kind=refund&from=${day}&to=${day}`);
    expectDocumented('/api/v1/books/sales', 'get', listed);
    const refunds = listed.body.documents.filter((d: { complaintId: string }) => d.complaintId === complaintId);
    expect(refunds).toHaveLength(1);
    const refund = refunds[0];
    expect(refund).toMatchObject({
      kind: 'refund',
      orderId: delivered,
      complaintId,
      reverses: sale!.number,
      goodsTotal: -120_000,
      shippingFee: 0,
      codAmount: 0,
      lines: [],
    });
    expect(refund.number).toMatch(/^HT-\d{4}-\d{6}$/);
    expectDocumented('/api/v1/books/sales/{number}', 'get', await books().get(`/api/v1/books/sales/${refund.number}`));

    // A retried activity (Temporal's at-least-once) writes nothing more.
    const activities = createBooksActivities({ db: stack.database.db, log: testLog });
    expect(await activities.recordComplaintRefund({ complaintId, amount: 120_000, reference: 'UNC-1', actor: accountant.id })).toEqual({
      number: refund.number,
      created: false,
    });
    expect(await stack.database.db.select().from(salesDocuments).where(eq(salesDocuments.complaintId, complaintId))).toHaveLength(1);

    const after = await summaryOf();
    expectDocumented('/api/v1/books/summary', 'get', { status: 200, body: after });
    const row = (s: { rows: Array<{ period: string }> }) => s.rows.find((r) => r.period === day) as Record<string, number> | undefined;
    expect(row(after)).toMatchObject({
      refundDocuments: (row(before)?.refundDocuments ?? 0) + 1,
      refunded: (row(before)?.refunded ?? 0) + 120_000,
      salesGoods: row(before)!.salesGoods,
      netSales: row(before)!.netSales - 120_000,
    });
    expect(row(after)!.netSales).toBe(row(after)!.salesGoods - row(after)!.returnedGoods - row(after)!.refunded);
    const csv = await (
      await fetch(`${base}/api/v1/books/sales/export.csv?from=${day}&to=${day}`, {
        headers: { authorization: `Bearer ${accountant.token}` },
      })
    ).text();
    const line = csv
      .split('\r\n')
      .find((l) => l.startsWith(refund.number))!
      .split(',');
    expect([line[1], line[3], line[13], line[16]]).toEqual(['refund', delivered, '-120000', complaintId]);
  });

  test('When the warehouse resends, then the goods are issued once; when it exchanges, the new goods are issued and the intact ones taken back restocked', async () => {
    await product('BK-CMP-X');
    await purchase('BK-CMP-X', 4);
    const start = { cmp: (await level('BK-CMP')).onHand, x: (await level('BK-CMP-X')).onHand };

    const resend = await fileComplaint('Thiếu một áo');
    const resendTask = await decide(resend, 'resend', { summary: 'Gửi bù 1 áo', items: [{ sku: 'BK-CMP', qty: 1 }] });
    // The warehouse's task says what to send.
    expect((await api().get(`/api/v1/tasks/${resendTask.id}`)).body.form.properties.items.default).toEqual([{ sku: 'BK-CMP', qty: 1 }]);
    expect(
      (
        await apiClient(base, storekeeper.token).post(`/api/v1/tasks/${resendTask.id}/complete`, {
          outcome: 'done',
          data: { trackingCode: 'GHN-RS-1' },
        })
      ).status,
    ).toBe(200);
    await closed(resend);
    expect(await level('BK-CMP')).toMatchObject({ onHand: start.cmp - 1 });
    const issued = await stack.database.db
      .select()
      .from(stockMovements)
      .where(like(stockMovements.dedupeKey, `complaint:${resend}:%`));
    expect(issued.map((m) => [m.kind, m.sku, m.qty, m.orderId])).toEqual([['issue', 'BK-CMP', -1, delivered]]);
    // A retried activity issues nothing twice.
    const stock = createStockActivities({ db: stack.database.db, log: testLog });
    await stock.moveComplaintStock({
      complaintId: resend,
      taskId: resendTask.id,
      orderId: delivered,
      issue: [{ sku: 'BK-CMP', qty: 1 }],
      restock: [],
      actor: storekeeper.id,
    });
    expect(await level('BK-CMP')).toMatchObject({ onHand: start.cmp - 1 });

    const exchange = await fileComplaint('Sai màu, đổi áo khác');
    const exchangeTask = await decide(exchange, 'exchange', {
      summary: 'Đổi sang màu khác',
      returnItems: [{ sku: 'BK-CMP', qty: 1 }],
      sendItems: [{ sku: 'BK-CMP-X', qty: 1 }],
    });
    expect(
      (
        await apiClient(base, storekeeper.token).post(`/api/v1/tasks/${exchangeTask.id}/complete`, {
          outcome: 'done',
          data: { trackingCode: 'GHN-EX-1', receivedBack: true, returnedIntact: true, sendItems: [{ sku: 'BK-CMP-X', qty: 2 }] },
        })
      ).status,
    ).toBe(200);
    await closed(exchange);
    // What the warehouse entered (2 sent) wins over what CSKH decided (1).
    expect(await level('BK-CMP-X')).toMatchObject({ onHand: start.x - 2 });
    expect(await level('BK-CMP')).toMatchObject({ onHand: start.cmp });
    const moved = await stack.database.db
      .select()
      .from(stockMovements)
      .where(like(stockMovements.dedupeKey, `complaint:${exchange}:%`))
      .orderBy(asc(stockMovements.id));
    expect(moved.map((m) => [m.kind, m.sku, m.qty])).toEqual([
      ['issue', 'BK-CMP-X', -2],
      ['restock', 'BK-CMP', 1],
    ]);
  });
});

describe('partial deliveries in the books', () => {
  /** An order of 2 × PD-A at 100,000 + 1 × PD-B at 120,000 = 320,000, COD 320,000, delivered in part; its sale recorded. */
  async function partiallyDelivered(tag: string, returnedAmount: number | null, deliveredValue: number | null) {
    const db = stack.database.db;
    const orderId = `pd-${tag}-${Date.now()}`;
    await db.insert(orders).values({
      id: orderId,
      workflowId: `order:${orderId}`,
      channel: 'facebook',
      status: 'completed',
      total: 320_000,
      codAmount: 320_000,
      returnedAmount,
    });
    await db.insert(orderEvents).values({
      orderId,
      type: 'courier_partial_delivery',
      actor: 'simulator',
      dedupeKey: `${orderId}:partial`,
      data: { code: null, deliveredValue, returnedValue: returnedAmount },
    });
    const sale = await recordSaleDocument(db, undefined, {
      orderId,
      channel: 'facebook',
      courier: 'simulator',
      customer: { name: 'Khách một phần', phone: '0377000111' },
      shippingFee: 0,
      codAmount: 320_000,
      items: [
        { sku: 'PD-A', name: 'Áo', qty: 2, price: 100_000 },
        { sku: 'PD-B', name: 'Quần', qty: 1, price: 120_000 },
      ],
    });
    return { orderId, sale: sale.number };
  }
  const returnOf = async (orderId: string) => {
    const docs = await stack.database.db
      .select()
      .from(salesDocuments)
      .where(and(eq(salesDocuments.orderId, orderId), eq(salesDocuments.kind, 'return')));
    const lines = docs.length
      ? await stack.database.db
          .select()
          .from(salesDocumentLines)
          .where(eq(salesDocumentLines.documentId, docs[0]!.id))
          .orderBy(asc(salesDocumentLines.sku))
      : [];
    return { docs, lines: lines.map((l) => [l.sku, l.qty, l.price, l.amount]) };
  };
  const seqOf = (number: string) => Number(number.slice(-6));

  test("When the warehouse names what came back, then one return document takes those lines back at the sale's prices (capped at what was sold), however often and concurrently it is booked, numbered right after the previous return", async () => {
    const db = stack.database.db;
    // Customer kept one PD-A: the courier collected 100,000; the warehouse counts 1 PD-A and 3 PD-B (only 1 was sold).
    const { orderId, sale } = await partiallyDelivered('named', 220_000, 100_000);
    const [last] = await db
      .select({ seq: salesDocuments.seq })
      .from(salesDocuments)
      .where(eq(salesDocuments.kind, 'return'))
      .orderBy(desc(salesDocuments.year), desc(salesDocuments.seq))
      .limit(1);
    const input = {
      orderId,
      returnedLines: [
        { sku: 'PD-A', qty: 1 },
        { sku: 'PD-B', qty: 3 },
      ],
      actor: storekeeper.id,
    };
    const results = await Promise.all([1, 2, 3].map(() => recordPartialReturnDocument(db, undefined, input)));
    expect(results.filter((r) => r?.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r?.number)).size).toBe(1);
    expect(seqOf(results[0]!.number)).toBe((last?.seq ?? 0) + 1);
    const { docs, lines } = await returnOf(orderId);
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ reverses: sale, goodsTotal: -220_000, codAmount: -(320_000 - 100_000), actor: storekeeper.id });
    expect(lines).toEqual([
      ['PD-A', -1, 100_000, -100_000],
      ['PD-B', -1, 120_000, -120_000],
    ]);
  });

  test("When the warehouse names nothing priced, then the return document is one amount line of the courier's figure; with nothing to take back, none is written", async () => {
    const db = stack.database.db;
    // The courier states no delivered value; its returned figure 120,000 → it should collect 320,000 − 120,000 = 200,000.
    const byCourier = await partiallyDelivered('amount', 120_000, null);
    await recordPartialReturnDocument(db, undefined, {
      orderId: byCourier.orderId,
      returnedLines: [{ sku: 'NOT-SOLD', qty: 1 }],
      actor: storekeeper.id,
    });
    const { docs, lines } = await returnOf(byCourier.orderId);
    expect(docs[0]).toMatchObject({ reverses: byCourier.sale, goodsTotal: -120_000, codAmount: -120_000 });
    expect(lines).toEqual([['-', -1, 120_000, -120_000]]);

    const nothing = await partiallyDelivered('nothing', null, null);
    expect(await recordPartialReturnDocument(db, undefined, { orderId: nothing.orderId, actor: storekeeper.id })).toBeNull();
    expect((await returnOf(nothing.orderId)).docs).toHaveLength(0);
  });
});

describe('retried writes with an Idempotency-Key', () => {
  test('When an adjustment or a purchase is replayed with the same key, then it is written once and answered the same; another body with that key is 409', async () => {
    await product('BK-IDEM');
    const keeper = apiClient(base, storekeeper.token);
    const movementsOf = async () =>
      (await stack.database.db.select({ n: count() }).from(stockMovements).where(eq(stockMovements.sku, 'BK-IDEM')))[0]!.n;
    const purchasesOf = async () =>
      (await stack.database.db.select({ n: count() }).from(purchases).where(eq(purchases.supplier, 'NCC Idem')))[0]!.n;

    const buy = { supplier: 'NCC Idem', lines: [{ sku: 'BK-IDEM', qty: 5, unitCost: 1000 }] };
    const key = `buy-${Date.now()}`;
    const bought = await keeper.post('/api/v1/purchases', buy, { 'Idempotency-Key': key });
    expect(bought.status).toBe(201);
    expectDocumented('/api/v1/purchases', 'post', bought);
    // Retries, one of them at the same moment as another: the first answer, nothing received twice.
    const replays = await Promise.all([
      keeper.post('/api/v1/purchases', buy, { 'Idempotency-Key': key }),
      keeper.post('/api/v1/purchases', { lines: buy.lines, supplier: buy.supplier }, { 'Idempotency-Key': key }),
    ]);
    for (const replay of replays) expect(replay).toMatchObject({ status: 201, body: bought.body });
    expect(await purchasesOf()).toBe(1);
    const otherPurchase = await keeper.post(
      '/api/v1/purchases',
      { ...buy, lines: [{ sku: 'BK-IDEM', qty: 6, unitCost: 1000 }] },
      { 'Idempotency-Key': key },
    );
    expect(otherPurchase).toMatchObject({ status: 409, body: { error: { code: 'idempotency_conflict' } } });
    expectDocumented('/api/v1/purchases', 'post', otherPurchase);

    const stockCount = { sku: 'BK-IDEM', qty: -2, reason: 'kiểm kê cuối ngày' };
    const adjustKey = `count-${Date.now()}`;
    const adjusted = await Promise.all(
      Array.from({ length: 4 }, () => keeper.post('/api/v1/stock/adjustments', stockCount, { 'Idempotency-Key': adjustKey })),
    );
    for (const a of adjusted) {
      expectDocumented('/api/v1/stock/adjustments', 'post', a);
      expect(a).toMatchObject({ status: 201, body: adjusted[0]!.body });
    }
    expect(adjusted[0]!.body.level).toMatchObject({ onHand: 3 });
    expect(await movementsOf()).toBe(2); // the receipt and one adjustment
    expect(await level('BK-IDEM')).toMatchObject({ onHand: 3 });
    const other = await keeper.post('/api/v1/stock/adjustments', { ...stockCount, qty: -1 }, { 'Idempotency-Key': adjustKey });
    expect(other).toMatchObject({ status: 409, body: { error: { code: 'idempotency_conflict' } } });
    expectDocumented('/api/v1/stock/adjustments', 'post', other);
    // Keys are the caller's own: the accountant's same key is a new adjustment.
    expect(
      (await apiClient(base, accountant.token).post('/api/v1/stock/adjustments', stockCount, { 'Idempotency-Key': adjustKey })).status,
    ).toBe(201);
    expect(await level('BK-IDEM')).toMatchObject({ onHand: 1 });
    // A refused write is not kept: the same key may try again once it is fixed.
    const refusedKey = `refused-${Date.now()}`;
    expect((await keeper.post('/api/v1/stock/adjustments', { ...stockCount, qty: -50 }, { 'Idempotency-Key': refusedKey })).status).toBe(
      409,
    );
    expect(await stack.database.db.select().from(idempotentRequests).where(eq(idempotentRequests.key, refusedKey))).toHaveLength(0);
    const malformed = await keeper.post('/api/v1/stock/adjustments', stockCount, { 'Idempotency-Key': 'x'.repeat(201) });
    expect(malformed.status).toBe(400);
    expectDocumented('/api/v1/stock/adjustments', 'post', malformed);
    expect(await movementsOf()).toBe(3);
  });
});

describe('the API as documented', () => {
  test('When staff use every books endpoint, then each answer has a documented status and matches its documented schema', async () => {
    const keeper = apiClient(base, storekeeper.token);
    const check = async (path: string, method: string, call: Promise<{ status: number; body: unknown }>, status: number) => {
      const res = await call;
      expect({ path, method, status: res.status }).toEqual({ path, method, status });
      expectDocumented(path, method, res);
      return res.body as any;
    };
    await check(
      '/api/v1/products',
      'post',
      keeper.post('/api/v1/products', { sku: 'BK-DOC', name: 'Tài liệu', unit: 'cuốn', price: 50000, lowStockThreshold: 1 }),
      201,
    );
    await check('/api/v1/products', 'post', keeper.post('/api/v1/products', { sku: 'BK-DOC', name: 'again' }), 409);
    await check('/api/v1/products', 'post', keeper.post('/api/v1/products', { sku: '', name: 'x' }), 422);
    await check('/api/v1/products/{sku}', 'patch', keeper.patch('/api/v1/products/BK-DOC', { price: 55000 }), 200);
    await check('/api/v1/products/{sku}', 'get', keeper.get('/api/v1/products/NOPE'), 404);
    const bought = await check(
      '/api/v1/purchases',
      'post',
      keeper.post('/api/v1/purchases', {
        supplier: 'NCC',
        supplierInvoice: `INV-${Date.now()}`,
        lines: [{ sku: 'BK-DOC', qty: 3, unitCost: 30000 }],
      }),
      201,
    );
    await check(
      '/api/v1/purchases',
      'post',
      keeper.post('/api/v1/purchases', {
        supplier: 'NCC',
        supplierInvoice: bought.supplierInvoice,
        lines: [{ sku: 'BK-DOC', qty: 3, unitCost: 30000 }],
      }),
      409,
    );
    await check('/api/v1/purchases/{number}', 'get', keeper.get(`/api/v1/purchases/${bought.number}`), 200);
    await check('/api/v1/purchases', 'get', keeper.get('/api/v1/purchases?limit=2'), 200);
    await check('/api/v1/purchases', 'get', keeper.get('/api/v1/purchases?from=yesterday'), 400);
    await check(
      '/api/v1/stock/adjustments',
      'post',
      keeper.post('/api/v1/stock/adjustments', { sku: 'BK-DOC', qty: -1, reason: 'hỏng' }),
      201,
    );
    await check(
      '/api/v1/stock/adjustments',
      'post',
      keeper.post('/api/v1/stock/adjustments', { sku: 'BK-DOC', qty: -100, reason: 'hỏng' }),
      409,
    );
    await check(
      '/api/v1/stock/adjustments',
      'post',
      keeper.post('/api/v1/stock/adjustments', { sku: 'NOPE', qty: 1, reason: 'thừa' }),
      422,
    );
    await check('/api/v1/products', 'get', keeper.get('/api/v1/products?limit=3'), 200);
    await check('/api/v1/products/{sku}', 'get', keeper.get('/api/v1/products/BK-DOC'), 200);
    await check('/api/v1/stock/levels', 'get', keeper.get('/api/v1/stock/levels?sku=BK-DOC,BK-TEE'), 200);
    const page = await check('/api/v1/stock/movements', 'get', keeper.get('/api/v1/stock/movements?sku=BK-DOC&limit=1'), 200);
    expect(page.nextCursor).toEqual(expect.any(String)); // a receipt and an adjustment of BK-DOC: two pages
    await check('/api/v1/stock/movements', 'get', keeper.get(`/api/v1/stock/movements?sku=BK-DOC&limit=1&cursor=${page.nextCursor}`), 200);
    await check('/api/v1/stock/movements', 'get', keeper.get('/api/v1/stock/movements?kind=stolen'), 400);
    // A delivered order's sale as the workflow records it, so this test stands on its own.
    await recordSaleDocument(stack.database.db, undefined, {
      orderId: `doc-${Date.now()}`,
      customer: { name: 'Khách', phone: '0900000000' },
      items: [{ sku: 'BK-DOC', name: 'Tài liệu', qty: 1, price: 55000 }],
      shippingFee: 20000,
      codAmount: 75000,
    });
    const sales = await check('/api/v1/books/sales', 'get', books().get('/api/v1/books/sales?kind=sale'), 200);
    await check('/api/v1/books/sales/{number}', 'get', books().get(`/api/v1/books/sales/${sales.documents[0].number}`), 200);
    await check(
      '/api/v1/books/sales/{number}/return',
      'post',
      books().post('/api/v1/books/sales/HD-1999-000001/return', { reason: 'không có' }),
      404,
    );
    await check('/api/v1/books/summary', 'get', books().get('/api/v1/books/summary'), 200);
    await check('/api/v1/books/summary', 'get', books().get('/api/v1/books/summary?granularity=week'), 400);
    const imported = await check(
      '/api/v1/cod/remittances',
      'post',
      books().post('/api/v1/cod/remittances', {
        courier: 'simulator',
        reference: `JSON-${Date.now()}`,
        lines: [{ orderCode: 'nope', codCollected: 1000, fee: 0 }],
      }),
      201,
    );
    await check(
      '/api/v1/cod/remittances',
      'post',
      books().post('/api/v1/cod/remittances', { courier: 'simulator', reference: 'X', lines: [{ codCollected: -1 }] }),
      422,
    );
    await check('/api/v1/cod/remittances', 'get', books().get('/api/v1/cod/remittances?limit=1'), 200);
    await check('/api/v1/cod/remittances/{id}', 'get', books().get(`/api/v1/cod/remittances/${imported.id}`), 200);
    await check('/api/v1/cod/remittances/{id}', 'get', books().get('/api/v1/cod/remittances/999999'), 404);
    await check('/api/v1/cod/remittances/{id}/settle', 'post', books().post(`/api/v1/cod/remittances/${imported.id}/settle`), 200);
    await check('/api/v1/cod/remittances/{id}/settle', 'post', books().post(`/api/v1/cod/remittances/${imported.id}/settle`), 409);
    await check('/api/v1/cod/mismatches', 'get', books().get('/api/v1/cod/mismatches'), 200);
    await check('/api/v1/cod/mismatches', 'get', books().get(`/api/v1/cod/mismatches?remittance=${imported.id}`), 200);
    await check('/api/v1/cod/unpaid', 'get', books().get('/api/v1/cod/unpaid'), 200);
    await check('/api/v1/cod/unpaid', 'get', keeper.get('/api/v1/cod/unpaid'), 403);
    for (const path of [
      '/api/v1/books/sales/export.csv',
      '/api/v1/books/summary/export.csv?granularity=month',
      '/api/v1/purchases/export.csv',
      '/api/v1/cod/mismatches/export.csv',
    ]) {
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${admin.token}` } });
      expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({
        path,
        status: 200,
        type: 'text/csv; charset=utf-8',
      });
      expect([...new Uint8Array(await res.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM for Excel
    }
  });
});
