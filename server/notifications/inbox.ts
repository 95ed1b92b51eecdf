/**
 * Each person's inbox: their rows of `notification_recipients` with the notification, filtered by
 * the same scope rule that addressed them (db/notifications/recipients.ts), so the list, the
 * unread count and the stream always agree.
 */
import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, max, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { ownScopeSees } from '../../db/notifications/recipients';
import { notificationRecipients as r, notifications as n } from '../../db/schema';
import type { Principal } from '../http/auth';
import { badCursor } from '../http/pagination';

/** One notification as its reader sees it (the contract's `Notification`). */
export interface InboxItem {
  id: number;
  message: string;
  kind: string;
  priority: string;
  subject: { type: string; id: string } | null;
  taskId: string | null;
  link: string | null;
  at: string;
  readAt: string | null;
}

/** What the caller may see of their rows: everything with scope `all`, else what scope `own` allows. */
function mine(p: Principal): SQL {
  const own = p.scope === 'all' || p.permissions.has('*') ? undefined : ownScopeSees(p.staffId, p.roles);
  return and(eq(r.staffId, p.staffId), own)!;
}

const columns = {
  id: r.id,
  readAt: r.readAt,
  message: n.message,
  kind: n.kind,
  priority: n.priority,
  subjectType: n.subjectType,
  subjectId: n.subjectId,
  taskId: n.taskId,
  link: n.link,
  at: n.at,
};
type Row = { [K in keyof typeof columns]: (typeof columns)[K]['_']['data'] | null } & { id: number; message: string };

function toItem(row: Row): InboxItem {
  return {
    id: row.id,
    message: row.message,
    kind: row.kind ?? 'notify',
    priority: row.priority ?? 'normal',
    subject: row.subjectType && row.subjectId ? { type: row.subjectType, id: row.subjectId } : null,
    taskId: row.taskId,
    link: row.link,
    at: (row.at ?? new Date()).toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
  };
}

/** The list's cursor: the last row's (unread?, id), unread rows coming first. */
const encode = (row: { id: number; readAt: Date | null }) =>
  Buffer.from(JSON.stringify([row.readAt ? 0 : 1, row.id])).toString('base64url');
function afterInboxCursor(cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined;
  let unread: number;
  let id: number;
  try {
    [unread, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [number, number];
    if ((unread !== 0 && unread !== 1) || !Number.isSafeInteger(id)) throw new Error('bad cursor');
  } catch {
    throw badCursor();
  }
  return unread ? or(and(isNull(r.readAt), lt(r.id, id)), isNotNull(r.readAt)) : and(isNotNull(r.readAt), lt(r.id, id));
}

export function createInboxStore(db: Db) {
  const select = () => db.select(columns).from(r).innerJoin(n, eq(n.id, r.notificationId));
  return {
    async list(
      p: Principal,
      q: { limit: number; cursor?: string; unread?: boolean },
    ): Promise<{ notifications: InboxItem[]; nextCursor: string | null }> {
      const rows = (await select()
        .where(and(mine(p), q.unread ? isNull(r.readAt) : undefined, afterInboxCursor(q.cursor)))
        .orderBy(desc(sql`(${r.readAt} is null)`), desc(r.id))
        .limit(q.limit + 1)) as Row[];
      const page = rows.slice(0, q.limit);
      return {
        notifications: page.map(toItem),
        nextCursor: rows.length > q.limit ? encode(page[page.length - 1]!) : null,
      };
    },

    async unreadCount(p: Principal): Promise<number> {
      const [row] = await db
        .select({ unread: count() })
        .from(r)
        .innerJoin(n, eq(n.id, r.notificationId))
        .where(and(mine(p), isNull(r.readAt)));
      return Number(row?.unread ?? 0);
    },

    /** Marks the caller's row read (once: the first time stays); undefined when it is not theirs to see. */
    async markRead(p: Principal, id: number): Promise<InboxItem | undefined> {
      const visible = db
        .select({ id: r.id })
        .from(r)
        .innerJoin(n, eq(n.id, r.notificationId))
        .where(and(eq(r.id, id), mine(p)));
      const [row] = await db
        .update(r)
        .set({ readAt: sql`coalesce(${r.readAt}, now())` })
        .where(and(eq(r.id, id), inArray(r.id, visible)))
        .returning({ id: r.id });
      if (!row) return undefined;
      const [item] = (await select().where(eq(r.id, id))) as Row[];
      return item && toItem(item);
    },

    /** Marks every unread row of the caller (up to `upTo`) read; how many. */
    async markAllRead(p: Principal, upTo?: number): Promise<number> {
      const visible = db
        .select({ id: r.id })
        .from(r)
        .innerJoin(n, eq(n.id, r.notificationId))
        .where(and(mine(p), isNull(r.readAt), upTo ? lte(r.id, upTo) : undefined));
      const marked = await db
        .update(r)
        .set({ readAt: sql`now()` })
        .where(and(eq(r.staffId, p.staffId), isNull(r.readAt), inArray(r.id, visible)))
        .returning({ id: r.id });
      return marked.length;
    },

    /**
     * The caller's rows after `afterId`, oldest first: what a stream (re)sends; also the rows
     * `ids` names and, with `recentSeconds`, every row of that last while (rows that committed
     * after a later one was sent; the stream drops those it sent already); with `lateBefore`, the
     * rows below that id recorded up to 5 s before it (a resume: one may have committed after it
     * was sent, while the console was away — the console drops those it has).
     */
    async since(
      p: Principal,
      afterId: number,
      limit: number,
      also: { ids?: number[]; recentSeconds?: number; lateBefore?: number } = {},
    ): Promise<InboxItem[]> {
      const rows = (await select()
        .where(
          and(
            mine(p),
            or(
              gt(r.id, afterId),
              also.ids?.length ? inArray(r.id, also.ids) : undefined,
              also.recentSeconds ? sql`${r.at} > now() - make_interval(secs => ${also.recentSeconds})` : undefined,
              also.lateBefore
                ? sql`(${r.id} < ${also.lateBefore} and ${r.at} >= (select x.at - interval '5 seconds' from ${r} x where x.id = ${also.lateBefore}))`
                : undefined,
            ),
          ),
        )
        .orderBy(asc(r.id))
        .limit(limit)) as Row[];
      return rows.map(toItem);
    },

    /** The newest row id of the caller (visible or not): where a fresh stream starts. */
    async latestId(staffId: string): Promise<number> {
      const [row] = await db
        .select({ id: max(r.id) })
        .from(r)
        .where(eq(r.staffId, staffId));
      return Number(row?.id ?? 0);
    },
  };
}

export type InboxStore = ReturnType<typeof createInboxStore>;
