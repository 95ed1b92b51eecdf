/**
 * `npm run bench:orders -- --orders N --concurrency C`: N orders through the whole lifecycle on
 * this machine — a lead POSTed to the real HTTP app, staff completing the `close` task over HTTP,
 * the courier simulator creating the parcel and delivering it at full speed with real-format
 * webhooks, until the workflow's result — with C orders in flight. The worker is `npm run
 * worker` in its own process (CPU and RSS read from /proc). In the same run, a bare Temporal
 * workflow of the same shape (baseline-workflow.ts) goes through the same count, and the ratio
 * of throughputs is printed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { inArray } from 'drizzle-orm';
import { courierEvents, shipments } from '../../db/schema';
import { projectRoot } from '../../server/platform/paths';
import { baselineCompleteUpdate, baselineCourierSignal } from './baseline-workflow';
import {
  apiClient,
  benchPhone,
  bundleEntry,
  distribution,
  fmtMs,
  machine,
  machineCpu,
  mib,
  note,
  numericFlags,
  pool,
  progress,
  runBench,
  sleep,
  startBenchStack,
  writeResult,
  type BenchStack,
  type Distribution,
  type WorkerProcess,
} from './support';

// By default the baseline's two task writes are local activities, the shape shopflow's TaskBoard
// has since 2026-11-26; --baselineRemote 1 runs all 12 as regular activities (as before).
const flags = numericFlags({ orders: 200, concurrency: 20, timeScale: 0.005, baselineRemote: 0 });
const ORDER_TIMEOUT_MS = 60_000;
const COURIER_NEWS = ['ready_to_pick', 'picking', 'picked', 'transporting', 'delivering', 'delivered'];

interface PhaseResult {
  orders: number;
  failed: number;
  wallSeconds: number;
  ordersPerSecond: number;
  latency: Record<string, Distribution>;
  worker: { cpuSeconds: number; cpuMsPerOrder: number; peakRssMiB: number; rssAtEndMiB: number };
  /** CPU per completed order of the Temporal dev server, and of this process (HTTP app, simulator and client for shopflow; the client alone for the baseline). */
  devServerCpuMsPerOrder: number | null;
  benchProcessCpuMsPerOrder: number;
  machineCpuBusyPercent: number;
  errors: string[];
  /** Orders that did not finish, with what the database knows of their shipment (shopflow only). */
  stuck?: unknown[];
}

/** Runs `count` orders through `one`, timing each stage, while measuring the worker process. */
async function measure(
  label: string,
  stack: BenchStack,
  worker: WorkerProcess,
  one: (i: number, mark: (stage: string) => void) => Promise<void>,
): Promise<PhaseResult> {
  const stages: Record<string, number[]> = {};
  const errors: string[] = [];
  let failed = 0;
  const bar = progress(label, flags.orders);
  const cpu = machineCpu();
  const before = worker.stats();
  const serverBefore = stack.devServerStats();
  const selfBefore = process.cpuUsage();
  worker.resetPeak();
  const started = Date.now();
  await pool(
    flags.orders,
    flags.concurrency,
    async (i) => {
      const t0 = Date.now();
      let last = t0;
      const mark = (stage: string) => {
        const now = Date.now();
        (stages[stage] ??= []).push(now - last);
        last = now;
      };
      try {
        await Promise.race([
          one(i, mark),
          sleep(ORDER_TIMEOUT_MS).then(() => {
            throw new Error(`order ${i} did not finish within ${ORDER_TIMEOUT_MS / 1000} s`);
          }),
        ]);
        (stages['end-to-end'] ??= []).push(Date.now() - t0);
      } catch (err) {
        failed++;
        if (errors.length < 10) errors.push((err as Error).message);
      }
    },
    (done) => bar.update(done, failed ? `(${failed} failed)` : ''),
  );
  const wallSeconds = (Date.now() - started) / 1000;
  bar.end(flags.orders, failed ? `(${failed} failed)` : '');
  const after = worker.stats();
  const serverAfter = stack.devServerStats();
  const self = process.cpuUsage(selfBefore);
  const completed = flags.orders - failed;
  const perOrder = (ms: number) => Math.round((ms / Math.max(1, completed)) * 10) / 10;
  return {
    orders: completed,
    failed,
    wallSeconds: Math.round(wallSeconds * 100) / 100,
    ordersPerSecond: Math.round((completed / wallSeconds) * 100) / 100,
    latency: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, distribution(v)])),
    worker: {
      cpuSeconds: Math.round(after.cpuMs - before.cpuMs) / 1000,
      cpuMsPerOrder: Math.round(((after.cpuMs - before.cpuMs) / Math.max(1, completed)) * 10) / 10,
      peakRssMiB: mib(Math.max(worker.sampledPeakKb(), after.rssKb)),
      rssAtEndMiB: mib(after.rssKb),
    },
    devServerCpuMsPerOrder: serverBefore && serverAfter ? perOrder(serverAfter.cpuMs - serverBefore.cpuMs) : null,
    benchProcessCpuMsPerOrder: perOrder((self.user + self.system) / 1000),
    machineCpuBusyPercent: cpu.busyPercent(),
    errors,
  };
}

