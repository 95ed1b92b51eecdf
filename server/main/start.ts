/**
 * `npm start`: everything in one process tree for a single shop or a developer — the Temporal
 * dev server (unless TEMPORAL_ADDRESS is set), migrations, the worker and the HTTP server.
 */
import { createCourierDirectory } from '../../activities/shipping/couriers/directory';
import { simulatedCourierEnv } from '../../activities/shipping/couriers/requirements';
import { activeShop } from '../../db/active-shop';
import type { CompiledCourier } from '../../definitions/types';
import { startWorkerDeliveryRelay } from '../../activities/notifications/delivery';
import { withLocalVapidKeys } from '../../activities/notifications/channels/vapid';
import { createCourierSimulator } from '../../scripts/courier-sim';
import { startLocalChannelSimulator } from '../../scripts/channel-sim/local';
import { startLocalCustomerSimulator } from '../../scripts/customer-sim/local';
import { facebookUnset, startLocalFacebookSimulator } from '../../scripts/facebook-sim/local';
import { courierSimulatorConfig } from '../../scripts/courier-sim/config';
import type { Config } from '../platform/config';
import { createLogger, type Logger } from '../platform/logger';
import { bootstrapTokenNotice, configOrExit, onShutdownSignal, startRuntime } from '../platform/runtime';
import { ensureOrderSearchAttributes } from '../platform/search-attributes';
import { listen } from '../http/listen';
import { connectWorker } from '../platform/temporal';
import { createShopflowWorker } from '../platform/worker';

async function main(): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  const runtime = await startRuntime('all', config, log);
  // Orders start with search attributes (stage, result, channel…): they must exist in the namespace first.
  await ensureOrderSearchAttributes(runtime.temporal, config.temporal.namespace, log);
  const simulator =
    config.couriers === 'simulator'
      ? await startLocalCourierSimulator(config, log, (await activeShop(runtime.database.db))?.couriers ?? {})
      : undefined;
  // Staff channels: the simulator stands in for unset providers; VAPID keys are made once under DATA_DIR.
  const channelSim = config.delivery.channels === 'simulator' ? await startLocalChannelSimulator(config.delivery, log) : undefined;
  config.delivery = withLocalVapidKeys(channelSim?.delivery ?? config.delivery, {
    dataDir: config.dataDir,
    production: config.env === 'production',
    log,
  });
  // Customer messages: the customer simulator stands in for Zalo ZNS and eSMS when they are not set up.
  const customerSim = channelSim ? await startLocalCustomerSimulator(config.delivery, config.port, log) : undefined;
  if (customerSim) config.delivery = customerSim.delivery;
  // Leads from Facebook: the simulator stands in for a Page and app that are not set up.
  const facebookSim =
    config.delivery.channels === 'simulator' && facebookUnset(config.inbound)
      ? await startLocalFacebookSimulator(config.inbound, config.port, log)
      : undefined;
  if (facebookSim) config.inbound = facebookSim.inbound;
  log.info('bundling workflows and starting the worker…');
  const connection = await connectWorker(config.temporal, runtime.temporalAddress, log);
  // One courier directory: the worker's courier stage and the webhook route speak to the same adapters.
  const couriers = createCourierDirectory(runtime.database.db);
  const worker = await createShopflowWorker({
    connection,
    temporal: config.temporal,
    config,
    deps: { db: runtime.database.db, log, couriers },
  });
  const workerDone = worker.run();
  // Notifications go out on staff channels from the outbox, beside the worker, never in workflow code.
  const relay = startWorkerDeliveryRelay({ database: runtime.database, log, delivery: config.delivery });
  const server = await listen(runtime, log, couriers);
  // As Meta does when a webhook is set up: the subscription handshake, once the server listens.
  if (facebookSim)
    await facebookSim.simulator.verify().then(
      (v) => log.info({ status: v.status }, 'Facebook simulator subscribed to /webhooks/facebook'),
      (err) => log.warn({ err }, 'Facebook simulator could not subscribe'),
    );

  const lines = [
    'shopflow is up',
    `  API        http://${displayHost(config.host)}:${config.port}   (health: /healthz)`,
    `  Temporal   ${runtime.temporalAddress}, namespace ${config.temporal.namespace}${runtime.devServer ? ` (local dev server, ${config.dataDir}/temporal.db)` : ''}`,
    ...(runtime.devServer?.uiUrl ? [`  Web UI     ${runtime.devServer.uiUrl}`] : []),
    `  Database   ${runtime.database.driver === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'} at ${runtime.database.location}`,
    `  Worker     task queue "${config.temporal.taskQueue}"`,
    `  Couriers   ${simulator ? `simulator at ${simulator.url} (GHN and GHTK point at it; COURIERS=live for real accounts)` : 'live courier APIs'}`,
    `  Channels   ${channelSim ? `simulator at ${channelSim.simulator.url} (Telegram, Zalo OA; received: /__sim/messages)${channelSim.simulator.smtpUrl ? `, e-mail to the SMTP sink ${channelSim.simulator.smtpUrl}` : ''}` : 'live providers'}`,
    ...(customerSim
      ? [`  Customers  simulator at ${customerSim.simulator.url} (Zalo ZNS, eSMS; received: /__sim/messages, replies: POST /__sim/replies)`]
      : []),
    ...(facebookSim
      ? [
          `  Facebook   simulator at ${facebookSim.simulator.url} (Messenger and lead ads: POST /__sim/messages, /__sim/leadgen; Graph API leads)`,
        ]
      : []),
    ...bootstrapTokenNotice(runtime.bootstrapTokenFile),
    'Press Ctrl-C to stop.',
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);

  const stop = async () => {
    await server.close();
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerDone.catch(() => undefined);
    await relay.stop();
    await connection.close();
    await simulator?.close();
    await channelSim?.simulator.close();
    await customerSim?.simulator.close();
    await facebookSim?.simulator.close();
    await runtime.close();
    log.info('stopped');
  };
  onShutdownSignal(log, stop);
  // A worker that dies on its own (e.g. lost its connection for good) takes the process down
  // rather than leaving an API that accepts orders nobody processes.
  workerDone.catch(async (err) => {
    log.fatal({ err }, 'the worker stopped unexpectedly');
    await stop().catch(() => undefined);
    process.exit(1);
  });
}

