import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import { orderEvents, orders } from '../../db/schema';
import { recordOrderOpened, type OrderRecordInput } from '../../db/orders/opened';
import { createCustomerMessages } from './customer-messages';

export type { OrderRecordInput } from '../../db/orders/opened';

/** One transition of an order, written once even when the activity is retried. */
export interface OrderEventInput {
  orderId: string;
  /** Stable per transition (e.g. `<workflowId>:<seq>`), so a retried write is a no-op. */
  dedupeKey: string;
  type: string;
  fromStage?: string | null;
  toStage?: string | null;
  actor?: string | null;
  data?: Record<string, unknown>;
  /** Also move the order's read model to this stage/status. */
  setStage?: string | null;
  setStatus?: string;
}

/** Order book-keeping activities (idempotent: safe under Temporal's at-least-once retries). */
export function createOrderActivities(deps: { db: Db; log: Logger }) {
  const { db } = deps;
  // A courier stage left `delivered` sends the delivered messages the order's process declares.
  const customerMessages = createCustomerMessages(deps);
  return {
    /** Creates the order row and its `opened` event (if the API has not yet); running twice changes nothing. */
    async recordOrderOpened(input: OrderRecordInput): Promise<void> {
      await recordOrderOpened(db, input);
    },

    /**
     * Keeps the order's money figures (known once the lead is closed) on its row for lists and KPIs,
     * and, in the same transaction, writes one `order_figures_changed` event per figure a task
     * changed (who, old → new), so every change to COD, items, address… can be traced to a person.
     * Retried, the events are not written twice (each has its own dedupe key).
     */
    async updateOrderFigures(input: {
      orderId: string;
      total?: number;
      codAmount?: number;
      changes?: Array<{ field: string; from: unknown; to: unknown }>;
      actor?: string;
      dedupeKey?: string;
      stage?: string;
    }): Promise<void> {
      // One statement (atomic, one round trip): the row's figures, and the change events beside them.
      const sets = [
        ...(input.total !== undefined ? [sql`total = ${Math.round(input.total)}`] : []),
        ...(input.codAmount !== undefined ? [sql`cod_amount = ${Math.round(input.codAmount)}`] : []),
        sql`updated_at = now()`,
      ];
      const update = sql`update ${orders} set ${sql.join(sets, sql`, `)} where id = ${input.orderId}`;
      if (!input.changes?.length) {
        await db.execute(update);
        return;
      }
      const rows = sql.join(
        input.changes.map(
          (change) =>
            sql`(${input.orderId}, ${`${input.dedupeKey ?? input.orderId}:figure:${change.field}`}, 'order_figures_changed', ${
              input.stage ?? null
            }, ${input.actor ?? null}, ${JSON.stringify({ field: change.field, from: change.from ?? null, to: change.to ?? null })}::jsonb)`,
        ),
        sql`, `,
      );
      await db.execute(
        sql`with updated as (${update} returning id) insert into ${orderEvents} (order_id, dedupe_key, type, from_stage, actor, data) values ${rows} on conflict do nothing`,
      );
    },

    /** Remembers who finished the order's first human step, and in which role (the rep KPIs credit); the first write wins. */
    async recordOrderCloser(input: { orderId: string; staffId: string; role: string }): Promise<void> {
      await db
        .update(orders)
        .set({ closedBy: input.staffId, closedByRole: input.role, updatedAt: sql`now()` })
        .where(and(eq(orders.id, input.orderId), isNull(orders.closedBy)));
    },

    /** Keeps the value of what came back from a (partial) return: revenue and return-rate KPIs take back only this. */
    async recordReturnedAmount(input: { orderId: string; amount: number }): Promise<void> {
      await db
        .update(orders)
        .set({ returnedAmount: Math.max(0, Math.round(input.amount)), updatedAt: sql`now()` })
        .where(eq(orders.id, input.orderId));
    },

    /** Records a transition and updates the order's stage/status, in one statement. */
    async recordOrderEvent(event: OrderEventInput): Promise<void> {
      await writeOrderEvents(db, [event]);
      await customerMessages.eventRecorded(event);
    },

    /**
     * Several timeline facts at once, in order (a stage left and the next entered): one activity
     * call where the workflow has several facts at once. Each is idempotent by its dedupe key, as
     * with recordOrderEvent.
     */
    async recordOrderEvents(events: OrderEventInput[]): Promise<void> {
      await writeOrderEvents(db, events);
      for (const event of events) await customerMessages.eventRecorded(event);
    },
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;

/**
 * Timeline facts and the stage/status the last of them sets, as ONE statement (atomic without a
 * transaction, one round trip to the database): the events are inserted, each skipped when its
 * dedupe key was recorded before (a retried activity), and the order's row moves only when the
 * event that sets its stage/status was new. A transaction of one insert and one update per event
 * was 2 + 2n round trips, the worker's main cost per order at bench load (measured: the socket
 * writes to PostgreSQL were the largest item of the worker's CPU profile).
 */
async function writeOrderEvents(db: Db, events: OrderEventInput[]): Promise<void> {
  if (!events.length) return;
  const rows = sql.join(
    events.map(
      (e) =>
        sql`(${e.orderId}, ${e.dedupeKey}, ${e.type}, ${e.fromStage ?? null}, ${e.toStage ?? null}, ${e.actor ?? null}, ${
          e.data === undefined ? null : JSON.stringify(e.data)
        }::jsonb)`,
    ),
    sql`, `,
  );
  const insert = sql`insert into ${orderEvents} (order_id, dedupe_key, type, from_stage, to_stage, actor, data) values ${rows} on conflict do nothing returning dedupe_key`;
  const setter = [...events].reverse().find((e) => e.setStage !== undefined || e.setStatus !== undefined);
  if (!setter) {
    await db.execute(insert);
    return;
  }
  const stage = events.reduce<string | null | undefined>((last, e) => (e.setStage !== undefined ? e.setStage : last), undefined);
  const status = events.reduce<string | undefined>((last, e) => (e.setStatus !== undefined ? e.setStatus : last), undefined);
  const sets = [
    ...(stage !== undefined ? [sql`stage = ${stage}`] : []),
    ...(status !== undefined ? [sql`status = ${status}`] : []),
    sql`updated_at = now()`,
  ];
  await db.execute(
    sql`with inserted as (${insert}) update ${orders} set ${sql.join(sets, sql`, `)} where id = ${setter.orderId} and exists (select 1 from inserted where dedupe_key = ${setter.dedupeKey})`,
  );
}
