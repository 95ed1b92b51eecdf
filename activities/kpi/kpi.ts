/**
 * KPI period activities: snapshot targets at period start, recompute actuals by SQL, fire pacing
 * alerts, record target revisions, close the period with its evaluation. All idempotent.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { definitionVersions, kpiPeriods, kpiSnapshots, kpiTargetRevisions, staff } from '../../db/schema';
import type { CompiledKpiPlan } from '../../definitions/kpi/types';
import type { Logger } from 'pino';
import { computeActuals } from '../../db/kpi/actuals';
import {
  applyRevision,
  evaluate,
  pacingBreaches,
  pacingOf,
  snapshotTargets,
  type KpiStaff,
  type KpiTargets,
  type PacingBreach,
  type TargetRevision,
} from '../../definitions/kpi/model';
import { recordNotification } from '../../db/notifications/outbox';

export { computeActuals };

/** Which period a workflow runs. */
export interface KpiPeriodRef {
  periodId: string;
  workflowId: string;
  plan: CompiledKpiPlan;
  planVersion: number | null;
  periodKey: string;
  startsAt: number;
  endsAt: number;
}

/** Active staff with their roles and channels, as allocation and evaluation see them. */
export async function kpiStaff(db: Db): Promise<KpiStaff[]> {
  return db
    .select({ id: staff.id, name: staff.name, roles: staff.roles, channels: staff.channels })
    .from(staff)
    .where(eq(staff.active, true));
}

