import { and, asc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { orderEvents, products, taskEvents, tasks } from '../../db/schema';
import { recordNotification, taskAssigned } from '../../db/notifications/outbox';
import type { Principal } from '../http/auth';
import { afterCursor, pageOf } from '../http/pagination';

export type TaskRow = typeof tasks.$inferSelect;

/** Filters of `GET /tasks` (already parsed from the query string). */
export interface TaskFilter {
  status?: 'open' | 'done' | 'cancelled';
  role?: string;
  assignee?: string;
  overdue?: boolean;
  subjectId?: string;
  limit: number;
  cursor?: string;
}

/** The columns lists need: not the form, outcomes or submitted data, which can be large. */
type TaskListRow = Pick<
  TaskRow,
  | 'id'
  | 'stage'
  | 'title'
  | 'role'
  | 'assigneeId'
  | 'priority'
  | 'status'
  | 'subjectType'
  | 'subjectId'
  | 'summary'
  | 'createdAt'
  | 'dueAt'
  | 'escalationLevel'
  | 'parentTaskId'
  | 'outcome'
  | 'completedBy'
  | 'completedAt'
>;

/** A list row as `list` selects it (snake_case, times as epoch milliseconds). */
interface RawListRow {
  id: string;
  stage: string;
  title: string;
  role: string;
  assignee_id: string | null;
  priority: string;
  status: string;
  subject_type: string;
  subject_id: string;
  summary: Record<string, unknown> | null;
  created_ms: number;
  due_ms: number | null;
  escalation_level: number;
  parent_task_id: string | null;
  outcome: string | null;
  completed_by: string | null;
  completed_ms: number | null;
}

const fromRawListRow = (r: RawListRow): TaskListRow => ({
  id: r.id,
  stage: r.stage,
  title: r.title,
  role: r.role,
  assigneeId: r.assignee_id,
  priority: r.priority,
  status: r.status,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  summary: r.summary,
  createdAt: new Date(Number(r.created_ms)),
  dueAt: r.due_ms === null ? null : new Date(Number(r.due_ms)),
  escalationLevel: Number(r.escalation_level),
  parentTaskId: r.parent_task_id,
  outcome: r.outcome,
  completedBy: r.completed_by,
  completedAt: r.completed_ms === null ? null : new Date(Number(r.completed_ms)),
});

/** A task as lists show it: what, for whom, due when, how much time is left. */
export function toTaskView(row: TaskListRow, now = Date.now()) {
  return {
    id: row.id,
    stage: row.stage,
    title: row.title,
    role: row.role,
    assigneeId: row.assigneeId,
    priority: row.priority,
    status: row.status,
    subject: { type: row.subjectType, id: row.subjectId, ...(row.summary ?? {}) },
    createdAt: row.createdAt.toISOString(),
    dueAt: row.dueAt?.toISOString() ?? null,
    timeLeftSeconds: row.dueAt && row.status === 'open' ? Math.round((row.dueAt.getTime() - now) / 1000) : null,
    overdue: Boolean(row.dueAt && row.status === 'open' && row.dueAt.getTime() < now),
    escalationLevel: row.escalationLevel,
    followUpOf: row.parentTaskId,
    ...(row.status !== 'open'
      ? { outcome: row.outcome, completedBy: row.completedBy, completedAt: row.completedAt?.toISOString() ?? null }
      : {}),
  };
}

/** What a caller may see: scope `all` sees every task; scope `own` sees theirs and the unassigned queue of their roles. */
export function visibleTo(p: Principal): SQL | undefined {
  if (p.scope === 'all' || p.permissions.has('*')) return undefined;
  return or(eq(tasks.assigneeId, p.staffId), and(isNull(tasks.assigneeId), p.roles.length ? inArray(tasks.role, p.roles) : sql`false`));
}

/** Task reads and the few writes the API does itself (claim, unclaim, reassign). */
export function createTasksStore(db: Db) {
  return {
    /**
     * Which of these SKUs are not in the shop's product catalogue (active or not). A shop without
     * any product keeps no catalogue, so then every SKU is fine (none is unknown).
     */
    async unknownSkus(skus: string[]): Promise<Set<string>> {
      const wanted = [...new Set(skus)];
      if (wanted.length === 0) return new Set();
      const [any] = await db.select({ sku: products.sku }).from(products).limit(1);
      if (!any) return new Set();
      const known = new Set((await db.select({ sku: products.sku }).from(products).where(inArray(products.sku, wanted))).map((p) => p.sku));
      return new Set(wanted.filter((sku) => !known.has(sku)));
    },

    async list(p: Principal, f: TaskFilter): Promise<{ tasks: ReturnType<typeof toTaskView>[]; nextCursor: string | null }> {
      const conditions = [
        visibleTo(p),
        f.status ? eq(tasks.status, f.status) : undefined,
        f.role ? eq(tasks.role, f.role) : undefined,
        f.assignee ? eq(tasks.assigneeId, f.assignee) : undefined,
        f.subjectId ? eq(tasks.subjectId, f.subjectId) : undefined,
        f.overdue ? and(eq(tasks.status, 'open'), lt(tasks.dueAt, sql`now()`)) : undefined,
      ];
      conditions.push(afterCursor(f.cursor, tasks.createdAt, tasks.id));
      // Plain SQL, rows mapped here: the list is the API's hottest read, and Drizzle's generic
      // per-field row mapping cost more CPU than PostgreSQL spent on the query (BENCHMARKS.md).
      // Times come as epoch milliseconds, the precision the API shows and pages by.
      const result = await db.execute(sql`
        select id, stage, title, role, assignee_id, priority, status, subject_type, subject_id, summary,
          (extract(epoch from created_at) * 1000)::float8 as created_ms, (extract(epoch from due_at) * 1000)::float8 as due_ms,
          escalation_level, parent_task_id, outcome, completed_by, (extract(epoch from completed_at) * 1000)::float8 as completed_ms
        from ${tasks} where ${and(...conditions) ?? sql`true`}
        order by created_at desc, id desc limit ${f.limit + 1}`);
      const rows = (result as unknown as { rows: RawListRow[] }).rows.map(fromRawListRow);
      const { page, nextCursor } = pageOf(rows, f.limit);
      const now = Date.now();
      return { tasks: page.map((r) => toTaskView(r, now)), nextCursor };
    },

    async get(id: string): Promise<TaskRow | undefined> {
      return (await db.select().from(tasks).where(eq(tasks.id, id)))[0];
    },

    /** The order's timeline: its events and the events of its tasks, in time order. */
    async timeline(subjectId: string) {
      const [events, subjectTasks] = await Promise.all([
        db.select().from(orderEvents).where(eq(orderEvents.orderId, subjectId)).orderBy(asc(orderEvents.id)),
        db.select({ id: tasks.id, title: tasks.title, outcomes: tasks.outcomes }).from(tasks).where(eq(tasks.subjectId, subjectId)),
      ]);
      const titles = new Map(subjectTasks.map((t) => [t.id, t.title]));
      // A finished task says its outcome in the definition's words (the outcome's title), never its name.
      const outcomeTitles = new Map(subjectTasks.map((t) => [t.id, new Map((t.outcomes ?? []).map((o) => [o.name, o.title]))]));
      const taskEventRows = titles.size
        ? await db
            .select()
            .from(taskEvents)
            .where(inArray(taskEvents.taskId, [...titles.keys()]))
            .orderBy(asc(taskEvents.id))
        : [];
      return [
        ...events.map((e) => ({ at: e.at.toISOString(), type: e.type, from: e.fromStage, to: e.toStage, actor: e.actor, data: e.data })),
        ...taskEventRows.map((e) => ({
          at: e.at.toISOString(),
          type: `task_${e.type}`,
          taskId: e.taskId,
          task: titles.get(e.taskId),
          ...(e.type === 'completed' && typeof e.data?.outcome === 'string'
            ? { outcomeTitle: outcomeTitles.get(e.taskId)?.get(e.data.outcome) ?? null }
            : {}),
          actor: e.actor,
          data: e.data,
        })),
      ].sort((a, b) => a.at.localeCompare(b.at));
    },

    /** Atomic: of two people claiming at once, exactly one update matches. */
    async claim(id: string, staffId: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        const rows = await tx
          .update(tasks)
          .set({ assigneeId: staffId, claimedAt: sql`now()` })
          .where(and(eq(tasks.id, id), eq(tasks.status, 'open'), isNull(tasks.assigneeId)))
          .returning({ id: tasks.id });
        if (rows.length)
          await tx
            .insert(taskEvents)
            .values({ taskId: id, type: 'claimed', actor: staffId, dedupeKey: `${id}:claimed:${Date.now()}:${staffId}` });
        return rows.length > 0;
      });
    },

    async unclaim(id: string, actor: string, fromStaffId: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        const rows = await tx
          .update(tasks)
          .set({ assigneeId: null, claimedAt: null })
          .where(and(eq(tasks.id, id), eq(tasks.status, 'open'), eq(tasks.assigneeId, fromStaffId)))
          .returning({ id: tasks.id });
        if (rows.length)
          await tx.insert(taskEvents).values({ taskId: id, type: 'unclaimed', actor, dedupeKey: `${id}:unclaimed:${Date.now()}:${actor}` });
        return rows.length > 0;
      });
    },

    /**
     * Moves an open task to `to` (its role's queue, or a person) with a `reassigned` event of who
     * did it, from → to. The route decides `to.role` (the task keeps its role unless a lead of both
     * moves it); the escalation ladder writes its own rungs in activities/tasks/tasks.ts.
     */
    async reassign(id: string, actor: string, to: { role: string; assigneeId: string | null }): Promise<TaskRow | undefined> {
      return db.transaction(async (tx) => {
        const [before] = await tx
          .select()
          .from(tasks)
          .where(and(eq(tasks.id, id), eq(tasks.status, 'open')))
          .for('update');
        if (!before) return undefined;
        const [after] = await tx
          .update(tasks)
          .set({ role: to.role, assigneeId: to.assigneeId, claimedAt: null })
          .where(eq(tasks.id, id))
          .returning();
        const dedupeKey = `${id}:reassigned:${Date.now()}:${actor}`;
        await tx.insert(taskEvents).values({
          taskId: id,
          type: 'reassigned',
          actor,
          dedupeKey,
          data: { from: { role: before.role, assigneeId: before.assigneeId }, to: { role: after!.role, assigneeId: after!.assigneeId } },
        });
        if (after!.assigneeId && after!.assigneeId !== before.assigneeId && after!.assigneeId !== actor)
          await recordNotification(tx, null, taskAssigned(after!, after!.assigneeId, `${dedupeKey}:assigned`));
        return after;
      });
    },
  };
}

export type TasksStore = ReturnType<typeof createTasksStore>;
