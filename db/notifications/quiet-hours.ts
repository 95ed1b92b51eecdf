/**
 * When a staff member's message may go out: quiet hours (a custom `HH:MM`–`HH:MM` range, or
 * outside the shop's working hours) hold non-urgent messages until they end, and low-priority
 * messages wait for the person's daily digest. Pure: instants are epoch milliseconds, and the
 * shop's time zone comes as its fixed UTC offset (CompiledWorkingHours), like the business clock.
 */
import { addBusinessTime, type CompiledWorkingHours } from '../../definitions/rules/business-time';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A person's quiet hours, as stored in `staff_preferences.quiet_hours`. */
export interface QuietHours {
  mode: 'off' | 'outside-working-hours' | 'custom';
  /** `HH:MM` local, with `custom`: quiet from this time… */
  from?: string;
  /** …until this one (may wrap past midnight: `21:00`–`07:00`). */
  to?: string;
}

/** Minutes after local midnight of `HH:MM` (00:00–23:59), or undefined when it is not one. */
export function minuteOfDay(text: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** The next instant at or after `nowMs` whose local wall-clock time is `minute` (minutes after midnight). */
export function nextLocalTime(nowMs: number, minute: number, utcOffsetMinutes: number): number {
  const offset = utcOffsetMinutes * MINUTE;
  const local = nowMs + offset;
  const candidate = Math.floor(local / DAY) * DAY + minute * MINUTE;
  return (candidate >= local ? candidate : candidate + DAY) - offset;
}

/**
 * The instant a message of `priority` created at `nowMs` may be sent under these quiet hours:
 * `nowMs` itself when it is urgent, quiet hours are off, or `nowMs` is outside them; otherwise
 * the end of the quiet hours (a custom range's `to`, or the shop's next opening).
 */
export function quietHoursEnd(nowMs: number, priority: string, quiet: QuietHours, hours: CompiledWorkingHours): number {
  if (priority === 'urgent' || quiet.mode === 'off') return nowMs;
  if (quiet.mode === 'outside-working-hours') {
    // addBusinessTime counts from the next opening when `nowMs` is outside working hours. A shop
    // with no working time at all (none set up yet, or every day off for a year) has no hours to
    // be outside of: the message goes now rather than never (and the producer does not fail).
    try {
      return Math.max(nowMs, addBusinessTime(nowMs, 1, hours) - 1);
    } catch {
      return nowMs;
    }
  }
  const from = minuteOfDay(quiet.from ?? '');
  const to = minuteOfDay(quiet.to ?? '');
  if (from === undefined || to === undefined || from === to) return nowMs;
  const localMinute = Math.floor(((((nowMs + hours.utcOffsetMinutes * MINUTE) % DAY) + DAY) % DAY) / MINUTE);
  const quietNow = from < to ? localMinute >= from && localMinute < to : localMinute >= from || localMinute < to;
  return quietNow ? nextLocalTime(nowMs, to, hours.utcOffsetMinutes) : nowMs;
}

/** The next daily digest at the person's `HH:MM` (local) after `nowMs`; 08:00 when the text is not a time. */
export function nextDigestAt(nowMs: number, digestAt: string, utcOffsetMinutes: number): number {
  return nextLocalTime(nowMs, minuteOfDay(digestAt) ?? 8 * 60, utcOffsetMinutes);
}
