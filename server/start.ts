/**
 * `npm start`: everything in one process tree for a single shop or a developer — the Temporal
 * dev server (unless TEMPORAL_ADDRESS is set), migrations, the worker and the HTTP server.
 */
import { createCourierDirectory } from '../activities/couriers/directory';
import { createLogger } from './logger';
import { bootstrapTokenNotice, configOrExit, onShutdownSignal, startRuntime } from './runtime';
import { listen } from './listen';
import { connectWorker } from './temporal';
import { createShopflowWorker } from './worker';

async function main(): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  const runtime = await startRuntime('all', config, log);
  log.info('bundling workflows and starting the worker…');
  const connection = await connectWorker(config.temporal, runtime.temporalAddress, log);
  const worker = await createShopflowWorker({ connection, temporal: config.temporal, deps: { db: runtime.database.db, log, couriers: createCourierDirectory(runtime.database.db) } });
  const workerDone = worker.run();
  const server = await listen(runtime, log);

  const lines = [
    'shopflow is up',
    `  API        http://${displayHost(config.host)}:${config.port}   (health: /healthz)`,
    `  Temporal   ${runtime.temporalAddress}, namespace ${config.temporal.namespace}${runtime.devServer ? ` (local dev server, ${config.dataDir}/temporal.db)` : ''}`,
    ...(runtime.devServer?.uiUrl ? [`  Web UI     ${runtime.devServer.uiUrl}`] : []),
    `  Database   ${runtime.database.driver === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'} at ${runtime.database.location}`,
    `  Worker     task queue "${config.temporal.taskQueue}"`,
    ...bootstrapTokenNotice(runtime.bootstrapToken),
    'Press Ctrl-C to stop.',
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);

  const stop = async () => {
    await server.close();
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerDone.catch(() => undefined);
    await connection.close();
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

function displayHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? 'localhost' : host;
}

main().catch((err) => {
  process.stderr.write(`shopflow failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
