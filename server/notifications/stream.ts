/**
 * The live stream (Server-Sent Events) of each connected console: its person's new inbox rows
 * and the task changes they may see. Nothing lives only in this process's memory: a wake-up
 * (PostgreSQL NOTIFY on the process's one listening connection, naming the new rows) makes a
 * stream read its person's rows after the last id it sent plus the rows named, so a missed
 * wake-up, a reconnect (`Last-Event-ID`) or another API replica's stream all end with the same
 * rows, from the table. Ids are taken at insert and transactions commit in any order, so a row
 * may commit after a later one was sent: the wake-up names it, and it is sent then (its event's
 * `id:` stays the highest sent, the resume point).
 */
import type { Server } from 'node:http';
import type { Request, Response } from 'express';
import type { Listener } from '../../db/notifications/listener';
import { INBOX_CHANNEL, parseInboxPayload, TASKS_CHANNEL } from '../../db/notifications/recipients';
import type { Principal } from '../http/auth';
import type { Logger } from '../platform/logger';
import type { InboxStore } from './inbox';

const HEARTBEAT_MS = 15_000;
/** How often a stream looks whether its server stopped listening (shutdown), so close() is not held up by open streams. */
const SHUTDOWN_CHECK_MS = 1_000;
/** Rows per read while replaying. */
const BATCH = 200;
/** A client this far behind (bytes buffered) is dropped; it resumes from its last id. */
const MAX_BUFFERED = 4 * 1024 * 1024;
/**
 * After the listening connection came back (wake-ups may be lost), a stream also reads this last
 * while's rows, dropping those it sent (it remembers them this long).
 */
const LOOKBACK_SECONDS = 120;

/** A task row change as the `tasks` trigger (migration 0011) notifies it. */
interface TaskChange {
  taskId: string;
  change: string;
  subjectType: string;
  subjectId: string;
  role: string;
  assigneeId: string | null;
  previousRole: string | null;
  previousAssigneeId: string | null;
}

interface Stream {
  p: Principal;
  res: Response;
  server: Server | undefined;
  lastId: number;
  /** Rows a wake-up named that are not sent yet. */
  pending: Set<number>;
  /** Rows sent lately (id → when), so a look back sends none twice. */
  sent: Map<number, number>;
  lookback: boolean;
  /** On a resume: the id resumed after, to look just below it once (see InboxStore.since). */
  resumedAfter: number | undefined;
  pulling: boolean;
  again: boolean;
  closed: boolean;
}

/** Whether a person may see a task change (as the task list shows tasks: theirs, or their roles' unassigned ones). */
function seesTask(p: Principal, t: TaskChange): boolean {
  if (p.permissions.has('*')) return true;
  if (!p.permissions.has('tasks.read')) return false;
  if (p.scope === 'all') return true;
  const mine = (assignee: string | null, role: string | null) =>
    assignee === p.staffId || (assignee === null && role !== null && p.roles.includes(role));
  return mine(t.assigneeId, t.role) || mine(t.previousAssigneeId, t.previousRole);
}

