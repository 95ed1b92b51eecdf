/**
 * What every `npm run bench:*` command shares: flags, percentiles, a progress line on stderr,
 * JSON results under `.cache/bench/`, machine facts, and a throw-away stack started on this
 * machine (a Temporal dev server through the product's own launcher, a fresh PostgreSQL
 * database that is dropped at the end, workers as real child processes, the real HTTP app
 * in-process and the courier simulator at full speed). Loopback only; everything stops itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import pino from 'pino';
import { Client as PgClient } from 'pg';
import { createCourierDirectory } from '../../activities/shipping/couriers/directory';
import { openDatabase, type Database } from '../../db/client';
import { bundleWorkflows } from '../bundle-workflows';
import { createApp } from '../../server/http/app';
import { loadConfig, type Config } from '../../server/platform/config';
import { createCourierSimulator, type CourierSimulator } from '../courier-sim';
import { createDefinitionsStore } from '../../server/shop/definitions';
import { cacheDir, projectRoot } from '../../server/platform/paths';
import { createStaffStore } from '../../server/staff/staff';
import { connectClient } from '../../server/platform/temporal';
import { resolveTemporalCli } from '../../server/platform/temporal-cli';
import { freePort, startDevServerOnFreePort, type DevServer } from '../../server/platform/temporal-dev-server';

export const silentLog = pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' });

// ── flags ────────────────────────────────────────────────────────────────────────────────────

/** `--name value` flags over numeric defaults; an unknown flag or a non-number stops the bench. */
export function numericFlags<T extends Record<string, number>>(defaults: T, argv = process.argv.slice(2)): T {
  const out: Record<string, number> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!.replace(/^--/, '');
    if (!(name in defaults) || !argv[i]!.startsWith('--'))
      fail(
        `unknown flag ${argv[i]}; flags: ${Object.keys(defaults)
          .map((k) => `--${k} N`)
          .join(' ')}`,
      );
    const value = Number(argv[++i]);
    if (!Number.isFinite(value) || value <= 0) fail(`--${name} needs a positive number`);
    out[name] = value;
  }
  return out as T;
}

/**
 * Takes `--name value` out of `argv` (in place) for a flag whose value is a word; returns the
 * value, or `fallback` when absent. A value outside `choices` (when given) stops the bench.
 */
export function takeWordFlag(argv: string[], name: string, fallback: string, choices?: readonly string[]): string {
  const at = argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = argv[at + 1];
  if (value === undefined || value.startsWith('--')) fail(`--${name} needs a value${choices ? ` (${choices.join(' | ')})` : ''}`);
  if (choices && !choices.includes(value)) fail(`--${name} ${value}: one of ${choices.join(' | ')}`);
  argv.splice(at, 2);
  return value;
}

/**
 * The SDK's default workflow cache size (maxCachedWorkflows) for this process's heap limit, as
 * the worker computes it with reuseV8Context: (heap MiB − 200) × 600 / 1024, at least 10.
 */
export function sdkDefaultMaxCachedWorkflows(): number {
  return Math.max(Math.floor((Math.max(v8.getHeapStatistics().heap_size_limit / 2 ** 20 - 200, 0) * 600) / 1024), 10);
}

/**
 * The worker cache size a bench asks for: `--maxCachedWorkflows N` (flag value, 0 = unset), else
 * WORKER_MAX_CACHED_WORKFLOWS from the environment, else the SDK default. `env` is what to pass
 * to a worker process (WORKER_MAX_CACHED_WORKFLOWS, read by server/platform/config.ts and by the
 * baseline worker); `label` says where the size came from.
 */
