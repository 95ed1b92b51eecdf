import express, { Router } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { CourierDirectory } from '../../activities/shipping/couriers/directory';
import { ForgedWebhookError, toCourierNews } from '../../definitions/rules/courier-status';
import { recordNotification } from '../../db/notifications/outbox';
import { markCourierEventSignalled, recordCourierEvent } from '../../db/shipping/courier-events';
import type { Db } from '../../db/client';
import { courierEventSignal } from '../../workflows/orders/order';
import { createFailureLimiter } from '../http/auth';
import { HttpError, notFound } from '../http/errors';
import type { Logger } from '../platform/logger';
import { orderWorkflowId } from '../orders/orders';
import { limitBodyDepth, UNSTORABLE_TEXT_MESSAGE, unstorableTextAt } from '../http/validate';

/**
 * `POST /webhooks/couriers/:courier`: verified by the courier's secret (each adapter reads its own
 * shape: GHN JSON with a `Token` header, GHTK form fields with `hash`, Viettel Post JSON
 * `{DATA, TOKEN}` with `Authorization`; the JSON and form parsers below cover all three), recorded once per event
 * (duplicates and stale events are kept but never move a shipment back), then signalled to the
 * order's workflow. Answered quickly; if the signal cannot be sent, 503 makes the courier resend
 * and the resend delivers it. Forged requests (wrong or missing secret) are limited per client
 * address like failed logins, so guessing a courier's secret is slow; a right secret is never counted.
 */
export function courierWebhooksRouter(
  deps: { db: Db; couriers: CourierDirectory; temporal: Client; log: Logger },
  limits = { maxFailures: 20, windowMs: 60_000 },
): Router {
  const router = Router();
  const forgeries = createFailureLimiter(limits.maxFailures, limits.windowMs);
  router.post(
    '/:courier',
    express.json({ limit: '64kb' }),
    express.urlencoded({ extended: false, limit: '64kb' }),
    limitBodyDepth,
    async (req, res) => {
      const courierId = String(req.params.courier);
      const client = req.ip ?? 'unknown';
      const retryAfter = forgeries.blocked(client);
      if (retryAfter) {
        res.setHeader('Retry-After', String(retryAfter));
        throw new HttpError(
          429,
          'too_many_forged_webhooks',
          `too many webhooks with a wrong secret from this address; retry in ${retryAfter} s`,
        );
      }
      const adapter = await deps.couriers.get(courierId).catch(() => {
        throw notFound(`no enabled courier "${courierId}"`);
      });
      const unstorable = unstorableTextAt(req.body);
      if (unstorable)
        throw new HttpError(400, 'bad_webhook', `cannot read the ${courierId} webhook: ${unstorable} ${UNSTORABLE_TEXT_MESSAGE}`);
      let events;
      try {
        events = adapter.parseWebhook({
          headers: req.headers,
          query: req.query as Record<string, unknown>,
          body: (req.body ?? {}) as Record<string, unknown>,
        });
      } catch (err) {
        if (err instanceof ForgedWebhookError) {
          forgeries.fail(client);
          req.log.warn({ courier: courierId, ip: req.ip }, err.message);
          throw new HttpError(401, 'forged_webhook', err.message);
        }
        throw new HttpError(400, 'bad_webhook', `cannot read the ${courierId} webhook: ${(err as Error).message}`);
      }
      let applied = 0;
      let duplicates = 0;
      for (const event of events) {
        const recorded = await recordCourierEvent(deps.db, event, 'webhook');
        if (recorded.duplicate) duplicates++;
        if (event.state === 'unknown' && !recorded.duplicate) {
          await recordNotification(deps.db, deps.log, {
            roles: ['manager', 'warehouse-lead'],
            message: `${courierId} báo trạng thái lạ "${event.rawStatus}" cho đơn ${recorded.orderId ?? event.orderCode}: cần kiểm tra tay (unknown status "${event.rawStatus}")`,
            subject: recorded.orderId ? { type: 'order', id: recorded.orderId } : undefined,
            dedupeKey: `courier-unknown:${courierId}:${event.eventKey}`,
            kind: 'courier',
            priority: 'urgent',
            data: { courier: courierId, status: event.rawStatus, trackingCode: event.trackingCode },
          });
        }
        if (!recorded.applied || recorded.signalled || !recorded.orderId) continue;
        try {
          // Couriers wait for our answer: if Temporal is away, answer 503 within seconds (they resend)
          // rather than holding the request open in the client's retry loop.
          await deps.temporal.withDeadline(Date.now() + 5_000, () =>
            deps.temporal.workflow.getHandle(orderWorkflowId(recorded.orderId!)).signal(courierEventSignal, toCourierNews(event)),
          );
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) {
            throw new HttpError(503, 'unavailable', 'the event is recorded but could not be delivered to the order yet; please resend');
          }
          // The order has already ended: the event stays recorded for the timeline.
        }
        await markCourierEventSignalled(deps.db, recorded.eventId);
        applied++;
      }
      res.json({ ok: true, received: events.length, applied, duplicates });
    },
  );
  return router;
}