/**
 * Local mode ships through the simulator: it speaks GHN's and GHTK's API shapes and plays
 * delivery scenarios back as real-format webhooks to this server. Every enabled courier of the
 * shop gets the settings it needs against it (activities/shipping/couriers/requirements.ts). Courier settings already in
 * the environment win, so one real courier can be tried while the other stays simulated.
 */
async function startLocalCourierSimulator(config: Config, log: Logger, couriers: Record<string, CompiledCourier>) {
  const simConfig = courierSimulatorConfig({
    ...process.env,
    COURIER_SIM_PORT: String(config.courierSimPort),
    COURIER_SIM_WEBHOOK_URL: process.env.COURIER_SIM_WEBHOOK_URL ?? `http://127.0.0.1:${config.port}/webhooks/couriers`,
  });
  const simulator = await createCourierSimulator({ ...simConfig, log: log.child({ component: 'courier-sim' }) });
  const defaults: Record<string, string> = {
    GHN_BASE_URL: `${simulator.url}/shiip/public-api`,
    GHN_TOKEN: 'simulator',
    GHN_SHOP_ID: '1',
    GHN_WEBHOOK_SECRET: simConfig.secret,
    GHTK_BASE_URL: simulator.url,
    GHTK_TOKEN: 'simulator',
    GHTK_WEBHOOK_SECRET: simConfig.secret,
    COURIER_SIMULATOR_URL: simulator.url,
  };
  // Every enabled courier of the shop (any id, GHTK's pick-up address included), so every courier rule ships.
  Object.assign(defaults, simulatedCourierEnv(couriers, { url: simulator.url, secret: simConfig.secret }));
  for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;
  return simulator;
}

function displayHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? 'localhost' : host;
}

main().catch((err) => {
  process.stderr.write(`shopflow failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
