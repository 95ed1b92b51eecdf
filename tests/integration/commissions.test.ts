/**
 * Commissions on real parts: orders closed by two reps, shipped through the courier simulator and
 * delivered, one of them returned after delivery — then the period's payouts (JSON, CSV), each
 * person's own statement, the leaderboards per team and channel, and who may see what, over the
 * real HTTP app, worker, dev server and PostgreSQL. Figures are worked out by hand below.
 *
 * Plan (this file): revenue target 3.000.000 ₫ on facebook, split equally among the 3 facebook
 * reps → 1.000.000 ₫ each. Commission for sales: marginal tiers 5% up to 1.000.000, 10% above;
 * bonus 200.000 ₫ on reaching one's own revenue target.
 *
 *   Rep A (Nhóm 1): delivered 1.200.000 + 800.000 = 2.000.000, nothing returned → net 2.000.000
 *     commission 1.000.000 × 5% + 1.000.000 × 10% = 50.000 + 100.000 = 150.000
 *     2.000.000 ≥ 1.000.000 → bonus 200.000 → total 350.000
 *   Rep B (Nhóm 1): delivered 900.000 + 600.000 = 1.500.000, the 600.000 order returned → net 900.000
 *     commission 900.000 × 5% = 45.000; 900.000 < 1.000.000 → no bonus → total 45.000
 *     (without the return: 50.000 + 50.000 + 200.000 = 300.000)
 *   Rep C (no team, name starts with "=" to test CSV neutralising): nothing → 0
 *   Period totals: commission 195.000, bonus 200.000, total 395.000.
 */
import { and, eq } from 'drizzle-orm';
import { courierEvents } from '../../db/schema';
import { createDefinitionsStore } from '../../server/shop/definitions';
import { kpiScheduleId } from '../../server/kpi/schedule';
import { expectDocumented } from '../support/documented';
import { apiClient, eventually, fixture, openTestStack, uniqueId, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let sim: string;
let processName: string;
let planName: string;
let periodId: string;
type Member = { id: string; token: string };
let admin: Member, manager: Member, accounting: Member, repA: Member, repB: Member, repC: Member;

const PLAN = `apiVersion: shopflow/v1
kind: KpiPlan
metadata:
  name: commission-test
  title: "KPI hoa hồng (test)"
spec:
  period: monthly
  recompute: 1h
  creditRole: sales
  metrics:
    - id: revenue
      type: revenue
      owner: sales
      target: 3000000
      allocation: { by: weight, channels: { facebook: 100 }, reps: equal }
  commission:
    - role: sales
      title: "Hoa hồng kinh doanh"
      tiers: [{ from: 0, rate: 5% }, { from: 1000000, rate: 10% }]
      tiering: marginal
      bonus: { amount: 200000, target: revenue }
`;

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  sim = await stack.startCourierSimulator({ timeScale: 1 });
  // The close step is the sales rep's, so the rep who closes an order is credited with it.
  ({ name: processName } = await stack.activateProcess(fixture('fast-ship.yaml').replace('role: sales-lead', 'role: sales')));
  [admin, manager, accounting] = await Promise.all([
    stack.createStaff(['admin']),
    stack.createStaff(['manager']),
    stack.createStaff(['accounting']),
  ]);
  repA = await stack.createStaff(['sales'], { channels: ['facebook'], name: 'Rep A' });
  repB = await stack.createStaff(['sales'], { channels: ['facebook'], name: 'Rep B' });
  repC = await stack.createStaff(['sales'], { channels: ['facebook'], name: '=Rep C' });
  for (const rep of [repA, repB]) {
    const res = await apiClient(base, admin.token).patch(`/api/v1/staff/${rep.id}`, { team: ' Nhóm 1 ' });
    expect([res.status, res.body.staff.team]).toEqual([200, 'Nhóm 1']);
  }
  planName = uniqueId('hoahong');
  await stack.activateProcess(PLAN, planName);
  const started = await apiClient(base, manager.token).post('/api/v1/kpi/periods', { plan: planName });
  expect(started.status).toBe(201);
  periodId = started.body.id;
  await eventually(
    async () => (await apiClient(base, manager.token).get(`/api/v1/kpi/periods/${periodId}`)).status === 200,
    60_000,
    'the period row',
  );
}, 180_000);
afterAll(async () => {
  const plans = stack ? (await createDefinitionsStore(stack.database.db).list()).filter((d) => d.kind === 'KpiPlan') : [];
  for (const d of plans)
    await stack.temporal.schedule
      .getHandle(kpiScheduleId(d.name))
      .delete()
      .catch(() => undefined);
  await stack?.close();
});

const api = (m: Member = admin) => apiClient(base, m.token);
let phone = 0;

