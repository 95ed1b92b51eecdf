import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { activeShop } from '../../db/active-shop';
import { staff, taskEvents, tasks } from '../../db/schema';
import type { FormSchema, Priority } from '../../definitions/types';
import type { Logger } from 'pino';
import { pickAssignee } from './assignment';
import { recordNotification, subjectWord, taskAssigned } from '../../db/notifications/outbox';
import { hasOwnEntry, ownEntry } from '../../definitions/rules/own';
import { createCustomerMessages } from '../orders/customer-messages';
import { workingRole } from '../../definitions/shop/handled-by';

/** Everything the task row needs; ids and times come from the workflow, so retries write the same row. */
export interface OpenTaskInput {
  taskId: string;
  workflowId: string;
  subject: { type: string; id: string; summary: Record<string, unknown>; channel?: string; customerPhone?: string };
  stage: string;
  role: string;
  title: string;
  description: string | null;
  form: FormSchema;
  /** In the definition's order: the forward outcome first; each with the form its data must satisfy. */
  outcomes: Array<{ name: string; title: string; form: FormSchema }>;
  priority: Priority;
  openedAt: string;
  dueAt: string | null;
  parentTaskId: string | null;
}

export interface EscalateTaskInput {
  /** null for a stage without a task (a courier stage's late delivery). */
  taskId: string | null;
  subject: { type: string; id: string };
  stage: string;
  title: string;
  level: number;
  step: { notify: string[]; reassign?: string; priority?: Priority; afterMs: number };
  dedupeKey: string;
}

/** How long task activities trust the active shop they read (a newly activated shop applies within this). */
const SHOP_TTL_MS = 2_000;

