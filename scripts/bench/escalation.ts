/**
 * `npm run bench:escalation -- --tasks N`: N tasks whose SLA passes in the same second, and how
 * late each `escalated` task event is recorded after its deadline (task_events.at − tasks.due_at).
 *
 * How the deadlines line up: the process (escalation.yaml) measures its 5 s SLA on the business
 * clock, and each order workflow is started directly with the client carrying working hours that
 * open at one instant T0 a little after every task should be open. A task opened before T0 is due
 * at T0 + 5 s, like a shop's overnight queue falling due at opening time.
 *
 * In the same run, before shopflow, a bare Temporal baseline (baselineTimerWorkflow in
 * baseline-workflow.ts, own worker process): the same number of workflows, started the same way,
 * each with one timer firing at the same instant and then one activity writing one row
 * (`bench_baseline_rows`); its delay is the row's time − the instant. The summary prints
 * shopflow p99 ÷ baseline p99 (goal ≤ 1.5×). `--maxCachedWorkflows N` (or
 * WORKER_MAX_CACHED_WORKFLOWS in the environment) sets both workers' workflow cache; the size
 * used is printed. `--baselineLocal 1` runs the baseline's write as a local activity (shopflow's
 * escalateTask is one).
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { CompiledWorkingHours } from '../../definitions/rules/business-time';
import { WEEKDAYS } from '../../definitions/rules/business-time';
import type { CompiledOrderProcess } from '../../definitions/types';
import { createDefinitionsStore } from '../../server/shop/definitions';
import type { OrderWorkflowInput } from '../../workflows/orders/order';
import {
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
  workerCache,
  writeResult,
  type BenchStack,
  type Distribution,
} from './support';

const defaults = numericFlags({ tasks: 2000, openSeconds: 0, maxCachedWorkflows: 0, baselineLocal: 0, watchSeconds: 180 });
const flags = { ...defaults, openSeconds: defaults.openSeconds || Math.ceil(defaults.tasks / 12) + 15 };
const cache = workerCache(flags.maxCachedWorkflows);
const SLA_MS = 5_000;
const GOAL_P99_MS = 2_000;
const GOAL_RATIO = 1.5;
// How long after the deadline escalations are waited for (--watchSeconds; 10,000 on the dev server needs ~600).
const WATCH_MS = flags.watchSeconds * 1000;

const countOf = async (stack: BenchStack, query: ReturnType<typeof sql>) =>
  Number(((await stack.database.db.execute(query)) as unknown as { rows: Array<{ n: string }> }).rows[0]!.n);

interface BaselineResult {
  workflows: number;
  startedLate: number;
  recorded: number;
  delayMs: Distribution;
  worker: { burstCpuSeconds: number; rssAfterMiB: number; peakRssMiB: number };
  devServer: { burstCpuSeconds: number | null };
  machineCpuBusyPercent: number;
}

/** N bare workflows, one timer each due at the same instant, then one activity writing one row. */
async function baselinePhase(stack: BenchStack): Promise<BaselineResult> {
  const db = stack.database.db;
  await db.execute(
    sql`create table if not exists bench_baseline_rows (id text primary key, due_at timestamptz not null, at timestamptz not null)`,
  );
  const bundle = await bundleEntry('scripts/bench/baseline-workflow.ts', 'baseline-bundle');
  const taskQueue = 'bench-escalation-baseline';
  const worker = await stack.startWorkerProcess('scripts/bench/baseline-worker.ts', taskQueue, {
    BENCH_BASELINE_BUNDLE: bundle,
    ...cache.env,
  });
  try {
    // Starting bare workflows is quicker than opening shopflow tasks: a tenth of the shopflow window.
    const dueAt = Date.now() + (Math.ceil(flags.tasks / 120) + 10) * 1000;
    note(`baseline: ${flags.tasks} bare workflows, one timer each due at ${new Date(dueAt).toISOString()}, then one row written`);
    let startedLate = 0;
    const bar = progress('baseline: starting', flags.tasks);
    await pool(
      flags.tasks,
      50,
      async (i) => {
        const id = `ESCB${String(i).padStart(6, '0')}`;
        await stack.temporal.workflow.start('baselineTimerWorkflow', {
          taskQueue,
          workflowId: `baseline:${id}`,
          args: [{ id, dueAt, localActivity: flags.baselineLocal > 0 }],
        });
        if (Date.now() >= dueAt) startedLate++;
      },
      (done) => bar.update(done),
    );
    bar.end();
    if (startedLate)
      note(`baseline: ${startedLate} workflows started after the instant (their timers fire at once; still measured from the instant)`);
    while (Date.now() < dueAt - 1000) await sleep(250);
    const cpu = machineCpu();
    const before = worker.stats();
    const serverBefore = stack.devServerStats();
    const rowsBar = progress('baseline: rows written', flags.tasks);
    let recorded = 0;
    while (recorded < flags.tasks && Date.now() < dueAt + WATCH_MS) {
      recorded = await countOf(stack, sql`select count(*) as n from bench_baseline_rows`);
      rowsBar.update(recorded);
      if (recorded < flags.tasks) await sleep(250);
    }
    rowsBar.end(recorded);
    const after = worker.stats();
    const serverAfter = stack.devServerStats();
    const busy = cpu.busyPercent();
    const rows = (
      (await db.execute(sql`select extract(epoch from (at - due_at)) * 1000 as delay_ms from bench_baseline_rows`)) as unknown as {
        rows: Array<{ delay_ms: string }>;
      }
    ).rows;
    return {
      workflows: flags.tasks,
      startedLate,
      recorded,
      delayMs: distribution(rows.map((r) => Number(r.delay_ms))),
      worker: {
        burstCpuSeconds: Math.round(after.cpuMs - before.cpuMs) / 1000,
        rssAfterMiB: mib(after.rssKb),
        peakRssMiB: mib(worker.sampledPeakKb()),
      },
      devServer: { burstCpuSeconds: serverBefore && serverAfter ? Math.round(serverAfter.cpuMs - serverBefore.cpuMs) / 1000 : null },
      machineCpuBusyPercent: busy,
    };
  } finally {
    await worker.stop();
    fs.rmSync(bundle, { force: true });
  }
}

