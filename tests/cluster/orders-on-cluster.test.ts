/**
 * shopflow in its production shape: two workers and two API processes (`npm run worker`,
 * `npm run api`) on a real Temporal cluster (the server built from its Go module, PostgreSQL
 * persistence and visibility) and a fresh PostgreSQL database. A load of orders goes through the
 * HTTP API against both API processes while one worker and one API process are killed with
 * SIGKILL and the Temporal server is restarted; every order completes exactly once.
 * Run by `npm run test:cluster` (SHOPFLOW_CLUSTER_TESTS=1), not by `npm test`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { and, eq, inArray, sql } from 'drizzle-orm';
import pino from 'pino';
import { Client as PgClient } from 'pg';
import { ghtkPickupEnv } from '../../activities/shipping/couriers/requirements';
import { openDatabase, type Database } from '../../db/client';
import { orderEvents, orders, salesDocuments, shipments, tasks } from '../../db/schema';
import { bundleWorkflows } from '../../scripts/bundle-workflows';
import { createCourierSimulator, type CourierSimulator } from '../../scripts/courier-sim';
import { cacheDir, projectRoot } from '../../server/platform/paths';
import { createDefinitionsStore } from '../../server/shop/definitions';
import { freePort } from '../../server/platform/temporal-dev-server';
import { startTemporalCluster, type TemporalCluster } from './support/cluster';

const ORDERS = 30;
const IN_FLIGHT = 6;
/** One admin token for every API process (set, so two processes starting at once create no bootstrap token). */
const ADMIN_TOKEN = `cluster-admin-${crypto.randomUUID()}`;
const log = pino({ level: 'silent' });

let cluster: TemporalCluster;
let database: Database;
let databaseUrl: string;
let dbName: string;
let bundlePath: string;
let simulator: CourierSimulator;
let temporal: Client;
let processName: string;
let passed = false;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-cluster-data-'));
const processes: ShopflowProcess[] = [];

/** One `npm run api` or `npm run worker` process, its stderr kept for the report. */
interface ShopflowProcess {
  name: string;
  child: ChildProcess;
  url?: string;
  output(): string;
  exited: Promise<void>;
}

function courierEnv(): NodeJS.ProcessEnv {
  const secret = simulatorSecret;
  return {
    GHN_BASE_URL: `${simulator.url}/shiip/public-api`,
    GHN_TOKEN: 'test',
    GHN_SHOP_ID: '1',
    GHN_WEBHOOK_SECRET: secret,
    GHTK_BASE_URL: simulator.url,
    GHTK_TOKEN: 'test',
    GHTK_WEBHOOK_SECRET: secret,
    COURIER_SIMULATOR_URL: simulator.url,
    COURIER_SIM_SECRET: secret,
    SIMULATOR_WEBHOOK_SECRET: secret,
    ...Object.fromEntries(ghtkPickupEnv('ghtk').fields.map((f) => [f.env, f.simulated])),
  };
}
const simulatorSecret = `sim-secret-${crypto.randomUUID()}`;

function spawnShopflow(name: string, entry: 'server/main/api.ts' | 'server/main/worker.ts', env: NodeJS.ProcessEnv): ShopflowProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: projectRoot(),
    env: {
      ...process.env,
      ...courierEnv(),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      COURIERS: 'simulator',
      COURIER_POLL_AFTER: '2s',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_NAMESPACE: cluster.namespace,
      TEMPORAL_TASK_QUEUE: 'shopflow',
      DATA_DIR: dataDir,
      SHOPFLOW_ADMIN_TOKEN: ADMIN_TOKEN,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const proc = { name, child, output: () => output, exited };
  processes.push(proc);
  return proc;
}

async function startApi(name: string): Promise<ShopflowProcess> {
  const port = await freePort();
  const proc = spawnShopflow(name, 'server/main/api.ts', { PORT: String(port), HOST: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (proc.child.exitCode !== null) throw new Error(`${name} exited during start-up: ${proc.output().slice(-2000)}`);
      return (await fetch(`${url}/healthz`).catch(() => undefined))?.ok;
    },
    180_000,
    `${name} /healthz`,
  );
  return Object.assign(proc, { url });
}

async function startWorker(name: string): Promise<ShopflowProcess> {
  const proc = spawnShopflow(name, 'server/main/worker.ts', {});
  const identity = `:${proc.child.pid}`;
  await waitFor(
    async () => {
      if (proc.child.exitCode !== null) throw new Error(`${name} exited during start-up: ${proc.output().slice(-2000)}`);
      const res = await temporal.workflowService.describeTaskQueue({
        namespace: cluster.namespace,
        taskQueue: { name: 'shopflow' },
        taskQueueType: 1,
      });
      return res.pollers?.some((p) => p.identity?.endsWith(identity));
    },
    180_000,
    `${name} polling the shopflow task queue`,
  );
  return proc;
}

