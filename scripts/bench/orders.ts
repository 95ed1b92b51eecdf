/**
 * `npm run bench:orders -- --orders N --concurrency C [--process fast-ship|standard-order|both]`:
 * N orders through the whole lifecycle on this machine — a lead POSTed to the real HTTP app,
 * staff completing each human task over HTTP, the courier simulator creating the parcel and
 * delivering it at full speed with real-format webhooks, until the workflow's result — with C
 * orders in flight. The worker is `npm run worker` in its own process (CPU and RSS read from
 * /proc). For each process, a bare Temporal workflow walking the same stages
 * (baseline-workflow.ts) goes through the same count in the same run, and the ratio of
 * throughputs is printed. Processes: `fast-ship` (tests/fixtures/fast-ship.yaml: close → ship)
 * and the shipped `standard-order` (definitions/processes/order.yaml: close → confirm → pack →
 * ship → care-standard for a new customer); default both. Afterwards each finished workflow's
 * history (or `--historySample` of them) is read with the client: events and bytes per order,
 * and one order's events by type.
 */
import fs from 'node:fs';
import path from 'node:path';
import { inArray } from 'drizzle-orm';
import { courierEvents, shipments } from '../../db/schema';
import { projectRoot } from '../../server/platform/paths';
import { createDefinitionsStore } from '../../server/shop/definitions';
import {
  baselineActivityCount,
  baselineCompleteUpdate,
  baselineCourierSignal,
  FAST_SHIP_STAGES,
  STANDARD_ORDER_STAGES,
  type BaselineStage,
} from './baseline-workflow';
import { printHistories, summarizeHistories, type HistorySummary } from './histories';
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
  takeWordFlag,
  workerCache,
  writeResult,
  type BenchStack,
  type Distribution,
  type WorkerProcess,
} from './support';

// By default the baseline's two task writes are local activities, the shape shopflow's TaskBoard
// has since 2026-11-26; --baselineRemote 1 runs all 12 as regular activities (as before).
// --maxCachedWorkflows N sets WORKER_MAX_CACHED_WORKFLOWS for both workers (default: the SDK's).
const argv = process.argv.slice(2);
const processFlag = takeWordFlag(argv, 'process', 'both', ['fast-ship', 'standard-order', 'both']);
const flags = {
  process: processFlag,
  ...numericFlags(
    { orders: 200, concurrency: 20, timeScale: 0.005, baselineRemote: 0, historySample: 50, maxCachedWorkflows: 0, orderTimeoutSeconds: 0 },
    argv,
  ),
};
const cache = workerCache(flags.maxCachedWorkflows);
const HISTORY_GOAL_EVENTS = 100;
/** How long one order may take before it counts as failed: --orderTimeoutSeconds, default 60 s per human step. */
const orderTimeoutMs = (proc: BenchProcess) => (flags.orderTimeoutSeconds || 60 * Object.keys(proc.tasks).length) * 1000;
const LEAD_GOAL = { p50: 50, p99: 200 };

/** A process the bench runs: how shopflow gets it, which human tasks to complete with what, and the baseline's stages. */
interface BenchProcess {
  key: 'fast-ship' | 'standard-order';
  /** Activated under this name from a file (fast-ship), or already active (standard-order is shipped). */
  fixture?: string;
  name: string;
  /** Outcome and form data per human stage; the last one listed is the last before the courier. */
  tasks: Record<string, { outcome: string; data: Record<string, unknown> }>;
  baseline: BaselineStage[];
  /** Offset of the customers' phone numbers, so each process's customers are new (standard-order confirms new customers). */
  phoneOffset: number;
}

