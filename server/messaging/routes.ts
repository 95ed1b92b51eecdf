/**
 * Webhooks of customers' providers:
 * - `POST /webhooks/zalo`: Zalo Official Account events, verified by Zalo's signature
 *   `X-ZEvent-Signature: mac=<sha256 hex of app_id + raw body + timestamp + OA secret key>`.
 *   Each event name has a list of handlers tried in order until one takes the event, so more
 *   uses of the OA's events (leads from Zalo chats, issue 20) are a handler added to the list:
 *   `user_received_message` (a ZNS reached a Zalo user: who answers for that phone) and
 *   `user_send_text` (a reply to an order confirmation) are handled here.
 * - `GET /webhooks/sms/esms`: eSMS inbound SMS (MO) on the shop's short code, verified by eSMS's
 *   `sign` = base64(md5(cpid + smsid + content + receiverTime + private key)); answered with
 *   eSMS's `<ClientResponse>`.
 * Forged requests answer 401 and change nothing (and are limited per client address, like the
 * courier webhooks); a provider that is not set up answers 404 (this server takes none of its webhooks); malformed ones 400 naming the field.
 */
import crypto from 'node:crypto';
import express, { Router, type Request } from 'express';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import { customerDelivery, customerEventResult, recordCustomerEvent } from '../../db/notifications/customer-messages';
import { isOrderOpen } from '../../db/inbound/leads';
import { normalizePhone } from '../../definitions/rules/phone';
import { createFailureLimiter } from '../http/auth';
import { queryOf, queryValues } from '../http/contract';
import { HttpError } from '../http/errors';
import { MAX_BODY_DEPTH, nestsDeeperThan } from '../http/validate';
import { EsmsInboundQuery } from './contract';
import type { DeliveryConfig } from '../platform/config';
import { createReplyHandler, type ReplyHandler, type ReplyResult } from './replies';

/** A verified Zalo OA event, as Zalo posts it. */
export interface ZaloEvent extends Record<string, unknown> {
  app_id: string;
  event_name: string;
  timestamp: string;
  sender?: { id?: string };
  recipient?: { id?: string };
  message?: { msg_id?: string; text?: string; tracking_id?: string };
}

/** Handles a Zalo event, or answers undefined to let the next handler of the event try. */
export type ZaloEventHandler = (event: ZaloEvent) => Promise<Record<string, unknown> | undefined>;

const MAX_TEXT = 2000;

export function customerWebhooksRouter(
  deps: { db: Db; temporal: Client; log: Logger; settings: DeliveryConfig; zaloHandlers?: Record<string, ZaloEventHandler[]> },
  limits = { maxFailures: 20, windowMs: 60_000 },
): Router {
  const router = Router();
  const forgeries = createFailureLimiter(limits.maxFailures, limits.windowMs);
  const handleReply = createReplyHandler(deps);
  const zaloHandlers = mergeHandlers(builtInZaloHandlers(deps.db, handleReply), deps.zaloHandlers ?? {});

  const refuseForged = (req: Request, provider: string, why: string): never => {
    forgeries.fail(req.ip ?? 'unknown');
    req.log?.warn({ provider, ip: req.ip }, why);
    throw new HttpError(401, 'forged_webhook', why);
  };
  const limit = (req: Request) => {
    const retryAfter = forgeries.blocked(req.ip ?? 'unknown');
    if (retryAfter)
      throw new HttpError(
        429,
        'too_many_forged_webhooks',
        `too many webhooks with a wrong signature from this address; retry in ${retryAfter} s`,
      );
  };

  router.post('/zalo', express.raw({ type: () => true, limit: '64kb' }), async (req, res) => {
    limit(req);
    const { zaloAppId, zaloOaSecret } = deps.settings;
    if (!zaloAppId || !zaloOaSecret)
      throw new HttpError(
        404,
        'zalo_not_configured',
        'Zalo webhooks are not set up on this server: ZALO_APP_ID and ZALO_OA_SECRET are needed',
      );
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    let event: unknown;
    try {
      event = JSON.parse(raw);
    } catch {
      throw new HttpError(400, 'bad_webhook', 'the Zalo webhook body is not JSON');
    }
    if (nestsDeeperThan(event, MAX_BODY_DEPTH))
      throw new HttpError(400, 'bad_request', `body nested too deeply (more than ${MAX_BODY_DEPTH} levels of objects or arrays)`);
    if (!event || typeof event !== 'object' || Array.isArray(event))
      throw new HttpError(400, 'bad_webhook', 'the Zalo webhook body must be an object');
    const e = event as Record<string, unknown>;
    const signature = req.get('x-zevent-signature') ?? '';
    const appId = typeof e.app_id === 'string' ? e.app_id : '';
    const timestamp = typeof e.timestamp === 'string' || typeof e.timestamp === 'number' ? String(e.timestamp) : '';
    const mac = crypto.createHash('sha256').update(`${appId}${raw}${timestamp}${zaloOaSecret}`).digest('hex');
    if (appId !== zaloAppId || !sameText(signature, `mac=${mac}`))
      refuseForged(req, 'zalo', 'the Zalo webhook signature (X-ZEvent-Signature) does not match');
    if (typeof e.event_name !== 'string' || !e.event_name) throw new HttpError(400, 'bad_webhook', 'event_name is missing');
    for (const handle of zaloHandlers[e.event_name] ?? []) {
      const answer = await handle(e as ZaloEvent);
      if (answer) return void res.json({ ok: true, ...answer });
    }
    res.json({ ok: true, ignored: e.event_name });
  });

  router.get('/sms/esms', queryOf(EsmsInboundQuery), async (req, res) => {
    limit(req);
    const { smsMoCpId: cpId, smsMoPrivateKey: privateKey } = deps.settings;
    if (!cpId || !privateKey)
      throw new HttpError(
        404,
        'sms_not_configured',
        'inbound SMS are not set up on this server: SMS_MO_CPID and SMS_MO_PRIVATE_KEY are needed',
      );
    const q: Record<string, string | undefined> = { ...queryValues(req, EsmsInboundQuery) };
    const missing = ['sender', 'content', 'smsid', 'receiverTime', 'sign', 'cpid'].filter((k) => typeof q[k] !== 'string' || q[k] === '');
    if (missing.includes('sign') || missing.includes('cpid')) refuseForged(req, 'esms', 'the inbound SMS is not signed (sign, cpid)');
    const expected = crypto
      .createHash('md5')
      .update(`${q.cpid}${q.smsid ?? ''}${q.content ?? ''}${q.receiverTime ?? ''}${privateKey}`)
      .digest('base64');
    if (q.cpid !== cpId || !sameText(q.sign!, expected)) refuseForged(req, 'esms', 'the inbound SMS signature (sign) does not match');
    if (missing.length) throw new HttpError(400, 'bad_webhook', `the inbound SMS lacks ${missing.join(', ')}`);
    const phone = normalizePhone(q.sender!);
    if (!phone) throw new HttpError(400, 'bad_webhook', 'sender is not a Vietnamese phone number');
    if (q.content!.length > MAX_TEXT) throw new HttpError(400, 'bad_webhook', `content is longer than ${MAX_TEXT} characters`);
    const keyword = q.keyword?.trim();
    const content = q.content!.trim();
    const text = keyword && content.toLowerCase().startsWith(`${keyword.toLowerCase()} `) ? content.slice(keyword.length).trim() : content;
    const result = await handleReply({ provider: 'esms', eventId: q.smsid!, channel: 'sms', text, phone });
    res
      .type('application/xml')
      .send(
        `<ClientResponse><Message>${xml(smsAnswer(result))}</Message><Smsid>${xml(q.smsid!)}</Smsid><Receiver>${xml(q.sender!)}</Receiver></ClientResponse>`,
      );
  });

  return router;
}

