/**
 * Semantic checks of shop.yaml beyond its JSON Schema: the timezone exists and keeps one offset,
 * working hours make sense, day-off ranges are ordered, courier credentials are named, and
 * segments end with exactly one fallback. Runs on data that may not match the schema.
 */
import { fixedUtcOffsetMinutes, WEEKDAYS } from '../rules/business-time';
import { checkCondition } from '../rules/condition-compile';
import { SEGMENT_METRICS } from '../rules/conditions';
import type { Issue, PathSegment } from '../loading/errors';
import { isRecord, listOf, recordOf } from '../loading/plain';
import { daysBetween, MAX_DAYS_OFF_RANGE, parseHoursRange, rangesOf } from '../rules/working-hours';
import { isCalendarDay } from './outsourcing';

/** Env vars each courier API needs to work at all. */
const REQUIRED_ENV: Record<string, readonly string[]> = {
  ghn: ['tokenEnv', 'shopIdEnv'],
  ghtk: ['tokenEnv'],
  viettelpost: ['tokenEnv'],
  simulator: [],
};

export function checkShop(data: unknown): Issue[] {
  const spec = recordOf(recordOf(data).spec);
  const profile = recordOf(spec.profile);
  const at = (...path: PathSegment[]) => ['spec', ...path];
  return [
    ...checkTimezone(profile.timezone, at('profile', 'timezone')),
    ...checkWorkingHours(profile.workingHours, at('profile', 'workingHours')),
    ...checkDaysOff(profile.daysOff, at('profile', 'daysOff')),
    ...checkCouriers(spec.couriers, at('couriers')),
    ...checkSegments(spec.segments, at('segments')),
    ...checkStockRoles(spec.stock, recordOf(spec.roles), at('stock')),
    ...checkLedRoles(recordOf(spec.roles), at('roles')),
    ...checkHandledBy(recordOf(spec.roles), at('roles')),
    ...checkOutsourced(recordOf(spec.roles), at('roles')),
  ];
}

/**
 * `handledBy` names a role that exists, does its own work (no chains: the queue a task lands in
 * is one hop away) and can complete tasks.
 */
function checkHandledBy(roles: Record<string, unknown>, path: PathSegment[]): Issue[] {
  const issues: Issue[] = [];
  for (const [id, raw] of Object.entries(roles)) {
    const target = recordOf(raw).handledBy;
    if (typeof target !== 'string') continue;
    const at = [...path, id, 'handledBy'];
    if (target === id) {
      issues.push({ path: at, message: `role "${id}" cannot be handled by itself — remove handledBy or name another role` });
      continue;
    }
    if (!Object.hasOwn(roles, target)) {
      issues.push({ path: at, message: `role "${target}" is not defined under roles — known roles: ${Object.keys(roles).join(', ')}` });
      continue;
    }
    const handler = recordOf(roles[target]);
    if (typeof handler.handledBy === 'string') {
      issues.push({
        path: at,
        message: `role "${target}" is itself handled by "${handler.handledBy}" — name the role that does the work (handledBy: ${handler.handledBy})`,
      });
    }
    const permissions = listOf(handler.permissions);
    if (Array.isArray(handler.permissions) && !permissions.includes('*') && !permissions.includes('tasks.complete')) {
      issues.push({
        path: at,
        message: `role "${target}" cannot complete tasks (its permissions lack tasks.complete), so it cannot do "${id}"'s work`,
      });
    }
  }
  return issues;
}

/**
 * An outsourced role sees only its own records (scope own, never `*`), its contract's last day is
 * a real date, and its work goes back to an in-house role that exists and can complete tasks.
 */
