/**
 * The staffing report (số người cần theo ca): from the tasks finished in the last weeks (the
 * what-if simulator's history, db/simulate/history.ts) and the hour orders arrived, how many people
 * each role needs per shift for a forecast volume. Per role and stage it measures tasks per
 * order and the median minutes a task took (opened → done); a shift's workload is its share of
 * the day's orders × the role's minutes per order; the headcount is
 * ceil(workload hours ÷ (shift hours × utilisation)). The shifts are the shop's working hours:
 * each working interval of a weekday is one shift, weekdays with the same intervals together.
 */
import type { SimulationHistory } from '../../definitions/simulate/types';
import { WEEKDAYS, type CompiledWorkingHours, type Weekday } from '../../definitions/rules/business-time';
import { localHour } from '../../definitions/simulate/engine';
import { ownEntry } from '../../definitions/rules/own';
import type { CompiledShop } from '../../definitions/types';

const DAY = 86_400_000;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
/** ceil that does not turn 3.0000000000000004 into 4. */
const ceilPeople = (n: number) => (n <= 1e-9 ? 0 : Math.ceil(n - 1e-9));

/** The forecast: a multiple of the measured orders per working day (`3x`), or orders per day (`450`). */
export type Volume = { kind: 'multiplier'; multiplier: number } | { kind: 'orders'; ordersPerDay: number };

/** `3x`, `1.5x` (also `1,5x`) or a whole number of orders per day; undefined for anything else. */
export function parseVolume(text: string): Volume | undefined {
  const t = text.trim().toLowerCase();
  const multiple = /^(\d{1,4}(?:[.,]\d{1,2})?)\s*[x×]$/.exec(t);
  if (multiple) {
    const multiplier = Number(multiple[1]!.replace(',', '.'));
    return multiplier > 0 && multiplier <= 1000 ? { kind: 'multiplier', multiplier } : undefined;
  }
  if (/^\d{1,7}$/.test(t)) {
    const ordersPerDay = Number(t);
    return ordersPerDay >= 1 && ordersPerDay <= 1_000_000 ? { kind: 'orders', ordersPerDay } : undefined;
  }
  return undefined;
}

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** Local working days in [from, to) (epoch ms at local midnights): weekdays with hours, less the days off. */
export function workingDaysIn(from: number, to: number, hours: CompiledWorkingHours): number {
  const offset = hours.utcOffsetMinutes * 60_000;
  const off = new Set(hours.daysOff);
  let n = 0;
  for (let day = from; day < to; day += DAY) {
    const local = new Date(day + offset);
    if (hours.weekly[WEEKDAYS[local.getUTCDay()]!].length && !off.has(local.toISOString().slice(0, 10))) n += 1;
  }
  return n;
}

