import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Shipping: each order's parcel at its courier and every status report couriers send. */

/** The parcel of an order at a courier: created once per order (idempotent by order id). */
export const shipments = pgTable(
  'shipments',
  {
    orderId: text('order_id').primaryKey(),
    courier: text('courier').notNull(),
    trackingCode: text('tracking_code').notNull(),
    state: text('state').notNull(),
    rawStatus: text('raw_status'),
    fee: integer('fee'),
    codAmount: integer('cod_amount'),
    expectedDeliveryAt: timestamp('expected_delivery_at', { withTimezone: true }),
    /** Courier time of the newest applied event: older events are recorded but never move the state back. */
    lastEventAt: timestamp('last_event_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('shipments_courier_tracking_uq').on(t.courier, t.trackingCode),
    // KPI return rate: parcels handed over in a period.
    index('shipments_created_idx').on(t.createdAt),
  ],
);

/** Every status report from a courier (webhook or poll), deduplicated by its event key. */
export const courierEvents = pgTable(
  'courier_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    courier: text('courier').notNull(),
    eventKey: text('event_key').notNull(),
    orderId: text('order_id'),
    trackingCode: text('tracking_code'),
    rawStatus: text('raw_status').notNull(),
    state: text('state').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** false when stale (older than the shipment's newest event) or for an unknown order. */
    applied: boolean('applied').notNull(),
    /** The order's workflow has received it (a failed signal is retried when the courier resends). */
    signalled: boolean('signalled').notNull().default(false),
    via: text('via').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
  },
  (t) => [
    uniqueIndex('courier_events_key_uq').on(t.courier, t.eventKey),
    index('courier_events_order_idx').on(t.orderId, t.id),
    // KPI revenue: applied delivered/returned events by courier time.
    index('courier_events_outcome_idx')
      .on(t.state, t.at, t.orderId)
      .where(sql`${t.applied}`),
    // KPI revenue: an order's first delivery and first return, read from the index only.
    index('courier_events_order_outcome_idx')
      .on(t.orderId, t.state, t.at)
      .where(sql`${t.applied}`),
  ],
);
