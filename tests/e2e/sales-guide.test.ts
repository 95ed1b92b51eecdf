/**
 * The sales script on the task page, in headless Chromium against the real stack: the rep sees
 * the script and its checklist (Vietnamese), closing without the required item is refused at the
 * item, ticking it closes the order, and the script version counts in the close-rate report.
 */
import type { Browser } from 'playwright-core';
import { ensureConsoleBuilt } from '../../console/build';
import { apiClient, eventually, fixture, openTestStack, type TestStack } from '../support/stack';
import { launchBrowser, newContext, screenshot, signIn, watchErrors } from './support/browser';

/** One close step for sales, an hour to do it: the task stays in the rep's list. */
const CLOSE_ONLY = `apiVersion: shopflow/v1
kind: OrderProcess
metadata:
  name: close-only
  title: "Test: chốt đơn"
spec:
  start: close
  stages:
    - id: close
      kind: human
      role: sales
      title: "Chốt đơn"
      sla: 1h
      form:
        type: object
        required: [codAmount]
        properties:
          codAmount: { type: integer, minimum: 0, title: "Tiền thu hộ (COD)" }
      sets: { codAmount: codAmount }
      escalate:
        - { after: 1h, notify: [manager] }
      on:
        closed: { to: done, title: "Đã chốt" }
        lost: { to: lost, title: "Không mua" }
    - { id: done, kind: end, title: "Hoàn tất", result: completed }
    - { id: lost, kind: end, title: "Không chốt được", result: lost }
`;

let stack: TestStack;
let base: string;
let browser: Browser;
let processName: string;
let sales: { id: string; token: string };
let admin: { id: string; token: string };

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  ({ name: processName } = await stack.activateProcess(CLOSE_ONLY));
  await stack.activateProcess(fixture('sales-guide-test.yaml'));
  [sales, admin] = await Promise.all([
    stack.createStaff(['sales'], { name: 'Nguyễn Thu Bán', channels: ['facebook'] }),
    stack.createStaff(['admin'], { name: 'Trần Quản Trị' }),
  ]);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

test('When a rep opens a Facebook lead, then the script and checklist are on the task, the required item blocks closing at the item, and ticking it closes the order', async () => {
  const lead = await apiClient(base, admin.token).post('/api/v1/leads', {
    channel: 'facebook',
    process: processName,
    customer: { name: 'Chị Mai', phone: '0987654321' },
  });
  expect(lead.status).toBe(201);
  const orderId: string = lead.body.orderId;
  await eventually(
    async () => (await apiClient(base, sales.token).get(`/api/v1/tasks?status=open&order=${orderId}`)).body.tasks.length === 1,
  );

  const page = await (await newContext(browser)).newPage();
  const errors = watchErrors(page);
  await signIn(page, base, sales.token);
  const card = page.locator('li.task', { has: page.getByRole('link', { name: orderId }) });
  await card.getByRole('button', { name: 'Xử lý' }).click();
  const guide = card.getByRole('region', { name: 'Kịch bản bán hàng' });
  await guide.waitFor();
  expect(await guide.getByRole('heading').textContent()).toBe('Kịch bản bán hàng: Chốt đơn Facebook (phiên bản 1)');
  expect(await guide.locator('.guide-script').textContent()).toBe('1. Chào khách.\n2. Đọc lại địa chỉ.\n');
  const required = guide.getByRole('checkbox', { name: 'Đọc lại địa chỉ giao hàng (bắt buộc)' });
  await guide.getByRole('checkbox', { name: 'Chào khách' }).check();
  await card.getByLabel('Tiền thu hộ (COD)').fill('200000');
  await card.getByRole('button', { name: 'Hoàn thành' }).click();
  await eventually(async () => (await required.getAttribute('aria-invalid')) === 'true', 10_000, 'the required item marked');
  expect(await guide.getByRole('alert').textContent()).toBe('bắt buộc trước khi hoàn thành: Đọc lại địa chỉ giao hàng');
  await screenshot(page, 'sales-guide-required');
  expect((await apiClient(base, admin.token).get(`/api/v1/orders/${orderId}`)).body.current?.stage).toBe('close');

  await required.check();
  await card.getByRole('button', { name: 'Hoàn thành' }).click();
  await page.getByText('Đã hoàn thành. Kết quả: Đã chốt.').waitFor();
  const report = await apiClient(base, admin.token).get('/api/v1/reports/scripts');
  expect(report.body.scripts).toEqual([expect.objectContaining({ script: 'close-test', version: 1, tasks: 1, closed: 1, closeRate: 1 })]);
  expect(errors).toEqual([]);
});
