/**
 * The console speaks to clerks, in headless Chromium against the real stack: a form's error is
 * said in Vietnamese at its field, the failed-delivery form goes with "Liên lạc được khách" left
 * unticked, and the order page's timeline shows stage titles, the skipped stages folded into one
 * line and a courier's status in words — never ids or codes. Screenshots under .cache/screenshots/.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { ensureConsoleBuilt } from '../../console/build';
import { orderEvents, tasks } from '../../db/schema';
import { apiClient, eventually, openTestStack, type TestStack } from '../support/stack';
import { launchBrowser, newContext, screenshot, signIn, watchErrors } from './support/browser';

let stack: TestStack;
let base: string;
let browser: Browser;
let processName: string;
let sales: { id: string; token: string };

/** The failed-delivery form (an optional yes/no, a phone), then two care stages this customer skips. */
const PROCESS = `apiVersion: shopflow/v1
kind: OrderProcess
metadata: { name: human-words, title: "Lời dễ hiểu" }
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
        required: [reason]
        properties:
          reachedCustomer: { type: boolean, title: "Liên lạc được khách" }
          phone: { type: string, title: "Số điện thoại mới", pattern: "^(0|\\\\+84)[0-9]{9,10}$" }
          reason:
            type: string
            title: "Lý do giao thất bại"
            enum: [not-home, unreachable]
            x-shopflow: { titles: { not-home: "Khách vắng nhà", unreachable: "Không gọi được khách" } }
      on:
        redeliver: { to: care-vip, title: "Giao lại" }
    - id: care-vip
      kind: notify
      title: "Chăm sóc khách VIP"
      when: { customer.segment: [vip] }
      otherwise: care-wholesale-wait
      notify: [manager]
      message: "Khách VIP"
      next: thanks
    - id: care-wholesale-wait
      kind: notify
      title: "Chờ khách sỉ đặt lại"
      when: { customer.segment: [wholesale] }
      otherwise: thanks
      notify: [manager]
      message: "Khách sỉ"
      next: thanks
    - id: thanks
      kind: human
      role: sales
      title: "Cảm ơn khách"
      sla: 1d
      on:
        done: { to: done, title: "Đã cảm ơn" }
    - { id: done, kind: end, title: "Xong", result: completed }
`;

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  ({ name: processName } = await stack.activateProcess(PROCESS));
  sales = await stack.createStaff(['sales'], { name: 'Nguyễn Văn Bán', channels: ['facebook'] });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const field = (form: Locator, label: string) =>
  form.getByLabel(new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?\\s*$`));
const taskCard = (page: Page, orderId: string) => page.locator('li.task', { has: page.getByRole('link', { name: orderId }) });

test('When a clerk types a bad phone, then the Vietnamese message is at the phone field; sent with the box unticked, the order page shows stage titles, the skipped stages folded and the courier status in words', async () => {
  const lead = await apiClient(base, sales.token).post('/api/v1/leads', {
    channel: 'facebook',
    process: processName,
    customer: { name: 'Phạm Thị Vắng', phone: '0913 222 111' },
  });
  expect(lead.status).toBe(201);
  const orderId: string = lead.body.orderId;
  await eventually(
    async () => (await apiClient(base, sales.token).get(`/api/v1/tasks?status=open&order=${orderId}`)).body.tasks.length === 1,
    30_000,
    'the task',
  );

  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, base, sales.token);
  const card = taskCard(page, orderId);
  await card.getByRole('button', { name: 'Xử lý' }).click();
  const form = card.locator('form.work');
  await field(form, 'Lý do giao thất bại').selectOption({ label: 'Không gọi được khách' });
  const phone = field(form, 'Số điện thoại mới');
  await phone.fill('12345');
  expect(await field(form, 'Liên lạc được khách').isChecked()).toBe(false);
  await form.getByRole('button', { name: 'Hoàn thành' }).click();
  await eventually(async () => (await phone.getAttribute('aria-invalid')) === 'true', 15_000, 'the phone marked');
  const said = form.locator(`#${(await phone.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-error'))}`);
  expect(await said.textContent()).toBe('Số điện thoại không hợp lệ (ví dụ 0912 345 678)');
  await screenshot(page, 'human-words-01-phone-error');

  // Fixed, and sent with "Liên lạc được khách" still unticked: the task completes.
  await phone.fill('0912345678');
  await form.getByRole('button', { name: 'Hoàn thành' }).click();
  await page.getByText(/^Đã hoàn thành\./).waitFor({ timeout: 20_000 });
  const done = await eventually(
    async () => (await stack.database.db.select().from(tasks).where(eq(tasks.subjectId, orderId))).find((t) => t.status === 'done'),
    15_000,
    'the completed task',
  );
  expect(done.data).toMatchObject({ reason: 'unreachable', phone: '0912345678' });
  expect(done.data).not.toHaveProperty('reachedCustomer', true);

  // The order passes both care stages (not VIP, not wholesale) and waits at "Cảm ơn khách".
  await eventually(
    async () => (await apiClient(base, sales.token).get(`/api/v1/orders/${orderId}`)).body.current?.stage === 'thanks',
    30_000,
    'the thanks stage',
  );
  // A courier's report as its webhook records it on the order (GHN's own status code).
  await stack.database.db.insert(orderEvents).values({
    orderId,
    type: 'courier_status',
    actor: 'ghn',
    dedupeKey: `courier:ghn:e2e-human-words:${orderId}`,
    data: { status: 'ready_to_pick', state: 'created', at: new Date().toISOString(), reason: null, via: 'webhook' },
  });

  await page.goto(`${base}/orders/${encodeURIComponent(orderId)}`);
  const timeline = page.locator('ol.timeline');
  await timeline.getByText('Chờ lấy hàng', { exact: false }).waitFor({ timeout: 20_000 });
  const text = (await timeline.textContent()) ?? '';
  expect(text).toContain('Chuyển sang bước «Cảm ơn khách»');
  expect(text).toContain('Xong bước «Xử lý giao hàng thất bại»: Giao lại');
  expect(text).toContain('GHN báo: Chờ lấy hàng');
  expect(text).toContain('Nguyễn Văn Bán');
  const folded = timeline.getByTestId('skipped-stages');
  expect(await folded.count()).toBe(1);
  expect(await folded.locator('summary').textContent()).toBe('Bỏ qua 2 bước: Chăm sóc khách VIP, Chờ khách sỉ đặt lại');
  // No stage id, courier code or staff id reaches the screen.
  for (const code of ['care-vip', 'care-wholesale-wait', 'call-customer', 'ready_to_pick', sales.id, 'stage_entered'])
    expect(text).not.toContain(code);
  await screenshot(page, 'human-words-02-timeline');

  // English from the language menu: the same timeline in English.
  await page.evaluate("localStorage.setItem('shopflow.lang', 'en')");
  await page.reload();
  await timeline.getByText('GHN reports: Waiting for pick-up').waitFor({ timeout: 20_000 });
  expect(await timeline.getByTestId('skipped-stages').locator('summary').textContent()).toBe(
    'Skipped 2 steps: Chăm sóc khách VIP, Chờ khách sỉ đặt lại',
  );
  expect(errors).toEqual([]);
  await context.close();
});
