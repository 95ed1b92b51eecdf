/**
 * KPI figures beyond revenue basics, on real parts: partial returns (only the returned value is
 * taken back, also across the month edge), close rate per rep, orders per packer per local day,
 * complaints within SLA, VIP/loyal care coverage — each against figures worked out by hand here —
 * plus a period workflow that continues-as-new and keeps its alerts and revisions, and a partial
 * return recorded by the order workflow from the warehouse's receive-return task.
 */
import type { temporal } from '@temporalio/proto';
import { eq } from 'drizzle-orm';
import { computeActuals } from '../../activities/kpi/kpi';
import {
  complaints,
  courierEvents,
  customerContacts,
  customers,
  kpiTargetRevisions,
  notifications,
  orders,
  shipments,
  stockMovements,
  tasks,
} from '../../db/schema';
import { periodFromKey } from '../../definitions/kpi/period';
import type { CompiledKpiPlan } from '../../definitions/kpi/types';
import { createDefinitionsStore } from '../../server/shop/definitions';
import { kpiScheduleId } from '../../server/kpi/schedule';
import { createStaffStore } from '../../server/staff/staff';
import { apiClient, eventually, fixture, openTestStack, uniqueId, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
});
afterAll(async () => {
  const plans = stack ? (await createDefinitionsStore(stack.database.db).list()).filter((d) => d.kind === 'KpiPlan') : [];
  for (const d of plans)
    await stack.temporal.schedule
      .getHandle(kpiScheduleId(d.name))
      .delete()
      .catch(() => undefined);
  await stack?.close();
});

/** Local Vietnam time (UTC+7) written as `2026-01-31 23:59:59`. */
const ict = (local: string) => new Date(`${local.replace(' ', 'T')}+07:00`);
const jan = () => periodFromKey({ unit: 'monthly' }, 420, '2026-01')!;
const feb = () => periodFromKey({ unit: 'monthly' }, 420, '2026-02')!;

async function activatePlan(yaml: string, name = uniqueId('ops')): Promise<CompiledKpiPlan> {
  await stack.activateProcess(yaml, name);
  return (await createDefinitionsStore(stack.database.db).active(name))!.compiled as CompiledKpiPlan;
}

