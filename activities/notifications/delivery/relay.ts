/**
 * The delivery relay: runs beside the worker in each worker process (never in workflow code, so a
 * slow provider never slows a workflow). It claims due outbox rows, sends each through its
 * channel, records every attempt, retries retryable failures with backoff and jitter up to the
 * attempt limit, and gives up otherwise. Held low-priority rows of one person and channel go out
 * as ONE digest message. Woken by the enqueue's pg_notify (the process's LISTEN connection, or
 * PGlite's in-process one) and by a poll, for retries and held rows that come due on their own.
 */
import type { Logger } from 'pino';
import type { Db } from '../../../db/client';
import type { ChannelSender, OutgoingMessage, SendResult } from '../channels/types';
import { retryDelayMs, shouldRetry, type RetryPolicy } from './backoff';
import { claimDigest, claimDue, dueDigestGroups, recordAttempt, recoverExpiredLeases, type DeliveryRow } from './rows';
import { digestMessage } from './digest';
import { DELIVERIES_WAKE_CHANNEL } from '../../../db/notifications/deliveries';
import { postgresListener, type Listener } from '../../../db/notifications/listener';

/** How a relay works: its retry policy, its lease, how much it takes at once and how often it looks. */
export interface RelaySettings extends RetryPolicy {
  /** A row left `sending` this long is taken as abandoned and sent again. */
  leaseMs: number;
  /** Rows claimed (and sent in parallel) per round. Default 20. */
  batchSize?: number;
  /** Look for due rows at least this often (retries and held rows come due without a wake-up). Default 1 s. */
  pollMs?: number;
  /** Longest one send may take before it counts as a retryable failure. Default 30 s. */
  sendTimeoutMs?: number;
}

export interface DeliveryRelayOptions {
  db: Db;
  log: Logger;
  channels: Map<string, ChannelSender>;
  settings: RelaySettings;
  /** The process's LISTEN connection (Database.listener): the enqueue's pg_notify wakes the relay at once. Unset: polling only. */
  listener?: Listener;
  /** Or a PostgreSQL URL, for a relay of its own (tests): it opens and closes its own LISTEN connection. */
  listenUrl?: string;
}

export interface DeliveryRelay {
  /** One round now: recover abandoned rows, send the due ones and the due digests. Returns the rows handled. */
  runOnce(): Promise<number>;
  /** Look again now (a wake-up). */
  wake(): void;
  /** Stops looking and waits for the sends under way to be recorded. */
  stop(): Promise<void>;
}

const withTimeout = (promise: Promise<SendResult>, ms: number): Promise<SendResult> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, retryable: true, answer: `no answer within ${ms} ms` }), ms);
    promise.then(
      (r) => (clearTimeout(timer), resolve(r)),
      (err: unknown) => (
        clearTimeout(timer),
        resolve({ ok: false, retryable: true, answer: `channel error: ${(err as Error)?.message ?? String(err)}` })
      ),
    );
  });

