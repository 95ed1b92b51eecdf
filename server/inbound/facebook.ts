/**
 * Facebook's webhook format (Messenger Platform and Page subscriptions), as Meta posts it:
 * `{"object": "page", "entry": [{"id": <page>, "time", "messaging": [...] | "changes": [...]}]}`,
 * signed `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>`.
 * A `messaging` item with a `message` is a customer's message (sender = their page-scoped id,
 * PSID) or, with `is_echo`, the page's own reply; a `changes` item with `field: "leadgen"` is a
 * lead-ads form (`leadgen_id`, `form_id`, `page_id`, `ad_id`), whose answers are read from the
 * Graph API. Delivery and read receipts are acknowledged and left.
 */
import crypto from 'node:crypto';
import type { InboundDelivery } from '../../db/inbound/events';
import { HttpError } from '../http/errors';

/** Messenger texts are at most 2,000 characters; longer is cut, not refused (Facebook would retry a refusal). */
const MAX_TEXT = 2000;

/** True when `header` is `sha256=` and the HMAC-SHA256 of exactly these bytes with the app secret (compared in constant time). */
export function verifyFacebookSignature(raw: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header || !header.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice('sha256='.length).trim().toLowerCase());
  const expected = Buffer.from(crypto.createHmac('sha256', appSecret).update(raw).digest('hex'));
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const idOf = (v: unknown): string | undefined =>
  typeof v === 'string' && v ? v : typeof v === 'number' && Number.isInteger(v) && v > 0 ? String(v) : undefined;

/** The deliveries one verified webhook carries (customer messages, page replies, lead-ads leads). */
export function facebookDeliveries(body: unknown): { deliveries: InboundDelivery[]; ignored: number } {
  if (!isObject(body)) throw new HttpError(400, 'bad_webhook', 'the Facebook webhook body must be a JSON object');
  if (body.object !== 'page') return { deliveries: [], ignored: 1 };
  if (!Array.isArray(body.entry)) throw new HttpError(400, 'bad_webhook', 'entry must be an array');
  const deliveries: InboundDelivery[] = [];
  let ignored = 0;
  body.entry.forEach((entry, i) => {
    if (!isObject(entry)) throw new HttpError(400, 'bad_webhook', `entry[${i}] must be an object`);
    const pageId = idOf(entry.id);
    for (const [j, item] of (Array.isArray(entry.messaging) ? entry.messaging : []).entries()) {
      const at = `entry[${i}].messaging[${j}]`;
      if (!isObject(item)) throw new HttpError(400, 'bad_webhook', `${at} must be an object`);
      const sender = isObject(item.sender) ? idOf(item.sender.id) : undefined;
      const recipient = isObject(item.recipient) ? idOf(item.recipient.id) : undefined;
      const message = isObject(item.message) ? item.message : undefined;
      const postback = isObject(item.postback) ? item.postback : undefined;
      if (!message && !postback) {
        ignored++; // delivery/read receipts, reactions, referrals
        continue;
      }
      if (!sender || !recipient) throw new HttpError(400, 'bad_webhook', `${at}.sender.id and ${at}.recipient.id are needed`);
      if (message) {
        const mid = idOf(message.mid);
        if (!mid) throw new HttpError(400, 'bad_webhook', `${at}.message.mid is missing`);
        const echo = message.is_echo === true;
        const text =
          typeof message.text === 'string'
            ? message.text.slice(0, MAX_TEXT)
            : Array.isArray(message.attachments)
              ? `[${message.attachments.length} tệp đính kèm]`
              : '';
        deliveries.push({
          channel: 'facebook',
          dedupeKey: `facebook:mid:${mid}`,
          kind: echo ? 'echo' : 'message',
          // The customer is the recipient of the page's echo, the sender of their own message.
          contact: echo ? `facebook:${sender}:${recipient}` : `facebook:${recipient}:${sender}`,
          payload: { text, pageId: echo ? sender : recipient, source: 'messenger' },
        });
      } else if (postback) {
        const id = idOf(postback.mid) ?? `${sender}:${idOf(item.timestamp) ?? ''}`;
        deliveries.push({
          channel: 'facebook',
          dedupeKey: `facebook:postback:${id}`,
          kind: 'message',
          contact: `facebook:${recipient}:${sender}`,
          payload: { text: String(postback.title ?? postback.payload ?? '').slice(0, MAX_TEXT), pageId: recipient, source: 'messenger' },
        });
      }
    }
    for (const [j, change] of (Array.isArray(entry.changes) ? entry.changes : []).entries()) {
      const at = `entry[${i}].changes[${j}]`;
      if (!isObject(change)) throw new HttpError(400, 'bad_webhook', `${at} must be an object`);
      if (change.field !== 'leadgen') {
        ignored++; // feed, mentions…
        continue;
      }
      const value = isObject(change.value) ? change.value : {};
      const leadgenId = idOf(value.leadgen_id);
      if (!leadgenId) throw new HttpError(400, 'bad_webhook', `${at}.value.leadgen_id is missing`);
      deliveries.push({
        channel: 'facebook',
        dedupeKey: `facebook:leadgen:${leadgenId}`,
        kind: 'lead-form',
        contact: null,
        payload: {
          leadgenId,
          pageId: idOf(value.page_id) ?? pageId,
          formId: idOf(value.form_id),
          adId: idOf(value.ad_id),
          source: 'facebook-lead-ads',
        },
      });
    }
  });
  return { deliveries, ignored };
}