const ITEMS = [{ sku: 'AO-01', name: 'Áo thun', qty: 2, price: 150000 }];
const ADDRESS = { street: '12 Lê Lợi', ward: 'Bến Nghé', province: 'Hồ Chí Minh' };
const PROCESSES: BenchProcess[] = [
  {
    key: 'fast-ship',
    fixture: 'tests/fixtures/fast-ship.yaml',
    name: 'bench-ship',
    tasks: { close: { outcome: 'closed', data: { items: ITEMS, shippingAddress: ADDRESS, codAmount: 300000 } } },
    baseline: FAST_SHIP_STAGES,
    phoneOffset: 0,
  },
  {
    key: 'standard-order',
    name: 'standard-order',
    tasks: {
      close: {
        outcome: 'closed',
        // customerName and phone are filled in per order.
        data: { items: ITEMS, shippingAddress: ADDRESS, codAmount: 300000 },
      },
      confirm: { outcome: 'confirmed', data: { confirmedVia: 'phone' } },
      pack: { outcome: 'packed', data: { weightGrams: 500, lengthCm: 20, widthCm: 15, heightCm: 10 } },
    },
    baseline: STANDARD_ORDER_STAGES,
    phoneOffset: 1_000_000,
  },
];
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
  /** Events and bytes per finished workflow's history, read with the client. */
  histories?: HistorySummary;
}

