/**
 * A partial delivery end to end on real parts: an order through the HTTP app and the order
 * workflow, shipped with the courier simulator playing `partial-return` (GHN's callback shape:
 * `IsPartialReturn`, `PartialReturnCode`, the COD collected for the part kept), the webhook
 * recorded by the real route, and KPI revenue read by the real SQL. Figures are worked out here:
 *
 *   items: 2 × AO-01 at 150,000 + 1 × QUAN-02 at 200,000 = 500,000 VND, COD 500,000.
 *   The simulated customer keeps all but the last line: QUAN-02 (200,000) comes back, and the
 *   courier collects 500,000 − 200,000 = 300,000.
 *   Courier's figure: returned 500,000 − 300,000 = 200,000 → revenue 500,000 − 200,000 = 300,000.
 *   The warehouse then counts what physically came back: the trousers and one shirt
 *   (200,000 + 150,000 = 350,000) → its figure wins: revenue 500,000 − 350,000 = 150,000.
 *
 *   Books: the sale HD is for the whole order (goods 500,000, COD 500,000); at the warehouse's
 *   count a return TH reverses the lines it names at the sale's prices (−200,000 − 150,000 =
 *   −350,000) and the COD the courier did not collect (500,000 − 300,000 = −200,000). Net goods
 *   150,000, net COD 300,000: a remittance of exactly 300,000 matches.
 *   Marketing (a new customer's lead): gross 500,000, net 500,000 − 350,000 = 150,000, as revenue.
 *   Return rate of the simulator courier: 0 of 1 parcel by count (it was delivered), 350,000 of
 *   500,000 by value.
 */
import { and, asc, eq } from 'drizzle-orm';
import { createGhtkAdapter } from '../../../activities/shipping/couriers/ghtk';
import { codMismatches, importRemittance, remittanceLines, unpaidCodOrders } from '../../../db/books/cod';
import { leadsByChannelAndCampaign, returnsByCourier, revenueByChannelAndRep } from '../../../db/kpi/queries';
import { recordCourierEvent, takeBackCountedPartialReturn } from '../../../db/shipping/courier-events';
import { stockLevels } from '../../../db/books/stock-ledger';
import { courierEvents, orderEvents, orders, salesDocumentLines, salesDocuments, shipments, stockMovements } from '../../../db/schema';
import { apiClient, eventually, fixture, openTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let base: string;
let processName: string;
let admin: { id: string; token: string };
let marketing: { id: string; token: string };
let accountant: { id: string; token: string };
const startedAt = Date.now();

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  await stack.startCourierSimulator({ timeScale: 1 }); // one simulated day per second
  ({ name: processName } = await stack.activateProcess(fixture('fast-ship.yaml')));
  [admin, marketing, accountant] = await Promise.all([
    stack.createStaff(['admin']),
    stack.createStaff(['marketing']),
    stack.createStaff(['accounting']),
  ]);
  for (const sku of ['AO-01', 'QUAN-02']) {
    await stack.database.db
      .insert(stockMovements)
      .values({ sku, qty: 100, kind: 'receipt', reason: 'opening stock', dedupeKey: `partial-test:receipt:${sku}` });
  }
});
afterAll(() => stack?.close());

