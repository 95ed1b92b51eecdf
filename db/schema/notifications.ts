import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Notifications: what staff and customers are told, and how it reached them.
 * - `notifications`: one message about a subject (an escalation, a pacing alert, low stock), written once per dedupe key;
 * - `notification_recipients`: the people it is addressed to, resolved at send time (each person's inbox row; its id
 *   is the live stream's event id);
 * - `message_deliveries`: the outbox, one row per (recipient or customer, channel), sent off the workflows' path by
 *   the delivery relay with retries and backoff; `message_attempts`: every attempt and the provider's answer;
 * - `staff_preferences`, `push_subscriptions`: how each person wants to be reached.
 */

/** A message about a subject, for roles and/or people. */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    roles: text('roles').array().notNull(),
    staffIds: text('staff_ids')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    taskId: text('task_id'),
    message: text('message').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
    dedupeKey: text('dedupe_key').notNull(),
    /** `low` (may wait for the daily digest), `normal`, `urgent` (goes through quiet hours). */
    priority: text('priority').notNull().default('normal'),
    /** What it is, for the console's icon and filters: `escalation`, `notify`, `alert`, `courier`, `stock`… */
    kind: text('kind').notNull().default('notify'),
    /** The console path it links to (`/tasks/tsk_…`, `/orders/ord_…`); channels make it absolute with PUBLIC_URL. */
    link: text('link'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('notifications_dedupe_key_uq').on(t.dedupeKey), index('notifications_subject_idx').on(t.subjectId)],
);

/** One person's copy of a notification: their inbox row. The id orders the person's live stream. */
export const notificationRecipients = pgTable(
  'notification_recipients',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    notificationId: bigint('notification_id', { mode: 'number' })
      .notNull()
      .references(() => notifications.id),
    staffId: text('staff_id').notNull(),
    /** Why this person got it: `role:<id>`, `assignee`, `staff`. */
    reason: text('reason').notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('notification_recipients_uq').on(t.notificationId, t.staffId),
    // The inbox: a person's rows, unread first, newest first; the unread count.
    index('notification_recipients_inbox_idx').on(t.staffId, t.id),
    index('notification_recipients_unread_idx')
      .on(t.staffId, t.id)
      .where(sql`${t.readAt} is null`),
  ],
);

/**
 * The outbox: one message to send on one channel, to a staff member (a recipient row) or to a
 * customer (an order's tracking code, an order confirmation). `pending` rows are claimed by the
 * relay (`for update skip locked`), sent, and end `sent` or `given_up`; `held` waits for the end of
 * quiet hours or the daily digest (`next_attempt_at`); a digest sends a person's held low-priority rows
 * of one channel as one message and marks each `sent` with the digest's provider id.
 */
export const messageDeliveries = pgTable(
  'message_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Stable per message and channel, so a retried producer never sends twice. */
    dedupeKey: text('dedupe_key').notNull(),
    /** `staff` or `customer`. */
    audience: text('audience').notNull(),
    recipientId: bigint('recipient_id', { mode: 'number' }).references(() => notificationRecipients.id),
    staffId: text('staff_id'),
    orderId: text('order_id'),
    customerId: text('customer_id'),
    /** `email`, `push`, `telegram`, `zalo` (staff); `zns`, `sms` (customers). */
    channel: text('channel').notNull(),
    /** The address on that channel: an e-mail, a push endpoint, a Telegram chat id, a Zalo user id, a phone. */
    address: text('address').notNull(),
    /** For customer messages: the template declared in the order process (`tracking`, `order-confirmation`…). */
    template: text('template'),
    /** What the channel sends: title, text, link, template parameters. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    priority: text('priority').notNull().default('normal'),
    /** `pending`, `sending`, `held`, `sent`, `given_up`. */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    /** The provider's id for the sent message (SMTP message id, Telegram message_id, Zalo msg_id). */
    providerMessageId: text('provider_message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('message_deliveries_dedupe_uq').on(t.dedupeKey),
    index('message_deliveries_due_idx')
      .on(t.nextAttemptAt, t.id)
      .where(sql`${t.status} in ('pending', 'held')`),
    index('message_deliveries_recipient_idx').on(t.recipientId),
    index('message_deliveries_order_idx').on(t.orderId),
  ],
);

/** Every attempt to send a delivery, with what the provider answered. */
export const messageAttempts = pgTable(
  'message_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: bigint('delivery_id', { mode: 'number' })
      .notNull()
      .references(() => messageDeliveries.id),
    /** `sent`, `failed` (to be retried), `given_up`. */
    outcome: text('outcome').notNull(),
    /** The provider's status (HTTP status, SMTP reply code). */
    providerStatus: text('provider_status'),
    /** The provider's answer, truncated. */
    providerAnswer: text('provider_answer'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('message_attempts_delivery_idx').on(t.deliveryId, t.id)],
);

/** How a member of staff wants to be told. Absent row = the defaults (inbox and push; e-mail for urgent). */
export const staffPreferences = pgTable('staff_preferences', {
  staffId: text('staff_id').primaryKey(),
  /** Channels per priority: `{ urgent: ['push','email','telegram'], normal: ['push'], low: ['digest'] }`. */
  channels: jsonb('channels').$type<Record<string, string[]>>().notNull(),
  /** Quiet hours (`HH:MM`–`HH:MM` in the shop's time zone); `outside-working-hours` uses shop.yaml's hours. */
  quietHours: jsonb('quiet_hours').$type<{ mode: 'off' | 'outside-working-hours' | 'custom'; from?: string; to?: string }>().notNull(),
  /** Local time (`HH:MM`) the daily digest of low-priority items is sent. */
  digestAt: text('digest_at').notNull().default('08:00'),
  telegramChatId: text('telegram_chat_id'),
  zaloUserId: text('zalo_user_id'),
  /** Where e-mail goes; the staff record's e-mail when unset. */
  email: text('email'),
  language: text('language').notNull().default('vi'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A browser's Web Push subscription (from the console's service worker). */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    staffId: text('staff_id').notNull(),
    endpoint: text('endpoint').notNull(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    userAgent: text('user_agent'),
    /** Cleared when the push service answers 404/410 (the browser unsubscribed). */
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('push_subscriptions_endpoint_uq').on(t.endpoint), index('push_subscriptions_staff_idx').on(t.staffId)],
);

/**
 * What customers' providers told us about customer messages, one row per provider event: a Zalo
 * user received a ZNS (`received`: which Zalo user a phone's message reached, so that user's
 * replies find the order), and each reply (`reply`) with what it did. Unique per provider event,
 * so a webhook delivered twice is handled once.
 */
export const customerReplies = pgTable(
  'customer_replies',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** `zalo` (OA webhook) or `esms` (inbound SMS). */
    provider: text('provider').notNull(),
    /** The provider's id of the event (Zalo msg_id, eSMS smsid). */
    eventId: text('event_id').notNull(),
    /** `received` (a ZNS reached a Zalo user) or `reply`. */
    kind: text('kind').notNull(),
    phone: text('phone'),
    zaloUserId: text('zalo_user_id'),
    deliveryId: bigint('delivery_id', { mode: 'number' }).references(() => messageDeliveries.id),
    orderId: text('order_id'),
    text: text('text'),
    /** What the reply did: `completed` (the task, with `outcome`), `no-pending` (nothing awaited an answer), `not-a-reply`, `unknown-sender`. */
    result: text('result'),
    outcome: text('outcome'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('customer_replies_event_uq').on(t.provider, t.eventId),
    index('customer_replies_zalo_user_idx').on(t.zaloUserId, t.id),
    index('customer_replies_order_idx').on(t.orderId),
  ],
);
