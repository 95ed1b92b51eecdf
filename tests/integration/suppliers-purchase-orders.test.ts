/**
 * Suppliers and purchase orders on the real HTTP app and PostgreSQL: a supplier with contacts and
 * a lead time, a purchase order whose expected day follows from it, receipts (partial, then the
 * rest) that become purchase documents and move stock exactly once — also when repeated or sent
 * twice at the same moment — and bad input refused at its field.
 */
import { and, count, eq, like } from 'drizzle-orm';
import { purchaseOrderReceipts, stockMovements } from '../../db/schema';
import { apiClient, openTestStack, uniqueId, type TestStack } from '../support/stack';
import { expectDocumented } from '../support/documented';

let stack: TestStack;
let base: string;
let keeper: { id: string; token: string };
let marketing: { id: string; token: string };

beforeAll(async () => {
  stack = await openTestStack();
  base = await stack.startApp();
  [keeper, marketing] = await Promise.all([stack.createStaff(['warehouse']), stack.createStaff(['marketing'])]);
}, 120_000);
afterAll(() => stack?.close());

const api = () => apiClient(base, keeper.token);
const onHand = async (sku: string) => (await api().get(`/api/v1/stock/levels?sku=${sku}&warehouse=main`)).body.levels[0]?.onHand ?? 0;
const receiptMovements = async (sku: string) =>
  (
    await stack.database.db
      .select({ n: count() })
      .from(stockMovements)
      .where(and(eq(stockMovements.sku, sku), eq(stockMovements.kind, 'receipt'), like(stockMovements.dedupeKey, 'purchase:%')))
  )[0]!.n;

async function product(sku: string) {
  const res = await api().post('/api/v1/products', { sku, name: `Hàng ${sku}`, price: 100000 });
  expect(res.status).toBe(201);
}
async function supplier(extra: Record<string, unknown> = {}) {
  const res = await api().post('/api/v1/suppliers', { name: uniqueId('NCC Bình Minh'), leadTimeDays: 5, ...extra });
  expect(res.status).toBe(201);
  return res.body as { id: string; name: string };
}
async function sentOrder(supplierId: string, lines: Array<{ sku: string; qty: number; unitCost: number }>) {
  const created = await api().post('/api/v1/purchase-orders', { supplierId, orderDate: '2026-03-02', lines });
  expect(created.status).toBe(201);
  const sent = await api().post(`/api/v1/purchase-orders/${created.body.id}/send`);
  expect(sent.status).toBe(200);
  expect(sent.body.status).toBe('sent');
  return created.body.id as string;
}

describe('suppliers', () => {
  test('When a supplier is added with contacts and a lead time, then it is listed, changed, and deactivated, keeping its details', async () => {
    const name = uniqueId('Xưởng may Hoà Bình');
    const created = await api().post('/api/v1/suppliers', {
      name,
      taxCode: '0101234567',
      phone: '0241234567',
      leadTimeDays: 7,
      contacts: [
        { name: 'Chị Lan', phone: '0912345678', role: 'báo giá' },
        { name: 'Anh Tú', email: 'tu@hoabinh.vn', role: 'giao hàng' },
      ],
    });
    expect(created.status).toBe(201);
    expectDocumented('/api/v1/suppliers', 'post', created);
    expect(created.body).toMatchObject({ name, leadTimeDays: 7, active: true, contacts: [{ name: 'Chị Lan' }, { name: 'Anh Tú' }] });
    const id = created.body.id;
    expect((await api().get(`/api/v1/suppliers/${id}`)).body.taxCode).toBe('0101234567');
    const listed = await api().get(`/api/v1/suppliers?q=${encodeURIComponent(name.slice(0, 12))}`);
    expect(listed.body.suppliers.map((s: { id: string }) => s.id)).toContain(id);
    const changed = await api().patch(`/api/v1/suppliers/${id}`, { leadTimeDays: 3, contacts: [{ name: 'Chị Lan' }] });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ leadTimeDays: 3, contacts: [{ name: 'Chị Lan' }] });
    const gone = await api().delete(`/api/v1/suppliers/${id}`);
    expect(gone.body.active).toBe(false);
    expect((await api().get('/api/v1/suppliers?active=false')).body.suppliers.map((s: { id: string }) => s.id)).toContain(id);
    // An inactive supplier takes no new orders.
    await product('SUP-INACT');
    const refused = await api().post('/api/v1/purchase-orders', { supplierId: id, lines: [{ sku: 'SUP-INACT', qty: 1, unitCost: 1 }] });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.fields[0].field).toBe('supplierId');
  });

  test('When a supplier body is wrong, then the answer is 4xx naming the field, and a second supplier of the same name is 409', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'X', leadTimeDays: -1 }, 'leadTimeDays'],
      [{ name: 'X', leadTimeDays: 1.5 }, 'leadTimeDays'],
      [{ name: 'X', contacts: [{ phone: '0912345678' }] }, 'contacts.0'],
      [{ name: 'X', contacts: [{ name: 'A', email: 'not-an-email' }] }, 'contacts.0.email'],
      [{ name: 'X', taxCode: '12' }, 'taxCode'],
      [{ name: 'X', colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of cases) {
      const res = await api().post('/api/v1/suppliers', body);
      expect(res.status).toBe(422);
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field).join(' ')).toContain(field);
    }
    const first = await supplier();
    const twin = await api().post('/api/v1/suppliers', { name: first.name.toUpperCase() });
    expect(twin.status).toBe(409);
    expect(twin.body.error.details.fields[0].field).toBe('name');
    expect((await api().patch(`/api/v1/suppliers/${first.id}`, {})).status).toBe(422);
    expect((await api().get('/api/v1/suppliers/sup_nope')).status).toBe(404);
    expect((await api().patch('/api/v1/suppliers/sup_nope', { note: 'x' })).status).toBe(404);
    expect((await api().get('/api/v1/suppliers?active=maybe')).status).toBe(400);
    // Suppliers are the warehouse's and accounting's (stock.manage).
    expect((await apiClient(base, marketing.token).get('/api/v1/suppliers')).status).toBe(403);
  });
});

