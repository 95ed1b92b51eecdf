/**
 * KPI periods on real parts: SQL actuals over seeded orders with figures computed by hand, a
 * period workflow that runs, alerts once, takes a revision and closes with its evaluation on the
 * dev server, the schedule made at start-up, and the API answers as documented.
 */
import { ScheduleNotFoundError } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { computeActuals } from '../../activities/kpi/kpi';
import { courierEvents, kpiPeriods, kpiTargetRevisions, notifications, orders, shipments, tasks } from '../../db/schema';
import { periodFromKey } from '../../definitions/kpi/period';
import type { CompiledKpiPlan } from '../../definitions/kpi/types';
import { createDefinitionsStore } from '../../server/shop/definitions';
import { ensureKpiSchedules, kpiScheduleId } from '../../server/kpi/schedule';
import { startRuntime } from '../../server/platform/runtime';
import { apiClient, eventually, fixture, openTestStack, testLog, uniqueId, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
const schedules: string[] = [];
beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
});
afterAll(async () => {
  // Start-up made a schedule for every active plan of this database (some fire every few seconds).
  const plans = stack ? (await createDefinitionsStore(stack.database.db).list()).filter((d) => d.kind === 'KpiPlan') : [];
  for (const id of new Set([...schedules, ...plans.map((d) => kpiScheduleId(d.name))]))
    await stack.temporal.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  await stack?.close();
});

/** Local Vietnam time (UTC+7) written as `2026-01-31 23:59:59`. */
const ict = (local: string) => new Date(`${local.replace(' ', 'T')}+07:00`);

async function activatePlan(yaml: string, name = uniqueId('kpi')): Promise<CompiledKpiPlan> {
  await stack.activateProcess(yaml, name);
  const row = await createDefinitionsStore(stack.database.db).active(name);
  return row!.compiled as CompiledKpiPlan;
}

