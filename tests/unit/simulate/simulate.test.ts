/**
 * The what-if simulator's core on hand-built histories where the answer is known: an extra
 * confirm step adds exactly the matching orders' tasks, a shorter SLA breaches exactly where the
 * recorded durations say, the same seed gives the same report, a new shop is simulated from its
 * stated assumptions and says so.
 */
import { NoHistory, simulateWhatIf } from '../../../definitions/simulate/simulate';
import type { SimulationHistory } from '../../../definitions/simulate/types';
import { CODS_AT_14, CODS_AT_9, compile, knownHistory, shop, simulateYaml, withConfirm } from './helpers';

const compiledShop = shop();
const roleTitles = Object.fromEntries(Object.values(compiledShop.roles).map((r) => [r.id, r.title]));
const active = { process: compile(simulateYaml(), compiledShop), name: 'simulate-order', version: 1, title: 'Test' };
const candidateOf = (yaml: string) => ({ process: compile(yaml, compiledShop), name: 'simulate-order', version: null, title: 'Ứng viên' });

describe('what-if simulator', () => {
  test('When a confirm step is added for COD ≥ 3 million, then exactly the matching orders get a CSKH confirm task', async () => {
    const report = await simulateWhatIf({
      candidate: candidateOf(withConfirm(simulateYaml())),
      active,
      history: knownHistory(),
      seed: 7,
      roleTitles,
    });
    const matching = [...CODS_AT_9, ...CODS_AT_14].filter((cod) => cod >= 3_000_000).length;
    expect(matching).toBe(6);
    const confirm = report.candidate.slaBreaches.find((s) => s.stage === 'confirm');
    expect(confirm?.tasks).toBe(matching);
    const cskh = report.candidate.workload.find((w) => w.role === 'cskh');
    expect(cskh?.tasksPerDay).toBeCloseTo(matching / 7, 1);
    expect(report.active.workload.find((w) => w.role === 'cskh')).toBeUndefined();
    // Sales work is the same in both: the change adds work only where it says.
    expect(report.candidate.workload.find((w) => w.role === 'sales')?.tasksPerDay).toBe(
      report.active.workload.find((w) => w.role === 'sales')?.tasksPerDay,
    );
    expect(report.basis).toBe('history');
    expect(report.summary[0]).toContain('thêm bước xác nhận đơn cho đơn COD ≥ 3 triệu');
    expect(report.summary[0]).toContain(
      `+${String(Math.round((matching / 7) * 10) / 10).replace('.', ',')} việc Chăm sóc khách hàng/ngày`.replace(
        'Chăm sóc khách hàng',
        cskh!.title,
      ),
    );
    expect(report.differences.map((d) => d.metric)).toContain('tasksPerDay.cskh');
  });

  test('When the closing SLA is shortened to 1 hour, then exactly the orders whose recorded closing took 90 minutes breach', async () => {
    const shorter = simulateYaml().replace('sla: 2h', 'sla: 1h');
    const report = await simulateWhatIf({ candidate: candidateOf(shorter), active, history: knownHistory(), seed: 1, roleTitles });
    const close = (r: typeof report.candidate) => r.slaBreaches.find((s) => s.stage === 'close')!;
    expect(close(report.active)).toMatchObject({ tasks: 10, breaches: 0 });
    expect(close(report.candidate)).toMatchObject({ tasks: 10, breaches: CODS_AT_14.length });
    // The escalation rung after 1 hour fires for the same orders in both versions.
    expect(report.active.escalations).toEqual([expect.objectContaining({ stage: 'close', rung: 1, count: CODS_AT_14.length })]);
    expect(report.summary.join(' ')).toContain('SLA chốt đơn: 2 giờ → 1 giờ');
    expect(report.differences).toEqual(
      expect.arrayContaining([expect.objectContaining({ metric: 'slaBreaches', active: 0, candidate: 5, delta: 5 })]),
    );
  });

  test('When every parcel took 24 hours after a 30- or 90-minute close, then time to delivery, courier mix and COD at risk follow', async () => {
    const report = await simulateWhatIf({ candidate: candidateOf(simulateYaml()), active, history: knownHistory(), seed: 3, roleTitles });
    expect(report.active.timeToDeliveryHours).toEqual({ median: 24.5, p90: 25.5, delivered: 10 });
    expect(report.active.courierMix).toEqual([{ courier: 'ghn', shipments: 10 }]);
    expect(report.active.codAtRisk).toEqual({ amount: 0, orders: 0 });
    expect(report.active.finished).toBe(10);
    expect(report.differences).toEqual([]);
  });

  test('When the same seed is used twice, then the report is the same; a history of varied durations gives another draw with another seed', async () => {
    const varied: SimulationHistory = {
      ...knownHistory(),
      tasks: Array.from({ length: 40 }, (_, i) => ({
        role: 'sales',
        stage: 'close',
        hour: 9,
        durationMs: (i + 1) * 7 * 60_000,
        outcome: i % 4 ? 'closed' : 'lost',
      })),
    };
    const run = (seed: number) =>
      simulateWhatIf({ candidate: candidateOf(withConfirm(simulateYaml())), active, history: varied, seed, roleTitles });
    const [a, b] = [await run(42), await run(42)];
    expect(a).toEqual(b);
    const others = await Promise.all([1, 2, 3, 4, 5].map(run));
    expect(
      others.some(
        (o) =>
          JSON.stringify(o.active.slaBreaches) !== JSON.stringify(a.active.slaBreaches) ||
          o.active.timeToDeliveryHours.median !== a.active.timeToDeliveryHours.median,
      ),
    ).toBe(true);
  });

  test('When the shop has no history, then it is simulated from the stated assumptions and the report says so; without assumptions it refuses', async () => {
    const empty: SimulationHistory = { ...knownHistory(), arrivals: [], tasks: [], transits: [], staffing: [], throughputPerHour: {} };
    const report = await simulateWhatIf({
      candidate: candidateOf(withConfirm(simulateYaml())),
      active,
      history: empty,
      seed: 5,
      assumptions: { ordersPerDay: 20, minutesPerTask: 10, transitHours: 30 },
      roleTitles,
    });
    expect(report.basis).toBe('assumptions');
    expect(report.basisNote).toMatch(/^Chưa có lịch sử: mô phỏng theo giả định 20 đơn\/ngày, 10 phút\/việc/);
    // Mon–Sat are working days in the shipped shop: 6 × 20 arrivals in the week.
    expect(report.active.orders).toBe(120);
    expect(report.active.timeToDeliveryHours.median).toBeCloseTo(30 + 10 / 60, 1);
    await expect(simulateWhatIf({ candidate: active, active, history: empty, seed: 5 })).rejects.toBeInstanceOf(NoHistory);
  });
});
