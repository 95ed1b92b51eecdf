/** `npm run worker`: one worker of the `shopflow` task queue; run N of them (needs DATABASE_URL). */
import os from 'node:os';
import { createCourierDirectory } from '../../activities/shipping/couriers/directory';
import { startWorkerDeliveryRelay } from '../../activities/notifications/delivery';
import { withLocalVapidKeys } from '../../activities/notifications/channels/vapid';
import { createLogger } from '../platform/logger';
import { configOrExit, onShutdownSignal, startRuntime } from '../platform/runtime';
import { ensureOrderSearchAttributes } from '../platform/search-attributes';
import { connectWorker } from '../platform/temporal';
import { createShopflowWorker } from '../platform/worker';

async function main(): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  const runtime = await startRuntime('worker', config, log);
  // Orders start with search attributes (stage, result, channel…): they must exist in the namespace first.
  await ensureOrderSearchAttributes(runtime.temporal, config.temporal.namespace, log);
  const connection = await connectWorker(config.temporal, runtime.temporalAddress, log);
  const worker = await createShopflowWorker({
    connection,
    temporal: config.temporal,
    config,
    deps: { db: runtime.database.db, log, couriers: createCourierDirectory(runtime.database.db) },
    workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
    identity: `shopflow-worker@${os.hostname()}:${process.pid}`,
  });
  log.info({ taskQueue: config.temporal.taskQueue, address: runtime.temporalAddress }, 'worker running');
  const running = worker.run();
  // Notifications go out on staff channels from the outbox, beside the worker (DELIVERY_RELAY=worker)
  // or in `npm run relay` processes of their own (DELIVERY_RELAY=own), never in workflow code.
  const relay =
    config.delivery.relay === 'worker'
      ? startWorkerDeliveryRelay({
          database: runtime.database,
          log,
          delivery: withLocalVapidKeys(config.delivery, { dataDir: config.dataDir, production: config.env === 'production', log }),
        })
      : undefined;
  const closeAll = async () => {
    await relay?.stop();
    await connection.close();
    await runtime.close();
  };
  onShutdownSignal(log, async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown(); // stops polling, lets in-flight activities finish within the grace time
    await running.catch(() => undefined);
    await closeAll();
  });
  try {
    await running;
  } catch (err) {
    log.fatal({ err }, 'the worker stopped unexpectedly');
    await closeAll();
    process.exit(1);
  }
}

main().catch((err) => {
  process.stderr.write(`shopflow worker failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
