/**
 * Webhooks of customers' providers: Zalo OA events and eSMS inbound SMS (server/messaging/routes.ts).
 */
import { Type } from '@sinclair/typebox';
import { answer, failure, object, shared, type DomainContract, type JsonSchema, type PathItem } from '../http/contract';

/** eSMS's inbound SMS (MO) as a GET: every field optional here, as a forged request must still be told 401, not 400. */
export const EsmsInboundQuery = Type.Object({
  sender: Type.Optional(Type.String({ maxLength: 20, description: 'The customer’s phone, international form (84…).' })),
  content: Type.Optional(Type.String({ maxLength: 2000, description: 'What the customer wrote, the keyword first.' })),
  keyword: Type.Optional(Type.String({ maxLength: 40, description: 'The first word of the message (the short code’s syntax).' })),
  serviceNumber: Type.Optional(Type.String({ maxLength: 20, description: 'The short code it was sent to (8079…).' })),
  smsid: Type.Optional(Type.String({ maxLength: 100, description: 'eSMS’s id of the message: a resend is handled once.' })),
  receiverTime: Type.Optional(Type.String({ maxLength: 20, description: 'When eSMS received it, yyyyMMddHHmmss.' })),
  cpid: Type.Optional(Type.String({ maxLength: 100, description: 'The partner id eSMS gave the shop.' })),
  sign: Type.Optional(Type.String({ maxLength: 200, description: 'base64(md5(cpid + smsid + content + receiverTime + private key)).' })),
});

export const schemas: Record<string, JsonSchema> = {
  ZaloWebhookAnswer: object(['ok'], {
    ok: { type: 'boolean' },
    result: { type: 'string', description: '`completed`, `no-pending`, `not-a-reply`, `duplicate` for a reply.' },
    received: { type: 'boolean' },
    duplicate: { type: 'boolean' },
    ignored: { type: 'string', description: 'An event no handler takes.' },
  }),
};

const forged = {
  401: failure('The signature is missing or wrong (code `forged_webhook`): nothing is recorded.'),
  429: {
    ...failure('Too many requests with a wrong signature from this address (20 a minute); code `too_many_forged_webhooks`.'),
    headers: { 'Retry-After': { description: 'Seconds until the address may try again.', schema: { type: 'integer' } } },
  },
};

export const paths: Record<string, PathItem> = {
  '/webhooks/zalo': {
    post: {
      operationId: 'zaloWebhook',
      tags: ['customer-messages'],
      security: [],
      'x-permission': [],
      summary: 'Events of the shop’s Zalo Official Account',
      description:
        'Signed by Zalo: `X-ZEvent-Signature: mac=<sha256 hex of app_id + raw body + timestamp + OA secret key>`. ' +
        '`user_received_message` (a ZNS reached a Zalo user; `message.tracking_id` is the delivery) and `user_send_text` (a customer’s answer: a declared reply to an open order confirmation completes its task) are handled; other events are acknowledged. Each event is handled once.',
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
      responses: {
        200: answer('Received.', { $ref: '#/components/schemas/ZaloWebhookAnswer' }),
        400: failure('The body is not a JSON object, or an event lacks a field it needs (code `bad_webhook`).'),
        ...forged,
        413: shared('TooLarge'),
        404: failure('Zalo webhooks are not set up on this server (ZALO_APP_ID, ZALO_OA_SECRET); code `zalo_not_configured`.'),
      },
    },
  },
  '/webhooks/sms/esms': {
    get: {
      operationId: 'esmsInboundSms',
      tags: ['customer-messages'],
      security: [],
      'x-permission': [],
      summary: 'A customer’s SMS to the shop’s short code (eSMS)',
      description:
        'Signed by eSMS (`sign`, `cpid`). The keyword is dropped; a declared reply to an open order confirmation completes its task; anything else is written on the order’s timeline. Answered with eSMS’s `<ClientResponse>` (the message eSMS sends back to the customer). Each `smsid` is handled once.',
      query: EsmsInboundQuery,
      responses: {
        200: { description: 'Received; the answer to the customer.', content: { 'application/xml': { schema: { type: 'string' } } } },
        400: failure('A field is missing or malformed (code `bad_webhook`).'),
        ...forged,
        404: failure('Inbound SMS are not set up on this server (SMS_MO_CPID, SMS_MO_PRIVATE_KEY); code `sms_not_configured`.'),
      },
    },
  },
};

export const contract: DomainContract = {
  tags: [{ name: 'customer-messages', description: 'Webhooks of customers’ providers: Zalo OA events, eSMS inbound SMS.' }],
  schemas,
  paths,
};
