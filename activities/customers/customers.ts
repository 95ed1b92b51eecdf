/**
 * Customer book-keeping after an order ends: the care contacts it produced and the customer's
 * segment by the shop's rules, recomputed up or down with the change recorded. Idempotent.
 */
import crypto from 'node:crypto';
import { and, eq, gte, like, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { activeShop } from '../../db/active-shop';
import { customerContacts, customers, orders, segmentChanges, tasks } from '../../db/schema';
import { classifyCustomer, type CustomerMetrics } from '../../definitions/rules/conditions';
import type { CompiledShop } from '../../definitions/types';
import type { Logger } from '../../server/platform/logger';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Queryable = Db | Tx;

/** Delivered vs returned history of a customer: what confirmation staff and `when` conditions look at. */
export interface CustomerHistory {
  orders: number;
  delivered: number;
  returned: number;
  deliveredValue12m: number;
  /** returned ÷ (delivered + returned), 0 when nothing was shipped yet. */
  returnRate: number;
}

/** The one query of a customer's reliability: delivered (`completed`) vs returned orders. */
export async function customerHistory(db: Queryable, customerId: string): Promise<CustomerHistory> {
  const yearAgo = new Date(Date.now() - 365 * 24 * 3600_000);
  const [row] = await db.select({
    orders: sql<number>`count(*)::int`,
    delivered: sql<number>`count(*) filter (where ${orders.status} = 'completed')::int`,
    returned: sql<number>`count(*) filter (where ${orders.status} = 'returned')::int`,
    deliveredValue12m: sql<number>`coalesce(sum(${orders.total}) filter (where ${orders.status} = 'completed' and ${gte(orders.createdAt, yearAgo)}), 0)::bigint`,
  }).from(orders).where(eq(orders.customerId, customerId));
  const delivered = row?.delivered ?? 0;
  const returned = row?.returned ?? 0;
  return {
    orders: row?.orders ?? 0, delivered, returned, deliveredValue12m: Number(row?.deliveredValue12m ?? 0),
    returnRate: delivered + returned ? returned / (delivered + returned) : 0,
  };
}

/** Tags the segment rules see as `flags`: the customer's tags, plus `wholesale` when flagged. */
export function customerFlags(row: { tags: string[]; wholesale: boolean }): string[] {
  return [...new Set([...row.tags, ...(row.wholesale ? ['wholesale'] : [])])];
}

/** The metrics segment rules test, from the history (and the order just delivered, if any). */
export function segmentMetrics(history: CustomerHistory, flags: string[], orderValue?: number): CustomerMetrics {
  return {
    deliveredValue12m: history.deliveredValue12m, deliveredOrders: history.delivered, returnRate: history.returnRate, flags,
    ...(orderValue !== undefined ? { orderValue } : {}),
  };
}

/** What caused a recomputation, written with the change. */
export interface SegmentCause {
  reason: string;
  orderId?: string;
  actor?: string;
  /** Value of the order just delivered (the shop's `orderValue` rule); not for returns. */
  orderValue?: number;
  /** Stable per cause, so a retried recomputation records its change once. */
  dedupeKey: string;
}

/**
 * Recomputes a customer's segment by the shop's rules (follows `merged_into` to the survivor).
 * A change is written to the customer and to `segment_changes` in one transaction; the same
 * segment changes nothing, and a first classification into the fallback segment (new) is stored
 * without a history row. Returns the segments before and after.
 */
export async function recomputeSegment(db: Db, shop: CompiledShop, customerId: string, cause: SegmentCause): Promise<{ customerId: string; from: string | null; to: string; changed: boolean }> {
  return db.transaction(async (tx) => {
    let id = customerId;
    let customer: typeof customers.$inferSelect | undefined;
    for (let hops = 0; hops < 10; hops++) {
      [customer] = await tx.select().from(customers).where(eq(customers.id, id)).for('update');
      if (!customer?.mergedInto) break;
      id = customer.mergedInto;
    }
    if (!customer) throw new Error(`customer ${customerId} does not exist`);
    const history = await customerHistory(tx, customer.id);
    const metrics = segmentMetrics(history, customerFlags(customer), cause.orderValue);
    const to = classifyCustomer(shop.segments, metrics);
    const from = customer.segment;
    if (from === to) return { customerId: customer.id, from, to, changed: false };
    if (from === null && to === shop.segments[shop.segments.length - 1]?.id) {
      // The first classification into the fallback segment is where every customer starts, not a change.
      await tx.update(customers).set({ segment: to, updatedAt: sql`now()` }).where(eq(customers.id, customer.id));
      return { customerId: customer.id, from, to, changed: false };
    }
    const inserted = await tx.insert(segmentChanges).values({
      customerId: customer.id, fromSegment: from, toSegment: to, reason: cause.reason, orderId: cause.orderId ?? null,
      metrics: metrics as Record<string, unknown>, actor: cause.actor ?? 'system', dedupeKey: cause.dedupeKey,
    }).onConflictDoNothing().returning({ id: segmentChanges.id });
    if (!inserted.length) return { customerId: customer.id, from, to: from ?? to, changed: false };
    await tx.update(customers).set({ segment: to, segmentChangedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(customers.id, customer.id));
    return { customerId: customer.id, from, to, changed: true };
  });
}

/** A fresh dedupe key for causes that happen once by nature (a staff edit, a merge). */
export const onceKey = (what: string) => `${what}:${crypto.randomUUID()}`;

const share = (n: number) => `${Math.round(n * 1000) / 10}%`;
const vnd = (n: number) => `${n.toLocaleString('vi-VN')} VND`;

export function createCustomerActivities(deps: { db: Db; log: Logger }) {
  const { db, log } = deps;
  return {
    /**
     * An order ended delivered (`completed`) or `returned`: record the care contacts its care
     * stages made, then recompute the customer's segment (up or down) with the change recorded.
     */
    async updateCustomerAfterOrder(input: { orderId: string; result: 'completed' | 'returned' }): Promise<{ segment: string | null; changed: boolean }> {
      const [order] = await db.select({ customerId: orders.customerId, total: orders.total }).from(orders).where(eq(orders.id, input.orderId));
      if (!order?.customerId) {
        log.warn({ orderId: input.orderId }, 'order has no customer: no segment to recompute');
        return { segment: null, changed: false };
      }
      const [customer] = await db.select({ segment: customers.segment }).from(customers).where(eq(customers.id, order.customerId));
      const careTasks = await db.select({ id: tasks.id, stage: tasks.stage, completedBy: tasks.completedBy, outcome: tasks.outcome, completedAt: tasks.completedAt })
        .from(tasks).where(and(eq(tasks.subjectType, 'order'), eq(tasks.subjectId, input.orderId), like(tasks.stage, 'care%'), eq(tasks.status, 'done')));
      if (careTasks.length) {
        await db.insert(customerContacts).values(careTasks.map((t) => ({
          customerId: order.customerId!, kind: 'care', taskId: t.id, orderId: input.orderId, stage: t.stage, staffId: t.completedBy,
          outcome: t.outcome, segment: customer?.segment ?? null, at: t.completedAt ?? new Date(),
        }))).onConflictDoNothing();
      }

      const shop = await activeShop(db);
      if (!shop) throw new Error('no active shop: cannot classify customers');
      const history = await customerHistory(db, order.customerId);
      const what = input.result === 'completed' ? 'delivered' : 'returned';
      const result = await recomputeSegment(db, shop, order.customerId, {
        orderId: input.orderId, dedupeKey: `${input.orderId}:segment`,
        orderValue: input.result === 'completed' && order.total !== null ? order.total : undefined,
        reason: `order ${input.orderId} ${what}: ${history.delivered} delivered, ${history.returned} returned (return rate ${share(history.returnRate)}), ${vnd(history.deliveredValue12m)} delivered in 12 months`,
      });
      return { segment: result.to, changed: result.changed };
    },
  };
}
