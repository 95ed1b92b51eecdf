/**
 * Aggregates simulated orders into one version's report: orders finished, time to delivery,
 * SLA breaches and escalation rungs per stage, workload per role per hour with the queue the
 * staffing as it was would let build, courier mix, COD at risk.
 */
import type { CompiledWorkingHours } from '../rules/business-time';
import { WEEKDAYS } from '../rules/business-time';
import { ownEntry } from '../rules/own';
import type { CompiledOrderProcess, OrderResult } from '../types';
import { localHour } from './engine';
import type { Assumptions, RoleWorkload, SimulatedOrder, SimulationHistory, VersionReport } from './types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A role counts as overloaded in an hour where, on average, at least this many tasks wait. */
export const OVERLOAD_QUEUE = 1;

export interface ReportContext {
  window: { from: number; to: number };
  days: number;
  history: Pick<SimulationHistory, 'staffing' | 'throughputPerHour'>;
  assumptions?: Assumptions;
  roleTitles: Record<string, string>;
  hours: CompiledWorkingHours;
  /** Where the report had to assume (Vietnamese), collected for the whole answer. */
  notes?: Set<string>;
}

/** Nearest-rank percentile of sorted numbers (null when empty). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** `[10, 11]` → `10:00–12:00`: consecutive hours as ranges people read. */
export function hourRanges(hours: readonly number[]): string[] {
  const ranges: string[] = [];
  const pad = (h: number) => `${String(h).padStart(2, '0')}:00`;
  for (let i = 0; i < hours.length;) {
    let j = i;
    while (j + 1 < hours.length && hours[j + 1] === hours[j]! + 1) j++;
    ranges.push(`${pad(hours[i]!)}–${pad(hours[j]! + 1)}`);
    i = j + 1;
  }
  return ranges;
}

/** Whether an instant falls in the shop's working time (for staff assumed to work its hours). */
function isWorkingTime(ms: number, hours: CompiledWorkingHours): boolean {
  const local = ms + hours.utcOffsetMinutes * 60_000;
  const dayNumber = Math.floor(local / DAY);
  if (hours.daysOff.includes(new Date(dayNumber * DAY).toISOString().slice(0, 10))) return false;
  const minute = Math.floor((local - dayNumber * DAY) / 60_000);
  const weekday = WEEKDAYS[(((dayNumber + 4) % 7) + 7) % 7]!;
  return hours.weekly[weekday].some((i) => minute >= i.fromMinute && minute < i.toMinute);
}

function workloadOf(orders: readonly SimulatedOrder[], ctx: ReportContext): RoleWorkload[] {
  const { from, to } = ctx.window;
  const firstBucket = Math.floor(from / HOUR);
  const buckets = Math.max(1, Math.ceil(to / HOUR) - firstBucket);
  const opened = new Map<string, Float64Array>();
  const byHour = new Map<string, number[]>();
  for (const order of orders) {
    for (const task of order.tasks) {
      if (task.openedAt < from || task.openedAt >= to) continue;
      let line = opened.get(task.role);
      if (!line) {
        line = new Float64Array(buckets);
        opened.set(task.role, line);
        byHour.set(task.role, Array<number>(24).fill(0));
      }
      line[Math.floor(task.openedAt / HOUR) - firstBucket]! += 1;
      byHour.get(task.role)![localHour(task.openedAt, ctx.hours)]! += 1;
    }
  }
  const staffing = new Map<string, number>();
  const staffedRoles = new Set<string>();
  for (const s of ctx.history.staffing) {
    staffing.set(`${s.role}\u0000${Math.floor(s.hourStart / HOUR)}`, s.staff);
    if (s.staff > 0) staffedRoles.add(s.role);
  }
  const assumedPerHour = ctx.assumptions ? 60 / ctx.assumptions.minutesPerTask : 2;
  return [...opened.keys()].sort().map((role) => {
    const line = opened.get(role)!;
    const perPerson = ctx.history.throughputPerHour[role] ?? assumedPerHour;
    const queueSum = Array<number>(24).fill(0);
    const queueCount = Array<number>(24).fill(0);
    const staffedHours = Array<number>(24).fill(0);
    // A role nobody of which finished a task in the window (new work) is staffed as assumed: its working hours.
    const measured = staffedRoles.has(role);
    if (!measured)
      ctx.notes?.add(
        `${ctx.roleTitles[role] ?? role}: chưa có nhân sự trong lịch sử — giả định ${ownEntry(ctx.assumptions?.staff, role) ?? 1} người trong giờ làm việc`,
      );
    let backlog = 0;
    for (let b = 0; b < buckets; b++) {
      const start = (firstBucket + b) * HOUR;
      const staff = measured
        ? (staffing.get(`${role}\u0000${firstBucket + b}`) ?? 0)
        : isWorkingTime(start, ctx.hours)
          ? (ownEntry(ctx.assumptions?.staff, role) ?? 1)
          : 0;
      backlog = Math.max(0, backlog + line[b]! - staff * perPerson);
      const h = localHour(start, ctx.hours);
      queueSum[h]! += backlog;
      queueCount[h]! += 1;
      if (staff > 0) staffedHours[h]! += 1;
    }
    const queueByHour = queueSum.map((s, h) => round1(queueCount[h] ? s / queueCount[h]! : 0));
    const total = line.reduce((a, b) => a + b, 0);
    return {
      role,
      title: ctx.roleTitles[role] ?? role,
      tasksPerDay: Math.round((total / ctx.days) * 100) / 100,
      byHour: byHour.get(role)!.map((n) => round1(n / ctx.days)),
      queueByHour,
      // Overloaded: hours people work in and still leave a queue (work waiting overnight is not overload).
      overloaded: hourRanges(queueByHour.flatMap((q, h) => (q >= OVERLOAD_QUEUE && staffedHours[h]! > 0 ? [h] : []))),
    };
  });
}

