import { Router } from 'express';
import { requirePermission } from '../http/auth';
import type { DashboardStore } from './dashboard';
import type { ShopCache } from './shop-cache';
import type { StuckReport, StuckWorkflows } from '../platform/stuck-workflows';

/** Workflows failing anyway (bugs), for whoever reads the dashboard: ids, what is wrong, since when. */
function stuckView(report: StuckReport | undefined) {
  if (!report) return { count: 0, workflows: [] };
  return {
    count: report.count,
    workflows: report.workflows.map((w) => ({ workflowId: w.workflowId, type: w.type, kind: w.kind, reason: w.reason, since: w.since })),
    checkedAt: report.checkedAt,
    ...(report.error ? { error: report.error } : {}),
  };
}

/** `GET /dashboard`: what is late, today's figures, and the stuck workflows, for managers (`reports.read`). */
export function dashboardRouter(deps: { dashboard: DashboardStore; shop: ShopCache; stuck?: StuckWorkflows }): Router {
  const router = Router();
  router.get('/', requirePermission('reports.read'), async (req, res) => {
    const [view, stuck] = await Promise.all([deps.dashboard.read(req.principal!, await deps.shop.get()), deps.stuck?.read()]);
    // Scope own: the count only; the ids name other people's orders.
    const shown = stuckView(stuck);
    res.json({ ...view, stuck: req.principal!.scope === 'all' ? shown : { count: shown.count, workflows: [] } });
  });
  return router;
}
