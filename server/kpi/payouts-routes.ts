import { Router } from 'express';
import { can, requirePermission, type Principal } from '../http/auth';
import { queryOf, queryValues } from '../http/contract';
import { forbidden } from '../http/errors';
import type { PayoutsService, PayoutViewer } from './payouts';
import { LeaderboardQuery, MyPayoutQuery, StaffPayoutsQuery } from './payouts-contract';

/** Like KPI periods: scope `own` without `kpi.manage` reads only its own amounts. */
function viewerOf(p: Principal): PayoutViewer {
  return p.scope === 'all' || can(p, 'kpi.manage') ? {} : { ownStaffId: p.staffId };
}

/** Everyone's pay is for managers (`kpi.manage`) and accounting (`books.manage`). */
function requirePayoutReader(p: Principal): void {
  if (!can(p, 'kpi.manage') && !can(p, 'books.manage'))
    throw forbidden('everyone\'s payouts need "kpi.manage" or "books.manage"; your own statement is at /api/v1/me/payout');
}

const csvName = (id: string) => `payouts-${id.replace(/[^\w.-]+/g, '_')}.csv`;

/** `/kpi/...` leaderboards and payouts. */
export function payoutsRouter(deps: { payouts: PayoutsService }): Router {
  const router = Router();
  router.use(requirePermission('kpi.read'));

  router.get('/periods/:id/leaderboard', queryOf(LeaderboardQuery), async (req, res) => {
    const { by } = queryValues(req, LeaderboardQuery);
    res.json(await deps.payouts.leaderboard(String(req.params.id), by, viewerOf(req.principal!)));
  });

  const sendCsv = async (id: string, res: import('express').Response) => {
    const text = await deps.payouts.csv(id);
    res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${csvName(id)}"`);
    res.send(text);
  };
  router.get('/periods/:id/payouts.csv', async (req, res) => {
    requirePayoutReader(req.principal!);
    await sendCsv(String(req.params.id), res);
  });
  router.get('/periods/:id/payouts', async (req, res) => {
    requirePayoutReader(req.principal!);
    const id = String(req.params.id);
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') return sendCsv(id, res);
    res.json(await deps.payouts.payouts(id));
  });

  router.get('/staff/:id/payouts', queryOf(StaffPayoutsQuery), async (req, res) => {
    const id = String(req.params.id);
    const p = req.principal!;
    if (id !== p.staffId && !can(p, 'kpi.manage')) throw forbidden('you may only see your own payout statements');
    const { period } = queryValues(req, StaffPayoutsQuery);
    const statements = period ? [await deps.payouts.statement(id, period)] : await deps.payouts.statements(id);
    res.json({ staffId: id, statements });
  });
  return router;
}

/** `/me/payout`: the caller's own statement, whatever their roles. */
export function myPayoutRouter(deps: { payouts: PayoutsService }): Router {
  const router = Router();
  router.get('/me/payout', queryOf(MyPayoutQuery), async (req, res) => {
    const { period } = queryValues(req, MyPayoutQuery);
    res.json(await deps.payouts.statement(req.principal!.staffId, period));
  });
  return router;
}
