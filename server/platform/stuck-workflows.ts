/**
 * Workflows that are failing anyway (a bug, not a business error): their workflow task fails
 * again and again, an activity keeps retrying, or the workflow ended Failed, Terminated or Timed
 * out while the database still shows its order, complaint or KPI period open. Business and
 * configuration errors never get here (they become fix-it tasks); this is what is left, for the
 * dashboard and `/healthz`.
 *
 * The Temporal server of CLI 1.5.1 (server 1.29.1) has no `TemporalReportedProblems` search
 * attribute (its visibility refuses the query), so the running workflows of the task queue are
 * described one by one: bounded (the newest {@link RUNNING_SCAN_LIMIT}), a few at a time, and
 * the answer is cached for {@link CACHE_MS} so dashboards and probes cost one scan at most.
 */
import type { Client } from '@temporalio/client';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { complaints, kpiPeriods, orders } from '../../db/schema';

/** One workflow that needs a developer's eyes. */
export interface StuckWorkflow {
  workflowId: string;
  runId: string;
  type: string;
  kind: 'workflow-task-failing' | 'activity-retrying' | 'ended-while-open';
  /** What is wrong, in a sentence (Vietnamese; the failure's own message when there is one). */
  reason: string;
  /** Since when (the first failed attempt, or when the workflow closed); null when unknown. */
  since: string | null;
  attempts?: number;
}

/** The stuck workflows found by the last scan. */
export interface StuckReport {
  count: number;
  workflows: StuckWorkflow[];
  checkedAt: string;
  /** Running workflows described by the scan (at most {@link RUNNING_SCAN_LIMIT}). */
  scanned: number;
  /** Set when the scan could not finish (Temporal did not answer); the list is then what it found. */
  error?: string;
}

/** Newest running workflows described per scan. */
export const RUNNING_SCAN_LIMIT = 200;
/** Closed workflows (failed, terminated, timed out) checked against the database per scan. */
const CLOSED_SCAN_LIMIT = 200;
/** Closed workflows older than this are history, not an alarm. */
const CLOSED_LOOKBACK_MS = 30 * 86_400_000;
/** Temporal flags a workflow after two consecutive workflow task failures; so does this. */
const WORKFLOW_TASK_ATTEMPTS = 2;
/** An activity retrying this often is not a passing outage any more. */
const ACTIVITY_ATTEMPTS = 10;
const CACHE_MS = 10_000;
const DESCRIBE_CONCURRENCY = 8;

type Deps = { temporal: Client; db: Db; taskQueue: string };

/** The stuck-workflow scan of one Temporal client (shared by the dashboard and `/healthz`). */
export interface StuckWorkflows {
  read(): Promise<StuckReport>;
}

const watches = new WeakMap<Client, StuckWorkflows>();

/** One cached scanner per Temporal client, so every route asking shares its scan. */
export function stuckWorkflowsOf(deps: Deps): StuckWorkflows {
  let watch = watches.get(deps.temporal);
  if (!watch) {
    watch = createStuckWorkflows(deps);
    watches.set(deps.temporal, watch);
  }
  return watch;
}

export function createStuckWorkflows(deps: Deps, cacheMs = CACHE_MS): StuckWorkflows {
  let cached: { at: number; report: Promise<StuckReport> } | undefined;
  return {
    read() {
      if (!cached || Date.now() - cached.at > cacheMs) {
        const report = scan(deps).catch((err: Error): StuckReport => ({
          count: 0,
          workflows: [],
          checkedAt: new Date().toISOString(),
          scanned: 0,
          error: err.message.split('\n')[0],
        }));
        cached = { at: Date.now(), report };
      }
      return cached.report;
    },
  };
}

