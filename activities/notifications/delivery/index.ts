/**
 * The delivery relay as an entry point starts it in a worker process: the channels built from the
 * configuration, the retry policy from it, LISTEN on PostgreSQL.
 */
import type { Logger } from 'pino';
import type { Db } from '../../../db/client';
import type { DeliveryConfig } from '../../../server/platform/config';
import { createChannels } from '../channels';
import { startDeliveryRelay, type DeliveryRelay } from './relay';

export { startDeliveryRelay, type DeliveryRelay, type RelaySettings } from './relay';
export { retryDelayMs, shouldRetry, type RetryPolicy } from './backoff';

/** Starts this worker process's relay; `stop()` it on shutdown (after the worker has drained). */
export function startWorkerDeliveryRelay(deps: { db: Db; log: Logger; delivery: DeliveryConfig; databaseUrl?: string }): DeliveryRelay {
  const { delivery } = deps;
  return startDeliveryRelay({
    db: deps.db,
    log: deps.log,
    channels: createChannels({ db: deps.db, log: deps.log, settings: delivery }),
    settings: {
      maxAttempts: delivery.maxAttempts,
      baseMs: delivery.retryBaseMs,
      maxMs: delivery.retryMaxMs,
      leaseMs: delivery.leaseMs,
      // PostgreSQL wakes the relay on LISTEN; PGlite (one process) polls often instead.
      pollMs: deps.databaseUrl ? 2_000 : 500,
    },
    listenUrl: deps.databaseUrl,
  });
}
