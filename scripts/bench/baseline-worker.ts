/**
 * The baseline worker of `npm run bench:orders`, run as its own process like `npm run worker`:
 * the bare workflow of `baseline-workflow.ts` (pre-bundled, BENCH_BASELINE_BUNDLE) with one
 * trivial activity, on TEMPORAL_ADDRESS / TEMPORAL_TASK_QUEUE, default worker options.
 */
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';

const activities = {
  /** Does nothing but return, so the baseline measures Temporal alone. */
  async step(name: string, orderId: string): Promise<string> {
    return `${name}:${orderId}`;
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
  });
  const running = worker.run();
  process.once('SIGTERM', () => worker.shutdown());
  await running;
  await connection.close();
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`baseline worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