/** The handlers of the events customer messages need. */
function builtInZaloHandlers(db: Db, handleReply: ReplyHandler): Record<string, ZaloEventHandler[]> {
  return {
    // Zalo reports a ZNS reached the user's phone: that Zalo user answers for the message's order.
    user_received_message: [
      async (event) => {
        const trackingId = Number(event.message?.tracking_id);
        const userId = event.recipient?.id;
        const msgId = event.message?.msg_id;
        if (!Number.isSafeInteger(trackingId) || !userId || !msgId) return undefined;
        const delivery = await customerDelivery(db, trackingId);
        if (!delivery) return undefined;
        const recorded = await recordCustomerEvent(db, {
          provider: 'zalo',
          eventId: `received:${msgId}`,
          kind: 'received',
          phone: delivery.address,
          zaloUserId: String(userId),
          deliveryId: delivery.id,
          orderId: delivery.orderId,
          result: 'received',
        });
        return { received: true, duplicate: !recorded };
      },
    ],
    user_send_text: [
      async (event) => {
        const userId = event.sender?.id;
        const msgId = event.message?.msg_id;
        const text = event.message?.text;
        if (typeof userId !== 'string' || typeof msgId !== 'string' || typeof text !== 'string') {
          throw new HttpError(400, 'bad_webhook', 'user_send_text needs sender.id, message.msg_id and message.text');
        }
        if (text.length > MAX_TEXT) throw new HttpError(400, 'bad_webhook', `message.text is longer than ${MAX_TEXT} characters`);
        const result = await handleReply({ provider: 'zalo', eventId: msgId, channel: 'zalo', text, zaloUserId: userId });
        // A Zalo user nobody sent a confirmation to: another handler (a lead) may take it — also when
        // Zalo delivers it again, so a lead handler that failed the first time gets it now (it dedupes itself).
        if (result.result === 'unknown-sender') return undefined;
        // Their order is over (delivered, cancelled): writing again is a new lead (the text is on the old order's timeline too).
        if (result.result === 'no-pending' && !(await isOrderOpen(db, result.orderId))) return undefined;
        if (result.result === 'duplicate') {
          const earlier = await customerEventResult(db, 'zalo', msgId);
          if (earlier && (earlier.result === null || earlier.result === 'unknown-sender')) return undefined;
          if (earlier?.result === 'no-pending' && earlier.orderId && !(await isOrderOpen(db, earlier.orderId))) return undefined;
        }
        return { ...result };
      },
    ],
  };
}

function mergeHandlers(...sets: Array<Record<string, ZaloEventHandler[]>>): Record<string, ZaloEventHandler[]> {
  const merged: Record<string, ZaloEventHandler[]> = {};
  for (const set of sets) for (const [event, handlers] of Object.entries(set)) merged[event] = [...(merged[event] ?? []), ...handlers];
  return merged;
}

/** What the shop answers the customer by SMS (eSMS sends the ClientResponse's Message back). */
function smsAnswer(result: ReplyResult): string {
  if (result.result === 'completed') return `Đơn ${result.orderId}: shop đã ghi nhận trả lời của quý khách. Cảm ơn quý khách!`;
  if (result.result === 'not-a-reply') return 'Shop chưa hiểu tin nhắn. Vui lòng trả lời 1 để đồng ý hoặc 2 để hủy đơn.';
  if (result.result === 'duplicate') return 'Shop đã nhận tin nhắn của quý khách.';
  return 'Shop đã nhận tin nhắn của quý khách. Hiện không có đơn nào chờ xác nhận.';
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
