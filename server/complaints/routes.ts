import { Router, type Request } from 'express';
import { requirePermission } from '../http/auth';
import type { ComplaintFilter, ComplaintsStore } from './complaints';
import { notFound } from '../http/errors';
import { body, queryOf, queryValues } from '../http/contract';
import { ComplaintBody, ComplaintsQuery } from './contract';

function parseFilter(req: Request): ComplaintFilter {
  const q = queryValues(req, ComplaintsQuery);
  return { status: q.status, customerId: q.customer || undefined, limit: q.limit, cursor: q.cursor || undefined };
}

/** Complaints (khiếu nại): file one (starts `complaint:<id>`), list, read with tasks and timeline. */
export function complaintsRouter(deps: { complaints: ComplaintsStore }): Router {
  const router = Router();

  router.post('/', requirePermission('complaints.manage'), body(ComplaintBody), async (req, res) => {
    const idempotencyKey = req.get('idempotency-key') || undefined;
    const filed = await deps.complaints.file(req.body, { actor: req.principal!.staffId, idempotencyKey });
    res.status(filed.created ? 201 : 200).json(filed);
  });

  router.get('/', requirePermission('complaints.read'), queryOf(ComplaintsQuery), async (req, res) => {
    res.json(await deps.complaints.list(req.principal!, parseFilter(req)));
  });

  // Before '/:id': what a complaint may be filed under, from the active ComplaintProcess.
  router.get('/categories', requirePermission('complaints.read'), async (_req, res) => {
    res.json(await deps.complaints.categories());
  });

  router.get('/:id', requirePermission('complaints.read'), async (req, res) => {
    const complaint = await deps.complaints.detail(req.principal!, String(req.params.id));
    if (!complaint) throw notFound(`no complaint "${req.params.id}"`);
    res.json(complaint);
  });

  return router;
}
