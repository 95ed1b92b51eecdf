/**
 * Zalo Notification Service (ZNS): a template message Zalo approved for the shop's Official
 * Account, to a customer's phone. POST {ZNS_API_URL}/message/template with the header
 * `access_token` (the OA's) and `{phone: "84…", template_id, template_data, tracking_id}`; Zalo
 * answers HTTP 200 with `{error: 0, message: "Success", data: {msg_id, sent_time, quota}}`, or
 * `error` < 0 and a message (-118 the phone has no Zalo account, -114 the user does not take
 * messages, -108 a bad phone, -109/-112 template or data wrong, -124 a bad access token, -133
 * outside the hours ZNS may be sent, -144 the OA's daily quota is used up, -100 Zalo's own error).
 * The delivery id is the tracking id: Zalo's receipts (`user_received_message`) carry it back.
 *
 * Failing for good (a non-retryable answer, or the relay's last attempt), it releases the
 * message's fallback (SMS) when the process declared one.
 */
import { releaseFallback } from '../../../db/notifications/customer-messages';
import type { CustomerMessagePayload } from '../../../db/notifications/customer-messages';
import { postJson, truncatedAnswer, unreachable } from './http';
import type { ChannelDeps, ChannelSender, OutgoingMessage, SendResult } from './types';

/** Answers worth another try later: Zalo's internal error, outside the sending hours, the daily quota, the rate limit. */
const RETRYABLE_ZNS_ERRORS = new Set([-100, -133, -144, -32]);

/** A stored phone (`0912345678`) in the international form ZNS takes (`84912345678`). */
export function znsPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.startsWith('0') ? `84${digits.slice(1)}` : digits;
}

export function znsChannel(deps: ChannelDeps): ChannelSender {
  const { zaloOaAccessToken: token, znsApiUrl: api, maxAttempts } = deps.settings;
  const failed = async (message: OutgoingMessage, result: Extract<SendResult, { ok: false }>): Promise<SendResult> => {
    if (!result.retryable || message.attempt >= maxAttempts) {
      const released = await releaseFallback(deps.db, message.id).catch((err: unknown) => {
        deps.log.warn({ err, delivery: message.id }, 'could not release the fallback of a ZNS message');
        return false;
      });
      if (released) return { ...result, answer: truncatedAnswer(`${result.answer} — sent by the next channel instead`) };
    }
    return result;
  };
  return {
    channel: 'zns',
    async send(message: OutgoingMessage): Promise<SendResult> {
      const zns = (message.payload as Partial<CustomerMessagePayload>).zns;
      if (!token)
        return failed(message, { ok: false, retryable: false, answer: 'Zalo ZNS is not set up: ZALO_OA_ACCESS_TOKEN is not set' });
      if (!zns) return failed(message, { ok: false, retryable: false, answer: 'the message has no ZNS template' });
      let answer;
      try {
        answer = await postJson(
          `${api}/message/template`,
          { phone: znsPhone(message.address), template_id: zns.templateId, template_data: zns.params, tracking_id: String(message.id) },
          { access_token: token },
        );
      } catch (err) {
        return failed(message, unreachable(err));
      }
      const reply = (answer.json ?? {}) as { error?: number; message?: string; data?: { msg_id?: string } };
      if (answer.status >= 500 || answer.status === 429 || answer.json === undefined) {
        const retryable = answer.status >= 500 || answer.status === 429;
        return failed(message, {
          ok: false,
          retryable,
          providerStatus: String(answer.status),
          answer: truncatedAnswer(answer.text || `HTTP ${answer.status}`),
        });
      }
      const providerStatus = `${answer.status}/${reply.error ?? '?'}`;
      if (reply.error === 0 && reply.data?.msg_id)
        return { ok: true, providerMessageId: reply.data.msg_id, providerStatus, answer: truncatedAnswer(answer.text) };
      return failed(message, {
        ok: false,
        retryable: RETRYABLE_ZNS_ERRORS.has(reply.error ?? 0),
        providerStatus,
        answer: truncatedAnswer(`${reply.error} ${reply.message ?? answer.text}`),
      });
    },
  };
}
