/**
 * `npm run bench:notify -- --escalations 1000 --consoles 4 --apis 2`: N escalations due at the
 * same instant (the tasks of bench:escalation's process, opened before a shop opening that makes
 * them all due in the same second), each notifying the managers; every manager keeps a console's
 * live stream open on one of the API processes (`npm run api` children, so the streams are
 * served as in production, each replica with its own LISTEN connection).
 *
 * Prints how many inbox rows were written (N × managers), how many `notification` events each
 * stream received, and the latency from the notification's record (`notifications.at`, written
 * in the escalation's transaction) to its receipt on a stream — p50/p99 against the goal p99 <
 * 2 s (printed, never asserted) — and the deadline → escalation record delay beside it. When the
 * delivery relay (message_deliveries) has rows, their counts by status show the channel sends
 * ran off the workflows' path (the escalation activity only enqueued them). `--email 1` gives every
 * manager e-mail for all priorities and starts the channel simulator's SMTP sink for the worker's
 * delivery relay (SMTP_URL), so the relay really sends: it prints record → e-mail sent beside the
 * stream's figures, and the escalations' delay shows whether the sends held the workflows up.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { CompiledWorkingHours } from '../../definitions/rules/business-time';
import { WEEKDAYS } from '../../definitions/rules/business-time';
import type { CompiledOrderProcess } from '../../definitions/types';
import { createDefinitionsStore } from '../../server/shop/definitions';
import type { OrderWorkflowInput } from '../../workflows/orders/order';
import { openStream, type SseStream } from '../../tests/support/sse';
import { staffPreferences } from '../../db/schema';
import { createChannelSimulator } from '../channel-sim';
import {
  benchPhone,
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
} from './support';

const flags = numericFlags({ escalations: 1000, consoles: 4, apis: 2, openSeconds: 0, maxCachedWorkflows: 0, email: 0 });
const openSeconds = flags.openSeconds || Math.ceil(flags.escalations / 12) + 15;
const cache = workerCache(flags.maxCachedWorkflows);
const SLA_MS = 5_000;
const GOAL_P99_MS = 2_000;
const WATCH_MS = 180_000;

const countOf = async (stack: BenchStack, query: ReturnType<typeof sql>) =>
  Number(((await stack.database.db.execute(query)) as unknown as { rows: Array<{ n: string }> }).rows[0]!.n);
const rowsOf = async <T>(stack: BenchStack, query: ReturnType<typeof sql>) =>
  ((await stack.database.db.execute(query)) as unknown as { rows: T[] }).rows;

/** Open all day every day, except that the day of `opensAt` opens at that exact instant (UTC). */
function hoursOpeningAt(opensAt: number): CompiledWorkingHours {
  const dayMs = 86_400_000;
  const weekly = Object.fromEntries(WEEKDAYS.map((d) => [d, [{ fromMinute: 0, toMinute: 1440 }]])) as CompiledWorkingHours['weekly'];
  weekly[WEEKDAYS[new Date(opensAt).getUTCDay()]!] = [{ fromMinute: (opensAt % dayMs) / 60_000, toMinute: 1440 }];
  return { timezone: 'UTC', utcOffsetMinutes: 0, weekly, daysOff: [] };
}

/** One console's stream: each escalation notification it received, with when. */
interface Console {
  stream: SseStream;
  api: number;
  received: Map<number, { at: number; recordedAt: number; taskId: string }>;
}

