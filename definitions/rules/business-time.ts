/**
 * Business-hours arithmetic: "2 working hours from now" in the shop's timezone, skipping nights,
 * closed weekdays and days off.
 *
 * Runs inside Temporal workflow code, so it is pure: times come in as epoch milliseconds, the
 * UTC offset comes precomputed in {@link CompiledWorkingHours} (so a replay on a worker with a
 * different tz database still computes the same deadline), and there is no module-level state.
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Weekday keys as written in shop.yaml. */
export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';

/** Indexed like `Date#getUTCDay()`: 0 is Sunday. */
export const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** A stretch of working time within one local day, in minutes after local midnight (`to` ≤ 1440). */
export interface WorkingInterval {
  fromMinute: number;
  toMinute: number;
}

/** Working hours as the loader compiles them from shop.yaml; plain data, safe as workflow input. */
export interface CompiledWorkingHours {
  /** IANA name, kept for display and for re-deriving the offset. */
  timezone: string;
  /** Fixed offset of `timezone` from UTC (Asia/Ho_Chi_Minh: 420). */
  utcOffsetMinutes: number;
  /** Sorted, non-overlapping intervals per weekday; an empty list means closed that day. */
  weekly: Record<Weekday, WorkingInterval[]>;
  /** Local dates (`YYYY-MM-DD`, sorted) on which the shop does not work at all. */
  daysOff: string[];
}

/** How an SLA or wait is measured: wall-clock time, or only the shop's working hours. */
export type Clock = 'calendar' | 'business';

/** Consecutive days without any working time after which we stop looking (a year of holidays). */
const MAX_IDLE_DAYS = 400;

/**
 * Returns the instant (epoch ms) at which `durationMs` of working time has passed since `startMs`.
 * A start outside working hours counts from the next opening; a deadline that falls exactly on
 * closing time stays on that day rather than moving to the next opening.
 * @throws Error if the working hours contain no working time for over a year.
 */
export function addBusinessTime(startMs: number, durationMs: number, hours: CompiledWorkingHours): number {
  if (!(durationMs > 0)) return startMs;
  const offsetMs = hours.utcOffsetMinutes * MINUTE;
  const daysOff = new Set(hours.daysOff);
  let cursor = startMs + offsetMs; // local wall-clock time expressed as if it were UTC
  let remaining = durationMs;
  let idleDays = 0;
  while (idleDays <= MAX_IDLE_DAYS) {
    const dayNumber = Math.floor(cursor / DAY);
    const dayStart = dayNumber * DAY;
    let worked = false;
    if (!daysOff.has(localDate(dayStart))) {
      // 1970-01-01 was a Thursday (index 4).
      const weekday = WEEKDAYS[(((dayNumber + 4) % 7) + 7) % 7];
      for (const interval of hours.weekly[weekday]) {
        const from = Math.max(cursor, dayStart + interval.fromMinute * MINUTE);
        const to = dayStart + interval.toMinute * MINUTE;
        if (from >= to) continue;
        worked = true;
        if (remaining <= to - from) return from + remaining - offsetMs;
        remaining -= to - from;
      }
    }
    idleDays = worked ? 0 : idleDays + 1;
    cursor = dayStart + DAY;
  }
  throw new Error(`no working time found within ${MAX_IDLE_DAYS} days in timezone ${hours.timezone}`);
}

/** The due instant of an SLA or wait that starts at `startMs`, measured on the given clock. */
export function dueAt(startMs: number, durationMs: number, clock: Clock, hours: CompiledWorkingHours): number {
  return clock === 'business' ? addBusinessTime(startMs, durationMs, hours) : startMs + durationMs;
}

function localDate(localDayStartMs: number): string {
  // Date with an explicit argument is deterministic (also inside the workflow sandbox).
  return new Date(localDayStartMs).toISOString().slice(0, 10);
}

/**
 * UTC offset of an IANA timezone at one instant, in minutes, computed with Intl.
 * @throws RangeError if the timezone is unknown to the runtime.
 */
export function utcOffsetMinutes(timeZone: string, atMs: number): number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(format.formatToParts(atMs).find((p) => p.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return Math.round((wall - Math.floor(atMs / 1000) * 1000) / MINUTE);
}

/** Fixed reference instants (mid-month, 2025) so the answer never depends on when the loader runs. */
const REFERENCE_INSTANTS = Array.from({ length: 12 }, (_, month) => Date.UTC(2025, month, 15, 12));

/**
 * The offset of a timezone that keeps one UTC offset all year, or `null` if it observes daylight
 * saving time (whose deadlines would shift by an hour twice a year; shopflow does not support that).
 * @throws RangeError if the timezone is unknown to the runtime.
 */
export function fixedUtcOffsetMinutes(timeZone: string): number | null {
  const offsets = new Set(REFERENCE_INSTANTS.map((at) => utcOffsetMinutes(timeZone, at)));
  return offsets.size === 1 ? [...offsets][0] : null;
}
