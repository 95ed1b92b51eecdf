/**
 * Packing on the real stack (dev server, PostgreSQL, HTTP app, courier simulator): products with
 * barcodes, scan to pack gating "Đã đóng gói" (mismatch blocks it, the warehouse lead overrides
 * with a reason, a packer may not), and the slips, labels and pick lists as PDF read back with
 * pdf.js (text, Vietnamese diacritics, page boxes) and their Code 128 bars decoded.
 */
import { and, asc, eq } from 'drizzle-orm';
import { orderEvents, packingOverrides, packingScans, shipments, stockMovements } from '../../db/schema';
import { createDefinitionsStore } from '../../server/shop/definitions';
import { expectDocumented } from '../support/documented';
import { code128InPdf, readPdf } from '../support/pdf';
import { apiClient, eventually, fixture, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let processName: string;
let shopName: string;
type Member = { id: string; token: string };
let admin: Member;
let sales: Member;
let packer: Member;
let lead: Member;

const AO = { sku: 'PK-AO-01', name: 'Áo thun cổ tròn màu đỏ', barcode: '8930000000017' };
const QUAN = { sku: 'PK-QUAN-02', name: 'Quần jean ống đứng', barcode: '8930000000024' };
const MU = { sku: 'PK-MU-09', name: 'Mũ lưỡi trai', barcode: '8930000000031' };
const CUSTOMER = 'Nguyễn Thị Hồng Nhung';

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  await stack.startCourierSimulator({ timeScale: 1 });
  ({ name: processName } = await stack.activateProcess(fixture('packing-order.yaml')));
  [admin, sales, packer, lead] = await Promise.all([
    stack.createStaff(['admin']),
    stack.createStaff(['sales-lead']),
    stack.createStaff(['warehouse'], { name: 'Trần Văn Kho' }),
    stack.createStaff(['warehouse-lead'], { name: 'Lê Thị Trưởng Kho' }),
  ]);
  for (const p of [AO, QUAN, MU]) expect((await as(admin).post('/api/v1/products', { ...p, price: 150000 })).status).toBe(201);
  // Goods on the shelf, so closing reserves them instead of opening a shortage task.
  await stack.database.db
    .insert(stockMovements)
    .values(
      [AO, QUAN, MU].map((p) => ({ sku: p.sku, qty: 1000, kind: 'receipt', reason: 'opening stock', dedupeKey: `test:receipt:${p.sku}` })),
    );
  shopName = (await createDefinitionsStore(stack.database.db).activeShop())!.profile.name;
});
afterAll(() => stack?.close());

const as = (who: Member) => apiClient(base, who.token);
let phoneSeq = 0;

/** A lead closed with 2 × AO and 1 × QUAN to a Vietnamese address; the order waits at packing. */
async function atPacking(): Promise<{ orderId: string; packTaskId: string }> {
  phoneSeq += 1;
  const res = await as(admin).post('/api/v1/leads', {
    channel: 'facebook',
    process: processName,
    customer: { name: CUSTOMER, phone: `0366${String(Date.now() % 100000).padStart(5, '0')}${phoneSeq}`.slice(0, 10) },
  });
  expect(res.status).toBe(201);
  const orderId: string = res.body.orderId;
  const close = await openTask(orderId, 'close');
  const closed = await as(sales).post(`/api/v1/tasks/${close.id}/complete`, {
    outcome: 'closed',
    data: {
      customerName: CUSTOMER,
      phone: '0912345678',
      items: [
        { sku: AO.sku, name: AO.name, qty: 2, price: 150000 },
        { sku: QUAN.sku, name: QUAN.name, qty: 1, price: 420000 },
      ],
      shippingAddress: { street: '12 Lê Lợi', ward: 'Phường Bến Nghé', province: 'Thành phố Hồ Chí Minh' },
      codAmount: 750000,
      shippingFee: 30000,
      note: 'Giao giờ hành chính',
    },
  });
  expect(closed.status).toBe(200);
  return { orderId, packTaskId: (await openTask(orderId, 'pack')).id };
}

