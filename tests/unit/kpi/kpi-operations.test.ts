import fs from 'node:fs';
import path from 'node:path';
import { actualsFromRows, evaluate, snapshotTargets } from '../../../definitions/kpi/model';
import type { CompiledKpiPlan } from '../../../definitions/kpi/types';
import { returnedLinesOf, returnedValue } from '../../../definitions/kpi/returns';
import { loadDefinitionText } from '../../../definitions/loading/loader';
import { shippedShop } from '../definitions/helpers';

const KPI_FILE = path.join(__dirname, '../../../definitions/processes/kpi.yaml');
const load = (text: string) => loadDefinitionText(text, 'kpi.yaml', shippedShop());
const shipped = (): CompiledKpiPlan => {
  const r = load(fs.readFileSync(KPI_FILE, 'utf8'));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value as CompiledKpiPlan;
};

describe('the value of a partial return', () => {
  const items = [
    { sku: 'AO-01', name: 'Áo', qty: 2, price: 150_000 },
    { sku: 'QUAN-02', name: 'Quần', qty: 1, price: 200_000 },
  ];
  test('When one of two shirts comes back, then the return is worth one shirt at the closing price', () => {
    expect(returnedValue(items, [{ sku: 'AO-01', qty: 1 }])).toBe(150_000);
    expect(
      returnedValue(items, [
        { sku: 'AO-01', qty: 1 },
        { sku: 'QUAN-02', qty: 1 },
        { sku: 'AO-01', qty: 1 },
      ]),
    ).toBe(2 * 150_000 + 200_000);
  });
  test('When more comes back than was ordered, then each SKU is capped at the ordered quantity', () => {
    expect(returnedValue(items, [{ sku: 'AO-01', qty: 5 }])).toBe(300_000);
  });
  test('When nothing is entered or a SKU has no price on the order, then the value is unknown (the whole order counts)', () => {
    expect(returnedValue(items, [])).toBeUndefined();
    expect(returnedValue(items, [{ sku: 'AO-01', qty: 0 }])).toBeUndefined();
    expect(returnedValue(items, [{ sku: 'MU-09', qty: 1 }])).toBeUndefined();
    expect(returnedValue(undefined, [{ sku: 'AO-01', qty: 1 }])).toBeUndefined();
    expect(returnedValue([{ sku: 'AO-01', qty: 2 }], [{ sku: 'AO-01', qty: 1 }])).toBeUndefined();
  });
  test('When the warehouse enters returned items, then they count; otherwise the restocked items do', () => {
    expect(returnedLinesOf({ returnedItems: [{ sku: 'A', qty: 1 }], restockedItems: [] })).toEqual([{ sku: 'A', qty: 1 }]);
    expect(returnedLinesOf({ restockedItems: [{ sku: 'B', qty: 2 }] })).toEqual([{ sku: 'B', qty: 2 }]);
  });
});

