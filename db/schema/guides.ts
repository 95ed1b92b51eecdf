import { boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Sales scripts: which script version each finished task was worked with, for the close-rate report. */

/**
 * One row per task finished while a guide (SalesGuide script + checklist) was shown on it: the
 * script id and version, what the order was (process, channel, customer segment), the outcome and
 * whether it was the forward one (the lead closed), and the checklist items ticked.
 */
export const taskGuides = pgTable(
  'task_guides',
  {
    taskId: text('task_id').primaryKey(),
    orderId: text('order_id').notNull(),
    stage: text('stage').notNull(),
    process: text('process'),
    channel: text('channel'),
    segment: text('segment'),
    guideDefinition: text('guide_definition').notNull(),
    guideDefinitionVersion: integer('guide_definition_version').notNull(),
    scriptId: text('script_id').notNull(),
    scriptVersion: integer('script_version').notNull(),
    scriptTitle: text('script_title').notNull(),
    outcome: text('outcome').notNull(),
    /** The task's first (forward) outcome: for a close stage, the lead was closed. */
    forward: boolean('forward').notNull(),
    checked: jsonb('checked').$type<string[]>().notNull(),
    completedBy: text('completed_by').notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('task_guides_script_idx').on(t.scriptId, t.scriptVersion), index('task_guides_completed_idx').on(t.completedAt)],
);
