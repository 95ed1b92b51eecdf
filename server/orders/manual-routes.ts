import { Router } from 'express';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { orders } from '../../db/schema';
import { requirePermission } from '../http/auth';
import { createIdempotency, idempotencyKeyOf, replayAsRetry } from '../http/idempotency';
import { body } from '../http/contract';
import { ManualOrderBody } from './contract';
import { manualArrival } from './manual';
import type { OrdersService } from './orders';
import type { ShopCache } from '../shop/shop-cache';

/**
 * `GET /orders/choices`: the shop's channels and couriers for the order forms and filters.
 * `POST /orders/manual`: a phone or walk-in order entered by staff starts already closed by
 * them (credited as its closer, and theirs to read even with scope `own`).
 */
export function manualOrdersRouter(deps: { orders: OrdersService; db: Db; shop: ShopCache }): Router {
  const router = Router();
  const keyed = createIdempotency(deps.db);

  /** The words for the order forms and filters: the shop's channels and couriers by id with their titles. */
  router.get('/choices', requirePermission('orders.read'), async (_req, res) => {
    const shop = await deps.shop.get();
    const titled = (entries: Record<string, { title?: string }>) =>
      Object.entries(entries).map(([id, v]) => ({ id, title: v.title ?? id }));
    res.json({
      channels: titled(shop.channels),
      couriers: titled(shop.couriers),
      statuses: ['open', 'completed', 'lost', 'cancelled', 'returned'],
    });
  });

  router.post('/manual', requirePermission('orders.create'), body(ManualOrderBody), async (req, res) => {
    const actor = req.principal!.staffId;
    const input = req.body as ManualOrderBody;
    const idempotencyKey = idempotencyKeyOf(req.get('idempotency-key'));
    let closerRole: string | undefined;
    const answer = await keyed.claimed(
      { scope: 'manual-order', actor, key: idempotencyKey, body: input },
      async () => {
        const started = await deps.orders.startFromLead(
          {
            channel: input.channel,
            process: input.process,
            source: 'manual',
            note: input.note,
            customer: { name: input.customer.name, phone: input.customer.phone, address: addressLine(input.shippingAddress) },
          },
          {
            actor,
            idempotencyKey,
            arrival: async (process) => {
              const start = process.stages[process.start];
              closerRole = start?.kind === 'human' ? start.role : undefined;
              return manualArrival(deps.db, input, process, actor);
            },
          },
        );
        // Who closed it, at once (the workflow credits closers only for steps done as tasks): the
        // sales KPIs count it for them and a scope-`own` seller can open the order they entered.
        if (started.created)
          await deps.db
            .update(orders)
            .set({ closedBy: actor, closedByRole: closerRole ?? null, updatedAt: sql`now()` })
            .where(and(eq(orders.id, started.orderId), isNull(orders.closedBy)));
        return {
          status: started.created ? 201 : 200,
          body: {
            orderId: started.orderId,
            workflowId: started.workflowId,
            definition: started.definition,
            created: started.created,
            href: `/api/v1/orders/${encodeURIComponent(started.orderId)}`,
          },
        };
      },
      replayAsRetry,
    );
    res.status(answer.status).json(answer.body);
  });
  return router;
}

const addressLine = (a: ManualOrderBody['shippingAddress']) =>
  [a.street, a.ward, a.district, a.province]
    .map((p) => p?.trim())
    .filter(Boolean)
    .join(', ')
    .slice(0, 500);
