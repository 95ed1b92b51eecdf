/**
 * A Server-Sent Events client as the console reads the notification stream: fetch with the
 * bearer token in the Authorization header, `Last-Event-ID` to resume, events parsed as they come.
 */

export interface SseEvent {
  event: string;
  id: string | undefined;
  data: any;
}

export interface SseStream {
  status: number;
  /** Every event received so far, in order. */
  events: SseEvent[];
  /** The `id:` of the last event that had one. */
  lastEventId: string | undefined;
  /** The first event (received already or to come) for which `match` holds. */
  next(match: (e: SseEvent) => boolean, timeoutMs?: number, what?: string): Promise<SseEvent>;
  /** Whether the server ended the stream. */
  ended: Promise<void>;
  close(): void;
}

/** `onEvent` hears each event as it is parsed (a bench timing receipt). */
export async function openStream(
  base: string,
  token: string,
  options: { lastEventId?: string; onEvent?: (e: SseEvent) => void } = {},
): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(`${base}/api/v1/me/notifications/stream`, {
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'text/event-stream',
      ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
    },
    signal: abort.signal,
  });
  const events: SseEvent[] = [];
  const waiters: Array<{ match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }> = [];
  const stream: SseStream = {
    status: res.status,
    events,
    lastEventId: options.lastEventId,
    next(match, timeoutMs = 30_000, what = 'an event') {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${what} on the stream within ${timeoutMs} ms; got ${JSON.stringify(events).slice(0, 2000)}`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
    ended: Promise.resolve(),
    close: () => abort.abort(),
  };
  if (!res.ok || !res.body) return stream;
  const dispatch = (block: string) => {
    const e: SseEvent = { event: 'message', id: undefined, data: undefined };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') e.event = value;
      else if (field === 'id') e.id = value;
      else if (field === 'data') data.push(value);
    }
    if (e.id !== undefined) stream.lastEventId = e.id;
    if (!data.length) return;
    const text = data.join('\n');
    try {
      e.data = JSON.parse(text);
    } catch {
      e.data = text;
    }
    events.push(e);
    options.onEvent?.(e);
    for (const w of [...waiters])
      if (w.match(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
  };
  stream.ended = (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, at));
          buffer = buffer.slice(at + 2);
        }
      }
    } catch {
      /* aborted by close(), or the server went away */
    }
  })();
  return stream;
}
