/**
 * Telegram Bot API `sendMessage`, as api.telegram.org answers it: POST /bot<token>/sendMessage
 * with JSON (or form) `{chat_id, text, parse_mode?, reply_markup?}`; a wrong token is
 * `401 {ok:false, error_code:401, description:"Unauthorized"}`, a missing chat or text a 400 with
 * Telegram's description, success `{ok:true, result:{message_id, from, chat, date, text}}`.
 */
import express, { Router } from 'express';
import type { MessageStore } from './store';

const fail = (res: express.Response, code: number, description: string, extra: Record<string, unknown> = {}) =>
  void res.status(code).json({ ok: false, error_code: code, description, ...extra });

export function telegramApiRouter(store: MessageStore, botToken: string): Router {
  const router = Router();
  router.use(express.json({ limit: '64kb' }), express.urlencoded({ extended: false, limit: '64kb' }));
  router.post('/:bot/:method', (req, res) => {
    const bot = String(req.params.bot);
    if (!bot.startsWith('bot') || bot.slice(3) !== botToken) return fail(res, 401, 'Unauthorized');
    if (req.params.method !== 'sendMessage') return fail(res, 404, 'Not Found');
    const fault = store.takeFault('telegram');
    if (fault?.status === 429)
      return fail(res, 429, `Too Many Requests: retry after ${fault.retryAfter ?? 1}`, {
        parameters: { retry_after: fault.retryAfter ?? 1 },
      });
    if (fault) return fail(res, fault.status, fault.status >= 500 ? 'Internal Server Error' : 'Bad Request');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const chatId = body.chat_id;
    const text = typeof body.text === 'string' ? body.text : '';
    if (chatId === undefined || chatId === null || chatId === '') return fail(res, 400, 'Bad Request: chat_id is empty');
    if (!text.trim()) return fail(res, 400, 'Bad Request: message text is empty');
    if (text.length > 4096) return fail(res, 400, 'Bad Request: message is too long');
    const markup = body.reply_markup as { inline_keyboard?: Array<Array<{ url?: string }>> } | undefined;
    for (const button of markup?.inline_keyboard?.flat() ?? []) {
      if (button.url !== undefined && !/^https?:\/\/[^\s/]+/.test(button.url)) return fail(res, 400, 'Bad Request: BUTTON_URL_INVALID');
    }
    const messageId = store.nextId();
    store.add({ channel: 'telegram', to: String(chatId), text, body }, String(messageId));
    res.json({
      ok: true,
      result: {
        message_id: messageId,
        from: { id: 7000000001, is_bot: true, first_name: 'shopflow', username: 'shopflow_sim_bot' },
        chat: { id: Number(chatId) || chatId, type: 'private' },
        date: Math.floor(Date.now() / 1000),
        text,
      },
    });
  });
  return router;
}
