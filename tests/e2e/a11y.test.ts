/**
 * Every console page checked by axe-core in headless Chromium against the real stack (HTTP app,
 * worker, Temporal dev server, PostgreSQL), on a desktop (1280×800) and a phone (390×844): no
 * serious or critical violation, exactly one `<h1>`, and on the phone nothing wider than the
 * screen (no sideways scrolling). The owner sees every page the menu lists plus an order, a task,
 * a complaint, notifications, profile and sign-in; a sales rep, a packer and CSKH see theirs on a
 * phone. The pages come from the rendered menu and from App.tsx's routes, so a page added later is
 * checked too. Full-page screenshots go to .cache/screenshots/<viewport>/<page>.png (git-ignored,
 * kept by CI as artefacts). The close form's height on a phone is measured and bounded.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../console/build';
import { stockMovements } from '../../db/schema';
import { apiClient, eventually, fixture, openTestStack, type TestStack } from '../support/stack';
import { launchBrowser, newContext, SCREENSHOT_DIR, signIn, watchErrors } from './support/browser';

// Evaluated through the DevTools protocol: the console's CSP (script-src 'self') refuses an inline <script>.
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const APP_SOURCE = fs.readFileSync(path.join(__dirname, '../../console/src/App.tsx'), 'utf8');

let stack: TestStack;
let base: string;
let browser: Browser;
type Member = { id: string; token: string };
let owner: Member;
let sales: Member;
let packer: Member;
let cskh: Member;
let closeOrder: string;
let closeTask: string;
let packOrder: string;
let complaintId: string;
let customerId: string;

const PRODUCTS = [
  { sku: 'A11Y-AO-01', name: 'Áo thun cổ tròn', barcode: '8935550000011', price: 175000 },
  { sku: 'A11Y-QUAN-02', name: 'Quần short kaki', barcode: '8935550000028', price: 220000 },
];

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  const { name: shipped } = await stack.activateProcess(
    fs.readFileSync(path.join(__dirname, '../../definitions/processes/order.yaml'), 'utf8'),
  );
  const { name: packing } = await stack.activateProcess(fixture('packing-order.yaml'));
  [owner, sales, packer, cskh] = await Promise.all([
    stack.createStaff(['admin'], { name: 'Chủ Cửa Hàng' }),
    stack.createStaff(['sales'], { name: 'Nguyễn Văn Bán', channels: ['facebook'] }),
    stack.createStaff(['warehouse'], { name: 'Đặng Văn Đóng Gói' }),
    stack.createStaff(['cskh'], { name: 'Bùi Thị Chăm Sóc' }),
  ]);
  const api = apiClient(base, owner.token);
  for (const p of PRODUCTS) expect((await api.post('/api/v1/products', p)).status).toBe(201);
  await stack.database.db
    .insert(stockMovements)
    .values(PRODUCTS.map((p) => ({ sku: p.sku, qty: 500, kind: 'receipt', reason: 'opening stock', dedupeKey: `e2e-a11y:${p.sku}` })));

  // An order at the shipped close step (the long form), for the sales rep.
  const lead = await api.post('/api/v1/leads', {
    channel: 'facebook',
    process: shipped,
    customer: { name: 'Trần Thị Hoa', phone: '0912345670', address: '12 Lê Lợi, Phường Sài Gòn, TP Hồ Chí Minh' },
    note: 'Khách hỏi áo đỏ, giao giờ hành chính',
  });
  expect(lead.status).toBe(201);
  closeOrder = lead.body.orderId;
  closeTask = (await openTask(closeOrder, 'close')).id;

  // An order closed and waiting at packing, for the packer.
  const packLead = await api.post('/api/v1/leads', {
    channel: 'facebook',
    process: packing,
    customer: { name: 'Lê Văn Gói', phone: '0987650001' },
  });
  expect(packLead.status).toBe(201);
  packOrder = packLead.body.orderId;
  const close = await openTask(packOrder, 'close');
  const closed = await api.post(`/api/v1/tasks/${close.id}/complete`, {
    outcome: 'closed',
    data: {
      customerName: 'Lê Văn Gói',
      phone: '0987650001',
      items: [{ sku: PRODUCTS[0]!.sku, name: PRODUCTS[0]!.name, qty: 2, price: 175000 }],
      shippingAddress: { street: '45 Trần Phú', ward: 'Phường Điện Biên', province: 'Hà Nội' },
      codAmount: 350000,
    },
  });
  expect(closed.status).toBe(200);
  await openTask(packOrder, 'pack');

  // A complaint, for CSKH.
  const customer = await api.post('/api/v1/customers', { phone: '0905333444', name: 'Lê Văn Khiếu' });
  expect(customer.status).toBe(201);
  const filed = await apiClient(base, cskh.token).post('/api/v1/complaints', {
    customerId: customer.body.id,
    category: 'damaged',
    description: 'Bình gốm bị vỡ khi nhận',
  });
  expect(filed.status).toBe(201);
  complaintId = filed.body.complaintId;
  customerId = customer.body.id;
  browser = await launchBrowser();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function openTask(orderId: string, stage: string): Promise<{ id: string }> {
  return eventually(
    async () =>
      (await apiClient(base, owner.token).get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find(
        (t: { stage: string }) => t.stage === stage,
      ),
    30_000,
    `open ${stage} task`,
  );
}

type Viewport = 'desktop' | 'phone';
/** What axe.run answers (the part read here). */
interface AxeResults {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
}
interface Finding {
  page: string;
  problem: string;
}

