import { sql } from 'drizzle-orm';
import {
  bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * One row per lead/order. The workflow `order:<id>` is the source of truth for where an order
 * is; this row is its read model for lists, reports and KPIs.
 */
export const orders = pgTable('orders', {
  id: text('id').primaryKey(),
  workflowId: text('workflow_id').notNull(),
  channel: text('channel'),
  status: text('status').notNull().default('open'),
  stage: text('stage'),
  customerName: text('customer_name'),
  customerPhone: text('customer_phone'),
  definitionName: text('definition_name'),
  definitionVersion: integer('definition_version'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('orders_stage_idx').on(t.stage), index('orders_status_idx').on(t.status)]);

/**
 * Every transition of an order (who, from → to, when). Reports read this table, not Temporal
 * history. `dedupeKey` makes the activities that write events idempotent under retries.
 */
export const orderEvents = pgTable('order_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  orderId: text('order_id').notNull().references(() => orders.id),
  type: text('type').notNull(),
  fromStage: text('from_stage'),
  toStage: text('to_stage'),
  actor: text('actor'),
  data: jsonb('data').$type<Record<string, unknown>>(),
  dedupeKey: text('dedupe_key').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('order_events_dedupe_key_uq').on(t.dedupeKey), index('order_events_order_idx').on(t.orderId, t.id)]);

/**
 * Immutable, content-hashed versions of YAML process definitions. At most one version of a
 * name is active; new orders snapshot the active one.
 */
export const definitionVersions = pgTable('definition_versions', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  version: integer('version').notNull(),
  hash: text('hash').notNull(),
  yaml: text('yaml').notNull(),
  compiled: jsonb('compiled').notNull(),
  source: text('source'),
  author: text('author'),
  active: boolean('active').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  activatedAt: timestamp('activated_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('definition_versions_name_version_uq').on(t.name, t.version),
  uniqueIndex('definition_versions_name_hash_uq').on(t.name, t.hash),
  uniqueIndex('definition_versions_one_active_uq').on(t.name).where(sql`${t.active}`),
]);

/** A member of the shop's staff. Roles and channels refer to `shop.yaml`. */
export const staff = pgTable('staff', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  phone: text('phone'),
  email: text('email'),
  roles: text('roles').array().notNull(),
  channels: text('channels').array().notNull().default(sql`'{}'::text[]`),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
});

/** API tokens are stored only as SHA-256 hashes; the clear token is shown once at creation. */
export const apiTokens = pgTable('api_tokens', {
  id: text('id').primaryKey(),
  staffId: text('staff_id').notNull().references(() => staff.id),
  tokenHash: text('token_hash').notNull(),
  label: text('label'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
}, (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash), index('api_tokens_staff_idx').on(t.staffId)]);
