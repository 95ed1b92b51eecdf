/**
 * Reading shop.yaml's working hours and days off into the form business-time.ts computes with.
 * Shared by the shop check (which reports problems) and the shop compiler (which trusts them).
 */
import type { WorkingInterval } from './business-time';

const DAY_MS = 86_400_000;

/** The longest days-off range accepted; longer is almost certainly a wrong year. */
export const MAX_DAYS_OFF_RANGE = 366;

/** `08:00-17:30` → minutes after midnight; undefined if it does not have that form. */
export function parseHoursRange(text: unknown): WorkingInterval | undefined {
  const match = typeof text === 'string' ? /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(text) : null;
  if (!match) return undefined;
  const [, fh, fm, th, tm] = match.map(Number);
  return { fromMinute: fh * 60 + fm, toMinute: th * 60 + tm };
}

/** A day's value (one range or a list of ranges) as a list of range texts. */
export function rangesOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Days from `from` to `to` inclusive (`YYYY-MM-DD`), or undefined if either is not a date. */
export function daysBetween(from: string, to: string): number | undefined {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  return Number.isNaN(start) || Number.isNaN(end) ? undefined : Math.round((end - start) / DAY_MS) + 1;
}

/** Every date from `from` to `to` inclusive. */
export function expandDates(from: string, to: string): string[] {
  const count = daysBetween(from, to) ?? 0;
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: Math.max(count, 0) }, (_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10));
}
