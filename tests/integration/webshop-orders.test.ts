/**
 * Web-shop orders end to end on the real stack (dev server, PostgreSQL, worker, the HTTP app):
 * the web-shop simulator posts Shopify's and Haravan's real webhooks, signed with their HMAC.
 * Forged ones are 401 and store nothing; a resend is the same order; an order whose items,
 * address and COD fill the closing form starts at the stage after closing (here `pack`) with
 * those figures; one that does not is a closing task saying why; a platform cancellation cancels
 * it; an order sent while the worker is down is there once the worker is back.
 */
import { and, eq } from 'drizzle-orm';
import { customers, orderEvents, orders, tasks } from '../../db/schema';
import { haravanOrder, sendWebShopWebhook, shopifyOrder, type SimOrder, type SimPlatform } from '../../scripts/webshop-sim';
import { webShopOrderId } from '../../server/webshops/routes';
import { statusQuery } from '../../workflows/orders/contract';
import { apiClient, eventually, fixture, openTestStack, type RunningWorker, type TestStack } from '../support/stack';

const SHOPIFY_SECRET = 'shopify-app-secret-for-tests-0123456789';
const HARAVAN_SECRET = 'haravan-app-secret-for-tests-0123456789';
const SHOPIFY_SHOP = 'hoa-mai-test.myshopify.com';
const HARAVAN_SHOP = '200000777';

let stack: TestStack;
let base: string;
let worker: RunningWorker;
let api: ReturnType<typeof apiClient>;
let nextId = 6_100_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;
let nextPhone = 10_000_000 + Math.floor(Math.random() * 80_000_000);

beforeAll(async () => {
  stack = await openTestStack({ SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET, HARAVAN_WEBHOOK_SECRET: HARAVAN_SECRET });
  base = await stack.startApp();
  worker = await stack.startWorker();
  await stack.activateProcess(fixture('webshop-order.yaml'));
  const admin = await stack.createStaff(['admin']);
  await stack.createStaff(['sales']);
  await stack.createStaff(['warehouse']);
  api = apiClient(base, admin.token);
  for (const [sku, name] of [
    ['AO-THUN-M', 'Áo thun cotton (M)'],
    ['QUAN-JEAN-30', 'Quần jean (30)'],
  ]) {
    expect((await api.post('/api/v1/products', { sku, name, price: 150_000 })).status).toBe(201);
    expect((await api.post('/api/v1/stock/adjustments', { sku, qty: 100, reason: 'kiểm kho đầu kỳ' })).status).toBeLessThan(300);
  }
}, 120_000);
afterAll(() => stack?.close());

/** A fresh order (its own platform id and customer phone). */
function simOrder(over: Partial<SimOrder> = {}): SimOrder {
  const id = ++nextId;
  return {
    id,
    name: `#${id % 100000}`,
    createdAt: new Date().toISOString(),
    customer: { firstName: 'An', lastName: 'Nguyễn Văn', phone: `09${String(++nextPhone).padStart(8, '0')}` },
    address: { street: '12 Lý Thường Kiệt', ward: 'Phường Hàng Bài', district: 'Quận Hoàn Kiếm', province: 'Hà Nội' },
    lines: [
      { sku: 'AO-THUN-M', name: 'Áo thun cotton (M)', quantity: 2, price: 150_000 },
      { sku: 'QUAN-JEAN-30', name: 'Quần jean (30)', quantity: 1, price: 420_000 },
    ],
    shippingFee: 30_000,
    ...over,
  };
}

const platformOf = {
  shopify: { secret: SHOPIFY_SECRET, shop: SHOPIFY_SHOP, body: shopifyOrder },
  haravan: { secret: HARAVAN_SECRET, shop: HARAVAN_SHOP, body: haravanOrder },
};

function send(platform: SimPlatform, order: SimOrder, over: { topic?: string; secret?: string; webhookId?: string } = {}) {
  const p = platformOf[platform];
  return sendWebShopWebhook({
    url: `${base}/webhooks/${platform}`,
    platform,
    secret: over.secret ?? p.secret,
    topic: over.topic ?? 'orders/create',
    shop: p.shop,
    body: p.body(order),
    webhookId: over.webhookId,
  });
}

const orderIdOf = (platform: SimPlatform, order: SimOrder) =>
  webShopOrderId(platform, platformOf[platform].shop, String(order.id), new Date(order.createdAt!));

async function rowOf(orderId: string) {
  const [row] = await stack.database.db.select().from(orders).where(eq(orders.id, orderId));
  return row;
}

