/** `npm run api`: the HTTP API alone, for M replicas behind a load balancer (needs DATABASE_URL). */
import { createLogger } from '../platform/logger';
import { listen } from '../http/listen';
import { bootstrapTokenNotice, configOrExit, onShutdownSignal, startRuntime } from '../platform/runtime';

async function main(): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  const runtime = await startRuntime('api', config, log);
  const server = await listen(runtime, log);
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
