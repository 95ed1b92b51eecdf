import { sql } from 'drizzle-orm';
import { bigserial, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** KPI periods, their actuals snapshots and target revisions. */

/**
 * One KPI period of a plan (`kpi:<plan>:<period>`): the targets snapshotted at its start (revised
 * only through the workflow), the latest actuals, and the final evaluation once closed.
 */
export const kpiPeriods = pgTable(
  'kpi_periods',
  {
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
    firedAlerts: text('fired_alerts')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [index('kpi_periods_plan_starts_idx').on(t.plan, t.startsAt)],
);

/** Every recomputation of a period's actuals, for pacing history. */
export const kpiSnapshots = pgTable(
  'kpi_snapshots',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    periodId: text('period_id')
      .notNull()
      .references(() => kpiPeriods.id),
    /** The instant the actuals are counted up to. */
    asOf: timestamp('as_of', { withTimezone: true }).notNull(),
    elapsed: doublePrecision('elapsed').notNull(),
    actuals: jsonb('actuals').$type<Record<string, unknown>>().notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('kpi_snapshots_dedupe_key_uq').on(t.dedupeKey), index('kpi_snapshots_period_idx').on(t.periodId, t.asOf)],
);

/** A manager's mid-period revision of a target: who, why, from what to what. */
export const kpiTargetRevisions = pgTable(
  'kpi_target_revisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    periodId: text('period_id')
      .notNull()
      .references(() => kpiPeriods.id),
    metric: text('metric').notNull(),
    /** `total`, `channel:<id>` or `rep:<staffId>`. */
    scope: text('scope').notNull(),
    oldValue: doublePrecision('old_value'),
    newValue: doublePrecision('new_value').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('kpi_target_revisions_dedupe_key_uq').on(t.dedupeKey), index('kpi_target_revisions_period_idx').on(t.periodId, t.id)],
);
