/**
 * Starts the workflow of every stored channel delivery (`inbound:<dedupe key>`). A webhook stores
 * its deliveries and answers at once; this relay then asks Temporal to start each one's workflow
 * — accepted by Temporal even while no worker runs, and refused as a duplicate when it was started
 * before, which counts as started. While Temporal itself is unreachable the rows stay in the
 * table and are tried again with backoff, so nothing a channel delivered is lost between the
 * answer and the workflow. Every API process runs one; they share the rows through leases.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import { leaseUnstarted, markStartFailed, markStarted, type UnstartedEvent } from '../../db/inbound/events';
import type { InboundLeadInput } from '../../workflows/leads/inbound-lead';

export interface InboundRelay {
  /** Something was stored: start it now rather than at the next poll. */
  kick(): void;
  stop(): Promise<void>;
}

export interface InboundRelayOptions {
  db: Db;
  temporal: Client;
  taskQueue: string;
  log: Logger;
  /** How often rows left behind (Temporal was away, a relay died) are looked for. */
  pollMs?: number;
  /** Rows taken per round, and how many starts are in flight at once. */
  batch?: number;
  concurrency?: number;
  /** One start may take this long before it counts as failed (an unreachable Temporal hangs, it does not refuse). */
  startTimeoutMs?: number;
}

export function createInboundRelay(opts: InboundRelayOptions): InboundRelay {
  const log = opts.log.child({ component: 'inbound-relay' });
  const pollMs = opts.pollMs ?? 2_000;
  const batch = opts.batch ?? 100;
  const concurrency = opts.concurrency ?? 16;
  const startTimeoutMs = opts.startTimeoutMs ?? 10_000;
  // A row is leased for longer than a round of starts takes, so no other relay starts it meanwhile.
  const leaseMs = startTimeoutMs * 3;
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;

  async function startOne(row: UnstartedEvent): Promise<boolean> {
    try {
      await opts.temporal.connection.withDeadline(Date.now() + startTimeoutMs, () =>
        opts.temporal.workflow.start('inboundLeadWorkflow', {
          workflowId: row.workflowId,
          taskQueue: opts.taskQueue,
          args: [{ eventId: row.id } satisfies InboundLeadInput],
          // The delivery's id is the workflow's: once run, never run again (a replayed start is refused).
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          staticSummary: `Tin nhắn/lead từ kênh bán hàng #${row.id}`,
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return true;
      const delay = Math.min(2 ** Math.min(row.startAttempts, 8) * 1000, 5 * 60_000);
      await markStartFailed(opts.db, row.id, err instanceof Error ? err.message : String(err), delay).catch(() => undefined);
      log.warn(
        { err, eventId: row.id, attempt: row.startAttempts, retryInMs: delay },
        'could not start an inbound delivery’s workflow; kept for a retry',
      );
      return false;
    }
  }

  async function round(): Promise<void> {
    for (;;) {
      const rows = await leaseUnstarted(opts.db, batch, leaseMs);
      if (!rows.length) return;
      const started: number[] = [];
      let next = 0;
      let failed = 0;
      await Promise.all(
        Array.from({ length: Math.min(concurrency, rows.length) }, async () => {
          while (next < rows.length) {
            const row = rows[next++]!;
            if (await startOne(row)) started.push(row.id);
            else failed++;
          }
        }),
      );
      await markStarted(opts.db, started);
      // Temporal refusing everything: wait for the next poll instead of spinning.
      if (failed === rows.length || rows.length < batch || stopped) return;
    }
  }

  function run(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = round()
      .catch((err) => log.warn({ err }, 'inbound relay round failed; retried at the next poll'))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  }

  const timer = setInterval(run, pollMs);
  timer.unref();
  run();
  return {
    kick: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
