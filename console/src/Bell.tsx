/**
 * The header's bell: the unread count, live from the stream, and a panel of the newest
 * notifications (each opens its task or order); toasts for urgent ones; and the full inbox page.
 */
import { useEffect, useRef, useState } from 'react';
import { get, type InboxNotification } from './api';
import { ErrorNote, Loading } from './components';
import { useLoad } from './hooks';
import { formatDateTime, useI18n, type Key } from './i18n';
import { useLive } from './live';
import { Link, navigate } from './router';
import './notifications.css';

type Page = { notifications: InboxNotification[]; nextCursor: string | null; unreadCount: number };

/** The words for a notification's kind (never the kind's id on screen). */
function KindLabel({ kind }: { kind: string }) {
  const { t } = useI18n();
  const key = `notificationKind_${kind}` as Key;
  return <span className={`badge kind-${kind}`}>{t(key) === key ? t('notificationKind_notify') : t(key)}</span>;
}

/** One notification: its words, when, and the link to what it is about. */
function NotificationItem({ n, onOpen }: { n: InboxNotification; onOpen: (n: InboxNotification) => void }) {
  const { t, lang } = useI18n();
  const body = (
    <>
      <span className="note-head">
        <KindLabel kind={n.kind} />
        {n.priority === 'urgent' && <span className="badge priority-urgent">{t('priority_urgent')}</span>}
        <time dateTime={n.at} className="muted small">
          {formatDateTime(n.at, lang)}
        </time>
      </span>
      <span className="note-message">{n.message}</span>
    </>
  );
  return (
    <li className={n.readAt ? 'note' : 'note unread'} data-notification-id={n.id}>
      {n.link ? (
        <Link href={n.link} onClick={() => onOpen(n)} className="note-link">
          {body}
        </Link>
      ) : (
        <button type="button" className="note-link plain" onClick={() => onOpen(n)}>
          {body}
        </button>
      )}
      {!n.readAt && <span className="sr-only">{t('unreadMark')}</span>}
    </li>
  );
}

export function Bell() {
  const { t } = useI18n();
  const live = useLive();
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const { data, error, reload } = useLoad(() => (open ? get<Page>('/me/notifications?limit=10') : Promise.resolve(undefined)), [open]);

  // The panel follows the stream while it is open.
  useEffect(() => live?.onNotification(() => open && void reload()), [live, open, reload]);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !panel.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  if (!live) return null;
  const count = live.unreadCount ?? 0;
  const openOne = (n: InboxNotification) => {
    setOpen(false);
    if (!n.readAt) void live.markRead(n.id);
  };

  return (
    <div className="bell" ref={panel}>
      <button
        type="button"
        className="bell-button"
        aria-expanded={open}
        aria-haspopup="true"
        aria-label={t('bellLabel', { n: count })}
        onClick={() => setOpen(!open)}
      >
        <svg className="bell-icon" aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {count > 0 && (
          <span className="bell-count" data-testid="bell-count">
            {count > 99 ? '99+' : count}
          </span>
        )}
      </button>
      {open && (
        <div className="bell-panel" role="dialog" aria-label={t('notifications')}>
          <div className="bell-panel-head">
            <strong>{t('notifications')}</strong>
            {count > 0 && (
              <button type="button" className="secondary small" onClick={() => void live.markAllRead().then(reload)}>
                {t('markAllRead')}
              </button>
            )}
          </div>
          <ErrorNote error={error} />
          {!data ? (
            <Loading />
          ) : data.notifications.length === 0 ? (
            <p className="muted">{t('noNotifications')}</p>
          ) : (
            <ul className="note-list">
              {data.notifications.map((n) => (
                <NotificationItem key={n.id} n={n} onOpen={openOne} />
              ))}
            </ul>
          )}
          <Link href="/notifications" onClick={() => setOpen(false)} className="bell-all">
            {t('allNotifications')}
          </Link>
        </div>
      )}
    </div>
  );
}

/** Urgent notifications as they arrive, for a few seconds, over the page. */
export function Toasts() {
  const { t } = useI18n();
  const live = useLive();
  if (!live?.toasts.length) return null;
  return (
    <div className="toasts" role="status" aria-live="assertive">
      {live.toasts.map((n) => (
        <div key={n.id} className="toast" data-notification-id={n.id}>
          <span className="toast-message">
            <strong>{t('priority_urgent')}:</strong> {n.message}
          </span>
          <span className="toast-actions">
            {n.link && (
              <button
                type="button"
                onClick={() => {
                  void live.markRead(n.id);
                  navigate(n.link!);
                }}
              >
                {t('open')}
              </button>
            )}
            <button type="button" className="secondary" aria-label={t('dismiss')} onClick={() => live.dismissToast(n.id)}>
              ✕
            </button>
          </span>
        </div>
      ))}
    </div>
  );
}

/** The whole inbox: unread first, then newest, page by page. */
export function NotificationsPage() {
  const { t } = useI18n();
  const live = useLive();
  const [pages, setPages] = useState<Page[]>([]);
  const [error, setError] = useState<unknown>();
  const [onlyUnread, setOnlyUnread] = useState(false);
  const load = async (cursor?: string) => {
    try {
      const page = await get<Page>(
        `/me/notifications?limit=30${onlyUnread ? '&unread=true' : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      setPages((p) => (cursor ? [...p, page] : [page]));
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [onlyUnread]);
  useEffect(() => live?.onNotification(() => void load()), [live, onlyUnread]); // eslint-disable-line react-hooks/exhaustive-deps
  const items = pages.flatMap((p) => p.notifications);
  const next = pages.at(-1)?.nextCursor;
  return (
    <section className="card" aria-labelledby="notifications-title">
      <div className="card-head">
        <h1 id="notifications-title">{t('notifications')}</h1>
        <span className="inline-label">
          <label className="inline-label">
            <input type="checkbox" checked={onlyUnread} onChange={(e) => setOnlyUnread(e.target.checked)} />
            {t('onlyUnread')}
          </label>
          {!!live?.unreadCount && (
            <button type="button" className="secondary" onClick={() => void live.markAllRead().then(() => load())}>
              {t('markAllRead')}
            </button>
          )}
        </span>
      </div>
      <ErrorNote error={error} />
      {!pages.length && !error ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="muted">{t('noNotifications')}</p>
      ) : (
        <ul className="note-list">
          {items.map((n) => (
            <NotificationItem key={n.id} n={n} onOpen={(x) => !x.readAt && void live?.markRead(x.id)} />
          ))}
        </ul>
      )}
      {next && (
        <button type="button" className="secondary" onClick={() => void load(next)}>
          {t('loadMore')}
        </button>
      )}
    </section>
  );
}
