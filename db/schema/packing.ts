import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Scan to pack: every barcode a packer scanned on a pack task, and the warehouse lead's
 * overrides. The task API reads them when the pack task is completed (server/packing/).
 */

/**
 * One scan on a task: the barcode as the scanner typed it, the SKU it resolved to (null: no
 * product has that barcode or SKU), and what the check said. A scan taken back out of the box is
 * kept with `removedAt` so the record shows the mistake and its fix.
 */
export const packingScans = pgTable(
  'packing_scans',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    taskId: text('task_id').notNull(),
    orderId: text('order_id').notNull(),
    barcode: text('barcode').notNull(),
    sku: text('sku'),
    /** `ok`, `wrong-item` (not in the order or unknown), `too-many` (more than the order's quantity). */
    result: text('result').notNull(),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    removedBy: text('removed_by'),
  },
  (t) => [index('packing_scans_task_idx').on(t.taskId, t.id), index('packing_scans_order_idx').on(t.orderId)],
);

/** A warehouse lead letting a pack task complete although the scans do not match, with the reason. */
export const packingOverrides = pgTable(
  'packing_overrides',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    taskId: text('task_id').notNull(),
    orderId: text('order_id').notNull(),
    reason: text('reason').notNull(),
    /** The problems the scans showed when the lead overrode them. */
    problems: jsonb('problems').$type<Array<Record<string, unknown>>>().notNull(),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('packing_overrides_task_idx').on(t.taskId)],
);
