/**
 * Customer SMS by eSMS.vn: a brand-name customer-care message (SmsType 2). POST
 * {SMS_API_URL}/MainService.svc/json/SendMultipleMessage_V4_post_json/ with `{ApiKey, SecretKey,
 * Phone, Content, Brandname, SmsType: "2", IsUnicode, RequestId}`; eSMS answers
 * `{CodeResult: "100", CountRegenerate: 0, SMSID}` when it took the message, else another code
 * (99 the phone is blocked, 101 wrong ApiKey/SecretKey, 103 not enough balance, 104 unknown brand
 * name, 108 a bad phone, 124 the RequestId was sent before, 140 IP not allowed, 146 the text
 * does not match a registered template). The delivery id makes the RequestId, so a retry after a
 * lost answer is refused as a duplicate (124) instead of sending twice.
 */
import { releaseFallback, type CustomerMessagePayload } from '../../../db/notifications/customer-messages';
import { postJson, truncatedAnswer, unreachable } from './http';
import type { ChannelDeps, ChannelSender, OutgoingMessage, SendResult } from './types';

/** eSMS took the request. */
const ACCEPTED = '100';
/** The same RequestId was sent before: the earlier attempt reached eSMS. */
const DUPLICATE_REQUEST = '124';

export function smsChannel(deps: ChannelDeps): ChannelSender {
  const { smsApiUrl: api, smsApiKey: apiKey, smsSecretKey: secretKey, smsBrandname: brandname, maxAttempts } = deps.settings;
  const failed = async (message: OutgoingMessage, result: Extract<SendResult, { ok: false }>): Promise<SendResult> => {
    if (!result.retryable || message.attempt >= maxAttempts) await releaseFallback(deps.db, message.id).catch(() => false);
    return result;
  };
  return {
    channel: 'sms',
    async send(message: OutgoingMessage): Promise<SendResult> {
      const text = (message.payload as Partial<CustomerMessagePayload>).sms;
      if (!apiKey || !secretKey || !brandname)
        return failed(message, {
          ok: false,
          retryable: false,
          answer: 'SMS is not set up: SMS_API_KEY, SMS_SECRET_KEY and SMS_BRANDNAME are needed',
        });
      if (!text) return failed(message, { ok: false, retryable: false, answer: 'the message has no SMS text' });
      let answer;
      try {
        answer = await postJson(`${api}/MainService.svc/json/SendMultipleMessage_V4_post_json/`, {
          ApiKey: apiKey,
          SecretKey: secretKey,
          Phone: message.address,
          Content: text,
          Brandname: brandname,
          SmsType: '2',
          // Vietnamese with its marks goes as Unicode (shorter parts, as eSMS bills it).
          IsUnicode: /[^\x00-\x7f]/.test(text) ? '1' : '0',
          RequestId: `shopflow-${message.id}`,
        });
      } catch (err) {
        return failed(message, unreachable(err));
      }
      const reply = (answer.json ?? {}) as { CodeResult?: string | number; SMSID?: string; ErrorMessage?: string };
      if (answer.status >= 500 || answer.json === undefined)
        return failed(message, {
          ok: false,
          retryable: answer.status >= 500,
          providerStatus: String(answer.status),
          answer: truncatedAnswer(answer.text || `HTTP ${answer.status}`),
        });
      const code = String(reply.CodeResult ?? '?');
      const providerStatus = `${answer.status}/${code}`;
      if (code === ACCEPTED) return { ok: true, providerMessageId: reply.SMSID, providerStatus, answer: truncatedAnswer(answer.text) };
      if (code === DUPLICATE_REQUEST)
        return { ok: true, providerStatus, answer: truncatedAnswer(`sent by an earlier attempt: ${answer.text}`) };
      return failed(message, {
        ok: false,
        retryable: false,
        providerStatus,
        answer: truncatedAnswer(`${code} ${reply.ErrorMessage ?? answer.text}`),
      });
    },
  };
}
