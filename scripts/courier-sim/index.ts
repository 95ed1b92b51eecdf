/**
 * The local courier simulator: speaks GHN's API v2 subset under `/shiip/public-api/v2/…`,
 * GHTK's under `/services/shipment/…` and Viettel Post's partner API under `/v2/…` in their real shapes, keeps shipments in memory, refuses a
 * second creation for the same order code exactly as the couriers do, then plays a scenario per
 * order by POSTing real-format webhooks (GHN JSON to `<webhookUrl>/<courier>`, GHTK form-encoded).
 * A fake only at the true outer edge: everything inside shopflow runs for real against it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino, { type Logger } from 'pino';
import type { SimContext } from './context';
import { ghnApiRouter } from './ghn-api';
import { ghtkApiRouter } from './ghtk-api';
import { createScenarioPlayer } from './player';
import type { ScenarioName } from './scenarios';
import { createShipmentStore } from './state';
import { testHooksRouter } from './test-hooks';
import { viettelPostApiRouter } from './viettelpost-api';
import { createWebhookSender } from './webhooks';

export { SCENARIOS, SCENARIO_STEPS, isScenario, scenarioOf, type ScenarioName, type ScenarioStep } from './scenarios';

export interface CourierSimulatorOptions {
  /** Default 4010; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where webhooks go: `<webhookUrl>/<courier id>` (default path `ghn` / `ghtk`). */
  webhookUrl: string;
  /** Sent with every webhook (GHN: `Token` header; GHTK: `hash` field). */
  secret: string;
  /** Real seconds per simulated day (default 10: the `normal` scenario takes 20 s). */
  timeScale?: number;
  /** Scenario for orders whose note has no `[sim:<name>]` tag (default `normal`). */
  defaultScenario?: ScenarioName;
  /** Tries per webhook while the receiver is down or refuses (default 5). */
  webhookAttempts?: number;
  /** Wait before the first webhook retry, doubled after each (default 500 ms). */
  webhookRetryDelayMs?: number;
  /** Delay before a new shipment's first webhook (default 500 ms), as real couriers take a moment. */
  startDelayMs?: number;
  log?: Logger;
}

export interface CourierSimulator {
  /** The root URL, e.g. `http://127.0.0.1:4010` (GHN base: `<url>/shiip/public-api`; GHTK and Viettel Post base: `<url>`). */
  url: string;
  /** Stops scenarios, webhook retries and the HTTP server. */
  close(): Promise<void>;
}

/** Starts the simulator and resolves once it listens. */
export async function createCourierSimulator(options: CourierSimulatorOptions): Promise<CourierSimulator> {
  const log = options.log ?? pino({ level: 'silent' });
  const dayMs = (options.timeScale ?? 10) * 1000;
  if (!(dayMs > 0)) throw new Error('courier simulator: timeScale must be a positive number of seconds per simulated day');
  const store = createShipmentStore();
  const sender = createWebhookSender({
    webhookUrl: options.webhookUrl,
    secret: options.secret,
    attempts: options.webhookAttempts ?? 5,
    retryDelayMs: options.webhookRetryDelayMs ?? 500,
    log,
  });
  const ctx: SimContext = {
    store,
    player: createScenarioPlayer({ sender, dayMs, startDelayMs: options.startDelayMs ?? 500 }),
    defaultScenario: options.defaultScenario ?? 'normal',
    dayMs,
    log,
    held: new Set(),
  };

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', shipments: store.all().length });
  });
  app.use('/shiip/public-api', ghnApiRouter(ctx));
  app.use('/services/shipment', ghtkApiRouter(ctx));
  app.use('/v2', viettelPostApiRouter(ctx));
  app.use('/__sim', testHooksRouter(ctx));
  app.use((req, res) => {
    res.status(404).json({ error: `the courier simulator has no ${req.method} ${req.path}` });
  });

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4010, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  log.info(
    { url, webhookUrl: options.webhookUrl, secondsPerDay: dayMs / 1000, defaultScenario: ctx.defaultScenario },
    'courier simulator listening',
  );

  let closed: Promise<void> | undefined;
  return {
    url,
    close() {
      closed ??= (async () => {
        for (const s of store.all()) ctx.player.stop(s);
        for (const timer of ctx.held) clearTimeout(timer);
        ctx.held.clear();
        sender.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closed;
    },
  };
}
