/**
 * `npx shopflow init --template small` on a fresh database (the real bin, as a child process),
 * then one order on the real stack from lead to delivery with the small shop: sales closes and,
 * as the shop says (cskh handled by sales), also confirms; the packer packs; the courier delivers.
 * The console's apply route does the same set, idempotently.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { Client as PgClient } from 'pg';
import { definitionVersions, stockMovements } from '../../db/schema';
import { projectRoot } from '../../server/platform/paths';
import { apiClient, eventually, openTestStack, type TestStack } from '../support/stack';

const run = promisify(execFile);
let stack: TestStack;
let base: string;
let freshUrl: string;

/** `shopflow init …` through the package's bin, against the fresh database. */
function shopflow(args: string[]) {
  return run(process.execPath, [path.join(projectRoot(), 'bin', 'shopflow.js'), ...args], {
    cwd: projectRoot(),
    env: { ...process.env, DATABASE_URL: freshUrl, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: err.code ?? -1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
  );
}

beforeAll(async () => {
  // An empty database: no tables, no definitions.
  const admin = new PgClient({ connectionString: process.env.SHOPFLOW_TEST_ADMIN_DATABASE_URL });
  await admin.connect();
  const name = `shopflow_init_${crypto.randomUUID().slice(0, 8)}`;
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(process.env.SHOPFLOW_TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  freshUrl = url.toString();
});
afterAll(() => stack?.close());

describe('shopflow init --template small', () => {
  test('When it runs on a fresh database, then it migrates, stores and activates the small set; run again, it changes nothing', async () => {
    const usage = await shopflow(['init']);
    expect(usage.code).toBe(2);
    expect(usage.out).toContain('usage: shopflow init --template small | medium | large');
    const unknown = await shopflow(['init', '--template', 'huge']);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain('không có mẫu "huge"');

    const first = await shopflow(['init', '--template', 'small']);
    expect(first.out).toContain('Mẫu cửa hàng quy mô nhỏ');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Shop small-shop v1: đã lưu và kích hoạt/);
    expect(first.out).toMatch(/OrderProcess standard-order v1: đã lưu và kích hoạt/);
    expect(first.out).toMatch(/SalesGuide sales-guide v1: đã lưu và kích hoạt/);
    const again = await shopflow(['init', '--template', 'small']);
    expect(again.code).toBe(0);
    expect(again.out).toContain('không có gì thay đổi');

    stack = await openTestStack({ DATABASE_URL: freshUrl });
    const active = await stack.database.db
      .select({
        name: definitionVersions.name,
        kind: definitionVersions.kind,
        version: definitionVersions.version,
        source: definitionVersions.source,
      })
      .from(definitionVersions)
      .where(eq(definitionVersions.active, true))
      .orderBy(definitionVersions.name);
    expect(active).toEqual([
      { name: 'sales-guide', kind: 'SalesGuide', version: 1, source: 'template:small' },
      { name: 'shop-kpi', kind: 'KpiPlan', version: 1, source: 'template:small' },
      { name: 'small-shop', kind: 'Shop', version: 1, source: 'template:small' },
      { name: 'standard-complaint', kind: 'ComplaintProcess', version: 1, source: 'template:small' },
      { name: 'standard-order', kind: 'OrderProcess', version: 1, source: 'template:small' },
    ]);
  });

  test('When a lead comes in on the small shop, then one person sells and confirms, the packer packs, and the order ends delivered', async () => {
    await stack.startWorker();
    base = await stack.startApp();
    await stack.startCourierSimulator({ timeScale: 1 });
    const [owner, sales, packer] = await Promise.all([
      stack.createStaff(['owner', 'admin'], { name: 'Chủ shop' }),
      stack.createStaff(['sales'], { name: 'Lan (bán hàng kiêm CSKH)' }),
      stack.createStaff(['warehouse'], { name: 'Minh (đóng gói)' }),
    ]);
    await stack.database.db
      .insert(stockMovements)
      .values({ sku: 'TUI-01', qty: 50, kind: 'receipt', reason: 'opening stock', dedupeKey: 'test:receipt:TUI-01' });
    const asSales = apiClient(base, sales.token);
    const task = (orderId: string, stage: string) =>
      eventually(
        async () =>
          (await asSales.get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find((t: { stage: string }) => t.stage === stage),
        20_000,
        `the ${stage} task`,
      );

    const lead = await asSales.post('/api/v1/leads', {
      channel: 'facebook',
      note: '[sim:normal]',
      customer: { name: 'Chị Hoa', phone: '0912345678' },
    });
    expect(lead.status).toBe(201);
    expect(lead.body.definition).toEqual({ name: 'standard-order', version: 1 }); // the shop's defaultProcess
    const orderId: string = lead.body.orderId;

    const close = await task(orderId, 'close');
    expect(close).toMatchObject({ role: 'sales', assigneeId: sales.id });
    const closeDetail = await asSales.get(`/api/v1/tasks/${close.id}`);
    expect(closeDetail.body.guide.script.id).toBe('close-social-new');
    const closed = await asSales.post(`/api/v1/tasks/${close.id}/complete`, {
      outcome: 'closed',
      data: {
        customerName: 'Chị Hoa',
        phone: '0912345678',
        items: [{ sku: 'TUI-01', name: 'Túi vải', qty: 1, price: 180000 }],
        shippingAddress: { street: '5 Nguyễn Huệ', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
        codAmount: 180000,
      },
      checklist: ['confirm-address', 'confirm-cod'],
    });
    expect(closed.status).toBe(200);
    expect(closed.body.nextStage).toBe('confirm');

    // CSKH's step, handled by sales in the small shop: in the sales queue, given to the same rep.
    const confirm = await task(orderId, 'confirm');
    expect(confirm).toMatchObject({ role: 'sales', assigneeId: sales.id });
    const confirmed = await asSales.post(`/api/v1/tasks/${confirm.id}/complete`, {
      outcome: 'confirmed',
      data: { confirmedVia: 'phone' },
      checklist: ['confirm-items'],
    });
    expect(confirmed.status).toBe(200);

    const pack = await task(orderId, 'pack');
    expect(pack).toMatchObject({ role: 'warehouse', assigneeId: packer.id });
    const packed = await apiClient(base, packer.token).post(`/api/v1/tasks/${pack.id}/complete`, {
      outcome: 'packed',
      data: { weightGrams: 400, lengthCm: 30, widthCm: 20, heightCm: 5 },
    });
    expect(packed.status).toBe(200);

    const result = await stack.temporal.workflow.getHandle(`order:${orderId}`).result();
    expect(result).toMatchObject({ result: 'completed', stage: 'done', shipment: { courier: 'ghn', state: 'delivered' } });
    const stages = result.path.map((v: { stage: string }) => v.stage);
    expect(stages.slice(0, 4)).toEqual(['close', 'confirm', 'pack', 'ship']);
    expect(stages.at(-1)).toBe('done');
    expect(result.path.map((v: { stage: string }) => v.stage)).toEqual(
      expect.arrayContaining(['close', 'confirm', 'pack', 'ship', 'done']),
    );

    // The console's first-run checklist applies the same set: unchanged; an unknown template is a 404.
    const asOwner = apiClient(base, owner.token);
    const listed = await asOwner.get('/api/v1/definitions/templates');
    expect(listed.body.templates.map((t: { name: string; title: string }) => [t.name, t.title])).toEqual([
      ['small', 'Mẫu cửa hàng quy mô nhỏ'],
      ['medium', 'Mẫu cửa hàng quy mô vừa'],
      ['large', 'Mẫu cửa hàng quy mô lớn'],
    ]);
    const reapplied = await asOwner.post('/api/v1/definitions/templates/small/apply');
    expect(reapplied.status).toBe(200);
    expect(reapplied.body.changed).toBe(false);
    expect((await asOwner.post('/api/v1/definitions/templates/constructor/apply')).status).toBe(404);
    expect((await asSales.post('/api/v1/definitions/templates/small/apply')).status).toBe(403);
    const [shopRow] = await stack.database.db
      .select({ version: definitionVersions.version })
      .from(definitionVersions)
      .where(and(eq(definitionVersions.name, 'small-shop'), eq(definitionVersions.active, true)));
    expect(shopRow).toEqual({ version: 1 });
  });
});
