/**
 * The what-if in the console's definition editor, in headless Chromium against the real stack:
 * an admin edits the process (a confirm step for COD ≥ 3 million), presses "Mô phỏng" and reads
 * the plain-language summary, the figures side by side and the workload charts, computed from a
 * hand-built week of history.
 */
import type { Browser } from 'playwright-core';
import { ensureConsoleBuilt } from '../../console/build';
import { named, seedKnownWeek, withConfirm } from '../support/simulate-history';
import { fixture, openTestStack, type TestStack } from '../support/stack';
import { launchBrowser, newContext, screenshot, signIn, watchErrors } from './support/browser';

let stack: TestStack;
let base: string;
let browser: Browser;
let admin: { id: string; token: string };
let processName: string;

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await openTestStack();
  base = await stack.startApp();
  admin = await stack.createStaff(['admin'], { name: 'Trần Quản Trị' });
  ({ name: processName } = await stack.activateProcess(fixture('simulate-order.yaml')));
  await seedKnownWeek(stack.database.db, processName);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

test('When an admin simulates an added confirm step in the editor, then the summary, the side-by-side figures and the charts show what it would have done', async () => {
  const page = await (await newContext(browser)).newPage();
  const errors = watchErrors(page);
  await signIn(page, base, admin.token, '/definitions');
  const editor = page.getByLabel('YAML', { exact: true });
  await editor.fill(withConfirm(named(fixture('simulate-order.yaml'), processName)));
  await page.getByText(/^Hợp lệ:/).waitFor();
  // The seeded week (March 2026) lies within the last 52 weeks.
  await page.getByLabel('Số tuần lịch sử').fill('52');
  await page.getByRole('button', { name: 'Mô phỏng', exact: true }).click();
  const summary = page.getByTestId('simulation-summary');
  await summary.waitFor();
  expect(await summary.textContent()).toMatch(/thêm bước xác nhận đơn cho đơn COD ≥ 3 triệu: \+0,02 việc .*CSKH.*\/ngày/);
  const breaches = page.getByTestId('simulation-table').getByRole('row', { name: /Đơn mô phỏng/ });
  expect(await breaches.textContent()).toMatch(/10.*10/);
  expect(await page.getByRole('img', { name: /theo giờ/ }).count()).toBe(2); // CSKH and sales
  await screenshot(page, '30-simulation');
  expect(errors).toEqual([]);
});