export function createKpiActivities(deps: { db: Db; log: Logger }) {
  const { db, log } = deps;
  return {
    /** The active KpiPlan of this name (the schedule passes only the name, so plan edits apply to the next period). */
    async activeKpiPlan(input: { name: string }): Promise<{ version: number; plan: CompiledKpiPlan } | null> {
      const [row] = await db
        .select()
        .from(definitionVersions)
        .where(and(eq(definitionVersions.name, input.name), eq(definitionVersions.kind, 'KpiPlan'), eq(definitionVersions.active, true)))
        .orderBy(desc(definitionVersions.version))
        .limit(1);
      return row ? { version: row.version, plan: row.compiled as CompiledKpiPlan } : null;
    },

    /** Creates the period with targets allocated to today's active reps; a second call returns the first snapshot. */
    async openKpiPeriod(ref: KpiPeriodRef): Promise<KpiTargets> {
      const targets = snapshotTargets(ref.plan, await kpiStaff(db));
      await db
        .insert(kpiPeriods)
        .values({
          id: ref.periodId,
          plan: ref.plan.name,
          planVersion: ref.planVersion,
          periodKey: ref.periodKey,
          workflowId: ref.workflowId,
          startsAt: new Date(ref.startsAt),
          endsAt: new Date(ref.endsAt),
          planSnapshot: ref.plan as unknown as Record<string, unknown>,
          targets,
        })
        .onConflictDoNothing();
      const [row] = await db.select({ targets: kpiPeriods.targets }).from(kpiPeriods).where(eq(kpiPeriods.id, ref.periodId));
      return row!.targets as KpiTargets;
    },

    /** Recomputes actuals up to `asOf`, stores a snapshot, and says which pacing rules hold. */
    async recomputeKpiActuals(input: {
      ref: KpiPeriodRef;
      targets: KpiTargets;
      asOf: number;
    }): Promise<{ breaches: PacingBreach[]; elapsed: number }> {
      const { ref } = input;
      const upTo = Math.min(input.asOf, ref.endsAt);
      const elapsed = Math.min(1, Math.max(0, (upTo - ref.startsAt) / (ref.endsAt - ref.startsAt)));
      const actuals = await computeActuals(db, ref.plan, ref.startsAt, upTo);
      const pacing = pacingOf(ref.plan, input.targets, actuals, elapsed);
      await db.transaction(async (tx) => {
        await tx
          .insert(kpiSnapshots)
          .values({
            periodId: ref.periodId,
            asOf: new Date(upTo),
            elapsed,
            actuals: { metrics: actuals, pacing },
            dedupeKey: `${ref.periodId}:${upTo}`,
          })
          .onConflictDoNothing();
        await tx
          .update(kpiPeriods)
          .set({ actuals: { metrics: actuals, pacing, elapsed }, actualsAt: new Date(upTo) })
          .where(eq(kpiPeriods.id, ref.periodId));
      });
      return { breaches: pacingBreaches(ref.plan, input.targets, actuals, elapsed), elapsed };
    },

    /** Sends one pacing alert (once per period and rule, even if retried) and marks it fired. */
    async fireKpiAlert(input: { periodId: string; breach: PacingBreach }): Promise<void> {
      const { periodId, breach } = input;
      await recordNotification(db, log, {
        roles: breach.notify,
        message: breach.message,
        subject: { type: 'kpi_period', id: periodId },
        data: { rule: breach.rule, metric: breach.metric, actual: breach.actual, target: breach.target },
        dedupeKey: `kpi:${periodId}:pacing:${breach.rule}`,
        kind: 'kpi',
        priority: 'normal',
      });
      await db
        .update(kpiPeriods)
        .set({ firedAlerts: sql`array_append(array_remove(${kpiPeriods.firedAlerts}, ${breach.rule}), ${breach.rule})` })
        .where(eq(kpiPeriods.id, periodId));
    },

    /** Records a manager's revision (who and why) and stores the revised targets. */
    async recordKpiTargetRevision(input: {
      periodId: string;
      revision: TargetRevision;
      targets: KpiTargets;
      dedupeKey: string;
    }): Promise<KpiTargets> {
      const { targets, oldValue } = applyRevision(input.targets, input.revision);
      await db.transaction(async (tx) => {
        const inserted = await tx
          .insert(kpiTargetRevisions)
          .values({
            periodId: input.periodId,
            metric: input.revision.metric,
            scope: input.revision.scope,
            oldValue,
            newValue: input.revision.value,
            actor: input.revision.actor,
            reason: input.revision.reason,
            dedupeKey: input.dedupeKey,
          })
          .onConflictDoNothing()
          .returning({ id: kpiTargetRevisions.id });
        if (inserted.length) await tx.update(kpiPeriods).set({ targets }).where(eq(kpiPeriods.id, input.periodId));
      });
      return targets;
    },

    /** Final actuals over the whole period and the evaluation per staff member; the period is closed. */
    async closeKpiPeriod(input: { ref: KpiPeriodRef; targets: KpiTargets }): Promise<{ staff: number }> {
      const { ref, targets } = input;
      const actuals = await computeActuals(db, ref.plan, ref.startsAt, ref.endsAt);
      const pacing = pacingOf(ref.plan, targets, actuals, 1);
      const staffResults = evaluate(ref.plan, targets, actuals, await kpiStaff(db));
      await db.transaction(async (tx) => {
        await tx
          .insert(kpiSnapshots)
          .values({
            periodId: ref.periodId,
            asOf: new Date(ref.endsAt),
            elapsed: 1,
            actuals: { metrics: actuals, pacing },
            dedupeKey: `${ref.periodId}:${ref.endsAt}`,
          })
          .onConflictDoNothing();
        await tx
          .update(kpiPeriods)
          .set({
            status: 'closed',
            closedAt: sql`now()`,
            actuals: { metrics: actuals, pacing, elapsed: 1 },
            actualsAt: new Date(ref.endsAt),
            evaluation: { staff: staffResults, evaluatedAt: new Date().toISOString() },
          })
          .where(eq(kpiPeriods.id, ref.periodId));
      });
      log.info({ period: ref.periodId, staff: staffResults.length }, `KPI period ${ref.periodId} closed`);
      return { staff: staffResults.length };
    },
  };
}
