import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Complaints and their timeline. */

/**
 * A complaint (khiếu nại): the read model of the workflow `complaint:<id>`. KPI queries read
 * `opened_at`, `resolved_at`, `due_at`, `status` and `resolved_within_sla`.
 */
export const complaints = pgTable(
  'complaints',
  {
    id: text('id').primaryKey(),
    workflowId: text('workflow_id').notNull(),
    customerId: text('customer_id').notNull(),
    orderId: text('order_id'),
    category: text('category').notNull(),
    description: text('description').notNull(),
    /** `open` until the CSKH decision, then `resolved` or `rejected`. */
    status: text('status').notNull().default('open'),
    /** The outcome chosen (refund, resend, exchange, courier-claim, reject…). */
    outcome: text('outcome'),
    /** What CSKH entered with the outcome, and what the follow-up task recorded. */
    resolution: jsonb('resolution').$type<Record<string, unknown>>(),
    openedBy: text('opened_by'),
    resolvedBy: text('resolved_by'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /** resolved_at ≤ due_at; null while open. */
    resolvedWithinSla: boolean('resolved_within_sla'),
    /** The outcome's follow-up task (warehouse, accounting, logistics) and when it was done. */
    followUpTaskId: text('follow_up_task_id'),
    followUpDoneAt: timestamp('follow_up_done_at', { withTimezone: true }),
    /** When nothing is left to do (decision taken and follow-up done). */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    definitionName: text('definition_name').notNull(),
    definitionVersion: integer('definition_version').notNull(),
  },
  (t) => [
    index('complaints_opened_idx').on(t.openedAt, t.id),
    index('complaints_customer_idx').on(t.customerId, t.openedAt),
    index('complaints_status_idx').on(t.status, t.openedAt),
    index('complaints_resolved_idx').on(t.resolvedAt),
    index('complaints_order_idx').on(t.orderId),
  ],
);

/** What happened to a complaint (opened, resolved, follow-up done, closed): its timeline. */
export const complaintEvents = pgTable(
  'complaint_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    complaintId: text('complaint_id').notNull(),
    type: text('type').notNull(),
    actor: text('actor'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    dedupeKey: text('dedupe_key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('complaint_events_dedupe_key_uq').on(t.dedupeKey), index('complaint_events_complaint_idx').on(t.complaintId, t.id)],
);
