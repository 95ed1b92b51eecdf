/**
 * The inbox and its live stream on the real stack: a lead through the real HTTP app starts an
 * order on the real dev server, its close task goes to a sales rep (scope own), a second-scale
 * SLA escalates to the manager and to sales; each person's inbox (list, unread count, read,
 * read-all) and their open Server-Sent Events stream show what they may see, and nothing else.
 */
import { and, eq } from 'drizzle-orm';
import { notificationRecipients, tasks } from '../../db/schema';
import { recordNotification } from '../../db/notifications/outbox';
import { apiClient, eventually, fixture, openTestStack, testLog, uniqueId, type TestStack } from '../support/stack';
import { openStream, type SseEvent, type SseStream } from '../support/sse';

let stack: TestStack;
let base: string;
let processName: string;
let manager: { id: string; token: string };
let repA: { id: string; token: string };
let repB: { id: string; token: string };
let marketing: { id: string; token: string };
const streams: SseStream[] = [];

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  ({ name: processName } = await stack.activateProcess(fixture('notify-order.yaml')));
  [manager, repA, repB, marketing] = await Promise.all([
    stack.createStaff(['manager'], { name: 'Phạm Quản Lý' }),
    stack.createStaff(['sales'], { name: 'Nguyễn Văn A' }),
    stack.createStaff(['sales'], { name: 'Trần Văn B' }),
    stack.createStaff(['marketing']),
  ]);
});
afterAll(async () => {
  streams.forEach((s) => s.close());
  await stack?.close();
});

async function stream(token: string, lastEventId?: string, at = base): Promise<SseStream> {
  const s = await openStream(at, token, { lastEventId });
  expect(s.status).toBe(200);
  streams.push(s);
  await s.next((e) => e.event === 'ready', 10_000, 'the ready event');
  return s;
}

async function newLead(phone: string) {
  const res = await apiClient(base, marketing.token).post('/api/v1/leads', {
    channel: 'facebook',
    process: processName,
    customer: { name: 'Lê Thị Khách', phone },
  });
  expect(res.status).toBe(201);
  return res.body.orderId as string;
}

const closeTaskOf = (orderId: string) =>
  eventually(
    async () =>
      (
        await stack.database.db
          .select()
          .from(tasks)
          .where(and(eq(tasks.subjectId, orderId), eq(tasks.stage, 'close')))
      )[0],
    20_000,
    'the close task',
  );

const inbox = (token: string, query = '') => apiClient(base, token).get(`/api/v1/me/notifications${query}`);
const isNotification = (match: (d: any) => boolean) => (e: SseEvent) => e.event === 'notification' && match(e.data);