export function workerCache(flagValue: number): { size: number; env: NodeJS.ProcessEnv; label: string } {
  if (flagValue > 0) return { size: flagValue, env: { WORKER_MAX_CACHED_WORKFLOWS: String(flagValue) }, label: '--maxCachedWorkflows' };
  const fromEnv = Number(process.env.WORKER_MAX_CACHED_WORKFLOWS);
  if (Number.isInteger(fromEnv) && fromEnv > 0)
    return { size: fromEnv, env: { WORKER_MAX_CACHED_WORKFLOWS: String(fromEnv) }, label: 'WORKER_MAX_CACHED_WORKFLOWS' };
  return { size: sdkDefaultMaxCachedWorkflows(), env: {}, label: 'SDK default for the heap limit' };
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

// ── figures ──────────────────────────────────────────────────────────────────────────────────

export interface Distribution {
  n: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of a list of milliseconds (rounded to 0.1 ms). */
export function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : Number.NaN;
  const r = (v: number) => Math.round(v * 10) / 10;
  return {
    n: sorted.length,
    min: r(at(0)),
    p50: r(at(50)),
    p95: r(at(95)),
    p99: r(at(99)),
    max: r(sorted[sorted.length - 1] ?? Number.NaN),
    mean: r(sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1)),
  };
}

export const fmtMs = (d: Distribution) => `p50 ${d.p50} ms · p95 ${d.p95} ms · p99 ${d.p99} ms · max ${d.max} ms (n=${d.n})`;
export const mib = (kb: number) => Math.round((kb / 1024) * 10) / 10;

