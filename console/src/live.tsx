/**
 * The console's live link to the server: the notification stream (Server-Sent Events) read with
 * fetch, so the bearer token goes in the Authorization header and never in a URL. It keeps the
 * bell's unread count, shows urgent notifications as toasts, and tells pages when a task they
 * show changed (they keep their poll as a fallback). A dropped stream reconnects with the last
 * event id, so nothing recorded meanwhile is missed.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { get, post, session, type InboxNotification } from './api';

/** A task change the stream reports (`event: task`). */
export interface TaskChange {
  taskId: string;
  change: string;
  subject: { type: string; id: string };
}

interface Live {
  unreadCount: number | undefined;
  /** Whether the stream is connected now. */
  connected: boolean;
  /** The newest notifications seen on the stream since the page loaded, newest first. */
  recent: InboxNotification[];
  toasts: InboxNotification[];
  dismissToast(id: number): void;
  markRead(id: number): Promise<void>;
  markAllRead(): Promise<void>;
  /** Calls `listener` on every task change; returns the unsubscribe. */
  onTaskChange(listener: (change: TaskChange) => void): () => void;
  /** Calls `listener` on every new notification; returns the unsubscribe. */
  onNotification(listener: (n: InboxNotification) => void): () => void;
}

const LiveContext = createContext<Live | undefined>(undefined);

/** The live link, or undefined outside a signed-in console. */
export const useLive = () => useContext(LiveContext);

/** Runs `onChange` whenever a task matching `match` changes (a task list, an order page). */
export function useTaskChanges(match: (change: TaskChange) => boolean, onChange: () => void) {
  const live = useLive();
  const matchRef = useRef(match);
  const onChangeRef = useRef(onChange);
  matchRef.current = match;
  onChangeRef.current = onChange;
  useEffect(() => {
    if (!live) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = live.onTaskChange((c) => {
      if (!matchRef.current(c)) return;
      // Several changes at once (a rung, its follow-up task) make one reload.
      clearTimeout(timer);
      timer = setTimeout(() => onChangeRef.current(), 150);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [live]);
}

interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

/** Reads an SSE body, calling `onEvent` per event; resolves when the stream ends. */
async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (e: SseEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let at: number;
    while ((at = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      const e: SseEvent = { event: 'message', data: '' };
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
      e.data = data.join('\n');
      onEvent(e);
    }
  }
}

const MAX_RECENT = 30;
const TOAST_MS = 12_000;

export function LiveProvider({ staffId, children }: { staffId: string; children: ReactNode }) {
  const [unreadCount, setUnreadCount] = useState<number | undefined>();
  const [connected, setConnected] = useState(false);
  const [recent, setRecent] = useState<InboxNotification[]>([]);
  const [toasts, setToasts] = useState<InboxNotification[]>([]);
  const taskListeners = useRef(new Set<(c: TaskChange) => void>());
  const noteListeners = useRef(new Set<(n: InboxNotification) => void>());

  const refreshCount = useCallback(async () => {
    try {
      setUnreadCount((await get<{ unreadCount: number }>('/me/notifications/unread-count')).unreadCount);
    } catch {
      /* the next event or reconnect tries again */
    }
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    let lastEventId: string | undefined;
    let attempt = 0;
    // A resumed stream may send a row again (one that committed late, just before the resume point).
    const seen = new Set<number>();
    let countTimer: ReturnType<typeof setTimeout> | undefined;
    const countSoon = () => {
      clearTimeout(countTimer);
      countTimer = setTimeout(() => void refreshCount(), 200);
    };
    const onEvent = (e: SseEvent) => {
      if (e.id) lastEventId = e.id;
      if (e.event === 'ready') {
        const ready = JSON.parse(e.data) as { unreadCount: number };
        setUnreadCount(ready.unreadCount);
      } else if (e.event === 'notification') {
        const n = JSON.parse(e.data) as InboxNotification;
        if (seen.has(n.id)) return;
        seen.add(n.id);
        setRecent((list) => [n, ...list.filter((x) => x.id !== n.id)].slice(0, MAX_RECENT));
        if (!n.readAt) setUnreadCount((c) => (c ?? 0) + 1);
        if (n.priority === 'urgent' && !n.readAt) {
          setToasts((list) => [...list.filter((x) => x.id !== n.id), n].slice(-3));
          setTimeout(() => setToasts((list) => list.filter((x) => x.id !== n.id)), TOAST_MS);
        }
        noteListeners.current.forEach((l) => l(n));
        // The count the server keeps wins (a row read elsewhere, one outside the caller's scope).
        countSoon();
      } else if (e.event === 'task') {
        const change = JSON.parse(e.data) as TaskChange;
        taskListeners.current.forEach((l) => l(change));
      }
    };
    const run = async () => {
      while (!abort.signal.aborted) {
        const token = session.token();
        if (!token) return;
        try {
          const res = await fetch('/api/v1/me/notifications/stream', {
            headers: {
              accept: 'text/event-stream',
              authorization: `Bearer ${token}`,
              ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
            },
            signal: abort.signal,
            cache: 'no-store',
          });
          if (res.status === 401) return; // signed out: the app's other calls sign the person out
          if (res.ok && res.body) {
            attempt = 0;
            setConnected(true);
            await readEvents(res.body, onEvent);
          }
        } catch {
          /* dropped: reconnect below */
        }
        setConnected(false);
        if (abort.signal.aborted) return;
        // Back off 1 s, 2 s, 4 s … up to 30 s, with some jitter so replicas are not hit at once.
        const delay = Math.min(30_000, 1_000 * 2 ** Math.min(attempt++, 5)) * (0.75 + Math.random() / 2);
        await new Promise((r) => setTimeout(r, delay));
        // Anything the tasks pages missed while disconnected: let them reload once.
        taskListeners.current.forEach((l) => l({ taskId: '*', change: 'reconnected', subject: { type: '*', id: '*' } }));
      }
    };
    void run();
    return () => {
      abort.abort();
      clearTimeout(countTimer);
    };
  }, [staffId, refreshCount]);

  const markRead = useCallback(
    async (id: number) => {
      const read = await post<InboxNotification>(`/me/notifications/${id}/read`);
      setRecent((list) => list.map((x) => (x.id === id ? read : x)));
      setToasts((list) => list.filter((x) => x.id !== id));
      await refreshCount();
    },
    [refreshCount],
  );
  const markAllRead = useCallback(async () => {
    const result = await post<{ unreadCount: number }>('/me/notifications/read-all');
    const now = new Date().toISOString();
    setRecent((list) => list.map((x) => (x.readAt ? x : { ...x, readAt: now })));
    setToasts([]);
    setUnreadCount(result.unreadCount);
  }, []);

  const value = useMemo<Live>(
    () => ({
      unreadCount,
      connected,
      recent,
      toasts,
      dismissToast: (id) => setToasts((list) => list.filter((x) => x.id !== id)),
      markRead,
      markAllRead,
      onTaskChange: (listener) => {
        taskListeners.current.add(listener);
        return () => taskListeners.current.delete(listener);
      },
      onNotification: (listener) => {
        noteListeners.current.add(listener);
        return () => noteListeners.current.delete(listener);
      },
    }),
    [unreadCount, connected, recent, toasts, markRead, markAllRead],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}