export function createNotificationStreams(deps: {
  listener: Listener;
  inbox: InboxStore;
  log: Logger;
  /** What a person may read of their rows (outsourced staff: customers' phones masked); absent: as read. */
  reveal?: <T>(p: Principal, rows: T[]) => Promise<T[]>;
}) {
  const streams = new Set<Stream>();
  let listening: Promise<void> | undefined;
  let timers: NodeJS.Timeout[] = [];

  const write = (s: Stream, chunk: string) => {
    if (s.closed) return;
    if (s.res.writableLength > MAX_BUFFERED) return end(s);
    s.res.write(chunk);
  };
  const end = (s: Stream) => {
    if (s.closed) return;
    s.closed = true;
    streams.delete(s);
    s.res.end();
    if (!streams.size) stopTimers();
  };

  /** Sends the person's rows after the last one sent; a wake-up during a read reads again. */
  const pull = async (s: Stream): Promise<void> => {
    if (s.pulling) {
      s.again = true;
      return;
    }
    s.pulling = true;
    let taken: { ids: number[]; lookback: boolean; resumedAfter: number | undefined } | undefined;
    try {
      do {
        s.again = false;
        taken = { ids: [...s.pending], lookback: s.lookback, resumedAfter: s.resumedAfter };
        s.pending.clear();
        s.lookback = false;
        s.resumedAfter = undefined;
        let also: { ids?: number[]; recentSeconds?: number; lateBefore?: number } = {
          ids: taken.ids,
          recentSeconds: taken.lookback ? LOOKBACK_SECONDS : undefined,
          lateBefore: taken.resumedAfter,
        };
        for (;;) {
          const read = await deps.inbox.since(s.p, s.lastId, BATCH, also);
          const rows = deps.reveal ? await deps.reveal(s.p, read) : read;
          for (const row of rows) {
            if (s.sent.has(row.id)) continue;
            s.lastId = Math.max(s.lastId, row.id);
            s.sent.set(row.id, Date.now());
            write(s, `id: ${s.lastId}\nevent: notification\ndata: ${JSON.stringify(row)}\n\n`);
          }
          also = {};
          // A full page: read on after the highest id sent.
          if (rows.length < BATCH || s.closed) break;
        }
        taken = undefined;
        const forgetBefore = Date.now() - LOOKBACK_SECONDS * 1000;
        for (const [id, at] of s.sent) if (at < forgetBefore) s.sent.delete(id);
      } while (s.again && !s.closed);
    } catch (err) {
      // The database is away: try again shortly with what this read was for (the stream stays open; nothing is skipped).
      if (taken) {
        taken.ids.forEach((id) => s.pending.add(id));
        s.lookback ||= taken.lookback;
        s.resumedAfter ??= taken.resumedAfter;
      }
      deps.log.warn({ err, staffId: s.p.staffId }, 'notification stream could not read the inbox; retrying');
      setTimeout(() => void pull(s), 2_000).unref();
    } finally {
      s.pulling = false;
    }
  };

  const wake = (payload: string) => {
    const rows = parseInboxPayload(payload);
    for (const s of streams) {
      if (!rows) s.lookback = true;
      else {
        const mine = rows.get(s.p.staffId);
        if (!mine) continue;
        mine.forEach((id) => s.pending.add(id));
      }
      void pull(s);
    }
  };

  const taskChanged = (payload: string) => {
    let change: TaskChange;
    try {
      change = JSON.parse(payload) as TaskChange;
    } catch {
      return;
    }
    const event = JSON.stringify({
      taskId: change.taskId,
      change: change.change,
      subject: { type: change.subjectType, id: change.subjectId },
    });
    for (const s of streams) if (seesTask(s.p, change)) write(s, `event: task\ndata: ${event}\n\n`);
  };

  const listen = () =>
    (listening ??= (async () => {
      // A lost connection may have missed wake-ups: every stream reads again when it is back.
      await deps.listener.listen(INBOX_CHANNEL, {
        onPayload: wake,
        onReconnect: () =>
          streams.forEach((s) => {
            s.lookback = true;
            void pull(s);
          }),
      });
      await deps.listener.listen(TASKS_CHANNEL, { onPayload: taskChanged });
    })().catch((err: unknown) => {
      listening = undefined;
      throw err;
    }));

  const startTimers = () => {
    if (timers.length) return;
    timers = [
      setInterval(() => streams.forEach((s) => write(s, ': heartbeat\n\n')), HEARTBEAT_MS),
      setInterval(() => streams.forEach((s) => s.server && !s.server.listening && end(s)), SHUTDOWN_CHECK_MS),
    ];
    timers.forEach((t) => t.unref());
  };
  const stopTimers = () => {
    timers.forEach(clearInterval);
    timers = [];
  };

  return {
    /** Opens the caller's stream on `res`, after `lastEventId` if given (else from now). */
    async open(req: Request, res: Response, p: Principal, lastEventId: number | undefined): Promise<void> {
      // Listening first, then reading: a row committed after the read wakes the stream.
      await listen();
      const [latest, unreadCount] = await Promise.all([
        lastEventId === undefined ? deps.inbox.latestId(p.staffId) : Promise.resolve(lastEventId),
        deps.inbox.unreadCount(p),
      ]);
      res.status(200).set({
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.flushHeaders();
      res.socket?.setNoDelay(true);
      const s: Stream = {
        p,
        res,
        server: (req.socket as { server?: Server }).server,
        lastId: latest,
        pending: new Set(),
        sent: new Map(),
        lookback: false,
        resumedAfter: lastEventId,
        pulling: false,
        again: false,
        closed: false,
      };
      streams.add(s);
      startTimers();
      req.on('close', () => end(s));
      write(s, `retry: 3000\nid: ${latest}\nevent: ready\ndata: ${JSON.stringify({ unreadCount, lastEventId: latest })}\n\n`);
      await pull(s);
    },
    /** Streams open in this process (for tests and the bench). */
    get size() {
      return streams.size;
    },
    /** Ends every stream (clients reconnect elsewhere and resume). */
    closeAll() {
      streams.forEach(end);
    },
  };
}

export type NotificationStreams = ReturnType<typeof createNotificationStreams>;
