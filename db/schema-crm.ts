import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Every change of a customer's segment (up or down) with why: the order that triggered it, a
 * staff edit (wholesale flag, tags) or a merge. Written once per cause (`dedupeKey`).
 */
export const segmentChanges = pgTable('segment_changes', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  customerId: text('customer_id').notNull(),
  fromSegment: text('from_segment'),
  toSegment: text('to_segment').notNull(),
  reason: text('reason').notNull(),
  orderId: text('order_id'),
  /** The metrics the rules saw (delivered orders, value in 12 months, return rate, flags). */
  metrics: jsonb('metrics').$type<Record<string, unknown>>(),
  actor: text('actor'),
  dedupeKey: text('dedupe_key').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('segment_changes_dedupe_key_uq').on(t.dedupeKey), index('segment_changes_customer_idx').on(t.customerId, t.at)]);

/**
 * A complaint (khiếu nại): the read model of the workflow `complaint:<id>`. KPI queries read
 * `opened_at`, `resolved_at`, `due_at`, `status` and `resolved_within_sla`.
 */
export const complaints = pgTable('complaints', {
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
}, (t) => [
  index('complaints_opened_idx').on(t.openedAt, t.id),
  index('complaints_customer_idx').on(t.customerId, t.openedAt),
  index('complaints_status_idx').on(t.status, t.openedAt),
  index('complaints_resolved_idx').on(t.resolvedAt),
  index('complaints_order_idx').on(t.orderId),
]);

/** What happened to a complaint (opened, resolved, follow-up done, closed): its timeline. */
export const complaintEvents = pgTable('complaint_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  complaintId: text('complaint_id').notNull(),
  type: text('type').notNull(),
  actor: text('actor'),
  data: jsonb('data').$type<Record<string, unknown>>(),
  dedupeKey: text('dedupe_key').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('complaint_events_dedupe_key_uq').on(t.dedupeKey), index('complaint_events_complaint_idx').on(t.complaintId, t.id)]);

/**
 * Each time staff contacted a customer: a finished care task of an order (stage `care…`) or the
 * CSKH task of a complaint. KPI "VIP/loyal customers contacted in the period" reads this table.
 */
export const customerContacts = pgTable('customer_contacts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  customerId: text('customer_id').notNull(),
  /** `care` (an order's care stage) or `complaint`. */
  kind: text('kind').notNull(),
  taskId: text('task_id').notNull(),
  orderId: text('order_id'),
  complaintId: text('complaint_id'),
  stage: text('stage'),
  staffId: text('staff_id'),
  outcome: text('outcome'),
  /** The customer's segment when the contact was recorded. */
  segment: text('segment'),
  at: timestamp('at', { withTimezone: true }).notNull(),
}, (t) => [uniqueIndex('customer_contacts_task_uq').on(t.taskId), index('customer_contacts_customer_idx').on(t.customerId, t.at), index('customer_contacts_at_idx').on(t.at)]);

/** Merged-away duplicates point at their survivor; kept so history and old ids still resolve. */
export const customerMerges = pgTable('customer_merges', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  survivorId: text('survivor_id').notNull(),
  duplicateId: text('duplicate_id').notNull(),
  actor: text('actor').notNull(),
  /** How many rows were moved per table (orders, complaints, segment changes, contacts). */
  moved: jsonb('moved').$type<Record<string, number>>().notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('customer_merges_duplicate_uq').on(t.duplicateId), index('customer_merges_survivor_idx').on(t.survivorId)]);
