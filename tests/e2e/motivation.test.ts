/**
 * The Thi đua & hoa hồng page in a real browser (headless Chromium) against the real stack: a rep
 * on a phone sees their own commission with its brackets and the leaderboard (a chart with an
 * accessible name, the same figures as a table, other people's amounts hidden); the manager on a
 * desktop sees everyone's statements. Orders are written to the database as delivered (the
 * integration test drives real deliveries). Screenshots under .cache/screenshots/.
 */
import type { Browser } from 'playwright-core';
import { ensureConsoleBuilt } from '../../console/build';
import { courierEvents, orders } from '../../db/schema';
import { createDefinitionsStore } from '../../server/shop/definitions';
import { kpiScheduleId } from '../../server/kpi/schedule';
import { apiClient, eventually, openTestStack, uniqueId, type TestStack } from '../support/stack';
import { launchBrowser, newContext, screenshot, signIn, watchErrors } from './support/browser';

let stack: TestStack;
let base: string;
let browser: Browser;

const PLAN = `apiVersion: shopflow/v1
kind: KpiPlan
metadata:
  name: motivation-e2e
  title: "KPI hoa hồng (e2e)"
spec:
  period: monthly
  creditRole: sales
  metrics:
    - id: revenue
      type: revenue
      owner: sales
      target: 4000000
      allocation: { by: weight, channels: { facebook: 100 }, reps: equal }
  commission:
    - role: sales
      tiers: [{ from: 0, rate: 5% }, { from: 1000000, rate: 10% }]
      bonus: { amount: 200000, target: revenue }
`;

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  browser = await launchBrowser();
});
afterAll(async () => {
  const plans = stack ? (await createDefinitionsStore(stack.database.db).list()).filter((d) => d.kind === 'KpiPlan') : [];
  for (const d of plans)
    await stack.temporal.schedule
      .getHandle(kpiScheduleId(d.name))
      .delete()
      .catch(() => undefined);
  await browser?.close();
  await stack?.close();
});

/** An order of `rep` delivered just now for `amount` ₫. */
async function delivered(rep: string, amount: number): Promise<void> {
  const id = uniqueId('mot');
  await stack.database.db.insert(orders).values({
    id,
    workflowId: `order:${id}`,
    channel: 'facebook',
    status: 'completed',
    total: amount,
    closedBy: rep,
    closedByRole: 'sales',
    courier: 'ghn',
  });
  await stack.database.db.insert(courierEvents).values({
    courier: 'ghn',
    eventKey: `${id}-d`,
    orderId: id,
    trackingCode: `T-${id}`,
    rawStatus: 'delivered',
    state: 'delivered',
    at: new Date(),
    applied: true,
    via: 'webhook',
  });
}

test('When a rep opens the page on a phone and the manager on a desktop, then each sees what is theirs to see, in Vietnamese', async () => {
  const manager = await stack.createStaff(['manager'], { name: 'Quản lý Hoa' });
  const an = await stack.createStaff(['sales'], { channels: ['facebook'], name: 'Trần An' });
  const binh = await stack.createStaff(['sales'], { channels: ['facebook'], name: 'Lê Bình' });
  await stack.activateProcess(PLAN, uniqueId('motivation'));
  const plan = (await createDefinitionsStore(stack.database.db).list()).find(
    (d) => d.kind === 'KpiPlan' && d.name.startsWith('motivation-'),
  )!;
  const started = await apiClient(base, manager.token).post('/api/v1/kpi/periods', { plan: plan.name });
  expect(started.status).toBe(201);
  await eventually(
    async () => (await apiClient(base, manager.token).get(`/api/v1/kpi/periods/${started.body.id}`)).status === 200,
    60_000,
    'the period',
  );
  // Targets 2.000.000 each. An: 2.500.000 → 1.000.000 × 5% + 1.500.000 × 10% = 200.000, + bonus 200.000 = 400.000.
  // Bình: 600.000 → 30.000.
  await delivered(an.id, 1_500_000);
  await delivered(an.id, 1_000_000);
  await delivered(binh.id, 600_000);

  const phone = await newContext(browser, 'phone');
  const page = await phone.newPage();
  const errors = watchErrors(page);
  await signIn(page, base, binh.token, '/motivation');
  await page.getByRole('heading', { name: 'Thi đua & hoa hồng' }).waitFor();
  await page.getByRole('heading', { name: 'Hoa hồng của tôi' }).waitFor();
  // The shipped plan's period runs too: this plan's is picked from the list.
  await page.getByLabel('Kỳ KPI').selectOption(started.body.id);
  const mine = page.getByTestId('my-payout');
  await mine.getByText('30.000 ₫').first().waitFor();
  expect(await mine.textContent()).toMatch(/600\.000\s₫/); // Intl puts a no-break space before ₫
  const tiers = page.getByTestId('my-tiers');
  expect(await tiers.locator('tbody tr').count()).toBe(2);
  // The chart has an accessible name; its figures are in the tables beside it.
  await page.getByRole('img', { name: 'Doanh thu thuần và chỉ tiêu theo nhóm' }).waitFor();
  const board = page.getByTestId('leaderboard-table').first();
  await board.getByText('Trần An').waitFor();
  const rows = await board.locator('tbody tr').allTextContents();
  expect(rows[0]).toContain('Trần An');
  expect(rows[0]).toContain('(ẩn)'); // another person's amount is hidden from a rep
  expect(rows[1]).toContain('Lê Bình');
  expect(rows[1]).toMatch(/600\.000\s₫/);
  expect(await page.getByRole('heading', { name: 'Bảng hoa hồng cả kỳ (kế toán)' }).count()).toBe(0);
  await page.getByLabel('Theo kênh').check();
  await page.getByRole('img', { name: 'Doanh thu thuần và chỉ tiêu theo kênh' }).waitFor();
  // Phone width: nothing wider than the screen but the scrolling tables.
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect(overflow).toBeLessThanOrEqual(1);
  await screenshot(page, 'motivation-01-rep-phone');
  expect(errors).toEqual([]);
  await phone.close();

  const desktop = await newContext(browser, 'desktop');
  const managerPage = await desktop.newPage();
  await signIn(managerPage, base, manager.token, '/motivation');
  await managerPage.getByLabel('Kỳ KPI').selectOption(started.body.id);
  const all = managerPage.getByTestId('payouts-table');
  await all.getByText('Trần An').waitFor();
  expect(await all.locator('tfoot').textContent()).toMatch(/430\.000\s₫/); // 400.000 + 30.000
  await managerPage.getByRole('button', { name: 'Tải CSV' }).waitFor();
  await screenshot(managerPage, 'motivation-02-manager-desktop');
  await desktop.close();
});