describe('purchase orders', () => {
  test('When an order is received in two deliveries, then each becomes a purchase document and stock rises by exactly what arrived, once', async () => {
    await product('PO-AO');
    await product('PO-QUAN');
    const ncc = await supplier({ leadTimeDays: 5 });
    const draft = await api().post('/api/v1/purchase-orders', {
      supplierId: ncc.id,
      orderDate: '2026-03-02',
      lines: [
        { sku: 'PO-AO', qty: 10, unitCost: 80000 },
        { sku: 'PO-QUAN', qty: 3, unitCost: 120000 },
      ],
    });
    expect(draft.status).toBe(201);
    expectDocumented('/api/v1/purchase-orders', 'post', draft);
    // 2026-03-02 + 5 days of lead time.
    expect(draft.body).toMatchObject({
      status: 'draft',
      orderDate: '2026-03-02',
      expectedDate: '2026-03-07',
      total: 10 * 80000 + 3 * 120000,
    });
    const id = draft.body.id;
    // A draft has not been sent: nothing can arrive yet, and nothing moved.
    expect((await api().post(`/api/v1/purchase-orders/${id}/receive`, {})).status).toBe(409);
    expect(await onHand('PO-AO')).toBe(0);
    expect((await api().post(`/api/v1/purchase-orders/${id}/send`)).body.status).toBe('sent');

    const first = await api().post(`/api/v1/purchase-orders/${id}/receive`, {
      lines: [{ sku: 'PO-AO', qty: 4 }],
      supplierInvoice: uniqueId('HD'),
    });
    expect(first.status).toBe(201);
    expectDocumented('/api/v1/purchase-orders/{id}/receive', 'post', first);
    expect(first.body.purchase).toMatchObject({ supplier: ncc.name, lines: [{ sku: 'PO-AO', qty: 4, unitCost: 80000, amount: 320000 }] });
    expect(first.body.purchase.number).toMatch(/^PN-\d{4}-\d{6}$/);
    expect(first.body.order.status).toBe('sent');
    expect(first.body.order.lines).toEqual([
      expect.objectContaining({ sku: 'PO-AO', receivedQty: 4, outstandingQty: 6 }),
      expect.objectContaining({ sku: 'PO-QUAN', receivedQty: 0, outstandingQty: 3 }),
    ]);
    expect(await onHand('PO-AO')).toBe(4);
    // The purchase document is the books' own.
    expect((await api().get(`/api/v1/purchases/${first.body.purchase.number}`)).body.total).toBe(320000);

    const tooMany = await api().post(`/api/v1/purchase-orders/${id}/receive`, { lines: [{ sku: 'PO-AO', qty: 7 }] });
    expect(tooMany.status).toBe(422);
    expectDocumented('/api/v1/purchase-orders/{id}/receive', 'post', tooMany);
    expect(tooMany.body.error.details.fields[0].field).toBe('lines.0.qty');
    const notOnOrder = await api().post(`/api/v1/purchase-orders/${id}/receive`, {
      lines: [
        { sku: 'PO-QUAN', qty: 1 },
        { sku: 'PO-OTHER', qty: 1 },
      ],
    });
    expect(notOnOrder.status).toBe(422);
    expect(notOnOrder.body.error.details.fields[0].field).toBe('lines.1.sku');
    expect(await onHand('PO-QUAN')).toBe(0); // the refused receipt changed nothing

    const rest = await api().post(`/api/v1/purchase-orders/${id}/receive`, {});
    expect(rest.status).toBe(201);
    expect(rest.body.purchase.lines).toEqual([
      expect.objectContaining({ sku: 'PO-AO', qty: 6 }),
      expect.objectContaining({ sku: 'PO-QUAN', qty: 3 }),
    ]);
    expect(rest.body.order.status).toBe('received');
    expect(rest.body.order.receipts.map((r: { purchaseNumber: string }) => r.purchaseNumber)).toEqual([
      first.body.purchase.number,
      rest.body.purchase.number,
    ]);

    // Receiving a received order again: the order as it is, no document, no stock.
    const again = await api().post(`/api/v1/purchase-orders/${id}/receive`, {});
    expect(again.status).toBe(200);
    expectDocumented('/api/v1/purchase-orders/{id}/receive', 'post', again);
    expect(again.body.purchase).toBeNull();
    expect(await onHand('PO-AO')).toBe(10);
    expect(await onHand('PO-QUAN')).toBe(3);
    expect(await receiptMovements('PO-AO')).toBe(2);
    // A received order can no longer be cancelled.
    const cancel = await api().post(`/api/v1/purchase-orders/${id}/cancel`);
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.details.fields[0].field).toBe('status');
  });

  test('When the same receipt is sent twice at once, or retried with its Idempotency-Key, then the goods come in once', async () => {
    await product('PO-RACE');
    await product('PO-KEY');
    const ncc = await supplier();
    const race = await sentOrder(ncc.id, [{ sku: 'PO-RACE', qty: 5, unitCost: 1000 }]);
    const answers = await Promise.all([1, 2, 3].map(() => api().post(`/api/v1/purchase-orders/${race}/receive`, {})));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    expect(await onHand('PO-RACE')).toBe(5);
    expect(
      (
        await stack.database.db.select({ n: count() }).from(purchaseOrderReceipts).where(eq(purchaseOrderReceipts.purchaseOrderId, race))
      )[0]!.n,
    ).toBe(1);

    const keyed = await sentOrder(ncc.id, [{ sku: 'PO-KEY', qty: 10, unitCost: 1000 }]);
    const key = { 'idempotency-key': uniqueId('receipt') };
    const once = await api().post(`/api/v1/purchase-orders/${keyed}/receive`, { lines: [{ sku: 'PO-KEY', qty: 2 }] }, key);
    const retry = await api().post(`/api/v1/purchase-orders/${keyed}/receive`, { lines: [{ sku: 'PO-KEY', qty: 2 }] }, key);
    expect(once.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.purchase.number).toBe(once.body.purchase.number);
    expect(await onHand('PO-KEY')).toBe(2);
  });

  test('When a purchase order is wrong, then it is refused at the field and nothing is stored', async () => {
    await product('PO-BAD');
    const ncc = await supplier();
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ lines: [{ sku: 'PO-BAD', qty: 1, unitCost: 1 }] }, 422, 'supplierId'],
      [{ supplierId: 'sup_nope', lines: [{ sku: 'PO-BAD', qty: 1, unitCost: 1 }] }, 422, 'supplierId'],
      [{ supplierId: ncc.id, lines: [] }, 422, 'lines'],
      [{ supplierId: ncc.id, lines: [{ sku: 'NO-SUCH', qty: 1, unitCost: 1 }] }, 422, 'lines.0.sku'],
      [{ supplierId: ncc.id, lines: [{ sku: 'PO-BAD', qty: 0, unitCost: 1 }] }, 422, 'lines.0.qty'],
      [{ supplierId: ncc.id, lines: [{ sku: 'PO-BAD', qty: 1, unitCost: -5 }] }, 422, 'lines.0.unitCost'],
      [
        {
          supplierId: ncc.id,
          lines: [
            { sku: 'PO-BAD', qty: 1, unitCost: 1 },
            { sku: 'PO-BAD', qty: 2, unitCost: 1 },
          ],
        },
        422,
        'lines.1.sku',
      ],
      [{ supplierId: ncc.id, warehouse: 'mars', lines: [{ sku: 'PO-BAD', qty: 1, unitCost: 1 }] }, 422, 'warehouse'],
      [{ supplierId: ncc.id, orderDate: '2026-13-40', lines: [{ sku: 'PO-BAD', qty: 1, unitCost: 1 }] }, 422, 'orderDate'],
    ];
    for (const [body, status, field] of cases) {
      const res = await api().post('/api/v1/purchase-orders', body);
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field).join(' ')).toContain(field);
    }
    expect((await api().get(`/api/v1/purchase-orders?supplierId=${ncc.id}`)).body.purchaseOrders).toEqual([]);
    expect((await api().get('/api/v1/purchase-orders?status=lost')).status).toBe(400);
    expect((await api().get('/api/v1/purchase-orders/po_nope')).status).toBe(404);
    expect((await api().post('/api/v1/purchase-orders/po_nope/receive', {})).status).toBe(404);
    expect((await api().post('/api/v1/purchase-orders/po_nope/send')).status).toBe(404);
    const order = await sentOrder(ncc.id, [{ sku: 'PO-BAD', qty: 1, unitCost: 1 }]);
    const badReceipt = await api().post(`/api/v1/purchase-orders/${order}/receive`, { lines: [{ sku: 'PO-BAD', qty: 'one' }] });
    expect(badReceipt.status).toBe(422);
    expect(badReceipt.body.error.details.fields[0].field).toBe('lines.0.qty');
    // Cancelled before anything arrived: nothing can be received any more.
    expect((await api().post(`/api/v1/purchase-orders/${order}/cancel`)).body.status).toBe('cancelled');
    expect((await api().post(`/api/v1/purchase-orders/${order}/receive`, {})).status).toBe(409);
    expect(await onHand('PO-BAD')).toBe(0);
  });
});
