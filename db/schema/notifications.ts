import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Notifications: the outbox staff inboxes read. */

/** Messages sent to roles or people (escalations, alerts). Delivered by the log/webhook notifier. */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    roles: text('roles').array().notNull(),
    staffIds: text('staff_ids')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    taskId: text('task_id'),
    message: text('message').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
    dedupeKey: text('dedupe_key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('notifications_dedupe_key_uq').on(t.dedupeKey), index('notifications_subject_idx').on(t.subjectId)],
);
