/**
 * `npm run bench:api`: autocannon against the real HTTP app on PostgreSQL.
 * - `GET /api/v1/tasks?status=open` with 100,000 task rows (bulk-inserted with SQL, spread over
 *   roles, assignees, statuses and 70 days), for a sales rep (scope own: theirs plus their roles'
 *   unassigned queue) and for a manager (scope all): at a fixed 200 req/s, then flat out.
 * - `POST /api/v1/tasks/:id/complete` on real open `close` tasks of real order workflows.
 */
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import autocannon from 'autocannon';
import { and, eq, inArray } from 'drizzle-orm';
import { tasks } from '../../db/schema';
import { projectRoot } from '../../server/platform/paths';
import { freePort } from '../../server/platform/temporal-dev-server';
import {
  apiClient,
  benchPhone,
  machine,
  machineCpu,
  note,
  numericFlags,
  pool,
  progress,
  runBench,
  seedTasks,
  startBenchStack,
  until,
  writeResult,
  type WorkerProcess,
} from './support';

// --inProcess 1: the app in the bench's own process (how figures before 2026-11-26 21:00 were taken),
// so autocannon and the app share one event loop; by default the app runs as `npm run api`.
const flags = numericFlags({ rows: 100_000, completions: 200, rate: 200, seconds: 15, inProcess: 0 });
const LIST_GOAL_P99_MS = 50;

interface LoadResult {
  label: string;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  machineCpuBusyPercent: number;
  /** CPU the API process spent per answered request (only when it runs as its own process). */
  apiCpuMsPerRequest?: number;
}

/** The API child process, when there is one, for CPU per request. */
let apiProc: WorkerProcess | undefined;

async function load(label: string, opts: autocannon.Options): Promise<LoadResult> {
  note(`${label}…`);
  const cpu = machineCpu();
  const cpuBefore = apiProc?.stats().cpuMs;
  const r = await autocannon({ timeout: 10, ...opts });
  const answered = r['2xx'] + r.non2xx;
  return {
    ...(apiProc && cpuBefore !== undefined && answered
      ? { apiCpuMsPerRequest: Math.round(((apiProc.stats().cpuMs - cpuBefore) / answered) * 100) / 100 }
      : {}),
    label,
    requestsPerSecond: Math.round(r.requests.average * 10) / 10,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    machineCpuBusyPercent: cpu.busyPercent(),
  };
}

/**
 * Open-loop load at a steady rate: request i is due at start + i / rate, sent then whether or not
 * earlier ones have answered, and its latency is counted from when it was DUE (a stalled server
 * is charged for the requests it delayed: no coordinated omission). autocannon's `overallRate`
 * is not used for the goal: it sends each connection's share of a second in a burst at the start
 * of the second, and corrects for coordinated omission with an expected interval of
 * ceil(1 / rate) = 1 ms, which adds a synthetic sample per millisecond of every slow answer.
 */
async function steadyLoad(label: string, url: string, headers: Record<string, string>, rate: number, seconds: number): Promise<LoadResult> {
  note(`${label}…`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(url);
  const cpu = machineCpu();
  const cpuBefore = apiProc?.stats().cpuMs;
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  const started = performance.now();
  const one = (due: number) =>
    new Promise<void>((resolve) => {
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname + target.search, headers, agent, timeout: 10_000 },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if (res.statusCode! >= 200 && res.statusCode! < 300) ok++;
            else non2xx++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.end();
    });
  const inFlight: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(one(due));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? 0);
  const answered = ok + non2xx;
  return {
    ...(apiProc && cpuBefore !== undefined && answered
      ? { apiCpuMsPerRequest: Math.round(((apiProc.stats().cpuMs - cpuBefore) / answered) * 100) / 100 }
      : {}),
    label,
    requestsPerSecond: Math.round((answered / elapsed) * 10) / 10,
    latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: Math.round(latencies[latencies.length - 1] ?? 0) },
    ok,
    non2xx,
    errors,
    timeouts: 0,
    machineCpuBusyPercent: cpu.busyPercent(),
  };
}

