import fs from 'node:fs';
import path from 'node:path';
import { allocateReps, evaluate, metricScore, pacingBreaches, snapshotTargets } from '../../../definitions/kpi/model';
import { splitByWeight } from '../../../definitions/kpi/compile';
import { periodContaining, periodFromKey } from '../../../definitions/kpi/period';
import type { CompiledKpiPlan } from '../../../definitions/kpi/types';
import { loadDefinitionText } from '../../../definitions/loading/loader';
import { shippedShop } from '../definitions/helpers';

const KPI_FILE = path.join(__dirname, '../../../definitions/processes/kpi.yaml');
const load = (text: string) => loadDefinitionText(text, 'kpi.yaml', shippedShop());
const shipped = (): CompiledKpiPlan => {
  const r = load(fs.readFileSync(KPI_FILE, 'utf8'));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value as CompiledKpiPlan;
};
const ICT = 420;

describe('KPI periods in Asia/Ho_Chi_Minh', () => {
  test('When an instant is just before or after local midnight of 1 February, then it falls in January or February', () => {
    const jan = periodContaining({ unit: 'monthly' }, ICT, Date.parse('2026-01-31T16:59:59.999Z'));
    const feb = periodContaining({ unit: 'monthly' }, ICT, Date.parse('2026-01-31T17:00:00Z'));
    expect(jan).toEqual({ key: '2026-01', startsAt: Date.parse('2025-12-31T17:00:00Z'), endsAt: Date.parse('2026-01-31T17:00:00Z') });
    expect(feb.key).toBe('2026-02');
  });
  test('When weeks and quarters are keyed, then keys round-trip and weeks start Monday 00:00 local', () => {
    const week = periodContaining({ unit: 'weekly' }, ICT, Date.parse('2026-01-15T05:00:00Z')); // Thursday
    expect(week).toEqual({ key: '2026-W03', startsAt: Date.parse('2026-01-11T17:00:00Z'), endsAt: Date.parse('2026-01-18T17:00:00Z') });
    expect(periodFromKey({ unit: 'weekly' }, ICT, '2026-W03')).toEqual(week);
    expect(periodFromKey({ unit: 'quarterly' }, ICT, '2026-Q2')).toMatchObject({
      startsAt: Date.parse('2026-03-31T17:00:00Z'),
      endsAt: Date.parse('2026-06-30T17:00:00Z'),
    });
    expect(periodFromKey({ unit: 'monthly' }, ICT, '2026-13')).toBeUndefined();
    const interval = periodContaining({ unit: 'interval', everyMs: 5000 }, ICT, 1_000_007_000);
    expect(periodFromKey({ unit: 'interval', everyMs: 5000 }, ICT, interval.key)).toEqual(interval);
  });
});

describe('the KpiPlan definition', () => {
  test('When the shipped kpi.yaml is compiled, then channel targets add up to the revenue target', () => {
    const plan = shipped();
    const revenue = plan.metrics.find((m) => m.type === 'revenue')!;
    expect(plan).toMatchObject({
      name: 'shop-kpi',
      period: { unit: 'monthly' },
      timezone: 'Asia/Ho_Chi_Minh',
      utcOffsetMinutes: 420,
      recomputeEveryMs: 3_600_000,
    });
    expect(Object.values(revenue.allocation!.channels).reduce((a, b) => a + b, 0)).toBe(revenue.target);
    expect(plan.metrics.find((m) => m.id === 'return-rate')).toMatchObject({ goal: 'ceiling', target: 0.08 });
  });
  test('When a plan has wrong roles, channels, goals and pacing, then every error is reported with its position', () => {
    const text = fs
      .readFileSync(KPI_FILE, 'utf8')
      .replace('owner: warehouse\n', 'owner: warehous\n')
      .replace('website: 5,', 'webshop: 5,')
      .replace('ceiling: 50000', 'target: 50000')
      .replace('overCeiling: true', 'below: 10%');
    const r = load(text);
    expect(r.ok).toBe(false);
    const messages = !r.ok ? r.errors.map((e) => `${e.line}: ${e.message}`) : [];
    expect(messages.join('\n')).toMatch(/unknown role "warehous" \(did you mean "warehouse"\?\)/);
    expect(messages.join('\n')).toMatch(/unknown channel "webshop"/);
    expect(messages.join('\n')).toMatch(/a costPerLead metric needs a ceiling/);
    expect(messages.join('\n')).toMatch(/metric "return-rate" has a ceiling: use overCeiling: true/);
  });
});

