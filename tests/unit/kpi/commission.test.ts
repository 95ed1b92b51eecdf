/**
 * Commission arithmetic (definitions/kpi/payout.ts) against figures worked out by hand, and the
 * KpiPlan's commission rules checked at the field they are about.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bonusTargetOf, commissionOf, ruleFor } from '../../../definitions/kpi/payout';
import type { CompiledCommissionRule, CompiledKpiPlan } from '../../../definitions/kpi/types';
import { loadDefinitionText } from '../../../definitions/loading/loader';
import { shippedShop } from '../definitions/helpers';

const KPI_FILE = path.join(__dirname, '../../../definitions/processes/kpi.yaml');
const load = (text: string) => loadDefinitionText(text, 'kpi.yaml', shippedShop());
const shippedText = () => fs.readFileSync(KPI_FILE, 'utf8');

/** 0–10tr at 2%, 10tr–30tr at 3%, from 30tr at 5%; 1tr bonus at a 20tr target. */
const rule = (tiering: 'marginal' | 'whole' = 'marginal'): CompiledCommissionRule => ({
  role: 'sales',
  title: 'Hoa hồng',
  tiers: [
    { from: 0, rate: 0.02 },
    { from: 10_000_000, rate: 0.03 },
    { from: 30_000_000, rate: 0.05 },
  ],
  tiering,
  bonus: { amount: 1_000_000, target: { amount: 20_000_000 } },
});
const revenue = (deliveredValue: number, returnedValue = 0) => ({
  delivered: 1,
  deliveredValue,
  returned: returnedValue ? 1 : 0,
  returnedValue,
});

describe('commission arithmetic', () => {
  test('When 35tr is delivered under marginal tiers, then each bracket pays its slice: 200k + 600k + 250k, and the bonus is paid', () => {
    // 10tr × 2% = 200.000; (30tr − 10tr) × 3% = 600.000; (35tr − 30tr) × 5% = 250.000 → 1.050.000.
    // 35tr ≥ 20tr target → bonus 1.000.000; total 2.050.000.
    const r = commissionOf(rule(), revenue(35_000_000), 20_000_000);
    expect(r.lines.map((l) => [l.from, l.to, l.revenue, l.commission])).toEqual([
      [0, 10_000_000, 10_000_000, 200_000],
      [10_000_000, 30_000_000, 20_000_000, 600_000],
      [30_000_000, null, 5_000_000, 250_000],
    ]);
    expect(r).toMatchObject({ net: 35_000_000, commission: 1_050_000, targetReached: true, bonus: 1_000_000, total: 2_050_000 });
  });

  test('When the same 35tr is paid with whole-amount tiers, then the highest bracket reached (5%) applies to all of it', () => {
    // 35tr × 5% = 1.750.000, + bonus 1.000.000 = 2.750.000.
    const r = commissionOf(rule('whole'), revenue(35_000_000), 20_000_000);
    expect(r.lines.map((l) => l.commission)).toEqual([0, 0, 1_750_000]);
    expect(r).toMatchObject({ commission: 1_750_000, total: 2_750_000 });
  });

  test('When a return takes 12tr back from 25tr delivered, then commission is on the 13tr net and the 20tr target is missed', () => {
    // Net 25tr − 12tr = 13tr: 10tr × 2% = 200.000 + 3tr × 3% = 90.000 → 290.000. 13tr < 20tr: no bonus.
    // Without the return: 200.000 + 15tr × 3% = 650.000 and the bonus — the return costs 1.360.000.
    const r = commissionOf(rule(), revenue(25_000_000, 12_000_000), 20_000_000);
    expect(r).toMatchObject({ net: 13_000_000, base: 13_000_000, commission: 290_000, targetReached: false, bonus: 0, total: 290_000 });
    expect(commissionOf(rule(), revenue(25_000_000), 20_000_000).total).toBe(1_650_000);
  });

  test('When returns exceed deliveries in a month, then the net is negative, nothing is paid, and no debt is carried', () => {
    const r = commissionOf(rule(), revenue(2_000_000, 5_000_000), 20_000_000);
    expect(r).toMatchObject({ net: -3_000_000, base: 0, commission: 0, bonus: 0, total: 0 });
  });

  test('When revenue sits exactly on a bracket edge or the target, then the edge belongs to the upper bracket and the target counts as reached', () => {
    expect(commissionOf(rule(), revenue(10_000_000), 10_000_000)).toMatchObject({
      commission: 200_000,
      targetReached: true,
      total: 1_200_000,
    });
    expect(commissionOf(rule('whole'), revenue(10_000_000), null)).toMatchObject({ commission: 300_000, target: null, bonus: 0 });
  });

  test('When a bracket starts above 0 or a rate gives a fraction of a đồng, then nothing is paid below it and each bracket is rounded to whole đồng', () => {
    const threshold: CompiledCommissionRule = { role: 'sales', title: 'x', tiers: [{ from: 5_000_000, rate: 0.015 }], tiering: 'marginal' };
    // (5.000.033 − 5.000.000) × 1,5% = 0,495 → 0; (7.333.333 − 5.000.000) × 1,5% = 34.999,995 → 35.000.
    expect(commissionOf(threshold, revenue(5_000_033), null).commission).toBe(0);
    expect(commissionOf(threshold, revenue(7_333_333), null).commission).toBe(35_000);
    expect(commissionOf(threshold, revenue(4_000_000), null).commission).toBe(0);
  });

  test("When a rule's bonus names a revenue metric, then the person's own rep target in it is the target; the first rule whose role they hold pays them", () => {
    const byMetric: CompiledCommissionRule = { ...rule(), bonus: { amount: 500_000, target: { metric: 'sales-revenue' } } };
    expect(bonusTargetOf(byMetric, (m) => (m === 'sales-revenue' ? 40_000_000 : undefined))).toBe(40_000_000);
    expect(bonusTargetOf(byMetric, () => undefined)).toBeNull();
    const lead: CompiledCommissionRule = { ...rule(), role: 'sales-lead' };
    expect(ruleFor([lead, rule()], ['sales', 'sales-lead'])?.role).toBe('sales-lead');
    expect(ruleFor([lead, rule()], ['cskh'])).toBeNull();
  });
});