export function createTaskActivities(deps: { db: Db; log: Logger }) {
  const { db, log } = deps;
  // The stage's own task opening (the confirm step runs) sends the messages the order's process declares for it.
  const customerMessages = createCustomerMessages(deps);

  /**
   * The active shop: auto-assignment rules, and telling roles from people. Read at most every
   * 2 s (like the API's shop cache): every task opened or escalated needs it, and reading it
   * was a database round-trip and ~1 ms of CPU before each task transaction.
   */
  let shopCache: { shop: Awaited<ReturnType<typeof activeShop>>; at: number } | undefined;
  const shopNow = async () => {
    if (shopCache && Date.now() - shopCache.at < SHOP_TTL_MS) return shopCache.shop;
    const shop = await activeShop(db);
    shopCache = { shop, at: Date.now() };
    return shop;
  };

  return {
    /** Writes the task row and its `opened` event, auto-assigning if the role says so. Idempotent. */
    async openTask(requested: OpenTaskInput): Promise<{ assigneeId: string | null }> {
      const shop = await shopNow();
      // A role another one handles (shop.yaml handledBy: cskh → sales) opens its task in that role's queue.
      const input = { ...requested, role: workingRole(shop, requested.role) };
      const role = ownEntry(shop?.roles, input.role);
      // A task for the role's queue (no auto-assignment, nobody to tell): one statement, one round
      // trip. The row and its `opened` event are written once; a retry reads who holds it.
      const opened = !role?.autoAssign
        ? { assigneeId: (await writeOpenedTask(db, input, null)).assigneeId }
        : await db.transaction(async (tx) => {
            const [existing] = await tx.select({ assigneeId: tasks.assigneeId }).from(tasks).where(eq(tasks.id, input.taskId));
            if (existing) return existing;
            const assigneeId = await pickAssignee(tx, role, {
              roleId: input.role,
              channel: input.subject.channel,
              customerPhone: input.subject.customerPhone,
            });
            const written = await writeOpenedTask(tx, input, assigneeId);
            if (!written.created) return { assigneeId: written.assigneeId };
            if (assigneeId)
              await recordNotification(
                tx,
                log,
                taskAssigned(
                  {
                    id: input.taskId,
                    title: input.title,
                    subjectType: input.subject.type,
                    subjectId: input.subject.id,
                    priority: input.priority,
                  },
                  assigneeId,
                  `${input.taskId}:assigned`,
                ),
              );
            return { assigneeId };
          });
      await customerMessages.taskOpened(input);
      return opened;
    },

    /** Marks the task done with who, which outcome and what data. Idempotent. */
    async recordTaskCompleted(input: { taskId: string; outcome: string; data: Record<string, unknown>; actor: string }): Promise<void> {
      // One statement (atomic, one round trip): the task done, and its `completed` event once.
      await db.execute(sql`with done as (
          update ${tasks} set status = 'done', outcome = ${input.outcome}, data = ${JSON.stringify(input.data)}::jsonb,
            completed_by = ${input.actor}, completed_at = now()
          where id = ${input.taskId} and status = 'open'
        )
        insert into ${taskEvents} (task_id, type, actor, dedupe_key, data)
        values (${input.taskId}, 'completed', ${input.actor}, ${`${input.taskId}:completed`}, ${JSON.stringify({ outcome: input.outcome })}::jsonb)
        on conflict do nothing`);
    },

    /**
     * One escalation rung: reassign (to a role, or to a person by staff id), raise priority,
     * record the escalation, and notify the rung's roles plus whoever now holds the task.
     * Returns the task's role/assignee/priority after the rung.
     */
    async escalateTask(input: EscalateTaskInput): Promise<{ role: string | null; assigneeId: string | null; priority: Priority | null }> {
      const shop = await shopNow();
      return db.transaction(async (tx) => {
        let after: { role: string | null; assigneeId: string | null; priority: Priority | null } = {
          role: null,
          assigneeId: null,
          priority: null,
        };
        if (input.taskId) {
          const [task] = await tx.select().from(tasks).where(eq(tasks.id, input.taskId));
          if (!task) throw new Error(`task ${input.taskId} does not exist`);
          after = { role: task.role, assigneeId: task.assigneeId, priority: task.priority as Priority };
          const firstTime =
            (
              await tx
                .insert(taskEvents)
                .values({
                  taskId: input.taskId,
                  type: 'escalated',
                  actor: 'system',
                  dedupeKey: input.dedupeKey,
                  data: {
                    level: input.level,
                    afterMs: input.step.afterMs,
                    notify: input.step.notify,
                    reassign: input.step.reassign ?? null,
                    priority: input.step.priority ?? null,
                  },
                })
                .onConflictDoNothing()
                .returning({ id: taskEvents.id })
            ).length > 0;
          if (firstTime && task.status === 'open') {
            const target = input.step.reassign && workingRole(shop, input.step.reassign);
            if (target) {
              if (hasOwnEntry(shop?.roles, target)) {
                after.role = target;
                after.assigneeId = await pickAssignee(tx, ownEntry(shop?.roles, target), {
                  roleId: target,
                  channel: (task.summary as { channel?: string } | null)?.channel,
                });
              } else {
                const [person] = await tx
                  .select({ id: staff.id, roles: staff.roles })
                  .from(staff)
                  .where(and(eq(staff.id, target), eq(staff.active, true)));
                if (person) after.assigneeId = person.id;
                else
                  log.warn(
                    { taskId: task.id, target },
                    'escalation reassigns to an unknown or inactive person; the task stays where it is',
                  );
              }
              await tx
                .insert(taskEvents)
                .values({
                  taskId: task.id,
                  type: 'reassigned',
                  actor: 'system',
                  dedupeKey: `${input.dedupeKey}:reassign`,
                  data: {
                    from: { role: task.role, assigneeId: task.assigneeId },
                    to: { role: after.role, assigneeId: after.assigneeId },
                    reason: `escalation level ${input.level}`,
                  },
                })
                .onConflictDoNothing();
            }
            if (input.step.priority) after.priority = input.step.priority;
            await tx
              .update(tasks)
              .set({ role: after.role!, assigneeId: after.assigneeId, priority: after.priority!, escalationLevel: input.level })
              .where(eq(tasks.id, task.id));
          }
        }
        const late = `${input.taskId ? 'Việc' : 'Bước'} “${input.title}” của ${subjectWord(input.subject.type)} ${input.subject.id}`;
        const roles = [
          ...new Set([
            ...input.step.notify,
            ...(input.step.reassign && hasOwnEntry(shop?.roles, input.step.reassign) ? [input.step.reassign] : []),
          ]),
        ];
        if (roles.length || after.assigneeId) {
          await recordNotification(tx, log, {
            roles,
            staffIds: after.assigneeId ? [after.assigneeId] : [],
            message: `${late} đã trễ hạn (leo thang mức ${input.level})`,
            subject: input.subject,
            taskId: input.taskId,
            // Read (and maybe set) above, in this transaction.
            taskAssigneeId: input.taskId ? after.assigneeId : undefined,
            data: { level: input.level, stage: input.stage },
            dedupeKey: `${input.dedupeKey}:notify`,
            kind: 'escalation',
            priority: input.level >= 2 || input.step.priority === 'urgent' || input.step.priority === 'high' ? 'urgent' : 'normal',
          });
        }
        return after;
      });
    },

    /** Closes the tasks still open when a process ends (follow-ups nobody finished). */
    async cancelOpenTasks(input: { workflowId: string; reason: string }): Promise<number> {
      // One statement (atomic, one round trip; at every order's end, where there is usually nothing to cancel).
      const result = await db.execute(sql`with cancelled as (
          update ${tasks} set status = 'cancelled', completed_at = now()
          where workflow_id = ${input.workflowId} and status = 'open'
          returning id
        ), event as (
          insert into ${taskEvents} (task_id, type, actor, dedupe_key, data)
          select id, 'cancelled', 'system', id || ':cancelled', ${JSON.stringify({ reason: input.reason })}::jsonb from cancelled
          on conflict do nothing
        )
        select count(*)::int as n from cancelled`);
      return (result as unknown as { rows: Array<{ n: number }> }).rows[0]?.n ?? 0;
    },
  };
}

