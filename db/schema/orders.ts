import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Orders: the read model of each order workflow and its event timeline. */

/**
 * One row per lead/order. The workflow `order:<id>` is the source of truth for where an order
 * is; this row is its read model for lists, reports and KPIs.
 */
export const orders = pgTable(
  'orders',
  {
    id: text('id').primaryKey(),
    workflowId: text('workflow_id').notNull(),
    channel: text('channel'),
    status: text('status').notNull().default('open'),
    stage: text('stage'),
    customerId: text('customer_id'),
    customerName: text('customer_name'),
    customerPhone: text('customer_phone'),
    campaign: text('campaign'),
    leadCost: integer('lead_cost'),
    /** Order total and cash to collect, in VND, known once the lead is closed. */
    total: integer('total'),
    codAmount: integer('cod_amount'),
    /**
     * VND taken back by a return: the value of the items that came back (a partial return, from the
     * warehouse's receive-return task). Null: not recorded, a return takes back the whole order.
     */
    returnedAmount: integer('returned_amount'),
    /**
     * Who finished the order's first human step (closing the lead: closed or lost) and in which
     * role, written by the workflow then. KPIs credit the rep from here without reading tasks.
     */
    closedBy: text('closed_by'),
    closedByRole: text('closed_by_role'),
    courier: text('courier'),
    trackingCode: text('tracking_code'),
    definitionName: text('definition_name'),
    definitionVersion: integer('definition_version'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('orders_stage_idx').on(t.stage),
    index('orders_status_idx').on(t.status),
    index('orders_customer_idx').on(t.customerId),
    index('orders_created_idx').on(t.createdAt, t.id),
    // KPI new customers: a customer's earlier orders (id too, so the check reads the index only).
    index('orders_customer_created_idx').on(t.customerId, t.createdAt, t.id),
  ],
);

/**
 * Every transition of an order (who, from → to, when). Reports read this table, not Temporal
 * history. `dedupeKey` makes the activities that write events idempotent under retries.
 */
export const orderEvents = pgTable(
  'order_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    type: text('type').notNull(),
    fromStage: text('from_stage'),
    toStage: text('to_stage'),
    actor: text('actor'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    dedupeKey: text('dedupe_key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('order_events_dedupe_key_uq').on(t.dedupeKey), index('order_events_order_idx').on(t.orderId, t.id)],
);