describe('commission rules in the KpiPlan', () => {
  test('When the shipped kpi.yaml is compiled, then sales are paid marginal tiers with a bonus on their sales-revenue target', () => {
    const r = load(shippedText());
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const plan = r.value as CompiledKpiPlan;
    expect(plan.commission).toEqual([
      {
        role: 'sales',
        title: 'Hoa hồng nhân viên kinh doanh',
        tiers: [
          { from: 0, rate: 0.02 },
          { from: 100_000_000, rate: 0.03 },
          { from: 300_000_000, rate: 0.04 },
        ],
        tiering: 'marginal',
        bonus: { amount: 3_000_000, target: { metric: 'sales-revenue' } },
      },
    ]);
  });

  const withCommission = (yaml: string) =>
    shippedText().replace(/ {2}commission:\n(?: {4}.*\n)+/, `  commission:\n${yaml.replace(/^/gm, '    ')}\n`);
  const errorsOf = (yaml: string) => {
    const r = load(withCommission(yaml));
    if (r.ok) throw new Error('expected the plan to be refused');
    return r.errors.map((e) => `${e.path} ${e.message}`);
  };

  test('When tiers go down, a rate is over 100%, a role is unknown or repeated, and a bonus names a non-revenue metric, then each error names its field', () => {
    const errors = errorsOf(`- role: sales
  tiers: [{ from: 0, rate: 2% }, { from: 5000000, rate: 150% }, { from: 1000000, rate: 3% }]
  bonus: { amount: 100000, target: close-rate }
- role: saless
  rate: 1%
- role: sales
  rate: 2%
  tiers: [{ from: 0, rate: 1% }]
- role: cskh`);
    const text = errors.join('\n');
    expect(text).toMatch(/spec\.commission\[0\]\.tiers\[1\]\.rate a commission rate is at most 100%/);
    expect(text).toMatch(/spec\.commission\[0\]\.tiers\[2\]\.from tiers go up/);
    expect(text).toMatch(/spec\.commission\[0\]\.bonus\.target metric "close-rate" is not a revenue metric/);
    expect(text).toMatch(/spec\.commission\[1\]\.role unknown role "saless" \(did you mean "sales"\?\)/);
    expect(text).toMatch(/spec\.commission\[2\]\.role role "sales" already has a commission rule/);
    expect(text).toMatch(/spec\.commission\[2\]\.tiers give a flat rate or tiers, not both/);
    expect(text).toMatch(/spec\.commission\[3\] a commission rule needs a rate/);
  });

  test('When a field has the wrong shape (a negative bonus, a rate that is no share, an unknown key), then the schema refuses it at its path', () => {
    const text = errorsOf(`- role: sales
  rate: "two percent"
  bonus: { amount: -5, target: 1000 }
  tiering: progressive`).join('\n');
    expect(text).toMatch(/spec\.commission\[0\]\.rate/);
    expect(text).toMatch(/spec\.commission\[0\]\.bonus\.amount/);
    expect(text).toMatch(/spec\.commission\[0\]\.tiering/);
  });
});
