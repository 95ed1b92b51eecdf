/**
 * The one way adapters talk to a courier over HTTP, and the one place a failure is classified:
 * timeouts, network errors and 5xx are retryable (Temporal retries the activity); everything else
 * is the courier's answer for the adapter to read. No retry loop here.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { CourierError } from './types';

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface CourierCall {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** Sent as JSON when present. */
  json?: unknown;
  timeoutMs: number;
}

/** A courier's answer that is not a transient failure: 2xx-4xx with its parsed JSON body. */
export interface CourierAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Calls a courier. Throws a retryable {@link CourierError} for timeouts, network errors, 5xx,
 * 408 and 429 (a rate limit passes; Temporal's backoff is the right answer to it). Other answers
 * are returned for the adapter to judge; a body that is not JSON is a non-retryable error.
 */
export async function callCourier(courier: string, call: CourierCall): Promise<CourierAnswer> {
  if (!URL.canParse(call.url))
    throw new CourierError(
      courier,
      `the courier URL "${call.url}" is not a URL (check the base URL in shop.yaml and its env override)`,
      false,
    );
  const what = `${call.method} ${new URL(call.url).pathname}`;
  let response: Response;
  try {
    response = await fetch(call.url, {
      method: call.method,
      headers: { Accept: 'application/json', ...(call.json !== undefined ? { 'Content-Type': 'application/json' } : {}), ...call.headers },
      body: call.json !== undefined ? JSON.stringify(call.json) : undefined,
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      throw new CourierError(courier, `${what} timed out after ${call.timeoutMs} ms`, true);
    }
    throw new CourierError(courier, `${what} failed: ${e.cause?.code ?? e.cause?.message ?? e.message}`, true);
  }
  let raw: string;
  try {
    raw = await response.text();
  } catch (err) {
    // The body was cut off (timeout or connection reset mid-answer): transient.
    const e = err as Error;
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
    throw new CourierError(
      courier,
      `${what} ${timedOut ? `timed out after ${call.timeoutMs} ms` : `failed reading the answer: ${e.message}`}`,
      true,
      response.status,
    );
  }
  const body = parseObject(raw);
  const status = response.status;
  if (status >= 500 || status === 408 || status === 429) {
    throw new CourierError(courier, `${what} answered ${status}${messageOf(body) ? `: ${messageOf(body)}` : ''}`, true, status);
  }
  if (!body) {
    throw new CourierError(courier, `${what} answered ${status} with a body that is not JSON: ${raw.slice(0, 200)}`, false, status);
  }
  return { status, body };
}

/** The courier's own words for an error (`message`, GHN's `code_message_value`), if any. */
export function messageOf(body: Record<string, unknown> | undefined): string {
  if (!body) return '';
  const message = body.message ?? body.code_message_value ?? body.code_message;
  return typeof message === 'string' ? message : '';
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Compares a webhook's secret with the configured one in constant time (hashing first, so
 * neither the content nor the length leaks through timing).
 */
export function secretMatches(given: unknown, expected: string): boolean {
  const value = Array.isArray(given) ? given[0] : given;
  if (typeof value !== 'string' || value.length === 0 || expected.length === 0) return false;
  const a = createHash('sha256').update(value).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** A header's value, whatever its case (Node lower-cases incoming names; callers may not). */
export function headerOf(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** A field as text: numbers become strings, anything else (missing, objects) becomes ''. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

/** A field as a number, or undefined when absent or not numeric ("30400" → 30400). */
export function asAmount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** An instant as ISO 8601 UTC, or undefined when it does not parse. */
export function isoInstant(value: string): string | undefined {
  if (!value) return undefined;
  return instantOf(Date.parse(value));
}

/**
 * A parsed time as ISO 8601 UTC, or undefined when it is not a time a courier could mean: JS
 * parses years far beyond what PostgreSQL stores (year -200000, 0000, +099999), and such a time
 * would fail the insert of the whole event.
 */
export function instantOf(time: number): string | undefined {
  if (Number.isNaN(time) || time < Date.UTC(1970, 0, 1) || time >= Date.UTC(10000, 0, 1)) return undefined;
  return new Date(time).toISOString();
}

/**
 * The stable key of one courier event (courier + tracking code + raw status + time): the same
 * event heard by webhook and by polling gets the same key as long as the courier's time agrees.
 */
export function eventKeyOf(courier: string, trackingCode: string, rawStatus: string, at: string | undefined): string {
  return [courier, trackingCode, rawStatus, at ?? 'no-time'].join('|');
}

/** The object without its undefined fields (so JSON bodies and events carry only what is known). */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
