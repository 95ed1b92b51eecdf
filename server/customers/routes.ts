import { Router, type Request } from 'express';
import { requirePermission } from '../http/auth';
import type { CustomerFilter, CustomersStore } from './customers';
import { toCustomerView } from './customers';
import { badRequest, notFound } from '../http/errors';
import type { ShopCache } from '../shop/shop-cache';
import { body, queryOf, queryValues } from '../http/contract';
import { CreateCustomerBody, CustomersQuery, MergeCustomerBody, PatchCustomerBody } from './contract';

function parseFilter(req: Request): CustomerFilter {
  const q = queryValues(req, CustomersQuery);
  return { q: q.q, segment: q.segment || undefined, limit: q.limit, cursor: q.cursor || undefined };
}

/** The CRM: search, create, change, read with full history, merge duplicates. */
export function customersRouter(deps: { customers: CustomersStore; shop: ShopCache }): Router {
  const router = Router();
  router.use(requirePermission('customers.read'));

  const visible = async (req: Request) => {
    const row = await deps.customers.get(req.principal!, String(req.params.id));
    if (!row) throw notFound(`no customer "${req.params.id}"`);
    return row;
  };

  router.get('/', queryOf(CustomersQuery), async (req, res) => {
    const filter = parseFilter(req);
    const shop = await deps.shop.get();
    if (filter.segment && !shop.segments.some((s) => s.id === filter.segment)) {
      const known = shop.segments.map((s) => s.id).join(', ');
      throw badRequest(`unknown segment "${filter.segment}" — segments: ${known}`, {
        fields: [{ field: 'segment', message: `is not a segment of shop.yaml; segments: ${known}` }],
      });
    }
    res.json(await deps.customers.list(req.principal!, filter, shop));
  });

  router.post('/', requirePermission('customers.manage'), body(CreateCustomerBody), async (req, res) => {
    const shop = await deps.shop.get();
    const row = await deps.customers.create(req.body, req.principal!.staffId, shop);
    res.status(201).json(toCustomerView(row, shop));
  });

  router.get('/:id', async (req, res) => {
    const row = await visible(req);
    if (row.mergedInto) {
      const survivor = (await deps.customers.survivorOf(row.id))!;
      res
        .status(301)
        .location(`${req.baseUrl}/${survivor.id}`)
        .json({ id: row.id, mergedInto: survivor.id, mergedAt: row.mergedAt?.toISOString() ?? null });
      return;
    }
    res.json(await deps.customers.detail(row, await deps.shop.get()));
  });

  router.patch('/:id', requirePermission('customers.manage'), body(PatchCustomerBody), async (req, res) => {
    const row = await visible(req);
    if (row.mergedInto) throw notFound(`customer "${row.id}" was merged into ${row.mergedInto}: change that one`);
    const shop = await deps.shop.get();
    res.json(toCustomerView(await deps.customers.update(row, req.body, req.principal!.staffId, shop), shop));
  });

  router.post('/:id/merge', requirePermission('customers.merge'), body(MergeCustomerBody), async (req, res) => {
    const shop = await deps.shop.get();
    const { survivor, moved } = await deps.customers.merge(String(req.params.id), req.body.duplicateId, req.principal!.staffId, shop);
    res.json({ customer: toCustomerView(survivor, shop), mergedId: req.body.duplicateId, moved });
  });

  return router;
}