/** A facebook lead closed by `rep` at `price` ₫; `scenario` is the courier simulator's. */
async function sellAs(rep: Member, price: number, scenario: 'normal' | 'manual'): Promise<string> {
  phone += 1;
  const lead = await api().post('/api/v1/leads', {
    channel: 'facebook',
    process: processName,
    note: `[sim:${scenario}]`,
    customer: { name: `Khách hoa hồng ${phone}`, phone: `0388${String(Date.now() % 100000).padStart(5, '0')}${phone}`.slice(0, 10) },
  });
  expect(lead.status).toBe(201);
  const orderId: string = lead.body.orderId;
  const task = await eventually(
    async () =>
      (await api().get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks?.find((t: { stage: string }) => t.stage === 'close'),
    60_000,
    `the close task of ${orderId}`,
  );
  if (task.assigneeId !== rep.id) {
    const moved = await api().post(`/api/v1/tasks/${task.id}/reassign`, { to: rep.id });
    expect(moved.status).toBe(200);
  }
  const done = await api(rep).post(`/api/v1/tasks/${task.id}/complete`, {
    outcome: 'closed',
    data: {
      items: [{ sku: 'SP-01', name: 'Sản phẩm', qty: 1, price }],
      shippingAddress: { street: '1 Lê Lợi', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
      codAmount: price,
    },
  });
  expect([done.status, done.body.nextStage]).toEqual([200, 'ship']);
  return orderId;
}

const completed = (orderId: string) =>
  eventually(async () => (await api().get(`/api/v1/orders/${orderId}`)).body.status === 'completed', 90_000, `${orderId} delivered`);

async function advance(orderId: string, status: string): Promise<void> {
  const { body: order } = await api().get(`/api/v1/orders/${orderId}`);
  const res = await fetch(`${sim}/__sim/shipments/${order.trackingCode}/advance`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status }),
  });
  expect(res.ok).toBe(true);
}