describe("the shipped plan's operations and care metrics", () => {
  test('When kpi.yaml is compiled, then orders per packer, complaints and care coverage have their owners, targets and defaults', () => {
    const plan = shipped();
    expect(plan.continueAsNewAfter).toBe(200);
    expect(plan.metrics.find((m) => m.id === 'orders-per-packer')).toMatchObject({
      type: 'ordersPerPackerDay',
      owner: 'warehouse',
      goal: 'target',
      target: 40,
      taskRole: 'warehouse',
      stages: ['pack'],
    });
    expect(plan.metrics.find((m) => m.id === 'complaints-on-time')).toMatchObject({ type: 'complaintsOnTime', owner: 'cskh', target: 0.9 });
    expect(plan.metrics.find((m) => m.id === 'care-coverage')).toMatchObject({
      type: 'careCoverage',
      owner: 'cskh',
      target: 0.8,
      segments: ['vip', 'loyal'],
    });
  });
  test('When a plan names an unknown segment, segments on another type, or a zero continueAsNewAfter, then each is reported', () => {
    const text = fs
      .readFileSync(KPI_FILE, 'utf8')
      .replace('segments: [vip, loyal]', 'segments: [vip, loyl]')
      .replace('type: complaintsOnTime, owner: cskh,', 'type: complaintsOnTime, owner: cskh, segments: [vip],')
      .replace('continueAsNewAfter: 200', 'continueAsNewAfter: 0');
    const r = load(text);
    expect(r.ok).toBe(false);
    const messages = !r.ok ? r.errors.map((e) => `${e.line}: ${e.message}`) : [];
    expect(messages).toEqual([
      '16: must be at least 1, not 0',
      '55: segments apply to careCoverage metrics only',
      expect.stringMatching(/^58: unknown segment "loyl" \(did you mean "loyal"\?\)/),
    ]);
  });
  test('When rows come back from SQL, then per-packer, per-rep and complaint figures and personal scores follow', () => {
    const plan = shipped();
    const staff = [
      { id: 'a', name: 'An', roles: ['sales'], channels: ['facebook'] },
      { id: 'p', name: 'Phúc', roles: ['warehouse'], channels: [] },
      { id: 'k', name: 'Kim', roles: ['cskh'], channels: [] },
    ];
    const actuals = actualsFromRows(plan, {
      revenue: [],
      returns: [],
      tasks: {},
      leads: [
        { channel: 'facebook', campaign: null, rep: 'a', leads: 10, leadCost: 0, closed: 3, newCustomerGross: 0, newCustomerNet: 0 },
        { channel: 'zalo', campaign: 'x', rep: 'a', leads: 2, leadCost: 0, closed: 1, newCustomerGross: 0, newCustomerNet: 0 },
        { channel: 'zalo', campaign: null, rep: null, leads: 4, leadCost: 0, closed: 0, newCustomerGross: 0, newCustomerNet: 0 },
      ],
      packers: {
        'orders-per-packer': [
          { staffId: 'p', orders: 90, days: 3 },
          { staffId: 'q', orders: 30, days: 2 },
        ],
      },
      complaints: [
        { staffId: 'k', counted: 4, onTime: 3, open: 0 },
        { staffId: null, counted: 1, onTime: 0, open: 1 },
      ],
      care: {
        'care-coverage': [
          { segment: 'vip', customers: 4, contacted: 3 },
          { segment: 'loyal', customers: 6, contacted: 3 },
        ],
      },
    });
    // Rep a: 4 closed of 12 handled; everyone: 4 of 16.
    expect(actuals['close-rate']).toMatchObject({ value: 0.25, byStaff: { a: 4 / 12 }, staffDetail: { a: { leads: 12, closed: 4 } } });
    // 120 orders over 5 packer-days; p packs 30 a day, q 15.
    expect(actuals['orders-per-packer']).toMatchObject({
      value: 24,
      byStaff: { p: 30, q: 15 },
      detail: { orders: 120, packerDays: 5, packers: 2 },
    });
    expect(actuals['complaints-on-time']).toMatchObject({ value: 3 / 5, byStaff: { k: 0.75 } });
    expect(actuals['care-coverage']).toMatchObject({ value: 0.6, bySegment: { vip: { value: 0.75 }, loyal: { value: 0.5 } } });

    const result = evaluate(plan, snapshotTargets(plan, staff), actuals, staff);
    const metricOf = (id: string, metric: string) => result.find((r) => r.staffId === id)!.metrics.find((m) => m.metric === metric)!;
    expect(metricOf('p', 'orders-per-packer')).toMatchObject({ scope: 'personal', target: 40, actual: 30, score: 75 });
    expect(metricOf('a', 'close-rate')).toMatchObject({ scope: 'personal', target: 0.3 });
    expect(metricOf('a', 'close-rate').actual).toBeCloseTo(1 / 3, 10);
    expect(metricOf('k', 'complaints-on-time')).toMatchObject({ scope: 'personal', actual: 0.75 });
    expect(metricOf('k', 'care-coverage')).toMatchObject({ scope: 'role', target: 0.8, actual: 0.6, score: 75 });
  });
});
