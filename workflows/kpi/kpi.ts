import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { KpiPeriodRef } from '../../activities/kpi/kpi';
import type { KpiTargets, TargetRevision } from '../../definitions/kpi/model';
import type { CompiledWorkingHours } from '../../definitions/rules/business-time';
import { periodContaining } from '../../definitions/kpi/period';
import { hasOwnEntry, isPrototypeName, ownEntry } from '../../definitions/rules/own';
import { fixItLadder, fixItStage, guardedActivities, onActivityFailure, stepTitle } from '../tasks/fix-it';
import { TaskBoard } from '../tasks/tasks';

/** Input of `kpi:<plan>:<period>`: the period and the plan snapshot it runs; `carried` after continue-as-new. */
export interface KpiPeriodInput {
  ref: KpiPeriodRef;
  carried?: { targets: KpiTargets; fired: string[]; revisions: number; lastRecomputedAt?: string | null };
}

/** Answer of the `kpiStatus` query. */
export interface KpiPeriodStatus {
  periodId: string;
  status: 'running' | 'closed';
  targets: KpiTargets;
  firedAlerts: string[];
  revisions: number;
  lastRecomputedAt: string | null;
}

export const kpiStatusQuery = defineQuery<KpiPeriodStatus>('kpiStatus');
/** A manager revises a target mid-period; answers the targets after the revision. */
export const reviseTargetUpdate = defineUpdate<KpiTargets, [TargetRevision]>('reviseTarget');

const kpiActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
} as const;
// Guarded: a step that fails for good becomes a fix-it task for the manager instead of failing the period.
const { openKpiPeriod, recomputeKpiActuals, fireKpiAlert, closeKpiPeriod } = guardedActivities<Activities>(kpiActivityOptions);
// A revision's failure is the revising manager's answer (the Update is refused); the schedule's hop
// has no one to ask and retries until the plan can be read.
const { recordKpiTargetRevision, activeKpiPlan, fixItContext } = proxyActivities<Activities>(kpiActivityOptions);

/** Fix-it tasks of a period run on the calendar clock: a KPI plan has no working hours of its own. */
const ALWAYS_OPEN: CompiledWorkingHours = {
  timezone: 'UTC',
  utcOffsetMinutes: 0,
  daysOff: [],
  weekly: { sun: [], mon: [], tue: [], wed: [], thu: [], fri: [], sat: [] },
};

/** Histories stay small: a month recomputed hourly would otherwise grow for weeks. */
const MAX_HISTORY_EVENTS = 2_000;
/** For plans compiled before `continueAsNewAfter` existed. */
const DEFAULT_CONTINUE_AS_NEW_AFTER = 200;

/**
 * One KPI period: snapshot the targets, recompute actuals on the plan's cadence, alert once per
 * pacing rule, accept target revisions from managers, and close with the evaluation at period end.
 */
