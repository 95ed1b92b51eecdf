import crypto from 'node:crypto';
import { eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers, orders } from '../db/schema';
import { classifyCustomer } from '../definitions/conditions';
import type { CompiledShop, WhenFacts } from '../definitions/types';

/** Delivered vs returned history of a customer: what confirmation staff and `when` conditions look at. */
export interface CustomerHistory {
  orders: number;
  delivered: number;
  returned: number;
  deliveredValue12m: number;
  /** returned ÷ (delivered + returned), 0 when nothing was shipped yet. */
  returnRate: number;
}

/** Customers by normalised phone: one per number, found again when they come back. */
export function createCustomersStore(db: Db) {
  return {
    /** The customer with this phone, created on first contact (concurrent leads agree on one row). */
    async upsertByPhone(input: { phone: string; name: string; channel: string; address?: string }): Promise<{ id: string; created: boolean }> {
      const id = `cus_${crypto.randomBytes(6).toString('hex')}`;
      const inserted = await db.insert(customers).values({ id, phone: input.phone, name: input.name, channel: input.channel, address: input.address ?? null })
        .onConflictDoNothing().returning({ id: customers.id });
      if (inserted.length) return { id, created: true };
      const [existing] = await db.select({ id: customers.id }).from(customers).where(eq(customers.phone, input.phone));
      return { id: existing!.id, created: false };
    },

    async history(customerId: string): Promise<CustomerHistory> {
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
    },

    /** Facts for `when` conditions at lead time: returning?, return rate, segment by the shop's rules. */
    factsFor(history: CustomerHistory, shop: CompiledShop): WhenFacts['customer'] {
      return {
        isReturning: history.orders > 0,
        returnRate: history.returnRate,
        segment: classifyCustomer(shop.segments, { deliveredValue12m: history.deliveredValue12m, deliveredOrders: history.delivered, returnRate: history.returnRate }),
      };
    },
  };
}

export type CustomersStore = ReturnType<typeof createCustomersStore>;
