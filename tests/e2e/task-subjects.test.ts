/**
 * A task says what it is about (headless Chromium): a complaint's task is labelled "Khiếu nại"
 * and links to the complaint's page, an order's task "Đơn" and the order's page (the console
 * used to label every task "Đơn" and link complaints to a missing order page).
 */
import type { Browser } from 'playwright-core';
import { ensureConsoleBuilt } from '../../console/build';
import { apiClient, eventually, openTestStack, type TestStack } from '../support/stack';
import { launchBrowser, newContext, screenshot, signIn, watchErrors } from './support/browser';

let stack: TestStack;
let base: string;
let browser: Browser;

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await openTestStack({ COURIERS: 'simulator' });
  await stack.startWorker();
  base = await stack.startApp();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

test("When CSKH opens their tasks, then a complaint's task names the complaint and opens its page", async () => {
  const admin = apiClient(base, (await stack.createStaff(['admin'])).token);
  const cskh = await stack.createStaff(['cskh'], { name: 'Bùi Thị Chăm Sóc' });
  const customer = await admin.post('/api/v1/customers', { phone: '0905 333 444', name: 'Lê Văn Khiếu' });
  expect(customer.status).toBe(201);
  const filed = await apiClient(base, cskh.token).post('/api/v1/complaints', {
    customerId: customer.body.id,
    category: 'damaged',
    description: 'Bình gốm bị vỡ khi nhận',
  });
  expect(filed.status).toBe(201);
  const complaintId = filed.body.complaintId as string;
  await eventually(
    async () => (await apiClient(base, cskh.token).get(`/api/v1/tasks?order=${complaintId}&status=open`)).body.tasks?.length > 0,
    20_000,
    "the complaint's task",
  );

  const context = await newContext(browser, 'desktop');
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, base, cskh.token);
  const link = page.getByRole('link', { name: complaintId });
  await link.waitFor();
  const card = page.locator('li.task', { has: link });
  expect((await card.locator('dl.meta dt').first().textContent())?.trim()).toBe('Khiếu nại');
  expect(await link.getAttribute('href')).toBe(`/complaints/${encodeURIComponent(complaintId)}`);
  await screenshot(page, 'task-subject-complaint');
  await link.click();
  await page.waitForURL(new RegExp(`/complaints/${complaintId}$`));
  await page.getByText('Bình gốm bị vỡ khi nhận').waitFor();
  expect(errors).toEqual([]);
  await context.close();
});