async function openTask(orderId: string, stage: string): Promise<{ id: string }> {
  return eventually(
    async () =>
      (await as(admin).get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find((t: { stage: string }) => t.stage === stage),
    30_000,
    `open ${stage} task`,
  );
}
const scan = (who: Member, taskId: string, barcode: string) => as(who).post(`/api/v1/tasks/${taskId}/scans`, { barcode });
const pack = (who: Member, taskId: string) =>
  as(who).post(`/api/v1/tasks/${taskId}/complete`, { outcome: 'packed', data: { weightGrams: 800 } });

/** A PDF from the API: status, content type and bytes. */
async function pdf(who: Member, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${who.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), bytes, json: () => JSON.parse(Buffer.from(bytes).toString('utf8')) };
}

describe('products carry barcodes', () => {
  test('When a product is given a barcode, then a scan finds it, another product cannot take it (409 at barcode), and null removes it', async () => {
    const found = await as(packer).get(`/api/v1/products?barcode=${AO.barcode}`);
    expect(found.status).toBe(200);
    expect(found.body.products.map((p: { sku: string; barcode: string }) => [p.sku, p.barcode])).toEqual([[AO.sku, AO.barcode]]);
    expectDocumented('/api/v1/products', 'get', found);

    const taken = await as(admin).post('/api/v1/products', { sku: 'PK-KHAC', name: 'Hàng khác', barcode: AO.barcode });
    expect(taken.status).toBe(409);
    expect(taken.body.error.details.fields).toEqual([{ field: 'barcode', message: `đã thuộc sản phẩm ${AO.sku}` }]);
    expect((await as(admin).get('/api/v1/products/PK-KHAC')).status).toBe(404);
    const patched = await as(admin).patch(`/api/v1/products/${MU.sku}`, { barcode: QUAN.barcode });
    expect(patched.status).toBe(409);

    const bad = await as(admin).post('/api/v1/products', { sku: 'PK-BAD', name: 'Sai mã', barcode: 'có dấu cách' });
    expect(bad.status).toBe(422);
    expect([...new Set(bad.body.error.details.fields.map((f: { field: string }) => f.field))]).toEqual(['barcode']);

    await as(admin).post('/api/v1/products', { sku: 'PK-TAM', name: 'Tạm', barcode: '999000111' });
    const cleared = await as(admin).patch('/api/v1/products/PK-TAM', { barcode: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.barcode).toBeNull();
    expect((await as(admin).get('/api/v1/products?barcode=999000111')).body.products).toEqual([]);
  });
});

describe('scan to pack', () => {
  test('When nothing was scanned, then "Đã đóng gói" is 422 at scans naming what is missing, and the task stays open', async () => {
    const { packTaskId } = await atPacking();
    const state = await as(packer).get(`/api/v1/tasks/${packTaskId}/packing`);
    expect(state.status).toBe(200);
    expectDocumented('/api/v1/tasks/{id}/packing', 'get', state);
    expect(state.body).toMatchObject({ required: true, outcome: 'packed', matched: false, canComplete: false });
    expect(state.body.lines.map((l: { sku: string; qty: number }) => [l.sku, l.qty])).toEqual([
      [AO.sku, 2],
      [QUAN.sku, 1],
    ]);

    const refused = await pack(packer, packTaskId);
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.fields).toEqual([
      {
        field: 'scans',
        message: `${AO.sku} (${AO.name}): còn thiếu 2 (đơn cần 2, đã quét 0); ${QUAN.sku} (${QUAN.name}): còn thiếu 1 (đơn cần 1, đã quét 0)`,
      },
    ]);
    expect((await as(admin).get(`/api/v1/tasks/${packTaskId}`)).body.status).toBe('open');
  });

  test('When a wrong item and one too many are scanned, then completion is blocked until they are taken out; then it is accepted', async () => {
    const { orderId, packTaskId } = await atPacking();
    const first = await scan(packer, packTaskId, AO.barcode);
    expect(first.status).toBe(201);
    expectDocumented('/api/v1/tasks/{id}/scans', 'post', first);
    expect(first.body.scan).toMatchObject({ barcode: AO.barcode, sku: AO.sku, name: AO.name, result: 'ok', actor: packer.id });
    expect((await scan(packer, packTaskId, AO.sku)).body.scan.result).toBe('ok'); // the SKU written on the goods works too
    const extra = await scan(packer, packTaskId, AO.barcode);
    expect(extra.body.scan.result).toBe('too-many');
    const wrong = await scan(packer, packTaskId, MU.barcode);
    expect(wrong.body.scan).toMatchObject({ sku: MU.sku, result: 'wrong-item' });
    const unknown = await scan(packer, packTaskId, '0000000000000');
    expect(unknown.body.scan).toMatchObject({ sku: null, result: 'wrong-item' });
    const all = (await scan(packer, packTaskId, QUAN.barcode)).body.state;
    expect(all.problems.map((p: { kind: string }) => p.kind).sort()).toEqual(['too-many', 'wrong-item', 'wrong-item']);

    const blocked = await pack(packer, packTaskId);
    expect(blocked.status).toBe(422);
    expect(blocked.body.error.details.fields[0].field).toBe('scans');
    expect(blocked.body.error.details.fields[0].message).toContain(`${MU.sku} không có trong đơn`);

    for (const s of [extra, wrong, unknown]) {
      const out = await as(packer).delete(`/api/v1/tasks/${packTaskId}/scans/${s.body.scan.id}`);
      expect(out.status).toBe(200);
    }
    expect((await as(packer).delete(`/api/v1/tasks/${packTaskId}/scans/${wrong.body.scan.id}`)).status).toBe(409);
    const fixed = await as(packer).get(`/api/v1/tasks/${packTaskId}/packing`);
    expect(fixed.body).toMatchObject({ matched: true, canComplete: true, problems: [] });

    expect((await pack(packer, packTaskId)).status).toBe(200);
    // Every scan is on record, the ones taken out with who took them out; wrong ones are order events.
    const rows = await stack.database.db
      .select()
      .from(packingScans)
      .where(eq(packingScans.taskId, packTaskId))
      .orderBy(asc(packingScans.id));
    expect(rows.map((r) => [r.barcode, r.result, r.removedBy])).toEqual([
      [AO.barcode, 'ok', null],
      [AO.sku, 'ok', null],
      [AO.barcode, 'too-many', packer.id],
      [MU.barcode, 'wrong-item', packer.id],
      ['0000000000000', 'wrong-item', packer.id],
      [QUAN.barcode, 'ok', null],
    ]);
    const timeline = (await as(admin).get(`/api/v1/orders/${orderId}`)).body.timeline;
    expect(timeline.filter((e: { type: string }) => e.type === 'packing_mismatch')).toHaveLength(3);
    // A closed task takes no more scans.
    expect((await scan(packer, packTaskId, AO.barcode)).status).toBe(409);
  });

  test('When the box does not match, then a packer cannot override (403), the warehouse lead can with a reason (recorded), and the packer then completes', async () => {
    const { orderId, packTaskId } = await atPacking();
    await scan(packer, packTaskId, AO.barcode);
    await scan(packer, packTaskId, AO.barcode); // QUAN is missing: out of stock, the customer agreed to wait for it

    const denied = await as(packer).post(`/api/v1/tasks/${packTaskId}/packing-override`, { reason: 'Khách đồng ý giao thiếu' });
    expect(denied.status).toBe(403);
    expect((await stack.database.db.select().from(packingOverrides).where(eq(packingOverrides.taskId, packTaskId))).length).toBe(0);
    const noReason = await as(lead).post(`/api/v1/tasks/${packTaskId}/packing-override`, { reason: '  ' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);

    const overridden = await as(lead).post(`/api/v1/tasks/${packTaskId}/packing-override`, {
      reason: 'Khách đồng ý nhận thiếu quần, giao bù sau',
    });
    expect(overridden.status).toBe(201);
    expectDocumented('/api/v1/tasks/{id}/packing-override', 'post', overridden);
    expect(overridden.body).toMatchObject({
      matched: false,
      canComplete: true,
      override: { reason: 'Khách đồng ý nhận thiếu quần, giao bù sau', actor: lead.id },
    });

    expect((await pack(packer, packTaskId)).status).toBe(200);
    const [row] = await stack.database.db.select().from(packingOverrides).where(eq(packingOverrides.taskId, packTaskId));
    expect(row).toMatchObject({ orderId, actor: lead.id, reason: 'Khách đồng ý nhận thiếu quần, giao bù sau' });
    expect(row!.problems).toEqual([expect.objectContaining({ kind: 'missing', sku: QUAN.sku, expected: 1, scanned: 0 })]);
    const [event] = await stack.database.db
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, 'packing_override')));
    expect(event).toMatchObject({ actor: lead.id, data: { taskId: packTaskId, reason: 'Khách đồng ý nhận thiếu quần, giao bù sau' } });
  });

  test('When a scan comes after an override, then the override no longer holds and the box is checked again', async () => {
    const { packTaskId } = await atPacking();
    await scan(packer, packTaskId, AO.barcode);
    expect((await as(lead).post(`/api/v1/tasks/${packTaskId}/packing-override`, { reason: 'Giao thiếu theo yêu cầu khách' })).status).toBe(
      201,
    );
    const after = await scan(packer, packTaskId, MU.barcode);
    expect(after.body.state).toMatchObject({ override: null, canComplete: false });
    expect((await pack(packer, packTaskId)).status).toBe(422);
  });
});

