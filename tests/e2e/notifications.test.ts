/**
 * The bell in a real browser (headless Chromium) against the real stack: a sales rep keeps the
 * console open, a lead arrives and its task is handed to them, and the bell's count rises
 * without a reload; the panel names the task and opens it; a manager on a phone sees the urgent
 * escalation as a toast. Screenshots under .cache/screenshots/ (desktop and phone width).
 */
import type { Browser, Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../console/build';
import { apiClient, eventually, fixture, openTestStack, type TestStack } from '../support/stack';
import { launchBrowser, newContext, screenshot, signIn, watchErrors } from './support/browser';

let stack: TestStack;
let base: string;
let browser: Browser;
let processName: string;
let rep: { id: string; token: string };
let manager: { id: string; token: string };
let marketing: { id: string; token: string };

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  ({ name: processName } = await stack.activateProcess(fixture('notify-order.yaml')));
  [rep, manager, marketing] = await Promise.all([
    stack.createStaff(['sales'], { name: 'Nguyễn Văn Bán', channels: ['facebook'] }),
    stack.createStaff(['manager'], { name: 'Phạm Quản Lý' }),
    stack.createStaff(['marketing'], { name: 'Lê Thị Tiếp Thị' }),
  ]);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function newLead(customer: string, phone: string): Promise<string> {
  const lead = await apiClient(base, marketing.token).post('/api/v1/leads', {
    channel: 'facebook',
    process: processName,
    customer: { name: customer, phone },
  });
  expect(lead.status).toBe(201);
  return lead.body.orderId as string;
}

const bell = (page: Page) => page.getByRole('button', { name: /^Thông báo: \d+ chưa đọc$/ });
const bellCount = async (page: Page) => Number(/(\d+) chưa đọc/.exec((await bell(page).getAttribute('aria-label')) ?? '')?.[1] ?? NaN);

test('When a task is handed to the signed-in rep, then the bell count rises without a reload, and its notification names the task and opens it', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = watchErrors(page);
  let loads = 0;
  page.on('load', () => loads++);
  await signIn(page, base, rep.token);
  await page.getByRole('heading', { name: 'Việc của tôi' }).waitFor();
  await eventually(async () => (await bellCount(page)) === 0, 10_000, 'an empty bell');
  const loadsBefore = loads;

  const orderId = await newLead('Trần Thị Chuông', '0912 555 001');
  // The count rises on the open page: the stream brought it.
  await eventually(async () => (await bellCount(page)) >= 1, 20_000, 'the bell count to rise');
  expect(await page.getByTestId('bell-count').textContent()).toMatch(/^[1-9]/);
  // The task list refreshed too, and the page never reloaded.
  await page.locator('li.task', { has: page.getByRole('link', { name: orderId }) }).waitFor();
  expect(loads).toBe(loadsBefore);
  await screenshot(page, 'notifications-01-bell');

  await bell(page).click();
  const panel = page.getByRole('dialog', { name: 'Thông báo' });
  const item = panel.locator('li.note', { hasText: 'Bạn được giao việc “Chốt đơn”' });
  await item.waitFor();
  expect(await item.textContent()).toContain(orderId);
  expect(await item.textContent()).toContain('Việc mới');
  expect(await item.textContent()).not.toContain('assigned');
  await screenshot(page, 'notifications-02-panel');
  const before = await bellCount(page);
  await item.getByRole('link').click();
  await page.waitForURL(/\/tasks\/[^/]+$/);
  // The task it named is open with its form.
  const card = page.locator('li.task', { has: page.getByRole('link', { name: orderId }) });
  await card.getByRole('button', { name: 'Đóng' }).waitFor();
  await eventually(async () => (await bellCount(page)) === before - 1, 10_000, 'the count to drop once read');
  const api = await apiClient(base, rep.token).get('/api/v1/me/notifications/unread-count');
  await eventually(async () => (await bellCount(page)) === api.body.unreadCount || undefined, 10_000, 'the bell to agree with the API');

  // The inbox page lists it read, with English words on request.
  await page.goto(`${base}/notifications`);
  await page.getByRole('heading', { name: 'Thông báo' }).waitFor();
  await page.locator('li.note', { hasText: orderId }).first().waitFor();
  await screenshot(page, 'notifications-03-inbox');
  expect(errors).toEqual([]);
  await context.close();
});

test('When an escalation is urgent, then a manager on a phone sees it as a toast and in the bell', async () => {
  const context = await newContext(browser, 'phone');
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, base, manager.token);
  await bell(page).waitFor();
  const orderId = await newLead('Đỗ Văn Khẩn', '0912 555 002');
  // Level 2 of the ladder (after 4 s) is urgent.
  const toast = page.locator('.toast', { hasText: orderId });
  await toast.waitFor({ timeout: 30_000 });
  expect(await toast.textContent()).toContain('Khẩn cấp');
  expect(await toast.textContent()).toContain('trễ hạn');
  await screenshot(page, 'notifications-04-phone-toast');
  await bell(page).click();
  await page.getByRole('dialog', { name: 'Thông báo' }).locator('li.note', { hasText: orderId }).first().waitFor();
  // On a 390-px screen the panel fits the width.
  const box = await page.getByRole('dialog', { name: 'Thông báo' }).boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  await screenshot(page, 'notifications-05-phone-panel');
  expect(errors).toEqual([]);
  await context.close();
});
