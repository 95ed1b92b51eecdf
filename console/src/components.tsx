/** Small pieces shared by the pages. */
import type { ReactNode } from 'react';
import { ApiError, type Me, type Task } from './api';
import { formatDuration, useI18n, type Key } from './i18n';

export const can = (me: Me, permission: string) => me.permissions.includes('*') || me.permissions.includes(permission);

/** An API or network failure, in the reader's language where we know the case. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  let message = (error as Error).message;
  if (error instanceof ApiError) {
    if (error.status === 0) message = t('networkError');
    else if (error.status === 403) message = t('forbidden');
    else if (error.status === 404) message = t('notFound');
  }
  return (
    <p className="error" role="alert">
      {t('error', { message })}
    </p>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" aria-live="polite">
      {t('loading')}
    </p>
  );
}

export function PriorityBadge({ priority }: { priority: Task['priority'] }) {
  const { t } = useI18n();
  return <span className={`badge priority-${priority}`}>{t(`priority_${priority}` as Key)}</span>;
}

/** Time left until `dueAt`, red (and worded "overdue") once it has passed. */
export function TimeLeft({ dueAt, now }: { dueAt: string | null; now: number }) {
  const { t, lang } = useI18n();
  if (!dueAt) return <span className="muted">{t('noDue')}</span>;
  const seconds = (Date.parse(dueAt) - now) / 1000;
  const overdue = seconds < 0;
  return (
    <span className={overdue ? 'time-left overdue' : 'time-left'} data-overdue={overdue}>
      {overdue ? t('overdueBy', { t: formatDuration(seconds, lang) }) : t('left', { t: formatDuration(seconds, lang) })}
    </span>
  );
}

export function StatusText({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `status_${status}` as Key;
  return <>{t(key) === key ? status : t(key)}</>;
}

/**
 * A titled section of a page. A page's first card is its title (`level={1}`: the page's one
 * `<h1>`); the others are `<h2>` below it.
 */
export function Card({
  title,
  children,
  actions,
  id,
  level = 2,
}: {
  title: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
  id?: string;
  level?: 1 | 2;
}) {
  const Heading = level === 1 ? 'h1' : 'h2';
  return (
    <section className="card" aria-labelledby={id}>
      <div className="card-head">
        <Heading id={id}>{title}</Heading>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** A page's one `<h1>`, for a page whose first card is not its title (a form above the list). */
export function PageTitle({ children }: { children: ReactNode }) {
  return <h1 className="page-title">{children}</h1>;
}

export function LastUpdated({ at, everySeconds }: { at?: Date; everySeconds?: number }) {
  const { t, lang } = useI18n();
  if (!at) return null;
  return (
    <p className="muted small">
      {t('lastUpdated')} {at.toLocaleTimeString(lang === 'vi' ? 'vi-VN' : 'en-GB')}
      {everySeconds ? ` · ${t('autoRefresh', { n: everySeconds })}` : ''}
    </p>
  );
}
