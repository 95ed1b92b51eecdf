import { Router, type Request } from 'express';
import type { Db } from '../../db/client';
import type { Listener } from '../../db/notifications/listener';
import { body, queryOf, queryValues } from '../http/contract';
import { badRequest, HttpError } from '../http/errors';
import type { Logger } from '../platform/logger';
import { INBOX_ID, InboxQuery, ReadAllBody, StreamQuery } from './contract';
import { createInboxStore } from './inbox';
import { createNotificationStreams } from './stream';
import type { Principal } from '../http/auth';
import { phoneMaskFor } from '../outsourcing/limits';

/** An inbox row id from the edge, or a 400 naming where it came from. */
function inboxId(value: unknown, field: string): number {
  if (typeof value !== 'string' || !INBOX_ID.test(value))
    throw badRequest(`${field} must be an inbox row id (digits)`, { fields: [{ field, message: 'must be an inbox row id (digits)' }] });
  return Number(value);
}

/** `/api/v1/me/notifications`: the caller's inbox, marking read, and the live stream. Any staff member's token. */
export function notificationsRouter(deps: { db: Db; listener: Listener; log: Logger }): Router {
  const router = Router();
  const inbox = createInboxStore(deps.db);
  const streams = createNotificationStreams({
    listener: deps.listener,
    inbox,
    log: deps.log.child({ component: 'notification-stream' }),
    // The stream writes rows itself (not res.json): outsourced staff's rows pass the same phone mask.
    reveal: async <T>(p: Principal, rows: T[]) => (p.outsourced ? ((await phoneMaskFor(deps.db, p, deps.log)(rows)) as T[]) : rows),
  });

  router.get('/', queryOf(InboxQuery), async (req, res) => {
    const q = queryValues(req, InboxQuery);
    const p = req.principal!;
    const [page, unreadCount] = await Promise.all([
      inbox.list(p, { limit: q.limit, cursor: q.cursor || undefined, unread: q.unread === true }),
      inbox.unreadCount(p),
    ]);
    res.json({ ...page, unreadCount });
  });

  router.get('/unread-count', async (req, res) => {
    res.json({ unreadCount: await inbox.unreadCount(req.principal!) });
  });

  router.post('/read-all', body(ReadAllBody), async (req, res) => {
    const p = req.principal!;
    const marked = await inbox.markAllRead(p, req.body.upTo);
    res.json({ marked, unreadCount: await inbox.unreadCount(p) });
  });

  router.get('/stream', queryOf(StreamQuery), async (req: Request, res) => {
    if (!/(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(req.get('accept') ?? ''))
      throw new HttpError(406, 'not_acceptable', 'this is a Server-Sent Events stream: send Accept: text/event-stream');
    const header = req.get('last-event-id');
    const fromQuery = queryValues(req, StreamQuery).lastEventId;
    const last = header !== undefined && header !== '' ? inboxId(header, 'Last-Event-ID') : fromQuery ? Number(fromQuery) : undefined;
    await streams.open(req, res, req.principal!, last);
  });

  router.post('/:id/read', async (req, res) => {
    const id = inboxId(req.params.id, 'id');
    const item = await inbox.markRead(req.principal!, id);
    if (!item)
      throw new HttpError(404, 'not_found', `you have no notification ${id}`, {
        fields: [{ field: 'id', message: 'is not one of your notifications' }],
      });
    res.json(item);
  });

  return router;
}
