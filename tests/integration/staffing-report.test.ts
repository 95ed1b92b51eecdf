/**
 * The staffing report on the real HTTP app and PostgreSQL, from a week of history written straight
 * into the tables with known task times, so every figure can be worked out by hand.
 *
 * The week: Monday 2026-03-02 – Sunday 2026-03-08 (Hà Nội time). The shop (definitions/shop.yaml)
 * works Mon–Fri 08:00–17:30 (9.5 h) and Sat 08:00–12:00 (4 h): 6 working days, two shifts.
 * Two orders arrive at 09:00 on each working day: 12 orders, 2 per working day.
 *   - sales "close": one per order; 7 took 30 min, 5 took 60 → median 30 min, 30 min per order.
 *     Monday's two were finished by two reps in the same hour → 2 people at the peak.
 *   - warehouse "pack": one per order, 12 min each → 12 min per order (one packer).
 *   - cskh "confirm": on the first order of each day (6 of 12 → 0.5 per order), 10 min → 5 min per order.
 * Volume 150x → 150 × 2 = 300 orders a day; utilisation 0.8.
 *   Mon–Fri (9.5 h × 0.8 = 7.6 h per person):
 *     sales     300 × 30 / 60 = 150 h → 150 / 7.6 = 19.74 → 20
 *     warehouse 300 × 12 / 60 =  60 h →  60 / 7.6 =  7.89 →  8
 *     cskh      300 ×  5 / 60 =  25 h →  25 / 7.6 =  3.29 →  4
 *   Sat (4 h × 0.8 = 3.2 h): sales 150 / 3.2 = 46.875 → 47; warehouse 60 / 3.2 = 18.75 → 19; cskh 25 / 3.2 = 7.81 → 8.
 */
import { orders, tasks } from '../../db/schema';
import { apiClient, openTestStack, type TestStack } from '../support/stack';
import { expectDocumented } from '../support/documented';

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Monday 2026-03-02 00:00 in Hà Nội (UTC+7). */
const MONDAY = Date.UTC(2026, 2, 1, 17);

let stack: TestStack;
let base: string;
let manager: { id: string; token: string };

async function seedOrder(id: string, arrived: number) {
  await stack.database.db.insert(orders).values({
    id,
    workflowId: `order:${id}`,
    channel: 'facebook',
    status: 'completed',
    stage: 'done',
    codAmount: 300_000,
    total: 300_000,
    definitionName: 'seeded',
    definitionVersion: 1,
    createdAt: new Date(arrived),
  });
}
async function seedTask(orderId: string, stage: string, role: string, title: string, opened: number, minutes: number | null, by: string) {
  await stack.database.db.insert(tasks).values({
    id: `${orderId}:${stage}`,
    workflowId: `order:${orderId}`,
    subjectType: 'order',
    subjectId: orderId,
    stage,
    role,
    title,
    form: { type: 'object' },
    outcomes: [{ name: 'done', title: 'Xong', form: { type: 'object' } }],
    status: minutes === null ? 'open' : 'done',
    createdAt: new Date(opened),
    completedAt: minutes === null ? null : new Date(opened + minutes * MINUTE),
    completedBy: minutes === null ? null : by,
    outcome: minutes === null ? null : 'done',
  });
}

beforeAll(async () => {
  stack = await openTestStack();
  base = await stack.startApp();
  manager = await stack.createStaff(['manager']);
  // Closing minutes per working day (Mon..Sat), first and second order.
  const closing = [
    [30, 30],
    [30, 30],
    [30, 30],
    [30, 60],
    [60, 60],
    [60, 60],
  ];
  for (let day = 0; day < 6; day++) {
    for (let n = 0; n < 2; n++) {
      const id = `staff-${day}-${n}`;
      const arrived = MONDAY + day * 24 * HOUR + 9 * HOUR;
      await seedOrder(id, arrived);
      await seedTask(id, 'close', 'sales', 'Chốt đơn', arrived, closing[day]![n]!, n ? 'rep-b' : 'rep-a');
      await seedTask(id, 'pack', 'warehouse', 'Đóng gói', arrived + 2 * HOUR, 12, 'packer-1');
      if (n === 0) await seedTask(id, 'confirm', 'cskh', 'Xác nhận đơn', arrived + HOUR, 10, 'cskh-1');
    }
  }
  // Outside the week: counts for nothing.
  await seedOrder('staff-next-week', MONDAY + 7 * 24 * HOUR + 9 * HOUR);
  await seedTask('staff-next-week', 'close', 'sales', 'Chốt đơn', MONDAY + 7 * 24 * HOUR + 9 * HOUR, 600, 'rep-a');
}, 120_000);
afterAll(() => stack?.close());

const report = (query: string) => apiClient(base, manager.token).get(`/api/v1/reports/staffing?${query}`);

