import { Router, type Request } from 'express';
import { requirePermission } from '../http/auth';
import type { ComplaintFilter, ComplaintsStore } from './complaints';
import { badRequest, notFound } from '../http/errors';
import { parseLimit } from '../http/pagination';
import { validateBody } from '../http/validate';

export const complaintSchema = {
  type: 'object', additionalProperties: false, required: ['category', 'description'],
  properties: {
    customerId: { type: 'string', minLength: 1, description: 'The customer (or give phone)' },
    phone: { type: 'string', minLength: 8, maxLength: 20, description: 'The customer\'s phone in any accepted format (or give customerId)' },
    orderId: { type: 'string', minLength: 1, description: 'The order complained about, if any (must be the customer\'s)' },
    category: { type: 'string', minLength: 1, description: 'A category id of the active ComplaintProcess' },
    description: { type: 'string', minLength: 1, maxLength: 5000 },
  },
};

function parseFilter(req: Request): ComplaintFilter {
  const q = req.query as Record<string, string | undefined>;
  if (q.status && !['open', 'resolved', 'rejected'].includes(q.status)) throw badRequest('status must be open, resolved or rejected');
  return { status: q.status as ComplaintFilter['status'], customerId: q.customer || undefined, limit: parseLimit(q.limit), cursor: q.cursor || undefined };
}

/** Complaints (khiếu nại): file one (starts `complaint:<id>`), list, read with tasks and timeline. */
export function complaintsRouter(deps: { complaints: ComplaintsStore }): Router {
  const router = Router();

  router.post('/', requirePermission('complaints.manage'), validateBody(complaintSchema), async (req, res) => {
    const idempotencyKey = req.get('idempotency-key') || undefined;
    const filed = await deps.complaints.file(req.body, { actor: req.principal!.staffId, idempotencyKey });
    res.status(filed.created ? 201 : 200).json(filed);
  });

  router.get('/', requirePermission('complaints.read'), async (req, res) => {
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
