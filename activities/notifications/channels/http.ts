/** What the HTTP-speaking channels share: a timed JSON POST whose answer is kept as the provider's words. */

/** The provider's answer as recorded in `message_attempts` (long answers cut). */
export function truncatedAnswer(text: string, max = 2000): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** How long one provider call may take before it counts as a (retryable) failure. */
export const PROVIDER_TIMEOUT_MS = 15_000;

/** POSTs JSON and reads the answer's text; network failures and timeouts throw. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; json: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** A network failure or timeout: the provider may be back later. */
export function unreachable(err: unknown) {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return {
    ok: false as const,
    retryable: true,
    answer: truncatedAnswer(`unreachable: ${cause?.code ?? cause?.message ?? (err as Error).message ?? String(err)}`),
  };
}

/** The title, text and deep link of a staff message's payload. */
export function messageParts(payload: Record<string, unknown>): { title: string; text: string; link: string } {
  return {
    title: typeof payload.title === 'string' ? payload.title : 'Thông báo',
    text: typeof payload.text === 'string' ? payload.text : '',
    link: typeof payload.link === 'string' ? payload.link : '',
  };
}