describe('KPI operations, care and partial returns by SQL (January 2026, Asia/Ho_Chi_Minh)', () => {
  let plan: CompiledKpiPlan;
  let planName: string;
  const s = { repA: '', repB: '', packer1: '', packer2: '', care1: '', care2: '' };
  const tag = uniqueId('t');

  beforeAll(async () => {
    planName = uniqueId('ops');
    plan = await activatePlan(fixture('kpi-ops.yaml'), planName);
    s.repA = (await stack.createStaff(['sales'], { channels: ['facebook'], name: 'Rep A' })).id;
    s.repB = (await stack.createStaff(['sales'], { channels: ['facebook'], name: 'Rep B' })).id;
    s.packer1 = (await stack.createStaff(['warehouse'], { name: 'Packer 1' })).id;
    s.packer2 = (await stack.createStaff(['warehouse'], { name: 'Packer 2' })).id;
    s.care1 = (await stack.createStaff(['cskh'], { name: 'CSKH 1' })).id;
    s.care2 = (await stack.createStaff(['cskh'], { name: 'CSKH 2' })).id;
    const db = stack.database.db;
    const task = (id: string, subject: string, stage: string, role: string, by: string | null, done: string, status = 'done') =>
      db.insert(tasks).values({
        id: `${tag}-${id}`,
        workflowId: `order:${subject}`,
        subjectType: 'order',
        subjectId: subject,
        stage,
        role,
        title: stage,
        form: {},
        outcomes: [],
        status,
        completedBy: by,
        completedAt: ict(done),
        createdAt: ict(done),
      });

    // Delivered orders, all returned later, some partly (returned_amount = value of what came back).
    type Seed = { key: string; total: number; returnedAmount: number | null; rep: string; delivered: string; returned: string };
    const seeds: Seed[] = [
      { key: 'r1', total: 10_000_000, returnedAmount: 3_000_000, rep: s.repA, delivered: '2026-01-10 10:00', returned: '2026-01-20 10:00' },
      { key: 'r2', total: 8_000_000, returnedAmount: 2_000_000, rep: s.repB, delivered: '2026-01-25 10:00', returned: '2026-02-02 10:00' },
      { key: 'r3', total: 5_000_000, returnedAmount: null, rep: s.repA, delivered: '2026-01-28 10:00', returned: '2026-02-05 10:00' },
      // Returned 23:59:59 on 31 January local: still January. A returned amount above the total is capped at the total.
      {
        key: 'r4',
        total: 6_000_000,
        returnedAmount: 9_000_000,
        rep: s.repB,
        delivered: '2026-01-05 10:00',
        returned: '2026-01-31 23:59:59',
      },
    ];
    for (const o of seeds) {
      const id = `${tag}-${o.key}`;
      await db.insert(orders).values({
        id,
        workflowId: `order:${id}`,
        channel: 'facebook',
        status: 'returned',
        customerId: `${tag}-c-${o.key}`,
        total: o.total,
        returnedAmount: o.returnedAmount,
        courier: 'ghn',
        createdAt: ict('2026-01-02 09:00'),
      });
      await task(`${o.key}-close`, id, 'close', 'sales', o.rep, '2026-01-02 09:30');
      await db
        .insert(shipments)
        .values({ orderId: id, courier: 'ghn', trackingCode: `T-${id}`, state: 'returned', createdAt: ict('2026-01-03 10:00') });
      await db.insert(courierEvents).values([
        {
          courier: 'ghn',
          eventKey: `${id}-d`,
          orderId: id,
          trackingCode: `T-${id}`,
          rawStatus: 'delivered',
          state: 'delivered',
          at: ict(o.delivered),
          applied: true,
          via: 'webhook',
        },
        {
          courier: 'ghn',
          eventKey: `${id}-r`,
          orderId: id,
          trackingCode: `T-${id}`,
          rawStatus: 'returned',
          state: 'returned',
          at: ict(o.returned),
          applied: true,
          via: 'webhook',
        },
      ]);
    }
    // Leads that did not close: two marked lost by rep A, one by rep B, one nobody has handled yet.
    for (const [key, rep] of [
      ['l1', s.repA],
      ['l2', s.repA],
      ['l3', null],
      ['l4', s.repB],
    ] as const) {
      const id = `${tag}-${key}`;
      await db.insert(orders).values({
        id,
        workflowId: `order:${id}`,
        channel: 'facebook',
        status: rep ? 'lost' : 'open',
        customerId: `${tag}-c-${key}`,
        createdAt: ict('2026-01-12 09:00'),
      });
      if (rep) await task(`${key}-close`, id, 'close', 'sales', rep, '2026-01-12 10:00');
    }

    // Packing: 23:59 and 00:01 local are two local days (one UTC day). December, cancelled and confirm tasks do not count.
    const pack = (id: string, by: string, at: string, status = 'done', stage = 'pack', role = 'warehouse') =>
      task(id, `${tag}-r1`, stage, role, by, at, status);
    await pack('p1a', s.packer1, '2026-01-05 08:00');
    await pack('p1b', s.packer1, '2026-01-05 23:59');
    await pack('p1c', s.packer1, '2026-01-06 00:01');
    await pack('p2a', s.packer2, '2026-01-07 10:00');
    await pack('p2b', s.packer2, '2026-01-07 11:00');
    await pack('p2c', s.packer2, '2026-01-07 15:00');
    await pack('p2d', s.packer2, '2026-01-08 09:00');
    await pack('p2-dec', s.packer2, '2025-12-31 23:59');
    await pack('p2-cancelled', s.packer2, '2026-01-08 10:00', 'cancelled');
    await pack('p2-confirm', s.packer2, '2026-01-09 10:00', 'done', 'confirm', 'cskh');

    // Complaints belong to the month they are due in.
    const complaint = (key: string, v: { due: string | null; opened: string; resolved?: string; within?: boolean; by?: string }) =>
      db.insert(complaints).values({
        id: `${tag}-${key}`,
        workflowId: `complaint:${tag}-${key}`,
        customerId: `${tag}-c-r1`,
        category: 'late-delivery',
        description: 'Giao trễ',
        status: v.resolved ? 'resolved' : 'open',
        openedAt: ict(v.opened),
        dueAt: v.due ? ict(v.due) : null,
        resolvedAt: v.resolved ? ict(v.resolved) : null,
        resolvedWithinSla: v.resolved ? v.within! : null,
        resolvedBy: v.by ?? null,
        definitionName: 'complaint',
        definitionVersion: 1,
      });
    await complaint('k1', { opened: '2026-01-08 09:00', due: '2026-01-10 09:00', resolved: '2026-01-09 09:00', within: true, by: s.care1 });
    await complaint('k2', {
      opened: '2026-01-10 09:00',
      due: '2026-01-12 09:00',
      resolved: '2026-01-13 09:00',
      within: false,
      by: s.care1,
    });
    await complaint('k3', { opened: '2026-01-18 09:00', due: '2026-01-20 09:00' }); // still open, overdue
    await complaint('k4', { opened: '2026-01-29 09:00', due: '2026-02-02 09:00', resolved: '2026-01-30 09:00', within: true, by: s.care2 }); // due in February
    await complaint('k5', { opened: '2026-01-30 09:00', due: '2026-01-31 23:30', resolved: '2026-01-31 22:00', within: true, by: s.care2 });
    await complaint('k6', { opened: '2026-01-15 09:00', due: null }); // no SLA, not decided: not counted

    // Care: VIP/loyal customers by their current segment; a merged-away duplicate and other segments do not count.
    const customer = (key: string, segment: string | null, mergedInto?: string) =>
      db.insert(customers).values({
        id: `${tag}-${key}`,
        phone: `09${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
        name: key,
        segment,
        mergedInto: mergedInto ? `${tag}-${mergedInto}` : null,
      });
    await customer('vip1', 'vip');
    await customer('vip2', 'vip');
    await customer('loyal1', 'loyal');
    await customer('loyal2', 'loyal');
    await customer('loyal3', 'loyal', 'loyal1');
    await customer('other', null);
    const contact = (key: string, customerKey: string, at: string) =>
      db.insert(customerContacts).values({
        customerId: `${tag}-${customerKey}`,
        kind: 'care',
        taskId: `${tag}-${key}`,
        staffId: s.care1,
        at: ict(at),
      });
    await contact('cc1', 'vip1', '2026-01-10 10:00');
    await contact('cc1b', 'vip1', '2026-01-11 10:00'); // twice: still one customer
    await contact('cc2', 'vip2', '2025-12-31 23:00'); // December
    await contact('cc3', 'loyal1', '2026-01-31 23:59');
    await contact('cc4', 'loyal3', '2026-01-20 10:00'); // merged away
    await contact('cc5', 'other', '2026-01-20 10:00');
  });

  test('When an order is partly returned, then revenue takes back only the returned value, in the month of the return', async () => {
    const january = await computeActuals(stack.database.db, plan, jan().startsAt, jan().endsAt);
    // Delivered in January: 10 + 8 + 5 + 6 = 29 M. Returned in January: r1 3 M (partial), r4 6 M (9 M capped at its total).
    expect(january.revenue!.value).toBe(29_000_000 - 3_000_000 - 6_000_000);
    expect(january.revenue!.byStaff).toEqual({ [s.repA]: 10_000_000 - 3_000_000 + 5_000_000, [s.repB]: 8_000_000 + 6_000_000 - 6_000_000 });
    expect(january.revenue!.detail).toMatchObject({ delivered: 4, deliveredValue: 29_000_000, returned: 2, returnedValue: 9_000_000 });

    // New customers' closed leads less what came back: r1 10 − 3, r2 8 − 2, r3 5 − 5 (none recorded: all), r4 6 − 6.
    expect(january['new-revenue']!.value).toBe(7_000_000 + 6_000_000);

    const february = await computeActuals(stack.database.db, plan, feb().startsAt, feb().endsAt);
    // Returned in February: r2 2 M (partial), r3 5 M (no returned amount recorded: the whole order).
    expect(february.revenue!.value).toBe(-2_000_000 - 5_000_000);
    expect(february.revenue!.byStaff).toEqual({ [s.repA]: -5_000_000, [s.repB]: -2_000_000 });
  });

  test('When the return rate is by value, then returned parcels weigh their returned amount', async () => {
    const a = await computeActuals(stack.database.db, plan, jan().startsAt, jan().endsAt);
    // Handed over in January: 29 M; back: 3 + 2 + 5 (whole) + 6 (capped) = 16 M.
    expect(a['return-value']!.detail).toMatchObject({ shipped: 4, returned: 4, shippedValue: 29_000_000, returnedValue: 16_000_000 });
    expect(a['return-value']!.value).toBeCloseTo(16 / 29, 10);
  });

  test("When leads are counted per rep, then each rep's close rate is closed ÷ the leads whose close step they finished", async () => {
    const a = await computeActuals(stack.database.db, plan, jan().startsAt, jan().endsAt);
    // A: r1 r3 closed, l1 l2 lost → 2/4; B: r2 r4 closed, l4 lost → 2/3; all 8 leads (l3 unhandled): 4/8.
    expect(a['close-rate']!.value).toBe(0.5);
    expect(a['close-rate']!.byStaff![s.repA]).toBe(0.5);
    expect(a['close-rate']!.byStaff![s.repB]).toBeCloseTo(2 / 3, 10);
    expect(a['close-rate']!.staffDetail).toEqual({ [s.repA]: { leads: 4, closed: 2 }, [s.repB]: { leads: 3, closed: 2 } });
  });

  test('When pack tasks are counted, then orders per packer per day use local days, per packer and overall', async () => {
    const a = await computeActuals(stack.database.db, plan, jan().startsAt, jan().endsAt);
    // Packer 1: 3 orders on 5 and 6 January (local) → 1.5; packer 2: 4 orders on 7 and 8 January → 2; overall 7 ÷ 4 packer-days.
    expect(a['orders-per-packer']!.byStaff).toEqual({ [s.packer1]: 1.5, [s.packer2]: 2 });
    expect(a['orders-per-packer']!.value).toBe(7 / 4);
    expect(a['orders-per-packer']!.detail).toEqual({ orders: 7, packerDays: 4, packers: 2 });
  });

  test('When complaints and care contacts are counted, then the share within SLA and the share of VIP/loyal customers contacted match the hand count', async () => {
    const a = await computeActuals(stack.database.db, plan, jan().startsAt, jan().endsAt);
    // Due in January: k1 (on time), k2 (late), k3 (open, overdue), k5 (on time at 22:00 on the 31st) → 2/4.
    expect(a['complaints-on-time']!.value).toBe(0.5);
    expect(a['complaints-on-time']!.byStaff).toEqual({ [s.care1]: 0.5, [s.care2]: 1 });
    const f = await computeActuals(stack.database.db, plan, feb().startsAt, feb().endsAt);
    expect(f['complaints-on-time']!.detail).toMatchObject({ counted: 1, onTime: 1 }); // k4
    // VIP: vip1 contacted (twice), vip2 only in December → 1/2; loyal: loyal1 yes, loyal2 no (loyal3 merged away) → 1/2.
    expect(a['care-coverage']!.bySegment).toEqual({
      vip: { customers: 2, contacted: 1, value: 0.5 },
      loyal: { customers: 2, contacted: 1, value: 0.5 },
    });
    expect(a['care-coverage']!.value).toBe(0.5);
  });

  test('When January is backfilled through the API, then the period shows per-rep close rates and each rep sees their own', async () => {
    const manager = await stack.createStaff(['manager']);
    const started = await apiClient(base, manager.token).post('/api/v1/kpi/periods', { plan: planName, period: '2026-01' });
    expect(started.status).toBe(201);
    const closed = await eventually(
      async () => {
        const res = await apiClient(base, manager.token).get(`/api/v1/kpi/periods/${started.body.id}`);
        return res.body.status === 'closed' ? res.body : undefined;
      },
      30_000,
      'the backfilled period to close',
    );
    const closeRate = closed.metrics.find((m: { id: string }) => m.id === 'close-rate');
    expect(closeRate.staff[s.repA]).toEqual({ target: 0.5, actual: 0.5, detail: { leads: 4, closed: 2 } });
    expect(closeRate.staff[s.repB]).toMatchObject({ target: 0.5, detail: { leads: 3, closed: 2 } });
    const packers = closed.metrics.find((m: { id: string }) => m.id === 'orders-per-packer');
    expect(packers.staff[s.packer1]).toEqual({ target: 2, actual: 1.5, detail: { orders: 3, days: 2 } });
    // Rep A's evaluation: personal revenue 12 M of a 20 M share (60), close rate 0.5 of 0.5 (100) → 80.
    const evaluationA = closed.evaluation.staff.find((e: { staffId: string }) => e.staffId === s.repA);
    expect(evaluationA.metrics.find((m: { metric: string }) => m.metric === 'close-rate')).toMatchObject({
      scope: 'personal',
      actual: 0.5,
      score: 100,
    });
    expect(evaluationA.metrics.find((m: { metric: string }) => m.metric === 'revenue')).toMatchObject({
      scope: 'personal',
      target: 20_000_000,
      actual: 12_000_000,
      score: 60,
    });
    expect(evaluationA.score).toBe(80);

    const { token } = await createStaffStore(stack.database.db).issueToken(s.repA, 'kpi-test');
    const own = await apiClient(base, token).get(`/api/v1/kpi/staff/${s.repA}`);
    expect(own.status).toBe(200);
    const period = own.body.periods.find((p: { period: string }) => p.period === started.body.id);
    expect(period.metrics.find((m: { metric: string }) => m.metric === 'close-rate')).toMatchObject({
      type: 'closeRate',
      target: 0.5,
      actual: 0.5,
      detail: { leads: 4, closed: 2 },
    });
    expect(period.metrics.find((m: { metric: string }) => m.metric === 'revenue')).toMatchObject({ actual: 12_000_000 });
  });
});

describe('a KPI period that continues-as-new', () => {
  test('When a period continues-as-new every two recomputations, then its alert fires once across runs, both revisions are kept, and it closes with its evaluation', async () => {
    const name = uniqueId('can');
    const yaml = fixture('kpi-test.yaml')
      .replace('period: monthly', 'period: { every: 12s }')
      .replace('recompute: 1h', 'recompute: 1s\n  continueAsNewAfter: 2');
    const compiled = await activatePlan(yaml, name);
    expect(compiled.continueAsNewAfter).toBe(2);
    const manager = await stack.createStaff(['manager']);
    await stack.createStaff(['sales'], { channels: ['facebook'], name: 'Rep CAN' });
    const api = apiClient(base, manager.token);
    await eventually(async () => Date.now() % 12_000 < 1500, 15_000, 'the start of a 12 s period');
    const started = await api.post('/api/v1/kpi/periods', { plan: name });
    expect(started.status).toBe(201);
    const workflowId: string = started.body.workflowId;
    const firstRunId = (await stack.temporal.workflow.getHandle(workflowId).describe()).runId;
    await eventually(async () => (await api.get(`/api/v1/kpi/periods/${started.body.id}`)).status === 200, 10_000, 'the period row');

    const first = await api.post(`/api/v1/kpi/periods/${started.body.id}/targets`, {
      metric: 'revenue',
      value: 80_000_000,
      reason: 'đợt 1',
    });
    expect(first.status).toBe(200);
    await eventually(
      async () => (await stack.temporal.workflow.getHandle(workflowId).describe()).runId !== firstRunId,
      15_000,
      'a continued run',
    );
    const second = await api.post(`/api/v1/kpi/periods/${started.body.id}/targets`, {
      metric: 'revenue',
      value: 60_000_000,
      reason: 'đợt 2',
    });
    expect(second.status).toBe(200);

    const closed = await eventually(
      async () => {
        const res = await api.get(`/api/v1/kpi/periods/${started.body.id}`);
        return res.body.status === 'closed' ? res.body : undefined;
      },
      30_000,
      'the period to close',
    );
    expect(closed.alertsFired).toEqual(['revenue-behind']);
    expect(closed.metrics.find((m: { id: string }) => m.id === 'revenue').target).toBe(60_000_000);
    expect(closed.revisions.map((r: { oldValue: number; newValue: number; reason: string }) => [r.oldValue, r.newValue, r.reason])).toEqual(
      [
        [100_000_000, 80_000_000, 'đợt 1'],
        [80_000_000, 60_000_000, 'đợt 2'],
      ],
    );
    expect(closed.evaluation.staff.length).toBeGreaterThan(0);
    expect(await stack.database.db.select().from(kpiTargetRevisions).where(eq(kpiTargetRevisions.periodId, started.body.id))).toHaveLength(
      2,
    );
    expect(await stack.database.db.select().from(notifications).where(eq(notifications.subjectId, started.body.id))).toHaveLength(1);

    // Walk the chain of runs: several runs, and the alert activity ran once in all of them together.
    let runId: string | undefined = firstRunId;
    const runs: string[] = [];
    let alertActivities = 0;
    while (runId) {
      runs.push(runId);
      const history: temporal.api.history.v1.IHistory = await stack.temporal.workflow.getHandle(workflowId, runId).fetchHistory();
      const events = history.events ?? [];
      alertActivities += events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'fireKpiAlert').length;
      runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(alertActivities).toBe(1);
    expect((await stack.temporal.workflow.getHandle(workflowId, runs.at(-1)).describe()).status.name).toBe('COMPLETED');
  });
});

describe('KPI facts the order workflow writes on the order', () => {
  test('When the warehouse receives back one of two items, then the order keeps the value of what came back as its returned amount, and who closed it', async () => {
    await stack.startCourierSimulator({ timeScale: 1 });
    const { name: processName } = await stack.activateProcess(fixture('fast-ship.yaml'));
    const [admin, marketing] = await Promise.all([stack.createStaff(['admin']), stack.createStaff(['marketing'])]);
    const db = stack.database.db;
    for (const sku of ['AO-01', 'QUAN-02'])
      await db
        .insert(stockMovements)
        .values({ sku, qty: 100, kind: 'receipt', reason: 'opening stock', dedupeKey: `kpi-test:receipt:${sku}` });
    const api = apiClient(base, admin.token);
    const openTask = (orderId: string, stage: string) =>
      eventually(
        async () =>
          (await api.get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find((t: { stage: string }) => t.stage === stage),
        30_000,
        `open ${stage} task`,
      );

    const lead = await apiClient(base, marketing.token).post('/api/v1/leads', {
      channel: 'facebook',
      process: processName,
      note: '[sim:return]',
      customer: { name: 'Khách trả một phần', phone: `0399${String(Date.now() % 1_000_000).padStart(6, '0')}` },
    });
    expect(lead.status).toBe(201);
    const orderId: string = lead.body.orderId;
    const close = await openTask(orderId, 'close');
    await api.post(`/api/v1/tasks/${close.id}/complete`, {
      outcome: 'closed',
      data: {
        items: [
          { sku: 'AO-01', name: 'Áo thun', qty: 2, price: 150_000 },
          { sku: 'QUAN-02', name: 'Quần', qty: 1, price: 200_000 },
        ],
        shippingAddress: { street: '12 Lê Lợi', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
        codAmount: 500_000,
      },
    });
    const call = await openTask(orderId, 'call-customer');
    await api.post(`/api/v1/tasks/${call.id}/complete`, { outcome: 'return' });
    const receive = await openTask(orderId, 'receive-return');
    // One shirt came back (the customer kept the other and the trousers); it was damaged, so nothing is restocked.
    const done = await api.post(`/api/v1/tasks/${receive.id}/complete`, {
      outcome: 'restocked',
      data: { returnedItems: [{ sku: 'AO-01', qty: 1 }], restockedItems: [] },
    });
    expect(done.status).toBe(200);
    await stack.temporal.workflow.getHandle(`order:${orderId}`).result();
    const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
    expect(order).toMatchObject({ status: 'returned', total: 2 * 150_000 + 200_000, returnedAmount: 150_000 });
    // The close step's finisher and its role (fast-ship.yaml closes as sales-lead) are on the order, so KPIs credit without reading tasks.
    expect(order).toMatchObject({ closedBy: admin.id, closedByRole: 'sales-lead' });
  });
});
