/**
 * Courier webhooks.
 */
import { schema, shared, answer, failure, object, pathParam, type DomainContract, type PathItem, type JsonSchema } from '../http/contract';

export const schemas: Record<string, JsonSchema> = {
  CourierWebhookAnswer: object(['ok', 'received', 'applied', 'duplicates'], {
    ok: { type: 'boolean' },
    received: { type: 'integer' },
    applied: { type: 'integer' },
    duplicates: { type: 'integer' },
  }),
};

export const paths: Record<string, PathItem> = {
  '/webhooks/couriers/{courier}': {
    post: {
      operationId: 'courierWebhook',
      tags: ['couriers'],
      security: [],
      'x-permission': [],
      summary: 'Status reports from a courier',
      description:
        'GHN and the simulator send JSON (`Type`, `OrderCode`, `ClientOrderCode`, `Status`, `Time`, …) with the shared secret in the `Token` header (or `?token=`); GHTK sends form fields (`partner_id`, `label_id`, `status_id`, `action_time`, `reason_code`, …) with the secret as `hash`; Viettel Post sends JSON `{DATA: {ORDER_NUMBER, ORDER_REFERENCE, ORDER_STATUS, ORDER_STATUSDATE, NOTE, MONEY_COLLECTION, REASON_CODE, …}, TOKEN}` with the secret as `TOKEN` (and in the `Authorization` header). ' +
        'Each event is recorded once; stale events are kept but never move a shipment back; applied events are signalled to the order.',
      parameters: [pathParam('courier', 'Courier id from shop.yaml: `ghn`, `ghtk`, `viettelpost`, `simulator`.')],
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: { type: 'object' } },
          'application/x-www-form-urlencoded': { schema: { type: 'object' } },
        },
      },
      responses: {
        200: answer('Received.', schema('CourierWebhookAnswer')),
        400: failure('The webhook could not be read (code `bad_webhook`).'),
        401: failure('The secret is missing or wrong (code `forged_webhook`): nothing is recorded.'),
        404: failure('No enabled courier of that id.'),
        413: shared('TooLarge'),
        429: {
          ...failure('Too many requests with a wrong secret from this address (20 a minute); code `too_many_forged_webhooks`.'),
          headers: { 'Retry-After': { description: 'Seconds until the address may try again.', schema: { type: 'integer' } } },
        },
        503: failure('Recorded, but the order could not be told yet: resend (the resend delivers it).'),
      },
    },
  },
};

export const contract: DomainContract = {
  tags: [{ name: 'couriers', description: 'Webhooks from couriers (GHN, GHTK, Viettel Post, the simulator).' }],
  schemas,
  paths,
};
