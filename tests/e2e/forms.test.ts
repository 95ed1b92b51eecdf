/**
 * Forms that know the shop, in headless Chromium against the real stack (HTTP app, worker, Temporal
 * dev server, PostgreSQL) with the shipped order process: a sales rep closes an order from a
 * prefilled form with the product picker (search, price, stock, line totals, COD computed from the
 * items and the shipping fee), the address picker and a phone typed with spaces — on a desktop and
 * on a phone (390×844, a scanner's barcode + Enter). A required checkbox left unticked is sent as
 * "no". Screenshots under .cache/screenshots/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, Locator, Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../console/build';
import { stockMovements, tasks } from '../../db/schema';
import { apiClient, eventually, openTestStack, type TestStack } from '../support/stack';
import { launchBrowser, newContext, screenshot, signIn, watchErrors } from './support/browser';

let stack: TestStack;
let base: string;
let browser: Browser;
let shipped: string;
let askProcess: string;
type Member = { id: string; token: string };
let sales: Member;
let marketing: Member;
let admin: Member;

/** A process whose first step is the shipped failed-delivery form (required reachedCustomer checkbox). */
const ASK_CUSTOMER = `apiVersion: shopflow/v1
kind: OrderProcess
metadata: { name: ask-customer, title: "Hỏi khách" }
spec:
  start: call-customer
  stages:
    - id: call-customer
      kind: human
      role: sales
      title: "Xử lý giao hàng thất bại"
      sla: 1h
      form:
        type: object
        required: [reachedCustomer, reason]
        properties:
          reachedCustomer: { type: boolean, title: "Liên lạc được khách" }
          reason: { type: string, enum: [not-home, wrong-address, refused, unreachable, other], title: "Lý do giao thất bại" }
      on:
        return: { to: done, title: "Hoàn hàng" }
    - { id: done, kind: end, title: "Xong", result: completed }
`;

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  ({ name: shipped } = await stack.activateProcess(readFileSync(join(__dirname, '../../definitions/processes/order.yaml'), 'utf8')));
  ({ name: askProcess } = await stack.activateProcess(ASK_CUSTOMER));
  [sales, marketing, admin] = await Promise.all([
    stack.createStaff(['sales'], { name: 'Nguyễn Văn Bán', channels: ['facebook'] }),
    stack.createStaff(['marketing']),
    stack.createStaff(['admin']),
  ]);
  for (const product of [
    { sku: 'AO-DO-M', name: 'Áo thun Đỏ size M', barcode: '8930000000011', price: 175000 },
    { sku: 'AO-DO-L', name: 'Áo thun Đỏ size L', barcode: '8930000000035', price: 175000 },
    { sku: 'NON-01', name: 'Nón lưỡi trai', barcode: '8930000000042', price: 90000 },
  ]) {
    expect((await apiClient(base, admin.token).post('/api/v1/products', product)).status).toBe(201);
    await stack.database.db
      .insert(stockMovements)
      .values({ sku: product.sku, qty: 40, kind: 'receipt', reason: 'opening stock', dedupeKey: `e2e-forms:receipt:${product.sku}` });
  }
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

let seq = 0;
async function newLead(customer: { name: string; address?: string }, note?: string, process = shipped): Promise<string> {
  seq += 1;
  const phone = `09${String(Date.now() % 10_000_000).padStart(7, '0')}${seq}`.slice(0, 10);
  const res = await apiClient(base, marketing.token).post('/api/v1/leads', {
    channel: 'facebook',
    process,
    customer: { ...customer, phone },
    ...(note ? { note } : {}),
  });
  expect(res.status).toBe(201);
  const orderId: string = res.body.orderId;
  await eventually(
    async () => (await apiClient(base, sales.token).get(`/api/v1/tasks?status=open&order=${orderId}`)).body.tasks.length === 1,
    20_000,
    'the first task',
  );
  return orderId;
}

