/** The simulator's settings from the environment, validated; shared by `npm run courier-sim` and `npm start`. */
import { DEFAULT_SIMULATOR_SECRET } from '../../activities/shipping/couriers';
import { isScenario, SCENARIOS, type ScenarioName } from './scenarios';

export interface CourierSimulatorEnvConfig {
  port: number;
  host: string;
  webhookUrl: string;
  secret: string;
  timeScale: number;
  defaultScenario: ScenarioName;
}

/**
 * `COURIER_SIM_PORT` (4010), `COURIER_SIM_HOST` (127.0.0.1), `COURIER_SIM_WEBHOOK_URL`
 * (http://127.0.0.1:3000/webhooks/couriers), `COURIER_SIM_TIME_SCALE` (10 real seconds per
 * simulated day), `COURIER_SIM_SECRET` (the webhook secret it sends; a development default),
 * `COURIER_SIM_SCENARIO` (normal). Throws one error naming every bad variable.
 */
export function courierSimulatorConfig(env: Record<string, string | undefined> = process.env): CourierSimulatorEnvConfig {
  const problems: string[] = [];
  const str = (name: string) => env[name]?.trim() || undefined;

  const rawPort = str('COURIER_SIM_PORT');
  const port = rawPort === undefined ? 4010 : Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`COURIER_SIM_PORT="${rawPort}" is not a TCP port (0-65535)`);

  const webhookUrl = str('COURIER_SIM_WEBHOOK_URL') ?? 'http://127.0.0.1:3000/webhooks/couriers';
  if (!/^https?:\/\//.test(webhookUrl) || !URL.canParse(webhookUrl))
    problems.push(`COURIER_SIM_WEBHOOK_URL="${webhookUrl}" is not an http(s) URL`);

  const rawScale = str('COURIER_SIM_TIME_SCALE');
  const timeScale = rawScale === undefined ? 10 : Number(rawScale);
  if (!(Number.isFinite(timeScale) && timeScale > 0))
    problems.push(`COURIER_SIM_TIME_SCALE="${rawScale}" must be a positive number of real seconds per simulated day`);

  const scenario = str('COURIER_SIM_SCENARIO') ?? 'normal';
  if (!isScenario(scenario)) problems.push(`COURIER_SIM_SCENARIO="${scenario}" must be one of ${SCENARIOS.join(', ')}`);

  if (problems.length) throw new Error(`invalid courier simulator configuration:\n  - ${problems.join('\n  - ')}`);
  return {
    port,
    host: str('COURIER_SIM_HOST') ?? '127.0.0.1',
    webhookUrl,
    secret: str('COURIER_SIM_SECRET') ?? DEFAULT_SIMULATOR_SECRET,
    timeScale,
    defaultScenario: scenario as ScenarioName,
  };
}
