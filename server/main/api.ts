/** `npm run api`: the HTTP API alone, for M replicas behind a load balancer (needs DATABASE_URL). */
import { createCourierDirectory } from '../../activities/shipping/couriers/directory';
import { withLocalVapidKeys } from '../../activities/notifications/channels/vapid';
import { createLogger } from '../platform/logger';
import { listen } from '../http/listen';
import { bootstrapTokenNotice, configOrExit, onShutdownSignal, startRuntime } from '../platform/runtime';
import { ensureOrderSearchAttributes } from '../platform/search-attributes';

async function main(): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  const runtime = await startRuntime('api', config, log);
  // Orders start with search attributes (stage, result, channel…): they must exist in the namespace first.
  await ensureOrderSearchAttributes(runtime.temporal, config.temporal.namespace, log);
  // Browsers subscribe to Web Push with the VAPID public key the workers sign with (the same pair; local ones under DATA_DIR).
  config.delivery = withLocalVapidKeys(config.delivery, { dataDir: config.dataDir, production: config.env === 'production', log });
  // Courier webhooks are verified and parsed by the couriers' adapters, built here from the active shop and the environment.
  const server = await listen(runtime, log, createCourierDirectory(runtime.database.db));
  const notice = bootstrapTokenNotice(runtime.bootstrapTokenFile);
  if (notice.length) process.stdout.write(`${notice.join('\n')}\n\n`);
  onShutdownSignal(log, async () => {
    await server.close();
    await runtime.close();
  });
}

main().catch((err) => {
  process.stderr.write(`shopflow api failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
