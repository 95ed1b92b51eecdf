/**
 * The staffing report's arithmetic without a database: the volume it understands, and a day of
 * two shifts (08:00–12:00 and 13:00–17:00) splitting the day's orders by when they arrive.
 */
import type { CompiledShop } from '../../definitions/types';
import type { SimulationHistory } from '../../definitions/simulate/types';
import { parseVolume, staffingReport, workingDaysIn } from '../../server/reports/staffing';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 2026-03-02 00:00 in Hà Nội (UTC+7). */
const MONDAY = Date.UTC(2026, 2, 1, 17);
const split = [
  { fromMinute: 8 * 60, toMinute: 12 * 60 },
  { fromMinute: 13 * 60, toMinute: 17 * 60 },
];
const workingHours = {
  timezone: 'Asia/Ho_Chi_Minh',
  utcOffsetMinutes: 420,
  weekly: { mon: split, tue: split, wed: split, thu: split, fri: split, sat: [], sun: [] },
  daysOff: ['2026-03-06'],
};
const shop = { workingHours, roles: { warehouse: { title: 'Kho' } } } as unknown as CompiledShop;

describe('volume', () => {
  test('When the volume is a multiple or a count of orders, then it is understood; anything else is not', () => {
    expect(parseVolume('3x')).toEqual({ kind: 'multiplier', multiplier: 3 });
    expect(parseVolume('1,5x')).toEqual({ kind: 'multiplier', multiplier: 1.5 });
    expect(parseVolume(' 2.5X ')).toEqual({ kind: 'multiplier', multiplier: 2.5 });
    expect(parseVolume('450')).toEqual({ kind: 'orders', ordersPerDay: 450 });
    for (const bad of ['', 'x', '0x', '0', '-3x', '3y', '1e3', '3 x 2', '2000x', 'ba lần']) expect(parseVolume(bad)).toBeUndefined();
  });
});

describe('shifts of a split day', () => {
  test('When orders arrive in the morning, at lunch and in the evening, then each shift takes those before its end and the headcount follows', () => {
    // Mon–Thu work (Friday is a day off): 4 working days in the week.
    expect(workingDaysIn(MONDAY, MONDAY + 7 * DAY, workingHours)).toBe(4);
    // Per working day: 1 order at 09:00 (morning shift), 1 at 12:00 and 1 at 15:00 (afternoon), 1 at 20:00 (next morning).
    const arrivals = [0, 1, 2, 3].flatMap((day) =>
      [9, 12, 15, 20].map((hour) => ({
        orderId: `${day}-${hour}`,
        arrivedAt: MONDAY + day * DAY + hour * HOUR,
        channel: null,
        customer: {},
        figures: {},
        outcomes: {},
      })),
    );
    // One packing task per order, 6 minutes each.
    const history: SimulationHistory = {
      window: { from: MONDAY, to: MONDAY + 7 * DAY },
      arrivals,
      tasks: arrivals.map(() => ({ role: 'warehouse', stage: 'pack', hour: 10, durationMs: 6 * 60_000, outcome: 'packed' })),
      transits: [],
      staffing: [],
      throughputPerHour: {},
    };
    const report = staffingReport({
      history,
      shop,
      weeks: 1,
      volumeText: '100x',
      volume: { kind: 'multiplier', multiplier: 100 },
      utilisation: 0.5,
      stageTitles: new Map([['warehouse\u0000pack', 'Đóng gói']]),
    });
    // 16 orders ÷ 4 working days = 4 a day; 100x = 400 a day; 6 min per order.
    expect(report.volume.ordersPerDay).toBe(400);
    expect(report.roles[0]).toMatchObject({ role: 'warehouse', title: 'Kho', minutesPerOrder: 6, ordersPerPersonHour: 10 });
    // Morning: the 09:00 and 20:00 orders = 1/2 → 200 orders × 6 / 60 = 20 h ÷ (4 h × 0.5) = 10 people.
    // Afternoon: 12:00 and 15:00 = 1/2 → the same 10.
    expect(
      report.shifts.map((s) => ({ shift: `${s.from}-${s.to}`, share: s.orderShare, orders: s.orders, people: s.roles[0]!.headcount })),
    ).toEqual([
      { shift: '08:00-12:00', share: 0.5, orders: 200, people: 10 },
      { shift: '13:00-17:00', share: 0.5, orders: 200, people: 10 },
    ]);
    expect(report.shifts[0]!.days).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
  });
});
