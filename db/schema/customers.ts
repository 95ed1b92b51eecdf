import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Customers (CRM): one per phone, their segment history, care contacts and merges. */

/** A delivery address split the way couriers need it (GHN/GHTK: province, district, ward, street). */
export interface CustomerAddress {
  label?: string;
  street: string;
  ward: string;
  district?: string;
  province: string;
  /** Exactly one address of a customer is the default. */
  isDefault: boolean;
}

/**
 * One customer per normalised phone number (0xxxxxxxxx); orders point at it. A merged duplicate
 * stays with `merged_into` naming the survivor (`segment_changes`, `customer_contacts` and `customer_merges` below hold the history).
 */
export const customers = pgTable(
  'customers',
  {
    id: text('id').primaryKey(),
    phone: text('phone').notNull(),
    name: text('name').notNull(),
    /** Channel of origin (where the customer first came from). */
    channel: text('channel'),
    /** The free-text address of the first lead; `addresses` holds the structured ones. */
    address: text('address'),
    addresses: jsonb('addresses')
      .$type<CustomerAddress[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    notes: text('notes'),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    wholesale: boolean('wholesale').notNull().default(false),
    /** Current segment by the shop's rules (null: not classified yet, i.e. the fallback segment). */
    segment: text('segment'),
    segmentChangedAt: timestamp('segment_changed_at', { withTimezone: true }),
    mergedInto: text('merged_into'),
    mergedAt: timestamp('merged_at', { withTimezone: true }),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('customers_phone_uq').on(t.phone),
    index('customers_created_idx').on(t.createdAt, t.id),
    index('customers_segment_idx').on(t.segment),
    index('customers_merged_into_idx').on(t.mergedInto),
  ],
);

/**
 * Every change of a customer's segment (up or down) with why: the order that triggered it, a
 * staff edit (wholesale flag, tags) or a merge. Written once per cause (`dedupeKey`).
 */
export const segmentChanges = pgTable(
  'segment_changes',
  {
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
  },
  (t) => [uniqueIndex('segment_changes_dedupe_key_uq').on(t.dedupeKey), index('segment_changes_customer_idx').on(t.customerId, t.at)],
);

/**
 * Each time staff contacted a customer: a finished care task of an order (stage `care…`) or the
 * CSKH task of a complaint. KPI "VIP/loyal customers contacted in the period" reads this table.
 */
export const customerContacts = pgTable(
  'customer_contacts',
  {
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
  },
  (t) => [
    uniqueIndex('customer_contacts_task_uq').on(t.taskId),
    index('customer_contacts_customer_idx').on(t.customerId, t.at),
    index('customer_contacts_at_idx').on(t.at),
  ],
);

/** Merged-away duplicates point at their survivor; kept so history and old ids still resolve. */
export const customerMerges = pgTable(
  'customer_merges',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    survivorId: text('survivor_id').notNull(),
    duplicateId: text('duplicate_id').notNull(),
    actor: text('actor').notNull(),
    /** How many rows were moved per table (orders, complaints, segment changes, contacts). */
    moved: jsonb('moved').$type<Record<string, number>>().notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('customer_merges_duplicate_uq').on(t.duplicateId), index('customer_merges_survivor_idx').on(t.survivorId)],
);
