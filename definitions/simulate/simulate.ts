/**
 * The what-if simulation: the window's real order arrivals (or, for a new shop, arrivals from
 * its stated assumptions) walked through the candidate and through the active version side by
 * side, each order with one seeded random stream shared by both versions (so a stage both have
 * draws the same duration in both, and only the change shows), then reported and compared.
 * Pure: the history comes in as data (db/simulate/ reads it).
 */
import type { CompiledWorkingHours } from '../rules/business-time';
import { WEEKDAYS } from '../rules/business-time';
import type { CompiledOrderProcess } from '../types';
import { measureDistributions } from './distributions';
import { simulateOrder, type OutcomeChooser } from './engine';
import { mulberry32, streamSeed } from './prng';
import { versionReport, type ReportContext } from './report';
import { describeChanges, differences, summaryLines } from './summary';
import type { ArrivalRecord, Assumptions, SimulatedOrder, SimulationHistory, SimulationReport } from './types';

const DAY = 86_400_000;

/** A version to simulate: its compiled process and how the report names it. */
export interface SimulatedVersion {
  process: CompiledOrderProcess;
  name: string;
  version: number | null;
  title: string;
}

export interface WhatIfInput {
  candidate: SimulatedVersion;
  active: SimulatedVersion;
  history: SimulationHistory;
  seed: number;
  assumptions?: Assumptions;
  roleTitles?: Record<string, string>;
}

/** No order arrived in the window and no assumptions were stated: nothing to simulate. */
export class NoHistory extends Error {
  constructor() {
    super('không có đơn nào trong khoảng lịch sử này: hãy nêu giả định (assumptions.ordersPerDay, assumptions.minutesPerTask)');
  }
}

/**
 * Arrivals a new shop expects: `ordersPerDay` on each working day of the window (none on days
 * off), at instants drawn uniformly over its working time (over whole days when it states none).
 */
export function assumedArrivals(
  window: { from: number; to: number },
  assumptions: Assumptions,
  hours: CompiledWorkingHours,
  seed: number,
): ArrivalRecord[] {
  const random = mulberry32(streamSeed(seed, 'arrivals'));
  const offset = hours.utcOffsetMinutes * 60_000;
  const arrivals: ArrivalRecord[] = [];
  const firstDay = Math.floor((window.from + offset) / DAY);
  const lastDay = Math.ceil((window.to + offset) / DAY);
  const worksSomeDay = WEEKDAYS.some((d) => hours.weekly[d].length > 0);
  for (let day = firstDay; day < lastDay; day++) {
    const date = new Date(day * DAY).toISOString().slice(0, 10);
    const intervals = hours.daysOff.includes(date) ? [] : hours.weekly[WEEKDAYS[(((day + 4) % 7) + 7) % 7]!];
    if (!intervals.length && worksSomeDay) continue; // closed that day
    const open = intervals.length ? intervals : [{ fromMinute: 0, toMinute: 1440 }];
    const openMinutes = open.reduce((s, i) => s + i.toMinute - i.fromMinute, 0);
    const whole = Math.floor(assumptions.ordersPerDay);
    const count = whole + (random() < assumptions.ordersPerDay - whole ? 1 : 0);
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      let minute = random() * openMinutes;
      const interval = open.find((iv) => (minute < iv.toMinute - iv.fromMinute ? true : ((minute -= iv.toMinute - iv.fromMinute), false)))!;
      times.push(day * DAY + (interval.fromMinute + minute) * 60_000 - offset);
    }
    times.sort((a, b) => a - b);
    times.forEach((at, i) => {
      if (at >= window.from && at < window.to) {
        arrivals.push({
          orderId: `assumed-${date}-${i + 1}`,
          arrivedAt: Math.round(at),
          channel: null,
          customer: {},
          figures: {},
          outcomes: {},
        });
      }
    });
  }
  return arrivals;
}

/** Walks every arrival through one version (one seeded stream per order). */
export async function simulateArrivals(
  process: CompiledOrderProcess,
  arrivals: readonly ArrivalRecord[],
  history: Pick<SimulationHistory, 'tasks' | 'transits' | 'window'>,
  seed: number,
  assumptions?: Assumptions,
  choose?: (orderId: string) => OutcomeChooser | undefined,
): Promise<{ orders: SimulatedOrder[]; notes: string[] }> {
  const distributions = measureDistributions(history, assumptions);
  const orders: SimulatedOrder[] = [];
  for (const arrival of arrivals) {
    orders.push(
      await simulateOrder({
        process,
        arrival,
        distributions,
        random: mulberry32(streamSeed(seed, arrival.orderId)),
        horizon: history.window.to,
        choose: choose?.(arrival.orderId),
      }),
    );
  }
  return { orders, notes: [...distributions.notes] };
}

/** The whole what-if: both versions over the same arrivals, their reports, the differences, the summary. */
export async function simulateWhatIf(input: WhatIfInput): Promise<SimulationReport> {
  const { history, seed, assumptions } = input;
  const hours = input.active.process.workingHours;
  const fromHistory = history.arrivals.length > 0;
  if (!fromHistory && !assumptions) throw new NoHistory();
  const arrivals = fromHistory ? history.arrivals : assumedArrivals(history.window, assumptions!, hours, seed);
  const days = Math.max(1, Math.round((history.window.to - history.window.from) / DAY));
  const ctx: ReportContext = {
    window: history.window,
    days,
    history,
    ...(assumptions ? { assumptions } : {}),
    roleTitles: input.roleTitles ?? {},
    hours,
    notes: new Set<string>(),
  };
  const candidateRun = await simulateArrivals(input.candidate.process, arrivals, history, seed, assumptions);
  const activeRun = await simulateArrivals(input.active.process, arrivals, history, seed, assumptions);
  const meta = (v: SimulatedVersion) => ({ name: v.name, version: v.version, title: v.title });
  const candidate = versionReport('candidate', meta(input.candidate), input.candidate.process, candidateRun.orders, ctx);
  const active = versionReport('active', meta(input.active), input.active.process, activeRun.orders, ctx);
  const diffs = differences(active, candidate);
  const basisNote = fromHistory
    ? `Mô phỏng ${arrivals.length} đơn thật đến trong ${days} ngày, với thời gian xử lý, kết quả và nhân sự đo từ lịch sử của cửa hàng.`
    : `Chưa có lịch sử: mô phỏng theo giả định ${assumptions!.ordersPerDay} đơn/ngày, ${assumptions!.minutesPerTask} phút/việc` +
      `${assumptions!.transitHours !== undefined ? `, giao ${assumptions!.transitHours} giờ` : ''} (${arrivals.length} đơn trong ${days} ngày).`;
  return {
    seed,
    window: { from: new Date(history.window.from).toISOString(), to: new Date(history.window.to).toISOString(), days },
    basis: fromHistory ? 'history' : 'assumptions',
    basisNote,
    ...(assumptions ? { assumptions } : {}),
    notes: [...new Set([...candidateRun.notes, ...activeRun.notes, ...ctx.notes!])].sort(),
    candidate,
    active,
    differences: diffs,
    summary: summaryLines(describeChanges(input.active.process, input.candidate.process), diffs, days),
  };
}