runBench(async () => {
  const info = machine();
  const stack = await startBenchStack('api');
  try {
    const taskQueue = 'bench-api';
    let appUrl: string;
    if (flags.inProcess) {
      appUrl = await stack.startApp(taskQueue);
      await stack.startSimulator(appUrl, { scenario: 'manual' });
    } else {
      const port = await freePort();
      await stack.startSimulator(`http://127.0.0.1:${port}`, { scenario: 'manual' });
      ({ url: appUrl, process: apiProc } = await stack.startApiProcess(taskQueue, { port }));
    }
    const { name } = await stack.activateProcess(
      fs.readFileSync(path.join(projectRoot(), 'tests/fixtures/fast-ship.yaml'), 'utf8'),
      'bench-api',
    );
    const admin = await stack.createStaff(['admin'], 'Bench admin');
    const manager = await stack.createStaff(['manager'], 'Bench manager');
    const sales = await Promise.all(Array.from({ length: 20 }, (_, i) => stack.createStaff(['sales'], `Sales ${i}`)));
    const cskh = await Promise.all(Array.from({ length: 5 }, (_, i) => stack.createStaff(['cskh'], `CSKH ${i}`)));

    note(`inserting ${flags.rows} task rows…`);
    const seedStarted = Date.now();
    await seedTasks(
      stack.databaseUrl,
      flags.rows,
      sales.map((s) => s.id),
      cskh.map((s) => s.id),
    );
    note(`inserted in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

    const listUrl = `${appUrl}/api/v1/tasks?status=open`;
    const rep = { authorization: `Bearer ${sales[0]!.token}` };
    const boss = { authorization: `Bearer ${manager.token}` };
    // Warm up connections, caches and query plans.
    await autocannon({ url: listUrl, headers: rep, connections: 5, duration: 2 });
    const lists = [
      await steadyLoad(`GET /tasks?status=open as a sales rep at a steady ${flags.rate} req/s`, listUrl, rep, flags.rate, flags.seconds),
      await steadyLoad(`GET /tasks?status=open as a manager at a steady ${flags.rate} req/s`, listUrl, boss, flags.rate, flags.seconds),
      // The earlier way, for comparison with older figures (bursty; see steadyLoad).
      await load(`GET /tasks?status=open as a sales rep, autocannon overallRate ${flags.rate}`, {
        url: listUrl,
        headers: rep,
        connections: 20,
        overallRate: flags.rate,
        duration: flags.seconds,
      }),
      await load('GET /tasks?status=open as a sales rep, max throughput (20 connections)', {
        url: listUrl,
        headers: rep,
        connections: 20,
        duration: 10,
      }),
      await load('GET /tasks?status=open as a manager, max throughput (20 connections)', {
        url: listUrl,
        headers: boss,
        connections: 20,
        duration: 10,
      }),
    ];

    // Real open tasks: leads through the API, each order waiting on its `close` task.
    const worker = await stack.startShopflowWorker(taskQueue);
    const api = apiClient(appUrl, admin.token);
    const orderIds: string[] = [];
    const bar = progress('opening orders', flags.completions);
    await pool(
      flags.completions,
      10,
      async (i) => {
        const lead = await api.post('/api/v1/leads', {
          channel: 'facebook',
          process: name,
          note: '[sim:manual]',
          customer: { name: `Khách ${i}`, phone: benchPhone(i) },
        });
        if (lead.status !== 201) throw new Error(`lead: HTTP ${lead.status} ${JSON.stringify(lead.body)}`);
        orderIds.push(lead.body.orderId);
      },
      (done) => bar.update(done),
    );
    bar.end();
    const open = await until(
      async () => {
        const rows = await stack.database.db
          .select({ id: tasks.id })
          .from(tasks)
          .where(and(inArray(tasks.subjectId, orderIds), eq(tasks.stage, 'close'), eq(tasks.status, 'open')));
        return rows.length === orderIds.length && rows;
      },
      60_000,
      `the ${orderIds.length} orders' open close tasks`,
      500,
    ).catch(async (err: Error) => {
      const found = await stack.database.db
        .select({ id: tasks.id, stage: tasks.stage, status: tasks.status })
        .from(tasks)
        .where(inArray(tasks.subjectId, orderIds));
      throw new Error(`${err.message}; tasks of these orders: ${JSON.stringify(found.slice(0, 5))} (${found.length})`);
    });
    const body = JSON.stringify({
      outcome: 'closed',
      data: {
        items: [{ sku: 'AO-01', name: 'Áo thun', qty: 1, price: 150000 }],
        shippingAddress: { street: '12 Lê Lợi', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
        codAmount: 150000,
      },
    });
    let next = 0;
    const complete = await load(`POST /tasks/:id/complete on ${open.length} real open tasks (10 connections)`, {
      url: appUrl,
      connections: Math.min(10, open.length),
      amount: open.length,
      requests: [
        {
          method: 'POST',
          headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
          body,
          setupRequest: (req) => ({ ...req, path: `/api/v1/tasks/${open[next++ % open.length]!.id}/complete` }),
        },
      ],
    });
    await worker.stop();

    const rated = lists.slice(0, 2);
    const met = rated.every((r) => r.latencyMs.p99 < LIST_GOAL_P99_MS && r.non2xx === 0);
    const file = writeResult('api', {
      bench: 'api',
      flags,
      machine: info,
      lists,
      complete,
      goal: { listP99Ms: LIST_GOAL_P99_MS, atRate: flags.rate, met },
    });
    const row = (r: LoadResult) =>
      `  ${r.label}\n      ${r.requestsPerSecond} req/s · p50 ${r.latencyMs.p50} ms · p90 ${r.latencyMs.p90} ms · p99 ${r.latencyMs.p99} ms · max ${r.latencyMs.max} ms · 2xx ${r.ok}, non-2xx ${r.non2xx}, errors ${r.errors} · machine CPU ${r.machineCpuBusyPercent}%${r.apiCpuMsPerRequest !== undefined ? ` · API CPU ${r.apiCpuMsPerRequest} ms/request` : ''}`;
    process.stdout.write(
      [
        '',
        `bench:api — ${flags.rows} task rows, app ${flags.inProcess ? 'in the bench process' : 'as npm run api (own process)'} (node ${info.node}, ${info.cpus} CPUs, load ${info.loadavg.join(' ')})`,
        ...lists.map(row),
        row(complete),
        `list p99 at ${flags.rate} req/s: ${rated.map((r) => `${r.latencyMs.p99} ms`).join(' / ')} (goal < ${LIST_GOAL_P99_MS} ms: ${met ? 'met' : 'MISSED'})`,
        `results: ${file}`,
        '',
      ].join('\n'),
    );
  } finally {
    await stack.close();
  }
});
