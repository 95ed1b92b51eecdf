/**
 * KPI periods in the shop's local time (a fixed UTC offset: Asia/Ho_Chi_Minh is +07:00), so a
 * month starts at local midnight of its first day. Pure: used by the workflow, API and activities.
 */
import type { KpiPeriodSpec } from './types';

/** A period: its key (part of the workflow id) and its UTC bounds, end exclusive. */
export interface KpiPeriod {
  key: string;
  startsAt: number;
  endsAt: number;
}

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/** Local calendar fields of an instant at a fixed offset. */
function local(at: number, offsetMin: number) {
  const d = new Date(at + offsetMin * MIN);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth(), day: d.getUTCDate(), weekday: (d.getUTCDay() + 6) % 7 };
}
/** UTC instant of local midnight y-m-d. */
const localMidnight = (y: number, m: number, day: number, offsetMin: number) => Date.UTC(y, m, day) - offsetMin * MIN;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The period that contains `at`. */
export function periodContaining(spec: KpiPeriodSpec, offsetMin: number, at: number): KpiPeriod {
  if (spec.unit === 'interval') {
    const startsAt = Math.floor(at / spec.everyMs) * spec.everyMs;
    return {
      key: `t${new Date(startsAt)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z')}`,
      startsAt,
      endsAt: startsAt + spec.everyMs,
    };
  }
  const { y, m, day, weekday } = local(at, offsetMin);
  if (spec.unit === 'monthly') {
    return { key: `${y}-${pad(m + 1)}`, startsAt: localMidnight(y, m, 1, offsetMin), endsAt: localMidnight(y, m + 1, 1, offsetMin) };
  }
  if (spec.unit === 'quarterly') {
    const q = Math.floor(m / 3);
    return { key: `${y}-Q${q + 1}`, startsAt: localMidnight(y, q * 3, 1, offsetMin), endsAt: localMidnight(y, q * 3 + 3, 1, offsetMin) };
  }
  const startsAt = localMidnight(y, m, day - weekday, offsetMin);
  return { key: `${isoWeekKey(startsAt + offsetMin * MIN)}`, startsAt, endsAt: startsAt + 7 * DAY };
}

/** ISO 8601 week key (2026-W03) of a Monday given as a shifted-to-local instant. */
function isoWeekKey(mondayLocal: number): string {
  const thursday = new Date(mondayLocal + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return `${year}-W${pad(week)}`;
}

/** Parses a period key of this spec back to its period; undefined when it is not one. */
export function periodFromKey(spec: KpiPeriodSpec, offsetMin: number, key: string): KpiPeriod | undefined {
  let probe: number | undefined;
  let match: RegExpExecArray | null;
  if (spec.unit === 'monthly' && (match = /^(\d{4})-(\d{2})$/.exec(key))) {
    probe = localMidnight(+match[1]!, +match[2]! - 1, 1, offsetMin);
  } else if (spec.unit === 'quarterly' && (match = /^(\d{4})-Q([1-4])$/.exec(key))) {
    probe = localMidnight(+match[1]!, (+match[2]! - 1) * 3, 1, offsetMin);
  } else if (spec.unit === 'weekly' && (match = /^(\d{4})-W(\d{2})$/.exec(key))) {
    // Monday of ISO week 1 is the Monday on or before 4 January.
    const jan4 = Date.UTC(+match[1]!, 0, 4);
    const monday1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
    probe = monday1 + (+match[2]! - 1) * 7 * DAY - offsetMin * MIN;
  } else if (spec.unit === 'interval' && (match = /^t(\d{8})T(\d{6})Z$/.exec(key))) {
    const [d, t] = [match[1]!, match[2]!];
    probe = Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +t.slice(0, 2), +t.slice(2, 4), +t.slice(4, 6));
  }
  if (probe === undefined || Number.isNaN(probe)) return undefined;
  const period = periodContaining(spec, offsetMin, probe);
  return period.key === key ? period : undefined;
}

/** A local date-time `YYYY-MM-DD HH:mm` for messages. */
export function formatLocal(at: number, offsetMin: number): string {
  const d = new Date(at + offsetMin * MIN);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
