/**
 * PostgreSQL goes away for several seconds in the middle of a load of orders (on a private
 * server of this file's own, so the shared one other tests use stays up): the API answers 503
 * with a clear message and Retry-After meanwhile, the worker's activities keep retrying, and once
 * the database is back everything finishes exactly once — without restarting the app or worker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pino from 'pino';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { openDatabase } from '../../db/client';
import { orderEvents, orders, shipments, stockMovements, tasks } from '../../db/schema';
import { createDefinitionsStore } from '../../server/shop/definitions';
import { projectRoot } from '../../server/platform/paths';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres';
import { apiClient, courierEnv, eventually, fixture, openTestStack, type TestStack } from '../support/stack';

let pg: PrivatePostgres;
let stack: TestStack;
let base: string;
let sim: string;
let worker: ChildProcess | undefined;
let workerLog = '';
let passed = false;

/** `npm run worker` as its own process (its own connection pool), on the private database. */
function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main/worker.ts'], {
    cwd: projectRoot(),
    env: {
      ...courierEnv,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      COURIER_POLL_AFTER: '2s',
      DATABASE_URL: stack.config.databaseUrl,
      TEMPORAL_ADDRESS: stack.config.temporal.address,
      TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue,
      WORKFLOW_BUNDLE_PATH: process.env.SHOPFLOW_TEST_WORKFLOW_BUNDLE,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    workerLog = (workerLog + chunk.toString()).slice(-20_000);
  });
  return child;
}

beforeAll(async () => {
  pg = await startPrivatePostgres();
  const url = await pg.createDatabase('shopflow_fault');
  // Migrated, shipped definitions active: what the run's template database holds.
  const setup = await openDatabase({ databaseUrl: url, dataDir: '/nonexistent' });
  await setup.migrate();
  await createDefinitionsStore(setup.db).syncFromDir(path.join(projectRoot(), 'definitions'), pino({ level: 'silent' }));
  await setup.close();
  // Webhooks refused while the database is down are covered by polling after 2 s of silence.
  stack = await openTestStack({ DATABASE_URL: url, COURIER_POLL_AFTER: '2s' });
  base = await stack.startApp();
  sim = await stack.startCourierSimulator({ timeScale: 0.5 });
}, 120_000);

afterAll(async () => {
  if (!passed) {
    console.log(`worker stderr (last 20 kB):\n${workerLog}`);
    console.log(`private PostgreSQL log (tail):\n${pg?.log()}`);
  }
  if (worker && worker.exitCode === null) {
    worker.kill('SIGKILL');
    await new Promise((r) => worker!.once('exit', r));
  }
  // The database may be down if the test failed mid-way: closing the pool must not hang on it.
  await pg?.start().catch(() => undefined);
  await stack?.close();
  await pg?.destroy();
  // A SIGKILLed worker, the app, the pool and a private server to stop: over 120 s once with two
  // CI runs on the machine at once.
}, 240_000);