async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      if (/exited during start-up/.test(String(err))) throw err;
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  const [startedCluster, bundle, db] = await Promise.all([
    startTemporalCluster({ progress: (m) => console.log(`[cluster] ${m}`) }),
    bundleWorkflows(path.join(cacheDir(), 'test', `workflow-bundle-cluster-${process.pid}.js`)),
    createShopDatabase(),
  ]);
  cluster = startedCluster;
  bundlePath = bundle;
  ({ url: databaseUrl, name: dbName } = db);
  database = await openDatabase({ databaseUrl, dataDir, poolSize: 4 });
  await database.migrate();
  const definitions = createDefinitionsStore(database.db);
  await definitions.syncFromDir(path.join(projectRoot(), 'definitions'), log);
  const yaml = fs
    .readFileSync(path.join(projectRoot(), 'tests', 'fixtures', 'fast-ship.yaml'), 'utf8')
    .replace(/^(  name:\s*).*$/m, '$1cluster-ship');
  const { row } = await definitions.save({ yaml, file: 'cluster-ship.yaml', author: 'test' });
  await definitions.activate(row.name, row.version);
  processName = row.name;
  temporal = new Client({ connection: await Connection.connect({ address: cluster.address }), namespace: cluster.namespace });
  // Webhooks go to the API process that stays up (as a load balancer would route around a dead one);
  // anything refused meanwhile is covered by the workers polling the courier after 2 s of silence.
  const webhookPort = await freePort();
  simulator = await createCourierSimulator({
    port: 0,
    webhookUrl: `http://127.0.0.1:${webhookPort}/webhooks/couriers`,
    secret: simulatorSecret,
    timeScale: 0.1,
    startDelayMs: 100,
    webhookRetryDelayMs: 500,
    log,
  });
  const apiB = spawnShopflow('api-b', 'server/main/api.ts', { PORT: String(webhookPort), HOST: '127.0.0.1' });
  await Promise.all([
    startApi('api-a'),
    waitFor(
      async () => (await fetch(`http://127.0.0.1:${webhookPort}/healthz`).catch(() => undefined))?.ok,
      180_000,
      'api-b /healthz',
    ).then(() => Object.assign(apiB, { url: `http://127.0.0.1:${webhookPort}` })),
    startWorker('worker-a'),
    startWorker('worker-b'),
  ]);
}, 600_000);

afterAll(async () => {
  if (!passed) {
    for (const p of processes) console.log(`${p.name} stderr (tail):\n${p.output().slice(-5000)}`);
    if (cluster) console.log(`Temporal server output (tail):\n${cluster.log().slice(-5000)}`);
  }
  for (const p of processes) {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGTERM');
      const timer = setTimeout(() => p.child.kill('SIGKILL'), 30_000);
      await p.exited;
      clearTimeout(timer);
    }
  }
  await simulator?.close();
  await temporal?.connection.close();
  await database?.close();
  await cluster?.destroy();
  if (dbName) await dropShopDatabase(dbName);
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (bundlePath) fs.rmSync(bundlePath, { force: true });
}, 300_000);

const closeData = {
  outcome: 'closed',
  data: {
    items: [{ sku: 'CL-1', name: 'Áo khoác', qty: 1, price: 320000 }],
    shippingAddress: { street: '5 Trần Phú', ward: 'Hải Châu 1', province: 'Đà Nẵng' },
    codAmount: 320000,
  },
};

