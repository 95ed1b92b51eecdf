/**
 * The live stream across processes: an API restart loses nothing (the console reconnects with
 * Last-Event-ID and gets what was recorded meanwhile, from the table), and two API instances on
 * the same PostgreSQL — each with its own database connection and LISTEN — both deliver.
 */
import type { Server } from 'node:http';
import { createCourierDirectory } from '../../activities/shipping/couriers/directory';
import { openDatabase, type Database } from '../../db/client';
import { recordNotification } from '../../db/notifications/outbox';
import { createApp } from '../../server/http/app';
import { courierEnv, openTestStack, testLog, uniqueId, type TestStack } from '../support/stack';
import { openStream, type SseEvent, type SseStream } from '../support/sse';

let stack: TestStack;
let manager: { id: string; token: string };
const streams: SseStream[] = [];
const instances: Array<{ server: Server; database: Database }> = [];

beforeAll(async () => {
  stack = await openTestStack();
  manager = await stack.createStaff(['manager'], { name: 'Phạm Quản Lý' });
});
afterAll(async () => {
  streams.forEach((s) => s.close());
  for (const i of instances) await stopInstance(i);
  await stack?.close();
});

/** An API process of its own: its own pool and LISTEN connection on the stack's database, and its own HTTP server. */
async function startInstance(): Promise<{ url: string; server: Server; database: Database }> {
  const database = await openDatabase({ databaseUrl: stack.config.databaseUrl, dataDir: stack.config.dataDir, poolSize: 2 });
  const app = createApp({
    config: stack.config,
    database,
    temporal: stack.temporal,
    log: testLog,
    couriers: createCourierDirectory(database.db, courierEnv),
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const instance = { server, database };
  instances.push(instance);
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, ...instance };
}

/** Stops it as a shutdown does: the server stops listening (its open streams end) and the database closes. */
async function stopInstance(instance: { server: Server; database: Database }): Promise<void> {
  const at = instances.findIndex((i) => i.server === instance.server);
  if (at < 0) return;
  instances.splice(at, 1);
  await new Promise((r) => instance.server.close(r));
  await instance.database.close();
}

async function stream(url: string, lastEventId?: string): Promise<SseStream> {
  const s = await openStream(url, manager.token, { lastEventId });
  expect(s.status).toBe(200);
  streams.push(s);
  await s.next((e) => e.event === 'ready', 10_000, 'the ready event');
  return s;
}

const notify = (message: string) =>
  recordNotification(stack.database.db, testLog, {
    roles: ['manager'],
    message,
    priority: 'urgent',
    kind: 'escalation',
    subject: { type: 'order', id: 'DH-STREAM' },
    dedupeKey: uniqueId('stream'),
  });
const rowFor = (recorded: Awaited<ReturnType<typeof notify>>) => recorded.recipients.find((r) => r.staffId === manager.id)!.id;
const messages = (events: SseEvent[]) => events.filter((e) => e.event === 'notification').map((e) => e.data.message);

test('When the API restarts while things are recorded, then the console reconnecting with Last-Event-ID gets every one of them, in order, once', async () => {
  const first = await startInstance();
  const before = await stream(first.url);
  const seen = await notify('Trước khi khởi động lại');
  await before.next((e) => e.event === 'notification' && e.data.id === rowFor(seen), 20_000, 'the first notification');
  const lastEventId = before.lastEventId!;
  expect(lastEventId).toBe(String(rowFor(seen)));

  await stopInstance(first);
  await before.ended;
  const meanwhile = [await notify('Trong lúc khởi động lại 1'), await notify('Trong lúc khởi động lại 2')];

  const second = await startInstance();
  const resumed = await stream(second.url, lastEventId);
  const last = rowFor(meanwhile[1]!);
  await resumed.next((e) => e.event === 'notification' && e.data.id === last, 20_000, 'what was recorded meanwhile');
  expect(messages(resumed.events)).toEqual(['Trong lúc khởi động lại 1', 'Trong lúc khởi động lại 2']);
  expect(resumed.events.filter((e) => e.event === 'notification').map((e) => e.id)).toEqual(meanwhile.map((m) => String(rowFor(m))));
  expect(resumed.events.find((e) => e.event === 'notification')!.data).toMatchObject({
    priority: 'urgent',
    kind: 'escalation',
    link: '/orders/DH-STREAM',
  });

  // …and then live ones on the same stream.
  const live = await notify('Sau khi khởi động lại');
  await resumed.next((e) => e.event === 'notification' && e.data.id === rowFor(live), 20_000, 'a live one after the replay');
  expect(messages(resumed.events)).toEqual(['Trong lúc khởi động lại 1', 'Trong lúc khởi động lại 2', 'Sau khi khởi động lại']);
});

test('When two API instances run on the same database, then a console on each gets the same notification', async () => {
  const [a, b] = await Promise.all([startInstance(), startInstance()]);
  const [onA, onB] = await Promise.all([stream(a.url), stream(b.url)]);
  const recorded = await notify('Cho cả hai máy chủ');
  const id = rowFor(recorded);
  const [gotA, gotB] = await Promise.all([
    onA.next((e) => e.event === 'notification' && e.data.id === id, 20_000, 'the notification on instance A'),
    onB.next((e) => e.event === 'notification' && e.data.id === id, 20_000, 'the notification on instance B'),
  ]);
  expect(gotA.data).toEqual(gotB.data);
  expect(gotA.data.message).toBe('Cho cả hai máy chủ');
});

/** Records a notification in a transaction that stays open until `commit()` (its inbox id is taken now). */
async function openTransaction(message: string) {
  let commit!: () => void;
  let recorded!: (id: number) => void;
  const idTaken = new Promise<number>((r) => (recorded = r));
  const committed = stack.database.db.transaction(async (tx) => {
    const row = await recordNotification(tx, testLog, {
      roles: ['manager'],
      message,
      subject: { type: 'order', id: 'DH-LATE' },
      dedupeKey: uniqueId('late'),
    });
    recorded(rowFor(row));
    await new Promise<void>((r) => (commit = r));
  });
  return { id: await idTaken, commit: async () => (commit(), await committed) };
}

test('When a notification commits after a later one was sent, then an open stream still gets it, and so does a console resuming after the later one', async () => {
  const instance = await startInstance();
  const live = await stream(instance.url);
  const slow = await openTransaction('Giao dịch chậm');
  const quick = await notify('Giao dịch nhanh');
  expect(rowFor(quick)).toBeGreaterThan(slow.id);
  await live.next((e) => e.event === 'notification' && e.data.id === rowFor(quick), 20_000, 'the quick one');
  const resumeAfter = live.lastEventId!;
  await slow.commit();
  const late = await live.next((e) => e.event === 'notification' && e.data.id === slow.id, 20_000, 'the late one');
  expect(late.data.message).toBe('Giao dịch chậm');
  // Its event keeps the resume point at the highest id sent.
  expect(late.id).toBe(resumeAfter);

  // A console that went away right after the quick one and resumes after it.
  const slowAgain = await openTransaction('Giao dịch chậm khi vắng mặt');
  const quickAgain = await notify('Giao dịch nhanh khi vắng mặt');
  await live.next((e) => e.event === 'notification' && e.data.id === rowFor(quickAgain), 20_000, 'the second quick one');
  const lastSeen = live.lastEventId!;
  live.close();
  await slowAgain.commit();
  const resumed = await stream(instance.url, lastSeen);
  const got = await resumed.next((e) => e.event === 'notification' && e.data.id === slowAgain.id, 20_000, 'the late one on resume');
  expect(got.data.message).toBe('Giao dịch chậm khi vắng mặt');
});