const closeData = {
  outcome: 'closed',
  data: {
    items: [{ sku: 'PG-1', name: 'Quần jean', qty: 1, price: 250000 }],
    shippingAddress: { street: '3 Nguyễn Huệ', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
    codAmount: 250000,
  },
};

test('When PostgreSQL stops for several seconds mid-load, then the API answers 503 meanwhile, activities retry, and every order completes exactly once without a restart', async () => {
  const { name } = await stack.activateProcess(fixture('fast-ship.yaml'));
  const admin = await stack.createStaff(['admin']);
  const api = apiClient(base, admin.token);
  worker = startWorkerProcess();

  const orderIds: string[] = [];
  for (let i = 0; i < 10; i++) {
    const lead = await api.post('/api/v1/leads', {
      channel: 'website',
      process: name,
      note: '[sim:normal]',
      customer: { name: `Khách ${i}`, phone: `09550000${String(i).padStart(2, '0')}` },
    });
    expect(lead.status).toBe(201);
    orderIds.push(lead.body.orderId);
  }
  const close = async (orderId: string) => {
    const task = await eventually(
      async () =>
        (await api.get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find((t: { stage: string }) => t.stage === 'close'),
      60_000,
      `close task of ${orderId}`,
    );
    const done = await api.post(`/api/v1/tasks/${task.id}/complete`, closeData);
    expect([done.status, done.body.error]).toEqual([200, undefined]);
  };
  for (const id of orderIds.slice(0, 5)) await close(id);
  const openCloseTask = await eventually(
    async () => (await api.get(`/api/v1/tasks?order=${orderIds[9]}&status=open`)).body.tasks[0],
    60_000,
    'a close task',
  );

  // A transaction caught between two statements when the server goes: it fails, the process lives on.
  let resume!: () => void;
  const paused = new Promise<void>((r) => (resume = r));
  let begun!: () => void;
  const inTransaction = new Promise<void>((r) => (begun = r));
  const caught = stack.database.db
    .transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      begun();
      await paused;
      await tx.execute(sql`select 1`);
    })
    .then(
      () => 'committed',
      (err: Error) => `failed: ${err.message}`,
    );
  await inTransaction;

  // The five closed orders are now reserving stock, creating shipments and hearing couriers.
  await pg.stop();
  const downSince = Date.now();
  resume();
  expect(await caught).toMatch(/^failed: /);

  // The API says what is wrong, that nothing changed and when to retry: a read and a write.
  for (const res of [
    await api.get('/api/v1/tasks?status=open'),
    await api.post('/api/v1/leads', { channel: 'website', process: name, customer: { name: 'Khách lúc sập', phone: '0955999999' } }),
    await api.post(`/api/v1/tasks/${openCloseTask.id}/complete`, closeData),
  ]) {
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.body).toEqual({ error: { code: 'unavailable', message: expect.stringContaining('the database is not answering') } });
  }
  const health = await fetch(`${base}/healthz`);
  expect(health.status).toBe(503);
  expect(((await health.json()) as { db: string }).db).toMatch(/^error: /);

  // The worker's activities fail and Temporal retries them (a retried attempt is pending, not a failed workflow).
  const retrying = await eventually(
    async () => {
      for (const id of orderIds.slice(0, 5)) {
        const described = await stack.temporal.workflow.getHandle(`order:${id}`).describe();
        const pending = (described.raw.pendingActivities ?? []).find((a) => (a.attempt ?? 0) >= 2);
        if (pending) return { status: described.status.name, activity: pending.activityType?.name };
      }
      return undefined;
    },
    30_000,
    'an activity retrying while the database is down',
  );
  expect(retrying.status).toBe('RUNNING');

  // Keep it down for about six seconds in all.
  await new Promise((r) => setTimeout(r, Math.max(0, 6_000 - (Date.now() - downSince))));
  await pg.start();

  // Same app, same worker process: they reconnect by themselves.
  await eventually(async () => (await fetch(`${base}/healthz`)).status === 200, 30_000, '/healthz to recover');
  expect(worker.exitCode).toBeNull();
  for (const id of orderIds.slice(5)) await close(id);

  const results = await Promise.all(orderIds.map((id) => stack.temporal.workflow.getHandle(`order:${id}`).result()));
  expect(results.map((r) => r.result)).toEqual(orderIds.map(() => 'completed'));

  const db = stack.database.db;
  // The lead refused with 503 started nothing (this database is the test's own: every order is ours).
  const ours = await db.select({ id: orders.id, status: orders.status }).from(orders);
  expect(ours.map((o) => o.id).sort()).toEqual([...orderIds].sort());
  expect(ours.every((o) => o.status === 'completed')).toBe(true);
  // One task of each kind per order (a delivery made late by the outage may add its escalation task, once).
  const taskKinds = await db
    .select({ orderId: tasks.subjectId, stage: tasks.stage, title: tasks.title, n: sql<number>`count(*)::int` })
    .from(tasks)
    .where(inArray(tasks.subjectId, orderIds))
    .groupBy(tasks.subjectId, tasks.stage, tasks.title);
  expect(taskKinds.filter((k) => k.n !== 1)).toEqual([]);
  expect(new Set(taskKinds.filter((k) => k.stage === 'close').map((k) => k.orderId)).size).toBe(orderIds.length);
  // One shipment per order, here and at the courier.
  expect(await db.select().from(shipments).where(inArray(shipments.orderId, orderIds))).toHaveLength(orderIds.length);
  const atCourier = (await (await fetch(`${sim}/__sim/shipments`)).json()) as { shipments?: unknown[] } | unknown[];
  const simList = (Array.isArray(atCourier) ? atCourier : (atCourier.shipments ?? [])).map((s) => JSON.stringify(s));
  for (const id of orderIds) expect(simList.filter((s) => s.includes(`"${id}"`))).toHaveLength(1);
  // One `opened` event per order.
  const opened = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(orderEvents)
    .where(and(inArray(orderEvents.orderId, orderIds), eq(orderEvents.type, 'opened')));
  expect(opened[0]!.n).toBe(orderIds.length);
  // Stock: reserved, issued and released once per order, no duplicates.
  const moves = await db
    .select({ orderId: stockMovements.orderId, kind: stockMovements.kind, qty: stockMovements.qty })
    .from(stockMovements)
    .where(inArray(stockMovements.orderId, orderIds));
  for (const id of orderIds) {
    expect(
      moves
        .filter((m) => m.orderId === id)
        .map((m) => [m.kind, m.qty])
        .sort(),
    ).toEqual([
      ['issue', -1],
      ['release', -1],
      ['reserve', 1],
    ]);
  }

  worker.kill('SIGTERM');
  await new Promise((r) => worker!.once('exit', r));
  expect(worker.exitCode).toBe(0);
  passed = true;
}, 240_000);
