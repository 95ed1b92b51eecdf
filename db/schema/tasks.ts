import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Tasks: human steps handed to roles, and what happened to each. */

/**
 * A human step handed to a role (and maybe a person), written by the workflow that waits on
 * it. The workflow decides; this row is what staff see and the API filters on.
 */
export const tasks = pgTable(
  'tasks',
  {
    id: text('id').primaryKey(),
    workflowId: text('workflow_id').notNull(),
    /** The business record the task is about, e.g. the order id. */
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    stage: text('stage').notNull(),
    role: text('role').notNull(),
    assigneeId: text('assignee_id'),
    title: text('title').notNull(),
    description: text('description'),
    form: jsonb('form').$type<Record<string, unknown>>().notNull(),
    outcomes: jsonb('outcomes').$type<Array<{ name: string; title: string; form: Record<string, unknown> }>>().notNull(),
    priority: text('priority').notNull().default('normal'),
    status: text('status').notNull().default('open'),
    /** What the task is about in a line (customer, channel, amount) for lists. */
    summary: jsonb('summary').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    dueAt: timestamp('due_at', { withTimezone: true }),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    completedBy: text('completed_by'),
    outcome: text('outcome'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    escalationLevel: integer('escalation_level').notNull().default(0),
    /** Set when this task was opened by an escalation of another task. */
    parentTaskId: text('parent_task_id'),
  },
  (t) => [
    index('tasks_status_role_idx').on(t.status, t.role, t.dueAt),
    index('tasks_assignee_idx').on(t.assigneeId, t.status),
    // Task lists, newest first: a person's own tasks, and a role's queue.
    index('tasks_assignee_created_idx').on(t.assigneeId, t.createdAt, t.id),
    index('tasks_role_created_idx').on(t.role, t.createdAt, t.id),
    index('tasks_subject_idx').on(t.subjectId),
    index('tasks_created_idx').on(t.createdAt, t.id),
    // KPI tasks on time: tasks finished in a period, per role.
    index('tasks_role_completed_idx').on(t.role, t.completedAt),
    // KPI rep credit: an order's first finished task of a role and who finished it, from the index only.
    index('tasks_subject_role_done_idx')
      .on(t.subjectId, t.role, t.completedAt, t.id, t.completedBy)
      .where(sql`${t.status} = 'done'`),
  ],
);

/** Who did what to a task, when: opened, claimed, completed, escalated, reassigned, cancelled. */
export const taskEvents = pgTable(
  'task_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    taskId: text('task_id').notNull(),
    type: text('type').notNull(),
    actor: text('actor'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    dedupeKey: text('dedupe_key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('task_events_dedupe_key_uq').on(t.dedupeKey), index('task_events_task_idx').on(t.taskId, t.id)],
);
