/**
 * The baseline worker of `npm run bench:orders` and `npm run bench:escalation`, run as its own
 * process like `npm run worker`: the bare workflows of `baseline-workflow.ts` (pre-bundled,
 * BENCH_BASELINE_BUNDLE) with a trivial activity and one that writes one row
 * (`bench_baseline_rows` in DATABASE_URL, pool of 10 connections like shopflow's worker), on
 * TEMPORAL_ADDRESS / TEMPORAL_TASK_QUEUE, default worker options except
 * WORKER_MAX_CACHED_WORKFLOWS (the same setting shopflow's worker reads).
 */
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Pool } from 'pg';

let pool: Pool | undefined;

const activities = {
  /** Does nothing but return, so the baseline measures Temporal alone. */
  async step(name: string, orderId: string): Promise<string> {
    return `${name}:${orderId}`;
  },
  /** One row per workflow: its id, the instant its timer was due, and now (the bench reads at − due_at). */
  async recordRow(id: string, dueAt: number): Promise<void> {
    pool ??= new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
    await pool.query(
      'insert into bench_baseline_rows (id, due_at, at) values ($1, to_timestamp($2 / 1000.0), now()) on conflict do nothing',
      [id, dueAt],
    );
  },
};
export type BaselineActivities = typeof activities;

async function main(): Promise<void> {
  const bundle = process.env.BENCH_BASELINE_BUNDLE;
  if (!bundle || !process.env.TEMPORAL_ADDRESS || !process.env.TEMPORAL_TASK_QUEUE)
    throw new Error('BENCH_BASELINE_BUNDLE, TEMPORAL_ADDRESS and TEMPORAL_TASK_QUEUE are required');
  Runtime.install({ shutdownSignals: [] });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: process.env.TEMPORAL_TASK_QUEUE,
    activities,
    workflowBundle: { codePath: bundle },
    ...(Number(process.env.WORKER_MAX_CACHED_WORKFLOWS) > 0 ? { maxCachedWorkflows: Number(process.env.WORKER_MAX_CACHED_WORKFLOWS) } : {}),
  });
  const running = worker.run();
  process.once('SIGTERM', () => worker.shutdown());
  await running;
  await connection.close();
  await pool?.end();
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`baseline worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
