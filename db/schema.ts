import { sql } from 'drizzle-orm';
import {
  bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex,
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
}, (t) => [
  index('orders_stage_idx').on(t.stage),
  index('orders_status_idx').on(t.status),
  index('orders_customer_idx').on(t.customerId),
  index('orders_created_idx').on(t.createdAt, t.id),
  // KPI new customers: a customer's earlier orders (id too, so the check reads the index only).
  index('orders_customer_created_idx').on(t.customerId, t.createdAt, t.id),
]);

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
 * stays with `merged_into` naming the survivor (CRM columns: db/schema-crm.ts holds the history).
 */
export const customers = pgTable('customers', {
  id: text('id').primaryKey(),
  phone: text('phone').notNull(),
  name: text('name').notNull(),
  /** Channel of origin (where the customer first came from). */
  channel: text('channel'),
  /** The free-text address of the first lead; `addresses` holds the structured ones. */
  address: text('address'),
  addresses: jsonb('addresses').$type<CustomerAddress[]>().notNull().default(sql`'[]'::jsonb`),
  notes: text('notes'),
  tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
  wholesale: boolean('wholesale').notNull().default(false),
  /** Current segment by the shop's rules (null: not classified yet, i.e. the fallback segment). */
  segment: text('segment'),
  segmentChangedAt: timestamp('segment_changed_at', { withTimezone: true }),
  mergedInto: text('merged_into'),
  mergedAt: timestamp('merged_at', { withTimezone: true }),
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('customers_phone_uq').on(t.phone),
  index('customers_created_idx').on(t.createdAt, t.id),
  index('customers_segment_idx').on(t.segment),
  index('customers_merged_into_idx').on(t.mergedInto),
]);

/** The parcel of an order at a courier: created once per order (idempotent by order id). */
export const shipments = pgTable('shipments', {
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
}, (t) => [
  uniqueIndex('shipments_courier_tracking_uq').on(t.courier, t.trackingCode),
  // KPI return rate: parcels handed over in a period.
  index('shipments_created_idx').on(t.createdAt),
]);

/** Every status report from a courier (webhook or poll), deduplicated by its event key. */
export const courierEvents = pgTable('courier_events', {
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
}, (t) => [
  uniqueIndex('courier_events_key_uq').on(t.courier, t.eventKey),
  index('courier_events_order_idx').on(t.orderId, t.id),
  // KPI revenue: applied delivered/returned events by courier time.
  index('courier_events_outcome_idx').on(t.state, t.at, t.orderId).where(sql`${t.applied}`),
  // KPI revenue: an order's first delivery and first return, read from the index only.
  index('courier_events_order_outcome_idx').on(t.orderId, t.state, t.at).where(sql`${t.applied}`),
]);

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

/**
 * A human step handed to a role (and maybe a person), written by the workflow that waits on
 * it. The workflow decides; this row is what staff see and the API filters on.
 */
export const tasks = pgTable('tasks', {
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
}, (t) => [
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
  index('tasks_subject_role_done_idx').on(t.subjectId, t.role, t.completedAt, t.id, t.completedBy).where(sql`${t.status} = 'done'`),
]);

/** Who did what to a task, when: opened, claimed, completed, escalated, reassigned, cancelled. */
export const taskEvents = pgTable('task_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  taskId: text('task_id').notNull(),
  type: text('type').notNull(),
  actor: text('actor'),
  data: jsonb('data').$type<Record<string, unknown>>(),
  dedupeKey: text('dedupe_key').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('task_events_dedupe_key_uq').on(t.dedupeKey), index('task_events_task_idx').on(t.taskId, t.id)]);

/** Messages sent to roles or people (escalations, alerts). Delivered by the log/webhook notifier. */
export const notifications = pgTable('notifications', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  roles: text('roles').array().notNull(),
  staffIds: text('staff_ids').array().notNull().default(sql`'{}'::text[]`),
  subjectType: text('subject_type'),
  subjectId: text('subject_id'),
  taskId: text('task_id'),
  message: text('message').notNull(),
  data: jsonb('data').$type<Record<string, unknown>>(),
  dedupeKey: text('dedupe_key').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('notifications_dedupe_key_uq').on(t.dedupeKey), index('notifications_subject_idx').on(t.subjectId)]);

