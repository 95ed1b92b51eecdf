/**
 * The seam between the delivery relay (which claims due rows of `message_deliveries`, records
 * every attempt and retries with backoff) and the channels it sends on. A channel knows one
 * provider's real request and response shapes; the relay knows nothing of providers.
 */
import type { Logger } from 'pino';
import type { Db } from '../../../db/client';
import type { DeliveryConfig } from '../../../server/platform/config';

/** One outbox row to send, as the relay hands it to a channel. */
export interface OutgoingMessage {
  /** The `message_deliveries` id (stable across retries: channels may pass it as the provider's idempotency or tracking id). */
  id: number;
  audience: 'staff' | 'customer';
  /** `email`, `push`, `telegram`, `zalo` (staff); `zns`, `sms` (customers). */
  channel: string;
  /** The address on that channel: an e-mail, a push subscription endpoint, a Telegram chat id, a Zalo user id, a phone. */
  address: string;
  /** For customer messages: the template declared in the order process. */
  template: string | null;
  /** What to send: title, text, absolute deep link, template parameters. */
  payload: Record<string, unknown>;
  priority: string;
  /** 1 for the first attempt. */
  attempt: number;
}

/** What the provider answered. A failure says whether trying again can help (a 5xx, a timeout) or not (a 4xx, a bad address). */
export type SendResult =
  | { ok: true; providerMessageId?: string; providerStatus?: string; answer?: string }
  | {
      ok: false;
      retryable: boolean;
      providerStatus?: string;
      answer: string;
      /** The provider asked to wait this long before the next try (Telegram's 429 `retry_after`). */
      retryAfterMs?: number;
    };

/** One delivery channel. */
export interface ChannelSender {
  channel: string;
  send(message: OutgoingMessage): Promise<SendResult>;
}

/** What a channel is built from: the database (push subscriptions), the log, the providers' settings. */
export interface ChannelDeps {
  db: Db;
  log: Logger;
  settings: DeliveryConfig;
}
