/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291), built by
 * the `web-push` library (generateRequestDetails: the signed, encrypted request) and sent with
 * fetch. The push service answers 201; 404/410 mean the browser dropped the subscription, which
 * is then deactivated; 429 and 5xx are retried.
 */
import { and, eq } from 'drizzle-orm';
import webpush from 'web-push';
import { pushSubscriptions } from '../../../db/schema';
import type { ChannelDeps, ChannelSender, OutgoingMessage, SendResult } from './types';
import { PROVIDER_TIMEOUT_MS, messageParts, truncatedAnswer, unreachable } from './http';

export function pushChannel(deps: ChannelDeps): ChannelSender {
  const { vapidPublicKey, vapidPrivateKey, vapidSubject } = deps.settings;
  return {
    channel: 'push',
    async send(message: OutgoingMessage): Promise<SendResult> {
      if (!vapidPublicKey || !vapidPrivateKey)
        return { ok: false, retryable: false, answer: 'Web Push is not set up: VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY are not set' };
      const [subscription] = await deps.db
        .select()
        .from(pushSubscriptions)
        .where(and(eq(pushSubscriptions.endpoint, message.address), eq(pushSubscriptions.active, true)));
      if (!subscription) return { ok: false, retryable: false, answer: 'the push subscription was removed or deactivated' };
      const { title, text, link } = messageParts(message.payload);
      let request;
      try {
        request = webpush.generateRequestDetails(
          { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
          JSON.stringify({ title, body: text, url: link, tag: `delivery-${message.id}` }),
          {
            vapidDetails: { subject: vapidSubject, publicKey: vapidPublicKey, privateKey: vapidPrivateKey },
            TTL: 24 * 3600,
            urgency: message.priority === 'urgent' ? 'high' : 'normal',
          },
        );
      } catch (err) {
        return { ok: false, retryable: false, answer: truncatedAnswer(`cannot build the push request: ${(err as Error).message}`) };
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers as Record<string, string | number>)
          .filter(([name]) => name.toLowerCase() !== 'content-length')
          .map(([name, value]) => [name, String(value)]),
      );
      let res: Response;
      try {
        res = await fetch(request.endpoint, {
          method: request.method,
          headers,
          body: request.body ? new Uint8Array(request.body) : undefined,
          signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
        });
      } catch (err) {
        return unreachable(err);
      }
      const answer = truncatedAnswer((await res.text().catch(() => '')) || res.statusText);
      const providerStatus = String(res.status);
      if (res.status >= 200 && res.status < 300)
        return { ok: true, providerMessageId: res.headers.get('location') ?? undefined, providerStatus, answer };
      if (res.status === 404 || res.status === 410) {
        await deps.db.update(pushSubscriptions).set({ active: false }).where(eq(pushSubscriptions.id, subscription.id));
        return { ok: false, retryable: false, providerStatus, answer: `${res.status} ${answer} (subscription deactivated)` };
      }
      const retryAfter = Number(res.headers.get('retry-after'));
      return {
        ok: false,
        retryable: res.status === 429 || res.status >= 500,
        providerStatus,
        answer: `${res.status} ${answer}`,
        ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
      };
    },
  };
}
