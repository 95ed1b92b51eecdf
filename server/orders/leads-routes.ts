import { Router } from 'express';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { tasks } from '../../db/schema';
import { requirePermission } from '../http/auth';
import type { LeadInput, OrdersService } from './orders';
import { createIdempotency, idempotencyKeyOf, replayAsRetry } from '../http/idempotency';
import { body } from '../http/contract';
import { LeadBody } from './contract';

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
        const started = await deps.orders.startFromLead(req.body as LeadInput, { actor, idempotencyKey });
        // The first task is opened by the workflow a moment after the start; wait briefly to name its assignee.
        let firstTask: { assigneeId: string | null } | undefined;
        for (let i = 0; i < 20 && !firstTask; i++) {
          [firstTask] = await deps.db
            .select({ assigneeId: tasks.assigneeId })
            .from(tasks)
            .where(eq(tasks.subjectId, started.orderId))
            .limit(1);
          if (!firstTask) await new Promise((r) => setTimeout(r, 100));
        }
        return {
          status: started.created ? 201 : 200,
          body: {
            leadId: started.orderId,
            orderId: started.orderId,
            workflowId: started.workflowId,
            definition: started.definition,
            assignedTo: firstTask?.assigneeId ?? null,
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
