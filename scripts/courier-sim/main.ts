/**
 * `npm run courier-sim`: the local GHN/GHTK simulator on its own (`npm start` runs it too).
 * Settings: COURIER_SIM_PORT, COURIER_SIM_HOST, COURIER_SIM_WEBHOOK_URL, COURIER_SIM_TIME_SCALE,
 * COURIER_SIM_SECRET, COURIER_SIM_SCENARIO, LOG_LEVEL (see scripts/courier-sim/config.ts).
 */
import { courierSimulatorConfig } from './config';
import { createCourierSimulator } from '.';
import { createLogger } from '../../server/platform/logger';
import { onShutdownSignal } from '../../server/platform/runtime';

async function main(): Promise<void> {
  const config = courierSimulatorConfig();
  const log = createLogger().child({ component: 'courier-sim' });
  const simulator = await createCourierSimulator({ ...config, log });
  process.stdout.write(
    `courier simulator on ${simulator.url}\n` +
      `  GHN base URL:  ${simulator.url}/shiip/public-api   GHTK and Viettel Post base URL: ${simulator.url}\n` +
      `  webhooks to ${config.webhookUrl}/<courier>, ${config.timeScale} s per simulated day, default scenario "${config.defaultScenario}"\n` +
      `  scenario per order: put [sim:normal|late|fail-then-deliver|return|lost|manual] in the order note\n`,
  );
  onShutdownSignal(log, () => simulator.close());
}

main().catch((err) => {
  process.stderr.write(`courier simulator failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
