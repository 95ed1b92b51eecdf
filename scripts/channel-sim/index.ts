/**
 * The local channel simulator: one HTTP server speaking the Telegram Bot API (`/bot<token>/…`) and
 * the Zalo OA API (`/v3.0/oa/message/cs`) in their real shapes, checking the bot token and the
 * access token as the real ones do, plus an SMTP sink for e-mail. What arrives is kept in memory.
 * Test hooks under `/__sim` (not part of any provider's API):
 * - `GET /__sim/messages[?channel=telegram|zalo|email]`: what was received, oldest first;
 * - `DELETE /__sim/messages`: forget it;
 * - `POST /__sim/faults {channel, status, count, retryAfter?}`: the next `count` requests to that
 *   channel answer `status` (500, 429 with Telegram's `retry_after`…).
 */
import http from 'node:http';
import express from 'express';
import pino, { type Logger } from 'pino';
import { createMessageStore, type MessageStore } from './store';
import { telegramApiRouter } from './telegram-api';
import { zaloApiRouter } from './zalo-api';
import { startSmtpSink } from './smtp-sink';
import { listenSimulator, retryOnFreePort } from '../sim-http';

export type { ReceivedMessage, ArmedFault } from './store';

export interface ChannelSimulatorOptions {
  /** HTTP port (default 4020; 0 picks a free one). */
  port?: number;
  /** SMTP sink port (default 2525; 0 picks a free one); `false`: no SMTP sink. */
  smtpPort?: number | false;
  host?: string;
  /** A port in use: take a free one instead of failing (npm start beside another instance). */
  anyPortIfTaken?: boolean;
  /** The bot token the Telegram API accepts. */
  telegramBotToken: string;
  /** The access token the Zalo OA API accepts. */
  zaloAccessToken: string;
  log?: Logger;
}

export interface ChannelSimulator {
  /** HTTP root: TELEGRAM_API_URL and ZALO_OA_API_URL both point here. */
  url: string;
  /** `smtp://…` of the SMTP sink, when started. */
  smtpUrl?: string;
  store: MessageStore;
  close(): Promise<void>;
}

export async function createChannelSimulator(options: ChannelSimulatorOptions): Promise<ChannelSimulator> {
  const log = options.log ?? pino({ level: 'silent' });
  const store = createMessageStore();
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok', messages: store.all().length }));
  app.get('/__sim/messages', (req, res) => {
    const channel = typeof req.query.channel === 'string' ? req.query.channel : undefined;
    res.json({ messages: store.all().filter((m) => !channel || m.channel === channel) });
  });
  app.delete('/__sim/messages', (_req, res) => {
    store.clear();
    res.status(204).end();
  });
  app.post('/__sim/faults', express.json({ limit: '4kb' }), (req, res) => {
    const { channel, status, count, retryAfter } = (req.body ?? {}) as Record<string, unknown>;
    if (channel !== 'telegram' && channel !== 'zalo') return void res.status(400).json({ error: 'channel must be telegram or zalo' });
    if (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599)
      return void res.status(400).json({ error: 'status must be an HTTP error status (400-599)' });
    const n = count === undefined ? 1 : count;
    if (!Number.isInteger(n) || (n as number) < 0) return void res.status(400).json({ error: 'count must be an integer ≥ 0' });
    store.arm({
      channel,
      status: status as number,
      count: n as number,
      ...(Number.isInteger(retryAfter) ? { retryAfter: retryAfter as number } : {}),
    });
    res.json({ faults: store.faults() });
  });
  app.use(zaloApiRouter(store, options.zaloAccessToken));
  app.use(telegramApiRouter(store, options.telegramBotToken));
  app.use((req, res) => void res.status(404).json({ error: `the channel simulator has no ${req.method} ${req.path}` }));

  const server = http.createServer(app);
  const url = await listenSimulator(server, { ...options, port: options.port ?? 4020 }, log, 'channel simulator');
  const onMail = (to: string, subject: string) => log.info({ to, subject }, 'e-mail received by the SMTP sink');
  const smtp =
    options.smtpPort === false
      ? undefined
      : await retryOnFreePort(
          (port) => startSmtpSink(store, { port, host: options.host, onMail }),
          options.smtpPort ?? 2525,
          options.anyPortIfTaken,
          log,
          'channel simulator SMTP sink',
        ).catch(async (err) => {
          server.close();
          throw err;
        });
  log.info({ url, smtp: smtp?.url }, 'channel simulator listening');
  return {
    url,
    smtpUrl: smtp?.url,
    store,
    async close() {
      await smtp?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Simulator values for the providers the configuration leaves unset (npm start with CHANNELS=simulator). */
export const SIMULATED_TELEGRAM_TOKEN = '7000000001:sim-bot-token';
export const SIMULATED_ZALO_TOKEN = 'sim-zalo-oa-access-token';