/**
 * One KPI period of a plan (`kpi:<plan>:<period>`): the targets snapshotted at its start (revised
 * only through the workflow), the latest actuals, and the final evaluation once closed.
 */
export const kpiPeriods = pgTable('kpi_periods', {
  /** `<plan>:<periodKey>`, e.g. `shop-kpi:2026-01`; the workflow id is `kpi:` + this. */
  id: text('id').primaryKey(),
  plan: text('plan').notNull(),
  planVersion: integer('plan_version'),
  periodKey: text('period_key').notNull(),
  workflowId: text('workflow_id').notNull(),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
  /** `running` until the period ends, then `closed`. */
  status: text('status').notNull().default('running'),
  /** The compiled plan the period runs (metrics, pacing, grades). */
  planSnapshot: jsonb('plan_snapshot').$type<Record<string, unknown>>().notNull(),
  targets: jsonb('targets').$type<Record<string, unknown>>().notNull(),
  actuals: jsonb('actuals').$type<Record<string, unknown>>(),
  actualsAt: timestamp('actuals_at', { withTimezone: true }),
  evaluation: jsonb('evaluation').$type<Record<string, unknown>>(),
  firedAlerts: text('fired_alerts').array().notNull().default(sql`'{}'::text[]`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  closedAt: timestamp('closed_at', { withTimezone: true }),
}, (t) => [index('kpi_periods_plan_starts_idx').on(t.plan, t.startsAt)]);

/** Every recomputation of a period's actuals, for pacing history. */
export const kpiSnapshots = pgTable('kpi_snapshots', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  periodId: text('period_id').notNull().references(() => kpiPeriods.id),
  /** The instant the actuals are counted up to. */
  asOf: timestamp('as_of', { withTimezone: true }).notNull(),
  elapsed: doublePrecision('elapsed').notNull(),
  actuals: jsonb('actuals').$type<Record<string, unknown>>().notNull(),
  dedupeKey: text('dedupe_key').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('kpi_snapshots_dedupe_key_uq').on(t.dedupeKey), index('kpi_snapshots_period_idx').on(t.periodId, t.asOf)]);

/** A manager's mid-period revision of a target: who, why, from what to what. */
export const kpiTargetRevisions = pgTable('kpi_target_revisions', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  periodId: text('period_id').notNull().references(() => kpiPeriods.id),
  metric: text('metric').notNull(),
  /** `total`, `channel:<id>` or `rep:<staffId>`. */
  scope: text('scope').notNull(),
  oldValue: doublePrecision('old_value'),
  newValue: doublePrecision('new_value').notNull(),
  actor: text('actor').notNull(),
  reason: text('reason').notNull(),
  dedupeKey: text('dedupe_key').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('kpi_target_revisions_dedupe_key_uq').on(t.dedupeKey), index('kpi_target_revisions_period_idx').on(t.periodId, t.id)]);

/**
 * Stock as an append-only ledger (sổ kho): receipts, reservations and their releases, issues at
 * hand-over, restocks from returns, adjustments. Quantities on hand are sums, never edited.
 */
export const stockMovements = pgTable('stock_movements', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  sku: text('sku').notNull(),
  warehouse: text('warehouse').notNull().default('main'),
  /** Signed: + adds to the kind's balance (on hand, or reserved), − takes from it. */
  qty: integer('qty').notNull(),
  kind: text('kind').notNull(),
  orderId: text('order_id'),
  reason: text('reason'),
  actor: text('actor'),
  dedupeKey: text('dedupe_key').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('stock_movements_dedupe_key_uq').on(t.dedupeKey), index('stock_movements_sku_idx').on(t.sku, t.warehouse), index('stock_movements_order_idx').on(t.orderId)]);

export * from "./schema-books";

export * from './schema-crm';