describe('packing slips, labels and pick lists', () => {
  let orderId: string;
  let tracking: string;
  let second: string;

  beforeAll(async () => {
    const packed = await atPacking();
    orderId = packed.orderId;
    for (const code of [AO.barcode, AO.barcode, QUAN.barcode]) expect((await scan(packer, packed.packTaskId, code)).status).toBe(201);
    expect((await pack(packer, packed.packTaskId)).status).toBe(200);
    tracking = await eventually(
      async () => (await stack.database.db.select().from(shipments).where(eq(shipments.orderId, orderId)))[0]?.trackingCode,
      30_000,
      'tracking code',
    );
    second = (await atPacking()).orderId; // still at packing: no tracking code yet
  });

  test('When the A6 label is printed, then it is one 298×420 pt page with the courier, tracking and order codes as Code 128, receiver, COD and items in Vietnamese', async () => {
    const res = await pdf(packer, `/api/v1/orders/${orderId}/label.pdf?size=A6`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/pdf');
    const pages = await readPdf(res.bytes);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.box.map((n) => Math.round(n))).toEqual([0, 0, 298, 420]);
    const text = pages[0]!.text;
    for (const expected of [
      'Đơn vị vận chuyển giả lập (phát triển)',
      `Mã vận đơn: ${tracking}`,
      `Mã đơn: ${orderId}`,
      shopName,
      CUSTOMER,
      '12 Lê Lợi, Phường Bến Nghé, Thành phố Hồ Chí Minh',
      'Thu hộ (COD):',
      '750.000 ₫',
      `2 × ${AO.sku} · ${AO.name}`,
      `1 × ${QUAN.sku} · ${QUAN.name}`,
      'Khối lượng: 800 g',
    ])
      expect(text).toContain(expected);
    expect(code128InPdf(res.bytes)).toEqual([tracking, orderId]);
  });

  test('When the packing slip is printed on A5 and K80, then the page is A5 (420×595 pt) or 80 mm wide as tall as its content, with the items, totals and both barcodes', async () => {
    const a5 = await pdf(packer, `/api/v1/orders/${orderId}/packing-slip.pdf?size=A5`);
    expect(a5.status).toBe(200);
    const [page] = await readPdf(a5.bytes);
    expect(page!.box.map((n) => Math.round(n))).toEqual([0, 0, 420, 595]);
    for (const expected of [
      'PHIẾU ĐÓNG GÓI',
      shopName,
      CUSTOMER,
      AO.name,
      QUAN.name,
      '300.000 ₫',
      '420.000 ₫',
      'Thu hộ (COD): 750.000 ₫',
      'Phí ship: 30.000 ₫',
      'Ghi chú: Giao giờ hành chính',
    ])
      expect(page!.text).toContain(expected);
    expect(code128InPdf(a5.bytes)).toEqual([orderId, tracking]);

    const k80 = await pdf(packer, `/api/v1/orders/${orderId}/packing-slip.pdf?size=K80`);
    const [roll] = await readPdf(k80.bytes);
    expect(roll!.box[2]).toBeCloseTo((80 / 25.4) * 72, 1);
    expect(roll!.box[3]).toBeGreaterThan(250);
    expect(roll!.box[3]).toBeLessThan(600);
    expect(roll!.text).toContain('Số lượng: 3 sản phẩm');
  });

  test('When the size is not A6, A5 or K80 or the order does not exist, then 400 names size and 404 says no order', async () => {
    const bad = await pdf(packer, `/api/v1/orders/${orderId}/label.pdf?size=A4`);
    expect(bad.status).toBe(400);
    expect(bad.json().error.details.fields.map((f: { field: string }) => f.field)).toEqual(['size']);
    expect((await pdf(packer, '/api/v1/orders/DH-KHONG-CO/label.pdf')).status).toBe(404);
    expect((await pdf(packer, '/api/v1/orders/__proto__/packing-slip.pdf')).status).toBe(404);
  });

  test('When labels of a batch are printed, then one PDF has a page per order in that order; an unknown order is 422 at its index', async () => {
    const res = await pdf(packer, '/api/v1/orders/labels.pdf', { orderIds: [second, orderId], size: 'K80' });
    expect(res.status).toBe(200);
    const pages = await readPdf(res.bytes);
    expect(pages).toHaveLength(2);
    expect(pages[0]!.text).toContain(`Mã đơn: ${second}`);
    expect(pages[0]!.text).toContain('Chưa có mã vận đơn');
    expect(pages[1]!.text).toContain(`Mã vận đơn: ${tracking}`);
    expect(code128InPdf(res.bytes)).toEqual([second, tracking, orderId]);

    const missing = await pdf(packer, '/api/v1/orders/labels.pdf', { orderIds: [orderId, 'DH-KHONG-CO'] });
    expect(missing.status).toBe(422);
    expect(missing.json().error.details.fields.map((f: { field: string }) => f.field)).toEqual(['orderIds.1']);
    expect((await pdf(packer, '/api/v1/orders/labels.pdf', { orderIds: [] })).status).toBe(422);
  });

  test('When the pick list of a batch is printed, then each SKU is summed over the orders and each order lists its lines', async () => {
    const res = await pdf(packer, '/api/v1/orders/pick-list.pdf', { orderIds: [orderId, second] });
    expect(res.status).toBe(200);
    const [page] = await readPdf(res.bytes);
    expect(page!.box.map((n) => Math.round(n))).toEqual([0, 0, 595, 842]);
    expect(page!.text).toContain('DANH SÁCH LẤY HÀNG');
    expect(page!.text).toContain('2 đơn · 6 sản phẩm');
    expect(page!.text).toContain(`${AO.sku} ${AO.name} 4 2`);
    expect(page!.text).toContain(`${QUAN.sku} ${QUAN.name} 2 2`);
    expect(page!.text).toContain(`${second} — ${CUSTOMER}`);
  });

  test('When a staff member without orders.read asks for a label or a pick list, then 403', async () => {
    const nobody = await stack.createStaff([]);
    expect((await pdf(nobody, `/api/v1/orders/${orderId}/label.pdf`)).status).toBe(403);
    expect((await pdf(nobody, '/api/v1/orders/pick-list.pdf', { orderIds: [orderId] })).status).toBe(403);
  });
});