/** A progress line on stderr: rewritten in place on a terminal, one line every 5 s otherwise. */
export function progress(label: string, total: number) {
  const started = Date.now();
  let last = 0;
  const tty = process.stderr.isTTY;
  const line = (done: number, extra = '') => {
    const secs = (Date.now() - started) / 1000;
    const width = 24;
    const filled = Math.round((done / Math.max(1, total)) * width);
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${secs.toFixed(0)}s${extra ? ` ${extra}` : ''}`;
  };
  return {
    update(done: number, extra?: string) {
      const now = Date.now();
      if (now - last < (tty ? 250 : 5000) && done < total) return;
      last = now;
      process.stderr.write(tty ? `\r${line(done, extra)}\x1b[K` : `${line(done, extra)}\n`);
    },
    end(done = total, extra?: string) {
      process.stderr.write(tty ? `\r${line(done, extra)}\x1b[K\n` : `${line(done, extra)}\n`);
    },
  };
}

/** A note on stderr (so stdout keeps only the summary). */
export const note = (message: string) => process.stderr.write(`· ${message}\n`);

/** Runs `count` jobs with at most `concurrency` at a time; `onDone` after each. */
export async function pool(
  count: number,
  concurrency: number,
  job: (index: number) => Promise<void>,
  onDone?: (done: number) => void,
): Promise<void> {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = next++;
        await job(index);
        onDone?.(++done);
      }
    }),
  );
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls until `check` returns something truthy, or throws after `timeoutMs`. */
export async function until<T>(check: () => Promise<T | undefined | false>, timeoutMs: number, what: string, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ── machine and results ──────────────────────────────────────────────────────────────────────

/** What the figures were measured on. */
export function machine() {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memTotalGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Whole-machine CPU busy share between two readings of /proc/stat (other work on the box shows here). */
export function machineCpu() {
  const read = () => {
    const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const n = fields.map(Number);
    const idle = n[3]! + (n[4] ?? 0);
    return { idle, total: n.reduce((s, v) => s + v, 0) };
  };
  const start = read();
  return {
    busyPercent: () => {
      const end = read();
      return Math.round((1 - (end.idle - start.idle) / Math.max(1, end.total - start.total)) * 1000) / 10;
    },
  };
}

/** Writes `.cache/bench/<name>-<timestamp>.json` and returns its path. */
export function writeResult(name: string, result: unknown): string {
  const dir = path.join(cacheDir(), 'bench');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return path.relative(projectRoot(), file);
}

// ── processes ────────────────────────────────────────────────────────────────────────────────

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU time (ms) and memory (KiB) of a process, read from /proc. */
export function procStats(pid: number): { cpuMs: number; rssKb: number; peakRssKb: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND, rssKb: kb('VmRSS'), peakRssKb: kb('VmHWM') };
}

/** The first process whose command line (arguments joined by spaces) matches. */
function findPid(match: (cmdline: string) => boolean): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (match(fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '))) return Number(entry);
    } catch {
      /* gone */
    }
  }
  return undefined;
}

/** A worker running as its own process, measured from /proc. */
export interface WorkerProcess {
  pid: number;
  stats(): { cpuMs: number; rssKb: number; peakRssKb: number };
  /** Highest RSS seen by the 250 ms sampler since start or the last `resetPeak()`. */
  sampledPeakKb(): number;
  resetPeak(): void;
  stop(): Promise<void>;
}

// ── the stack ────────────────────────────────────────────────────────────────────────────────

/** The parts of one bench run; `close()` stops them all and drops the database. */
export interface BenchStack {
  temporalAddress: string;
  database: Database;
  databaseUrl: string;
  temporal: Client;
  /** Courier settings the app and workers share (base URLs and secret of this run's simulator). */
  courierEnv: NodeJS.ProcessEnv;
  /** A shopflow config on this stack for a task queue. */
  config(taskQueue: string): Config;
  /** `npm run worker` (server/main/worker.ts) as a child process with the pre-built bundle; resolves once it polls. */
  startShopflowWorker(taskQueue: string, env?: NodeJS.ProcessEnv): Promise<WorkerProcess>;
  /** Any worker entry point as a child process (the baseline worker). */
  startWorkerProcess(entry: string, taskQueue: string, env?: NodeJS.ProcessEnv): Promise<WorkerProcess>;
  /** CPU and memory of the Temporal dev server process (undefined if it cannot be found in /proc). */
  devServerStats(): { cpuMs: number; rssKb: number; peakRssKb: number } | undefined;
  /** The real HTTP app in this process on a free loopback port. */
  startApp(taskQueue: string): Promise<string>;
  /**
   * `npm run api` (server/main/api.ts) as a child process on a free loopback port, logging at
   * `logLevel` (default info, as in production) to a discarded stdout; resolves with its base URL
   * once /healthz answers. A load generator in the bench process then does not share the app's
   * event loop.
   */
  startApiProcess(taskQueue: string, opts?: { logLevel?: string; port?: number }): Promise<{ url: string; process: WorkerProcess }>;
  /** The courier simulator posting webhooks to `appUrl`, at `timeScale` real seconds per simulated day. */
  startSimulator(appUrl: string, opts?: { timeScale?: number; scenario?: 'normal' | 'manual' }): Promise<CourierSimulator>;
  createStaff(roles: string[], name?: string): Promise<{ id: string; token: string }>;
  /** Stores and activates a process YAML under `name`. */
  activateProcess(yaml: string, name: string): Promise<{ name: string; version: number }>;
  close(): Promise<void>;
}

/**
 * Starts the dev server (same CLI resolution and launcher as `npm start`, in memory, headless,
 * on a free port), a fresh database `shopflow_bench_<time>` on DATABASE_URL's server (default
 * postgres://postgres@127.0.0.1:5432) with migrations and the shipped definitions, and the
 * workflow bundle. Ctrl-C tears everything down too.
 */
export async function startBenchStack(name: string): Promise<BenchStack> {
  const started = Date.now();
  const closers: Array<() => Promise<unknown>> = [];
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      for (const fn of closers.reverse()) await fn().catch((err) => note(`cleanup: ${(err as Error).message}`));
    })();
    return closing;
  };
  const onSignal = () => {
    note('interrupted: stopping the bench stack…');
    void close().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    note('starting the Temporal dev server, a fresh PostgreSQL database and the workflow bundle…');
    const cli = await resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI, progress: (m) => note(m) });
    const bundleFile = path.join(cacheDir(), 'bench', `workflow-bundle-${process.pid}.js`);
    const [devServer, bundlePath, db] = await Promise.all([
      // BENCH_TEMPORAL_ADDRESS: a Temporal cluster already running (npm run bench:cluster) instead of a dev server.
      (process.env.BENCH_TEMPORAL_ADDRESS
        ? Promise.resolve({ address: process.env.BENCH_TEMPORAL_ADDRESS, reused: true, stop: async () => undefined })
        : startDevServerOnFreePort(
            { cliPath: cli.path, ip: '127.0.0.1', namespace: 'default', readyTimeoutMs: 120_000 },
            { onRetry: note },
          )) as Promise<DevServer>,
      bundleWorkflows(bundleFile),
      createBenchDatabase(name),
    ]);
    closers.push(() => devServer.stop());
    closers.push(async () => fs.rmSync(bundlePath, { force: true }));
    closers.push(() => dropDatabase(db.adminUrl, db.name));

    const database = await openDatabase({ databaseUrl: db.url, dataDir: os.tmpdir(), poolSize: 10 });
    closers.push(() => database.close());
    await database.migrate();
    await createDefinitionsStore(database.db).syncFromDir(path.join(projectRoot(), 'definitions'), silentLog);

    const baseConfig = (taskQueue: string) =>
      loadConfig({
        NODE_ENV: 'development',
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: devServer.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        COURIERS: 'simulator',
      });
    const temporal = await connectClient(baseConfig('unused').temporal, devServer.address);
    closers.push(() => temporal.connection.close());

    const courierSecret = `bench-${crypto.randomUUID()}`;
    const courierEnv: NodeJS.ProcessEnv = {
      ...process.env,
      COURIER_SIM_SECRET: courierSecret,
      GHN_WEBHOOK_SECRET: courierSecret,
      GHTK_WEBHOOK_SECRET: courierSecret,
    };

    const pollsFor = async (taskQueue: string) => {
      for (const taskQueueType of [1, 2]) {
        const res = await temporal.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: taskQueue },
          taskQueueType,
        });
        if (!res.pollers?.length) return false;
      }
      return true;
    };

    const spawnMeasured = async (
      entry: string,
      taskQueue: string,
      env: NodeJS.ProcessEnv,
      ready: () => Promise<boolean>,
      what: string,
    ): Promise<WorkerProcess> => {
      // BENCH_CPU_PROF_DIR=<dir>: each child writes a V8 CPU profile there when it stops (node --cpu-prof).
      const profile = process.env.BENCH_CPU_PROF_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF_DIR)}`]
        : [];
      const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', entry], {
        cwd: projectRoot(),
        env: {
          ...courierEnv,
          LOG_LEVEL: 'warn',
          NODE_ENV: 'development',
          DATABASE_URL: db.url,
          TEMPORAL_ADDRESS: devServer.address,
          TEMPORAL_TASK_QUEUE: taskQueue,
          WORKFLOW_BUNDLE_PATH: bundlePath,
          COURIERS: 'simulator',
          ...env,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let recent = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        recent = (recent + chunk.toString()).slice(-4000);
      });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      let peakKb = 0;
      const sampler = setInterval(() => {
        try {
          peakKb = Math.max(peakKb, procStats(child.pid!).rssKb);
        } catch {
          /* exited */
        }
      }, 250);
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        clearInterval(sampler);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(timer);
        }
      };
      closers.push(stop);
      await until(
        async () => {
          if (child.exitCode !== null) throw new Error(`${entry} exited during start-up: ${recent.trim().slice(-1500)}`);
          return ready();
        },
        120_000,
        what,
        250,
      );
      return {
        pid: child.pid!,
        stats: () => procStats(child.pid!),
        sampledPeakKb: () => peakKb,
        resetPeak: () => {
          peakKb = 0;
        },
        stop,
      };
    };
    const startWorkerProcess = (entry: string, taskQueue: string, env: NodeJS.ProcessEnv = {}) =>
      spawnMeasured(entry, taskQueue, env, () => pollsFor(taskQueue), `worker ${entry} polling ${taskQueue}`);

    const devServerPort = devServer.address.split(':').pop()!;
    let devServerPid: number | undefined;
    const devServerStats = () => {
      devServerPid ??=
        Number(process.env.BENCH_TEMPORAL_SERVER_PID) ||
        findPid((cmd) => cmd.includes('start-dev') && cmd.includes(`--port ${devServerPort}`));
      try {
        return devServerPid ? procStats(devServerPid) : undefined;
      } catch {
        return undefined;
      }
    };

    note(
      `stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s: Temporal ${devServer.address} (${cli.source}), database ${db.name}`,
    );
    return {
      temporalAddress: devServer.address,
      database,
      databaseUrl: db.url,
      temporal,
      courierEnv,
      config: baseConfig,
      startWorkerProcess,
      devServerStats,
      startShopflowWorker: (taskQueue, env) => startWorkerProcess('server/main/worker.ts', taskQueue, env),
      async startApiProcess(taskQueue, opts = {}) {
        const port = opts.port ?? (await freePort());
        const url = `http://127.0.0.1:${port}`;
        const healthy = async () => {
          try {
            return (await fetch(`${url}/healthz`)).ok;
          } catch {
            return false;
          }
        };
        const child = await spawnMeasured(
          'server/main/api.ts',
          taskQueue,
          { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: opts.logLevel ?? 'info', COURIERS: 'simulator' },
          healthy,
          `${url}/healthz`,
        );
        return { url, process: child };
      },
      async startApp(taskQueue) {
        const app = createApp({
          config: baseConfig(taskQueue),
          database,
          temporal,
          log: silentLog,
          couriers: createCourierDirectory(database.db, courierEnv),
        });
        const server = await new Promise<Server>((resolve) => {
          const s = app.listen(0, '127.0.0.1', () => resolve(s));
        });
        server.keepAliveTimeout = 60_000;
        closers.push(
          () =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        );
        const address = server.address();
        return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      },
      async startSimulator(appUrl, opts = {}) {
        const simulator = await createCourierSimulator({
          port: 0,
          webhookUrl: `${appUrl}/webhooks/couriers`,
          secret: courierSecret,
          timeScale: opts.timeScale ?? 0.005,
          startDelayMs: 0,
          webhookRetryDelayMs: 200,
          defaultScenario: opts.scenario ?? 'normal',
          log: silentLog,
        });
        closers.push(() => simulator.close());
        // The app's adapters read this object; workers get it at spawn (start the simulator first).
        Object.assign(courierEnv, {
          COURIER_SIMULATOR_URL: simulator.url,
          GHN_BASE_URL: `${simulator.url}/shiip/public-api`,
          GHN_TOKEN: 'bench',
          GHN_SHOP_ID: '1',
          GHTK_BASE_URL: simulator.url,
          GHTK_TOKEN: 'bench',
        });
        return simulator;
      },
      async createStaff(roles, staffName) {
        const staff = createStaffStore(database.db);
        const member = await staff.create({ name: staffName ?? `Bench ${roles.join('+')}`, roles, channels: [] });
        const { token } = await staff.issueToken(member.id, 'bench');
        return { id: member.id, token };
      },
      async activateProcess(yaml, processName) {
        const definitions = createDefinitionsStore(database.db);
        const renamed = yaml.replace(/^(  name:\s*).*$/m, `$1${processName}`);
        const { row } = await definitions.save({ yaml: renamed, file: `${processName}.yaml`, author: 'bench' });
        await definitions.activate(row.name, row.version);
        return { name: row.name, version: row.version };
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Bundles another workflows entry point (the baseline) into `.cache/bench/`. */
export async function bundleEntry(entry: string, name: string): Promise<string> {
  const noop = () => undefined;
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(projectRoot(), entry),
    logger: { log: noop, trace: noop, debug: noop, info: noop, warn: (m: string) => note(m), error: (m: string) => note(m) },
  });
  const file = path.join(cacheDir(), 'bench', `${name}-${process.pid}.js`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, code);
  return file;
}

