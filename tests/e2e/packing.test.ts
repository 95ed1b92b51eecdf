/**
 * Packing in the console, in headless Chromium against the real app, worker, dev server and
 * PostgreSQL: a packer scans the items with a scanner (typing into the scan box + Enter), a wrong
 * item blocks "Đã đóng gói" until it is taken out; on a phone (390×844) a missing item is
 * overridden by the warehouse lead with a reason; labels print from the pack task and in bulk from
 * the orders list, and the PDFs' text is read back. Screenshots go to .cache/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../console/build';
import { packingOverrides, stockMovements } from '../../db/schema';
import { eq } from 'drizzle-orm';
import { readPdf } from '../support/pdf';
import { apiClient, eventually, fixture, openTestStack, type TestStack } from '../support/stack';
import { launchBrowser, newContext, screenshot, signIn, watchErrors } from './support/browser';

let stack: TestStack;
let base: string;
let browser: Browser;
let processName: string;
type Member = { id: string; token: string };
let admin: Member;
let packer: Member;
let lead: Member;

const AO = { sku: 'E2E-AO-01', name: 'Áo thun cổ tròn', barcode: '8931234500011' };
const QUAN = { sku: 'E2E-QUAN-02', name: 'Quần short kaki', barcode: '8931234500028' };
const MU = { sku: 'E2E-MU-09', name: 'Mũ lưỡi trai', barcode: '8931234500035' };

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  await stack.startCourierSimulator({ timeScale: 1 });
  ({ name: processName } = await stack.activateProcess(fixture('packing-order.yaml')));
  [admin, packer, lead] = await Promise.all([
    stack.createStaff(['admin'], { name: 'Trần Quản Trị' }),
    stack.createStaff(['warehouse'], { name: 'Đặng Văn Đóng Gói' }),
    stack.createStaff(['warehouse-lead'], { name: 'Vũ Thị Trưởng Kho' }),
  ]);
  for (const p of [AO, QUAN, MU]) expect((await api(admin).post('/api/v1/products', { ...p, price: 120000 })).status).toBe(201);
  // Goods on the shelf, so closing reserves them instead of opening a shortage task.
  await stack.database.db
    .insert(stockMovements)
    .values(
      [AO, QUAN, MU].map((p) => ({ sku: p.sku, qty: 1000, kind: 'receipt', reason: 'opening stock', dedupeKey: `e2e:receipt:${p.sku}` })),
    );
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const api = (who: Member) => apiClient(base, who.token);
let phoneSeq = 0;

/** An order closed with 1 × AO and 1 × QUAN, waiting at packing. */
async function atPacking(customer: string): Promise<string> {
  phoneSeq += 1;
  const res = await api(admin).post('/api/v1/leads', {
    channel: 'facebook',
    process: processName,
    customer: { name: customer, phone: `0355${String(Date.now() % 100000).padStart(5, '0')}${phoneSeq}`.slice(0, 10) },
  });
  expect(res.status).toBe(201);
  const orderId: string = res.body.orderId;
  const close = await openTask(orderId, 'close');
  const closed = await api(admin).post(`/api/v1/tasks/${close.id}/complete`, {
    outcome: 'closed',
    data: {
      customerName: customer,
      phone: '0987654321',
      items: [
        { sku: AO.sku, name: AO.name, qty: 1, price: 120000 },
        { sku: QUAN.sku, name: QUAN.name, qty: 1, price: 180000 },
      ],
      shippingAddress: { street: '45 Trần Phú', ward: 'Phường Điện Biên', province: 'Hà Nội' },
      codAmount: 330000,
    },
  });
  expect(closed.status).toBe(200);
  await openTask(orderId, 'pack');
  return orderId;
}
async function openTask(orderId: string, stage: string): Promise<{ id: string }> {
  return eventually(
    async () =>
      (await api(admin).get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find((t: { stage: string }) => t.stage === stage),
    30_000,
    `open ${stage} task`,
  );
}
const orderStage = async (orderId: string) => (await api(admin).get(`/api/v1/orders/${orderId}`)).body.current?.stage as string | undefined;
const taskCard = (page: Page, orderId: string) => page.locator('li.task', { has: page.getByRole('link', { name: orderId }) });

/** What a scanner does: types the code into the focused scan box and presses Enter. */
async function scanWithScanner(page: Page, card: ReturnType<typeof taskCard>, code: string) {
  const box = card.getByLabel('Mã vạch hoặc SKU');
  await box.focus();
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await card.locator('[data-scan-result]', { hasText: code }).waitFor();
}

/**
 * Clicks a print button and reads the PDF the console fetched: the request is passed through to
 * the server and its answer kept on the way back (Chromium does not keep the body of a response
 * the page read as a blob).
 */
async function printed(page: Page, click: () => Promise<void>, path: RegExp) {
  let answer: { status: number; type: string | undefined; body: Buffer } | undefined;
  const handler = async (route: import('playwright-core').Route) => {
    const response = await route.fetch();
    answer = { status: response.status(), type: response.headers()['content-type'], body: await response.body() };
    await route.fulfill({ response });
  };
  await page.route(path, handler);
  await click();
  await eventually(async () => answer !== undefined, 20_000, `the PDF ${path}`);
  await page.unroute(path, handler);
  expect(answer!.status).toBe(200);
  expect(answer!.type).toBe('application/pdf');
  return readPdf(new Uint8Array(answer!.body));
}

describe('packing in the console', () => {
  test('When a packer scans a wrong item, then "Đã đóng gói" is blocked until it is taken out; the label prints from the task with the order in it', async () => {
    const orderId = await atPacking('Ngô Thị Đóng Gói');
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, packer.token);
    const card = taskCard(page, orderId);
    await card.waitFor();
    await card.getByRole('button', { name: 'Xử lý' }).click();
    await card.getByRole('heading', { name: 'Quét mã vạch để đóng gói' }).waitFor();
    const submit = card.getByRole('button', { name: 'Hoàn thành' });
    expect(await submit.isDisabled()).toBe(true); // nothing scanned yet

    await scanWithScanner(page, card, AO.barcode);
    expect(await card.locator('[data-scan-result]').getAttribute('data-scan-result')).toBe('ok');
    await scanWithScanner(page, card, MU.barcode);
    expect(await card.locator('[data-scan-result]').textContent()).toContain('Sai hàng');
    const problems = card.locator('.packing-problems');
    expect(await problems.textContent()).toContain(`${MU.sku} không có trong đơn`);
    expect(await problems.textContent()).toContain(`${QUAN.sku} (${QUAN.name}): còn thiếu 1`);
    await card.getByLabel('Khối lượng (gram)').fill('600');
    expect(await submit.isDisabled()).toBe(true);
    expect(await card.getByText('Chưa thể "Đã đóng gói"').count()).toBe(1);
    await screenshot(page, 'packing-01-mismatch');

    // The label, printed from the task, is the order's.
    const label = await printed(page, () => card.getByRole('button', { name: 'In nhãn vận chuyển' }).click(), /\/label\.pdf\?size=A6$/);
    expect(label).toHaveLength(1);
    expect(label[0]!.text).toContain(`Mã đơn: ${orderId}`);
    expect(label[0]!.text).toContain('Ngô Thị Đóng Gói');
    expect(label[0]!.text).toContain('45 Trần Phú, Phường Điện Biên, Hà Nội');
    expect(label[0]!.text).toContain('330.000 ₫');

    // The wrong item comes out, the missing one goes in: the box matches.
    await card.locator('.scan-list li', { hasText: MU.barcode }).getByRole('button', { name: 'Lấy ra' }).click();
    await card.locator('.scan-list li', { hasText: MU.barcode }).getByText('đã lấy ra').waitFor();
    await scanWithScanner(page, card, QUAN.barcode);
    await card.getByText('Đủ hàng, đúng số lượng').waitFor();
    expect(await submit.isDisabled()).toBe(false);
    await screenshot(page, 'packing-02-matched');
    await submit.click();
    await page.getByText('Đã hoàn thành. Kết quả: Đã đóng gói.').waitFor();
    await eventually(async () => (await orderStage(orderId)) !== 'pack', 15_000, 'the order past packing');
    // The wrong scan is on the order's timeline, in words.
    await page.goto(`${base}/orders/${orderId}`);
    await page.getByRole('heading', { name: `Đơn ${orderId}` }).waitFor();
    expect(await page.locator('ol.timeline').textContent()).toContain(`Quét sai khi đóng gói: ${MU.barcode} (sai hàng)`);
    await context.close();
    expect(errors).toEqual([]);
  });

  test('When an item is missing on a phone, then the warehouse lead overrides with a reason and the packer completes; bulk labels print from the orders list', async () => {
    const orderId = await atPacking('Lý Văn Thiếu Hàng');
    const phone = await newContext(browser, 'phone');
    const page = await phone.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, packer.token);
    const card = taskCard(page, orderId);
    await card.waitFor();
    await card.getByRole('button', { name: 'Xử lý' }).click();
    await scanWithScanner(page, card, AO.barcode);
    await card.getByLabel('Khối lượng (gram)').fill('450');
    // A packer has no override.
    expect(await card.getByRole('button', { name: 'Duyệt giao như hiện tại' }).count()).toBe(0);
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'packing-03-phone-missing');

    // The lead, on another phone, overrides with a reason.
    const leadPhone = await newContext(browser, 'phone');
    const leadPage = await leadPhone.newPage();
    const leadErrors = watchErrors(leadPage);
    await signIn(leadPage, base, lead.token, `/tasks/${(await openTask(orderId, 'pack')).id}`);
    const leadCard = taskCard(leadPage, orderId);
    await leadCard.waitFor();
    // The task's link opens it at once (`/tasks/<id>`), with its scan panel.
    await leadCard.getByLabel('Trưởng kho duyệt bỏ qua — Lý do (bắt buộc)').fill('Hết quần short, khách đồng ý giao bù sau');
    await leadCard.getByRole('button', { name: 'Duyệt giao như hiện tại' }).click();
    await leadCard.getByText('Trưởng kho đã duyệt bỏ qua: Hết quần short, khách đồng ý giao bù sau').waitFor();
    await screenshot(leadPage, 'packing-04-phone-override');
    await leadPhone.close();
    const [override] = await stack.database.db.select().from(packingOverrides).where(eq(packingOverrides.orderId, orderId));
    expect(override).toMatchObject({ actor: lead.id, reason: 'Hết quần short, khách đồng ý giao bù sau' });

    // The packer's page learns of the override when the box is read again (the next scan or reopening the task).
    await page.reload();
    await card.getByRole('button', { name: 'Xử lý' }).click();
    await card.getByText('Trưởng kho đã duyệt bỏ qua').waitFor();
    await card.getByLabel('Khối lượng (gram)').fill('450');
    await card.getByRole('button', { name: 'Hoàn thành' }).click();
    await page.getByText('Đã hoàn thành. Kết quả: Đã đóng gói.').waitFor();
    await phone.close();

    // Bulk print from the orders list, desktop.
    const other = await atPacking('Phan Thị Gộp Đơn');
    const context = await newContext(browser);
    const desk = await context.newPage();
    const deskErrors = watchErrors(desk);
    await signIn(desk, base, admin.token, '/orders');
    await desk.getByLabel('Lọc theo trạng thái').selectOption(''); // the first order may be delivered already
    for (const id of [orderId, other]) await desk.getByLabel(`Chọn đơn ${id}`).check();
    await desk.getByText('Đã chọn 2 đơn').waitFor();
    await screenshot(desk, 'packing-05-orders-bulk');
    const labels = await printed(
      desk,
      () => desk.getByRole('button', { name: 'In nhãn các đơn đã chọn' }).click(),
      /\/orders\/labels\.pdf$/,
    );
    expect(labels.map((p) => p.text.includes(`Mã đơn: ${orderId}`) || p.text.includes(`Mã đơn: ${other}`))).toEqual([true, true]);
    const pick = await printed(desk, () => desk.getByRole('button', { name: 'Danh sách lấy hàng' }).click(), /\/orders\/pick-list\.pdf$/);
    expect(pick[0]!.text).toContain('DANH SÁCH LẤY HÀNG');
    expect(pick[0]!.text).toContain(`${AO.sku} ${AO.name} 2 2`);
    // The order page prints too.
    await desk.goto(`${base}/orders/${other}`);
    const slip = await printed(
      desk,
      () => desk.getByRole('button', { name: 'In phiếu đóng gói' }).click(),
      /\/packing-slip\.pdf\?size=A6$/,
    );
    expect(slip[0]!.text).toContain('PHIẾU ĐÓNG GÓI');
    expect(slip[0]!.text).toContain('Phan Thị Gộp Đơn');
    await context.close();
    expect([...errors, ...leadErrors, ...deskErrors]).toEqual([]);
  });
});
