/**
 * Human words on a form's choices (headless Chromium, the shipped standard-order process): the
 * sales rep reads the definition's titles for the lost reasons, never their ids, and the value
 * stored is still the id.
 */
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { tasks } from '../../db/schema';
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

test('When a sales rep marks a lead lost, then the reasons read as the shop wrote them and the stored reason is its id', async () => {
  const admin = await stack.createStaff(['admin']);
  const sales = await stack.createStaff(['sales'], { name: 'Nguyễn Văn Bán', channels: ['facebook'] });
  const lead = await apiClient(base, admin.token).post('/api/v1/leads', {
    channel: 'facebook',
    process: 'standard-order',
    customer: { name: 'Trần Thị Giá', phone: '0987 654 321' },
  });
  expect(lead.status).toBe(201);
  const orderId = lead.body.orderId as string;
  const task = await eventually(
    async () => (await apiClient(base, sales.token).get(`/api/v1/tasks?status=open&order=${orderId}`)).body.tasks[0],
    30_000,
    'the close task',
  );

  const context = await newContext(browser, 'phone');
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, base, sales.token);
  const card = page.locator('li.task', { has: page.getByRole('link', { name: orderId }) });
  await card.getByRole('button', { name: 'Xử lý' }).click();
  const form = card.locator('form.work');
  await form.getByRole('radio', { name: 'Khách không mua' }).check();
  const reason = form.getByRole('combobox', { name: /Lý do/ });
  const options = (await reason.locator('option').allTextContents()).map((o) => o.trim());
  expect(options).toEqual(expect.arrayContaining(['Chê giá cao', 'Không nghe máy, không trả lời', 'Khách đổi ý', 'Lý do khác']));
  for (const id of ['price', 'no-answer', 'changed-mind', 'out-of-stock']) expect(options).not.toContain(id);
  await reason.selectOption({ label: 'Chê giá cao' });
  await screenshot(page, 'enum-titles-lost-reason-phone');
  await form.getByRole('button', { name: 'Hoàn thành' }).click();
  await page.getByText(/^Đã hoàn thành\./).waitFor();
  const done = await eventually(
    async () => {
      const t = (await apiClient(base, admin.token).get(`/api/v1/tasks/${task.id}`)).body;
      return t.status === 'done' ? t : undefined;
    },
    15_000,
    'the task done',
  );
  expect(done.outcome).toBe('lost');
  const [stored] = await stack.database.db.select({ data: tasks.data }).from(tasks).where(eq(tasks.id, task.id));
  expect(stored!.data).toMatchObject({ reason: 'price' });
  expect(errors).toEqual([]);
  await context.close();
});