/** shopflow: lead over HTTP → close task visible → completed over HTTP → delivered by the simulator → result. */
async function shopflowPhase(stack: BenchStack): Promise<PhaseResult> {
  const taskQueue = 'bench-shopflow';
  const appUrl = await stack.startApp(taskQueue);
  await stack.startSimulator(appUrl, { timeScale: flags.timeScale, scenario: 'normal' });
  const { name } = await stack.activateProcess(
    fs.readFileSync(path.join(projectRoot(), 'tests/fixtures/fast-ship.yaml'), 'utf8'),
    'bench-ship',
  );
  const admin = await stack.createStaff(['admin'], 'Bench admin');
  const worker = await stack.startShopflowWorker(taskQueue);
  const api = apiClient(appUrl, admin.token);
  const orderIds = new Map<number, string>();
  const finished = new Set<number>();
  note(`shopflow: ${flags.orders} orders, ${flags.concurrency} in flight, courier simulator at ${flags.timeScale} s per simulated day`);
  const result = await measure('shopflow', stack, worker, async (i, mark) => {
    const lead = await api.post('/api/v1/leads', {
      channel: 'facebook',
      process: name,
      note: '[sim:normal]',
      customer: { name: `Khách ${i}`, phone: benchPhone(i) },
    });
    if (lead.status !== 201) throw new Error(`lead ${i}: HTTP ${lead.status} ${JSON.stringify(lead.body)}`);
    const orderId: string = lead.body.orderId;
    orderIds.set(i, orderId);
    mark('lead');
    let task: { id: string } | undefined;
    for (let tries = 0; !task; tries++) {
      const list = await api.get(`/api/v1/tasks?order=${orderId}&status=open`);
      task = list.body?.tasks?.find((t: { stage: string }) => t.stage === 'close');
      if (!task) {
        if (tries > 600) throw new Error(`no close task for ${orderId}`);
        await sleep(50);
      }
    }
    mark('task-visible');
    const done = await api.post(`/api/v1/tasks/${task.id}/complete`, {
      outcome: 'closed',
      data: {
        items: [{ sku: 'AO-01', name: 'Áo thun', qty: 2, price: 150000 }],
        shippingAddress: { street: '12 Lê Lợi', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
        codAmount: 300000,
      },
    });
    if (done.status !== 200) throw new Error(`complete ${task.id}: HTTP ${done.status} ${JSON.stringify(done.body)}`);
    mark('complete-task');
    const final = await stack.temporal.workflow.getHandle(`order:${orderId}`).result();
    if (final.result !== 'completed') throw new Error(`order ${orderId} ended ${final.result}`);
    mark('courier-to-done');
    finished.add(i);
  });
  await worker.stop();
  const stuckIds = [...orderIds].filter(([i]) => !finished.has(i)).map(([, id]) => id);
  if (stuckIds.length) {
    const db = stack.database.db;
    const ships = await db.select().from(shipments).where(inArray(shipments.orderId, stuckIds));
    const events = await db
      .select()
      .from(courierEvents)
      .where(inArray(courierEvents.trackingCode, ships.map((s) => s.trackingCode).concat('-')));
    result.stuck = stuckIds.map((id) => {
      const ship = ships.find((s) => s.orderId === id);
      return {
        orderId: id,
        shipment: ship ? { state: ship.state, trackingCode: ship.trackingCode, createdAt: ship.createdAt } : null,
        courierEvents: events
          .filter((e) => e.trackingCode === ship?.trackingCode)
          .map((e) => ({
            status: e.rawStatus,
            applied: e.applied,
            signalled: e.signalled,
            orderId: e.orderId,
            recordedAt: e.receivedAt ?? null,
          })),
      };
    });
  }
  return result;
}

/** Baseline: start → Update → 6 signals → result, on a bare workflow with trivial activities. */
async function baselinePhase(stack: BenchStack, bundle: string): Promise<PhaseResult> {
  const taskQueue = 'bench-baseline';
  const worker = await stack.startWorkerProcess('scripts/bench/baseline-worker.ts', taskQueue, { BENCH_BASELINE_BUNDLE: bundle });
  note(`baseline: ${flags.orders} bare workflows (12 activities, 1 update, 6 signals each), ${flags.concurrency} in flight`);
  const result = await measure('baseline', stack, worker, async (i, mark) => {
    const handle = await stack.temporal.workflow.start('baselineOrderWorkflow', {
      taskQueue,
      workflowId: `baseline:${i}`,
      args: [{ orderId: `B${i}`, localTaskWrites: !flags.baselineRemote }],
    });
    mark('start');
    await handle.executeUpdate(baselineCompleteUpdate, { args: [{ outcome: 'closed' }] });
    mark('complete-task');
    for (const state of COURIER_NEWS) {
      await handle.signal(baselineCourierSignal, { state, outcome: state === 'delivered' ? 'delivered' : 'in_transit' });
    }
    await handle.result();
    mark('courier-to-done');
  });
  await worker.stop();
  return result;
}

function printPhase(label: string, r: PhaseResult): string[] {
  return [
    `${label}: ${r.orders} orders in ${r.wallSeconds} s = ${r.ordersPerSecond} orders/s${r.failed ? ` (${r.failed} FAILED: ${r.errors[0]})` : ''}`,
    ...Object.entries(r.latency).map(([stage, d]) => `  ${stage.padEnd(16)} ${fmtMs(d)}`),
    ...(r.stuck ? [`  stuck orders: ${JSON.stringify(r.stuck)}`] : []),
    `  worker process   CPU ${r.worker.cpuSeconds} s (${r.worker.cpuMsPerOrder} ms/order), peak RSS ${r.worker.peakRssMiB} MiB; machine CPU busy ${r.machineCpuBusyPercent}%`,
    `  other CPU        Temporal dev server ${r.devServerCpuMsPerOrder ?? '?'} ms/order; bench process ${r.benchProcessCpuMsPerOrder} ms/order`,
  ];
}

runBench(async () => {
  const info = machine();
  const stack = await startBenchStack('orders');
  try {
    const bundle = await bundleEntry('scripts/bench/baseline-workflow.ts', 'baseline-bundle');
    const baseline = await baselinePhase(stack, bundle);
    const shopflow = await shopflowPhase(stack);
    fs.rmSync(bundle, { force: true });
    const ratio = Math.round((shopflow.ordersPerSecond / baseline.ordersPerSecond) * 1000) / 10;
    const file = writeResult('orders', { bench: 'orders', flags, machine: info, shopflow, baseline, ratioPercent: ratio, goalPercent: 80 });
    const lines = [
      '',
      `bench:orders — ${flags.orders} orders, concurrency ${flags.concurrency}, simulator ${flags.timeScale} s/day (node ${info.node}, ${info.cpus} CPUs, load ${info.loadavg.join(' ')})`,
      ...printPhase('shopflow', shopflow),
      ...printPhase('baseline', baseline),
      `shopflow ÷ baseline throughput: ${ratio}% (goal ≥ 80%: ${ratio >= 80 ? 'met' : 'MISSED'})`,
      `results: ${file}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await stack.close();
  }
});