/**
 * Writes a task row and its `opened` event in one statement (one round trip), assigned to
 * `assigneeId` (null: the role's queue). Written once: when the row exists already (a retried
 * activity), nothing is written and the answer is who holds it now, with `created: false`.
 */
async function writeOpenedTask(
  db: Pick<Db, 'execute'>,
  input: OpenTaskInput,
  assigneeId: string | null,
): Promise<{ created: boolean; assigneeId: string | null }> {
  const event = {
    role: input.role,
    assigneeId,
    dueAt: input.dueAt,
    priority: input.priority,
    ...(input.parentTaskId ? { followUpOf: input.parentTaskId } : {}),
  };
  const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;
  // The outer select sees the table as it was before the statement: a row it finds is an older one.
  const result = await db.execute(sql`with opened as (
      insert into ${tasks} (id, workflow_id, subject_type, subject_id, stage, role, assignee_id, title, description, form, outcomes,
        priority, status, summary, created_at, due_at, parent_task_id)
      values (${input.taskId}, ${input.workflowId}, ${input.subject.type}, ${input.subject.id}, ${input.stage}, ${input.role}, ${assigneeId},
        ${input.title}, ${input.description}, ${json(input.form)}, ${json(input.outcomes)}, ${input.priority}, 'open',
        ${json(input.subject.summary)}, ${input.openedAt}::timestamptz, ${input.dueAt}::timestamptz, ${input.parentTaskId})
      on conflict (id) do nothing
      returning id, assignee_id
    ), event as (
      insert into ${taskEvents} (task_id, type, actor, dedupe_key, data)
      select id, 'opened', 'system', ${`${input.taskId}:opened`}, ${json(event)} from opened
      on conflict do nothing
    )
    select true as created, assignee_id from opened
    union all
    select false, assignee_id from ${tasks} where id = ${input.taskId}`);
  const [row] = (result as unknown as { rows: Array<{ created: boolean; assignee_id: string | null }> }).rows;
  return { created: Boolean(row?.created), assigneeId: row?.assignee_id ?? null };
}
