/**
 * PostgreSQL LISTEN on one dedicated connection per process, shared by every subscriber of the
 * process (the live streams of one API replica). NOTIFY is delivered at the notifying
 * transaction's commit to every listening connection of every process, so several API replicas
 * all hear every inbox row and task change. A connection lost (server restart, failover) is
 * opened again with backoff and LISTENs again; subscribers hear `onReconnect` then, because what
 * was notified meanwhile is gone and must be read from the tables.
 */

/** One subscriber of a channel. */
export interface ChannelSubscriber {
  onPayload(payload: string): void;
  /** The connection came back after a loss: notifications may have been missed. */
  onReconnect?(): void;
}

/** Subscribes to NOTIFY channels; the returned function unsubscribes. */
export interface Listener {
  listen(channel: string, subscriber: ChannelSubscriber): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

function checkChannel(channel: string): void {
  if (!CHANNEL.test(channel)) throw new Error(`"${channel}" is not a channel name shopflow uses (lower-case letters, digits, _)`);
}

/** The listener of a PostgreSQL server: its own connection (not one of the pool's), opened on first use. */
export function postgresListener(url: string): Listener {
  const subscribers = new Map<string, Set<ChannelSubscriber>>();
  type PgClient = import('pg').Client;
  let client: PgClient | undefined;
  let connecting: Promise<PgClient> | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  const deliver = (channel: string, payload: string) => {
    for (const s of subscribers.get(channel) ?? []) {
      try {
        s.onPayload(payload);
      } catch {
        /* a subscriber's bug must not stop the others */
      }
    }
  };

  const connect = (reconnecting: boolean): Promise<PgClient> => {
    connecting ??= (async () => {
      const { Client } = await import('pg');
      const c = new Client({ connectionString: url, connectionTimeoutMillis: 5_000, keepAlive: true });
      const lost = () => {
        if (client !== c) return;
        client = undefined;
        c.removeAllListeners('notification');
        c.end().catch(() => undefined);
        scheduleReconnect();
      };
      c.on('error', lost);
      c.on('end', lost);
      c.on('notification', (msg) => deliver(msg.channel, msg.payload ?? ''));
      try {
        await c.connect();
        for (const channel of subscribers.keys()) await c.query(`listen "${channel}"`);
      } catch (err) {
        c.end().catch(() => undefined);
        throw err;
      }
      if (closed) {
        await c.end().catch(() => undefined);
        throw new Error('the listener is closed');
      }
      client = c;
      failures = 0;
      if (reconnecting) for (const set of subscribers.values()) for (const s of set) s.onReconnect?.();
      return c;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    const delay = Math.min(30_000, 250 * 2 ** Math.min(failures++, 7));
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect(true).catch(() => scheduleReconnect());
    }, delay);
    retryTimer.unref();
  };

  return {
    async listen(channel, subscriber) {
      checkChannel(channel);
      if (closed) throw new Error('the listener is closed');
      let set = subscribers.get(channel);
      const first = !set;
      if (!set) subscribers.set(channel, (set = new Set()));
      set.add(subscriber);
      const c = client ?? (await connect(false).catch(() => undefined));
      if (!c) scheduleReconnect();
      else if (first && client === c) await c.query(`listen "${channel}"`);
      return async () => {
        set.delete(subscriber);
        if (set.size === 0 && subscribers.get(channel) === set) {
          subscribers.delete(channel);
          await client?.query(`unlisten "${channel}"`).catch(() => undefined);
        }
      };
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      subscribers.clear();
      const c = client ?? (await connecting?.catch(() => undefined));
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}

/** The listener of the embedded PGlite: LISTEN/NOTIFY within the process, on PGlite's own client. */
export function pgliteListener(client: {
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}): Listener {
  const unsubscribes = new Set<() => Promise<void>>();
  return {
    async listen(channel, subscriber) {
      checkChannel(channel);
      const unlisten = await client.listen(channel, (payload) => subscriber.onPayload(payload));
      const off = async () => {
        if (unsubscribes.delete(off)) await unlisten().catch(() => undefined);
      };
      unsubscribes.add(off);
      return off;
    },
    async close() {
      for (const off of [...unsubscribes]) await off();
    },
  };
}