test('When a worker and an API process are killed with SIGKILL and the Temporal server restarts mid-load, then every order on the cluster completes exactly once', async () => {
  const apis = processes.filter((p) => p.url);
  const [apiA] = apis;
  const workerA = processes.find((p) => p.name === 'worker-a')!;
  const alive = () => apis.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
  let turn = 0;

  /**
   * One HTTP call as a client behind a load balancer makes it: to the next live API process, and
   * again (to the next one) when the connection breaks or the answer is 5xx — a process killed,
   * Temporal restarting. A lead is retried under its Idempotency-Key, so it is one order.
   */
  const call = async (method: 'GET' | 'POST', urlPath: string, body?: unknown, headers: Record<string, string> = {}) => {
    const deadline = Date.now() + 240_000;
    let last = '';
    for (;;) {
      const targets = alive();
      const api = targets[turn++ % targets.length]!;
      try {
        const res = await fetch(`${api.url}${urlPath}`, {
          method,
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
          body: body ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(60_000),
        });
        const text = await res.text();
        if (res.status < 500) return { status: res.status, body: text ? JSON.parse(text) : undefined };
        last = `${api.name}: HTTP ${res.status} ${text.slice(0, 300)}`;
      } catch (err) {
        last = `${api.name}: ${(err as Error).message}`;
      }
      if (Date.now() > deadline) throw new Error(`${method} ${urlPath} kept failing for 240 s; last: ${last}`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  };

  const orderIds: string[] = [];
  let closed = 0;
  const chaos: Promise<void>[] = [];
  let killed = false;
  let restarted = false;
  const afterClose = () => {
    closed++;
    if (closed === 8 && !killed) {
      killed = true;
      workerA.child.kill('SIGKILL');
      apiA!.child.kill('SIGKILL');
      console.log(`[cluster] SIGKILL to worker-a and api-a after ${closed} closed orders`);
    }
    if (closed === 16 && !restarted) {
      restarted = true;
      const t0 = Date.now();
      const at = closed;
      chaos.push(
        cluster
          .restart()
          .then(() =>
            console.log(
              `[cluster] Temporal server restarted after ${at} closed orders (back in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
            ),
          ),
      );
    }
  };

  const oneOrder = async (i: number) => {
    const lead = await call(
      'POST',
      '/api/v1/leads',
      {
        channel: 'website',
        process: processName,
        note: '[sim:normal]',
        customer: { name: `Khách cụm ${i}`, phone: `0912${String(i).padStart(6, '0')}` },
      },
      { 'idempotency-key': `cluster-lead-${i}` },
    );
    expect([lead.status, lead.body?.error]).toEqual([expect.any(Number), undefined]);
    expect([200, 201]).toContain(lead.status);
    const orderId: string = lead.body.orderId;
    orderIds.push(orderId);
    const task = await waitFor(
      async () =>
        (await call('GET', `/api/v1/tasks?order=${orderId}&status=open`)).body?.tasks?.find((t: { stage: string }) => t.stage === 'close'),
      240_000,
      `the close task of ${orderId}`,
    );
    const done = await call('POST', `/api/v1/tasks/${task.id}/complete`, closeData);
    if (done.status !== 200) {
      // A retry of a completion whose first attempt reached the workflow before its process died.
      // It is refused as no longer open (409/422) and the task is, or soon is, done.
      expect([409, 422]).toContain(done.status);
      await waitFor(
        async () => (await call('GET', `/api/v1/tasks/${task.id}`)).body?.status === 'done',
        120_000,
        `task ${task.id} to be done`,
      );
    }
    afterClose();
  };

  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < ORDERS) await oneOrder(next++);
    }),
  );
  await Promise.all(chaos);
  expect([killed, restarted]).toEqual([true, true]);
  expect(workerA.child.signalCode).toBe('SIGKILL');
  expect(apiA!.child.signalCode).toBe('SIGKILL');

  // Every order ends completed (the client rides over the restart by asking again).
  for (const orderId of orderIds) {
    const result = await waitFor(
      async () => {
        try {
          return await temporal.workflow.getHandle(`order:${orderId}`).result();
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) throw err;
          return undefined;
        }
      },
      300_000,
      `order ${orderId} to finish`,
    );
    expect([orderId, result.result]).toEqual([orderId, 'completed']);
  }

  const db = database.db;
  expect(new Set(orderIds).size).toBe(ORDERS);
  const ours = await db.select({ id: orders.id, status: orders.status }).from(orders);
  expect(ours.map((o) => o.id).sort()).toEqual([...orderIds].sort());
  expect(ours.filter((o) => o.status !== 'completed')).toEqual([]);
  // One task per stage and title (a delivery made late by the restart may add its escalation task, once).
  const taskKinds = await db
    .select({ orderId: tasks.subjectId, stage: tasks.stage, title: tasks.title, n: sql<number>`count(*)::int` })
    .from(tasks)
    .where(inArray(tasks.subjectId, orderIds))
    .groupBy(tasks.subjectId, tasks.stage, tasks.title);
  expect(taskKinds.filter((k) => k.n !== 1)).toEqual([]);
  expect(new Set(taskKinds.filter((k) => k.stage === 'close').map((k) => k.orderId)).size).toBe(ORDERS);
  // One shipment per order, here and at the courier.
  const ships = await db
    .select({ orderId: shipments.orderId, state: shipments.state })
    .from(shipments)
    .where(inArray(shipments.orderId, orderIds));
  expect(ships.map((s) => s.orderId).sort()).toEqual([...orderIds].sort());
  expect(ships.filter((s) => s.state !== 'delivered')).toEqual([]);
  const atCourier = (await (await fetch(`${simulator.url}/__sim/shipments`)).json()) as { shipments?: unknown[] } | unknown[];
  const simList = (Array.isArray(atCourier) ? atCourier : (atCourier.shipments ?? [])).map((s) => JSON.stringify(s));
  for (const id of orderIds) expect([id, simList.filter((s) => s.includes(`"${id}"`)).length]).toEqual([id, 1]);
  // One sales document (the sale) per order.
  const sales = await db
    .select({ orderId: salesDocuments.orderId, kind: salesDocuments.kind })
    .from(salesDocuments)
    .where(inArray(salesDocuments.orderId, orderIds));
  expect(sales.map((s) => `${s.orderId}:${s.kind}`).sort()).toEqual(orderIds.map((id) => `${id}:sale`).sort());
  // One `opened` event per order.
  const opened = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(orderEvents)
    .where(and(inArray(orderEvents.orderId, orderIds), eq(orderEvents.type, 'opened')));
  expect(opened[0]!.n).toBe(ORDERS);
  passed = true;
}, 1_200_000);

/** A fresh, empty shopflow database on DATABASE_URL's server (default local PostgreSQL, trust auth). */
async function createShopDatabase(): Promise<{ url: string; name: string }> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const name = `shopflow_cluster_${Date.now()}_${process.pid}`;
  const admin = new PgClient({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

async function dropShopDatabase(name: string): Promise<void> {
  const admin = new PgClient({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
}

function adminUrl(): string {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = '/postgres';
  return url.toString();
}
