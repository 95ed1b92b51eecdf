import { activeShop } from '../../db/active-shop';
import type { Db } from '../../db/client';
import type { CompiledShop } from '../../definitions/types';

/** Who fixes a failed step of a workflow, who hears when they don't, and (couriers) what else could ship. */
export interface FixItContext {
  role: string;
  /** Roles the fix-it task's ladder notifies when it stays open. */
  managers: string[];
  /** Enabled couriers other than the one that failed, for "ship with another courier". */
  couriers: Array<{ id: string; title: string }>;
  /** The title of the courier that failed (`exclude`), for the task's words. */
  courierTitle?: string;
}

/**
 * Couriers' problems (a refused parcel, a missing pick-up address) are the warehouse lead's;
 * everything else (a bug, a database refusing) goes to the manager. A shop without those roles
 * falls back to a role that exists, so the task is always someone's.
 */
const PREFERRED: Record<FixItSubject, string[]> = {
  courier: ['warehouse-lead', 'manager', 'admin'],
  order: ['manager', 'admin'],
  complaint: ['manager', 'admin'],
  kpi: ['manager', 'admin'],
};

export type FixItSubject = 'courier' | 'order' | 'complaint' | 'kpi';

/** The role of a fix-it task from the shop's roles, by preference, else any role with every permission. */
export function fixItRole(shop: Pick<CompiledShop, 'roles'> | undefined, subject: FixItSubject): string {
  const roles = shop?.roles ?? {};
  const preferred = PREFERRED[subject].find((r) => Object.hasOwn(roles, r));
  if (preferred) return preferred;
  const boss = Object.entries(roles).find(([, role]) => role.permissions.includes('*'));
  return boss?.[0] ?? PREFERRED[subject][0]!;
}

/** Activities a workflow calls when one of its steps failed for good (read-only). */
export function createFixItActivities(deps: { db: Db }) {
  return {
    /** The fixer's role, the ladder's roles, and the enabled couriers other than `exclude`. */
    async fixItContext(input: { subject: FixItSubject; exclude?: string }): Promise<FixItContext> {
      const shop = await activeShop(deps.db);
      const role = fixItRole(shop, input.subject);
      const managers = ['manager'].filter((r) => r !== role && Object.hasOwn(shop?.roles ?? {}, r));
      const couriers = Object.values(shop?.couriers ?? {})
        .filter((c) => c.enabled && c.id !== input.exclude)
        .map((c) => ({ id: c.id, title: c.title }));
      const failed = input.exclude && Object.hasOwn(shop?.couriers ?? {}, input.exclude) ? shop!.couriers[input.exclude]!.title : undefined;
      return { role, managers, couriers, ...(failed ? { courierTitle: failed } : {}) };
    },
  };
}