async function scan(deps: Deps): Promise<StuckReport> {
  const queue = deps.taskQueue.replace(/"/g, '');
  const found: StuckWorkflow[] = [];
  const running = await collect(
    deps.temporal.workflow.list({ query: `TaskQueue="${queue}" AND ExecutionStatus="Running"`, pageSize: 100 }),
    RUNNING_SCAN_LIMIT,
  );
  let next = 0;
  const describeNext = async (): Promise<void> => {
    while (next < running.length) {
      const info = running[next++]!;
      try {
        const described = await deps.temporal.workflow.getHandle(info.workflowId, info.runId).describe();
        found.push(...problemsOf(info, described.raw));
      } catch {
        // Closed or gone since it was listed: nothing to report.
      }
    }
  };
  await Promise.all(Array.from({ length: DESCRIBE_CONCURRENCY }, describeNext));

  const closedAfter = new Date(Date.now() - CLOSED_LOOKBACK_MS).toISOString();
  const closed = await collect(
    deps.temporal.workflow.list({
      query: `TaskQueue="${queue}" AND ExecutionStatus IN ("Failed","Terminated","TimedOut") AND CloseTime > "${closedAfter}"`,
      pageSize: 100,
    }),
    CLOSED_SCAN_LIMIT,
  );
  const runningIds = new Set(running.map((r) => r.workflowId));
  found.push(
    ...(await endedWhileOpen(
      deps.db,
      closed.filter((c) => !runningIds.has(c.workflowId)),
    )),
  );
  found.sort((a, b) => (a.since ?? '').localeCompare(b.since ?? ''));
  return { count: found.length, workflows: found, checkedAt: new Date().toISOString(), scanned: running.length };
}

interface Listed {
  workflowId: string;
  runId: string;
  type: string;
  status: { name: string };
  closeTime?: Date;
}

async function collect(list: AsyncIterable<Listed>, limit: number): Promise<Listed[]> {
  const out: Listed[] = [];
  for await (const info of list) {
    out.push(info);
    if (out.length >= limit) break;
  }
  return out;
}

type Raw = {
  pendingWorkflowTask?: { attempt?: number | null; originalScheduledTime?: unknown; scheduledTime?: unknown } | null;
  pendingActivities?: Array<{
    activityType?: { name?: string | null } | null;
    attempt?: number | null;
    lastFailure?: { message?: string | null } | null;
    lastAttemptCompleteTime?: unknown;
    scheduledTime?: unknown;
  }> | null;
};

/** A failing workflow task, or activities retrying past their threshold, of one running workflow. */
function problemsOf(info: Listed, raw: Raw): StuckWorkflow[] {
  const out: StuckWorkflow[] = [];
  const task = raw.pendingWorkflowTask;
  if (task && (task.attempt ?? 1) >= WORKFLOW_TASK_ATTEMPTS) {
    out.push({
      workflowId: info.workflowId,
      runId: info.runId,
      type: info.type,
      kind: 'workflow-task-failing',
      attempts: task.attempt ?? undefined,
      reason: `Mã quy trình lỗi: bước xử lý của workflow thất bại ${task.attempt} lần liên tiếp (xem lịch sử trong Temporal Web UI)`,
      since: isoOf(task.originalScheduledTime) ?? isoOf(task.scheduledTime),
    });
  }
  for (const activity of raw.pendingActivities ?? []) {
    if ((activity.attempt ?? 1) < ACTIVITY_ATTEMPTS) continue;
    const name = activity.activityType?.name ?? 'activity';
    out.push({
      workflowId: info.workflowId,
      runId: info.runId,
      type: info.type,
      kind: 'activity-retrying',
      attempts: activity.attempt ?? undefined,
      reason: `Bước ${name} đã thử lại ${activity.attempt} lần${activity.lastFailure?.message ? `: ${activity.lastFailure.message}` : ''}`,
      since: isoOf(activity.scheduledTime) ?? isoOf(activity.lastAttemptCompleteTime),
    });
  }
  return out;
}

/** Closed workflows whose order, complaint or KPI period the database still shows open. */
async function endedWhileOpen(db: Db, closed: Listed[]): Promise<StuckWorkflow[]> {
  if (!closed.length) return [];
  const ids = [...new Set(closed.map((c) => c.workflowId))];
  const [openOrders, openComplaints, openPeriods] = await Promise.all([
    db
      .select({ workflowId: orders.workflowId })
      .from(orders)
      .where(and(inArray(orders.workflowId, ids), eq(orders.status, 'open'))),
    db
      .select({ workflowId: complaints.workflowId })
      .from(complaints)
      .where(and(inArray(complaints.workflowId, ids), eq(complaints.status, 'open'))),
    db
      .select({ workflowId: kpiPeriods.workflowId })
      .from(kpiPeriods)
      .where(and(inArray(kpiPeriods.workflowId, ids), eq(kpiPeriods.status, 'running'))),
  ]);
  const open = new Set([...openOrders, ...openComplaints, ...openPeriods].map((r) => r.workflowId));
  const seen = new Set<string>();
  const out: StuckWorkflow[] = [];
  for (const c of closed) {
    // The newest closed run of each id is listed first; a later run that is running is not "ended".
    if (!open.has(c.workflowId) || seen.has(c.workflowId)) continue;
    seen.add(c.workflowId);
    out.push({
      workflowId: c.workflowId,
      runId: c.runId,
      type: c.type,
      kind: 'ended-while-open',
      reason: `Workflow đã dừng (${STATUS_WORDS[c.status.name] ?? c.status.name}) trong khi hồ sơ vẫn đang mở`,
      since: c.closeTime ? c.closeTime.toISOString() : null,
    });
  }
  return out;
}

const STATUS_WORDS: Record<string, string> = { FAILED: 'lỗi', TERMINATED: 'bị dừng tay', TIMED_OUT: 'hết thời gian' };

function isoOf(value: unknown): string | null {
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object' && 'seconds' in value) {
    const raw = (value as { seconds: unknown }).seconds as { toNumber?: () => number } | number | string;
    const seconds = typeof raw === 'object' && raw && typeof raw.toNumber === 'function' ? raw.toNumber() : Number(raw);
    const nanos = Number((value as { nanos?: unknown }).nanos ?? 0);
    return Number.isFinite(seconds) ? new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString() : null;
  }
  return null;
}