describe('inbox and live stream', () => {
  let orderId: string;
  let taskId: string;
  let holder: { id: string; token: string };
  let other: { id: string; token: string };

  test("When a task of an SLA of seconds escalates, then the manager's inbox and open stream get it with the link to the task, and the rep holding it gets the task on their stream", async () => {
    const managerStream = await stream(manager.token);
    const streamA = await stream(repA.token);
    const streamB = await stream(repB.token);
    orderId = await newLead('0912 000 301');
    const task = await closeTaskOf(orderId);
    taskId = task.id;
    expect(task.assigneeId === repA.id || task.assigneeId === repB.id).toBe(true);
    [holder, other] = task.assigneeId === repA.id ? [repA, repB] : [repB, repA];
    const holderStream = holder === repA ? streamA : streamB;

    const live = await managerStream.next(
      isNotification((d) => d.kind === 'escalation' && d.taskId === taskId),
      30_000,
      'the escalation',
    );
    expect(live.data).toMatchObject({
      kind: 'escalation',
      priority: 'normal',
      link: `/tasks/${taskId}`,
      subject: { type: 'order', id: orderId },
      readAt: null,
    });
    expect(live.data.message).toContain('Chốt đơn');
    expect(live.data.message).toContain(orderId);
    expect(live.id).toBe(String(live.data.id));

    const listed = await inbox(manager.token);
    expect(listed.status).toBe(200);
    expect(listed.body.notifications.find((n: { id: number }) => n.id === live.data.id)).toEqual(live.data);
    expect(listed.body.unreadCount).toBeGreaterThanOrEqual(1);

    // The rep it was handed to: told of it, and of its escalation; the task itself moves on their stream.
    const assigned = await holderStream.next(
      isNotification((d) => d.kind === 'assigned' && d.taskId === taskId),
      20_000,
      'assigned',
    );
    expect(assigned.data).toMatchObject({ link: `/tasks/${taskId}`, subject: { type: 'order', id: orderId } });
    await holderStream.next((e) => e.event === 'task' && e.data.taskId === taskId && e.data.change === 'opened', 20_000, 'task opened');
    await holderStream.next(
      isNotification((d) => d.kind === 'escalation' && d.taskId === taskId),
      20_000,
      'escalation to the rep',
    );
    // Level 2 is for the manager only, and urgent.
    const second = await managerStream.next(
      isNotification((d) => d.kind === 'escalation' && d.taskId === taskId && d.id !== live.data.id),
      30_000,
      'the second rung',
    );
    expect(second.data.priority).toBe('urgent');
  });

  test("When another rep's order escalates to sales, then a rep's inbox, unread count and stream never show it", async () => {
    // A sentinel for the other rep, written after everything above: their stream delivers in id order.
    const sentinel = await recordNotification(stack.database.db, testLog, {
      roles: [],
      staffIds: [other.id],
      message: 'Thông báo kiểm tra',
      dedupeKey: uniqueId('sentinel'),
    });
    const otherStream = streams[holder === repA ? 2 : 1]!;
    await otherStream.next(
      isNotification((d) => d.id === sentinel.recipients[0]!.id),
      20_000,
      'the sentinel',
    );
    const seen = otherStream.events.filter((e) => e.event === 'notification');
    expect(seen.map((e) => e.data.id)).toEqual([sentinel.recipients[0]!.id]);
    expect(otherStream.events.filter((e) => e.event === 'task' && e.data.taskId === taskId)).toEqual([]);

    const list = await inbox(other.token);
    expect(list.body.notifications.map((n: { message: string }) => n.message)).toEqual(['Thông báo kiểm tra']);
    expect(list.body.unreadCount).toBe(1);
    expect((await apiClient(base, other.token).get('/api/v1/me/notifications/unread-count')).body).toEqual({ unreadCount: 1 });

    // Addressed to all of sales about the order (no task): only the rep holding its task gets it.
    const about = await recordNotification(stack.database.db, testLog, {
      roles: ['sales'],
      message: `Đơn ${orderId} cần kiểm tra`,
      subject: { type: 'order', id: orderId },
      dedupeKey: uniqueId('order-note'),
    });
    expect(about.recipients.map((r) => r.staffId)).toEqual([holder.id]);
    expect(about.notification!.link).toBe(`/orders/${orderId}`);
  });

  test("When the task is handed to the other rep, then it leaves the first rep's inbox and count together, and the other rep is told", async () => {
    const before = await inbox(holder.token);
    const mineBefore = before.body.notifications.filter((n: { taskId: string | null }) => n.taskId === taskId);
    expect(mineBefore.length).toBeGreaterThanOrEqual(2);
    const otherStream = streams[holder === repA ? 2 : 1]!;
    const res = await apiClient(base, manager.token).post(`/api/v1/tasks/${taskId}/reassign`, { to: other.id });
    expect(res.status).toBe(200);
    await otherStream.next(
      isNotification((d) => d.kind === 'assigned' && d.taskId === taskId),
      20_000,
      'assigned to the other rep',
    );
    await otherStream.next((e) => e.event === 'task' && e.data.taskId === taskId && e.data.change === 'assigned', 20_000, 'task event');

    const after = await inbox(holder.token);
    expect(after.body.notifications.filter((n: { taskId: string | null }) => n.taskId === taskId)).toEqual([]);
    const unread = after.body.notifications.filter((n: { readAt: string | null }) => n.readAt === null).length;
    expect(after.body.unreadCount).toBe(unread);
    expect((await apiClient(base, holder.token).get('/api/v1/me/notifications/unread-count')).body.unreadCount).toBe(unread);
  });

  test('When a person reads one and then all, then the count follows, a read one keeps its first time, and read-all leaves newer ones unread when given upTo', async () => {
    const me = apiClient(base, manager.token);
    const list = await inbox(manager.token);
    const unread = list.body.notifications.filter((n: { readAt: string | null }) => !n.readAt);
    expect(unread.length).toBeGreaterThanOrEqual(2);
    expect(list.body.unreadCount).toBe(unread.length);
    const first = unread[unread.length - 1];
    const read = await me.post(`/api/v1/me/notifications/${first.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: first.id, message: first.message });
    expect(read.body.readAt).not.toBeNull();
    const again = await me.post(`/api/v1/me/notifications/${first.id}/read`);
    expect(again.body.readAt).toBe(read.body.readAt);
    expect((await me.get('/api/v1/me/notifications/unread-count')).body.unreadCount).toBe(unread.length - 1);

    // Unread first, then newest: the one just read is after every unread one.
    const ordered = (await inbox(manager.token)).body.notifications as Array<{ id: number; readAt: string | null }>;
    const firstRead = ordered.findIndex((n) => n.readAt);
    expect(ordered.slice(firstRead).every((n) => n.readAt)).toBe(true);
    expect(ordered.slice(0, firstRead).map((n) => n.id)).toEqual([...ordered.slice(0, firstRead).map((n) => n.id)].sort((a, b) => b - a));

    // Pages: one at a time, everything once.
    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { notifications: Array<{ id: number }>; nextCursor: string | null } } = await inbox(
        manager.token,
        `?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      paged.push(...page.body.notifications.map((n) => n.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(ordered.map((n) => n.id));

    const newest = Math.max(...ordered.map((n) => n.id));
    const later = await recordNotification(stack.database.db, testLog, {
      roles: ['manager'],
      message: 'Mới hơn',
      dedupeKey: uniqueId('later'),
    });
    const all = await me.post('/api/v1/me/notifications/read-all', { upTo: newest });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ marked: unread.length - 1, unreadCount: 1 });
    const rest = await inbox(manager.token, '?unread=true');
    expect(rest.body.notifications.map((n: { id: number }) => n.id)).toEqual(
      later.recipients.filter((r) => r.staffId === manager.id).map((r) => r.id),
    );
    const none = await me.post('/api/v1/me/notifications/read-all');
    expect(none.body).toEqual({ marked: 1, unreadCount: 0 });
  });

  test("When ids, bodies, cursors or event ids are bad or another person's, then the answer is 4xx naming the field and nothing changes", async () => {
    const [othersRow] = await stack.database.db
      .select()
      .from(notificationRecipients)
      .where(and(eq(notificationRecipients.staffId, holder.id)))
      .limit(1);
    expect(othersRow).toBeDefined();
    const unreadOf = async () =>
      (await stack.database.db.select().from(notificationRecipients).where(eq(notificationRecipients.staffId, holder.id))).map((r) => [
        r.id,
        r.readAt?.toISOString() ?? null,
      ]);
    const before = await unreadOf();
    const me = apiClient(base, other.token);
    const field = (res: { body: any }) => res.body.error.details.fields.map((f: { field: string }) => f.field);
    for (const id of ['abc', '__proto__', '0', '-1', '1.5', '99999999999999999999', 'constructor']) {
      const res = await me.post(`/api/v1/me/notifications/${encodeURIComponent(id)}/read`);
      expect([id, res.status]).toEqual([id, 400]);
      expect(field(res)).toEqual(['id']);
    }
    const theirs = await me.post(`/api/v1/me/notifications/${othersRow!.id}/read`);
    expect(theirs.status).toBe(404);
    expect(field(theirs)).toEqual(['id']);
    const missing = await me.post('/api/v1/me/notifications/999999999/read');
    expect(missing.status).toBe(404);

    for (const body of [{ upTo: 'x' }, { upTo: 0 }, { upTo: -1 }, { extra: true }, { upTo: 1.5 }]) {
      const res = await me.post('/api/v1/me/notifications/read-all', body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 422]);
    }
    const notJson = await me.post('/api/v1/me/notifications/read-all', 'upTo=1', { 'content-type': 'text/plain' });
    expect(notJson.status).toBe(415);
    for (const q of ['?cursor=nonsense', '?limit=0', '?limit=x', '?unread=maybe', '?limit=1&limit=2']) {
      const res = await me.get(`/api/v1/me/notifications${q}`);
      expect([q, res.status]).toEqual([q, 400]);
    }

    const stream = async (headers: Record<string, string>, query = '') =>
      fetch(`${base}/api/v1/me/notifications/stream${query}`, { headers: { authorization: `Bearer ${other.token}`, ...headers } });
    const noAccept = await stream({});
    expect(noAccept.status).toBe(406);
    for (const bad of ['x', '-1', '__proto__', '1e3']) {
      const res = await stream({ accept: 'text/event-stream', 'last-event-id': bad });
      expect([bad, res.status]).toEqual([bad, 400]);
      expect(((await res.json()) as any).error.details.fields[0].field).toBe('Last-Event-ID');
      const viaQuery = await stream({ accept: 'text/event-stream' }, `?lastEventId=${encodeURIComponent(bad)}`);
      expect([bad, viaQuery.status]).toEqual([bad, 400]);
    }
    const anonymous = await fetch(`${base}/api/v1/me/notifications/stream`, { headers: { accept: 'text/event-stream' } });
    expect(anonymous.status).toBe(401);

    expect(await unreadOf()).toEqual(before);
  });
});
