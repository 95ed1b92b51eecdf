/**
 * Zalo Official Account customer-service message (API v3): POST {api}/v3.0/oa/message/cs with the
 * header `access_token` and `{recipient: {user_id}, message: {text}}`. Zalo answers HTTP 200 with
 * `{error: 0, message: "Success", data: {message_id, user_id}}`, or `error` ≠ 0 and a message
 * (-216 invalid access token, -213 the user does not follow the OA, -32 over the rate limit…).
 */
import type { ChannelDeps, ChannelSender, OutgoingMessage, SendResult } from './types';
import { messageParts, postJson, truncatedAnswer, unreachable } from './http';

/** Zalo's error codes worth another try later: over the rate limit, an internal error. */
const RETRYABLE_ZALO_ERRORS = new Set([-32, -500]);

export function zaloChannel(deps: ChannelDeps): ChannelSender {
  const { zaloOaAccessToken: token, zaloOaApiUrl: api } = deps.settings;
  return {
    channel: 'zalo',
    async send(message: OutgoingMessage): Promise<SendResult> {
      if (!token) return { ok: false, retryable: false, answer: 'Zalo OA is not set up: ZALO_OA_ACCESS_TOKEN is not set' };
      const { title, text, link } = messageParts(message.payload);
      let answer;
      try {
        answer = await postJson(
          `${api}/v3.0/oa/message/cs`,
          {
            recipient: { user_id: message.address },
            message: { text: truncatedAnswer([title, text, link].filter(Boolean).join('\n'), 2000) },
          },
          { access_token: token },
        );
      } catch (err) {
        return unreachable(err);
      }
      const reply = (answer.json ?? {}) as { error?: number; message?: string; data?: { message_id?: string } };
      if (answer.status >= 500 || answer.json === undefined)
        return {
          ok: false,
          retryable: answer.status >= 500,
          providerStatus: String(answer.status),
          answer: truncatedAnswer(answer.text || `HTTP ${answer.status}`),
        };
      const providerStatus = `${answer.status}/${reply.error ?? '?'}`;
      if (reply.error === 0)
        return { ok: true, providerMessageId: reply.data?.message_id, providerStatus, answer: truncatedAnswer(answer.text) };
      return {
        ok: false,
        retryable: RETRYABLE_ZALO_ERRORS.has(reply.error ?? 0) || answer.status === 429,
        providerStatus,
        answer: truncatedAnswer(`${reply.error} ${reply.message ?? answer.text}`),
      };
    },
  };
}
