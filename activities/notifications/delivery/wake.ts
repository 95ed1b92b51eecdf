/**
 * Wake-ups for the relay: a dedicated PostgreSQL connection LISTENs on the channel the enqueue
 * notifies (db/notifications/deliveries.ts), reconnecting after a lost connection. Polling goes
 * on meanwhile, so a missed wake-up only delays a message by one poll.
 */
import { Client } from 'pg';
import type { Logger } from 'pino';
import { DELIVERIES_WAKE_CHANNEL } from '../../../db/notifications/deliveries';

export interface WakeUpListener {
  close(): Promise<void>;
}

export function listenForWakeUps(url: string, onWake: () => void, log: Logger): WakeUpListener {
  let closed = false;
  let client: Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    if (closed) return;
    const c = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    c.on('notification', () => onWake());
    c.on('error', () => undefined);
    c.on('end', () => {
      if (client === c) client = undefined;
      if (!closed) retry = setTimeout(() => void connect(), 2_000);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${DELIVERIES_WAKE_CHANNEL}`);
      client = c;
      onWake(); // rows may have come due while not listening
    } catch (err) {
      log.debug({ err }, 'delivery relay: cannot LISTEN yet; polling meanwhile');
      await c.end().catch(() => undefined);
    }
  };
  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
