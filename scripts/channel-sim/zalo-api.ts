/**
 * Zalo Official Account API v3 customer-service message, as openapi.zalo.me answers it:
 * POST /v3.0/oa/message/cs with header `access_token` and `{recipient:{user_id}, message:{text}}`.
 * Zalo answers HTTP 200 with `{error: 0, message: "Success", data: {message_id, user_id}}`, or an
 * error code: -216 for a wrong access token, -201 for invalid parameters.
 */
import crypto from 'node:crypto';
import express, { Router } from 'express';
import type { MessageStore } from './store';

export function zaloApiRouter(store: MessageStore, accessToken: string): Router {
  const router = Router();
  router.use(express.json({ limit: '64kb' }));
  router.post('/v3.0/oa/message/cs', (req, res) => {
    const fault = store.takeFault('zalo');
    if (fault) return void res.status(fault.status).json({ error: -500, message: 'Internal error' });
    if (req.get('access_token') !== accessToken) return void res.json({ error: -216, message: 'Access token is invalid' });
    const body = (req.body ?? {}) as { recipient?: { user_id?: unknown }; message?: { text?: unknown } };
    const userId = body.recipient?.user_id;
    const text = body.message?.text;
    if (typeof userId !== 'string' || !userId) return void res.json({ error: -201, message: 'Parameters are invalid: recipient.user_id' });
    if (typeof text !== 'string' || !text.trim() || text.length > 2000)
      return void res.json({ error: -201, message: 'Parameters are invalid: message.text' });
    const messageId = crypto.randomBytes(16).toString('hex');
    store.add({ channel: 'zalo', to: userId, text, body }, messageId);
    res.json({ data: { message_id: messageId, user_id: userId }, error: 0, message: 'Success' });
  });
  return router;
}
