import { Router } from 'express';
import { can, requirePermission, type Principal } from '../http/auth';
import { forbidden } from '../http/errors';
import type { KpiService, KpiViewer } from './kpi';
import { body, queryOf, queryValues } from '../http/contract';
import { KpiPeriodsQuery, ReviseTargetBody, StartPeriodBody } from './contract';

/**
 * Scope `own` covers KPI like every other record: such a caller reads totals and their own row.
 * `kpi.manage` sets targets per rep, so it sees every rep whatever the scope.
 */
function viewerOf(p: Principal): KpiViewer {
  return p.scope === 'all' || can(p, 'kpi.manage') ? {} : { ownStaffId: p.staffId };
}

/** KPI periods: targets vs actuals, staff figures, on-demand starts, target revisions, CSV. */
export function kpiRouter(deps: { kpi: KpiService }): Router {
  const router = Router();
  router.use(requirePermission('kpi.read'));

  router.get('/periods', queryOf(KpiPeriodsQuery), async (req, res) => {
    res.json({ periods: await deps.kpi.list(queryValues(req, KpiPeriodsQuery).plan, viewerOf(req.principal!)) });
  });
  router.get('/periods/current', async (req, res) => {
    res.json(await deps.kpi.current(viewerOf(req.principal!)));
  });
  router.post('/periods', requirePermission('kpi.manage'), body(StartPeriodBody), async (req, res) => {
    const started = await deps.kpi.start(req.body ?? {});
    res.status(started.created ? 201 : 200).json(started);
  });
  router.get('/periods/:id', async (req, res) => {
    res.json(await deps.kpi.get(String(req.params.id), viewerOf(req.principal!)));
  });
  router.post('/periods/:id/targets', requirePermission('kpi.manage'), body(ReviseTargetBody), async (req, res) => {
    const body = req.body as { metric: string; scope?: string; value: number; reason: string };
    const targets = await deps.kpi.reviseTarget(String(req.params.id), {
      metric: body.metric,
      scope: (body.scope ?? 'total') as 'total',
      value: body.value,
      reason: body.reason,
      actor: req.principal!.staffId,
    });
    res.json({ id: String(req.params.id), targets });
  });
  router.get('/periods/:id/export.csv', async (req, res) => {
    const id = String(req.params.id);
    const csv = await deps.kpi.csv(id, viewerOf(req.principal!));
    res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="kpi-${id.replace(/[^\w.-]+/g, '_')}.csv"`);
    res.send(`\uFEFF${csv}`); // BOM: Excel opens UTF-8 Vietnamese text correctly
  });
  router.get('/staff/:id', async (req, res) => {
    const id = String(req.params.id);
    const p = req.principal!;
    // Staff see their own figures; managers (kpi.manage) see everyone's.
    if (id !== p.staffId && !can(p, 'kpi.manage')) throw forbidden('you may only see your own KPI figures');
    res.json({ staffId: id, periods: await deps.kpi.staffFigures(id) });
  });
  return router;
}