runBench(async () => {
  const info = machine();
  const stack = await startBenchStack('notify');
  const consoles: Console[] = [];
  try {
    const taskQueue = 'bench-notify';
    const { name, version } = await stack.activateProcess(fs.readFileSync(path.join(__dirname, 'escalation.yaml'), 'utf8'), 'bench-notify');
    const compiled = (await createDefinitionsStore(stack.database.db).active(name))!.compiled as CompiledOrderProcess;
    const sim = flags.email
      ? await createChannelSimulator({ port: 0, smtpPort: 0, telegramBotToken: 'bench', zaloAccessToken: 'bench' })
      : undefined;
    const worker = await stack.startShopflowWorker(taskQueue, { ...cache.env, ...(sim?.smtpUrl ? { SMTP_URL: sim.smtpUrl } : {}) });
    const apis = await Promise.all(
      Array.from({ length: Math.max(1, flags.apis) }, () => stack.startApiProcess(taskQueue, { logLevel: 'warn' })),
    );
    note(`${apis.length} API processes: ${apis.map((a) => a.url).join(', ')}`);

    // The managers, each with a console open on an API process (round robin).
    for (let i = 0; i < flags.consoles; i++) {
      const manager = await stack.createStaff(['manager'], `Quản lý ${i + 1}`);
      if (sim)
        await stack.database.db.insert(staffPreferences).values({
          staffId: manager.id,
          channels: { urgent: ['email'], normal: ['email'], low: ['email'] },
          quietHours: { mode: 'off' },
          email: `quan-ly-${i + 1}@bench.shopflow.local`,
        });
      const api = i % apis.length;
      const received = new Map<number, { at: number; recordedAt: number; taskId: string }>();
      // Receipt time is taken as each event is parsed (the bench process only reads streams and polls counts).
      const stream = await openStream(apis[api]!.url, manager.token, {
        onEvent: (e) => {
          if (e.event === 'notification' && e.data?.kind === 'escalation' && String(e.data?.subject?.id).startsWith('NTF'))
            received.set(e.data.id, { at: Date.now(), recordedAt: Date.parse(e.data.at), taskId: String(e.data.taskId) });
        },
      });
      if (stream.status !== 200) throw new Error(`the stream of console ${i + 1} answered ${stream.status}`);
      consoles.push({ stream, api, received });
    }
    note(`${consoles.length} consoles streaming (managers), each gets every escalation`);

    const opensAt = Date.now() + openSeconds * 1000;
    const dueAt = opensAt + SLA_MS;
    const snapshot = { ...compiled, workingHours: hoursOpeningAt(opensAt) };
    note(
      `${flags.escalations} orders; the shop opens in ${openSeconds} s, every task opened before then is due at ${new Date(dueAt).toISOString()}`,
    );
    const bar = progress('starting orders', flags.escalations);
    await pool(
      flags.escalations,
      50,
      async (i) => {
        const input: OrderWorkflowInput = {
          orderId: `NTF${String(i).padStart(6, '0')}`,
          definition: { name, version, process: snapshot },
          lead: { channel: 'facebook', customer: { name: `Khách ${i}`, phone: benchPhone(i) } },
          facts: { order: { channel: 'facebook' } },
        };
        await stack.temporal.workflow.start('orderWorkflow', { taskQueue, workflowId: `order:${input.orderId}`, args: [input] });
      },
      (done) => bar.update(done),
    );
    bar.end();

    const openBar = progress('tasks open', flags.escalations);
    let opened = 0;
    while (opened < flags.escalations && Date.now() < dueAt + 120_000) {
      opened = await countOf(stack, sql`select count(*) as n from tasks where workflow_id like 'order:NTF%'`);
      openBar.update(opened, Date.now() < opensAt ? `(shop opens in ${Math.round((opensAt - Date.now()) / 1000)} s)` : '(shop open)');
      if (opened < flags.escalations) await sleep(500);
    }
    openBar.end(opened);

    const cpu = machineCpu();
    const before = worker.stats();
    // Every escalation, for every console: also those of tasks that opened late on a busy machine (due later).
    const expectedRows = flags.escalations * consoles.length;
    const rowsBar = progress('inbox rows', expectedRows);
    const eventsBar = progress('stream events', expectedRows);
    let rows = 0;
    let delivered = 0;
    while ((rows < expectedRows || delivered < rows) && Date.now() < dueAt + WATCH_MS) {
      rows = await countOf(
        stack,
        sql`select count(*) as n from notification_recipients r join notifications n on n.id = r.notification_id
            where n.kind = 'escalation' and n.subject_id like 'NTF%'`,
      );
      delivered = consoles.reduce((s, c) => s + c.received.size, 0);
      rowsBar.update(rows);
      eventsBar.update(delivered, Date.now() < dueAt ? `(deadline in ${Math.round((dueAt - Date.now()) / 1000)} s)` : '');
      if (rows < expectedRows || delivered < rows) await sleep(250);
    }
    rowsBar.end(rows);
    eventsBar.end(delivered);
    const after = worker.stats();
    const busy = cpu.busyPercent();

    const latencies = consoles.flatMap((c) => [...c.received.values()].map((r) => r.at - r.recordedAt));
    const receipt = distribution(latencies);
    const escalationDelay = distribution(
      (
        await rowsOf<{ delay_ms: string }>(
          stack,
          sql`select extract(epoch from (n.at - t.due_at)) * 1000 as delay_ms
              from notifications n join tasks t on t.id = n.task_id
              where n.kind = 'escalation' and n.subject_id like 'NTF%'`,
        )
      ).map((r) => Number(r.delay_ms)),
    );
    // From each task's own deadline (a task opened after the shop opened is due later).
    const deadlines = new Map(
      (
        await rowsOf<{ id: string; due: string }>(
          stack,
          sql`select id, extract(epoch from due_at) * 1000 as due from tasks where workflow_id like 'order:NTF%'`,
        )
      ).map((t) => [t.id, Number(t.due)]),
    );
    const endToEnd = distribution(
      consoles.flatMap((c) => [...c.received.values()].map((r) => r.at - (deadlines.get(r.taskId) ?? Number.NaN))).filter(Number.isFinite),
    );
    const perConsole = consoles.map((c, i) => ({ console: i + 1, api: c.api + 1, received: c.received.size }));
    // The delivery relay's outbox, if it is there: what it holds for these escalations.
    const relay = await rowsOf<{ status: string; n: string }>(
      stack,
      sql`select d.status, count(*) as n from message_deliveries d
          join notification_recipients r on r.id = d.recipient_id join notifications n on n.id = r.notification_id
          where n.subject_id like 'NTF%' group by d.status order by d.status`,
    ).catch(() => []);
    const sentDelay = distribution(
      (
        await rowsOf<{ delay_ms: string }>(
          stack,
          sql`select extract(epoch from (d.sent_at - n.at)) * 1000 as delay_ms from message_deliveries d
              join notification_recipients r on r.id = d.recipient_id join notifications n on n.id = r.notification_id
              where n.subject_id like 'NTF%' and d.sent_at is not null`,
        ).catch(() => [])
      ).map((r) => Number(r.delay_ms)),
    );
    const attempts = await countOf(
      stack,
      sql`select count(*) as n from message_attempts a join message_deliveries d on d.id = a.delivery_id
          join notification_recipients r on r.id = d.recipient_id join notifications n on n.id = r.notification_id
          where n.subject_id like 'NTF%'`,
    ).catch(() => 0);
    await worker.stop();
    await sim?.close();

    const met = rows === flags.escalations * consoles.length && delivered === rows && receipt.p99 < GOAL_P99_MS;
    const file = writeResult('notify', {
      bench: 'notify',
      flags: { ...flags, openSeconds },
      machine: info,
      escalations: flags.escalations,
      opened,
      consoles: consoles.length,
      apiProcesses: apis.length,
      inboxRows: rows,
      expectedRows,
      streamEvents: delivered,
      perConsole,
      recordToReceiptMs: receipt,
      deadlineToRecordMs: escalationDelay,
      deadlineToReceiptMs: endToEnd,
      worker: { burstCpuSeconds: Math.round(after.cpuMs - before.cpuMs) / 1000, rssAfterMiB: mib(after.rssKb) },
      machineCpuBusyPercent: busy,
      relay: { deliveriesByStatus: Object.fromEntries(relay.map((r) => [r.status, Number(r.n)])), attempts, recordToSentMs: sentDelay },
      goal: { p99Ms: GOAL_P99_MS, met },
    });
    process.stdout.write(
      [
        '',
        `bench:notify — ${flags.escalations} escalations due at the same instant, ${consoles.length} consoles streaming on ${apis.length} API processes (node ${info.node}, ${info.cpus} CPUs, load ${info.loadavg.join(' ')})`,
        `  tasks opened ${opened}; inbox rows ${rows} of ${expectedRows}; stream events received ${delivered} of ${expectedRows} (${perConsole.map((c) => `console ${c.console}@api${c.api}: ${c.received}`).join(', ')})`,
        `  notification recorded → received on a stream: ${fmtMs(receipt)}`,
        `  deadline → escalation recorded: ${fmtMs(escalationDelay)}`,
        `  deadline → received on a stream: ${fmtMs(endToEnd)}`,
        `  worker CPU during the burst ${Math.round(after.cpuMs - before.cpuMs) / 1000} s; machine CPU busy ${busy}%`,
        relay.length
          ? `  delivery relay: ${relay.map((r) => `${r.n} ${r.status}`).join(', ')}, ${attempts} attempts (sent by the relay, not by the escalation activity); record → sent: ${fmtMs(sentDelay)}`
          : '  delivery relay: no outbox rows for these escalations (no channel chosen, or no relay)',
        `  goal p99 (record → stream) < ${GOAL_P99_MS} ms: ${met ? 'met' : 'MISSED'}`,
        `results: ${file}`,
        '',
      ].join('\n'),
    );
  } finally {
    consoles.forEach((c) => c.stream.close());
    await stack.close();
  }
});