export async function kpiPeriodWorkflow(input: KpiPeriodInput): Promise<KpiPeriodStatus> {
  const { ref } = input;
  const { workflowId } = workflowInfo();
  const status: KpiPeriodStatus = {
    periodId: ref.periodId,
    status: 'running',
    targets: input.carried?.targets ?? {},
    firedAlerts: [...(input.carried?.fired ?? [])],
    revisions: input.carried?.revisions ?? 0,
    lastRecomputedAt: input.carried?.lastRecomputedAt ?? null,
  };
  setHandler(kpiStatusQuery, () => status);
  const board = new TaskBoard(
    { type: 'kpi', id: ref.periodId, summary: { plan: ref.plan.title ?? ref.plan.name, period: ref.periodKey } },
    ALWAYS_OPEN,
  );
  onActivityFailure(async (problem, attempt) => {
    const context = await fixItContext({ subject: 'kpi' });
    const decision = await board.humanTask(
      fixItStage({
        stage: 'kpi-period',
        role: context.role,
        problem,
        attempt,
        doing: `${stepTitle(problem.activity)} (${ref.periodId})`,
        escalate: fixItLadder(context.managers),
        clock: 'calendar',
      }),
    );
    return decision?.outcome === 'retry' ? 'retry' : 'skip';
  });

  let revising = false;
  // A revision that arrives before the targets are snapshotted waits for them.
  let opened = input.carried !== undefined;
  setHandler(
    reviseTargetUpdate,
    async (revision) => {
      await condition(() => opened && !revising);
      revising = true;
      try {
        status.revisions += 1;
        status.targets = await recordKpiTargetRevision({
          periodId: ref.periodId,
          revision,
          targets: status.targets,
          dedupeKey: `${workflowId}:revision:${status.revisions}`,
        });
        return status.targets;
      } finally {
        revising = false;
      }
    },
    {
      validator: (revision) => {
        const metric = ref.plan.metrics.find((m) => m.id === revision.metric);
        const reject = (message: string) => {
          throw ApplicationFailure.create({ type: 'InvalidRevision', message, nonRetryable: true });
        };
        if (status.status === 'closed') reject(`period ${ref.periodId} is closed; its targets can no longer change`);
        if (!metric) reject(`unknown metric "${revision.metric}"; metrics: ${ref.plan.metrics.map((m) => m.id).join(', ')}`);
        if (!Number.isFinite(revision.value) || revision.value < 0) reject('value must be a number ≥ 0');
        if (!revision.actor || !revision.reason?.trim()) reject('a revision needs who (actor) and why (reason)');
        if (revision.scope !== 'total') {
          if (metric!.type !== 'revenue')
            reject(`only revenue targets are split to channels and reps; use scope "total" for ${metric!.id}`);
          if (!/^(channel|rep):.+$/.test(revision.scope)) reject('scope is total, channel:<id> or rep:<staffId>');
          const channel = revision.scope.startsWith('channel:') ? revision.scope.slice(8) : undefined;
          if (channel !== undefined && !hasOwnEntry(ownEntry(status.targets, metric!.id)?.channels, channel))
            reject(`channel "${channel}" has no allocation in this plan`);
          if (revision.scope.startsWith('rep:') && isPrototypeName(revision.scope.slice(4)))
            reject(`"${revision.scope.slice(4)}" is not a staff id`);
        }
      },
    },
  );

  if (!input.carried) status.targets = (await openKpiPeriod(ref)) ?? {};
  opened = true;

  // A run recomputes up to `continueAsNewAfter` times, then hands its state to a fresh run.
  const continueAfter = ref.plan.continueAsNewAfter ?? DEFAULT_CONTINUE_AS_NEW_AFTER;
  let recomputes = 0;
  while (Date.now() < ref.endsAt) {
    const asOf = Date.now();
    const { breaches } = (await recomputeKpiActuals({ ref, targets: status.targets, asOf })) ?? { breaches: [] };
    recomputes += 1;
    status.lastRecomputedAt = new Date(asOf).toISOString();
    for (const breach of breaches) {
      if (status.firedAlerts.includes(breach.rule)) continue;
      status.firedAlerts.push(breach.rule);
      await fireKpiAlert({ periodId: ref.periodId, breach });
    }
    await sleep(Math.max(1, Math.min(ref.plan.recomputeEveryMs, ref.endsAt - Date.now())));
    const historyFull = workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY_EVENTS;
    if (Date.now() < ref.endsAt && (recomputes >= continueAfter || historyFull)) {
      await condition(() => !revising && allHandlersFinished());
      await continueAsNew<typeof kpiPeriodWorkflow>({
        ref,
        carried: {
          targets: status.targets,
          fired: status.firedAlerts,
          revisions: status.revisions,
          lastRecomputedAt: status.lastRecomputedAt,
        },
      });
    }
  }
  await condition(() => !revising);
  status.status = 'closed';
  await closeKpiPeriod({ ref, targets: status.targets });
  await condition(allHandlersFinished);
  return status;
}

/** The workflow id of a period: business-derived, so starting it twice is refused, not duplicated. */
export const kpiWorkflowId = (plan: string, periodKey: string) => `kpi:${plan}:${periodKey}`;

/**
 * Started by the plan's Temporal Schedule at each period start (and for missed starts within the
 * catch-up window): starts `kpi:<plan>:<period>` for the period of the scheduled time on the
 * plan's active version. Schedules add a timestamp to their workflow ids, hence this hop to the
 * business id; a period already started is left alone.
 */
export async function kpiScheduleWorkflow(input: { plan: string }): Promise<string> {
  const info = workflowInfo();
  const scheduled = info.searchAttributes?.TemporalScheduledStartTime?.[0] as Date | string | undefined;
  const at = scheduled ? new Date(scheduled).getTime() : Date.now();
  const active = await activeKpiPlan({ name: input.plan });
  if (!active) return `no active KpiPlan "${input.plan}"`;
  const period = periodContaining(active.plan.period, active.plan.utcOffsetMinutes, at);
  const workflowId = kpiWorkflowId(input.plan, period.key);
  const ref: KpiPeriodRef = {
    periodId: `${input.plan}:${period.key}`,
    workflowId,
    plan: active.plan,
    planVersion: active.version,
    periodKey: period.key,
    startsAt: period.startsAt,
    endsAt: period.endsAt,
  };
  try {
    await startChild(kpiPeriodWorkflow, {
      workflowId,
      args: [{ ref }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
    return workflowId;
  } catch (err) {
    if ((err as Error).name === 'WorkflowExecutionAlreadyStartedError') return `${workflowId} already started`;
    throw err;
  }
}