/** Waits until the order's workflow stands at `stage`, and answers its view from the API. */
async function orderAt(orderId: string, stage: string, timeoutMs = 30_000) {
  return eventually(
    async () => {
      const res = await api.get(`/api/v1/orders/${orderId}`);
      // The row's stage too: the view reads the row before asking the workflow, so both must agree.
      return res.status === 200 && res.body.stage === stage && res.body.current?.stage === stage ? res.body : undefined;
    },
    timeoutMs,
    `order ${orderId} at ${stage}`,
  );
}

describe('Signed and forged web-shop webhooks', () => {
  test.each<SimPlatform>(['shopify', 'haravan'])(
    'When a %s order comes with a wrong or no signature, then it is 401 and nothing is stored (no order, no customer, no workflow)',
    async (platform) => {
      const order = simOrder();
      const forged = await send(platform, order, { secret: 'not-the-app-secret' });
      expect(forged.status).toBe(401);
      expect(forged.body).toMatchObject({ error: { code: 'forged_webhook' } });
      const p = platformOf[platform];
      const unsigned = await fetch(`${base}/webhooks/${platform}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [platform === 'shopify' ? 'X-Shopify-Topic' : 'X-Haravan-Topic']: 'orders/create' },
        body: JSON.stringify(p.body(order)),
      });
      expect(unsigned.status).toBe(401);
      const orderId = orderIdOf(platform, order);
      expect(await rowOf(orderId)).toBeUndefined();
      expect(await stack.database.db.select().from(customers).where(eq(customers.phone, order.customer.phone))).toEqual([]);
      await expect(stack.temporal.workflow.getHandle(`order:${orderId}`).describe()).rejects.toThrow(/not found/i);
    },
  );

  test('When a signed order has a phone that is not Vietnamese or no id, then it is 422 naming the platform’s field and nothing starts', async () => {
    const order = simOrder({ customer: { firstName: 'Jo', lastName: 'Doe', phone: '+1 415 555 0100' } });
    const res = await send('shopify', order);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: { details: { fields: [{ field: 'shipping_address.phone' }] } } });
    expect(await rowOf(orderIdOf('shopify', order))).toBeUndefined();
    const noId = await sendWebShopWebhook({
      url: `${base}/webhooks/haravan`,
      platform: 'haravan',
      secret: HARAVAN_SECRET,
      topic: 'orders/create',
      shop: HARAVAN_SHOP,
      body: { ...haravanOrder(simOrder()), id: null },
    });
    expect(noId.status).toBe(422);
    expect(noId.body).toMatchObject({ error: { details: { fields: [{ field: 'id' }] } } });
  });

  test('When a signed webhook has no topic header, then it is 400 naming the header', async () => {
    const res = await send('shopify', simOrder(), { topic: '' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('X-Shopify-Topic');
  });
});

describe('Orders from Shopify and Haravan', () => {
  test('When a Shopify COD order arrives, then it becomes exactly one order at the pack stage with its items, address and COD; a resend changes nothing', async () => {
    const order = simOrder({ note: 'Giao giờ hành chính' });
    const first = await send('shopify', order, { webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' });
    expect(first.status).toBe(200);
    const orderId = orderIdOf('shopify', order);
    expect(first.body).toMatchObject({ ok: true, topic: 'orders/create', orderId, created: true, duplicate: false });

    const view = await orderAt(orderId, 'pack');
    expect(view).toMatchObject({ channel: 'shopify', codAmount: 750_000 });
    expect(view.items).toEqual([
      expect.objectContaining({ sku: 'AO-THUN-M', qty: 2, price: 150_000, amount: 300_000 }),
      expect.objectContaining({ sku: 'QUAN-JEAN-30', qty: 1, price: 420_000, amount: 420_000 }),
    ]);
    expect(view.shippingAddress).toMatchObject({ street: '12 Lý Thường Kiệt', ward: 'Phường Hàng Bài', province: 'Hà Nội' });
    expect(view.path.slice(0, 2)).toEqual([
      expect.objectContaining({ stage: 'close', outcome: 'closed', actor: 'shopify' }),
      expect.objectContaining({ stage: 'pack' }),
    ]);
    // The closing step took no task: the first task is the warehouse's packing.
    const orderTasks = await stack.database.db.select().from(tasks).where(eq(tasks.subjectId, orderId));
    expect(orderTasks.map((t) => [t.stage, t.role, t.status])).toEqual([['pack', 'warehouse', 'open']]);

    // Shopify resends (its retry of the same delivery, and a second delivery of the same order).
    const again = await send('shopify', order, { webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' });
    const other = await send('shopify', order);
    for (const res of [again, other]) expect(res.body).toMatchObject({ ok: true, orderId, created: false, duplicate: true });
    const [customer] = await stack.database.db.select().from(customers).where(eq(customers.phone, order.customer.phone));
    expect(await stack.database.db.select().from(orders).where(eq(orders.customerId, customer!.id))).toHaveLength(1);
    expect(await stack.database.db.select().from(tasks).where(eq(tasks.subjectId, orderId))).toHaveLength(1);
  });

  test('When a Haravan COD order arrives, then it likewise becomes one order at pack with its items and COD', async () => {
    const order = simOrder({ lines: [{ sku: 'QUAN-JEAN-30', name: 'Quần jean (30)', quantity: 2, price: 420_000 }], shippingFee: 0 });
    const res = await send('haravan', order);
    expect(res.status).toBe(200);
    const orderId = orderIdOf('haravan', order);
    const view = await orderAt(orderId, 'pack');
    expect(view).toMatchObject({ channel: 'haravan', codAmount: 840_000 });
    expect(view.items).toEqual([expect.objectContaining({ sku: 'QUAN-JEAN-30', qty: 2, price: 420_000 })]);
    expect((await send('haravan', order)).body).toMatchObject({ duplicate: true, orderId });
  });

  test('When a paid-online order arrives, then it is at pack with nothing to collect', async () => {
    const order = simOrder({ cod: false });
    await send('shopify', order);
    expect(await orderAt(orderIdOf('shopify', order), 'pack')).toMatchObject({ codAmount: 0 });
  });

  test('When a line’s SKU is not in the catalogue, then the order waits at closing on a sales task that says why, in Vietnamese', async () => {
    const order = simOrder({ lines: [{ sku: 'KHONG-CO-SKU', name: 'Mũ lưỡi trai', quantity: 1, price: 99_000 }] });
    expect((await send('shopify', order)).status).toBe(200);
    const orderId = orderIdOf('shopify', order);
    await orderAt(orderId, 'close');
    const [task] = await eventually(async () => {
      const rows = await stack.database.db
        .select()
        .from(tasks)
        .where(and(eq(tasks.subjectId, orderId), eq(tasks.stage, 'close')));
      return rows.length ? rows : undefined;
    });
    expect(task).toMatchObject({ role: 'sales', status: 'open' });
    expect((task!.summary as Record<string, unknown>).problem).toMatch(/mã SKU "KHONG-CO-SKU" không có trong danh mục sản phẩm/);
  });

  test('When the platform cancels an order, then the shopflow order is cancelled; a resend of the cancellation changes nothing', async () => {
    const order = simOrder();
    await send('shopify', order);
    const orderId = orderIdOf('shopify', order);
    await orderAt(orderId, 'pack');
    const cancelledOrder = { ...order, cancelled: { at: new Date().toISOString(), reason: 'customer' } };
    const res = await send('shopify', cancelledOrder, { topic: 'orders/cancelled' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, topic: 'orders/cancelled', orderId, cancelled: true });
    const row = await eventually(async () => {
      const r = await rowOf(orderId);
      return r?.status === 'cancelled' ? r : undefined;
    });
    expect(row.stage).toBe('cancelled');
    const ended = await stack.database.db
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, 'stage_entered'), eq(orderEvents.toStage, 'cancelled')));
    expect(ended[0]).toMatchObject({ actor: 'shopify' });
    expect((ended[0]!.data as { reason?: string }).reason).toMatch(/đã hủy trên nền tảng \(customer\)/);
    // The packing task is closed with the order.
    expect((await stack.database.db.select().from(tasks).where(eq(tasks.subjectId, orderId))).map((t) => t.status)).toEqual(['cancelled']);

    const again = await send('shopify', cancelledOrder, { topic: 'orders/cancelled' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ orderId, cancelled: false });
  });

  test('When Haravan cancels an order shopflow never received, then it is acknowledged and nothing starts', async () => {
    const order = { ...simOrder(), cancelled: { at: new Date().toISOString(), reason: 'inventory' } };
    const res = await send('haravan', order, { topic: 'orders/cancelled' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ cancelled: false });
    expect(await rowOf(orderIdOf('haravan', order))).toBeUndefined();
  });

  test('When orders arrive while the worker is stopped, then they are answered and become orders once the worker is back', async () => {
    await worker.stop();
    const sent = [simOrder(), simOrder(), simOrder()];
    for (const order of sent) expect((await send(sent.indexOf(order) % 2 ? 'haravan' : 'shopify', order)).status).toBe(200);
    worker = await stack.startWorker();
    for (const order of sent) {
      const orderId = orderIdOf(sent.indexOf(order) % 2 ? 'haravan' : 'shopify', order);
      await orderAt(orderId, 'pack', 60_000);
      const status = await stack.temporal.workflow.getHandle(`order:${orderId}`).query(statusQuery);
      expect(status.path.map((v) => v.stage)).toEqual(['close', 'pack']);
    }
  }, 120_000);
});
