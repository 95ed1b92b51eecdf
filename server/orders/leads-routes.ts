import { Router } from 'express';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { tasks } from '../../db/schema';
import { requirePermission } from '../http/auth';
import type { LeadInput, OrdersService } from './orders';
import { createIdempotency, idempotencyKeyOf, replayAsRetry } from '../http/idempotency';
import { body } from '../http/contract';
import { requestLang } from '../http/lang';
import { LeadBody } from './contract';

/** Where an order's tasks are listed (the first one among them once the workflow opened it). */
export const orderTasksHref = (orderId: string) => `/api/v1/tasks?order=${encodeURIComponent(orderId)}`;

/** `POST /leads`: a lead arrives (from marketing, sales or a channel hook) and its order starts. */
export function leadsRouter(deps: { orders: OrdersService; db: Db }): Router {
  const router = Router();
  const keyed = createIdempotency(deps.db);
  router.post('/', requirePermission('leads.create'), body(LeadBody), async (req, res) => {
    const actor = req.principal!.staffId;
    const idempotencyKey = idempotencyKeyOf(req.get('idempotency-key'));
    // The key is claimed with this body's hash before anything is written: another body under the
    // same key is 409 and creates or changes no customer; a retry of the same body is the same order.
    const answer = await keyed.claimed(
      { scope: 'lead', actor, key: idempotencyKey, body: req.body },
      async () => {
        const started = await deps.orders.startFromLead(req.body as LeadInput, { actor, idempotencyKey, lang: requestLang(req) });
        // The workflow opens the first task a moment after the start: the answer does not wait for
        // it. One read names its assignee when it is already there (a retried lead, usually), else
        // null; `firstTask.href` is where to read it once it exists.
        const [firstTask] = await deps.db
          .select({ assigneeId: tasks.assigneeId })
          .from(tasks)
          .where(eq(tasks.subjectId, started.orderId))
          .orderBy(asc(tasks.createdAt))
          .limit(1);
        return {
          status: started.created ? 201 : 200,
          body: {
            leadId: started.orderId,
            orderId: started.orderId,
            workflowId: started.workflowId,
            definition: started.definition,
            assignedTo: firstTask?.assigneeId ?? null,
            firstTask: { href: orderTasksHref(started.orderId) },
            created: started.created,
          },
        };
      },
      replayAsRetry,
    );
    res.status(answer.status).json(answer.body);
  });
  return router;
}
