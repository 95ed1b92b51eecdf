/**
 * One Temporal Schedule per active KpiPlan (`kpi:<plan>`), created or updated at start-up: a
 * calendar spec at local midnight of each period's first day in the shop's timezone, catch-up
 * for starts missed while Temporal or the workers were down, and overlap policy skip; and the
 * period that contains now, so the current period exists from the first start.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type ScheduleOptionsAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { KpiPeriodRef } from '../../activities/kpi/kpi';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { definitionVersions } from '../../db/schema';
import { periodContaining } from '../../definitions/kpi/period';
import type { CompiledKpiPlan } from '../../definitions/kpi/types';
import { kpiWorkflowId } from '../../workflows/kpi/kpi';
import type { Logger } from '../platform/logger';

export const kpiScheduleId = (plan: string) => `kpi:${plan}`;

/** When periods of a plan start, as a schedule spec. */
export function kpiScheduleSpec(plan: CompiledKpiPlan): ScheduleSpec {
  const midnight = { hour: 0, minute: 0, second: 0 } as const;
  switch (plan.period.unit) {
    case 'interval':
      return { intervals: [{ every: plan.period.everyMs }] };
    case 'weekly':
      return { calendars: [{ ...midnight, dayOfWeek: 'MONDAY', comment: 'Monday 00:00 local' }], timezone: plan.timezone };
    case 'monthly':
      return { calendars: [{ ...midnight, dayOfMonth: 1, comment: 'the 1st, 00:00 local' }], timezone: plan.timezone };
    case 'quarterly':
      return {
        calendars: [
          { ...midnight, dayOfMonth: 1, month: ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'], comment: 'first day of the quarter, 00:00 local' },
        ],
        timezone: plan.timezone,
      };
  }
}

/** Creates or updates the schedule of every active KpiPlan; returns their ids. */
export async function ensureKpiSchedules(deps: { db: Db; temporal: Client; taskQueue: string; log: Logger }): Promise<string[]> {
  const plans = await deps.db
    .select()
    .from(definitionVersions)
    .where(and(eq(definitionVersions.kind, 'KpiPlan'), eq(definitionVersions.active, true)));
  const ids: string[] = [];
  for (const row of plans) {
    const plan = row.compiled as CompiledKpiPlan;
    const scheduleId = kpiScheduleId(plan.name);
    const spec = kpiScheduleSpec(plan);
    const action: ScheduleOptionsAction = {
      type: 'startWorkflow',
      workflowType: 'kpiScheduleWorkflow',
      workflowId: `kpi-schedule:${plan.name}`,
      taskQueue: deps.taskQueue,
      args: [{ plan: plan.name }],
    };
    const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: plan.catchupWindowMs };
    try {
      await deps.temporal.schedule.create({ scheduleId, spec, action, policies, memo: { plan: plan.name } });
      deps.log.info({ scheduleId }, `KPI schedule ${scheduleId} created`);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await deps.temporal.schedule
        .getHandle(scheduleId)
        .update((previous) => ({ ...previous, spec, action, policies: { ...previous.policies, ...policies } }));
      deps.log.debug({ scheduleId }, `KPI schedule ${scheduleId} updated`);
    }
    ids.push(scheduleId);
    await startCurrentKpiPeriod(deps, plan, row.version);
  }
  return ids;
}

/**
 * Starts the period that contains now, so a shop that starts on the 2nd of a month sees that
 * month's period at once instead of at the next boundary. Same business id as the schedule's
 * (`kpi:<plan>:<period>`, reject-duplicate), so a restart, or the schedule firing for the same
 * period, changes nothing. True when it started the period.
 */
export async function startCurrentKpiPeriod(
  deps: { temporal: Client; taskQueue: string; log: Logger },
  plan: CompiledKpiPlan,
  version: number,
  now = Date.now(),
): Promise<boolean> {
  const period = periodContaining(plan.period, plan.utcOffsetMinutes, now);
  const workflowId = kpiWorkflowId(plan.name, period.key);
  const ref: KpiPeriodRef = {
    periodId: `${plan.name}:${period.key}`,
    workflowId,
    plan,
    planVersion: version,
    periodKey: period.key,
    startsAt: period.startsAt,
    endsAt: period.endsAt,
  };
  try {
    await deps.temporal.workflow.start('kpiPeriodWorkflow', {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [{ ref }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    deps.log.info({ workflowId }, `KPI period ${ref.periodId} started`);
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}
