/**
 * `POST /webhooks/shopify` and `POST /webhooks/haravan`: a web shop's orders.
 * - Verified by the platform's signature (`X-Shopify-Hmac-Sha256` / `X-Haravan-Hmac-Sha256`:
 *   base64 HMAC-SHA256 of the raw body with the app's secret); forged → 401, nothing stored, and
 *   the address is limited like the courier webhooks. A platform without a secret answers 404.
 * - `orders/create`: the order starts as `order:<id>`, its id derived from the platform, shop and
 *   platform order id, so a resent webhook (same order) is the same workflow, never a second
 *   order. It starts at the stage after closing when the platform's order fills the closing form
 *   (see intake.ts), else at closing with the cause on the task. Answered once the workflow is
 *   started: Temporal keeps it while no worker runs; Temporal itself away is 503 (platforms resend).
 * - `orders/cancelled`: cancels that order through its `cancelOrder` update (the courier first, as
 *   staff cancelling do); an order that already ended or never came answers 200 `cancelled: false`.
 * - Other topics are acknowledged and ignored.
 */
import express, { Router, type Request, type Response } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { hasOwnEntry } from '../../definitions/rules/own';
import { normalizePhone } from '../../definitions/rules/phone';
import { cancelOrderUpdate } from '../../workflows/orders/contract';
import { createFailureLimiter } from '../http/auth';
import { HttpError, unprocessable } from '../http/errors';
import { MAX_BODY_DEPTH, nestsDeeperThan, UNSTORABLE_TEXT_MESSAGE, unstorableTextAt } from '../http/validate';
import { newOrderId, orderWorkflowId, type OrdersService } from '../orders/orders';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import type { ShopCache } from '../shop/shop-cache';
import type { TasksStore } from '../tasks/tasks';
import { arrivalOf } from './intake';
import { PLATFORMS, readWebShopOrder, signatureMatches, WebShopOrderError, type WebShopPlatform } from './platforms';

export interface WebShopDeps {
  orders: OrdersService;
  tasks: Pick<TasksStore, 'unknownSkus'>;
  shop: ShopCache;
  temporal: Client;
  db: Db;
  log: Logger;
  settings: Config['webshops'];
}

/** The order id of a platform order: the same platform, shop and order id is always the same order. */
export const webShopOrderId = (platform: WebShopPlatform, shop: string, id: string, createdAt: Date) =>
  newOrderId(createdAt, `${platform}:${shop}:${id}`);

export function webShopWebhooksRouter(deps: WebShopDeps, limits = { maxFailures: 20, windowMs: 60_000 }): Router {
  const router = Router();
  const forgeries = createFailureLimiter(limits.maxFailures, limits.windowMs);
  const secretOf = (platform: WebShopPlatform) =>
    platform === 'shopify' ? deps.settings.shopifyWebhookSecret : deps.settings.haravanWebhookSecret;

  const receive = (platform: WebShopPlatform) => async (req: Request, res: Response) => {
    const spec = PLATFORMS[platform];
    const client = req.ip ?? 'unknown';
    const retryAfter = forgeries.blocked(client);
    if (retryAfter) {
      res.setHeader('Retry-After', String(retryAfter));
      throw new HttpError(
        429,
        'too_many_forged_webhooks',
        `too many webhooks with a wrong signature from this address; retry in ${retryAfter} s`,
      );
    }
    const secret = secretOf(platform);
    if (!secret)
      throw new HttpError(
        404,
        `${platform}_not_configured`,
        `${spec.title} webhooks are not set up on this server: ${platform.toUpperCase()}_WEBHOOK_SECRET is needed`,
      );
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    // Like every JSON route (the Zalo and Facebook webhooks too): a body nesting deeper than
    // MAX_BODY_DEPTH is refused as such, signed or not, before anything else reads it.
    if (nestsDeeperThan(jsonOrUndefined(raw), MAX_BODY_DEPTH))
      throw new HttpError(400, 'bad_request', `body nested too deeply (more than ${MAX_BODY_DEPTH} levels of objects or arrays)`);
    if (!signatureMatches(raw, req.get(spec.hmac), secret)) {
      forgeries.fail(client);
      const why = req.get(spec.hmac) ? `wrong ${spec.hmac}` : `no ${spec.hmac} header`;
      req.log?.warn({ platform, ip: req.ip }, `${platform} webhook rejected: ${why}`);
      throw new HttpError(401, 'forged_webhook', `${platform} webhook rejected: ${why}`);
    }
    const topic = req.get(spec.topic)?.trim();
    if (!topic) throw badWebhook(spec.topic, `the ${spec.topic} header is missing`);
    const shop = req.get(spec.shop)?.trim();
    if (!shop || shop.length > 255) throw badWebhook(spec.shop, `the ${spec.shop} header is missing`);
    const body = parseBody(raw);

    if (topic === 'orders/create') {
      res.json(await receiveOrder(deps, platform, shop, body, webhookIdOf(req, platform)));
    } else if (topic === 'orders/cancelled') {
      res.json(await cancelOrder(deps, platform, shop, body));
    } else {
      res.json({ ok: true, topic, ignored: true });
    }
  };
  // Each platform's own path, so the raw body is read only for its webhooks (others under /webhooks parse their own).
  for (const platform of Object.keys(PLATFORMS) as WebShopPlatform[]) {
    router.post(`/${platform}`, express.raw({ type: () => true, limit: '1mb' }), receive(platform));
  }
  return router;
}

