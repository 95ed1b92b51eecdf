/**
 * Crashes lose nothing: the production worker entry point (`npm run worker`) is killed with
 * SIGKILL in the middle of a load of orders and started again; every order finishes exactly
 * once — one task per stage, one shipment per order at the courier, one event per transition.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { orderEvents, orders, shipments, tasks } from '../../db/schema';
import { projectRoot } from '../../server/platform/paths';
import { apiClient, courierEnv, eventually, fixture, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let sim: string;
let admin: { id: string; token: string };
const children: ChildProcess[] = [];

/** `npm run worker` as its own process, on this file's database and task queue. */
function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main/worker.ts'], {
    cwd: projectRoot(),
    env: {
      ...courierEnv,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      DATABASE_URL: stack.config.databaseUrl,
      TEMPORAL_ADDRESS: stack.config.temporal.address,
      TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue,
      WORKFLOW_BUNDLE_PATH: process.env.SHOPFLOW_TEST_WORKFLOW_BUNDLE,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  return child;
}
const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

beforeAll(async () => {
  stack = await openTestStack();
  base = await stack.startApp();
  sim = await stack.startCourierSimulator({ timeScale: 0.5 });
  admin = await stack.createStaff(['admin']);
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(children.map(exited));
  await stack?.close();
});

test('When the worker is killed with SIGKILL mid-load and restarted, then every order completes exactly once', async () => {
  const { name } = await stack.activateProcess(fixture('fast-ship.yaml'));
  const api = apiClient(base, admin.token);
  let worker = startWorkerProcess();

  const orderIds: string[] = [];
  for (let i = 0; i < 12; i++) {
    const lead = await api.post('/api/v1/leads', {
      channel: 'website',
      process: name,
      note: '[sim:normal]',
      customer: { name: `Khách ${i}`, phone: `09770000${String(i).padStart(2, '0')}` },
    });
    expect(lead.status).toBe(201);
    orderIds.push(lead.body.orderId);
  }
  const closeAll = async (ids: string[]) => {
    for (const orderId of ids) {
      const task = await eventually(
        async () =>
          (await api.get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find((t: { stage: string }) => t.stage === 'close'),
        60_000,
        `close task of ${orderId}`,
      );
      const done = await api.post(`/api/v1/tasks/${task.id}/complete`, {
        outcome: 'closed',
        data: {
          items: [{ sku: 'S', name: 'Sản phẩm', qty: 1, price: 200000 }],
          shippingAddress: { street: '5 Trần Phú', ward: 'Điện Biên', province: 'Hà Nội' },
          codAmount: 200000,
        },
      });
      expect([done.status, done.body.error]).toEqual([200, undefined]);
    }
  };
  await closeAll(orderIds.slice(0, 6));

  // Crash while shipments are being created and couriers are reporting.
  worker.kill('SIGKILL');
  await exited(worker);
  worker = startWorkerProcess();
  await closeAll(orderIds.slice(6));

  const results = await Promise.all(orderIds.map((id) => stack.temporal.workflow.getHandle(`order:${id}`).result()));
  expect(results.map((r) => r.result)).toEqual(orderIds.map(() => 'completed'));

  const db = stack.database.db;
  // Each task was opened once: one per order, stage, role and title. (Under load a parcel can take
  // longer than the fixture's 3 s delivery SLA, whose ladder then opens its own CSKH follow-up
  // once: that is a second task of the order, but not a duplicate.)
  const taskCounts = await db
    .select({ orderId: tasks.subjectId, stage: tasks.stage, role: tasks.role, title: tasks.title, n: sql<number>`count(*)::int` })
    .from(tasks)
    .where(inArray(tasks.subjectId, orderIds))
    .groupBy(tasks.subjectId, tasks.stage, tasks.role, tasks.title);
  expect(taskCounts.filter((c) => c.n !== 1)).toEqual([]);
  expect(
    taskCounts
      .filter((c) => c.stage === 'close')
      .map((c) => c.orderId)
      .sort(),
  ).toEqual([...orderIds].sort());
  expect(await db.select().from(shipments).where(inArray(shipments.orderId, orderIds))).toHaveLength(orderIds.length);
  const atCourier = (await (await fetch(`${sim}/__sim/shipments`)).json()) as { shipments?: unknown[] } | unknown[];
  const simList = (Array.isArray(atCourier) ? atCourier : (atCourier.shipments ?? [])).map((s) => JSON.stringify(s));
  for (const id of orderIds) expect(simList.filter((s) => s.includes(`"${id}"`))).toHaveLength(1);
  const opened = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(orderEvents)
    .where(and(inArray(orderEvents.orderId, orderIds), eq(orderEvents.type, 'opened')));
  expect(opened[0]!.n).toBe(orderIds.length);
  const ended = await db.select().from(orders).where(inArray(orders.id, orderIds));
  expect(ended.map((o) => o.status)).toEqual(orderIds.map(() => 'completed'));
  worker.kill('SIGTERM');
  await exited(worker);
  expect(worker.exitCode).toBe(0);
});
