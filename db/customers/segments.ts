/**
 * A customer's segment in the database: their delivered vs returned history, and the segment
 * recomputed by the shop's rules with the change recorded once per cause. Used by the customer
 * activities (after an order ends) and by the customers API (create, edit, merge).
 */
import crypto from 'node:crypto';
import { eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { customers, orders, segmentChanges } from '../schema';
import { classifyCustomer } from '../../definitions/rules/conditions';
import { customerFlags, segmentMetrics, type CustomerHistory } from '../../definitions/rules/customer-metrics';
import type { CompiledShop } from '../../definitions/types';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Queryable = Db | Tx;

/** The one query of a customer's reliability: delivered (`completed`) vs returned orders. */
export async function customerHistory(db: Queryable, customerId: string): Promise<CustomerHistory> {
  const yearAgo = new Date(Date.now() - 365 * 24 * 3600_000);
  const [row] = await db
    .select({
      orders: sql<number>`count(*)::int`,
      delivered: sql<number>`count(*) filter (where ${orders.status} = 'completed')::int`,
      returned: sql<number>`count(*) filter (where ${orders.status} = 'returned')::int`,
      deliveredValue12m: sql<number>`coalesce(sum(${orders.total}) filter (where ${orders.status} = 'completed' and ${gte(orders.createdAt, yearAgo)}), 0)::bigint`,
    })
    .from(orders)
    .where(eq(orders.customerId, customerId));
  const delivered = row?.delivered ?? 0;
  const returned = row?.returned ?? 0;
  return {
    orders: row?.orders ?? 0,
    delivered,
    returned,
    deliveredValue12m: Number(row?.deliveredValue12m ?? 0),
    returnRate: delivered + returned ? returned / (delivered + returned) : 0,
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
export async function recomputeSegment(
  db: Db,
  shop: CompiledShop,
  customerId: string,
  cause: SegmentCause,
): Promise<{ customerId: string; from: string | null; to: string; changed: boolean }> {
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
      await tx
        .update(customers)
        .set({ segment: to, updatedAt: sql`now()` })
        .where(eq(customers.id, customer.id));
      return { customerId: customer.id, from, to, changed: false };
    }
    const inserted = await tx
      .insert(segmentChanges)
      .values({
        customerId: customer.id,
        fromSegment: from,
        toSegment: to,
        reason: cause.reason,
        orderId: cause.orderId ?? null,
        metrics: metrics as Record<string, unknown>,
        actor: cause.actor ?? 'system',
        dedupeKey: cause.dedupeKey,
      })
      .onConflictDoNothing()
      .returning({ id: segmentChanges.id });
    if (!inserted.length) return { customerId: customer.id, from, to: from ?? to, changed: false };
    await tx
      .update(customers)
      .set({ segment: to, segmentChangedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(customers.id, customer.id));
    return { customerId: customer.id, from, to, changed: true };
  });
}

/** A fresh dedupe key for causes that happen once by nature (a staff edit, a merge). */
export const onceKey = (what: string) => `${what}:${crypto.randomUUID()}`;
