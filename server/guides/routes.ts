import { Router } from 'express';
import { requirePermission } from '../http/auth';
import { queryOf, queryValues } from '../http/contract';
import { ScriptsReportQuery } from './contract';
import type { GuidesService } from './guides';

/** `GET /reports/scripts`: close rate per sales script version, with the sample size. */
export function scriptsReportRouter(deps: { guides: GuidesService }): Router {
  const router = Router();
  router.get('/', requirePermission('reports.read'), queryOf(ScriptsReportQuery), async (req, res) => {
    const q = queryValues(req, ScriptsReportQuery);
    res.json({
      scripts: await deps.guides.closeRates({
        stage: q.stage,
        channel: q.channel,
        segment: q.segment,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      }),
    });
  });
  return router;
}
