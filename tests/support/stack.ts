/**
 * The real parts a test file uses: the run's dev server, its PostgreSQL database, workers on a
 * task queue of the file's own, and the real HTTP app listening on a free port.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import pino from 'pino';
import { Client as PgClient } from 'pg';
import { createCourierDirectory, type CourierDirectory } from '../../activities/shipping/couriers/directory';
import { ghtkPickupEnv } from '../../activities/shipping/couriers/requirements';
import { openDatabase, type Database } from '../../db/client';
import { createApp } from '../../server/http/app';
import { createCourierSimulator } from '../../scripts/courier-sim';
import { createDefinitionsStore } from '../../server/shop/definitions';
import { createStaffStore } from '../../server/staff/staff';
import { loadConfig, type Config } from '../../server/platform/config';
import { connectClient, connectWorker } from '../../server/platform/temporal';
import { createShopflowWorker } from '../../server/platform/worker';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through jest (its global setup starts the stack)`);
  return value;
}

export const testLog = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A config pointing at the test stack, with a task queue unique to the caller. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: required('SHOPFLOW_TEST_DATABASE_URL'),
    TEMPORAL_ADDRESS: required('SHOPFLOW_TEST_TEMPORAL_ADDRESS'),
    TEMPORAL_TASK_QUEUE: `shopflow-test-${crypto.randomUUID().slice(0, 8)}`,
    PORT: '0',
    HOST: '127.0.0.1',
    ...overrides,
  });
}

/** Everything a test file opened, closed in one call from afterAll. */
export interface TestStack {
  config: Config;
  database: Database;
  temporal: Client;
  /** Starts a worker on the stack's task queue; stop it with `stopWorker`. */
  startWorker(): Promise<RunningWorker>;
  /** Starts the real HTTP app on a free port; returns its base URL. */
  startApp(): Promise<string>;
  /**
   * Courier adapters as the entry points build them (the app gets them injected), reading the
   * couriers' settings from `courierEnv`; for a test that builds an app of its own.
   */
  courierDirectory(): CourierDirectory;
  /** A staff member with these roles and a fresh API token. */
  createStaff(roles: string[], extra?: { channels?: string[]; name?: string }): Promise<{ id: string; token: string }>;
  /**
   * Starts a courier simulator posting webhooks to this stack's app (start the app first) and
   * points the GHN, GHTK and simulator couriers at it. Returns its URL.
   */
  startCourierSimulator(options?: { timeScale?: number; webhookUrl?: string }): Promise<string>;
  /** Stores and activates a process YAML under a name unique to this stack; returns the name. */
  activateProcess(yaml: string, name?: string): Promise<{ name: string; version: number }>;
  close(): Promise<void>;
}

export interface RunningWorker {
  worker: Worker;
  /** Graceful shutdown, as on SIGTERM. */
  stop(): Promise<void>;
}

/**
 * A database of the caller's own, copied from the run's template (migrated, shipped definitions
 * active), so test files never see each other's staff, tasks or orders.
 */