function checkOutsourced(roles: Record<string, unknown>, path: PathSegment[]): Issue[] {
  const issues: Issue[] = [];
  for (const [id, raw] of Object.entries(roles)) {
    const role = recordOf(raw);
    if (!isRecord(role.outsourced)) continue;
    const outsourced = role.outsourced;
    const at = [...path, id, 'outsourced'];
    if (role.scope === 'all') {
      issues.push({
        path: [...path, id, 'scope'],
        message: `outsourced role "${id}" must have scope: own — outside staff see only the records they work on`,
      });
    }
    if (listOf(role.permissions).includes('*')) {
      issues.push({
        path: [...path, id, 'permissions'],
        message: `outsourced role "${id}" cannot hold "*" — list the permissions it needs`,
      });
    }
    const ends = outsourced.contractEnds;
    if (typeof ends === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(ends) && !isCalendarDay(ends)) {
      issues.push({
        path: [...at, 'contractEnds'],
        message: `"${ends}" is not a calendar date — write the contract's last day as YYYY-MM-DD`,
      });
    }
    const target = outsourced.handBackTo;
    if (typeof target !== 'string') continue;
    if (target === id) {
      issues.push({
        path: [...at, 'handBackTo'],
        message: `role "${id}" cannot hand its work back to itself — name the in-house role that takes it`,
      });
    } else if (!Object.hasOwn(roles, target)) {
      issues.push({
        path: [...at, 'handBackTo'],
        message: `role "${target}" is not defined under roles — known roles: ${Object.keys(roles).join(', ')}`,
      });
    } else {
      const handler = recordOf(roles[target]);
      if (isRecord(handler.outsourced)) {
        issues.push({ path: [...at, 'handBackTo'], message: `role "${target}" is itself outsourced — work goes back to an in-house role` });
      }
      const permissions = listOf(handler.permissions);
      if (Array.isArray(handler.permissions) && !permissions.includes('*') && !permissions.includes('tasks.complete')) {
        issues.push({
          path: [...at, 'handBackTo'],
          message: `role "${target}" cannot complete tasks (its permissions lack tasks.complete), so it cannot take back "${id}"'s work`,
        });
      }
    }
  }
  return issues;
}

/** A role can only lead roles that exist (a typo would silently take a lead's reassigning away). */
function checkLedRoles(roles: Record<string, unknown>, path: PathSegment[]): Issue[] {
  const issues: Issue[] = [];
  for (const [id, role] of Object.entries(roles)) {
    listOf(recordOf(role).leads).forEach((led, i) => {
      if (typeof led === 'string' && !Object.hasOwn(roles, led)) {
        issues.push({
          path: [...path, id, 'leads', i],
          message: `role "${led}" is not defined under roles — known roles: ${Object.keys(roles).join(', ')}`,
        });
      }
    });
  }
  return issues;
}

/** Low-stock alerts and shortage tasks must go to roles that exist. */
function checkStockRoles(stock: unknown, roles: Record<string, unknown>, path: PathSegment[]): Issue[] {
  if (!isRecord(stock)) return [];
  const issues: Issue[] = [];
  listOf(stock.lowStockNotify).forEach((role, i) => {
    if (typeof role === 'string' && !(role in roles))
      issues.push({ path: [...path, 'lowStockNotify', i], message: `role "${role}" is not defined under roles` });
  });
  if (typeof stock.shortageRole === 'string' && !(stock.shortageRole in roles)) {
    issues.push({ path: [...path, 'shortageRole'], message: `role "${stock.shortageRole}" is not defined under roles` });
  }
  return issues;
}

function checkTimezone(timezone: unknown, path: PathSegment[]): Issue[] {
  if (typeof timezone !== 'string' || timezone === '') return [];
  let offset: number | null;
  try {
    offset = fixedUtcOffsetMinutes(timezone);
  } catch {
    return [{ path, message: `unknown timezone "${timezone}" — use an IANA name such as Asia/Ho_Chi_Minh` }];
  }
  if (offset === null) {
    return [
      {
        path,
        message: `timezone "${timezone}" changes its UTC offset during the year (daylight saving time), which shopflow does not support — use a fixed-offset zone such as Asia/Ho_Chi_Minh`,
      },
    ];
  }
  return [];
}

