/**
 * Leads from the shop's channels:
 * - `GET /webhooks/facebook`: the subscription handshake (`hub.mode=subscribe`, `hub.verify_token`
 *   = FACEBOOK_VERIFY_TOKEN) answers `hub.challenge`; anything else 403.
 * - `POST /webhooks/facebook`: Messenger messages and lead-ads leads, verified by
 *   `X-Hub-Signature-256` over the raw body (FACEBOOK_APP_SECRET); a wrong or missing signature
 *   is 401 and stores nothing.
 * - Zalo OA `user_send_text` from a user no confirmation awaits: a handler of `POST /webhooks/zalo`
 *   (server/messaging/routes.ts keeps its verification and the confirmation replies).
 * - `POST /api/v1/public/leads`: the website's lead form, no token; origin allow-list (CORS),
 *   a per-address rate limit, a honeypot field and a minimum fill time.
 * - `GET /embed/lead-form.js`: the snippet a shop pastes into its pages.
 * Every delivery is stored first (once, by its platform id) and answered at once; the relay starts
 * its workflow (server/inbound/relay.ts), which does the work.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import { storeInboundEvents, type InboundDelivery } from '../../db/inbound/events';
import { normalizePhone } from '../../definitions/rules/phone';
import { createFailureLimiter } from '../http/auth';
import { body, queryOf, queryValues } from '../http/contract';
import { HttpError, unprocessable } from '../http/errors';
import { MAX_BODY_DEPTH, limitBodyDepth, nestsDeeperThan } from '../http/validate';
import type { InboundConfig } from '../platform/config';
import type { ZaloEvent, ZaloEventHandler } from '../messaging/routes';
import { FacebookVerifyQuery, PublicLeadBody } from './contract';
import { facebookDeliveries, verifyFacebookSignature } from './facebook';
import type { InboundRelay } from './relay';

export interface InboundDeps {
  db: Db;
  log: Logger;
  settings: InboundConfig;
  relay: InboundRelay;
}

/** Stores deliveries and wakes the relay; the answer never waits on Temporal. */
async function accept(deps: InboundDeps, deliveries: InboundDelivery[]) {
  const stored = await storeInboundEvents(deps.db, deliveries);
  if (stored.stored) deps.relay.kick();
  return stored;
}

/** `GET`/`POST /webhooks/facebook`. */
export function facebookWebhookRouter(deps: InboundDeps, limits = { maxFailures: 20, windowMs: 60_000 }): Router {
  const router = Router();
  const forgeries = createFailureLimiter(limits.maxFailures, limits.windowMs);
  const configured = () => {
    if (!deps.settings.facebookAppSecret || !deps.settings.facebookVerifyToken)
      throw new HttpError(
        404,
        'facebook_not_configured',
        'Facebook webhooks are not set up on this server: FACEBOOK_APP_SECRET and FACEBOOK_VERIFY_TOKEN are needed',
      );
    return { appSecret: deps.settings.facebookAppSecret, verifyToken: deps.settings.facebookVerifyToken };
  };

  router.get('/facebook', queryOf(FacebookVerifyQuery), (req, res) => {
    const { verifyToken } = configured();
    const q: Record<string, string | undefined> = { ...queryValues(req, FacebookVerifyQuery) };
    const token = Buffer.from(q['hub.verify_token'] ?? '');
    const expected = Buffer.from(verifyToken);
    const matches = token.length === expected.length && crypto.timingSafeEqual(token, expected);
    if (q['hub.mode'] !== 'subscribe' || !matches || !q['hub.challenge'])
      throw new HttpError(403, 'forbidden', 'hub.mode must be subscribe and hub.verify_token must be the FACEBOOK_VERIFY_TOKEN');
    res.type('text/plain').send(q['hub.challenge']);
  });

  router.post('/facebook', express.raw({ type: () => true, limit: '256kb' }), async (req, res) => {
    const retryAfter = forgeries.blocked(req.ip ?? 'unknown');
    if (retryAfter) {
      res.setHeader('Retry-After', String(retryAfter));
      throw new HttpError(
        429,
        'too_many_forged_webhooks',
        `too many webhooks with a wrong signature from this address; retry in ${retryAfter} s`,
      );
    }
    const { appSecret } = configured();
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let parsed: unknown;
    let json = true;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      json = false;
    }
    // Refused for its depth like every JSON route, before anything else is looked at.
    if (json && nestsDeeperThan(parsed, MAX_BODY_DEPTH))
      throw new HttpError(400, 'bad_request', `body nested too deeply (more than ${MAX_BODY_DEPTH} levels of objects or arrays)`);
    if (!verifyFacebookSignature(raw, req.get('x-hub-signature-256'), appSecret)) {
      forgeries.fail(req.ip ?? 'unknown');
      req.log?.warn({ provider: 'facebook', ip: req.ip }, 'forged Facebook webhook');
      throw new HttpError(401, 'forged_webhook', 'the Facebook webhook signature (X-Hub-Signature-256) does not match');
    }
    if (!json) throw new HttpError(400, 'bad_webhook', 'the Facebook webhook body is not JSON');
    const { deliveries, ignored } = facebookDeliveries(parsed);
    const stored = await accept(deps, deliveries);
    res.json({ ok: true, ...stored, ignored });
  });
  return router;
}