describe('staffing report', () => {
  test('When a week of task times is known, then the recommended headcount per role and shift is the hand calculation, with its basis', async () => {
    const res = await report('volume=150x&weeks=1&to=2026-03-08&utilisation=0.8');
    expect(res.status).toBe(200);
    expectDocumented('/api/v1/reports/staffing', 'get', res);
    const body = res.body;
    expect(body.message).toBeUndefined();
    expect(body.window).toMatchObject({ weeks: 1, workingDays: 6, from: new Date(MONDAY).toISOString() });
    expect(body.measured).toMatchObject({ orders: 12, ordersPerWorkingDay: 2, tasks: 12 + 12 + 6 });
    expect(body.measured.ordersByHour[9]).toBe(12);
    expect(body.volume).toEqual({ asked: '150x', ordersPerDay: 300, multiplier: 150 });

    const role = (id: string) => body.roles.find((r: { role: string }) => r.role === id);
    expect(role('sales')).toMatchObject({
      title: 'Nhân viên kinh doanh',
      minutesPerOrder: 30,
      ordersPerPersonHour: 2,
      peakStaffMeasured: 2,
      stages: [{ stage: 'close', title: 'Chốt đơn', tasks: 12, tasksPerOrder: 1, medianMinutes: 30, minutesPerOrder: 30 }],
    });
    expect(role('warehouse')).toMatchObject({ minutesPerOrder: 12, ordersPerPersonHour: 5, peakStaffMeasured: 1 });
    expect(role('cskh')).toMatchObject({
      minutesPerOrder: 5,
      ordersPerPersonHour: 12,
      stages: [{ stage: 'confirm', tasks: 6, tasksPerOrder: 0.5, medianMinutes: 10, minutesPerOrder: 5 }],
    });

    const headcounts = body.shifts.map(
      (s: {
        days: string[];
        from: string;
        to: string;
        hours: number;
        orders: number;
        roles: Array<{ role: string; headcount: number; workloadHours: number }>;
      }) => ({
        days: s.days.join(','),
        shift: `${s.from}-${s.to}`,
        hours: s.hours,
        orders: s.orders,
        people: Object.fromEntries(s.roles.map((r) => [r.role, r.headcount])),
        workload: Object.fromEntries(s.roles.map((r) => [r.role, r.workloadHours])),
      }),
    );
    expect(headcounts).toEqual([
      {
        days: 'mon,tue,wed,thu,fri',
        shift: '08:00-17:30',
        hours: 9.5,
        orders: 300,
        people: { sales: 20, warehouse: 8, cskh: 4 },
        workload: { sales: 150, warehouse: 60, cskh: 25 },
      },
      {
        days: 'sat',
        shift: '08:00-12:00',
        hours: 4,
        orders: 300,
        people: { sales: 47, warehouse: 19, cskh: 8 },
        workload: { sales: 150, warehouse: 60, cskh: 25 },
      },
    ]);
  });

  test('When the volume is given as orders per day, then it is used as it is; 2 orders a day at the default utilisation need one person each', async () => {
    const absolute = await report('volume=300&weeks=1&to=2026-03-08&utilisation=0.8');
    expect(absolute.status).toBe(200);
    expect(absolute.body.volume).toEqual({ asked: '300', ordersPerDay: 300, multiplier: null });
    expect(absolute.body.shifts[0].roles.map((r: { headcount: number }) => r.headcount)).toEqual([20, 8, 4]);
    // 1x = the measured 2 orders a day: sales 2 × 30 / 60 = 1 h ÷ (9.5 × 0.85) → 1 person.
    const usual = await report('weeks=1&to=2026-03-08');
    expect(usual.body.volume).toEqual({ asked: '1x', ordersPerDay: 2, multiplier: 1 });
    expect(usual.body.utilisation).toBe(0.85);
    expect(usual.body.shifts[0].roles.map((r: { headcount: number }) => r.headcount)).toEqual([1, 1, 1]);
  });

  test('When there is no history in the window, then the report says so in words and recommends nothing', async () => {
    const res = await report('volume=3x&weeks=2&to=2026-01-31');
    expect(res.status).toBe(200);
    expectDocumented('/api/v1/reports/staffing', 'get', res);
    expect(res.body.message).toMatch(/Chưa có đơn hàng nào trong 2 tuần/);
    expect(res.body.roles).toEqual([]);
    expect(res.body.shifts).toEqual([]);
    expect(res.body.measured.orders).toBe(0);
  });

  test('When the volume or another parameter is not understood, then the answer is 400 naming it', async () => {
    for (const [query, field] of [
      ['volume=lots', 'volume'],
      ['volume=0', 'volume'],
      ['volume=0x', 'volume'],
      ['volume=-2x', 'volume'],
      ['volume=3y', 'volume'],
      ['volume=', 'volume'],
      ['weeks=0', 'weeks'],
      ['weeks=two', 'weeks'],
      ['utilisation=2', 'utilisation'],
      ['to=2026-02-30x', 'to'],
    ]) {
      const res = await report(query!);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.error.details.fields[0].field).toBe(field);
    }
    // Reports are the managers' (reports.read).
    const sales = await stack.createStaff(['sales']);
    expect((await apiClient(base, sales.token).get('/api/v1/reports/staffing')).status).toBe(403);
  });
});