/** One version's report from its simulated orders. */
export function versionReport(
  label: VersionReport['label'],
  meta: { name: string; version: number | null; title: string },
  process: CompiledOrderProcess,
  orders: readonly SimulatedOrder[],
  ctx: ReportContext,
): VersionReport {
  const byResult: Partial<Record<OrderResult, number>> = {};
  const deliveryHours: number[] = [];
  const tasksAt = new Map<string, number>();
  const breachesAt = new Map<string, number>();
  const rungs = new Map<string, number>();
  const couriers = new Map<string, number>();
  let finished = 0;
  let stuck = 0;
  const risk = { amount: 0, orders: 0 };
  for (const order of orders) {
    if (order.result) byResult[order.result] = (byResult[order.result] ?? 0) + 1;
    if (order.endedAt !== undefined && order.endedAt <= ctx.window.to) finished += 1;
    if (order.stuck) stuck += 1;
    if (order.deliveredAt !== undefined) deliveryHours.push((order.deliveredAt - order.arrivedAt) / HOUR);
    for (const t of order.tasks) if (!t.followUp) tasksAt.set(t.stage, (tasksAt.get(t.stage) ?? 0) + 1);
    for (const b of order.breaches) breachesAt.set(b.stage, (breachesAt.get(b.stage) ?? 0) + 1);
    for (const e of order.escalations) rungs.set(`${e.stage}\u0000${e.rung}`, (rungs.get(`${e.stage}\u0000${e.rung}`) ?? 0) + 1);
    if (order.courier) couriers.set(order.courier, (couriers.get(order.courier) ?? 0) + 1);
    if (order.codAmount > 0 && (order.inTransitAtEnd || order.courierOutcome === 'returned' || order.courierOutcome === 'failed')) {
      risk.amount += order.codAmount;
      risk.orders += 1;
    }
  }
  const shipmentsAt = new Map<string, number>();
  for (const order of orders) {
    for (const visit of order.path) {
      const stage = process.stages[visit.stage];
      if (stage?.kind === 'courier' && visit.outcome !== 'skipped') shipmentsAt.set(stage.id, (shipmentsAt.get(stage.id) ?? 0) + 1);
    }
  }
  deliveryHours.sort((a, b) => a - b);
  const stages = Object.values(process.stages);
  const median = percentile(deliveryHours, 50);
  const p90 = percentile(deliveryHours, 90);
  return {
    label,
    ...meta,
    orders: orders.length,
    finished,
    byResult,
    stuck,
    timeToDeliveryHours: {
      median: median === null ? null : round1(median),
      p90: p90 === null ? null : round1(p90),
      delivered: deliveryHours.length,
    },
    slaBreaches: stages.flatMap((s) =>
      s.kind === 'human' || s.kind === 'courier'
        ? [
            {
              stage: s.id,
              title: s.title,
              tasks: s.kind === 'human' ? (tasksAt.get(s.id) ?? 0) : (shipmentsAt.get(s.id) ?? 0),
              breaches: breachesAt.get(s.id) ?? 0,
            },
          ]
        : [],
    ),
    escalations: stages.flatMap((s) =>
      s.kind === 'human' || s.kind === 'courier'
        ? s.escalate.map((_, i) => ({ stage: s.id, title: s.title, rung: i + 1, count: rungs.get(`${s.id}\u0000${i + 1}`) ?? 0 }))
        : [],
    ),
    workload: workloadOf(orders, ctx),
    courierMix: [...couriers.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([courier, shipments]) => ({ courier, shipments })),
    codAtRisk: risk,
  };
}
