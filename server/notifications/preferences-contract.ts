/**
 * How each member of staff is told: their channels per priority, quiet hours, daily digest and
 * addresses (`/me/preferences`), their browsers' Web Push subscriptions, and for managers what
 * became of a notification's deliveries.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  answer,
  apiOperation,
  failure,
  jsonBody,
  nullable,
  object,
  pathParam,
  schema,
  stringEnum,
  timestamp,
  type DomainContract,
  type JsonSchema,
  type PathItem,
} from '../http/contract';
import { NOTIFICATION_PRIORITIES, STAFF_CHANNELS } from '../../db/notifications/preferences';

const HH_MM = '^([01][0-9]|2[0-3]):[0-5][0-9]$';
const time = (description: string) => Type.String({ pattern: HH_MM, description, examples: ['21:30'] });
const channelList = (priority: string) =>
  Type.Array(stringEnum(STAFF_CHANNELS), {
    uniqueItems: true,
    maxItems: STAFF_CHANNELS.length,
    description: `Channels for ${priority} notifications.`,
  });

export const PreferencesBody = Type.Object(
  {
    channels: Type.Optional(
      Type.Object(
        {
          urgent: Type.Optional(channelList('urgent (sent at once, also in quiet hours)')),
          normal: Type.Optional(channelList('normal')),
          low: Type.Optional(channelList('low-priority (sent as one daily digest per channel)')),
        },
        { additionalProperties: false },
      ),
    ),
    quietHours: Type.Optional(
      Type.Object(
        {
          mode: stringEnum(['off', 'outside-working-hours', 'custom'], {
            description: '`outside-working-hours`: quiet outside shop.yaml `workingHours`; `custom`: quiet from `from` to `to`.',
          }),
          from: Type.Optional(time('With `custom`: quiet from this local time…')),
          to: Type.Optional(time('…until this one (may wrap past midnight).')),
        },
        { additionalProperties: false },
      ),
    ),
    digestAt: Type.Optional(time('Local time of the daily digest of low-priority notifications.')),
    telegramChatId: Type.Optional(
      Type.Union([
        Type.String({ pattern: '^-?[0-9]{1,20}$', description: 'The chat id the bot writes to (the number Telegram shows).' }),
        Type.Null(),
      ]),
    ),
    zaloUserId: Type.Optional(
      Type.Union([Type.String({ pattern: '^[0-9]{5,32}$', description: "The person's user id for the shop's Zalo OA." }), Type.Null()]),
    ),
    email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()])),
    language: Type.Optional(stringEnum(['vi', 'en'])),
  },
  { additionalProperties: false },
);
export type PreferencesBody = Static<typeof PreferencesBody>;

const BASE64URL = '^[A-Za-z0-9_-]+={0,2}$';
export const PushSubscriptionBody = Type.Object(
  {
    endpoint: Type.String({ minLength: 10, maxLength: 2048, description: "The push service's URL for this browser (https)." }),
    expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    keys: Type.Object(
      {
        p256dh: Type.String({
          pattern: BASE64URL,
          minLength: 80,
          maxLength: 100,
          description: "The browser's P-256 public key (65 bytes, base64url).",
        }),
        auth: Type.String({ pattern: BASE64URL, minLength: 16, maxLength: 30, description: 'The 16-byte auth secret (base64url).' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: true, description: "A browser's PushSubscription as its toJSON() gives it." },
);
export type PushSubscriptionBody = Static<typeof PushSubscriptionBody>;

const channelsSchema = (description: string): JsonSchema => ({
  type: 'array',
  items: { type: 'string', enum: [...STAFF_CHANNELS] },
  description,
});

export const schemas: Record<string, JsonSchema> = {
  Preferences: object(
    ['channels', 'quietHours', 'digestAt', 'telegramChatId', 'zaloUserId', 'email', 'staffEmail', 'language', 'saved', 'pushSubscriptions'],
    {
      channels: object([...NOTIFICATION_PRIORITIES], {
        urgent: channelsSchema('Sent at once, also in quiet hours.'),
        normal: channelsSchema('Held in quiet hours.'),
        low: channelsSchema('One daily digest per channel at `digestAt`.'),
      }),
      quietHours: object(['mode'], {
        mode: { type: 'string', enum: ['off', 'outside-working-hours', 'custom'] },
        from: { type: 'string', pattern: HH_MM },
        to: { type: 'string', pattern: HH_MM },
      }),
      digestAt: { type: 'string', pattern: HH_MM },
      telegramChatId: nullable('string'),
      zaloUserId: nullable('string'),
      email: nullable('string', { description: 'Where e-mail goes; null: the staff record’s e-mail (`staffEmail`).' }),
      staffEmail: nullable('string'),
      language: { type: 'string', enum: ['vi', 'en'] },
      saved: { type: 'boolean', description: 'false: never saved, these are the defaults.' },
      pushSubscriptions: { type: 'array', items: schema('PushSubscription') },
    },
    "A person's delivery preferences (the defaults until they save any).",
  ),
  PushSubscription: object(['id', 'endpointHost', 'userAgent', 'active', 'createdAt'], {
    id: { type: 'string' },
    endpointHost: { type: 'string', description: 'The push service (the endpoint itself is a secret of the browser).' },
    userAgent: nullable('string'),
    active: { type: 'boolean', description: 'false once the push service said the browser unsubscribed (404/410).' },
    createdAt: timestamp,
  }),
  PushPublicKey: object(['publicKey'], {
    publicKey: nullable('string', {
      description: 'The VAPID public key (base64url) for `pushManager.subscribe`; null when Web Push is not set up.',
    }),
  }),
  NotificationDeliveries: object(['notification', 'deliveries'], {
    notification: object(['id', 'message', 'priority', 'kind', 'link', 'at'], {
      id: { type: 'string' },
      message: { type: 'string' },
      priority: { type: 'string' },
      kind: { type: 'string' },
      link: nullable('string'),
      at: timestamp,
    }),
    deliveries: {
      type: 'array',
      items: object(
        [
          'id',
          'staffId',
          'channel',
          'address',
          'status',
          'attempts',
          'nextAttemptAt',
          'sentAt',
          'lastError',
          'providerMessageId',
          'history',
        ],
        {
          id: { type: 'string' },
          staffId: nullable('string'),
          channel: { type: 'string', enum: [...STAFF_CHANNELS, 'zns', 'sms'] },
          address: { type: 'string', description: 'Shortened: a push endpoint shows its host only.' },
          status: { type: 'string', enum: ['pending', 'sending', 'held', 'sent', 'given_up'] },
          attempts: { type: 'integer' },
          nextAttemptAt: timestamp,
          sentAt: nullable('string', { format: 'date-time' }),
          lastError: nullable('string'),
          providerMessageId: nullable('string'),
          history: {
            type: 'array',
            items: object(['outcome', 'providerStatus', 'providerAnswer', 'at'], {
              outcome: { type: 'string', enum: ['sent', 'failed', 'given_up'] },
              providerStatus: nullable('string'),
              providerAnswer: nullable('string', { description: 'What the provider answered (cut at 2,000 characters).' }),
              at: timestamp,
            }),
            description: 'Every attempt, oldest first.',
          },
        },
      ),
    },
  }),
};

const invalid = (what: string) => failure(`The body is invalid: ${what} (\`details.fields\` names each bad field; nothing is changed).`);

export const paths: Record<string, PathItem> = {
  '/api/v1/me/preferences': {
    get: apiOperation({
      operationId: 'getMyPreferences',
      tags: ['delivery'],
      summary: 'How I am told: channels per priority, quiet hours, digest time, addresses',
      responses: { 200: answer('The preferences (defaults when never saved).', schema('Preferences')) },
    }),
    patch: apiOperation({
      operationId: 'updateMyPreferences',
      tags: ['delivery'],
      summary: 'Change how I am told',
      description:
        'Only the fields sent change. `custom` quiet hours need `from` and `to`; a Telegram or Zalo channel needs its chat or user id.',
      bodyIsJson: true,
      requestBody: jsonBody(PreferencesBody as unknown as JsonSchema),
      responses: { 200: answer('The preferences as saved.', schema('Preferences')), 422: invalid('a channel, time, id or e-mail') },
    }),
  },
  '/api/v1/me/push/public-key': {
    get: apiOperation({
      operationId: 'getPushPublicKey',
      tags: ['delivery'],
      summary: 'The VAPID public key browsers subscribe to Web Push with',
      responses: { 200: answer('The key.', schema('PushPublicKey')) },
    }),
  },
  '/api/v1/me/push-subscriptions': {
    post: apiOperation({
      operationId: 'addPushSubscription',
      tags: ['delivery'],
      summary: "Register this browser's Web Push subscription for me",
      description: 'The same endpoint again replaces the keys (and moves it to the caller, for a shared device).',
      bodyIsJson: true,
      requestBody: jsonBody(PushSubscriptionBody as unknown as JsonSchema),
      responses: { 201: answer('The subscription.', schema('PushSubscription')), 422: invalid('the endpoint or the keys') },
    }),
  },
  '/api/v1/me/push-subscriptions/{id}': {
    delete: apiOperation({
      operationId: 'deletePushSubscription',
      tags: ['delivery'],
      summary: 'Stop Web Push to one of my browsers',
      parameters: [pathParam('id', 'Push subscription id.')],
      responses: { 204: { description: 'Removed.' }, 404: failure('Not one of my subscriptions.') },
    }),
  },
  '/api/v1/notifications/{id}/deliveries': {
    get: apiOperation({
      operationId: 'listNotificationDeliveries',
      tags: ['delivery'],
      summary: 'What became of a notification on each channel: sent, failed with the provider’s answer, given up',
      description:
        "Its recipients see their own deliveries; a caller of scope `all` who may read the notification's subject (`orders.read` for an order, `complaints.read`, `kpi.read`, `stock.manage` for stock, else `reports.read`) sees everyone's.",
      parameters: [pathParam('id', 'Notification id.')],
      responses: {
        200: answer('The deliveries with every attempt.', schema('NotificationDeliveries')),
        404: failure('No such notification, or the caller is neither a recipient nor allowed its subject with scope `all`.'),
      },
    }),
  },
};

export const contract: DomainContract = {
  tags: [
    {
      name: 'delivery',
      description: 'How staff are told beyond the inbox: preferences, quiet hours, Web Push subscriptions, and every delivery attempt.',
    },
  ],
  schemas,
  paths,
};
