/**
 * The simulator's pure pieces: one order's walk (skips, loops, the business clock, escalation
 * rungs and their follow-up tasks, a loop cut as stuck), the seeded generator, and the words
 * and numbers of the report.
 */
import { measureDistributions } from '../../../definitions/simulate/distributions';
import { localHour, MAX_VISITS, simulateOrder } from '../../../definitions/simulate/engine';
import { mulberry32, streamSeed } from '../../../definitions/simulate/prng';
import { hourRanges, percentile } from '../../../definitions/simulate/report';
import { canonical, conditionWords, describeChanges, durationWords, moneyWords } from '../../../definitions/simulate/summary';
import type { ArrivalRecord } from '../../../definitions/simulate/types';
import { compile, MONDAY, shop, simulateYaml, withConfirm } from './helpers';

const HOUR = 3_600_000;
const compiledShop = shop();
const base = compile(simulateYaml(), compiledShop);
const arrival = (over: Partial<ArrivalRecord> = {}): ArrivalRecord => ({
  orderId: 'o-1',
  arrivedAt: MONDAY + 9 * HOUR,
  channel: 'facebook',
  customer: {},
  figures: { codAmount: 4_000_000, shippingAddress: { street: '1', province: 'Đà Nẵng' } },
  outcomes: {},
  ...over,
});
const noHistory = measureDistributions({ tasks: [], transits: [] }, { ordersPerDay: 1, minutesPerTask: 30, transitHours: 10 });

describe('one simulated order', () => {
  test('When the confirm step’s condition holds or not, then it is entered or passed as skipped, and the courier rule picks by province', async () => {
    const process = compile(withConfirm(simulateYaml()), compiledShop);
    const walk = async (cod: number) =>
      simulateOrder({
        process,
        arrival: arrival({ figures: { codAmount: cod, shippingAddress: { street: '1', province: 'Hà Nội' } } }),
        distributions: noHistory,
        random: mulberry32(1),
        horizon: MONDAY + 7 * 24 * HOUR,
      });
    const large = await walk(3_000_000);
    expect(large.path.map((v) => [v.stage, v.outcome])).toEqual([
      ['close', 'closed'],
      ['confirm', 'confirmed'],
      ['ship', 'delivered'],
      ['done', undefined],
    ]);
    expect(large).toMatchObject({ courier: 'ghn', result: 'completed', codAmount: 3_000_000 });
    // 30 min close + 30 min confirm + 10 h in transit.
    expect(large.deliveredAt! - large.arrivedAt).toBe(11 * HOUR);
    const small = await walk(2_999_999);
    expect(small.path.map((v) => [v.stage, v.outcome])).toEqual([
      ['close', 'closed'],
      ['confirm', 'skipped'],
      ['ship', 'delivered'],
      ['done', undefined],
    ]);
    const elsewhere = await simulateOrder({
      process: base,
      arrival: arrival(),
      distributions: noHistory,
      random: mulberry32(1),
      horizon: Infinity,
    });
    expect(elsewhere.courier).toBe('ghtk');
  });

  test('When an order arrived closed (a web shop’s), then its start stage is decided without a task, as the workflow does, and its figures still steer the walk', async () => {
    const process = compile(withConfirm(simulateYaml()), compiledShop);
    const closed = await simulateOrder({
      process,
      arrival: arrival({ arrivedClosed: { outcome: 'closed', actor: 'shopify' } }),
      distributions: noHistory,
      random: mulberry32(4),
      horizon: Infinity,
    });
    expect(closed.path.map((v) => [v.stage, v.outcome])).toEqual([
      ['close', 'closed'],
      ['confirm', 'confirmed'],
      ['ship', 'delivered'],
      ['done', undefined],
    ]);
    expect(closed.tasks.map((t) => t.role)).toEqual(['cskh']);
  });

  test('When a task runs past its SLA on the business clock, then it breaches only by working time, and each rung it outlasts fires', async () => {
    const business = compile(
      simulateYaml()
        .replace('      sla: 2h\n', '      sla: 2h\n      clock: business\n')
        .replace(
          '- { after: 1h, notify: [manager] }',
          '- { after: 1h, notify: [manager] }\n        - { after: 3h, task: { role: cskh, title: "Gọi lại" } }',
        ),
      compiledShop,
    );
    // Opened Saturday 11:00 (the shop works 08:00–12:00 on Saturdays, not on Sundays): 2 working hours end Monday 09:00.
    const saturday = MONDAY + 5 * 24 * HOUR + 11 * HOUR;
    const took = (hours: number) =>
      measureDistributions({
        tasks: [{ role: 'sales', stage: 'close', hour: 11, durationMs: hours * HOUR, outcome: 'closed' }],
        transits: [],
      });
    const run = (hours: number) =>
      simulateOrder({
        process: business,
        arrival: arrival({ arrivedAt: saturday }),
        distributions: took(hours),
        random: mulberry32(2),
        horizon: Infinity,
      });
    const sundayNight = await run(36); // Sunday 23:00: one working hour so far
    expect(sundayNight.breaches).toEqual([]);
    expect(sundayNight.escalations).toEqual([{ stage: 'close', rung: 1 }]);
    const mondayNoon = await run(49); // Monday 12:00: four working hours
    expect(mondayNoon.breaches).toEqual([{ stage: 'close' }]);
    expect(mondayNoon.escalations).toEqual([
      { stage: 'close', rung: 1 },
      { stage: 'close', rung: 2 },
    ]);
    expect(mondayNoon.tasks.filter((t) => t.followUp)).toEqual([
      expect.objectContaining({ role: 'cskh', stage: 'close', openedAt: MONDAY + 7 * 24 * HOUR + 10 * HOUR }),
    ]);
  });

  test('When the drawn outcomes keep an order in a loop, then the walk is cut after the visit limit and counted as stuck', async () => {
    const loop = compile(
      simulateYaml().replace(
        'lost: { to: lost, title: "Không mua", form: { type: object } }',
        'lost: { to: lost, title: "Không mua", form: { type: object } }\n        again: { to: close, title: "Gọi lại sau" }',
      ),
      compiledShop,
    );
    const stuck = await simulateOrder({
      process: loop,
      arrival: arrival(),
      distributions: noHistory,
      random: mulberry32(3),
      horizon: Infinity,
      choose: () => 'again',
    });
    expect(stuck.stuck).toBe(true);
    expect(stuck.path).toHaveLength(MAX_VISITS);
    expect(stuck.result).toBeUndefined();
  });
});