/** `orders/create`: the order starts (closed when its data allows), once. */
async function receiveOrder(deps: WebShopDeps, platform: WebShopPlatform, shop: string, body: Record<string, unknown>, webhookId?: string) {
  const order = readOrThrow(platform, shop, body);
  // Customers are one per phone and couriers need one: a number that is not Vietnamese names the platform's field.
  if (!normalizePhone(order.customer.phone)) {
    const message = `"${order.customer.phone.slice(0, 40)}" is not a Vietnamese phone number (0xxxxxxxxx or +84xxxxxxxxx)`;
    throw unprocessable(`cannot read the ${platform} order: ${message}`, { fields: [{ field: 'shipping_address.phone', message }] });
  }
  const shopDefinition = await deps.shop.get();
  // The platform's own channel when the shop lists it, else its website channel.
  const channel = hasOwnEntry(shopDefinition.channels, platform) ? platform : 'website';
  const orderId = webShopOrderId(platform, shop, order.id, order.createdAt);
  let started;
  try {
    started = await deps.orders.startFromLead(
      {
        channel,
        source: `${platform}:${shop}`.slice(0, 200),
        note: `Đơn ${PLATFORMS[platform].title} ${order.name}${order.note ? ` — khách ghi: ${order.note}` : ''}`.slice(0, 2000),
        customer: { name: order.customer.name.slice(0, 200), phone: order.customer.phone, address: addressText(order.address) },
      },
      {
        actor: platform,
        orderId,
        arrival: async (process) => {
          const arrival = await arrivalOf(order, process, (skus) => deps.tasks.unknownSkus(skus));
          if (arrival.intakeProblem) deps.log.warn({ platform, shop, order: order.name, orderId }, arrival.intakeProblem);
          return arrival;
        },
      },
    );
  } catch (err) {
    if (err instanceof HttpError) throw err;
    // Temporal (or the database) is away: the platform resends, and the resend starts the same order.
    deps.log.error({ err, platform, shop, order: order.name }, 'web-shop order not started');
    throw new HttpError(503, 'unavailable', 'the order could not be started yet; please resend');
  }
  return {
    ok: true,
    topic: 'orders/create',
    orderId: started.orderId,
    created: started.created,
    duplicate: !started.created,
    ...(webhookId ? { webhookId } : {}),
  };
}

/** `orders/cancelled`: the shopflow order of that platform order is cancelled, as staff cancel. */
async function cancelOrder(deps: WebShopDeps, platform: WebShopPlatform, shop: string, body: Record<string, unknown>) {
  const order = readOrThrow(platform, shop, body);
  const orderId = webShopOrderId(platform, shop, order.id, order.createdAt);
  const reason = `${PLATFORMS[platform].title}: đơn ${order.name} đã hủy trên nền tảng${order.cancelReason ? ` (${order.cancelReason})` : ''}`;
  try {
    const result = await deps.temporal.withDeadline(Date.now() + 5_000, () =>
      deps.temporal.workflow.getHandle(orderWorkflowId(orderId)).executeUpdate(cancelOrderUpdate, { args: [{ reason, actor: platform }] }),
    );
    return {
      ok: true,
      topic: 'orders/cancelled',
      orderId,
      cancelled: result.cancelled,
      ...(result.reason ? { reason: result.reason } : {}),
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError)
      return { ok: true, topic: 'orders/cancelled', orderId, cancelled: false, reason: 'shopflow has no order for it' };
    if (err instanceof WorkflowUpdateFailedError)
      // Refused by the order itself (already ended, parcel delivered): nothing to resend.
      return {
        ok: true,
        topic: 'orders/cancelled',
        orderId,
        cancelled: false,
        reason: (err.cause as Error | undefined)?.message ?? err.message,
      };
    deps.log.error({ err, platform, shop, orderId }, 'web-shop cancellation not delivered');
    throw new HttpError(503, 'unavailable', 'the cancellation could not be delivered to the order yet; please resend');
  }
}

function readOrThrow(platform: WebShopPlatform, shop: string, body: Record<string, unknown>) {
  try {
    return readWebShopOrder(platform, shop, body);
  } catch (err) {
    if (err instanceof WebShopOrderError)
      throw unprocessable(`cannot read the ${platform} order: ${err.message}`, { fields: [{ field: err.field, message: err.message }] });
    throw err;
  }
}

/** The body as JSON, or undefined when it is not JSON (parseBody says so, once the sender is known). */
function jsonOrUndefined(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

function parseBody(raw: Buffer): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badWebhook('body', 'the body is not JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badWebhook('body', 'the body is not a JSON object');
  if (nestsDeeperThan(body, MAX_BODY_DEPTH)) throw badWebhook('body', `the body nests deeper than ${MAX_BODY_DEPTH} levels`);
  const unstorable = unstorableTextAt(body);
  if (unstorable) throw badWebhook(unstorable, `${unstorable} ${UNSTORABLE_TEXT_MESSAGE}`);
  return body as Record<string, unknown>;
}

function webhookIdOf(req: Request, platform: WebShopPlatform): string | undefined {
  const header = PLATFORMS[platform].webhookId;
  const id = header ? req.get(header)?.trim() : undefined;
  return id && id.length <= 200 ? id : undefined;
}

function addressText(a: { street?: string; ward?: string; district?: string; province?: string }): string | undefined {
  const text = [a.street, a.ward, a.district, a.province].filter(Boolean).join(', ');
  return text ? text.slice(0, 500) : undefined;
}

function badWebhook(field: string, message: string): HttpError {
  return new HttpError(400, 'bad_webhook', `cannot read the webhook: ${message}`, { fields: [{ field, message }] });
}