export async function createFileDatabase(): Promise<string> {
  const template = new URL(required('SHOPFLOW_TEST_DATABASE_URL'));
  const name = `${template.pathname.slice(1)}_${crypto.randomUUID().slice(0, 8)}`;
  const admin = new PgClient({ connectionString: required('SHOPFLOW_TEST_ADMIN_DATABASE_URL') });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database "${name}" template "${template.pathname.slice(1)}"`);
        break;
      } catch (err) {
        // Two files copying the template at the same instant: PostgreSQL lets one at a time.
        if ((err as { code?: string }).code !== '55006' || attempt > 50) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(template);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The real parts for one test file. Pass DATABASE_URL to share another stack's database. */
export async function openTestStack(overrides: Record<string, string> = {}): Promise<TestStack> {
  const config = testConfig({ DATABASE_URL: overrides.DATABASE_URL ?? (await createFileDatabase()), ...overrides });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 4 });
  const temporal = await connectClient(config.temporal, config.temporal.address!);
  const workers: RunningWorker[] = [];
  const servers: Server[] = [];
  const simulators: Array<{ close(): Promise<void> }> = [];
  let appUrl: string | undefined;
  return {
    config,
    database,
    temporal,
    async startWorker() {
      const running = await startTestWorker(config, database);
      workers.push(running);
      return running;
    },
    async startApp() {
      const app = createApp({ config, database, temporal, log: testLog, couriers: createCourierDirectory(database.db, courierEnv) });
      const server = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      servers.push(server);
      const address = server.address();
      appUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      return appUrl;
    },
    courierDirectory() {
      return createCourierDirectory(database.db, courierEnv);
    },
    async startCourierSimulator(options = {}) {
      if (!appUrl) throw new Error('start the app before the courier simulator: it posts webhooks to it');
      const secret = `sim-secret-${crypto.randomUUID()}`;
      const simulator = await createCourierSimulator({
        port: 0,
        webhookUrl: options.webhookUrl ?? `${appUrl}/webhooks/couriers`,
        secret,
        timeScale: options.timeScale ?? 1,
        startDelayMs: 100,
        webhookRetryDelayMs: 200,
        log: testLog,
      });
      simulators.push(simulator);
      Object.assign(courierEnv, {
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
      });
      return simulator.url;
    },
    async createStaff(roles, extra = {}) {
      const staff = createStaffStore(database.db);
      const member = await staff.create({ name: extra.name ?? `Test ${roles.join('+')}`, roles, channels: extra.channels ?? [] });
      const { token } = await staff.issueToken(member.id, 'test');
      return { id: member.id, token };
    },
    async activateProcess(yaml, name = uniqueId('proc')) {
      const definitions = createDefinitionsStore(database.db);
      const renamed = yaml.replace(/^(  name:\s*).*$/m, `$1${name}`);
      const { row } = await definitions.save({ yaml: renamed, file: `${name}.yaml`, author: 'test' });
      await definitions.activate(row.name, row.version);
      return { name: row.name, version: row.version };
    },
    async close() {
      for (const sim of simulators) await sim.close();
      for (const s of servers) await new Promise((r) => s.close(r));
      for (const w of workers) await w.stop();
      await temporal.connection.close();
      await database.close();
    },
  };
}

/**
 * The environment courier adapters read (base URLs, secrets), shared by a test file's workers
 * and app, so a test can point couriers at its own simulator.
 */
export const courierEnv: NodeJS.ProcessEnv = { ...process.env };

/** A real worker with the run's pre-built workflow bundle and real activities. */
export async function startTestWorker(config: Config, database: Database): Promise<RunningWorker> {
  const connection = await connectWorker(config.temporal, config.temporal.address!, testLog);
  const worker = await createShopflowWorker({
    connection,
    temporal: config.temporal,
    config,
    deps: { db: database.db, log: testLog, couriers: createCourierDirectory(database.db, courierEnv) },
    workflowBundlePath: required('SHOPFLOW_TEST_WORKFLOW_BUNDLE'),
  });
  const done = worker.run();
  let stopped = false;
  return {
    worker,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
      await connection.close();
    },
  };
}

/** Polls until `check` returns a value (not undefined/false) or the timeout passes. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const uniqueId = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

/** A small HTTP client for the real API: JSON in, `{status, body}` out. */
export function apiClient(base: string, token?: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body ?? {}, headers),
    patch: (path: string, body: unknown) => call('PATCH', path, body),
    delete: (path: string) => call('DELETE', path),
    yaml: (path: string, yaml: string) => call('POST', path, yaml, { 'content-type': 'application/yaml' }),
  };
}

export const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8');

/**
 * The shipped KPI plan (definitions/processes/kpi.yaml), to activate under a name of the test's
 * own: test files share one dev server, and another file's start-up may already run
 * kpi:shop-kpi:<this month> on its own task queue and database (the period id is the business id).
 */
export const shippedKpiPlan = () => fs.readFileSync(path.join(__dirname, '..', '..', 'definitions', 'processes', 'kpi.yaml'), 'utf8');
