/**
 * The caller's notifications: the inbox (each person's copy of a notification), marking read,
 * and the live stream (Server-Sent Events) of new inbox rows and task changes.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  schema,
  answer,
  failure,
  object,
  nullable,
  timestamp,
  pathParam,
  jsonBody,
  apiOperation,
  type DomainContract,
  type PathItem,
  type JsonSchema,
} from '../http/contract';
import { pageQuery } from '../http/pagination';

/** An inbox row id: what `{id}`, `upTo`, `Last-Event-ID` and `lastEventId` name (digits; checked at the edge). */
export const INBOX_ID = /^[1-9][0-9]{0,14}$/;

export const InboxQuery = Type.Object({
  unread: Type.Optional(Type.Boolean({ description: '`true`: only unread ones (`false` does not filter).' })),
  ...pageQuery,
});

export const ReadAllBody = Type.Object(
  {
    upTo: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 999_999_999_999_999,
        description: 'Only rows up to this id (the newest the caller has seen), so one arriving meanwhile stays unread.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ReadAllBody = Static<typeof ReadAllBody>;

export const StreamQuery = Type.Object({
  lastEventId: Type.Optional(
    Type.String({
      pattern: INBOX_ID.source,
      description: 'For clients that cannot send the `Last-Event-ID` header: resume after this event id. The header wins.',
    }),
  ),
});

const notificationId = pathParam('id', 'Inbox row id (the `id` of a notification in the list and of its stream event).', 'integer');
const self =
  "Only the caller's own inbox. A caller of scope `own` never gets or sees a notification about a task or order outside their scope: its task must be theirs or unassigned in one of their roles; without a task, the order (or complaint) must have a task they hold. The same rule counts the unread.";

export const schemas: Record<string, JsonSchema> = {
  Notification: object(['id', 'message', 'kind', 'priority', 'subject', 'taskId', 'link', 'at', 'readAt'], {
    id: { type: 'integer', description: 'The inbox row id: also the stream event id.' },
    message: { type: 'string', description: 'For people, in Vietnamese: names the task by its title and the order by its code.' },
    kind: {
      type: 'string',
      description: 'What it is: `escalation`, `assigned`, `notify` (a process step), `kpi`, `stock`, `courier`.',
      examples: ['escalation'],
    },
    priority: { type: 'string', enum: ['low', 'normal', 'urgent'] },
    subject: nullable('object', {
      required: ['type', 'id'],
      properties: { type: { type: 'string', examples: ['order'] }, id: { type: 'string' } },
      description: 'What it is about.',
    }),
    taskId: nullable('string'),
    link: nullable('string', { description: 'The console path it opens (`/tasks/<id>`, `/orders/<id>`).', examples: ['/tasks/tsk_1a2b'] }),
    at: timestamp,
    readAt: nullable('string', { format: 'date-time' }),
  }),
  NotificationPage: object(['notifications', 'nextCursor', 'unreadCount'], {
    notifications: { type: 'array', items: schema('Notification') },
    nextCursor: nullable('string', { description: 'Pass as `cursor` for the next page; null on the last page.' }),
    unreadCount: { type: 'integer' },
  }),
  UnreadCount: object(['unreadCount'], { unreadCount: { type: 'integer' } }),
  ReadAll: ReadAllBody,
  ReadAllResult: object(['marked', 'unreadCount'], {
    marked: { type: 'integer', description: 'How many were unread and are now read.' },
    unreadCount: { type: 'integer' },
  }),
  TaskStreamEvent: object(['taskId', 'change', 'subject'], {
    taskId: { type: 'string' },
    change: { type: 'string', enum: ['opened', 'completed', 'cancelled', 'assigned', 'unassigned', 'updated'] },
    subject: object(['type', 'id'], { type: { type: 'string' }, id: { type: 'string' } }),
  }),
};

export const paths: Record<string, PathItem> = {
  '/api/v1/me/notifications': {
    get: apiOperation({
      operationId: 'listMyNotifications',
      tags: ['notifications'],
      summary: 'My notifications: unread first, then newest',
      description: self,
      query: InboxQuery,
      responses: {
        200: answer('A page of the inbox, and the unread count.', schema('NotificationPage')),
        400: failure('A parameter is invalid (unread, limit, cursor); `details.fields` names it.'),
      },
    }),
  },
  '/api/v1/me/notifications/unread-count': {
    get: apiOperation({
      operationId: 'countMyUnreadNotifications',
      tags: ['notifications'],
      summary: 'How many of my notifications are unread (the bell)',
      description: self,
      responses: { 200: answer('The unread count.', schema('UnreadCount')) },
    }),
  },
  '/api/v1/me/notifications/{id}/read': {
    post: apiOperation({
      operationId: 'readMyNotification',
      tags: ['notifications'],
      summary: 'Mark one of my notifications read',
      description: `Marking one already read changes nothing (its first \`readAt\` stays). ${self}`,
      parameters: [notificationId],
      responses: {
        200: answer('The notification, read.', schema('Notification')),
        400: failure('`id` is not an inbox row id (digits); `details.fields` names it.'),
        404: failure("No notification of the caller has this id (another person's answers the same); `details.fields` names `id`."),
      },
    }),
  },
  '/api/v1/me/notifications/read-all': {
    post: apiOperation({
      operationId: 'readAllMyNotifications',
      tags: ['notifications'],
      summary: 'Mark all my notifications read',
      description: `Optionally only up to \`upTo\`. The body may be empty. ${self}`,
      bodyIsJson: true,
      requestBody: { ...jsonBody(schema('ReadAll')), required: false },
      responses: {
        200: answer('How many were marked.', schema('ReadAllResult')),
        422: { $ref: '#/components/responses/InvalidBody' },
      },
    }),
  },
  '/api/v1/me/notifications/stream': {
    get: apiOperation({
      operationId: 'streamMyNotifications',
      tags: ['notifications'],
      summary: 'Live: my new notifications and task changes (Server-Sent Events)',
      description: [
        'Send `Accept: text/event-stream` and the bearer token in `Authorization` (read it with `fetch`; the token never goes in a URL). Events:',
        '- `ready` first: `{unreadCount, lastEventId}`, with `id:` = the newest inbox row the stream starts after;',
        '- `notification`: one inbox row (the `Notification` shape), `id:` = its inbox row id, oldest first;',
        '- `task`: a task the caller may see was opened, assigned, completed… (`TaskStreamEvent`), so task lists and order pages refresh; no `id:`.',
        'A comment line (`: heartbeat`) every 15 s keeps proxies from closing it. To resume after a reconnect or an API restart, send `Last-Event-ID` (or `?lastEventId=`): every inbox row after it is sent first, from the table, then live ones. Every API replica delivers (PostgreSQL LISTEN/NOTIFY).',
        self,
      ].join('\n'),
      query: StreamQuery,
      parameters: [
        {
          name: 'Last-Event-ID',
          in: 'header',
          description: 'The `id:` of the last event received: resume after it.',
          schema: { type: 'string', pattern: INBOX_ID.source },
        },
      ],
      responses: {
        200: { description: 'The event stream (never ends by itself).', content: { 'text/event-stream': { schema: { type: 'string' } } } },
        400: failure('`Last-Event-ID` or `lastEventId` is not an event id of this stream; `details.fields` names it.'),
        406: failure('The request does not accept `text/event-stream` (code `not_acceptable`).'),
      },
    }),
  },
};

export const contract: DomainContract = {
  tags: [{ name: 'notifications', description: "The caller's inbox and its live stream." }],
  schemas,
  paths,
};
