/**
 * `npm run relay`: the notification outbox relay alone (e-mail, Web Push, Telegram, Zalo OA and
 * the customers' ZNS/SMS), for a production shape where workers run with DELIVERY_RELAY=own so
 * sending never shares their CPU. Needs DATABASE_URL; run one or more (rows are taken with
 * SKIP LOCKED, so relays never send a row twice). It talks to the database only, not to Temporal.
 */
import { startWorkerDeliveryRelay } from '../../activities/notifications/delivery';
import { withLocalVapidKeys } from '../../activities/notifications/channels/vapid';
import { openDatabase } from '../../db/client';
import { createLogger } from '../platform/logger';
import { configOrExit, onShutdownSignal } from '../platform/runtime';

async function main(): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  if (!config.databaseUrl)
    throw new Error('`npm run relay` needs DATABASE_URL (PostgreSQL): `npm start` runs the relay in its own process on PGlite');
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 4 });
  log.info({ location: database.location }, 'applying database migrations…');
  await database.migrate();
  const delivery = withLocalVapidKeys(config.delivery, { dataDir: config.dataDir, production: config.env === 'production', log });
  const relay = startWorkerDeliveryRelay({ database, log, delivery });
  log.info('delivery relay running');
  onShutdownSignal(log, async () => {
    await relay.stop();
    await database.close();
  });
}

main().catch((err) => {
  process.stderr.write(`shopflow relay failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
