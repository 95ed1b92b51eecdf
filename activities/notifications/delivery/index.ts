/**
 * The delivery relay as an entry point starts it in a worker process: the channels built from the
 * configuration, the retry policy from it, woken through the process's LISTEN connection.
 */
import type { Logger } from 'pino';
import type { Database } from '../../../db/client';
import type { DeliveryConfig } from '../../../server/platform/config';
import { createChannels } from '../channels';
import { startDeliveryRelay, type DeliveryRelay } from './relay';

export { startDeliveryRelay, type DeliveryRelay, type RelaySettings } from './relay';
export { retryDelayMs, shouldRetry, type RetryPolicy } from './backoff';

/** Starts this worker process's relay; `stop()` it on shutdown (after the worker has drained). */
export function startWorkerDeliveryRelay(deps: { database: Database; log: Logger; delivery: DeliveryConfig }): DeliveryRelay {
  const { delivery, database } = deps;
  return startDeliveryRelay({
    db: database.db,
    log: deps.log,
    channels: createChannels({ db: database.db, log: deps.log, settings: delivery }),
    settings: {
      maxAttempts: delivery.maxAttempts,
      baseMs: delivery.retryBaseMs,
      maxMs: delivery.retryMaxMs,
      leaseMs: delivery.leaseMs,
      pollMs: 1_000,
    },
    listener: database.listener,
  });
}