/** Open all day every day, except that the day of `opensAt` opens at that exact instant (UTC). */
function hoursOpeningAt(opensAt: number): CompiledWorkingHours {
  const dayMs = 86_400_000;
  const weekly = Object.fromEntries(WEEKDAYS.map((d) => [d, [{ fromMinute: 0, toMinute: 1440 }]])) as CompiledWorkingHours['weekly'];
  weekly[WEEKDAYS[new Date(opensAt).getUTCDay()]!] = [{ fromMinute: (opensAt % dayMs) / 60_000, toMinute: 1440 }];
  return { timezone: 'UTC', utcOffsetMinutes: 0, weekly, daysOff: [] };
}

runBench(async () => {
  const info = machine();
  const stack = await startBenchStack('escalation');
  try {
    note(`worker cache: ${cache.size} workflows (${cache.label}), for the baseline's worker and shopflow's`);
    const baseline = await baselinePhase(stack);
    const taskQueue = 'bench-escalation';
    const { name, version } = await stack.activateProcess(
      fs.readFileSync(path.join(__dirname, 'escalation.yaml'), 'utf8'),
      'bench-escalation',
    );
    const row = await createDefinitionsStore(stack.database.db).active(name);
    const compiled = row!.compiled as CompiledOrderProcess;
    const worker = await stack.startShopflowWorker(taskQueue, cache.env);
    const rssBefore = worker.stats().rssKb;

    const opensAt = Date.now() + flags.openSeconds * 1000;
    const dueAt = opensAt + SLA_MS;
    const snapshot = { ...compiled, workingHours: hoursOpeningAt(opensAt) };
    note(
      `${flags.tasks} orders; the shop opens in ${flags.openSeconds} s, every task opened before then is due at ${new Date(dueAt).toISOString()}`,
    );

    const bar = progress('starting orders', flags.tasks);
    await pool(
      flags.tasks,
      50,
      async (i) => {
        const input: OrderWorkflowInput = {
          orderId: `ESC${String(i).padStart(6, '0')}`,
          definition: { name, version, process: snapshot },
          lead: { channel: 'facebook', customer: { name: `Khách ${i}`, phone: benchPhone(i) } },
          facts: { order: { channel: 'facebook' } },
        };
        await stack.temporal.workflow.start('orderWorkflow', { taskQueue, workflowId: `order:${input.orderId}`, args: [input] });
      },
      (done) => bar.update(done),
    );
    bar.end();

    const db = stack.database.db;
    const openBar = progress('tasks open', flags.tasks);
    let opened = 0;
    while (opened < flags.tasks && Date.now() < dueAt + 120_000) {
      opened = await countOf(stack, sql`select count(*) as n from tasks where workflow_id like 'order:ESC%'`);
      openBar.update(opened, Date.now() < opensAt ? `(shop opens in ${Math.round((opensAt - Date.now()) / 1000)} s)` : '(shop open)');
      if (opened < flags.tasks) await sleep(500);
    }
    openBar.end(opened);
    const openedLate = await countOf(
      stack,
      sql`select count(*) as n from tasks where workflow_id like 'order:ESC%' and created_at >= ${new Date(opensAt).toISOString()}::timestamptz`,
    );
    if (openedLate)
      note(`${openedLate} tasks opened after the shop opened: their deadlines are later (still measured from their own due_at)`);

    const cpu = machineCpu();
    const before = worker.stats();
    const serverBefore = stack.devServerStats();
    const escBar = progress('escalated', flags.tasks);
    let escalated = 0;
    while (escalated < opened && Date.now() < dueAt + WATCH_MS) {
      escalated = await countOf(
        stack,
        sql`select count(*) as n from task_events e join tasks t on t.id = e.task_id where e.type = 'escalated' and t.workflow_id like 'order:ESC%'`,
      );
      escBar.update(escalated, Date.now() < dueAt ? `(deadline in ${Math.round((dueAt - Date.now()) / 1000)} s)` : '');
      if (escalated < opened) await sleep(500);
    }
    escBar.end(escalated);
    const after = worker.stats();
    const serverAfter = stack.devServerStats();
    const burstCpuSeconds = Math.round(after.cpuMs - before.cpuMs) / 1000;
    const serverBurstCpuSeconds = serverBefore && serverAfter ? Math.round(serverAfter.cpuMs - serverBefore.cpuMs) / 1000 : null;
    const busy = cpu.busyPercent();

    const rows = (
      (await db.execute(sql`
      select extract(epoch from (e.at - t.due_at)) * 1000 as delay_ms
      from tasks t join task_events e on e.task_id = t.id and e.type = 'escalated'
      where t.workflow_id like 'order:ESC%'`)) as unknown as { rows: Array<{ delay_ms: string }> }
    ).rows;
    const delays = distribution(rows.map((r) => Number(r.delay_ms)));
    await worker.stop();

    const met = delays.n === flags.tasks && delays.p99 < GOAL_P99_MS;
    const ratio = baseline.delayMs.p99 > 0 ? Math.round((delays.p99 / baseline.delayMs.p99) * 100) / 100 : null;
    const ratioMet = ratio !== null && delays.n === flags.tasks && baseline.recorded === flags.tasks && ratio <= GOAL_RATIO;
    const file = writeResult('escalation', {
      bench: 'escalation',
      flags,
      machine: info,
      slaMs: SLA_MS,
      dueAt: new Date(dueAt).toISOString(),
      tasks: flags.tasks,
      opened,
      openedLate,
      escalated,
      delayMs: delays,
      worker: { burstCpuSeconds, rssBeforeMiB: mib(rssBefore), rssAfterMiB: mib(after.rssKb), peakRssMiB: mib(worker.sampledPeakKb()) },
      devServer: { burstCpuSeconds: serverBurstCpuSeconds },
      machineCpuBusyPercent: busy,
      goal: { p99Ms: GOAL_P99_MS, met },
      workerMaxCachedWorkflows: { size: cache.size, from: cache.label },
      baseline,
      p99RatioToBaseline: ratio,
      goalRatio: { max: GOAL_RATIO, met: ratioMet },
    });
    process.stdout.write(
      [
        '',
        `bench:escalation — ${flags.tasks} tasks due at the same instant (node ${info.node}, ${info.cpus} CPUs, load ${info.loadavg.join(' ')})`,
        `  opened ${opened} (${openedLate} after the shop opened), escalated ${escalated}`,
        `  deadline → recorded escalation: ${fmtMs(delays)}`,
        `  worker CPU during the burst ${burstCpuSeconds} s, RSS ${mib(after.rssKb)} MiB; Temporal dev server CPU ${serverBurstCpuSeconds ?? '?'} s; machine CPU busy ${busy}%`,
        ...(escalated < opened
          ? [
              `  only ${escalated} of ${opened} within --watchSeconds ${flags.watchSeconds}: ${(escalated / flags.watchSeconds).toFixed(1)}/s`,
            ]
          : []),
        `  goal p99 < ${GOAL_P99_MS} ms: ${met ? 'met' : 'MISSED'}`,
        `baseline — ${baseline.workflows} bare workflows, one timer each at the same instant, one activity writing one row${flags.baselineLocal ? ' (local activity)' : ''}`,
        `  started ${baseline.workflows} (${baseline.startedLate} after the instant), rows written ${baseline.recorded}`,
        `  instant → row written: ${fmtMs(baseline.delayMs)}`,
        ...(baseline.recorded < baseline.workflows
          ? [
              `  only ${baseline.recorded} of ${baseline.workflows} within --watchSeconds ${flags.watchSeconds}: ${(baseline.recorded / flags.watchSeconds).toFixed(1)}/s`,
            ]
          : []),
        `  worker CPU during the burst ${baseline.worker.burstCpuSeconds} s, RSS ${baseline.worker.rssAfterMiB} MiB; Temporal dev server CPU ${baseline.devServer.burstCpuSeconds ?? '?'} s; machine CPU busy ${baseline.machineCpuBusyPercent}%`,
        `shopflow p99 ÷ baseline p99: ${ratio?.toFixed(2) ?? '?'}× (goal ≤ ${GOAL_RATIO}×: ${ratioMet ? 'met' : 'MISSED'}${escalated < opened || baseline.recorded < baseline.workflows ? '; not comparable: a side did not finish, raise --watchSeconds' : ''}); worker cache ${cache.size} workflows (${cache.label})`,
        `results: ${file}`,
        '',
      ].join('\n'),
    );
  } finally {
    await stack.close();
  }
});