describe('KPI actuals by SQL (January 2026, Asia/Ho_Chi_Minh)', () => {
  let plan: CompiledKpiPlan;
  const reps = { a: '', b: '', c: '' };
  let cskh = '';
  const p = (id: string) => `${uniqueId('o')}-${id}`;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    plan = await activatePlan(fixture('kpi-test.yaml'));
    reps.a = (await stack.createStaff(['sales'], { channels: ['facebook'], name: 'Rep A' })).id;
    reps.b = (await stack.createStaff(['sales'], { channels: ['facebook'], name: 'Rep B' })).id;
    reps.c = (await stack.createStaff(['sales'], { channels: ['zalo'], name: 'Rep C' })).id;
    cskh = (await stack.createStaff(['cskh'], { name: 'CSKH 1' })).id;
    const db = stack.database.db;

    type Seed = {
      key: string;
      channel: string;
      customer: string;
      total: number | null;
      status: string;
      created: string;
      leadCost: number;
      campaign?: string;
      rep?: string;
      courier?: string;
      shipped?: string;
      shipState?: string;
      events?: Array<[string, Date]>;
    };
    const seeds: Seed[] = [
      {
        key: 'o1',
        channel: 'facebook',
        customer: 'c1',
        total: 10_000_000,
        status: 'completed',
        created: '2026-01-03 09:00',
        leadCost: 20_000,
        rep: reps.a,
        courier: 'ghn',
        shipped: '2026-01-05 10:00',
        shipState: 'delivered',
        events: [['delivered', ict('2026-01-08 15:00')]],
      },
      {
        key: 'o2',
        channel: 'facebook',
        customer: 'c2',
        total: 4_000_000,
        status: 'returned',
        created: '2026-01-09 09:00',
        leadCost: 20_000,
        rep: reps.b,
        courier: 'ghn',
        shipped: '2026-01-10 10:00',
        shipState: 'returned',
        events: [
          ['delivered', ict('2026-01-12 11:00')],
          ['returned', ict('2026-02-03 10:00')],
        ],
      },
      {
        key: 'o3',
        channel: 'zalo',
        customer: 'c3',
        total: 6_000_000,
        status: 'returned',
        created: '2026-01-14 09:00',
        leadCost: 20_000,
        rep: reps.c,
        courier: 'ghtk',
        shipped: '2026-01-15 10:00',
        shipState: 'returned',
        events: [['returned', ict('2026-01-20 10:00')]],
      },
      {
        key: 'o4',
        channel: 'zalo',
        customer: 'c4',
        total: 2_000_000,
        status: 'completed',
        created: '2026-01-19 09:00',
        leadCost: 20_000,
        rep: reps.c,
        courier: 'ghtk',
        shipped: '2026-01-20 10:00',
        shipState: 'delivered',
        events: [['delivered', ict('2026-02-01 00:30')]],
      },
      {
        key: 'o5',
        channel: 'facebook',
        customer: 'c5',
        total: 3_000_000,
        status: 'completed',
        created: '2026-01-24 09:00',
        leadCost: 20_000,
        rep: reps.a,
        courier: 'ghn',
        shipped: '2026-01-25 10:00',
        shipState: 'delivered',
        events: [['delivered', ict('2026-01-31 23:59:59')]],
      },
      {
        key: 'o6',
        channel: 'facebook',
        customer: 'c6',
        total: 5_000_000,
        status: 'cancelled',
        created: '2026-01-05 09:00',
        leadCost: 20_000,
        rep: reps.a,
        courier: 'ghn',
        shipped: '2026-01-06 10:00',
        shipState: 'cancelled',
      },
      {
        key: 'o7',
        channel: 'facebook',
        customer: 'c7',
        total: null,
        status: 'lost',
        created: '2026-01-07 09:00',
        leadCost: 50_000,
        campaign: 'tet',
      },
      {
        key: 'o8',
        channel: 'zalo',
        customer: 'c8',
        total: null,
        status: 'open',
        created: '2026-01-28 09:00',
        leadCost: 30_000,
        campaign: 'tet',
      },
      {
        key: 'o9',
        channel: 'facebook',
        customer: 'c1',
        total: 1_000_000,
        status: 'completed',
        created: '2026-01-27 09:00',
        leadCost: 20_000,
        rep: reps.b,
        courier: 'ghn',
        shipped: '2026-01-28 10:00',
        shipState: 'delivered',
        events: [['delivered', ict('2026-01-29 10:00')]],
      },
      { key: 'o10', channel: 'facebook', customer: 'c10', total: null, status: 'open', created: '2025-12-31 23:30', leadCost: 20_000 },
      { key: 'o11', channel: 'facebook', customer: 'c11', total: null, status: 'open', created: '2026-01-01 00:00', leadCost: 20_000 },
    ];
    const tag = uniqueId('c');
    for (const s of seeds) {
      const id = (ids[s.key] = p(s.key));
      await db.insert(orders).values({
        id,
        workflowId: `order:${id}`,
        channel: s.channel,
        status: s.status,
        customerId: `${tag}-${s.customer}`,
        total: s.total,
        campaign: s.campaign ?? null,
        leadCost: s.leadCost,
        courier: s.courier ?? null,
        createdAt: ict(s.created),
      });
      if (s.rep) {
        await db.insert(tasks).values({
          id: `${id}-close`,
          workflowId: `order:${id}`,
          subjectType: 'order',
          subjectId: id,
          stage: 'close',
          role: 'sales',
          title: 'Chốt đơn',
          form: {},
          outcomes: [],
          status: 'done',
          completedBy: s.rep,
          completedAt: ict(s.created),
          createdAt: ict(s.created),
        });
      }
      if (s.courier) {
        await db
          .insert(shipments)
          .values({ orderId: id, courier: s.courier, trackingCode: `T-${id}`, state: s.shipState!, createdAt: ict(s.shipped!) });
        for (const [i, [state, at]] of (s.events ?? []).entries()) {
          await db.insert(courierEvents).values({
            courier: s.courier,
            eventKey: `${id}-${i}`,
            orderId: id,
            trackingCode: `T-${id}`,
            rawStatus: state,
            state,
            at,
            applied: true,
            via: 'webhook',
          });
        }
      }
    }
    // A later sales follow-up by another rep does not move the credit of o1 from rep A.
    await db.insert(tasks).values({
      id: `${ids.o1}-follow`,
      workflowId: 'x',
      subjectType: 'order',
      subjectId: ids.o1!,
      stage: 'close',
      role: 'sales',
      title: 'follow-up',
      form: {},
      outcomes: [],
      status: 'done',
      completedBy: reps.b,
      completedAt: ict('2026-01-04 09:00'),
    });
    // Confirm tasks: 3 of 4 in January within SLA; one finished at 00:30 on 1 February (local) belongs to February.
    const confirm = (n: number, due: string, done: string) =>
      db.insert(tasks).values({
        id: `${ids.o1}-confirm-${n}`,
        workflowId: 'x',
        subjectType: 'order',
        subjectId: ids.o1!,
        stage: 'confirm',
        role: 'cskh',
        title: 'Xác nhận',
        form: {},
        outcomes: [],
        status: 'done',
        completedBy: cskh,
        dueAt: ict(due),
        completedAt: ict(done),
      });
    await confirm(1, '2026-01-03 10:00', '2026-01-03 09:30');
    await confirm(2, '2026-01-10 10:00', '2026-01-10 10:00');
    await confirm(3, '2026-01-15 10:00', '2026-01-15 09:00');
    await confirm(4, '2026-01-20 10:00', '2026-01-20 12:00');
    await confirm(5, '2026-02-01 10:00', '2026-02-01 00:30');
  });

  const jan = () => periodFromKey({ unit: 'monthly' }, 420, '2026-01')!;
  const feb = () => periodFromKey({ unit: 'monthly' }, 420, '2026-02')!;

  test('When January is computed, then revenue counts deliveries by local date, by channel and credited rep, and cancelled orders never count', async () => {
    expect(jan()).toEqual({ key: '2026-01', startsAt: Date.parse('2025-12-31T17:00:00Z'), endsAt: Date.parse('2026-01-31T17:00:00Z') });
    const a = await computeActuals(stack.database.db, plan, jan().startsAt, jan().endsAt);
    // o1 10M (A) + o2 4M (B) + o5 3M at 23:59:59 local (A) + o9 1M (B); o4 delivered 00:30 on 1 Feb is February's.
    expect(a.revenue!.value).toBe(18_000_000);
    expect(a.revenue!.byChannel).toEqual({ facebook: 18_000_000 });
    expect(a.revenue!.byStaff).toEqual({ [reps.a]: 13_000_000, [reps.b]: 5_000_000 });
    expect(a.revenue!.detail).toMatchObject({ delivered: 4, deliveredValue: 18_000_000, returned: 0 });
  });

  test('When February is computed, then the order delivered in January and returned in February is reversed in February', async () => {
    const a = await computeActuals(stack.database.db, plan, feb().startsAt, feb().endsAt);
    // + o4 2M (zalo, C) − o2 4M (facebook, B); o3 was returned without delivery: nothing to reverse.
    expect(a.revenue!.value).toBe(-2_000_000);
    expect(a.revenue!.byChannel).toEqual({ facebook: -4_000_000, zalo: 2_000_000 });
    expect(a.revenue!.byStaff).toEqual({ [reps.b]: -4_000_000, [reps.c]: 2_000_000 });
    expect(a['confirm-on-time']!.detail).toEqual({ done: 1, onTime: 1 });
  });

  test('When January is computed, then return rate (count and value, per courier), leads, cost per lead, close rate, new-customer revenue and SLA adherence match the hand count', async () => {
    const a = await computeActuals(stack.database.db, plan, jan().startsAt, jan().endsAt);
    // Handed over in January, cancelled o6 left out: o1 o2 o5 o9 (ghn), o3 o4 (ghtk); returned o2, o3.
    expect(a['return-rate']!.value).toBeCloseTo(2 / 6, 10);
    expect(a['return-rate']!.detail).toMatchObject({ shipped: 6, returned: 2, shippedValue: 26_000_000, returnedValue: 10_000_000 });
    expect(a['return-rate']!.detail!.rateByValue).toBeCloseTo(10 / 26, 10);
    expect(a['return-rate']!.byCourier).toEqual({
      ghn: { value: 0.25, shipped: 4, returned: 1, shippedValue: 18_000_000, returnedValue: 4_000_000 },
      ghtk: { value: 0.5, shipped: 2, returned: 1, shippedValue: 8_000_000, returnedValue: 6_000_000 },
    });
    // Leads created 1 Jan 00:00 … 31 Jan 23:59 local: o1–o9 and o11 (o10 is 31 Dec 23:30 local).
    expect(a.leads!.value).toBe(10);
    expect(a['cost-per-lead']!.value).toBe(24_000); // (8 × 20 000 + 50 000 + 30 000) / 10
    expect(a['cost-per-lead']!.byCampaign!.tet).toEqual({ leads: 2, leadCost: 80_000, costPerLead: 40_000, closed: 0 });
    expect(a['close-rate']!.value).toBeCloseTo(0.7, 10); // o1–o6, o9 have a total
    // New customers' closed orders, less cancelled/returned: o1 10M + o4 2M + o5 3M (o9 is c1's second order).
    expect(a['new-revenue']!.value).toBe(15_000_000);
    expect(a['confirm-on-time']!.value).toBe(0.75);
    expect(a['confirm-on-time']!.byStaff).toEqual({ [cskh]: 0.75 });
  });
});