describe('the seeded generator and the report’s words', () => {
  test('When two generators share a seed, then they draw the same numbers; streams differ by key', () => {
    const [a, b] = [mulberry32(9), mulberry32(9)];
    const draws = Array.from({ length: 5 }, () => [a(), b()]);
    for (const [x, y] of draws) expect(x).toBe(y);
    expect(draws.every(([x]) => x! >= 0 && x! < 1)).toBe(true);
    expect(streamSeed(1, 'o-1')).not.toBe(streamSeed(1, 'o-2'));
    expect(streamSeed(1, 'o-1')).toBe(streamSeed(1, 'o-1'));
  });

  test('When numbers and conditions are put in words, then they read as a shop owner says them', () => {
    expect(moneyWords(3_000_000)).toBe('3 triệu');
    expect(moneyWords(2_500_000)).toBe('2,5 triệu');
    expect(moneyWords(500_000)).toBe('500 nghìn');
    expect(durationWords(30 * 60_000)).toBe('30 phút');
    expect(durationWords(2 * HOUR)).toBe('2 giờ');
    expect(durationWords(3 * 24 * HOUR)).toBe('3 ngày');
    expect(conditionWords({ all: [{ field: 'order.codAmount', op: 'gte', value: 3_000_000 }], any: [] })).toBe('COD ≥ 3 triệu');
    // A stored version comes back from jsonb with its keys reordered: that is no change.
    expect(describeChanges(base, JSON.parse(canonical(base)) as typeof base)).toEqual([]);
    expect(hourRanges([10, 11, 14])).toEqual(['10:00–12:00', '14:00–15:00']);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([], 50)).toBeNull();
    expect(localHour(MONDAY + 9 * HOUR, base.workingHours)).toBe(9);
    expect(describeChanges(base, compile(withConfirm(simulateYaml()).replace('deliverySla: 2d', 'deliverySla: 1d'), compiledShop))).toEqual(
      ['thêm bước xác nhận đơn cho đơn COD ≥ 3 triệu', 'SLA giao hàng: 2 ngày → 1 ngày'],
    );
  });
});
