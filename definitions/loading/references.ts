/**
 * Checks that names a process uses (roles, couriers, segments, channels) exist in the shop.
 * With no shop (shop.yaml itself is broken) there is nothing to compare with, so nothing is reported.
 */
import { ownEntry } from '../rules/own';
import type { ConditionNames } from '../rules/condition-compile';
import { DurationError, parseDuration } from '../rules/duration';
import { didYouMean, listNames, type Issue, type PathSegment } from './errors';
import type { CompiledShop } from '../types';

/** A role reference; `ownsTasks` when the role must be able to complete the task it gets. */
export function checkRole(shop: CompiledShop | null, role: unknown, path: PathSegment[], ownsTasks: boolean): Issue[] {
  if (!shop || typeof role !== 'string') return [];
  const known = Object.keys(shop.roles);
  const found = ownEntry(shop.roles, role);
  if (!found) {
    return [{ path, message: `unknown role "${role}"${didYouMean(role, known)} — known roles: ${listNames(known)}` }];
  }
  const canComplete = found.permissions.includes('*') || found.permissions.includes('tasks.complete');
  if (ownsTasks && !canComplete) {
    return [
      { path, message: `role "${role}" cannot complete tasks (its permissions lack tasks.complete), so it cannot be given this task` },
    ];
  }
  return [];
}

/** A courier reference: it must exist and be enabled. */
export function checkCourier(shop: CompiledShop | null, courier: unknown, path: PathSegment[]): Issue[] {
  if (!shop || typeof courier !== 'string') return [];
  const known = Object.keys(shop.couriers);
  const found = ownEntry(shop.couriers, courier);
  if (!found) {
    return [{ path, message: `unknown courier "${courier}"${didYouMean(courier, known)} — known couriers: ${listNames(known)}` }];
  }
  if (!found.enabled) {
    return [{ path, message: `courier "${courier}" is disabled in shop.yaml (enabled: false) — enable it or choose another courier` }];
  }
  return [];
}

/** Segment and channel ids conditions may mention. */
export function conditionNames(shop: CompiledShop | null): ConditionNames {
  return shop ? { segment: shop.segments.map((s) => s.id), channel: Object.keys(shop.channels) } : {};
}

/** Parses a duration, reporting why it cannot be used; non-text values are the schema's to report. */
export function checkDuration(value: unknown, path: PathSegment[], issues: Issue[]): number | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return parseDuration(value);
  } catch (error) {
    if (!(error instanceof DurationError)) throw error;
    issues.push({ path, message: error.message });
    return undefined;
  }
}
