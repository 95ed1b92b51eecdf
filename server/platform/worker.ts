import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities';
import type { TemporalConfig } from './config';

export interface WorkerOptions {
  connection: NativeConnection;
  temporal: TemporalConfig;
  deps: ActivityDeps;
  /** A pre-built workflow bundle (tests, production images); otherwise workflows/ is bundled at start. */
  workflowBundlePath?: string;
  /** Distinguishes workers in the Web UI and in logs. */
  identity?: string;
}

/** The worker of the `shopflow` task queue: every workflow and activity of the product. */
export async function createShopflowWorker(opts: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.temporal.namespace,
    taskQueue: opts.temporal.taskQueue,
    activities: createActivities(opts.deps),
    ...(opts.workflowBundlePath
      ? { workflowBundle: { codePath: opts.workflowBundlePath } }
      : { workflowsPath: require.resolve('../../workflows') }),
    ...(opts.identity ? { identity: opts.identity } : {}),
    ...(opts.temporal.maxCachedWorkflows ? { maxCachedWorkflows: opts.temporal.maxCachedWorkflows } : {}),
    // In-flight activities get this long to finish on SIGTERM before they are cancelled.
    shutdownGraceTime: '10 seconds',
  });
}
