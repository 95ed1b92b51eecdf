import { loadShopText } from '../../../definitions/loading/loader';
import { errorAt, errorsOf, positionOf, shopText } from './helpers';

const FILE = 'shop.yaml';

function shopYaml(overrides: { profile?: string; roles?: string; couriers?: string; segments?: string } = {}): string {
  return `apiVersion: shopflow/v1
kind: Shop
metadata: { name: test-shop, title: "Shop thử" }
spec:
  profile:
${
  overrides.profile ??
  `    name: "Shop thử"
    currency: VND
    timezone: Asia/Ho_Chi_Minh
    workingHours: { mon: "08:00-17:30", tue: "08:00-17:30" }`
}
  roles:
${overrides.roles ?? '    admin: { title: "Quản trị", permissions: ["*"], scope: all }'}
  channels:
    website: { title: "Website" }
  couriers:
${overrides.couriers ?? '    simulator: { title: "Giả lập", api: simulator, enabled: true, baseUrl: "http://127.0.0.1:4010" }'}
  segments:
${overrides.segments ?? '    new: { title: "Mới", rule: otherwise }'}
`;
}

describe('loading shop.yaml with mistakes', () => {
  it('When the minimal shop is valid, then it loads with its defaults filled in', () => {
    const result = loadShopText(shopYaml(), FILE);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.value.profile.locale).toBe('vi-VN');
    expect(result.value.workingHours.weekly.wed).toEqual([]);
    expect(result.value.couriers.simulator.service).toEqual({});
  });

  it('When a permission is misspelt, then the allowed permissions are listed with a suggestion', () => {
    const text = shopYaml({ roles: '    sales: { title: "KD", permissions: [tasks.reed], scope: own }' });
    const error = errorAt(errorsOf(loadShopText(text, FILE)), 'spec.roles.sales.permissions[0]');
    expect(error).toMatchObject(positionOf(text, 'tasks.reed'));
    expect(error.message).toMatch(/^"tasks.reed" is not allowed here \(did you mean "tasks.read"\?\) — allowed: \*, tasks.read/);
  });

  it('When a role id has the wrong form, then the key is reported', () => {
    const text = shopYaml({ roles: '    Sales Lead: { title: "TN", permissions: [], scope: all }' });
    const error = errorAt(errorsOf(loadShopText(text, FILE)), 'spec.roles["Sales Lead"]');
    expect(error).toMatchObject(positionOf(text, 'Sales Lead'));
    expect(error.message).toMatch(/is not a valid id — use lowercase letters/);
  });

  it('When the timezone is unknown or has daylight saving time, then it is refused', () => {
    const profile = (tz: string) => `    name: "S"\n    currency: VND\n    timezone: ${tz}\n    workingHours: { mon: "08:00-17:00" }`;
    const unknown = errorsOf(loadShopText(shopYaml({ profile: profile('Asia/HoChiMinh') }), FILE));
    expect(errorAt(unknown, 'spec.profile.timezone').message).toMatch(/^unknown timezone "Asia\/HoChiMinh"/);
    const dst = errorsOf(loadShopText(shopYaml({ profile: profile('Europe/Berlin') }), FILE));
    expect(errorAt(dst, 'spec.profile.timezone').message).toMatch(/daylight saving time/);
  });

  it('When working hours are reversed, overlapping or malformed, then each is reported', () => {
    const text = shopYaml({
      profile: `    name: "S"
    currency: VND
    timezone: Asia/Ho_Chi_Minh
    workingHours:
      mon: "17:30-08:00"
      tue: ["08:00-12:00", "11:00-17:00"]
      wed: "8h-17h"`,
    });
    const errors = errorsOf(loadShopText(text, FILE));
    expect(errorAt(errors, 'spec.profile.workingHours.mon').message).toMatch(/ends before it starts/);
    expect(errorAt(errors, 'spec.profile.workingHours.tue[1]')).toMatchObject({
      ...positionOf(text, '"11:00-17:00"'),
      message: '"11:00-17:00" overlaps "08:00-12:00" on tue',
    });
    expect(errorAt(errors, 'spec.profile.workingHours.wed').message).toMatch(/write hours as HH:MM-HH:MM/);
  });

  it('When a day-off range or date is wrong, then it is reported', () => {
    const text = shopYaml({
      profile: `    name: "S"
    currency: VND
    timezone: Asia/Ho_Chi_Minh
    workingHours: { mon: "08:00-17:00" }
    daysOff: ["2026-02-30", { from: "2026-03-05", to: "2026-03-01" }]`,
    });
    const errors = errorsOf(loadShopText(text, FILE));
    expect(errorAt(errors, 'spec.profile.daysOff[0]').message).toBe('"2026-02-30" is not a valid date (YYYY-MM-DD)');
    expect(errorAt(errors, 'spec.profile.daysOff[1].to').message).toMatch(/ends \(2026-03-01\) before it starts/);
  });

  it('When a real courier lacks its credential env var names, then they are asked for', () => {
    const text = shopYaml({
      couriers: '    ghn: { title: "GHN", api: ghn, enabled: true, baseUrl: "https://online-gateway.ghn.vn/shiip/public-api" }',
    });
    const messages = errorsOf(loadShopText(text, FILE)).map((e) => `${e.path}: ${e.message}`);
    expect(messages).toEqual([
      'spec.couriers.ghn: a GHN courier needs tokenEnv (the name of the environment variable holding it)',
      'spec.couriers.ghn: a GHN courier needs shopIdEnv (the name of the environment variable holding it)',
    ]);
  });

  it('When segments have no fallback, or it is not last, then it is reported', () => {
    const none = errorsOf(loadShopText(shopYaml({ segments: '    vip: { title: "VIP", rule: { deliveredOrders: { gte: 3 } } }' }), FILE));
    expect(errorAt(none, 'spec.segments').message).toMatch(/one segment must be the fallback/);
    const early = errorsOf(
      loadShopText(
        shopYaml({
          segments: '    new: { title: "Mới", rule: otherwise }\n    vip: { title: "VIP", rule: { deliveredOrders: { gte: 3 } } }',
        }),
        FILE,
      ),
    );
    expect(errorAt(early, 'spec.segments.new.rule').message).toMatch(/must come last/);
  });

  it('When a segment rule uses an unknown metric or a wrong value, then it is reported', () => {
    const text = shopYaml({
      segments:
        '    vip: { title: "VIP", rule: { deliveredValue: { gte: 1 }, returnRate: { lt: "low" } } }\n    new: { title: "Mới", rule: otherwise }',
    });
    const errors = errorsOf(loadShopText(text, FILE));
    expect(errorAt(errors, 'spec.segments.vip.rule.deliveredValue').message).toMatch(/\(did you mean "deliveredValue12m"\?\)/);
    expect(errorAt(errors, 'spec.segments.vip.rule.returnRate.lt').message).toBe('must be a number, not text "low"');
  });

  it('When the shipped shop gets an unknown key, then it no longer loads and the key is pointed at', () => {
    const text = shopText().replace('    currency: VND', '    currency: VND\n    vat: 10');
    const error = errorAt(errorsOf(loadShopText(text, FILE)), 'spec.profile.vat');
    expect(error).toMatchObject(positionOf(text, 'vat: 10'));
  });

  it('When a process file is given as the shop, then it is refused', () => {
    const error = errorAt(errorsOf(loadShopText('apiVersion: shopflow/v1\nkind: OrderProcess\n', FILE)), 'kind');
    expect(error.message).toBe('"OrderProcess" is not a kind this file can have — use: Shop');
  });
});
