/**
 * Customer book-keeping after an order ends: the care contacts it produced and the customer's
 * segment by the shop's rules, recomputed up or down with the change recorded. Idempotent.
 */
import { and, eq, like } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import { activeShop } from '../../db/active-shop';
import { customerContacts, customers, orders, tasks } from '../../db/schema';
import { customerHistory, recomputeSegment } from '../../db/customers/segments';

const share = (n: number) => `${Math.round(n * 1000) / 10}%`;
const vnd = (n: number) => `${n.toLocaleString('vi-VN')} VND`;

export function createCustomerActivities(deps: { db: Db; log: Logger }) {
  const { db, log } = deps;
  return {
    /**
     * An order ended delivered (`completed`) or `returned`: record the care contacts its care
     * stages made, then recompute the customer's segment (up or down) with the change recorded.
     */
    async updateCustomerAfterOrder(input: {
      orderId: string;
      result: 'completed' | 'returned';
    }): Promise<{ segment: string | null; changed: boolean }> {
      const [order] = await db
        .select({ customerId: orders.customerId, total: orders.total })
        .from(orders)
        .where(eq(orders.id, input.orderId));
      if (!order?.customerId) {
        log.warn({ orderId: input.orderId }, 'order has no customer: no segment to recompute');
        return { segment: null, changed: false };
      }
      const [customer] = await db.select({ segment: customers.segment }).from(customers).where(eq(customers.id, order.customerId));
      const careTasks = await db
        .select({
          id: tasks.id,
          stage: tasks.stage,
          completedBy: tasks.completedBy,
          outcome: tasks.outcome,
          completedAt: tasks.completedAt,
        })
        .from(tasks)
        .where(
          and(eq(tasks.subjectType, 'order'), eq(tasks.subjectId, input.orderId), like(tasks.stage, 'care%'), eq(tasks.status, 'done')),
        );
      if (careTasks.length) {
        await db
          .insert(customerContacts)
          .values(
            careTasks.map((t) => ({
              customerId: order.customerId!,
              kind: 'care',
              taskId: t.id,
              orderId: input.orderId,
              stage: t.stage,
              staffId: t.completedBy,
              outcome: t.outcome,
              segment: customer?.segment ?? null,
              at: t.completedAt ?? new Date(),
            })),
          )
          .onConflictDoNothing();
      }

      const shop = await activeShop(db);
      if (!shop) throw new Error('no active shop: cannot classify customers');
      const history = await customerHistory(db, order.customerId);
      const what = input.result === 'completed' ? 'delivered' : 'returned';
      const result = await recomputeSegment(db, shop, order.customerId, {
        orderId: input.orderId,
        dedupeKey: `${input.orderId}:segment`,
        orderValue: input.result === 'completed' && order.total !== null ? order.total : undefined,
        reason: `order ${input.orderId} ${what}: ${history.delivered} delivered, ${history.returned} returned (return rate ${share(history.returnRate)}), ${vnd(history.deliveredValue12m)} delivered in 12 months`,
      });
      return { segment: result.to, changed: result.changed };
    },
  };
}
