/**
 * KPI periods for the API: start or backfill a period workflow, revise targets through its
 * Update, and read periods, staff figures and CSV exports from the database.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { kpiPeriods, kpiTargetRevisions } from '../../db/schema';
import type { KpiPeriodRef } from '../../activities/kpi/kpi';
import type { KpiActuals, KpiTargets, StaffEvaluation, TargetRevision } from '../../definitions/kpi/model';
import { periodContaining, periodFromKey } from '../../definitions/kpi/period';
import type { CompiledKpiPlan } from '../../definitions/kpi/types';
import { kpiWorkflowId, reviseTargetUpdate } from '../../workflows/kpi/kpi';
import type { DefinitionsStore } from '../shop/definitions';
import { conflict, HttpError, notFound, unprocessable } from '../http/errors';
import { toCsvText } from '../http/csv';
import { computeActuals } from '../../db/kpi/actuals';
import { pacingOf } from '../../definitions/kpi/model';

/** How long a period's live actuals are reused (the dashboard polls every few seconds; each read is a few SQL aggregations). */
const LIVE_ACTUALS_TTL_MS = 2_000;

type PeriodRow = typeof kpiPeriods.$inferSelect;
type StoredActuals = { metrics: KpiActuals; pacing: Record<string, unknown>; elapsed: number } | null;

/** A period as the API shows it: targets vs actuals per metric, channel, staff and courier, with pacing. */
export function toPeriodView(row: PeriodRow, revisions: Array<typeof kpiTargetRevisions.$inferSelect> = []) {
  const plan = row.planSnapshot as unknown as CompiledKpiPlan;
  const targets = row.targets as KpiTargets;
  const actuals = row.actuals as StoredActuals;
  return {
    id: row.id,
    plan: row.plan,
    planVersion: row.planVersion,
    period: row.periodKey,
    workflowId: row.workflowId,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    timezone: plan.timezone,
    status: row.status,
    elapsed: actuals?.elapsed ?? 0,
    actualsAt: row.actualsAt?.toISOString() ?? null,
    metrics: plan.metrics.map((m) => {
      const actual = actuals?.metrics[m.id];
      const t = targets[m.id] ?? { target: m.target };
      return {
        id: m.id,
        title: m.title,
        type: m.type,
        owner: m.owner,
        goal: m.goal,
        weight: m.weight,
        target: t.target,
        actual: actual?.value ?? null,
        pacing: (actuals?.pacing[m.id] ?? null) as Record<string, unknown> | null,
        detail: actual?.detail ?? null,
        channels: t.channels || actual?.byChannel ? mergeKeys(t.channels, actual?.byChannel) : null,
        staff:
          t.reps || actual?.byStaff
            ? mergeKeys(
                t.reps ?? (m.type === 'revenue' ? undefined : sameTarget(t.target, actual?.byStaff)),
                actual?.byStaff,
                actual?.staffDetail,
              )
            : null,
        couriers: actual?.byCourier ?? null,
        campaigns: actual?.byCampaign ?? null,
        segments: actual?.bySegment ?? null,
        unallocated: t.unallocated ?? null,
      };
    }),
    alertsFired: row.firedAlerts,
    evaluation: (row.evaluation as { staff: StaffEvaluation[]; evaluatedAt: string } | null) ?? null,
    revisions: revisions.map((r) => ({
      metric: r.metric,
      scope: r.scope,
      oldValue: r.oldValue,
      newValue: r.newValue,
      actor: r.actor,
      reason: r.reason,
      at: r.at.toISOString(),
    })),
  };
}
export type PeriodView = ReturnType<typeof toPeriodView>;

/**
 * Who reads a period: `ownStaffId` set means a caller of scope `own`, who sees the shop's totals
 * (metrics, channels, couriers, segments) and their own row only, never other reps' figures.
 */
export interface KpiViewer {
  ownStaffId?: string;
}

/** The period as `viewer` may see it: other staff members' rows, evaluations and rep target revisions left out. */
export function periodViewFor(view: PeriodView, viewer: KpiViewer = {}): PeriodView {
  const me = viewer.ownStaffId;
  if (me === undefined) return view;
  return {
    ...view,
    metrics: view.metrics.map((m) => ({
      ...m,
      staff: m.staff && (Object.hasOwn(m.staff, me) ? { [me]: m.staff[me]! } : {}),
    })),
    evaluation: view.evaluation && { ...view.evaluation, staff: view.evaluation.staff.filter((s) => s.staffId === me) },
    revisions: view.revisions.filter((r) => !r.scope.startsWith('rep:') || r.scope === `rep:${me}`),
  };
}