/** Starts a relay; it runs until `stop()`. */
export function startDeliveryRelay(opts: DeliveryRelayOptions): DeliveryRelay {
  const { db, channels, settings } = opts;
  const log = opts.log.child({ component: 'delivery-relay' });
  const batchSize = settings.batchSize ?? 20;
  const pollMs = settings.pollMs ?? 1000;
  const sendTimeoutMs = settings.sendTimeoutMs ?? 30_000;
  let stopped = false;
  let wakeUp: (() => void) | undefined;
  let pendingWake = false;

  /** Sends one message (or one digest) and records the outcome on its rows. */
  const deliver = async (rows: DeliveryRow[], message: OutgoingMessage): Promise<void> => {
    const sender = channels.get(message.channel);
    const result: SendResult = sender
      ? await withTimeout(sender.send(message), sendTimeoutMs)
      : { ok: false, retryable: false, answer: `no channel "${message.channel}" in this worker` };
    if (result.ok) {
      await recordAttempt(db, rows, {
        outcome: 'sent',
        providerMessageId: result.providerMessageId,
        providerStatus: result.providerStatus,
        answer: result.answer,
      });
      return;
    }
    if (shouldRetry(message.attempt, result.retryable, settings)) {
      const retryAt = new Date(Date.now() + retryDelayMs(message.attempt, settings, result.retryAfterMs));
      log.warn(
        { deliveries: rows.map((r) => r.id), channel: message.channel, attempt: message.attempt, answer: result.answer, retryAt },
        'delivery failed; will retry',
      );
      await recordAttempt(db, rows, { outcome: 'failed', retryAt, providerStatus: result.providerStatus, answer: result.answer });
    } else {
      log.warn(
        { deliveries: rows.map((r) => r.id), channel: message.channel, attempt: message.attempt, answer: result.answer },
        'delivery given up',
      );
      await recordAttempt(db, rows, { outcome: 'given_up', providerStatus: result.providerStatus, answer: result.answer });
    }
  };

  const messageOf = (row: DeliveryRow): OutgoingMessage => ({
    id: row.id,
    audience: row.audience === 'customer' ? 'customer' : 'staff',
    channel: row.channel,
    address: row.address,
    template: row.template,
    payload: row.payload,
    priority: row.priority,
    attempt: row.attempts,
  });

  // Rows left `sending` are rare (a worker died) and not in the due index: look for them a few times per lease, not every round.
  const recoverEveryMs = Math.max(5_000, settings.leaseMs / 4);
  let recoveredAt = 0;

  const runOnce = async (): Promise<number> => {
    let handled = 0;
    if (Date.now() - recoveredAt >= recoverEveryMs) {
      recoveredAt = Date.now();
      handled += await recoverExpiredLeases(db, settings.maxAttempts);
    }
    const due = await claimDue(db, batchSize, settings.leaseMs);
    await Promise.all(
      due.map((row) =>
        deliver([row], messageOf(row)).catch((err) => log.error({ err, delivery: row.id }, 'could not record a delivery attempt')),
      ),
    );
    handled += due.length;
    for (const group of await dueDigestGroups(db, batchSize)) {
      const rows = await claimDigest(db, group, settings.leaseMs);
      if (!rows.length) continue;
      await deliver(rows, digestMessage(rows)).catch((err) =>
        log.error({ err, deliveries: rows.map((r) => r.id) }, 'could not record a digest attempt'),
      );
      handled += rows.length;
    }
    return handled;
  };

  const sleep = () =>
    new Promise<void>((resolve) => {
      if (pendingWake || stopped) return resolve();
      const timer = setTimeout(() => ((wakeUp = undefined), resolve()), pollMs);
      wakeUp = () => (clearTimeout(timer), (wakeUp = undefined), resolve());
    });
  const wake = () => {
    pendingWake = true;
    wakeUp?.();
  };

  // A lost connection may have missed wake-ups: look again when it is back.
  const ownListener = !opts.listener && opts.listenUrl ? postgresListener(opts.listenUrl) : undefined;
  const unlisten = (opts.listener ?? ownListener)
    ?.listen(DELIVERIES_WAKE_CHANNEL, { onPayload: wake, onReconnect: wake })
    .catch((err: unknown) => {
      log.warn({ err }, 'delivery relay: cannot LISTEN; polling only');
      return undefined;
    });

  const loop = (async () => {
    while (!stopped) {
      pendingWake = false;
      let handled = 0;
      try {
        handled = await runOnce();
      } catch (err) {
        log.warn({ err }, 'delivery round failed; trying again shortly');
      }
      if (handled < batchSize) await sleep();
    }
  })();

  return {
    runOnce,
    wake,
    async stop() {
      stopped = true;
      wakeUp?.();
      await (await unlisten)?.().catch(() => undefined);
      await ownListener?.close();
      await loop;
    },
  };
}
