/**
 * `/__sim`: hooks for fault and scenario tests. Not part of any courier's API.
 * - `POST /__sim/faults {createFailures, status?, timeoutMs?}`: the next N create calls fail
 *   (`status`, default 500) or are answered only after `timeoutMs` (the shipment is created).
 * - `GET /__sim/faults`: the armed fault.
 * - `GET /__sim/shipments`: every shipment with its create-call count and status history.
 * - `POST /__sim/shipments/:code/advance {status, reason?, reasonCode?, partial?}`: one status
 *   change now (in the shipment's courier's words), its webhook delivered before the answer; the
 *   rest of the scenario is dropped. `partial: true` makes it a partial delivery.
 */
import express, { Router } from 'express';
import { numberOf, textOf, type SimContext } from './context';
import { shipmentView } from './state';

export function testHooksRouter(ctx: SimContext): Router {
  const router = Router();
  router.use(express.json({ limit: '16kb' }));

  router.get('/faults', (_req, res) => {
    res.json({ faults: ctx.store.fault() });
  });

  router.post('/faults', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const remaining = numberOf(body.createFailures ?? 0);
    const status = body.status === undefined ? undefined : numberOf(body.status);
    const timeoutMs = body.timeoutMs === undefined ? undefined : numberOf(body.timeoutMs);
    if (!Number.isInteger(remaining) || remaining < 0) return void res.status(400).json({ error: 'createFailures must be an integer ≥ 0' });
    if (status !== undefined && !(Number.isInteger(status) && status >= 400 && status <= 599))
      return void res.status(400).json({ error: 'status must be an HTTP error status (400-599)' });
    if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0))
      return void res.status(400).json({ error: 'timeoutMs must be a positive integer' });
    ctx.store.setFault({ remaining, status: status ?? (timeoutMs ? undefined : 500), timeoutMs });
    res.json({ faults: ctx.store.fault() });
  });

  router.get('/shipments', (_req, res) => {
    res.json({ shipments: ctx.store.all().map((s) => shipmentView(s, ctx.store.createCallsOf(s.api, s.clientOrderCode))) });
  });

  router.post('/shipments/:code/advance', async (req, res) => {
    const s = ctx.store.byTracking(String(req.params.code));
    if (!s) return void res.status(404).json({ error: `no shipment ${String(req.params.code)}` });
    const status = textOf(req.body?.status);
    if (!status)
      return void res.status(400).json({ error: 'status is required (GHN status name, GHTK status_id or Viettel Post ORDER_STATUS)' });
    const webhook = await ctx.player.advance(s, {
      status,
      reason: textOf(req.body?.reason) || undefined,
      reasonCode: textOf(req.body?.reasonCode) || undefined,
      partial: req.body?.partial === true,
    });
    res.json({ shipment: shipmentView(s, ctx.store.createCallsOf(s.api, s.clientOrderCode)), webhook });
  });

  return router;
}