async function createBenchDatabase(name: string): Promise<{ url: string; adminUrl: string; name: string }> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const adminUrl = new URL(base);
  adminUrl.pathname = '/postgres';
  const dbName = `shopflow_bench_${name.replace(/\W/g, '_')}_${Date.now()}`;
  const admin = new PgClient({ connectionString: adminUrl.toString() });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`benchmarks need PostgreSQL at ${adminUrl.host} (set DATABASE_URL to another server): ${(err as Error).message}`);
  }
  await admin.query(`create database "${dbName}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  return { url: url.toString(), adminUrl: adminUrl.toString(), name: dbName };
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new PgClient({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
}

/** Runs a bench's main and exits with its status (stack already closed by the bench). */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}

/** 100,000 tasks in one statement: 30 % open, 60 % done, 10 % cancelled; a quarter unassigned. */
export async function seedTasks(databaseUrl: string, rows: number, sales: string[], cskh: string[]): Promise<void> {
  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  try {
    await pg.query(
      `
      insert into tasks (id, workflow_id, subject_type, subject_id, stage, role, assignee_id, title, form, outcomes, priority, status, summary, created_at, due_at, completed_at, completed_by, outcome)
      select 'tsk_seed' || lpad(g::text, 12, '0'), 'order:SEED-' || (g / 3), 'order', 'SEED-' || (g / 3),
        s.stage, s.role,
        case when g % 4 = 0 then null when s.role = 'sales' then ($1::text[])[1 + g % cardinality($1::text[])] when s.role = 'cskh' then ($2::text[])[1 + g % cardinality($2::text[])] else null end,
        s.title, '{"type":"object"}'::jsonb, '[{"name":"done","title":"Xong","form":{"type":"object"}}]'::jsonb,
        (array['normal','normal','high','low'])[1 + g % 4], st.status,
        jsonb_build_object('customer', 'Khách ' || g, 'phone', '09' || lpad((g % 100000000)::text, 8, '0'), 'channel', 'facebook'),
        now() - g * interval '1 minute', now() - g * interval '1 minute' + interval '2 hours',
        case when st.status <> 'open' then now() - g * interval '1 minute' + interval '30 minutes' end,
        case when st.status = 'done' then 'seed' end, case when st.status = 'done' then 'done' end
      from generate_series(1, $3::int) g
      cross join lateral (select (array['close','confirm','pack','call-customer','receive-return'])[1 + g % 5] as stage,
                                 (array['sales','cskh','warehouse','cskh','sales-lead'])[1 + g % 5] as role,
                                 (array['Chốt đơn','Xác nhận đơn','Đóng gói','Xử lý giao thất bại','Nhận hàng hoàn'])[1 + g % 5] as title) s
      cross join lateral (select case when g % 10 < 3 then 'open' when g % 10 < 9 then 'done' else 'cancelled' end as status) st`,
      [sales, cskh, rows],
    );
    await pg.query('analyze tasks');
  } finally {
    await pg.end();
  }
}

/** A minimal JSON HTTP client for the real API. */
export function apiClient(base: string, token: string) {
  const call = async (method: string, urlPath: string, body?: unknown) => {
    const res = await fetch(`${base}${urlPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: any;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  };
  return { get: (p: string) => call('GET', p), post: (p: string, body: unknown = {}) => call('POST', p, body) };
}

/** A unique valid Vietnamese mobile number per index (0 ≤ i < 10⁷). */
export const benchPhone = (i: number) => `097${String(i).padStart(7, '0')}`;
