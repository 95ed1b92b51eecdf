/**
 * The shop's local calendar: its fixed UTC offset, and the local day and year of an instant.
 * The books number documents per local year, the dashboard's "today" and the books' ranges are
 * local days, and COD webhook batches are per local transfer day. Pure and workflow-safe: the
 * server, the activities and the data access all use these, so the shop's day is computed one way.
 */
import type { CompiledShop } from '../types';
import { fixedUtcOffsetMinutes } from './business-time';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** UTC offset of the shop's time zone in minutes (Asia/Ho_Chi_Minh, the default: 420). */
export function shopOffsetMinutes(shop: Pick<CompiledShop, 'profile'> | undefined): number {
  return fixedUtcOffsetMinutes(shop?.profile.timezone ?? 'Asia/Ho_Chi_Minh') ?? 420;
}

/** The calendar year of an instant in the shop's time zone (a fixed offset, e.g. UTC+7). */
export function localYear(at: Date, utcOffsetMinutes: number): number {
  return new Date(at.getTime() + utcOffsetMinutes * MINUTE).getUTCFullYear();
}

/** The local calendar day of an instant, `YYYY-MM-DD`. */
export function localDay(at: Date, utcOffsetMinutes: number): string {
  return new Date(at.getTime() + utcOffsetMinutes * MINUTE).toISOString().slice(0, 10);
}

/** The instant a local day (`YYYY-MM-DD`) starts, or `plusDays` later (1: the next local midnight). */
export function localMidnight(day: string, utcOffsetMinutes: number, plusDays = 0): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + plusDays * DAY - utcOffsetMinutes * MINUTE);
}
