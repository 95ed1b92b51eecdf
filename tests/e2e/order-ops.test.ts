/**
 * Working on orders in the console (headless Chromium): a manager hands an order's open step to
 * another CSKH member and cancels an order with a reason (after a confirm dialog); CSKH confirms
 * several orders at once, each order's result listed (one they no longer hold is refused, the
 * others move on to packing); the manager edits the order's customer, a bad phone shown at its field.
 */
import type { Browser } from 'playwright-core';
import { ensureConsoleBuilt } from '../../console/build';
import { apiClient, eventually, openTestStack, type TestStack } from '../support/stack';
import { launchBrowser, newContext, screenshot, signIn, watchErrors } from './support/browser';

let stack: TestStack;
let base: string;
let browser: Browser;
let admin: ReturnType<typeof apiClient>;
let manager: { id: string; token: string };
let cskh: { id: string; token: string };
let spare: { id: string; token: string };
const orderIds: string[] = [];
let phoneSeq = Math.floor(Math.random() * 900_000);

const openConfirmTask = async (orderId: string) =>
  eventually(
    async () => {
      const r = await admin.get(`/api/v1/tasks?order=${orderId}&status=open`);
      return (r.body.tasks as Array<{ id: string; stage: string; assigneeId: string | null }>).find(
        (t) => t.stage === 'confirm' && t.assigneeId,
      );
    },
    60_000,
    `the confirm task of ${orderId}`,
  );

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await openTestStack({ COURIERS: 'simulator' });
  await stack.startWorker();
  base = await stack.startApp();
  admin = apiClient(base, (await stack.createStaff(['admin'])).token);
  manager = await stack.createStaff(['manager'], { name: 'Vũ Thị Quản Lý' });
  cskh = await stack.createStaff(['cskh'], { name: 'Cao Thị Xác Nhận' });
  expect((await admin.post('/api/v1/products', { sku: 'TRA-SEN-01', name: 'Trà sen Tây Hồ', price: 180_000 })).status).toBe(201);
  expect((await admin.post('/api/v1/stock/adjustments', { sku: 'TRA-SEN-01', qty: 50, reason: 'kiểm kho' })).status).toBeLessThan(300);
  // New customers: each order stops at CSKH's confirmation, held by the one CSKH member there is.
  for (const name of ['Khách Giao Lại', 'Khách Xác Nhận Một', 'Khách Xác Nhận Hai']) {
    const res = await admin.post('/api/v1/orders/manual', {
      channel: 'facebook',
      customer: { name, phone: `0966${String(++phoneSeq).padStart(6, '0')}` },
      items: [{ sku: 'TRA-SEN-01', qty: 1 }],
      shippingAddress: { street: '3 Quán Thánh', ward: 'Phường Ba Đình', province: 'Hà Nội' },
      payment: 'cod',
    });
    expect(res.status).toBe(201);
    orderIds.push(res.body.orderId);
  }
  for (const id of orderIds) expect((await openConfirmTask(id)).assigneeId).toBe(cskh.id);
  spare = await stack.createStaff(['cskh'], { name: 'Lâm Văn Dự Phòng' });
  browser = await launchBrowser();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

test("When a manager reassigns an order's confirmation to another CSKH member, then it is theirs", async () => {
  const context = await newContext(browser, 'desktop');
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, base, manager.token, `/orders/${orderIds[0]}`);
  await page.goto(`${base}/orders/${orderIds[0]}`);
  await page.getByRole('heading', { name: 'Thao tác' }).waitFor();
  await page.getByRole('button', { name: 'Giao lại', exact: true }).click();
  const to = page.getByLabel('Giao cho');
  await eventually(async () => (await to.locator('option', { hasText: 'Lâm Văn Dự Phòng' }).count()) > 0, 20_000, 'the CSKH members');
  expect(await to.locator('option', { hasText: 'Vũ Thị Quản Lý' }).count()).toBe(0);
  await to.selectOption({ label: 'Lâm Văn Dự Phòng' });
  await page.getByRole('button', { name: 'Lưu', exact: true }).click();
  await page.getByText('Đã giao lại bước cho Lâm Văn Dự Phòng.').waitFor();
  const task = await openConfirmTask(orderIds[0]!);
  expect(task.assigneeId).toBe(spare.id);
  await screenshot(page, 'order-ops-reassign');
  expect(errors).toEqual([]);
  await context.close();
}, 120_000);