function checkWorkingHours(hours: unknown, path: PathSegment[]): Issue[] {
  if (!isRecord(hours)) return [];
  const issues: Issue[] = [];
  let anyWorkingTime = false;
  for (const day of WEEKDAYS) {
    if (!(day in hours)) continue;
    const listed = Array.isArray(hours[day]);
    const parsed = rangesOf(hours[day])
      .map((text, i) => ({ text, interval: parseHoursRange(text), path: listed ? [...path, day, i] : [...path, day] }))
      .filter((r) => r.interval !== undefined);
    for (const range of parsed) {
      if (range.interval!.fromMinute >= range.interval!.toMinute) {
        issues.push({
          path: range.path,
          message: `"${String(range.text)}" ends before it starts — write it like 08:00-17:30 (shifts past midnight are not supported)`,
        });
      } else anyWorkingTime = true;
    }
    const sorted = [...parsed].sort((a, b) => a.interval!.fromMinute - b.interval!.fromMinute);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].interval!.fromMinute < sorted[i - 1].interval!.toMinute) {
        issues.push({ path: sorted[i].path, message: `"${String(sorted[i].text)}" overlaps "${String(sorted[i - 1].text)}" on ${day}` });
      }
    }
  }
  if (!anyWorkingTime && issues.length === 0) {
    issues.push({ path, message: 'the shop has no working hours on any day, so business-clock SLAs could never end' });
  }
  return issues;
}

function checkDaysOff(daysOff: unknown, path: PathSegment[]): Issue[] {
  const issues: Issue[] = [];
  listOf(daysOff).forEach((entry, i) => {
    if (!isRecord(entry) || typeof entry.from !== 'string' || typeof entry.to !== 'string') return;
    const days = daysBetween(entry.from, entry.to);
    if (days === undefined) return; // malformed dates are the schema's to report
    if (days < 1) issues.push({ path: [...path, i, 'to'], message: `the range ends (${entry.to}) before it starts (${entry.from})` });
    if (days > MAX_DAYS_OFF_RANGE) {
      issues.push({
        path: [...path, i, 'to'],
        message: `the range is ${days} days long — check the year (at most ${MAX_DAYS_OFF_RANGE} days)`,
      });
    }
  });
  return issues;
}

function checkCouriers(couriers: unknown, path: PathSegment[]): Issue[] {
  const issues: Issue[] = [];
  for (const [id, raw] of Object.entries(recordOf(couriers))) {
    const courier = recordOf(raw);
    for (const key of REQUIRED_ENV[String(courier.api)] ?? []) {
      if (!(key in courier)) {
        issues.push({
          path: [...path, id],
          message: `a ${String(courier.api).toUpperCase()} courier needs ${key} (the name of the environment variable holding it)`,
        });
      }
    }
  }
  return issues;
}

function checkSegments(segments: unknown, path: PathSegment[]): Issue[] {
  if (!isRecord(segments)) return [];
  const issues: Issue[] = [];
  const entries = Object.entries(segments);
  const fallbacks = entries.filter(([, s]) => recordOf(s).rule === 'otherwise').map(([id]) => id);
  if (fallbacks.length === 0 && entries.length > 0) {
    issues.push({ path, message: 'one segment must be the fallback (rule: otherwise) so every customer gets a segment' });
  }
  for (const extra of fallbacks.slice(1)) {
    issues.push({
      path: [...path, extra, 'rule'],
      message: `only one segment can be the fallback (rule: otherwise); "${fallbacks[0]}" already is`,
    });
  }
  if (fallbacks.length === 1 && entries[entries.length - 1][0] !== fallbacks[0]) {
    issues.push({
      path: [...path, fallbacks[0], 'rule'],
      message: 'the fallback segment (rule: otherwise) must come last — segments below it could never match',
    });
  }
  for (const [id, segment] of entries) {
    issues.push(...checkCondition(recordOf(segment).rule, [...path, id, 'rule'], SEGMENT_METRICS, {}));
  }
  return issues;
}