/** The console's own routes as App.tsx spells them: `pathname === '/x'` and the menu's `['/x', …]`. */
function appRoutes(): string[] {
  const found = new Set<string>();
  for (const m of APP_SOURCE.matchAll(/pathname === '(\/[a-z0-9/-]*)'/g)) found.add(m[1]!);
  for (const m of APP_SOURCE.matchAll(/\['(\/[a-z0-9/-]+)',\s*'nav/g)) found.add(m[1]!);
  return [...found];
}

/** What the signed-in person's menu links to. */
async function menuRoutes(page: Page): Promise<string[]> {
  return page.$$eval('#main-nav a[href^="/"]', (links) => links.map((a) => a.getAttribute('href')!));
}

const screenshotName = (route: string) =>
  route === '/'
    ? 'home'
    : route
        .replace(/^\//, '')
        .replace(/[^a-z0-9]+/gi, '-')
        .replace(/-+$/, '');

/**
 * Opens `route`, waits for it to settle (no loading note left), then: axe's serious and critical
 * violations, the number of `<h1>`, and on a phone the page's width against the screen's.
 */
async function audit(page: Page, viewport: Viewport, route: string, name: string, findings: Finding[], before?: () => Promise<void>) {
  if (route) await page.goto(`${base}${route}`);
  const main = () =>
    page
      .locator('main')
      .waitFor({ timeout: 30_000 })
      .then(() => true)
      .catch(() => false);
  // Once more after a reload: another test building console/dist meanwhile answers for a moment without the app.
  const drawn = (await main()) || (route !== '' && (await page.reload().then(main)));
  if (!drawn) {
    findings.push({ page: `${viewport} ${name}`, problem: `the page drew no <main> (${await page.title()})` });
    return;
  }
  // Polled from here: a predicate evaluated in the page (waitForFunction) is refused by the console's CSP (no eval).
  await eventually(
    () =>
      page.evaluate<boolean>(`!document.querySelector('main [aria-live="polite"].muted') && !!document.querySelector('main h1, main h2')`),
    20_000,
    `${name} drawn`,
  ).catch(() => undefined);
  if (before) await before();
  await page.waitForTimeout(300); // charts and late rows
  await page.evaluate(AXE_SOURCE);
  const { violations } = await page.evaluate<AxeResults>(`axe.run(document, { resultTypes: ['violations'] })`);
  for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical'))
    findings.push({
      page: `${viewport} ${name}`,
      problem: `${v.impact} ${v.id} (${v.help}): ${v.nodes
        .slice(0, 4)
        .map((n) => n.target.join(' '))
        .join(' | ')}`,
    });
  const h1 = await page.locator('h1').count();
  if (h1 !== 1) findings.push({ page: `${viewport} ${name}`, problem: `${h1} <h1> on the page (one wanted)` });
  if (viewport === 'phone') {
    const width = await page.evaluate<{ scroll: number; inner: number }>(
      '({ scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth })',
    );
    if (width.scroll > width.inner + 1)
      findings.push({ page: `${viewport} ${name}`, problem: `page is ${width.scroll} px wide on a ${width.inner} px screen` });
    // A table shown as cards says what each value is: its cells carry their column's header.
    const unlabelled = await page.evaluate<string[]>(
      `[...document.querySelectorAll('.table-wrap > table:not(.keep-table):has(> thead)')]
        .filter((t) => t.tBodies[0]?.rows.length && !t.querySelector('tbody [data-label]:not([data-label=""])'))
        .map((t) => t.dataset.testid || t.className || 'table')`,
    );
    if (unlabelled.length)
      findings.push({ page: `${viewport} ${name}`, problem: `tables without data-label cells: ${unlabelled.join(', ')}` });
  }
  const file = path.join(SCREENSHOT_DIR, viewport, `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
}

const report = (findings: Finding[]) => findings.map((f) => `${f.page}: ${f.problem}`).join('\n');

describe('accessibility and phone layout of every console page (axe-core)', () => {
  test.each<Viewport>(['desktop', 'phone'])(
    'When the owner opens every page on a %s, then axe finds no serious or critical violation, each page has one <h1> and nothing runs off a phone screen',
    async (viewport) => {
      const findings: Finding[] = [];
      const context = await newContext(browser, viewport);
      const page = await context.newPage();
      const errors = watchErrors(page);

      await page.goto(`${base}/signin`);
      await audit(page, viewport, '', 'signin', findings);
      await signIn(page, base, owner.token);
      const routes = new Set([...(await menuRoutes(page)), ...appRoutes()]);
      expect(routes.size).toBeGreaterThan(10);
      for (const route of [...routes].sort()) await audit(page, viewport, route, screenshotName(route), findings);
      await audit(page, viewport, `/orders/${encodeURIComponent(closeOrder)}`, 'order', findings);
      await audit(page, viewport, `/orders/${encodeURIComponent(packOrder)}`, 'order-packing', findings);
      await audit(page, viewport, `/complaints/${encodeURIComponent(complaintId)}`, 'complaint', findings);
      await audit(page, viewport, `/customers/${encodeURIComponent(customerId)}`, 'customer', findings);
      await audit(page, viewport, `/tasks/${encodeURIComponent(closeTask)}`, 'task', findings);
      console.log(
        `a11y ${viewport}: checked ${routes.size + 6} pages: signin, ${[...routes].sort().join(', ')}, order ×2, complaint, customer, task`,
      );
      expect(report(findings)).toBe('');
      expect(errors).toEqual([]);
      await context.close();
    },
    600_000,
  );

  test('When a sales rep, a packer and CSKH work on a phone, then their pages and open forms pass axe, fit the screen, and the close form is short', async () => {
    const findings: Finding[] = [];
    for (const [who, member, routes] of [
      ['sales', sales, ['/tasks', '/orders', '/customers', '/stock', '/profile', '/notifications']],
      ['warehouse', packer, ['/tasks', '/orders', '/stock']],
      ['cskh', cskh, ['/tasks', '/complaints', `/complaints/${encodeURIComponent(complaintId)}`]],
    ] as const) {
      const context = await newContext(browser, 'phone');
      const page = await context.newPage();
      const errors = watchErrors(page);
      await signIn(page, base, member.token);
      for (const route of routes)
        await audit(page, 'phone', route, `${who}-${screenshotName(route.replace(/\/[A-Z]{2}\d{6}-.*$/, '/detail'))}`, findings);
      await audit(page, 'phone', `/orders/${encodeURIComponent(who === 'warehouse' ? packOrder : closeOrder)}`, `${who}-order`, findings);
      if (who === 'sales') {
        // The close task with its form open: every field reachable, a page a thumb can get through.
        await audit(page, 'phone', `/tasks/${encodeURIComponent(closeTask)}`, 'sales-close-form', findings, async () => {
          await page.locator('form.work').first().waitFor();
        });
        const height = await page.evaluate<number>('document.scrollingElement.scrollHeight');
        const formHeight = await page.evaluate<number>(`document.querySelector('form.work').getBoundingClientRect().height`);
        // The same page with every section unfolded, for comparison (what the form was before sections).
        const unfolded = await page.evaluate<number>(
          `document.querySelectorAll('form.work details').forEach((d) => (d.open = true)); document.scrollingElement.scrollHeight`,
        );
        console.log(
          `a11y: the close task on a phone is ${height} px tall (its form ${Math.round(formHeight)} px); ${unfolded} px with every section unfolded`,
        );
        expect(height).toBeLessThan(3000);
      }
      if (who === 'warehouse') {
        await page.goto(`${base}/tasks`);
        const card = page.locator('li.task', { has: page.getByRole('link', { name: packOrder }) });
        await card.getByRole('button', { name: 'Xử lý' }).click();
        await audit(page, 'phone', '', 'warehouse-pack-form', findings, async () => {
          await card.locator('form.work, .packing').first().waitFor();
        });
      }
      expect(errors).toEqual([]);
      await context.close();
    }
    expect(report(findings)).toBe('');
  }, 600_000);
});