test('When CSKH confirms three orders at once, then each order says how it went and the confirmed ones go on to packing', async () => {
  const context = await newContext(browser, 'phone');
  const page = await context.newPage();
  await signIn(page, base, cskh.token);
  await page.goto(`${base}/orders?stage=confirm`);
  // A CSKH member does not lead the team: nothing offers them reassigning.
  for (const id of orderIds) {
    const box = page.getByRole('checkbox', { name: `Chọn đơn ${id}` });
    await box.waitFor({ timeout: 30_000 });
    await box.check();
  }
  await page.getByRole('button', { name: 'Xác nhận đơn' }).click();
  // Each confirmation is a workflow update: on a busy machine a few take a while.
  const summary = page.getByText('Xong: 2 thành công, 1 không được.');
  await summary.waitFor({ timeout: 240_000 }).catch(async (err: unknown) => {
    await screenshot(page, 'order-ops-bulk-confirm-failed');
    throw new Error(`${String(err)}; the page says: ${await page.locator('.bulk-actions').textContent()}`);
  });
  const result = (id: string) => page.locator(`.bulk-results li[data-order="${id}"]`);
  expect(await result(orderIds[0]!).getAttribute('data-ok')).toBe('false');
  for (const id of orderIds.slice(1)) {
    expect(await result(id).getAttribute('data-ok')).toBe('true');
    expect(await result(id).textContent()).toContain('Đã xác nhận');
  }
  await screenshot(page, 'order-ops-bulk-confirm');
  for (const id of orderIds.slice(1))
    await eventually(async () => (await admin.get(`/api/v1/orders/${id}`)).body.stage === 'pack', 120_000, `${id} at packing`);
  await page.goto(`${base}/orders/${orderIds[1]}`);
  await page.getByRole('heading', { level: 1, name: new RegExp(orderIds[1]!) }).waitFor();
  expect(await page.getByRole('button', { name: 'Giao lại', exact: true }).count()).toBe(0);
  await context.close();
}, 480_000);

test('When a manager cancels an order with a reason and confirms, then it ends cancelled', async () => {
  const context = await newContext(browser, 'desktop');
  const page = await context.newPage();
  await signIn(page, base, manager.token);
  await page.goto(`${base}/orders/${orderIds[0]}`);
  await page.getByRole('button', { name: 'Hủy đơn', exact: true }).click();
  // No reason: asked for one, nothing sent.
  await page.getByText('Nhập lý do hủy.').waitFor();
  await page.getByLabel('Lý do hủy').fill('Khách gọi lại báo đặt nhầm');
  await page.getByRole('button', { name: 'Hủy đơn', exact: true }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.getByText(`Hủy đơn ${orderIds[0]}?`).waitFor();
  await dialog.getByRole('button', { name: 'Có, hủy đơn' }).click();
  await page.getByText('Đơn đã được hủy.').waitFor({ timeout: 60_000 });
  await eventually(async () => (await admin.get(`/api/v1/orders/${orderIds[0]}`)).body.status === 'cancelled', 60_000, 'cancelled');
  await context.close();
}, 120_000);

test("When a manager edits the order's customer, then the change is saved and a bad phone is shown at its field", async () => {
  const context = await newContext(browser, 'desktop');
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, base, manager.token);
  await page.goto(`${base}/orders/${orderIds[1]}`);
  await page.getByRole('link', { name: 'Sửa thông tin khách hàng' }).click();
  await page.waitForURL(/\/customers\/[^/]+$/);
  const customerId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  const nameBox = page.getByLabel('Tên khách hàng');
  await eventually(async () => (await nameBox.inputValue()) === 'Khách Xác Nhận Một', 20_000, 'the form filled in');
  await nameBox.fill('Nguyễn Thị Xác Nhận Một');
  await page.getByLabel('Nhãn').fill('vip, khach-quen');
  await page.getByLabel('Khách sỉ').check();
  await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
  await page.getByText('Đã lưu.').waitFor({ timeout: 30_000 });
  const saved = await admin.get(`/api/v1/customers/${customerId}`);
  expect(saved.body).toMatchObject({ name: 'Nguyễn Thị Xác Nhận Một', tags: ['vip', 'khach-quen'], wholesale: true });

  await page.getByLabel('Số điện thoại').fill('12345');
  await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
  const phone = page.getByLabel('Số điện thoại');
  await eventually(async () => (await phone.getAttribute('aria-invalid')) === 'true', 20_000, 'the phone marked invalid');
  await page.locator('#ce-phone-error').waitFor();
  await screenshot(page, 'order-ops-customer-edit');
  expect((await admin.get(`/api/v1/customers/${customerId}`)).body.phone).toBe(saved.body.phone);
  expect(errors).toEqual([]);
  await context.close();
}, 120_000);