const api = () => apiClient(base, admin.token);
const openTask = (orderId: string, title: string) =>
  eventually(
    async () =>
      (await api().get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find((t: { title: string }) => t.title === title),
    30_000,
    `open task "${title}"`,
  );
/** A local day (Asia/Ho_Chi_Minh, UTC+7) `days` from today, as the books' date filters take it. */
const localDay = (days = 0) => new Date(Date.now() + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
/** Revenue of every order in this file's database, from the order's start to an hour from now. */
const revenue = async () =>
  (await revenueByChannelAndRep(stack.database.db, startedAt - 3_600_000, Date.now() + 3_600_000, 'sales-lead')).reduce(
    (sum, row) => sum + row.revenue,
    0,
  );

describe('A partial delivery reported by the courier', () => {
  test("When the courier delivers part of the parcel, then revenue takes back the courier's returned value, and once the warehouse counts what came back its figure wins", async () => {
    const db = stack.database.db;
    const lead = await apiClient(base, marketing.token).post('/api/v1/leads', {
      channel: 'facebook',
      process: processName,
      note: '[sim:partial-return]',
      customer: { name: 'Khách nhận một phần', phone: `0377${String(Date.now() % 1_000_000).padStart(6, '0')}` },
    });
    expect(lead.status).toBe(201);
    const orderId: string = lead.body.orderId;
    const close = await openTask(orderId, 'Chốt đơn');
    const closed = await api().post(`/api/v1/tasks/${close.id}/complete`, {
      outcome: 'closed',
      data: {
        items: [
          { sku: 'AO-01', name: 'Áo thun', qty: 2, price: 150_000 },
          { sku: 'QUAN-02', name: 'Quần', qty: 1, price: 200_000 },
        ],
        shippingAddress: { street: '12 Lê Lợi', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
        codAmount: 500_000,
      },
    });
    expect(closed.status).toBe(200);

    // The courier's report: delivered, in part; the courier's figure is on the order.
    const courierFigure = await eventually(
      async () => {
        const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
        return order?.returnedAmount ?? undefined;
      },
      30_000,
      'returned amount from the courier',
    );
    expect(courierFigure).toBe(500_000 - 300_000);
    const [shipment] = await db.select().from(shipments).where(eq(shipments.orderId, orderId));
    expect(shipment).toMatchObject({ state: 'delivered', rawStatus: 'delivered', codAmount: 500_000 });
    const events = await db
      .select()
      .from(courierEvents)
      .where(eq(courierEvents.orderId, orderId))
      .orderBy(asc(courierEvents.at), asc(courierEvents.id));
    const delivered = events.find((e) => e.state === 'delivered')!;
    expect(delivered.data).toMatchObject({
      codAmount: 300_000,
      partial: { deliveredValue: 300_000, code: expect.stringMatching(/^L[A-Z0-9]{7}$/) },
    });
    const derived = events.filter((e) => e.state === 'returned');
    expect(derived).toHaveLength(1);
    expect(derived[0]).toMatchObject({ via: 'partial', applied: true, rawStatus: 'delivered:partial-return' });
    expect(derived[0]!.at.getTime()).toBe(delivered.at.getTime() + 1);
    const [partialEvent] = await db
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, 'courier_partial_delivery')));
    expect(partialEvent!.data).toMatchObject({ deliveredValue: 300_000, returnedValue: 200_000 });
    expect(await revenue()).toBe(500_000 - 200_000);

    // The order is delivered and waits on the warehouse to receive the returned part.
    const receive = await openTask(orderId, 'Nhận phần hàng hoàn (giao một phần)');
    expect(receive).toMatchObject({ role: 'warehouse', stage: 'ship' });
    const before = await stockLevels(db, ['AO-01', 'QUAN-02']);
    const received = await api().post(`/api/v1/tasks/${receive.id}/complete`, {
      outcome: 'received',
      data: {
        returnedItems: [
          { sku: 'QUAN-02', qty: 1 },
          { sku: 'AO-01', qty: 1 },
        ],
        restockedItems: [
          { sku: 'QUAN-02', qty: 1 },
          { sku: 'AO-01', qty: 1 },
        ],
      },
    });
    expect(received.status).toBe(200);
    const result = await stack.temporal.workflow.getHandle(`order:${orderId}`).result();
    expect(result).toMatchObject({ result: 'completed', shipment: { state: 'delivered' } });
    expect(result.path.map((v: { stage: string; outcome?: string }) => [v.stage, v.outcome])).toEqual([
      ['close', 'closed'],
      ['ship', 'delivered'],
      ['done', undefined],
    ]);

    const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
    expect(order).toMatchObject({ status: 'completed', total: 500_000, returnedAmount: 150_000 + 200_000 });
    expect(await revenue()).toBe(500_000 - 350_000);
    const after = await stockLevels(db, ['AO-01', 'QUAN-02']);
    expect(after['AO-01']!.onHand - before['AO-01']!.onHand).toBe(1);
    expect(after['QUAN-02']!.onHand - before['QUAN-02']!.onHand).toBe(1);

    // The books: the sale for the whole order, and one return for the part the warehouse counted back.
    const docs = await db.select().from(salesDocuments).where(eq(salesDocuments.orderId, orderId)).orderBy(asc(salesDocuments.id));
    expect(docs.map((d) => d.kind)).toEqual(['sale', 'return']);
    const [sale, back] = docs as [(typeof docs)[number], (typeof docs)[number]];
    expect(sale).toMatchObject({ goodsTotal: 500_000, codAmount: 500_000, number: expect.stringMatching(/^HD-\d{4}-\d{6}$/) });
    expect(back).toMatchObject({
      reverses: sale.number,
      goodsTotal: -350_000,
      codAmount: -200_000,
      shippingFee: 0,
      number: expect.stringMatching(/^TH-\d{4}-\d{6}$/),
    });
    const backLines = await db
      .select()
      .from(salesDocumentLines)
      .where(eq(salesDocumentLines.documentId, back.id))
      .orderBy(asc(salesDocumentLines.sku));
    expect(backLines.map((l) => [l.sku, l.qty, l.price, l.amount])).toEqual([
      ['AO-01', -1, 150_000, -150_000],
      ['QUAN-02', -1, 200_000, -200_000],
    ]);
    const books = apiClient(base, accountant.token);
    const range = `from=${localDay(-1)}&to=${localDay(1)}`;
    const summary = await books.get(`/api/v1/books/summary?${range}&granularity=month`);
    expect(summary.status).toBe(200);
    expect(summary.body.totals).toMatchObject({
      salesDocuments: 1,
      returnDocuments: 1,
      salesGoods: 500_000,
      returnedGoods: 350_000,
      refunded: 0,
      netSales: 150_000,
      codAmount: 300_000,
    });
    const csv = await (
      await fetch(`${base}/api/v1/books/sales/export.csv?${range}`, { headers: { authorization: `Bearer ${accountant.token}` } })
    ).text();
    const header = csv.split('\r\n')[0]!.split(',');
    const rows = csv
      .split('\r\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => l.split(','))
      .filter((r) => r[header.indexOf('order')] === orderId);
    expect(rows.reduce((sum, r) => sum + Number(r[header.indexOf('amount')]), 0)).toBe(150_000);

    // COD: the courier owes what it collected for the part kept, not the order's whole COD.
    expect((await unpaidCodOrders(db, { courier: shipment!.courier })).find((o) => o.orderId === orderId)).toMatchObject({
      expectedCod: 300_000,
    });
    const exact = await importRemittance(db, {
      courier: shipment!.courier,
      reference: `partial-exact-${orderId}`,
      lines: [{ orderCode: orderId, codCollected: 300_000, fee: 20_000 }],
      actor: accountant.id,
    });
    expect((await remittanceLines(db, exact.id)).map((l) => [l.expectedCod, l.match])).toEqual([[300_000, 'matched']]);
    expect((await codMismatches(db)).filter((m) => m.orderId === orderId)).toEqual([]);

    // KPI, worked out above: marketing net and the return rate by value take back what revenue does.
    const window = [startedAt - 3_600_000, Date.now() + 3_600_000] as const;
    const leads = (await leadsByChannelAndCampaign(db, ...window, 'sales-lead')).filter((r) => r.channel === 'facebook');
    expect(leads.reduce((sum, r) => sum + r.newCustomerGross, 0)).toBe(500_000);
    expect(leads.reduce((sum, r) => sum + r.newCustomerNet, 0)).toBe(150_000);
    const sim = (await returnsByCourier(db, ...window)).find((r) => r.courier === shipment!.courier);
    expect(sim).toMatchObject({ shipped: 1, shippedValue: 500_000, returned: 0, returnedValue: 350_000 });

    // A courier report replayed after the warehouse counted never replaces the warehouse's figure.
    const replay = await recordCourierEvent(
      db,
      {
        courier: 'simulator',
        orderCode: orderId,
        trackingCode: shipment!.trackingCode,
        rawStatus: 'delivered',
        state: 'delivered',
        at: new Date(delivered.at.getTime() + 60_000).toISOString(),
        codAmount: 100_000,
        partial: { deliveredValue: 100_000 },
        eventKey: `simulator|${shipment!.trackingCode}|delivered|replayed`,
      },
      'webhook',
    );
    expect(replay).toMatchObject({ duplicate: false, applied: true });
    const [still] = await db.select().from(orders).where(eq(orders.id, orderId));
    expect(still!.returnedAmount).toBe(350_000);
    expect(await revenue()).toBe(500_000 - 350_000);
  });

  test('When a courier reports a partial delivery and remits less than it collected for the part kept, then the order is flagged short by the difference', async () => {
    const db = stack.database.db;
    const orderId = `partial-short-${Date.now()}`;
    const label = `S2.B2.${Date.now() % 1_000_000_000}`;
    // 3 items at 100,000 = COD 300,000; the customer keeps one: the courier collects 100,000.
    await db.insert(orders).values({
      id: orderId,
      workflowId: `order:${orderId}`,
      channel: 'shopee',
      status: 'open',
      total: 300_000,
      codAmount: 300_000,
      courier: 'ghtk',
      trackingCode: label,
    });
    await db.insert(shipments).values({ orderId, courier: 'ghtk', trackingCode: label, state: 'delivering', codAmount: 300_000 });
    const ghtk = createGhtkAdapter({ id: 'ghtk', baseUrl: 'http://127.0.0.1:9', webhookSecret: 'ghtk-secret', pickup: {} });
    const [event] = ghtk.parseWebhook({
      headers: {},
      query: {},
      body: {
        partner_id: orderId,
        label_id: label,
        status_id: '5',
        action_time: new Date().toISOString(),
        reason_code: '',
        reason: '',
        weight: '0.8',
        fee: '30400',
        pick_money: '100000',
        return_part_package: '1',
        hash: 'ghtk-secret',
      },
    });
    expect(event).toMatchObject({ state: 'delivered', partial: { deliveredValue: 100_000 } });
    expect(await recordCourierEvent(db, event!, 'webhook')).toMatchObject({ applied: true, orderId });
    expect((await unpaidCodOrders(db, { courier: 'ghtk' })).find((o) => o.orderId === orderId)).toMatchObject({ expectedCod: 100_000 });

    const short = await importRemittance(db, {
      courier: 'ghtk',
      reference: `partial-short-${orderId}`,
      lines: [{ orderCode: orderId, codCollected: 90_000, fee: 0 }],
      actor: accountant.id,
    });
    expect((await remittanceLines(db, short.id)).map((l) => [l.expectedCod, l.orderCollected, l.match])).toEqual([
      [100_000, 90_000, 'short'],
    ]);
    expect(
      (await codMismatches(db, { remittanceId: short.id })).map((m) => [m.kind, m.orderId, m.expectedCod, m.collected, m.difference]),
    ).toEqual([['short', orderId, 100_000, 90_000, 10_000]]);
    // The rest arrives in a later batch: the order then matches.
    await importRemittance(db, {
      courier: 'ghtk',
      reference: `partial-rest-${orderId}`,
      lines: [{ orderCode: orderId, codCollected: 10_000, fee: 0 }],
      actor: accountant.id,
    });
    expect((await codMismatches(db)).filter((m) => m.orderId === orderId)).toEqual([]);
  });

  test('When GHTK reports a partial delivery of a prepaid parcel (no COD to compare), then it is recorded with its partial facts and revenue keeps the whole order until the warehouse counts what came back', async () => {
    const db = stack.database.db;
    const orderId = `ghtk-prepaid-${Date.now()}`;
    const label = `S1.A1.${Date.now() % 1_000_000_000}`;
    await db.insert(orders).values({
      id: orderId,
      workflowId: `order:${orderId}`,
      channel: 'zalo',
      status: 'open',
      total: 400_000,
      codAmount: 0,
      courier: 'ghtk',
      trackingCode: label,
    });
    await db.insert(shipments).values({ orderId, courier: 'ghtk', trackingCode: label, state: 'delivering', codAmount: 0 });
    const ghtk = createGhtkAdapter({ id: 'ghtk', baseUrl: 'http://127.0.0.1:9', webhookSecret: 'ghtk-secret', pickup: {} });
    const [event] = ghtk.parseWebhook({
      headers: {},
      query: {},
      body: {
        partner_id: orderId,
        label_id: label,
        status_id: '5',
        action_time: new Date().toISOString(),
        reason_code: '',
        reason: '',
        weight: '0.8',
        fee: '30400',
        pick_money: '0',
        return_part_package: '1',
        hash: 'ghtk-secret',
      },
    });
    expect(event).toMatchObject({ state: 'delivered', partial: { deliveredValue: 0 } });
    expect(await recordCourierEvent(db, event!, 'webhook')).toMatchObject({ duplicate: false, applied: true, orderId });
    expect(await recordCourierEvent(db, event!, 'webhook')).toMatchObject({ duplicate: true });

    const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
    expect(order!.returnedAmount).toBeNull();
    const rows = await db.select().from(courierEvents).where(eq(courierEvents.orderId, orderId));
    expect(rows.map((r) => r.state)).toEqual(['delivered']);
    expect(rows[0]!.data).toMatchObject({ partial: { deliveredValue: 0 } });
    const [partialEvent] = await db
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, 'courier_partial_delivery')));
    expect(partialEvent!.data).toMatchObject({ deliveredValue: 0, returnedValue: null });
    const zaloRevenue = async () =>
      (await revenueByChannelAndRep(db, startedAt - 3_600_000, Date.now() + 3_600_000, 'sales-lead'))
        .filter((r) => r.channel === 'zalo')
        .reduce((sum, r) => sum + r.revenue, 0);
    const zaloMarketingNet = async () =>
      (await leadsByChannelAndCampaign(db, startedAt - 3_600_000, Date.now() + 3_600_000, 'sales-lead'))
        .filter((r) => r.channel === 'zalo')
        .reduce((sum, r) => sum + r.newCustomerNet, 0);
    expect(await zaloRevenue()).toBe(400_000);
    expect(await zaloMarketingNet()).toBe(400_000);

    // The warehouse then counts 150,000 back (what recordReturnedAmount writes): revenue and
    // marketing revenue take it back, 400,000 − 150,000 = 250,000, through one derived return.
    await db.update(orders).set({ returnedAmount: 150_000 }).where(eq(orders.id, orderId));
    expect(await takeBackCountedPartialReturn(db, orderId)).toBe(true);
    expect(await takeBackCountedPartialReturn(db, orderId)).toBe(false);
    const after = await db.select().from(courierEvents).where(eq(courierEvents.orderId, orderId)).orderBy(asc(courierEvents.at));
    expect(after.map((r) => [r.state, r.via])).toEqual([
      ['delivered', 'webhook'],
      ['returned', 'partial'],
    ]);
    expect(after[1]!.at.getTime()).toBe(after[0]!.at.getTime() + 1);
    expect(await zaloRevenue()).toBe(250_000);
    expect(await zaloMarketingNet()).toBe(250_000);
  });
});
