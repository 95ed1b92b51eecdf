import { Router } from 'express';
import { requirePermission } from '../http/auth';
import type { SetupChecklistStore } from './setup';

/** `GET /setup`: the first-run checklist, for whoever sets the shop up (`definitions.manage`). */
export function setupRouter(deps: { checklist: SetupChecklistStore }): Router {
  const router = Router();
  router.get('/', requirePermission('definitions.manage'), async (_req, res) => {
    res.json(await deps.checklist.read());
  });
  return router;
}
