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
      await db.transaction(async (tx) => {
        await tx
          .update(orders)
          .set({
            ...(input.total !== undefined ? { total: Math.round(input.total) } : {}),
            ...(input.codAmount !== undefined ? { codAmount: Math.round(input.codAmount) } : {}),
            updatedAt: sql`now()`,
          })
          .where(eq(orders.id, input.orderId));
        if (!input.changes?.length) return;
        await tx
          .insert(orderEvents)
          .values(
            input.changes.map((change) => ({
              orderId: input.orderId,
              dedupeKey: `${input.dedupeKey ?? input.orderId}:figure:${change.field}`,
              type: 'order_figures_changed',
              fromStage: input.stage ?? null,
              actor: input.actor ?? null,
              data: { field: change.field, from: change.from ?? null, to: change.to ?? null },
            })),
          )
          .onConflictDoNothing();
      });
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

    /** Records a transition and updates the order's stage/status in one transaction. */
    async recordOrderEvent(event: OrderEventInput): Promise<void> {
      await db.transaction((tx) => writeOrderEvent(tx, event));
      await customerMessages.eventRecorded(event);
    },

    /**
     * Several timeline facts in one transaction, in order (a stage left and the next entered):
     * one activity call where the workflow has several facts at once. Each is idempotent by its
     * dedupe key, as with recordOrderEvent.
     */
    async recordOrderEvents(events: OrderEventInput[]): Promise<void> {
      await db.transaction(async (tx) => {
        for (const event of events) await writeOrderEvent(tx, event);
      });
      for (const event of events) await customerMessages.eventRecorded(event);
    },
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** One timeline fact (skipped when its dedupe key was recorded before), and the stage/status it sets. */
async function writeOrderEvent(tx: Tx, event: OrderEventInput): Promise<void> {
  const inserted = await tx
    .insert(orderEvents)
    .values({
      orderId: event.orderId,
      dedupeKey: event.dedupeKey,
      type: event.type,
      fromStage: event.fromStage ?? null,
      toStage: event.toStage ?? null,
      actor: event.actor ?? null,
      data: event.data ?? null,
    })
    .onConflictDoNothing()
    .returning({ id: orderEvents.id });
  if (inserted.length === 0) return; // already recorded by an earlier attempt
  if (event.setStage !== undefined || event.setStatus !== undefined) {
    await tx
      .update(orders)
      .set({
        ...(event.setStage !== undefined ? { stage: event.setStage } : {}),
        ...(event.setStatus !== undefined ? { status: event.setStatus } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(orders.id, event.orderId));
  }
}