export interface StageBasis {
  stage: string;
  title: string;
  tasks: number;
  tasksPerOrder: number;
  medianMinutes: number;
  minutesPerOrder: number;
}
export interface RoleBasis {
  role: string;
  title: string;
  tasks: number;
  minutesPerOrder: number;
  /** 60 ÷ minutesPerOrder: the orders one person of this role handles in an hour. */
  ordersPerPersonHour: number | null;
  /** The most people of this role who finished tasks in one clock hour of the window (the staffing as it was). */
  peakStaffMeasured: number;
  stages: StageBasis[];
}
export interface ShiftPlan {
  days: Weekday[];
  from: string;
  to: string;
  hours: number;
  /** Of a day's orders, the part this shift handles (those arriving in it, or before it opens). */
  orderShare: number;
  orders: number;
  roles: Array<{ role: string; title: string; workloadHours: number; headcount: number }>;
}
export interface StaffingReport {
  window: { from: string; to: string; weeks: number; workingDays: number };
  volume: { asked: string; ordersPerDay: number; multiplier: number | null };
  utilisation: number;
  measured: { orders: number; ordersPerWorkingDay: number; tasks: number; ordersByHour: number[] };
  /** Why there is nothing to recommend (no orders or no finished tasks in the window); absent otherwise. */
  message?: string;
  roles: RoleBasis[];
  shifts: ShiftPlan[];
  formula: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The shifts of the working week: weekdays with the same intervals form one group, each
 * interval a shift. A shift's share of the day's orders: those arriving from the end of the
 * previous interval (or, for the first, the end of the day's last one, overnight) to its own end.
 */
function shiftsOf(hours: CompiledWorkingHours, ordersByHour: number[]): Array<Omit<ShiftPlan, 'orders' | 'roles'>> {
  const groups = new Map<string, Weekday[]>();
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as Weekday[]) {
    const intervals = hours.weekly[day];
    if (!intervals.length) continue;
    const key = intervals.map((i) => `${i.fromMinute}-${i.toMinute}`).join(',');
    groups.set(key, [...(groups.get(key) ?? []), day]);
  }
  const total = ordersByHour.reduce((a, b) => a + b, 0);
  const shifts: Array<Omit<ShiftPlan, 'orders' | 'roles'>> = [];
  for (const days of groups.values()) {
    const intervals = hours.weekly[days[0]!];
    // An order arriving in hour h waits for the first interval still open at h:00; after the last, the next day's first.
    const counts = intervals.map(() => 0);
    ordersByHour.forEach((n, h) => {
      const i = intervals.findIndex((iv) => iv.toMinute > h * 60);
      counts[i === -1 ? 0 : i]! += n;
    });
    intervals.forEach((iv, i) =>
      shifts.push({
        days,
        from: hhmm(iv.fromMinute),
        to: hhmm(iv.toMinute),
        hours: (iv.toMinute - iv.fromMinute) / 60,
        // Without arrivals to go by, a day's orders spread over its shifts by their length.
        orderShare: total
          ? counts[i]! / total
          : (iv.toMinute - iv.fromMinute) / intervals.reduce((sum, x) => sum + x.toMinute - x.fromMinute, 0),
      }),
    );
  }
  return shifts;
}

/** The report from a window's history; `window.from`/`to` are local midnights. */
export function staffingReport(opts: {
  history: SimulationHistory;
  shop: CompiledShop;
  weeks: number;
  volumeText: string;
  volume: Volume;
  utilisation: number;
  stageTitles: Map<string, string>;
}): StaffingReport {
  const { history, shop, volume, utilisation } = opts;
  const hours = shop.workingHours;
  const workingDays = workingDaysIn(history.window.from, history.window.to, hours);
  const orders = history.arrivals.length;
  const ordersByHour = Array.from({ length: 24 }, () => 0);
  for (const a of history.arrivals) ordersByHour[localHour(a.arrivedAt, hours)]! += 1;
  const perWorkingDay = workingDays ? orders / workingDays : 0;
  const ordersPerDay = volume.kind === 'orders' ? volume.ordersPerDay : volume.multiplier * perWorkingDay;

  const samples = new Map<string, Map<string, number[]>>();
  for (const t of history.tasks) {
    const byStage = samples.get(t.role) ?? new Map<string, number[]>();
    samples.set(t.role, byStage);
    byStage.set(t.stage, [...(byStage.get(t.stage) ?? []), t.durationMs]);
  }
  const peak = new Map<string, number>();
  for (const s of history.staffing) peak.set(s.role, Math.max(peak.get(s.role) ?? 0, s.staff));

  const roles: RoleBasis[] = orders
    ? [...samples.entries()]
        .map(([role, byStage]) => {
          const stages = [...byStage.entries()]
            .map(([stage, durations]) => {
              const tasksPerOrder = durations.length / orders;
              const medianMinutes = median(durations) / 60_000;
              return {
                stage,
                title: opts.stageTitles.get(`${role}\u0000${stage.replace(/:follow-up$/, '')}`) ?? stage,
                tasks: durations.length,
                tasksPerOrder,
                medianMinutes,
                minutesPerOrder: tasksPerOrder * medianMinutes,
              };
            })
            .sort((a, b) => b.minutesPerOrder - a.minutesPerOrder || a.stage.localeCompare(b.stage));
          const minutesPerOrder = stages.reduce((sum, s) => sum + s.minutesPerOrder, 0);
          return {
            role,
            title: ownEntry(shop.roles, role)?.title ?? role,
            tasks: stages.reduce((sum, s) => sum + s.tasks, 0),
            minutesPerOrder,
            ordersPerPersonHour: minutesPerOrder > 0 ? 60 / minutesPerOrder : null,
            peakStaffMeasured: peak.get(role) ?? 0,
            stages,
          };
        })
        .sort((a, b) => b.minutesPerOrder - a.minutesPerOrder || a.role.localeCompare(b.role))
    : [];

  const shifts: ShiftPlan[] = roles.length
    ? shiftsOf(hours, ordersByHour).map((shift) => {
        const shiftOrders = ordersPerDay * shift.orderShare;
        return {
          ...shift,
          orderShare: round(shift.orderShare, 4),
          orders: round(shiftOrders),
          roles: roles.map((r) => {
            const workloadHours = (shiftOrders * r.minutesPerOrder) / 60;
            return {
              role: r.role,
              title: r.title,
              workloadHours: round(workloadHours),
              headcount: ceilPeople(workloadHours / (shift.hours * utilisation)),
            };
          }),
        };
      })
    : [];

  const windowDays = `${new Date(history.window.from + hours.utcOffsetMinutes * 60_000).toISOString().slice(0, 10)} – ${new Date(history.window.to - DAY + hours.utcOffsetMinutes * 60_000).toISOString().slice(0, 10)}`;
  const message = !orders
    ? `Chưa có đơn hàng nào trong ${opts.weeks} tuần (${windowDays}): chưa có lịch sử để đề xuất số người. Chọn khoảng thời gian khác, hoặc dùng mô phỏng với giả định.`
    : !roles.length
      ? `Có ${orders} đơn trong ${opts.weeks} tuần (${windowDays}) nhưng chưa có việc nào được hoàn thành: chưa đo được thời gian làm việc.`
      : undefined;

  return {
    window: {
      from: new Date(history.window.from).toISOString(),
      to: new Date(history.window.to).toISOString(),
      weeks: opts.weeks,
      workingDays,
    },
    volume: {
      asked: opts.volumeText,
      ordersPerDay: round(ordersPerDay),
      multiplier: volume.kind === 'multiplier' ? volume.multiplier : null,
    },
    utilisation,
    measured: { orders, ordersPerWorkingDay: round(perWorkingDay), tasks: history.tasks.length, ordersByHour },
    ...(message ? { message } : {}),
    roles: roles.map((r) => ({
      ...r,
      minutesPerOrder: round(r.minutesPerOrder),
      ordersPerPersonHour: r.ordersPerPersonHour === null ? null : round(r.ordersPerPersonHour),
      stages: r.stages.map((s) => ({
        ...s,
        tasksPerOrder: round(s.tasksPerOrder, 4),
        medianMinutes: round(s.medianMinutes),
        minutesPerOrder: round(s.minutesPerOrder),
      })),
    })),
    shifts,
    formula:
      'headcount = ceil(orders × orderShare × minutesPerOrder ÷ 60 ÷ (shift hours × utilisation)); minutesPerOrder = Σ stages tasksPerOrder × medianMinutes',
  };
}