/** A form field by its label exactly (a required one's label ends with " *"): the task's checklist has similar words. */
const field = (form: Locator, label: string) =>
  form.getByLabel(new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?\\s*$`));
const taskCard = (page: Page, orderId: string) => page.locator('li.task', { has: page.getByRole('link', { name: orderId }) });
const closedData = async (orderId: string) => {
  const rows = await stack.database.db.select({ data: tasks.data, status: tasks.status }).from(tasks).where(eq(tasks.subjectId, orderId));
  return rows.find((r) => r.status === 'done')?.data as Record<string, unknown> | undefined;
};

describe('closing an order with a form that knows the shop', () => {
  test('When a rep on a desktop opens the close task, then name, phone and address come from the lead, the product picker fills the items and COD is computed; a phone typed with spaces closes the order', async () => {
    const orderId = await newLead(
      { name: 'Trần Thị Hoa', address: '12 Lê Lợi, Phường Sài Gòn, TP Hồ Chí Minh' },
      'Khách hỏi áo đỏ, giao giờ hành chính',
    );
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, sales.token);
    const card = taskCard(page, orderId);
    await card.getByRole('button', { name: 'Xử lý' }).click();
    const form = card.locator('form.work');

    // Prefilled from the lead; the lead's note and address shown beside the form.
    await hasValue(field(form, 'Tên khách hàng'), 'Trần Thị Hoa');
    expect(await field(form, 'Số điện thoại').inputValue()).toMatch(/^09\d{8}$/);
    expect(await form.getByTestId('lead-note').textContent()).toBe('Khách hỏi áo đỏ, giao giờ hành chính');
    expect(await form.getByTestId('lead-address').textContent()).toBe('12 Lê Lợi, Phường Sài Gòn, TP Hồ Chí Minh');
    await hasValue(field(form, 'Tỉnh/Thành phố'), 'Hồ Chí Minh');
    await hasValue(field(form, 'Phường/Xã'), 'Phường Sài Gòn');
    await hasValue(field(form, 'Số nhà, đường'), '12 Lê Lợi');

    // The product picker: a name typed without tone marks finds both sizes, with price and stock.
    await field(form, 'Tìm sản phẩm (tên, SKU hoặc mã vạch)').fill('ao thun do');
    const pickM = form.getByRole('button', { name: 'Thêm Áo thun Đỏ size M (AO-DO-M)' });
    await pickM.waitFor();
    expect(await form.locator('.product-results li').count()).toBe(2);
    expect(await pickM.textContent()).toMatch(/175\.000\s₫ · còn 40/);
    await pickM.click();
    await field(form, 'Số lượng #1').fill('2');
    expect(await form.getByTestId('line-total-0').textContent()).toMatch(/350\.000\s₫/);
    await field(form, 'Tìm sản phẩm (tên, SKU hoặc mã vạch)').fill('NON-01');
    await form.getByRole('button', { name: 'Thêm Nón lưỡi trai (NON-01)' }).click();
    expect(await form.getByTestId('items-total').textContent()).toMatch(/440\.000\s₫/);

    // COD adds up the items and the shipping fee until the rep types over it; the fee starts at the
    // shop's rate for the address's province (shop.yaml shippingFee: Hồ Chí Minh 25.000 ₫).
    const cod = field(form, 'Tiền thu hộ (COD, VND)');
    await hasValue(field(form, 'Phí ship khách trả (VND)'), '25000');
    await hasValue(cod, '465000');
    await field(form, 'Phí ship khách trả (VND)').fill('30.000');
    await hasValue(cod, '470000');
    await cod.fill('450000'); // a discount agreed on the phone
    // Both the fee (typed over the shop's rate) and COD now offer to recompute.
    await eventually(async () => (await form.getByRole('button', { name: 'Tính lại' }).count()) === 2, 10_000, 'two Tính lại');
    await cod.fill('470000');

    // A phone typed the way the customer said it.
    const phone = field(form, 'Số điện thoại');
    await phone.fill('0912 345 678');
    expect(await form.getByText('Sẽ lưu: 0912345678').count()).toBe(1);
    await screenshot(page, 'forms-01-close-desktop');
    await form.getByRole('button', { name: 'Hoàn thành' }).click();
    await page.getByText(/^Đã hoàn thành\./).waitFor();
    const data = await eventually(() => closedData(orderId), 10_000, 'the closed task');
    expect(data).toEqual({
      customerName: 'Trần Thị Hoa',
      phone: '0912345678',
      items: [
        { sku: 'AO-DO-M', name: 'Áo thun Đỏ size M', qty: 2, price: 175000 },
        { sku: 'NON-01', name: 'Nón lưỡi trai', qty: 1, price: 90000 },
      ],
      shippingAddress: { street: '12 Lê Lợi', ward: 'Phường Sài Gòn', province: 'Hồ Chí Minh' },
      shippingFee: 30000,
      codAmount: 470000,
    });
    expect(errors).toEqual([]);
    await context.close();
  });

  test('When a rep on a phone (390×844) closes a lead without an address, then a scanned barcode adds the item and the province, then ward, are picked', async () => {
    const orderId = await newLead({ name: 'Lê Văn Nam' });
    const context = await newContext(browser, 'phone');
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, sales.token);
    const card = taskCard(page, orderId);
    await card.getByRole('button', { name: 'Xử lý' }).click();
    const form = card.locator('form.work');
    await hasValue(field(form, 'Tên khách hàng'), 'Lê Văn Nam');
    await eventually(async () => await field(form, 'Phường/Xã').isDisabled(), 10_000, 'the ward disabled'); // no province yet

    // A USB/Bluetooth scanner types the barcode and Enter: the one match is added, the form is not sent.
    const search = field(form, 'Tìm sản phẩm (tên, SKU hoặc mã vạch)');
    await search.fill('8930000000035');
    await form.getByRole('button', { name: 'Thêm Áo thun Đỏ size L (AO-DO-L)' }).waitFor();
    await search.press('Enter');
    await hasValue(field(form, 'Số lượng #1'), '1');
    await hasValue(search, '');

    await field(form, 'Tỉnh/Thành phố').selectOption('Hà Nội');
    const ward = field(form, 'Phường/Xã');
    await eventually(async () => await ward.isEnabled(), 10_000, 'the ward enabled');
    await ward.selectOption('Phường Ba Đình');
    await field(form, 'Số nhà, đường').fill('5 Kim Mã');
    // The items and the shop's fee for Hà Nội (25.000 ₫).
    await hasValue(field(form, 'Tiền thu hộ (COD, VND)'), '200000');
    await screenshot(page, 'forms-02-close-phone');
    await form.getByRole('button', { name: 'Hoàn thành' }).click();
    await page.getByText(/^Đã hoàn thành\./).waitFor();
    const data = await eventually(() => closedData(orderId), 10_000, 'the closed task');
    expect(data).toMatchObject({
      items: [{ sku: 'AO-DO-L', name: 'Áo thun Đỏ size L', qty: 1, price: 175000 }],
      shippingAddress: { street: '5 Kim Mã', ward: 'Phường Ba Đình', province: 'Hà Nội' },
      shippingFee: 25000,
      codAmount: 200000,
    });
    expect(errors).toEqual([]);
    await context.close();
  });

  test('When "Liên lạc được khách" is left unticked on the failed-delivery form, then it is sent as no and the task completes', async () => {
    const orderId = await newLead({ name: 'Phạm Thị Vắng' }, undefined, askProcess);
    const context = await newContext(browser, 'phone');
    const page = await context.newPage();
    await signIn(page, base, sales.token);
    const card = taskCard(page, orderId);
    await card.getByRole('button', { name: 'Xử lý' }).click();
    const form = card.locator('form.work');
    await field(form, 'Lý do giao thất bại').selectOption({ label: 'unreachable' });
    expect(await field(form, 'Liên lạc được khách').isChecked()).toBe(false);
    await screenshot(page, 'forms-03-unticked-phone');
    await form.getByRole('button', { name: 'Hoàn thành' }).click();
    await page.getByText(/^Đã hoàn thành\./).waitFor();
    expect(await eventually(() => closedData(orderId), 10_000, 'the completed task')).toEqual({
      reachedCustomer: false,
      reason: 'unreachable',
    });
    await context.close();
  });
});

/** Waits until an input shows `value` (the form fills in after the task loads), else fails naming what it shows. */
async function hasValue(input: Locator, value: string): Promise<void> {
  try {
    await eventually(async () => (await input.inputValue()) === value, 10_000, `the value ${value}`);
  } catch (err) {
    throw new Error(`${(err as Error).message}: it is ${JSON.stringify(await input.inputValue())}`);
  }
}
