import { Router } from 'express';
import { requirePermission } from '../auth';
import type { DashboardStore } from '../dashboard-store';
import type { ShopCache } from '../shop-cache';

/** `GET /dashboard`: what is late and today's figures, for managers (`reports.read`). */
export function dashboardRouter(deps: { dashboard: DashboardStore; shop: ShopCache }): Router {
  const router = Router();
  router.get('/', requirePermission('reports.read'), async (req, res) => {
    res.json(await deps.dashboard.read(req.principal!, await deps.shop.get()));
  });
  return router;
}
