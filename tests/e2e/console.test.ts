/**
 * The staff console in a real browser (headless Chromium) against the real HTTP app, worker,
 * Temporal dev server and PostgreSQL: the key journeys of each role, with screenshots of every
 * page saved under .cache/screenshots/ (desktop and phone width).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../console/build';
import { stockMovements } from '../../db/schema';
import { apiClient, eventually, fixture, openTestStack, shippedKpiPlan, uniqueId, type TestStack } from '../support/stack';
import { launchBrowser, newContext, screenshot, signIn, watchErrors } from './support/browser';

let stack: TestStack;
let base: string;
let browser: Browser;
let consoleProcess: string;
let shipProcess: string;
let sales: { id: string; token: string };
let marketing: { id: string; token: string };
let manager: { id: string; token: string };
let admin: { id: string; token: string };
/** The order the sales rep closed in the first journey; later journeys look it up. */
let closedOrderId: string | undefined;

const consoleFixture = fs.readFileSync(path.join(__dirname, 'fixtures', 'console-order.yaml'), 'utf8');

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  await stack.startCourierSimulator({ timeScale: 1 }); // one simulated day per second
  ({ name: consoleProcess } = await stack.activateProcess(consoleFixture));
  ({ name: shipProcess } = await stack.activateProcess(fixture('fast-ship.yaml')));
  [sales, marketing, manager, admin] = await Promise.all([
    stack.createStaff(['sales'], { name: 'Nguyễn Văn Bán', channels: ['facebook'] }),
    stack.createStaff(['marketing'], { name: 'Lê Thị Tiếp Thị' }),
    stack.createStaff(['manager'], { name: 'Phạm Quản Lý' }),
    stack.createStaff(['admin'], { name: 'Trần Quản Trị' }),
  ]);
  await stack.database.db
    .insert(stockMovements)
    .values({ sku: 'AO-01', qty: 1000, kind: 'receipt', reason: 'opening stock', dedupeKey: 'e2e:receipt:AO-01' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

let phoneSeq = 0;
async function newLead(customer: string, processName: string, note?: string): Promise<string> {
  phoneSeq += 1;
  const phone = `09${String(Date.now() % 10_000_000).padStart(7, '0')}${phoneSeq}`.slice(0, 10);
  const lead = await apiClient(base, marketing.token).post('/api/v1/leads', {
    channel: 'facebook',
    process: processName,
    customer: { name: customer, phone },
    ...(note ? { note } : {}),
  });
  expect(lead.status).toBe(201);
  return lead.body.orderId as string;
}

const orderStage = async (orderId: string) =>
  (await apiClient(base, admin.token).get(`/api/v1/orders/${orderId}`)).body.current?.stage as string | undefined;

/** The task's card in the list, found by its order id. */
const taskCard = (page: Page, orderId: string) => page.locator('li.task', { has: page.getByRole('link', { name: orderId }) });

describe('staff console in headless Chromium', () => {
  test("When a sales rep signs in, then the new lead's task is listed and completing its form moves the order to confirmation; a bad value is shown at its field", async () => {
    const orderId = await newLead('Trần Thị Hoa', consoleProcess);
    const waiting = await newLead('Đỗ Văn Chờ', consoleProcess); // stays open: the phone screenshots show a task
    for (const id of [orderId, waiting]) {
      await eventually(
        async () => (await apiClient(base, sales.token).get(`/api/v1/tasks?status=open&order=${id}`)).body.tasks.length === 1,
        20_000,
        'the close task',
      );
    }

    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${base}/`);
    await page.waitForURL(/\/signin/);
    await screenshot(page, '01-sign-in');
    // A wrong token is refused on the form, nothing is kept.
    await page.getByLabel('Mã truy cập (API token)').fill('sf_not-a-real-token-000000000000');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByText('Mã không đúng, đã bị thu hồi, hoặc nhân viên đã bị khóa.').waitFor();

    await signIn(page, base, sales.token);
    await page.getByRole('heading', { name: 'Việc của tôi' }).waitFor();
    const card = taskCard(page, orderId);
    await card.waitFor();
    expect(await card.getByRole('heading').textContent()).toBe('Chốt đơn');
    expect(await card.textContent()).toContain('Trần Thị Hoa');
    expect(await card.locator('.time-left').textContent()).toMatch(/^Còn (59 phút|1 giờ)/);
    await screenshot(page, '02-tasks');

    await card.getByRole('button', { name: 'Xử lý' }).click();
    const form = card.locator('form.work');
    await form.getByLabel('Tiền thu hộ (COD)').waitFor();
    // Invalid: a negative COD and no items. The API's 422 field errors appear at their fields.
    await form.getByLabel('Tiền thu hộ (COD)').fill('-5');
    await form.getByRole('button', { name: 'Hoàn thành' }).click();
    const cod = form.getByLabel('Tiền thu hộ (COD)');
    await eventually(async () => (await cod.getAttribute('aria-invalid')) === 'true', 10_000, 'COD marked invalid');
    const codError = form.locator(`#${await cod.getAttribute('aria-describedby')}`);
    expect(await codError.textContent()).toMatch(/^«Tiền thu hộ \(COD[^»]*\)» phải từ 0 trở lên$/);
    expect(await form.getByRole('alert').first().textContent()).toContain('Vui lòng sửa các trường được đánh dấu.');
    await screenshot(page, '03-task-form-errors');
    expect(await orderStage(orderId)).toBe('close'); // nothing changed

    // Valid: one item, the address, COD typed the Vietnamese way (350.000).
    await form.getByRole('button', { name: 'Thêm dòng' }).click();
    await form.getByLabel('Mã hàng').fill('AO-01');
    await form.getByLabel('Tên hàng').fill('Áo thun');
    await form.getByLabel('Số lượng').fill('2');
    await form.getByLabel('Đơn giá (₫)').fill('175000');
    await form.getByLabel('Số nhà, đường').fill('12 Lê Lợi');
    await form.getByLabel('Phường/xã').fill('Bến Nghé');
    await form.getByLabel('Tỉnh/thành').fill('Hồ Chí Minh');
    await cod.fill('350.000');
    await form.getByRole('button', { name: 'Hoàn thành' }).click();
    await page.getByText('Đã hoàn thành. Kết quả: Đã chốt.').waitFor();
    await eventually(async () => (await orderStage(orderId)) === 'confirm', 10_000, 'the order at confirm');
    closedOrderId = orderId;
    expect(await taskCard(page, orderId).count()).toBe(0);

    // The order page: customer, COD in VND, the stage it waits at, and the timeline.
    await page.goto(`${base}/orders/${orderId}`);
    await page.getByRole('heading', { name: `Đơn ${orderId}` }).waitFor();
    const details = await page.locator('dl.meta').textContent();
    expect(details).toContain('Trần Thị Hoa');
    expect(details).toMatch(/350\.000\s₫/);
    // The stage and the channel by the shop's words, never their ids.
    expect(details).toContain('Xác nhận đơn');
    expect(details).not.toContain('(confirm)');
    expect(details).toContain('Facebook');
    // The items and address the rep agreed, from the order API (a sales rep has no stock ledger access).
    expect(details).toContain('12 Lê Lợi, Bến Nghé, Hồ Chí Minh');
    const agreed = await page.getByTestId('order-items').textContent();
    expect(agreed).toContain('AO-01');
    expect(agreed).toContain('Áo thun');
    expect(agreed).toMatch(/350\.000\s₫/);
    const timeline = await page.locator('ol.timeline').textContent();
    expect(timeline).toContain('Hoàn thành «Chốt đơn»');
    expect(timeline).toContain('Chuyển sang bước «Xác nhận đơn»');
    expect(timeline).not.toContain('confirm');
    await screenshot(page, '04-order');

    // English on request; signing out forgets the token.
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByRole('link', { name: 'My tasks' }).waitFor();
    await page.getByLabel('Language').selectOption('vi');
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
    expect(await page.evaluate('sessionStorage.getItem("shopflow.token")')).toBeNull();
    await page.goto(`${base}/tasks`);
    await page.waitForURL(/\/signin/);

    // The same pages at phone width.
    const phone = await newContext(browser, 'phone');
    const phonePage = await phone.newPage();
    await signIn(phonePage, base, sales.token);
    await taskCard(phonePage, waiting).waitFor();
    await screenshot(phonePage, '05-tasks-phone');
    await phonePage.goto(`${base}/orders/${orderId}`);
    await phonePage.locator('ol.timeline').waitFor();
    const overflow = await phonePage.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phonePage, '06-order-phone');
    await phone.close();
    await context.close();
    expect(errors).toEqual([]);
  });

  test("When a parcel's delivery SLA passes, then the manager sees the late delivery on the dashboard with its escalation", async () => {
    const { name: kpiPlan } = await stack.activateProcess(shippedKpiPlan(), uniqueId('shop-kpi'));
    const started = await apiClient(base, manager.token).post('/api/v1/kpi/periods', { plan: kpiPlan });
    expect([200, 201]).toContain(started.status);
    // `manual`: the simulator accepts the parcel and never delivers it; the SLA is 3 s.
    const orderId = await newLead('Khách Giao Trễ', shipProcess, '[sim:manual]');
    const close = await eventually(
      async () => (await apiClient(base, admin.token).get(`/api/v1/tasks?status=open&order=${orderId}`)).body.tasks[0],
      20_000,
      'close task',
    );
    const done = await apiClient(base, admin.token).post(`/api/v1/tasks/${close.id}/complete`, {
      outcome: 'closed',
      data: {
        items: [{ sku: 'AO-01', name: 'Áo thun', qty: 1, price: 250000 }],
        shippingAddress: { street: '5 Hàng Bài', ward: 'Tràng Tiền', province: 'Hà Nội' },
        codAmount: 250000,
      },
    });
    expect(done.body.nextStage).toBe('ship');

    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, manager.token, '/dashboard');
    await page.getByRole('heading', { name: 'Tổng quan quản lý' }).waitFor();
    const late = page.getByTestId('late-deliveries').locator('tr', { has: page.getByRole('link', { name: orderId }) });
    await eventually(
      async () => {
        if (await late.count()) return true;
        await page.getByRole('button', { name: 'Làm mới' }).click();
        await page.waitForTimeout(1000);
        return false;
      },
      30_000,
      'the late delivery on the dashboard',
    );
    const row = await late.textContent();
    expect(row).toContain('Khách Giao Trễ');
    expect(row).toContain('simulator');
    await eventually(
      async () => {
        if (/Mức 1/.test((await late.textContent()) ?? '')) return true;
        await page.getByRole('button', { name: 'Làm mới' }).click();
        await page.waitForTimeout(1000);
        return false;
      },
      20_000,
      'escalation level 1',
    );
    // Today's figures in VND, open orders per stage, and the KPI period's charts (Chart.js canvases).
    expect(await page.locator('.tiles').textContent()).toMatch(/\d[\d.]*\s₫/);
    await eventually(
      async () => {
        if ((await page.locator('canvas').count()) >= 2) return true;
        await page.getByRole('button', { name: 'Làm mới' }).click();
        await page.waitForTimeout(1000);
        return false;
      },
      30_000,
      'charts',
    );
    expect(await page.getByRole('heading', { name: /Kỳ KPI hiện tại/ }).count()).toBe(1);
    await screenshot(page, '07-dashboard');

    const phone = await newContext(browser, 'phone');
    const phonePage = await phone.newPage();
    await signIn(phonePage, base, manager.token, '/dashboard');
    await phonePage.getByTestId('late-deliveries').waitFor();
    await screenshot(phonePage, '08-dashboard-phone');
    await phone.close();
    await context.close();
    expect(errors).toEqual([]);
  });

  test('When an admin uploads an invalid definition, then the error is shown at its line and nothing is stored; the fixed one uploads and activates', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, admin.token, '/definitions');
    await page.getByRole('heading', { name: 'Định nghĩa quy trình' }).waitFor();
    await page.getByRole('row', { name: /default-shop/ }).waitFor();
    await screenshot(page, '09-definitions');

    const name = `e2e-order-${Date.now() % 100_000}`;
    const valid = consoleFixture.replace(/^(  name:\s*).*$/m, `$1${name}`);
    const lines = valid.split('\n');
    const slaLine = lines.findIndex((l) => l.includes('sla: 1h')) + 1;
    const invalid = valid.replace('sla: 1h', 'sla: một giờ');
    const editor = page.getByLabel('YAML', { exact: true });
    await editor.fill(invalid);
    const error = page.locator('ul.def-errors li', { hasText: `Dòng ${slaLine},` });
    await error.waitFor();
    expect(await error.textContent()).toMatch(/sla/i);
    expect(await page.locator(`.gutter-line.error-line[data-line="${slaLine}"]`).count()).toBe(1);
    await page.getByRole('button', { name: 'Tải lên (lưu phiên bản mới)' }).click();
    await page.locator('ul.def-errors li', { hasText: `Dòng ${slaLine},` }).waitFor();
    // The error's "Dòng N" button puts the caret on that line of the editor.
    await error.getByRole('button').click();
    const caretLine = await page.evaluate(
      '(() => { const el = document.getElementById("yaml"); return el.value.slice(0, el.selectionStart).split("\\n").length; })()',
    );
    expect(caretLine).toBe(slaLine);
    await screenshot(page, '10-definition-error');
    expect((await apiClient(base, admin.token).get(`/api/v1/definitions/${name}`)).status).toBe(404);

    await editor.fill(valid);
    await page.getByText(/^Hợp lệ:/).waitFor();
    await page.getByRole('button', { name: 'Tải lên (lưu phiên bản mới)' }).click();
    await page.getByText(`Đã lưu ${name} phiên bản 1.`).waitFor();
    await page.getByRole('button', { name: 'Kích hoạt phiên bản vừa lưu' }).click();
    await page.getByText('Đã kích hoạt phiên bản 1.').waitFor();
    expect((await apiClient(base, admin.token).get(`/api/v1/definitions/${name}`)).body.activeVersion).toBe(1);

    // A second version, and its diff against the first.
    await editor.fill(valid.replace('title: "Chốt đơn"', 'title: "Chốt đơn hàng"'));
    await page.getByText(/^Hợp lệ:/).waitFor();
    await page.getByRole('button', { name: 'Tải lên (lưu phiên bản mới)' }).click();
    await page.getByText(`Đã lưu ${name} phiên bản 2.`).waitFor();
    await page
      .getByRole('row', { name: new RegExp(name) })
      .getByRole('button', { name: 'Các phiên bản' })
      .click();
    await page.getByRole('row', { name: /^v2/ }).getByRole('button', { name: 'So với bản trước' }).click();
    expect(await page.locator('.diff-added').textContent()).toContain('title: "Chốt đơn hàng"');
    expect(await page.locator('.diff-removed').textContent()).toContain('title: "Chốt đơn"');
    await screenshot(page, '11-definition-diff');
    await context.close();
    expect(errors).toEqual([]);
  });

  test('When an admin looks up a customer by phone, stock and COD, then the customers and books pages show them', async () => {
    const orderId = closedOrderId ?? (await newLead('Trần Thị Hoa', consoleProcess));
    const order = (await apiClient(base, admin.token).get(`/api/v1/orders/${orderId}`)).body;
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, admin.token, `/orders/${orderId}`);
    if (closedOrderId) {
      // The items the rep agreed, from the order API.
      const items = page.getByTestId('order-items');
      await items.waitFor();
      expect(await items.textContent()).toContain('AO-01');
    }

    await page.getByRole('link', { name: 'Khách hàng', exact: true }).click();
    // Typed the way a customer reads it out: spaces and +84 are accepted by the search.
    const spoken = `+84 ${order.customer.phone.slice(1, 4)} ${order.customer.phone.slice(4)}`;
    await page.getByLabel('Tìm theo số điện thoại').fill(spoken);
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    const row = page.getByRole('row', { name: /Trần Thị Hoa/ });
    await row.waitFor();
    await row.getByRole('button', { name: 'Xem' }).click();
    await page.getByRole('link', { name: orderId }).waitFor();
    await screenshot(page, '12-customer');

    await page.getByRole('link', { name: 'Tồn kho', exact: true }).click();
    await page.getByRole('row', { name: /AO-01/ }).first().waitFor();
    await screenshot(page, '13-stock');

    await page.getByRole('link', { name: 'Đối soát COD', exact: true }).click();
    await page.getByRole('heading', { name: 'Chênh lệch COD' }).waitFor();
    await page.getByText('Không có chênh lệch.').waitFor();
    await screenshot(page, '14-cod');
    await context.close();
    expect(errors).toEqual([]);
  });

  test("When CSKH files a complaint and an accountant opens the books, then the complaint is listed and the delivered order's sales document is in the sales book, its CSV, the summary and a new purchase", async () => {
    const [cskh, accountant] = await Promise.all([
      stack.createStaff(['cskh'], { name: 'Võ Chăm Sóc' }),
      stack.createStaff(['accounting'], { name: 'Đặng Kế Toán' }),
    ]);
    // A delivered order: closed over the API; the simulator delivers it on simulated day 2 (2 s).
    const orderId = await newLead('Khách Đã Giao', shipProcess, '[sim:normal]');
    const close = await eventually(
      async () => (await apiClient(base, admin.token).get(`/api/v1/tasks?status=open&order=${orderId}`)).body.tasks[0],
      20_000,
      'close task',
    );
    const closed = await apiClient(base, admin.token).post(`/api/v1/tasks/${close.id}/complete`, {
      outcome: 'closed',
      data: {
        items: [{ sku: 'AO-01', name: 'Áo thun', qty: 1, price: 199000 }],
        shippingAddress: { street: '3 Trần Phú', ward: 'Lộc Thọ', province: 'Khánh Hòa' },
        codAmount: 199000,
      },
    });
    expect(closed.body.nextStage).toBe('ship');
    const order = await eventually(
      async () => {
        const res = await apiClient(base, admin.token).get(`/api/v1/orders/${orderId}`);
        return res.body.status === 'completed' ? res.body : undefined;
      },
      30_000,
      'the order delivered',
    );

    // Complaints: CSKH files one for the customer by phone; a missing category is shown at its field.
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, cskh.token, '/complaints');
    await page.getByRole('heading', { name: 'Ghi nhận khiếu nại mới' }).waitFor();
    await page.getByLabel('Số điện thoại khách').fill(order.customer.phone);
    await page.getByLabel('Mã đơn (nếu có)').fill(orderId);
    await page.getByLabel('Nội dung').fill('Áo bị rách ở tay áo');
    await page.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
    const category = page.getByLabel('Loại khiếu nại');
    await eventually(async () => (await category.getAttribute('aria-invalid')) === 'true', 10_000, 'the category marked invalid');
    expect((await apiClient(base, admin.token).get('/api/v1/complaints')).body.complaints).toEqual([]); // nothing filed
    await screenshot(page, '15-complaint-form-error');
    await category.selectOption('damaged');
    await page.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
    await page.getByText(/^Đã ghi nhận khiếu nại KN/).waitFor();
    const row = page.getByTestId('complaints').locator('tr', { hasText: 'Áo bị rách ở tay áo' });
    await row.waitFor();
    const listed = await row.textContent();
    expect(listed).toContain(orderId);
    expect(listed).toContain('Hàng bị hư hỏng, vỡ');
    expect(listed).toContain('Đang xử lý');
    await screenshot(page, '16-complaints');
    const complaintId = (await row.getByRole('link', { name: /^KN/ }).textContent())!;
    await row.getByRole('link', { name: complaintId }).click();
    await page.getByRole('heading', { name: `Khiếu nại ${complaintId}` }).waitFor();
    expect(await page.locator('dl.meta').textContent()).toContain('Khách Đã Giao');
    await screenshot(page, '17-complaint');

    const phone = await newContext(browser, 'phone');
    const phonePage = await phone.newPage();
    await signIn(phonePage, base, cskh.token, '/complaints');
    await phonePage.getByTestId('complaints').waitFor();
    expect(await phonePage.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
    await screenshot(phonePage, '18-complaints-phone');
    await phone.close();
    await context.close();

    // The books: the accountant finds the delivered order's sales document, downloads the CSV.
    const books = await newContext(browser);
    const bookPage = await books.newPage();
    const bookErrors = watchErrors(bookPage);
    await signIn(bookPage, base, accountant.token, '/sales-book');
    const doc = bookPage.getByTestId('sales-documents').locator('tr', { has: bookPage.getByRole('link', { name: orderId }) });
    await eventually(
      async () => {
        if (await doc.count()) return true;
        await bookPage.getByRole('button', { name: 'Xem', exact: true }).click();
        await bookPage.waitForTimeout(1000);
        return false;
      },
      20_000,
      'the sales document',
    );
    const text = (await doc.textContent())!;
    expect(text).toMatch(/HD-\d{4}-\d{6}/);
    expect(text).toContain('AO-01 Áo thun × 1');
    expect(text).toMatch(/199\.000\s₫/);
    const [file] = await Promise.all([bookPage.waitForEvent('download'), bookPage.getByRole('button', { name: 'Tải CSV' }).click()]);
    expect(file.suggestedFilename()).toMatch(/^so-ban-hang-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs.readFileSync((await file.path())!, 'utf8');
    expect(csv).toContain(orderId);
    expect(csv).toContain(/HD-\d{4}-\d{6}/.exec(text)![0]);
    await screenshot(bookPage, '19-sales-book');

    await bookPage.getByRole('link', { name: 'Tổng hợp sổ sách', exact: true }).click();
    const summary = (await apiClient(base, accountant.token).get('/api/v1/books/summary')).body;
    const vnd = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    const totals = bookPage.getByTestId('books-summary').locator('tr.total');
    await totals.waitFor();
    expect(summary.totals.salesGoods).toBeGreaterThanOrEqual(199000);
    expect(await totals.textContent()).toContain(`${vnd(summary.totals.netSales)}`);
    await screenshot(bookPage, '20-books-summary');

    // Purchases: a supplier is required (shown at its field), then goods received are recorded.
    const product = await apiClient(base, accountant.token).post('/api/v1/products', {
      sku: 'TUI-01',
      name: 'Túi vải canvas',
      price: 150000,
    });
    expect(product.status).toBe(201);
    await bookPage.getByRole('link', { name: 'Nhập hàng', exact: true }).click();
    await bookPage.getByRole('heading', { name: 'Lập phiếu nhập' }).waitFor();
    await bookPage.getByLabel('Mã hàng').fill('TUI-01');
    await bookPage.getByLabel('Số lượng').fill('5');
    await bookPage.getByLabel('Giá nhập (₫)').fill('120.000');
    await bookPage.getByRole('button', { name: 'Lưu phiếu nhập' }).click();
    const supplier = bookPage.getByLabel('Nhà cung cấp');
    await eventually(async () => (await supplier.getAttribute('aria-invalid')) === 'true', 10_000, 'the supplier marked invalid');
    await supplier.fill('Công ty May Việt');
    await bookPage.getByLabel('Số hóa đơn NCC').fill(`NCC-${Date.now() % 100_000}`);
    await bookPage.getByRole('button', { name: 'Lưu phiếu nhập' }).click();
    await bookPage.getByText(/^Đã lưu phiếu PN-\d{4}-\d{6}\.$/).waitFor();
    const purchase = bookPage.getByTestId('purchases').locator('tr', { hasText: 'Công ty May Việt' });
    await purchase.waitFor();
    expect(await purchase.textContent()).toMatch(/600\.000\s₫/);
    await screenshot(bookPage, '21-purchases');
    await books.close();

    // The books at phone width: wide tables scroll inside their frame, the page itself does not.
    const bookPhone = await newContext(browser, 'phone');
    const phoneBooks = await bookPhone.newPage();
    await signIn(phoneBooks, base, accountant.token, '/sales-book');
    await phoneBooks.getByTestId('sales-documents').waitFor();
    expect(await phoneBooks.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
    await screenshot(phoneBooks, '22-sales-book-phone');
    // On a phone the pages are behind the header's menu button.
    await phoneBooks.getByRole('button', { name: 'Menu' }).click();
    await phoneBooks.getByRole('link', { name: 'Nhập hàng', exact: true }).click();
    await phoneBooks.getByTestId('purchases').waitFor();
    expect(await phoneBooks.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
    await screenshot(phoneBooks, '23-purchases-phone');
    await bookPhone.close();
    expect(errors).toEqual([]);
    expect(bookErrors).toEqual([]);
  });

  test('When the server is asked for console pages, then it answers index.html under its CSP and leaves the API, health and webhooks alone', async () => {
    const page = await fetch(`${base}/orders/DH-anything`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline scripts: the CSP would block them
    const bundle = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(bundle).toBeDefined();
    const asset = await fetch(`${base}${bundle}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);

    const api = await fetch(`${base}/api/v1/no-such-thing`, { headers: { accept: 'text/html', authorization: `Bearer ${admin.token}` } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/json/);
    const health = await fetch(`${base}/healthz`, { headers: { accept: 'text/html' } });
    expect(health.headers.get('content-type')).toMatch(/json/);
    const webhook = await fetch(`${base}/webhooks/couriers/nope`, { headers: { accept: 'text/html' } });
    expect(webhook.headers.get('content-type')).toMatch(/json/);
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
  });
});
