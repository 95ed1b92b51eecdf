import { Router } from 'express';
import type { Db } from '../../db/client';
import { readSimulationHistory } from '../../db/simulate/history';
import { stageTitles } from '../../db/reports/stage-titles';
import { localDay, localMidnight, shopOffsetMinutes } from '../../definitions/rules/local-day';
import { requirePermission } from '../http/auth';
import { queryOf, queryValues } from '../http/contract';
import { badRequest } from '../http/errors';
import type { ShopCache } from '../shop/shop-cache';
import { localRange } from '../books/books';
import { CouriersReportQuery, StaffingQuery } from './contract';
import { courierPerformance } from './couriers';
import { parseVolume, staffingReport } from './staffing';

/** `/reports/staffing` and `/reports/couriers` (mounted at /reports; other reports have their own routers). */
export function reportsRouter(deps: { db: Db; shop: ShopCache }): Router {
  const router = Router();
  router.get('/staffing', requirePermission('reports.read'), queryOf(StaffingQuery), async (req, res) => {
    const q = queryValues(req, StaffingQuery);
    const volume = parseVolume(q.volume);
    if (!volume)
      throw badRequest('volume must be a multiple of the usual orders per day (3x, 1.5x) or a whole number of orders per day (450)', {
        fields: [{ field: 'volume', message: 'must look like 3x or 450' }],
      });
    const shop = await deps.shop.get();
    const offset = shopOffsetMinutes(shop);
    const lastDay = q.to ?? localDay(new Date(localMidnight(localDay(new Date(), offset), offset).getTime() - 1), offset);
    const to = localMidnight(lastDay, offset, 1);
    const from = localMidnight(lastDay, offset, 1 - q.weeks * 7);
    const history = await readSimulationHistory(deps.db, { from: from.getTime(), to: to.getTime() }, shop.workingHours);
    res.json(
      staffingReport({
        history,
        shop,
        weeks: q.weeks,
        volumeText: q.volume,
        volume,
        utilisation: q.utilisation,
        stageTitles: await stageTitles(deps.db, from, to),
      }),
    );
  });
  router.get('/couriers', requirePermission('reports.read'), queryOf(CouriersReportQuery), async (req, res) => {
    const q = queryValues(req, CouriersReportQuery);
    if (q.from && q.to && q.to < q.from)
      throw badRequest('to must not be before from', { fields: [{ field: 'to', message: 'must not be before from' }] });
    const shop = await deps.shop.get();
    const range = localRange(q, shopOffsetMinutes(shop));
    res.json({ from: range.fromDay, to: range.toDay, couriers: await courierPerformance(deps.db, shop, range.from, range.to) });
  });
  return router;
}
