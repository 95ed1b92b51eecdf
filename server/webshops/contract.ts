/**
 * Web-shop order webhooks: Shopify and Haravan (server/webshops/routes.ts).
 */
import { answer, failure, object, shared, type DomainContract, type JsonSchema, type PathItem } from '../http/contract';
import { PLATFORMS, type WebShopPlatform } from './platforms';

export const schemas: Record<string, JsonSchema> = {
  WebShopWebhookAnswer: object(['ok', 'topic'], {
    ok: { type: 'boolean' },
    topic: { type: 'string', examples: ['orders/create', 'orders/cancelled'] },
    orderId: { type: 'string', description: 'The shopflow order of the platform order (the same one for every resend).' },
    created: { type: 'boolean', description: '`orders/create`: false when this platform order had already started its order.' },
    duplicate: { type: 'boolean', description: '`orders/create`: a resend of an order already received.' },
    webhookId: { type: 'string', description: 'Shopify’s `X-Shopify-Webhook-Id`, echoed.' },
    cancelled: { type: 'boolean', description: '`orders/cancelled`: whether the order is now cancelled.' },
    reason: {
      type: 'string',
      description: '`orders/cancelled`: why it was not (already ended, the courier has the parcel, unknown order).',
    },
    ignored: { type: 'boolean', description: 'A topic shopflow does not act on.' },
  }),
};

const operation = (platform: WebShopPlatform) => {
  const p = PLATFORMS[platform];
  return {
    post: {
      operationId: `${platform}Webhook`,
      tags: ['web-shops'],
      security: [],
      'x-permission': [],
      summary: `Orders from the shop’s ${p.title} store`,
      description:
        `Signed by ${p.title}: \`${p.hmac}\` = base64 HMAC-SHA256 of the raw body with ${platform.toUpperCase()}_WEBHOOK_SECRET; \`${p.topic}\` and \`${p.shop}\` name the topic and the shop. ` +
        '`orders/create` starts the order once (its id is derived from the platform order): already closed, at the stage after closing, when its items (SKUs in the catalogue), address and COD fill the closing form; else at closing with the cause on the task. ' +
        '`orders/cancelled` cancels that order. Other topics are acknowledged.',
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
      responses: {
        200: answer('Received.', { $ref: '#/components/schemas/WebShopWebhookAnswer' }),
        400: failure(
          `The body is not a JSON object, or \`${p.topic}\` / \`${p.shop}\` is missing (code \`bad_webhook\`, the field named).`,
        ),
        401: failure('The signature is missing or wrong (code `forged_webhook`): nothing is recorded.'),
        404: failure(
          `${p.title} webhooks are not set up on this server (${platform.toUpperCase()}_WEBHOOK_SECRET); code \`${platform}_not_configured\`.`,
        ),
        413: shared('TooLarge'),
        422: failure('The order has no id, created_at or phone number (code `invalid`, the field named).'),
        429: {
          ...failure('Too many requests with a wrong signature from this address (20 a minute); code `too_many_forged_webhooks`.'),
          headers: { 'Retry-After': { description: 'Seconds until the address may try again.', schema: { type: 'integer' } } },
        },
        503: failure('Temporal is away: nothing started; the platform resends and the resend starts the same order.'),
      },
    },
  };
};

export const paths: Record<string, PathItem> = {
  '/webhooks/shopify': operation('shopify'),
  '/webhooks/haravan': operation('haravan'),
};

export const contract: DomainContract = {
  tags: [{ name: 'web-shops', description: 'Orders from the shop’s web stores: Shopify and Haravan webhooks.' }],
  schemas,
  paths,
};