describe('a KPI period workflow on the dev server', () => {
  test('When a short period is started through the API, then it recomputes, alerts once, records a revision, and closes with its evaluation', async () => {
    const name = uniqueId('live');
    const yaml = fixture('kpi-test.yaml').replace('period: monthly', 'period: { every: 8s }').replace('recompute: 1h', 'recompute: 1s');
    await activatePlan(yaml, name);
    const manager = await stack.createStaff(['manager']);
    const rep = await stack.createStaff(['sales'], { channels: ['facebook'], name: 'Rep Live' });
    const api = apiClient(base, manager.token);
    // Start early in a period so several recomputations happen before it ends.
    await eventually(async () => Date.now() % 8000 < 1500, 10_000, 'the start of an 8 s period');
    const started = await api.post('/api/v1/kpi/periods', { plan: name });
    expect(started.status).toBe(201);
    expect(started.body.workflowId).toBe(`kpi:${started.body.id}`);
    expect((await api.post('/api/v1/kpi/periods', { plan: name })).body).toMatchObject({ created: false, id: started.body.id });

    const running = await eventually(
      async () => {
        const res = await api.get(`/api/v1/kpi/periods/${started.body.id}`);
        return res.status === 200 ? res : undefined;
      },
      10_000,
      'the period row',
    );
    const revenue = running.body.metrics.find((m: { id: string }) => m.id === 'revenue');
    expect(revenue.staff[rep.id].target).toBeGreaterThan(0);

    const revised = await api.post(`/api/v1/kpi/periods/${started.body.id}/targets`, {
      metric: 'revenue',
      value: 50_000_000,
      reason: 'Tết: giảm chỉ tiêu',
    });
    expect(revised.status).toBe(200);
    expect(revised.body.targets.revenue.target).toBe(50_000_000);
    expect(Object.values(revised.body.targets.revenue.channels as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(50_000_000);
    expect((await api.post(`/api/v1/kpi/periods/${started.body.id}/targets`, { metric: 'nope', value: 1, reason: 'x' })).status).toBe(422);

    const closed = await eventually(
      async () => {
        const res = await api.get(`/api/v1/kpi/periods/${started.body.id}`);
        return res.body.status === 'closed' ? res.body : undefined;
      },
      20_000,
      'the period to close',
    );
    expect(closed.alertsFired).toEqual(['revenue-behind']);
    expect(closed.revisions).toEqual([
      expect.objectContaining({
        metric: 'revenue',
        scope: 'total',
        oldValue: 100_000_000,
        newValue: 50_000_000,
        actor: manager.id,
        reason: 'Tết: giảm chỉ tiêu',
      }),
    ]);
    const mine = closed.evaluation.staff.find((s: { staffId: string }) => s.staffId === rep.id);
    expect(mine).toMatchObject({ grade: 'D', rank: { sales: expect.any(Number) } });

    const alerts = await stack.database.db.select().from(notifications).where(eq(notifications.subjectId, started.body.id));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ roles: ['manager', 'sales-lead'], dedupeKey: `kpi:${started.body.id}:pacing:revenue-behind` });
    const [row] = await stack.database.db.select().from(kpiPeriods).where(eq(kpiPeriods.id, started.body.id));
    expect(row!.status).toBe('closed');
    expect(
      await stack.database.db
        .select()
        .from(kpiTargetRevisions)
        .where(and(eq(kpiTargetRevisions.periodId, started.body.id))),
    ).toHaveLength(1);

    const csv = await fetch(`${base}/api/v1/kpi/periods/${started.body.id}/export.csv`, {
      headers: { authorization: `Bearer ${manager.token}` },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    expect(text).toContain('section,metric,breakdown,key,target,actual,score,grade');
    expect(text).toContain(`metric,revenue,staff,${rep.id},`);

    const own = await apiClient(base, rep.token).get(`/api/v1/kpi/staff/${rep.id}`);
    expect(own.status).toBe(200);
    expect(own.body.periods.find((x: { period: string }) => x.period === started.body.id).evaluation.grade).toBe('D');
    expect((await apiClient(base, rep.token).get(`/api/v1/kpi/staff/${manager.id}`)).status).toBe(403);
  });

  test('When a past month is started, then it is a backfill that closes at once with the January figures', async () => {
    const manager = await stack.createStaff(['manager']);
    const api = apiClient(base, manager.token);
    const plans = await createDefinitionsStore(stack.database.db).list();
    const planName = plans.find((d) => d.kind === 'KpiPlan' && d.name.startsWith('kpi-'))!.name; // the monthly plan of the SQL tests
    const started = await api.post('/api/v1/kpi/periods', { plan: planName, period: '2026-01' });
    expect(started.status).toBe(201);
    const closed = await eventually(
      async () => {
        const res = await api.get(`/api/v1/kpi/periods/${started.body.id}`);
        return res.body.status === 'closed' ? res.body : undefined;
      },
      20_000,
      'the backfilled period to close',
    );
    expect(closed.metrics.find((m: { id: string }) => m.id === 'revenue').actual).toBe(18_000_000);
    expect(closed.alertsFired).toEqual([]); // a backfill has no pacing to alert on
    expect((await api.post('/api/v1/kpi/periods', { plan: planName, period: '2026-13' })).status).toBe(422);
  });
});

describe('KPI schedules', () => {
  test('When shopflow starts, then the shipped plan has a schedule: monthly at local midnight, overlap skip, catch-up', async () => {
    // Couriers on the simulator: live mode would (rightly) refuse to start without courier accounts.
    const runtime = await startRuntime('worker', { ...stack.config, couriers: 'simulator' }, testLog);
    try {
      schedules.push(kpiScheduleId('shop-kpi'));
      const described = await stack.temporal.schedule.getHandle(kpiScheduleId('shop-kpi')).describe();
      expect(described.spec.timezone).toBe('Asia/Ho_Chi_Minh');
      expect(described.spec.calendars?.[0]).toMatchObject({
        dayOfMonth: [{ start: 1, end: 1, step: 1 }],
        hour: [{ start: 0, end: 0, step: 1 }],
      });
      expect(described.policies.overlap).toBe('SKIP');
      expect(described.policies.catchupWindow).toBe(31 * 86_400_000);
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'kpiScheduleWorkflow', args: [{ plan: 'shop-kpi' }] });
    } finally {
      await runtime.close();
    }
  });

  test('When a schedule fires, then it starts the period under its business id kpi:<plan>:<period>', async () => {
    const name = uniqueId('sched');
    await activatePlan(
      fixture('kpi-test.yaml').replace('period: monthly', 'period: { every: 3s }').replace('recompute: 1h', 'recompute: 1s'),
      name,
    );
    const ids = await ensureKpiSchedules({
      db: stack.database.db,
      temporal: stack.temporal,
      taskQueue: stack.config.temporal.taskQueue,
      log: testLog,
    });
    schedules.push(...ids);
    expect(ids).toContain(kpiScheduleId(name));
    const row = await eventually(
      async () => (await stack.database.db.select().from(kpiPeriods).where(eq(kpiPeriods.plan, name)))[0],
      15_000,
      'a scheduled period',
    );
    expect(row.workflowId).toBe(`kpi:${name}:${row.periodKey}`);
    expect(row.endsAt.getTime() - row.startsAt.getTime()).toBe(3000);
    await stack.temporal.schedule.getHandle(kpiScheduleId(name)).delete();
    await expect(stack.temporal.schedule.getHandle(kpiScheduleId(name)).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });
});