/** Zalo `user_send_text` from a user no confirmation awaits: a lead on channel `zalo` (after the confirmation replies' handler). */
export function zaloLeadHandlers(deps: InboundDeps): Record<string, ZaloEventHandler[]> {
  return {
    user_send_text: [
      async (event: ZaloEvent) => {
        // The confirmation replies' handler checked these fields before passing the event on.
        const text = String(event.message?.text ?? '');
        const stored = await accept(deps, [
          {
            channel: 'zalo',
            dedupeKey: `zalo:msg:${event.message?.msg_id}`,
            kind: 'message',
            contact: `zalo:${event.sender?.id}`,
            payload: { text, source: 'zalo-oa' },
          },
        ]);
        return { lead: true, duplicate: stored.duplicates > 0 };
      },
    ],
  };
}

/** The website form: its CORS, limits and spam checks. */
export function publicLeadsRouter(deps: InboundDeps): Router {
  const router = Router();
  // Forms taken per client address a minute (the limiter counts "failures"; here each form taken).
  const perMinute = createFailureLimiter(deps.settings.publicLeadPerMinute, 60_000);
  const allowed = new Set(deps.settings.publicLeadOrigins);

  /**
   * The page's origin must be on the allow-list: a browser always sends Origin on a cross-origin
   * POST and on a preflight. A wrong one is 403; a request with none (not from a browser) is
   * told which header it lacks once its body is checked.
   */
  const checkOrigin = (req: Request, res: Response, required: boolean): boolean => {
    const origin = req.get('origin');
    if (!origin && !required) return false;
    if (!origin || !allowed.has(origin))
      throw new HttpError(403, 'origin_not_allowed', `pages of ${origin ?? 'no origin'} may not post the lead form (PUBLIC_LEAD_ORIGINS)`, {
        fields: [{ field: 'Origin', message: origin ? `${origin} is not in PUBLIC_LEAD_ORIGINS` : 'the Origin header is missing' }],
      });
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    return true;
  };

  // The CORS preflight is protocol, not an operation of the API: middleware, answered before the route.
  router.use('/leads', (req, res, next) => {
    if (req.method !== 'OPTIONS') return next();
    checkOrigin(req, res, true);
    res.setHeader('Access-Control-Allow-Methods', 'POST');
    res.setHeader('Access-Control-Allow-Headers', 'content-type');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  });

  router.post(
    '/leads',
    (req, res, next) => {
      res.locals.originChecked = checkOrigin(req, res, false);
      const client = req.ip ?? 'unknown';
      const retryAfter = perMinute.blocked(client);
      if (retryAfter) {
        res.setHeader('Retry-After', String(retryAfter));
        throw new HttpError(429, 'too_many_requests', `quá nhiều lần gửi từ địa chỉ này; thử lại sau ${retryAfter} giây`);
      }
      next();
    },
    express.json({ limit: '64kb' }),
    limitBodyDepth,
    body(PublicLeadBody),
    async (req, res) => {
      const form = req.body as PublicLeadBody;
      const fields: Array<{ field: string; message: string }> = [];
      if (!res.locals.originChecked)
        fields.push({ field: 'Origin', message: 'thiếu header Origin: biểu mẫu chỉ nhận từ trình duyệt trên trang của shop' });
      if (form.homepage) fields.push({ field: 'homepage', message: 'trường này phải để trống' });
      const filledMs = Date.now() - form.startedAt;
      if (!(filledMs >= deps.settings.publicLeadMinFillMs))
        fields.push({
          field: 'startedAt',
          message: `biểu mẫu được gửi quá nhanh (dưới ${Math.ceil(deps.settings.publicLeadMinFillMs / 1000)} giây)`,
        });
      else if (filledMs > 86_400_000) fields.push({ field: 'startedAt', message: 'biểu mẫu đã mở quá lâu; hãy tải lại trang' });
      const phone = normalizePhone(form.phone);
      if (!phone) fields.push({ field: 'phone', message: `"${form.phone}" không phải số điện thoại Việt Nam` });
      if (fields.length) throw unprocessable('biểu mẫu chưa hợp lệ', { fields });
      // Counted once it is a form a person could have sent: junk is refused above without costing a write.
      perMinute.fail(req.ip ?? 'unknown');
      const text = [form.product ? `Sản phẩm: ${form.product}` : '', form.note ?? ''].filter(Boolean).join('\n');
      const stored = await accept(deps, [
        {
          channel: 'website',
          dedupeKey: `website:${form.submissionId}`,
          kind: 'web-form',
          contact: `phone:${phone}`,
          payload: {
            name: form.name.trim(),
            phone: phone!,
            ...(text ? { text } : {}),
            ...(form.page ? { pageUrl: form.page } : {}),
            ...(form.campaign ? { campaign: form.campaign } : {}),
            source: form.source ?? 'website-form',
          },
        },
      ]);
      res.status(202).json({ received: true, duplicate: stored.duplicates > 0, message: 'Cảm ơn bạn! Shop sẽ liên hệ trong ít phút.' });
    },
  );
  return router;
}

const EMBED_FILE = path.join(__dirname, 'embed', 'lead-form.js');

/** `GET /embed/lead-form.js`: the snippet, loaded by other sites' pages, so it may be read cross-origin. */
export function embedRouter(): Router {
  const router = Router();
  const script = fs.readFileSync(EMBED_FILE, 'utf8');
  // A static asset like the console's (middleware, not an API operation).
  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path !== '/lead-form.js') return next();
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('application/javascript').send(script);
  });
  return router;
}