type SplitEntry = { target: number | null; actual: number | null; detail?: Record<string, number> };
function mergeKeys(
  targets: Record<string, number> | undefined,
  actuals: Record<string, number> | undefined,
  details?: Record<string, Record<string, number>>,
): Record<string, SplitEntry> {
  const keys = [...new Set([...Object.keys(targets ?? {}), ...Object.keys(actuals ?? {})])].sort();
  return Object.fromEntries(
    keys.map((k) => [k, { target: targets?.[k] ?? null, actual: actuals?.[k] ?? null, ...(details?.[k] && { detail: details[k] }) }]),
  );
}

/** Rates measured per staff member (close rate, tasks on time, orders per packer-day) are held to the metric's own target. */
function sameTarget(target: number, byStaff: Record<string, number> | undefined): Record<string, number> | undefined {
  return byStaff && Object.fromEntries(Object.keys(byStaff).map((k) => [k, target]));
}

export function createKpiService(deps: { db: Db; temporal: Client; taskQueue: string; definitions: DefinitionsStore }) {
  const { db } = deps;

  async function activePlan(name?: string): Promise<{ version: number; plan: CompiledKpiPlan }> {
    const found = name
      ? await deps.definitions
          .active(name)
          .then((r) => (r?.kind === 'KpiPlan' ? { version: r.version, compiled: r.compiled as CompiledKpiPlan } : undefined))
      : await deps.definitions.activeOfKind<CompiledKpiPlan>('KpiPlan');
    if (!found)
      throw new HttpError(
        409,
        'no_active_plan',
        name ? `no active KpiPlan named "${name}"` : 'no KpiPlan is active: add definitions/processes/kpi.yaml',
      );
    return { version: found.version, plan: found.compiled };
  }

  async function period(id: string): Promise<PeriodRow> {
    const [row] = await db.select().from(kpiPeriods).where(eq(kpiPeriods.id, id));
    if (!row) throw notFound(`no KPI period "${id}"`);
    return row;
  }

  const live = new Map<string, { at: number; actuals: NonNullable<StoredActuals>; upTo: number }>();
  /**
   * A running period with its actuals as of now, by the same SQL the period workflow runs on its
   * cadence: the dashboard's KPI block agrees with its "today" figures the moment an order is
   * delivered, not at the next recompute. A closed period keeps what it closed with.
   */
  async function withLiveActuals(row: PeriodRow): Promise<PeriodRow> {
    if (row.status === 'closed') return row;
    const cached = live.get(row.id);
    const now = Date.now();
    if (cached && now - cached.at < LIVE_ACTUALS_TTL_MS) return { ...row, actuals: cached.actuals, actualsAt: new Date(cached.upTo) };
    const plan = row.planSnapshot as unknown as CompiledKpiPlan;
    const startsAt = row.startsAt.getTime();
    const endsAt = row.endsAt.getTime();
    const upTo = Math.min(now, endsAt);
    const elapsed = Math.min(1, Math.max(0, (upTo - startsAt) / (endsAt - startsAt)));
    const metrics = await computeActuals(db, plan, startsAt, upTo);
    const actuals = { metrics, pacing: pacingOf(plan, row.targets as KpiTargets, metrics, elapsed) as Record<string, unknown>, elapsed };
    if (live.size > 50) live.clear();
    live.set(row.id, { at: now, actuals, upTo });
    return { ...row, actuals, actualsAt: new Date(upTo) };
  }

  return {
    async list(plan?: string, viewer?: KpiViewer) {
      const rows = await db
        .select()
        .from(kpiPeriods)
        .where(plan ? eq(kpiPeriods.plan, plan) : undefined)
        .orderBy(desc(kpiPeriods.startsAt))
        .limit(100);
      return rows.map((r) => periodViewFor(toPeriodView(r), viewer));
    },

    async get(id: string, viewer?: KpiViewer): Promise<PeriodView> {
      const row = await withLiveActuals(await period(id));
      const revisions = await db
        .select()
        .from(kpiTargetRevisions)
        .where(eq(kpiTargetRevisions.periodId, id))
        .orderBy(asc(kpiTargetRevisions.id));
      return periodViewFor(toPeriodView(row, revisions), viewer);
    },

    /** The period of the active plan that contains now. */
    async current(viewer?: KpiViewer): Promise<PeriodView> {
      const { plan } = await activePlan();
      const now = periodContaining(plan.period, plan.utcOffsetMinutes, Date.now());
      return this.get(`${plan.name}:${now.key}`, viewer);
    },

    /** Starts `kpi:<plan>:<period>` (the current period by default; a past one is a backfill and closes at once). */
    async start(input: { plan?: string; period?: string }): Promise<{ id: string; workflowId: string; created: boolean }> {
      const { version, plan } = await activePlan(input.plan);
      const p = input.period
        ? periodFromKey(plan.period, plan.utcOffsetMinutes, input.period)
        : periodContaining(plan.period, plan.utcOffsetMinutes, Date.now());
      if (!p)
        throw unprocessable(`"${input.period}" is not a ${plan.period.unit} period key`, {
          fields: [{ field: 'period', message: 'e.g. 2026-01 (monthly), 2026-W03 (weekly), 2026-Q1 (quarterly)' }],
        });
      if (p.startsAt > Date.now())
        throw unprocessable(`period ${p.key} has not started yet`, { fields: [{ field: 'period', message: 'must have started' }] });
      const workflowId = kpiWorkflowId(plan.name, p.key);
      const ref: KpiPeriodRef = {
        periodId: `${plan.name}:${p.key}`,
        workflowId,
        plan,
        planVersion: version,
        periodKey: p.key,
        startsAt: p.startsAt,
        endsAt: p.endsAt,
      };
      try {
        await deps.temporal.workflow.start('kpiPeriodWorkflow', {
          workflowId,
          taskQueue: deps.taskQueue,
          args: [{ ref }],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
        return { id: ref.periodId, workflowId, created: true };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return { id: ref.periodId, workflowId, created: false };
        throw err;
      }
    },

    async reviseTarget(id: string, revision: TargetRevision): Promise<KpiTargets> {
      const row = await period(id);
      if (row.status === 'closed') throw conflict(`period ${id} is closed; its targets can no longer change`);
      try {
        return await deps.temporal.workflow.getHandle(row.workflowId).executeUpdate(reviseTargetUpdate, { args: [revision] });
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw conflict(`period ${id} is not running`);
        if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
          if (/closed/.test(err.cause.message)) throw conflict(err.cause.message);
          throw unprocessable(err.cause.message, { fields: [{ field: 'metric', message: err.cause.message }] });
        }
        throw err;
      }
    },

    /** One staff member's figures in the newest periods (evaluation once closed, live figures before). */
    async staffFigures(staffId: string) {
      const rows = await db.select().from(kpiPeriods).orderBy(desc(kpiPeriods.startsAt)).limit(12);
      return rows.map((row) => {
        const view = toPeriodView(row);
        const evaluation = view.evaluation?.staff.find((s) => s.staffId === staffId) ?? null;
        const metrics = view.metrics
          .filter((m) => m.staff && staffId in m.staff)
          .map((m) => {
            const mine = m.staff![staffId]!;
            return {
              metric: m.id,
              title: m.title,
              type: m.type,
              target: mine.target,
              actual: mine.actual,
              ...(mine.detail && { detail: mine.detail }),
            };
          });
        return { period: view.id, status: view.status, startsAt: view.startsAt, endsAt: view.endsAt, metrics, evaluation };
      });
    },

    /** The period as CSV: one line per figure (metric, breakdown, key, target, actual), then the evaluation. */
    async csv(id: string, viewer?: KpiViewer): Promise<string> {
      const view = await this.get(id, viewer);
      const lines = [['section', 'metric', 'breakdown', 'key', 'target', 'actual', 'score', 'grade']];
      for (const m of view.metrics) {
        lines.push(['metric', m.id, 'total', '', String(m.target), m.actual === null ? '' : String(m.actual), '', '']);
        for (const [k, v] of Object.entries(m.channels ?? {}))
          lines.push([
            'metric',
            m.id,
            'channel',
            k,
            v.target === null ? '' : String(v.target),
            v.actual === null ? '' : String(v.actual),
            '',
            '',
          ]);
        for (const [k, v] of Object.entries(m.staff ?? {}))
          lines.push([
            'metric',
            m.id,
            'staff',
            k,
            v.target === null ? '' : String(v.target),
            v.actual === null ? '' : String(v.actual),
            '',
            '',
          ]);
        for (const [k, v] of Object.entries(m.couriers ?? {}))
          lines.push(['metric', m.id, 'courier', k, String(m.target), v.value === null ? '' : String(v.value), '', '']);
        for (const [k, v] of Object.entries(m.segments ?? {}))
          lines.push(['metric', m.id, 'segment', k, String(m.target), v.value === null ? '' : String(v.value), '', '']);
      }
      for (const s of view.evaluation?.staff ?? [])
        lines.push(['evaluation', '', 'staff', s.staffId, '', '', s.score === null ? '' : String(s.score), s.grade ?? '']);
      // target, actual and score are figures: written as numbers (a negative one stays -5), the rest as neutralised text.
      return toCsvText(
        lines.map((l, row) =>
          l.map((cell, i) => (row > 0 && i >= 4 && i <= 6 && cell !== '' && Number.isFinite(Number(cell)) ? Number(cell) : cell)),
        ),
        { bom: false },
      );
    },
  };
}

export type KpiService = ReturnType<typeof createKpiService>;
