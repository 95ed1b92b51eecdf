/**
 * Leads from the shop's channels: the Facebook webhook, the website's public lead form (server/inbound/routes.ts).
 * The Zalo OA webhook's lead handling is documented with the webhook (server/messaging/contract.ts).
 */
import { Type, type Static } from '@sinclair/typebox';
import { answer, failure, jsonBody, object, schema, shared, type DomainContract, type JsonSchema, type PathItem } from '../http/contract';

/** The website form as the embedded snippet posts it. */
export const PublicLeadBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'Tên khách.' }),
    phone: Type.String({ minLength: 8, maxLength: 20, description: 'A Vietnamese number in any common spelling (0912 345 678, +84…).' }),
    note: Type.Optional(Type.String({ maxLength: 1000, description: 'What the customer asks about.' })),
    product: Type.Optional(Type.String({ maxLength: 200, description: 'The product the page is about.' })),
    campaign: Type.Optional(Type.String({ maxLength: 200, description: 'utm_campaign of the page.' })),
    source: Type.Optional(Type.String({ maxLength: 200, description: 'utm_source of the page.' })),
    page: Type.Optional(Type.String({ maxLength: 500, description: 'The page the form was on.' })),
    submissionId: Type.String({
      pattern: '^[A-Za-z0-9_-]{8,64}$',
      description: 'Made once per form shown (the snippet: a random UUID): a double submit is one lead.',
    }),
    startedAt: Type.Integer({
      minimum: 0,
      description: 'When the form was shown (ms since the epoch): a form sent faster than PUBLIC_LEAD_MIN_FILL is refused.',
    }),
    homepage: Type.Optional(Type.String({ maxLength: 500, description: 'Honeypot: hidden from people, so it must stay empty.' })),
  },
  { additionalProperties: false },
);
export type PublicLeadBody = Static<typeof PublicLeadBody>;

/** The subscription handshake's query: every field optional here, so a wrong one is told 403, not 400. */
export const FacebookVerifyQuery = Type.Object({
  'hub.mode': Type.Optional(Type.String({ maxLength: 40, description: '`subscribe`.' })),
  'hub.verify_token': Type.Optional(Type.String({ maxLength: 500, description: 'The verify token set in the app’s webhook settings.' })),
  'hub.challenge': Type.Optional(Type.String({ maxLength: 500, description: 'Echoed back.' })),
});

export const schemas: Record<string, JsonSchema> = {
  PublicLead: { ...PublicLeadBody },
  PublicLeadReceived: object(['received', 'duplicate', 'message'], {
    received: { type: 'boolean' },
    duplicate: { type: 'boolean', description: 'This submission was received before (same `submissionId`).' },
    message: { type: 'string', description: 'A thank-you for the customer, in Vietnamese.' },
  }),
  FacebookWebhookAnswer: object(['ok', 'stored', 'duplicates', 'ignored'], {
    ok: { type: 'boolean' },
    stored: { type: 'integer', description: 'Deliveries stored for their workflow.' },
    duplicates: { type: 'integer', description: 'Deliveries received before (same `mid` / `leadgen_id`): stored once.' },
    ignored: { type: 'integer', description: 'Items that are no lead or message (receipts, other fields).' },
  }),
};

const forged = {
  401: failure('The signature is missing or wrong (code `forged_webhook`): nothing is stored.'),
  429: {
    ...failure('Too many requests with a wrong signature from this address (20 a minute); code `too_many_forged_webhooks`.'),
    headers: { 'Retry-After': { description: 'Seconds until the address may try again.', schema: { type: 'integer' } } },
  },
};
const notConfigured = failure(
  'Facebook webhooks are not set up on this server (FACEBOOK_APP_SECRET, FACEBOOK_VERIFY_TOKEN); code `facebook_not_configured`.',
);

export const paths: Record<string, PathItem> = {
  '/webhooks/facebook': {
    get: {
      operationId: 'facebookWebhookVerify',
      tags: ['channel-leads'],
      security: [],
      'x-permission': [],
      summary: 'Facebook’s subscription handshake',
      description: 'Answers `hub.challenge` (text) when `hub.mode` is `subscribe` and `hub.verify_token` is FACEBOOK_VERIFY_TOKEN.',
      query: FacebookVerifyQuery,
      responses: {
        200: { description: 'The challenge.', content: { 'text/plain': { schema: { type: 'string' } } } },
        400: failure('A query value is malformed (code `bad_request`).'),
        403: failure('Not a subscription, or the token is wrong.'),
        404: notConfigured,
      },
    },
    post: {
      operationId: 'facebookWebhook',
      tags: ['channel-leads'],
      security: [],
      'x-permission': [],
      summary: 'Messenger messages and lead-ads leads of the shop’s Page',
      description:
        'Signed by Facebook: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>`. ' +
        'A customer’s message (`messaging[].message`, the sender’s PSID) and a lead-ads form (`changes[].field = leadgen`) become a lead on channel `facebook` — one open lead per customer, a phone written in the message picked up; the page’s replies (`is_echo`) go on the lead’s timeline. ' +
        'Each delivery is stored once (by `mid` / `leadgen_id`) and answered at once; its workflow `inbound:<key>` does the work.',
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
      responses: {
        200: answer('Stored.', schema('FacebookWebhookAnswer')),
        400: failure('Not a JSON object, or an item lacks an id it needs (code `bad_webhook`).'),
        ...forged,
        413: shared('TooLarge'),
        404: notConfigured,
      },
    },
  },
  '/api/v1/public/leads': {
    post: {
      operationId: 'createPublicLead',
      tags: ['channel-leads'],
      security: [],
      'x-permission': [],
      summary: 'The website’s lead form (no token)',
      description:
        'Posted by the snippet `GET /embed/lead-form.js` from pages whose origin is in PUBLIC_LEAD_ORIGINS (CORS; the preflight is answered). ' +
        'Limited per client address (PUBLIC_LEAD_PER_MINUTE); the honeypot `homepage` must be empty and the form must have been open at least PUBLIC_LEAD_MIN_FILL. ' +
        'Becomes a lead on channel `website` (one open lead per phone).',
      requestBody: jsonBody(schema('PublicLead')),
      responses: {
        202: answer('Received.', schema('PublicLeadReceived')),
        400: shared('MalformedBody'),
        403: failure('The page’s origin is not allowed (code `origin_not_allowed`, `details.fields` names `Origin`).'),
        413: shared('TooLarge'),
        415: shared('NotJson'),
        422: failure(
          'A field is invalid (`details.fields`): the phone, the honeypot `homepage`, `startedAt` (sent too fast), a missing `Origin`.',
        ),
        429: {
          ...failure('Too many forms from this address (code `too_many_requests`).'),
          headers: { 'Retry-After': { description: 'Seconds until the address may send again.', schema: { type: 'integer' } } },
        },
      },
    },
  },
};

export const contract: DomainContract = {
  tags: [{ name: 'channel-leads', description: 'Leads from the shop’s channels: Facebook Page and Messenger, the website form.' }],
  schemas,
  paths,
};