describe('commissions net of a return', () => {
  beforeAll(async () => {
    const delivered = await Promise.all([
      sellAs(repA, 1_200_000, 'normal'),
      sellAs(repA, 800_000, 'normal'),
      sellAs(repB, 900_000, 'normal'),
    ]);
    const returned = await sellAs(repB, 600_000, 'manual');
    await Promise.all(delivered.map(completed));
    await eventually(
      async () => Boolean((await api().get(`/api/v1/orders/${returned}`)).body.trackingCode),
      60_000,
      'the parcel handed over',
    );
    await advance(returned, 'delivered');
    await completed(returned);
    // The customer sends it back after delivery: the courier reports it returned.
    await advance(returned, 'returned');
    await eventually(
      async () =>
        (
          await stack.database.db
            .select()
            .from(courierEvents)
            .where(and(eq(courierEvents.orderId, returned), eq(courierEvents.state, 'returned'), eq(courierEvents.applied, true)))
        ).length > 0,
      30_000,
      'the return recorded',
    );
  }, 300_000);

  test('When the manager reads the payouts, then every figure equals the hand calculation in this file, the return netted', async () => {
    const res = await api(manager).get(`/api/v1/kpi/periods/${encodeURIComponent(periodId)}/payouts`);
    expect(res.status).toBe(200);
    expectDocumented('/api/v1/kpi/periods/{id}/payouts', 'get', res);
    const by = Object.fromEntries(res.body.statements.map((s: { staffId: string }) => [s.staffId, s]));
    expect(by[repA.id]).toMatchObject({
      name: 'Rep A',
      team: 'Nhóm 1',
      role: 'sales',
      revenue: { delivered: 2, deliveredValue: 2_000_000, returned: 0, returnedValue: 0 },
      net: 2_000_000,
      tiers: [
        { from: 0, to: 1_000_000, rate: 0.05, revenue: 1_000_000, commission: 50_000 },
        { from: 1_000_000, to: null, rate: 0.1, revenue: 1_000_000, commission: 100_000 },
      ],
      commission: 150_000,
      target: 1_000_000,
      targetReached: true,
      bonus: 200_000,
      total: 350_000,
    });
    expect(by[repB.id]).toMatchObject({
      revenue: { delivered: 2, deliveredValue: 1_500_000, returned: 1, returnedValue: 600_000 },
      net: 900_000,
      commission: 45_000,
      target: 1_000_000,
      targetReached: false,
      bonus: 0,
      total: 45_000,
    });
    expect(by[repC.id]).toMatchObject({ net: 0, commission: 0, bonus: 0, total: 0, team: null });
    expect(res.body.totals).toEqual({ people: 3, commission: 195_000, bonus: 200_000, total: 395_000 });
    expect(res.body.period).toMatchObject({ id: periodId, status: 'running' });
  });

  test('When accounting downloads the CSV, then it has one line per person with the same figures, and a name that looks like a formula is neutralised', async () => {
    for (const [path, accept] of [
      [`/api/v1/kpi/periods/${encodeURIComponent(periodId)}/payouts.csv`, '*/*'],
      [`/api/v1/kpi/periods/${encodeURIComponent(periodId)}/payouts`, 'text/csv'],
    ] as const) {
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${accounting.token}`, accept } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel reads the Vietnamese names
      const lines = new TextDecoder().decode(bytes).split('\r\n');
      expect(lines[0]).toBe(
        'period,staff_id,name,team,role,delivered_orders,delivered_value,returned_orders,returned_value,net_revenue,commission,target,target_reached,bonus,total,status',
      );
      expect(lines).toContain(`${periodId},${repA.id},Rep A,Nhóm 1,sales,2,2000000,0,0,2000000,150000,1000000,yes,200000,350000,running`);
      expect(lines).toContain(`${periodId},${repB.id},Rep B,Nhóm 1,sales,2,1500000,1,600000,900000,45000,1000000,no,0,45000,running`);
      expect(lines).toContain(`${periodId},${repC.id},"'=Rep C",,sales,0,0,0,0,0,0,1000000,no,0,0,running`);
      expect(lines.filter(Boolean)).toHaveLength(4);
    }
  });

  test("When rep B asks for their own statement, then they get it; another person's, or everyone's, is 403", async () => {
    const mine = await api(repB).get(`/api/v1/me/payout?period=${encodeURIComponent(periodId)}`);
    expect(mine.status).toBe(200);
    expectDocumented('/api/v1/me/payout', 'get', mine);
    expect(mine.body).toMatchObject({ staffId: repB.id, net: 900_000, commission: 45_000, total: 45_000 });
    const own = await api(repB).get(`/api/v1/kpi/staff/${repB.id}/payouts?period=${encodeURIComponent(periodId)}`);
    expect([own.status, own.body.statements[0].total]).toEqual([200, 45_000]);

    const other = await api(repB).get(`/api/v1/kpi/staff/${repA.id}/payouts`);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('forbidden');
    expect(JSON.stringify(other.body)).not.toContain('350000');
    for (const path of [
      `/api/v1/kpi/periods/${encodeURIComponent(periodId)}/payouts`,
      `/api/v1/kpi/periods/${encodeURIComponent(periodId)}/payouts.csv`,
    ])
      expect((await api(repB).get(path)).status).toBe(403);
    // The manager may read anyone's.
    const managed = await api(manager).get(`/api/v1/kpi/staff/${repA.id}/payouts`);
    expect(managed.status).toBe(200);
    expect(managed.body.statements.find((s: { period: { id: string } }) => s.period.id === periodId).total).toBe(350_000);
  });

  test('When the leaderboard is read per team and per channel, then people are ranked by net revenue; a rep of scope own sees only their own amounts', async () => {
    const teams = await api(manager).get(`/api/v1/kpi/periods/${encodeURIComponent(periodId)}/leaderboard?by=team`);
    expect(teams.status).toBe(200);
    expectDocumented('/api/v1/kpi/periods/{id}/leaderboard', 'get', teams);
    expect(teams.body.groups).toEqual([
      {
        key: 'Nhóm 1',
        title: 'Nhóm 1',
        net: 2_900_000,
        target: 2_000_000,
        members: [
          { rank: 1, staffId: repA.id, name: 'Rep A', me: false, net: 2_000_000, target: 1_000_000, attainment: 200 },
          { rank: 2, staffId: repB.id, name: 'Rep B', me: false, net: 900_000, target: 1_000_000, attainment: 90 },
        ],
      },
      {
        key: null,
        title: null,
        net: 0,
        target: 1_000_000,
        members: [{ rank: 1, staffId: repC.id, name: '=Rep C', me: false, net: 0, target: 1_000_000, attainment: 0 }],
      },
    ]);
    const channels = await api(manager).get(`/api/v1/kpi/periods/${encodeURIComponent(periodId)}/leaderboard?by=channel`);
    const facebook = channels.body.groups.find((g: { key: string }) => g.key === 'facebook');
    expect(facebook).toMatchObject({ title: 'Facebook', net: 2_900_000, target: 3_000_000 });
    expect(facebook.members.map((m: { staffId: string; rank: number; net: number }) => [m.rank, m.staffId, m.net])).toEqual([
      [1, repA.id, 2_000_000],
      [2, repB.id, 900_000],
      [3, repC.id, 0],
    ]);

    const seenByB = await api(repB).get(`/api/v1/kpi/periods/${encodeURIComponent(periodId)}/leaderboard?by=team`);
    expect(seenByB.status).toBe(200);
    const [first, second] = seenByB.body.groups[0].members;
    expect(first).toMatchObject({ rank: 1, name: 'Rep A', net: null, target: null, attainment: null, me: false });
    expect(second).toMatchObject({ rank: 2, name: 'Rep B', net: 900_000, me: true });

    const bad = await api(manager).get(`/api/v1/kpi/periods/${encodeURIComponent(periodId)}/leaderboard?by=rank`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('by');
    expect((await api(manager).get('/api/v1/kpi/periods/no-such:2026-01/leaderboard')).status).toBe(404);
  });

  test('When a plan with a bad commission rule is validated, then it is 422 naming the field', async () => {
    const res = await api(admin).yaml(
      '/api/v1/definitions/validate',
      PLAN.replace('{ from: 1000000, rate: 10% }', '{ from: 0, rate: 10% }'),
    );
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'spec.commission[0].tiers[1].from', message: expect.stringMatching(/tiers go up/) }),
      ]),
    );
  });
});
