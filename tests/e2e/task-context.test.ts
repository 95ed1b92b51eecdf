/**
 * A task card says what the person needs (headless Chromium, the shipped standard-order process,
 * the courier simulator): CSKH's confirm task shows the items, address and COD beside the form,
 * and ticking "Khách đổi địa chỉ" brings up the address picker; the failed-delivery task of a
 * parcel the courier reports returning shows the courier's reason and preselects "Hoàn hàng",
 * never "Giao lại".
 */
import type { Browser } from 'playwright-core';
import { products, stockMovements } from '../../db/schema';
import { ensureConsoleBuilt } from '../../console/build';
import { apiClient, eventually, openTestStack, type TestStack } from '../support/stack';
import { launchBrowser, newContext, screenshot, signIn, watchErrors } from './support/browser';

let stack: TestStack;
let base: string;
let browser: Browser;
let admin: { id: string; token: string };
let cskh: { id: string; token: string };

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  await stack.startCourierSimulator({ timeScale: 1 });
  browser = await launchBrowser();
  admin = await stack.createStaff(['admin']);
  cskh = await stack.createStaff(['cskh'], { name: 'Phạm Thị Chăm' });
  await stack.database.db.insert(products).values([{ sku: 'AO-DO-M', name: 'Áo thun Đỏ size M', price: 175000 }]);
  await stack.database.db
    .insert(stockMovements)
    .values({ sku: 'AO-DO-M', qty: 50, kind: 'receipt', reason: 'opening stock', dedupeKey: 'e2e-ctx:receipt:AO-DO-M' });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const api = () => apiClient(base, admin.token);

async function openTask(orderId: string, stage: string, timeoutMs = 40_000): Promise<{ id: string }> {
  return eventually(
    async () =>
      (await api().get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks?.find((t: { stage: string }) => t.stage === stage),
    timeoutMs,
    `open ${stage} task`,
  );
}

/** A lead of the shipped process, closed through the API with two shirts to Hà Nội (COD 375.000 ₫). */
async function closedOrder(note: string, phone: string): Promise<string> {
  const lead = await api().post('/api/v1/leads', {
    channel: 'facebook',
    process: 'standard-order',
    note,
    customer: { name: 'Đỗ Thị Xem', phone },
  });
  expect(lead.status).toBe(201);
  const orderId = lead.body.orderId as string;
  const close = await openTask(orderId, 'close');
  const done = await api().post(`/api/v1/tasks/${close.id}/complete`, {
    outcome: 'closed',
    data: {
      customerName: 'Đỗ Thị Xem',
      phone,
      items: [{ sku: 'AO-DO-M', name: 'Áo thun Đỏ size M', qty: 2, price: 175000 }],
      shippingAddress: { street: '5 Hàng Bài', ward: 'Phường Hoàn Kiếm', province: 'Hà Nội' },
      codAmount: 375000,
    },
  });
  expect(done.body.nextStage).toBe('confirm');
  return orderId;
}

test('When CSKH opens a confirm task, then the card shows the items, the address and the COD, and ticking "Khách đổi địa chỉ" brings up the address picker', async () => {
  const orderId = await closedOrder('Gọi trước khi giao', '0911222333');
  await openTask(orderId, 'confirm');
  const context = await newContext(browser, 'desktop');
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, base, cskh.token);
  const card = page.locator('li.task', { has: page.getByRole('link', { name: orderId }) });
  await card.getByRole('button', { name: 'Xử lý' }).click();
  const shown = card.getByTestId('task-context');
  await shown.waitFor();
  await expect(shown.getByRole('heading', { name: 'Thông tin cần cho việc này' }).count()).resolves.toBe(1);
  const items = shown.getByTestId('context-items');
  await expect(items.textContent()).resolves.toMatch(/Áo thun Đỏ size M/);
  await expect(items.locator('tbody tr td').nth(2).textContent()).resolves.toBe('2');
  await expect(items.locator('tbody tr td').nth(4).textContent()).resolves.toMatch(/350\.000/);
  await expect(shown.getByTestId('context-order.shippingAddress').textContent()).resolves.toBe('5 Hàng Bài, Phường Hoàn Kiếm, Hà Nội');
  await expect(shown.getByTestId('context-order.codAmount').textContent()).resolves.toMatch(/375\.000/);
  await expect(shown.getByTestId('context-order.shippingFee').textContent()).resolves.toMatch(/25\.000/);
  await expect(shown.getByTestId('context-customer.name').textContent()).resolves.toBe('Đỗ Thị Xem');
  // The forward outcome is preselected; the new address waits for its checkbox.
  await expect(card.getByRole('radio', { name: 'Khách xác nhận' }).isChecked()).resolves.toBe(true);
  const form = card.locator('form.work');
  await expect(form.getByText('Địa chỉ giao hàng mới').count()).resolves.toBe(0);
  await form.getByRole('checkbox', { name: 'Khách đổi địa chỉ' }).check();
  await form.getByText('Địa chỉ giao hàng mới').first().waitFor();
  await screenshot(page, 'task-context-confirm');
  expect(errors).toEqual([]);
  await context.close();
}, 240_000);

test('When the courier reports a failed delivery and the parcel returning, then the failed-delivery card shows the reason and preselects "Hoàn hàng", not "Giao lại"', async () => {
  const orderId = await closedOrder('[sim:return]', '0911222444');
  const confirm = await openTask(orderId, 'confirm');
  expect((await api().post(`/api/v1/tasks/${confirm.id}/complete`, { outcome: 'confirmed', data: { confirmedVia: 'phone' } })).status).toBe(
    200,
  );
  const pack = await openTask(orderId, 'pack');
  expect((await api().post(`/api/v1/tasks/${pack.id}/packing-override`, { reason: 'Kiểm đủ bằng mắt' })).status).toBe(201);
  const packed = await api().post(`/api/v1/tasks/${pack.id}/complete`, {
    outcome: 'packed',
    data: { weightGrams: 600, lengthCm: 30, widthCm: 20, heightCm: 5 },
  });
  expect(packed.status).toBe(200);
  const call = await openTask(orderId, 'call-customer', 90_000);
  await eventually(
    async () => {
      const detail = (await api().get(`/api/v1/tasks/${call.id}`)).body;
      return detail.suggestedOutcome === 'return';
    },
    60_000,
    'the parcel reported returning',
  );
  const context = await newContext(browser, 'phone');
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, base, cskh.token);
  const card = page.locator('li.task', { has: page.getByRole('link', { name: orderId }) });
  await card.getByRole('button', { name: 'Xử lý' }).click();
  const shown = card.getByTestId('task-context');
  await shown.waitFor();
  await expect(shown.getByTestId('context-shipment.reason').textContent()).resolves.toBe('Người nhận không đồng ý nhận sản phẩm');
  await expect(shown.getByTestId('context-shipment.state').textContent()).resolves.toMatch(/hoàn/i);
  await expect(card.getByRole('radio', { name: 'Giao lại' }).isChecked()).resolves.toBe(false);
  await expect(card.getByRole('radio', { name: 'Hoàn hàng' }).isChecked()).resolves.toBe(true);
  await screenshot(page, 'task-context-failed-delivery-phone');
  expect(errors).toEqual([]);
  await context.close();
}, 300_000);