describe('allocation, pacing and evaluation', () => {
  const reps = [
    { id: 'a', name: 'An', roles: ['sales'], channels: ['facebook'] },
    { id: 'b', name: 'Bình', roles: ['sales'], channels: ['facebook', 'zalo'] },
    { id: 'c', name: 'Chi', roles: ['sales'], channels: ['zalo'] },
  ];
  test('When 100 000 001 VND is split 60/40 and then equally among reps, then every part is whole and the parts add up exactly', () => {
    const channels = splitByWeight(100_000_001, { facebook: 60, zalo: 40 });
    expect(channels).toEqual({ facebook: 60_000_001, zalo: 40_000_000 });
    const { reps: perRep, unallocated } = allocateReps({ ...channels, tiktok: 5 }, reps, 'equal');
    // The odd dong of facebook goes to the first rep by id (ties are broken by id, so the split is stable).
    expect(perRep).toEqual({ a: 30_000_001, b: 30_000_000 + 20_000_000, c: 20_000_000 });
    expect(unallocated).toBe(5);
  });
  test("When the plan is snapshotted with today's reps and scored, then grades and ranks follow the weighted scores", () => {
    const plan = shipped();
    const targets = snapshotTargets(plan, reps);
    const rev = targets['sales-revenue']!;
    expect(Object.values(rev.reps!).reduce((a, b) => a + b, 0) + rev.unallocated!).toBe(rev.target);
    expect(metricScore('target', 100, 50, 120)).toBe(50);
    expect(metricScore('target', 100, 500, 120)).toBe(120);
    expect(metricScore('ceiling', 0.08, 0.1, 120)).toBe(80);
    expect(metricScore('ceiling', 0.08, 0.05, 120)).toBe(100);
    const actuals = {
      'sales-revenue': { value: 0, byStaff: { a: rev.reps!.a!, b: rev.reps!.b! / 2 } },
      'close-rate': { value: 0.3 },
    };
    const result = evaluate(plan, targets, actuals, reps);
    const by = Object.fromEntries(result.map((r) => [r.staffId, r]));
    // a: revenue 100 (w 3), close rate 100 (w 1) → 100 A; b: 50×3 + 100 → 62.5 D; c: 0×3 + 100 → 25 D.
    expect([by.a!.score, by.a!.grade, by.b!.score, by.b!.grade, by.c!.score]).toEqual([100, 'A', 62.5, 'D', 25]);
    expect([by.a!.rank.sales, by.b!.rank.sales, by.c!.rank.sales]).toEqual([1, 2, 3]);
  });
  test('When revenue is under 40% at half time, then the rule holds; before half time it does not', () => {
    const plan = shipped();
    const targets = snapshotTargets(plan, reps);
    const actuals = { 'sales-revenue': { value: 500_000_000 }, 'return-rate': { value: 0.05 } };
    expect(pacingBreaches(plan, targets, actuals, 0.49)).toEqual([]);
    expect(pacingBreaches(plan, targets, actuals, 0.5).map((b) => [b.rule, b.notify])).toEqual([
      ['revenue-behind', ['manager', 'sales-lead']],
    ]);
    expect(pacingBreaches(plan, targets, { ...actuals, 'return-rate': { value: 0.09 } }, 0.3).map((b) => b.rule)).toEqual([
      'returns-over-ceiling',
    ]);
  });
});
