/** How long the relay waits before trying a failed message again. Pure, so the maths is unit-tested. */

/** The relay's retry policy. */
export interface RetryPolicy {
  /** Attempts of one message before it is given up (the first one included). */
  maxAttempts: number;
  /** Wait after the first failure; doubled after each further one… */
  baseMs: number;
  /** …up to this. */
  maxMs: number;
}

/**
 * Exponential backoff with jitter after failed attempt number `attempt` (1 = the first): the cap
 * is base × 2^(attempt−1), at most `maxMs`, and the wait is drawn between half the cap and the cap
 * ("equal jitter"), so relays retrying after one provider outage do not all come back at once.
 * A provider's own wait (Telegram's `retry_after`, a `Retry-After` header) is honoured when longer.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, providerWaitMs = 0, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(cap / 2 + random() * (cap / 2));
  return Math.max(jittered, providerWaitMs);
}

/** Whether a failed message is tried again: the provider said it may help, and attempts are left. */
export function shouldRetry(attempt: number, retryable: boolean, policy: RetryPolicy): boolean {
  return retryable && attempt < policy.maxAttempts;
}