/** Runs `count` orders through `one`, timing each stage, while measuring the worker process. */
async function measure(
  label: string,
  stack: BenchStack,
  worker: WorkerProcess,
  timeoutMs: number,
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
        const work = one(i, mark);
        work.catch(() => undefined); // an order given up on may still fail later (e.g. when the stack closes)
        await Promise.race([
          work,
          sleep(timeoutMs).then(() => {
            throw new Error(`order ${i} did not finish within ${timeoutMs / 1000} s`);
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

/** The HTTP app, the simulator and an admin token, started once and shared by the shopflow phases. */
interface Front {
  api: ReturnType<typeof apiClient>;
}
let front: Promise<Front> | undefined;
const startFront = (stack: BenchStack, taskQueue: string) =>
  (front ??= (async () => {
    const appUrl = await stack.startApp(taskQueue);
    await stack.startSimulator(appUrl, { timeScale: flags.timeScale, scenario: 'normal' });
    const admin = await stack.createStaff(['admin'], 'Bench admin');
    return { api: apiClient(appUrl, admin.token) };
  })());

/** shopflow: lead over HTTP → each human task visible and completed over HTTP → delivered by the simulator → result. */
async function shopflowPhase(stack: BenchStack, proc: BenchProcess): Promise<PhaseResult> {
  const taskQueue = 'bench-shopflow';
  const { api } = await startFront(stack, taskQueue);
  let name = proc.name;
  if (proc.fixture) {
    name = (await stack.activateProcess(fs.readFileSync(path.join(projectRoot(), proc.fixture), 'utf8'), proc.name)).name;
  } else if (!(await createDefinitionsStore(stack.database.db).active(proc.name))) {
    throw new Error(`no active order process named ${proc.name} (the shipped definitions are synced at stack start)`);
  }
  const worker = await stack.startShopflowWorker(taskQueue, cache.env);
  const orderIds = new Map<number, string>();
  const finished = new Set<number>();
  const humanStages = Object.keys(proc.tasks);
  note(
    `shopflow ${proc.key}: ${flags.orders} orders, ${flags.concurrency} in flight, human steps ${humanStages.join(' → ')}, courier simulator at ${flags.timeScale} s per simulated day`,
  );
  const result = await measure(`shopflow ${proc.key}`, stack, worker, orderTimeoutMs(proc), async (i, mark) => {
    const phone = benchPhone(proc.phoneOffset + i);
    const customerName = `Khách ${i}`;
    const lead = await api.post('/api/v1/leads', {
      channel: 'facebook',
      process: name,
      note: '[sim:normal]',
      customer: { name: customerName, phone },
    });
    if (lead.status !== 201) throw new Error(`lead ${i}: HTTP ${lead.status} ${JSON.stringify(lead.body)}`);
    const orderId: string = lead.body.orderId;
    orderIds.set(i, orderId);
    mark('lead');
    // Complete whatever human task the order waits on, until the last one (a stage skipped by its `when` is not waited for).
    for (let done = new Set<string>(); !done.has(humanStages[humanStages.length - 1]!);) {
      let task: { id: string; stage: string } | undefined;
      for (let tries = 0; !task; tries++) {
        const list = await api.get(`/api/v1/tasks?order=${orderId}&status=open`);
        task = list.body?.tasks?.find((t: { stage: string }) => t.stage in proc.tasks && !done.has(t.stage));
        if (!task) {
          if (tries > 600) throw new Error(`no open task after ${[...done].join(', ') || 'the lead'} for ${orderId}`);
          await sleep(50);
        }
      }
      const first = task.stage === humanStages[0];
      mark(first ? 'task-visible' : `${task.stage}-visible`);
      const { outcome, data } = proc.tasks[task.stage]!;
      const body = { outcome, data: task.stage === 'close' && proc.key === 'standard-order' ? { customerName, phone, ...data } : data };
      // Scan to pack: the shipped pack stage takes "packed" once every item was scanned.
      if (task.stage === 'pack' && outcome === 'packed')
        for (const item of ITEMS)
          for (let n = 0; n < item.qty; n++) {
            const scan = await api.post(`/api/v1/tasks/${task.id}/scans`, { barcode: item.sku });
            if (scan.status !== 201) throw new Error(`scan ${item.sku} on ${task.id}: HTTP ${scan.status} ${JSON.stringify(scan.body)}`);
          }
      const answer = await api.post(`/api/v1/tasks/${task.id}/complete`, body);
      if (answer.status !== 200) throw new Error(`complete ${task.stage} ${task.id}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
      mark(first ? 'complete-task' : `${task.stage}-complete`);
      done.add(task.stage);
    }
    const final = await stack.temporal.workflow.getHandle(`order:${orderId}`).result();
    if (final.result !== 'completed') throw new Error(`order ${orderId} ended ${final.result}`);
    mark('courier-to-done');
    finished.add(i);
  });
  await worker.stop();
  result.histories = await summarizeHistories(
    stack.temporal,
    [...finished].sort((a, b) => a - b).map((i) => `order:${orderIds.get(i)}`),
    flags.historySample,
  );
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

/** Baseline: start → one Update per human stage → 6 signals → result, on a bare workflow with trivial activities. */
async function baselinePhase(stack: BenchStack, bundle: string, proc: BenchProcess): Promise<PhaseResult> {
  const taskQueue = `bench-baseline-${proc.key}`;
  const worker = await stack.startWorkerProcess('scripts/bench/baseline-worker.ts', taskQueue, {
    BENCH_BASELINE_BUNDLE: bundle,
    ...cache.env,
  });
  const humans = proc.baseline.filter((s) => s.kind === 'human').length;
  const count = baselineActivityCount(proc.baseline, !flags.baselineRemote);
  note(
    `baseline ${proc.key}: ${flags.orders} bare workflows (stages ${proc.baseline.map((s) => s.id).join(' → ')}: ${count.regular} activities + ${count.local} local, ${humans} updates, 6 signals each), ${flags.concurrency} in flight`,
  );
  const ids: string[] = [];
  const result = await measure(`baseline ${proc.key}`, stack, worker, orderTimeoutMs(proc), async (i, mark) => {
    const workflowId = `baseline:${proc.key}:${i}`;
    const handle = await stack.temporal.workflow.start('baselineOrderWorkflow', {
      taskQueue,
      workflowId,
      args: [{ orderId: `B${i}`, localTaskWrites: !flags.baselineRemote, stages: proc.baseline }],
    });
    mark('start');
    for (let h = 0; h < humans; h++) {
      await handle.executeUpdate(baselineCompleteUpdate, { args: [{ outcome: 'done' }] });
      mark(h === 0 ? 'complete-task' : `complete-${h + 1}`);
    }
    for (const state of COURIER_NEWS) {
      await handle.signal(baselineCourierSignal, { state, outcome: state === 'delivered' ? 'delivered' : 'in_transit' });
    }
    await handle.result();
    mark('courier-to-done');
    ids.push(workflowId);
  });
  await worker.stop();
  result.histories = await summarizeHistories(stack.temporal, ids, flags.historySample);
  return result;
}

/** `delivered×3, none×1`: the shipment states of orders that did not finish. */
function stuckStates(stuck: unknown[]): string {
  const states: Record<string, number> = {};
  for (const s of stuck as Array<{ shipment: { state: string } | null }>) {
    const key = s.shipment?.state ?? 'none';
    states[key] = (states[key] ?? 0) + 1;
  }
  return Object.entries(states)
    .map(([k, v]) => `${k}×${v}`)
    .join(', ');
}

function printPhase(label: string, r: PhaseResult, goalEvents?: number): string[] {
  const lead = r.latency.lead;
  return [
    `${label}: ${r.orders} orders in ${r.wallSeconds} s = ${r.ordersPerSecond} orders/s${r.failed ? ` (${r.failed} FAILED: ${r.errors[0]})` : ''}`,
    ...Object.entries(r.latency).map(([stage, d]) => `  ${stage.padEnd(16)} ${fmtMs(d)}`),
    ...(lead
      ? [
          `  POST /api/v1/leads p50 ${lead.p50} ms, p99 ${lead.p99} ms (goal p50 < ${LEAD_GOAL.p50} ms, p99 < ${LEAD_GOAL.p99} ms: ${
            lead.p50 < LEAD_GOAL.p50 && lead.p99 < LEAD_GOAL.p99 ? 'met' : 'MISSED'
          })`,
        ]
      : []),
    ...(r.stuck
      ? [`  stuck orders: ${r.stuck.length}, shipments ${stuckStates(r.stuck)} (each with its courier events in the JSON result)`]
      : []),
    `  worker process   CPU ${r.worker.cpuSeconds} s (${r.worker.cpuMsPerOrder} ms/order), peak RSS ${r.worker.peakRssMiB} MiB; machine CPU busy ${r.machineCpuBusyPercent}%`,
    `  other CPU        Temporal dev server ${r.devServerCpuMsPerOrder ?? '?'} ms/order; bench process ${r.benchProcessCpuMsPerOrder} ms/order`,
    ...(r.histories ? printHistories('order', r.histories, goalEvents) : []),
  ];
}

runBench(async () => {
  const info = machine();
  const stack = await startBenchStack('orders');
  try {
    const bundle = await bundleEntry('scripts/bench/baseline-workflow.ts', 'baseline-bundle');
    const runs: Array<{ process: string; shopflow: PhaseResult; baseline: PhaseResult; ratioPercent: number }> = [];
    for (const proc of PROCESSES.filter((p) => flags.process === 'both' || flags.process === p.key)) {
      const baseline = await baselinePhase(stack, bundle, proc);
      const shopflow = await shopflowPhase(stack, proc);
      const ratioPercent = Math.round((shopflow.ordersPerSecond / baseline.ordersPerSecond) * 1000) / 10;
      runs.push({ process: proc.key, shopflow, baseline, ratioPercent });
    }
    fs.rmSync(bundle, { force: true });
    const file = writeResult('orders', {
      bench: 'orders',
      flags,
      machine: info,
      workerMaxCachedWorkflows: { size: cache.size, from: cache.label },
      runs,
      goals: { ratioPercent: 80, historyEvents: HISTORY_GOAL_EVENTS, leadMs: LEAD_GOAL },
    });
    const lines = [
      '',
      `bench:orders — ${flags.orders} orders, concurrency ${flags.concurrency}, simulator ${flags.timeScale} s/day, worker cache ${cache.size} workflows (${cache.label}) (node ${info.node}, ${info.cpus} CPUs, load ${info.loadavg.join(' ')})`,
    ];
    for (const run of runs) {
      lines.push(
        '',
        `── process ${run.process}`,
        ...printPhase(`shopflow ${run.process}`, run.shopflow, run.process === 'standard-order' ? HISTORY_GOAL_EVENTS : undefined),
        ...printPhase(`baseline ${run.process}`, run.baseline),
        `shopflow ÷ baseline throughput (${run.process}): ${run.ratioPercent}% (goal ≥ 80%: ${run.ratioPercent >= 80 ? 'met' : 'MISSED'})`,
      );
    }
    lines.push(`results: ${file}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await stack.close();
  }
});
