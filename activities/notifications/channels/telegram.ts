/**
 * Telegram Bot API `sendMessage`: POST {api}/bot<token>/sendMessage with JSON
 * `{chat_id, text, reply_markup}` (an inline URL button opening the deep link). Telegram answers
 * `{ok: true, result: {message_id, …}}`, or `{ok: false, error_code, description}` with the HTTP
 * status of the error; a 429 carries `parameters.retry_after` (seconds), which is honoured.
 */
import type { ChannelDeps, ChannelSender, OutgoingMessage, SendResult } from './types';
import { messageParts, postJson, truncatedAnswer, unreachable } from './http';

/** Telegram refuses inline buttons whose URL is not public (localhost, 127.0.0.1): the link then stays in the text only. */
function publicButtonUrl(link: string): string | undefined {
  try {
    const url = new URL(link);
    if (!['http:', 'https:'].includes(url.protocol)) return undefined;
    return /^(localhost|127\.|\[::1\]|0\.0\.0\.0)/.test(url.hostname) ? undefined : url.toString();
  } catch {
    return undefined;
  }
}

export function telegramChannel(deps: ChannelDeps): ChannelSender {
  const { telegramBotToken: token, telegramApiUrl: api } = deps.settings;
  return {
    channel: 'telegram',
    async send(message: OutgoingMessage): Promise<SendResult> {
      if (!token) return { ok: false, retryable: false, answer: 'Telegram is not set up: TELEGRAM_BOT_TOKEN is not set' };
      const { title, text, link } = messageParts(message.payload);
      const button = publicButtonUrl(link);
      const body = {
        chat_id: message.address,
        text: truncatedAnswer([title, text, link].filter(Boolean).join('\n'), 4000),
        ...(button ? { reply_markup: { inline_keyboard: [[{ text: 'Mở trên shopflow', url: button }]] } } : {}),
      };
      let answer;
      try {
        answer = await postJson(`${api}/bot${token}/sendMessage`, body);
      } catch (err) {
        return unreachable(err);
      }
      const reply = (answer.json ?? {}) as {
        ok?: boolean;
        result?: { message_id?: number };
        error_code?: number;
        description?: string;
        parameters?: { retry_after?: number };
      };
      const providerStatus = String(answer.status);
      if (answer.status === 200 && reply.ok === true) {
        return {
          ok: true,
          providerMessageId: String(reply.result?.message_id ?? ''),
          providerStatus,
          answer: truncatedAnswer(answer.text),
        };
      }
      const code = reply.error_code ?? answer.status;
      return {
        ok: false,
        retryable: code === 429 || code >= 500,
        providerStatus,
        answer: truncatedAnswer(reply.description ? `${code} ${reply.description}` : answer.text || `HTTP ${answer.status}`),
        ...(reply.parameters?.retry_after ? { retryAfterMs: reply.parameters.retry_after * 1000 } : {}),
      };
    },
  };
}
