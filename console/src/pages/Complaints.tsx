/**
 * Complaints (khiếu nại): the list, one complaint with its tasks and timeline, and a form that
 * files a new one for staff allowed to (`complaints.manage`). Over `/complaints`.
 */
import { useState, type FormEvent, type ReactElement } from 'react';
import { ApiError, get, post, type Me, type Task } from '../api';
import { Card, can, ErrorNote, Loading, PageTitle, PriorityBadge } from '../components';
import { useLoad } from '../hooks';
import { formatDateTime, formatVnd, useI18n, type Key, type Lang } from '../i18n';
import { Link, navigate } from '../router';
import { eventText } from '../../../definitions/orders/timeline-words';

interface Complaint {
  id: string;
  customerId: string;
  orderId: string | null;
  category: string;
  description: string;
  status: 'open' | 'resolved' | 'rejected';
  outcome: string | null;
  resolution: Record<string, unknown> | null;
  openedAt: string;
  dueAt: string | null;
  resolvedAt: string | null;
  resolvedWithinSla: boolean | null;
  closedAt: string | null;
}
interface ComplaintDetail extends Complaint {
  customer: { id: string; name: string; phone: string } | null;
  tasks: Task[];
  timeline: Array<{
    at: string;
    type: string;
    actor?: string | null;
    task?: string;
    outcomeTitle?: string | null;
    data?: Record<string, unknown> | null;
  }>;
  /** The outcome, the category and what was entered, in the complaint process's words. */
  outcomeTitle: string | null;
  categoryTitle: string | null;
  resolutionFields: Array<{ part: 'decision' | 'followUp'; name: string; title: string; value: unknown; kind?: 'money' }>;
}

function CategoryName({ id }: { id: string }) {
  const { t } = useI18n();
  const key = `cat_${id}` as Key;
  return <>{t(key) === key ? id : t(key)}</>;
}

function ComplaintStatus({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `cstatus_${status}` as Key;
  return <span className={status === 'open' ? 'warn' : undefined}>{t(key) === key ? status : t(key)}</span>;
}

/** The active ComplaintProcess's categories, as the server lists them. */
async function categories(): Promise<Array<{ id: string; title: string | null }>> {
  const answer = await get<{ categories: Array<{ id: string; title: string }> }>('/complaints/categories');
  return answer.categories;
}

export function ComplaintsPage({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState('');
  const [cursor, setCursor] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | undefined>();
  const query = `/complaints?limit=50${status ? `&status=${status}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  const list = useLoad(() => get<{ complaints: Complaint[]; nextCursor: string | null }>(query), [query], 15_000);
  return (
    <>
      <PageTitle>{t('navComplaints')}</PageTitle>
      {can(me, 'complaints.manage') && (
        <NewComplaint
          me={me}
          onFiled={(id) => {
            setNotice(t('filed', { id }));
            setCursor(null);
            void list.reload();
          }}
        />
      )}
      <Card id="complaints-title" title={t('navComplaints')}>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <div className="toolbar">
          <label htmlFor="complaint-status">{t('filterStatus')}</label>
          <select
            id="complaint-status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setCursor(null);
            }}
          >
            <option value="">{t('all')}</option>
            {['open', 'resolved', 'rejected'].map((s) => (
              <option key={s} value={s}>
                {t(`cstatus_${s}` as Key)}
              </option>
            ))}
          </select>
        </div>
        <ErrorNote error={list.error} />
        {!list.data ? (
          <Loading />
        ) : list.data.complaints.length === 0 ? (
          <p className="muted">{t('noComplaints')}</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="complaints">
              <thead>
                <tr>
                  <th scope="col">{t('complaint')}</th>
                  <th scope="col">{t('category')}</th>
                  <th scope="col">{t('description')}</th>
                  <th scope="col">{t('order')}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col">{t('openedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.complaints.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link href={`/complaints/${encodeURIComponent(c.id)}`}>{c.id}</Link>
                    </td>
                    <td>
                      <CategoryName id={c.category} />
                    </td>
                    <td className="clip">{c.description}</td>
                    <td>{c.orderId ? <Link href={`/orders/${encodeURIComponent(c.orderId)}`}>{c.orderId}</Link> : '—'}</td>
                    <td>
                      <ComplaintStatus status={c.status} />
                    </td>
                    <td>{formatDateTime(c.openedAt, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list.data?.nextCursor && (
          <button type="button" className="secondary" onClick={() => setCursor(list.data!.nextCursor)}>
            {t('more')}
          </button>
        )}
      </Card>
    </>
  );
}

/** The filing form: the customer by phone, the order (optional), category and description; 422 field errors inline. */
function NewComplaint({ me, onFiled }: { me: Me; onFiled: (id: string) => void }) {
  const { t } = useI18n();
  const cats = useLoad(() => categories(), [me.staffId]);
  const [values, setValues] = useState({ phone: '', orderId: '', category: '', description: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof values) => (e: { target: { value: string } }) => setValues({ ...values, [key]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setError(undefined);
    try {
      const body = {
        phone: values.phone.trim(),
        category: values.category,
        description: values.description.trim(),
        ...(values.orderId.trim() ? { orderId: values.orderId.trim() } : {}),
      };
      const filed = await post<{ complaintId: string }>('/complaints', body);
      setValues({ phone: '', orderId: '', category: '', description: '' });
      onFiled(filed.complaintId);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.fields.length) {
        setErrors(Object.fromEntries(err.fields.map((f) => [f.field === 'customerId' ? 'phone' : f.field, f.message])));
        setError(new Error(t('fixErrors')));
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };
  const field = (key: keyof typeof values, label: string, input: ReactElement, required = true) => (
    <div className={errors[key] ? 'field invalid' : 'field'}>
      <label htmlFor={`c-${key}`}>
        {label}
        {required && (
          <span className="req" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {input}
      {errors[key] && (
        <p id={`c-${key}-error`} className="field-error">
          {errors[key]}
        </p>
      )}
    </div>
  );
  const aria = (key: keyof typeof values) => ({
    id: `c-${key}`,
    'aria-invalid': errors[key] ? true : undefined,
    'aria-describedby': errors[key] ? `c-${key}-error` : undefined,
  });
  return (
    <Card id="new-complaint-title" title={t('newComplaint')}>
      <form className="stack-form" onSubmit={submit} noValidate>
        {field(
          'phone',
          t('customerPhone'),
          <input
            {...aria('phone')}
            type="tel"
            inputMode="tel"
            required
            value={values.phone}
            onChange={set('phone')}
            placeholder="0912 345 678"
          />,
        )}
        {field(
          'orderId',
          t('orderOptional'),
          <input {...aria('orderId')} value={values.orderId} onChange={set('orderId')} placeholder="DH…" />,
          false,
        )}
        {field(
          'category',
          t('category'),
          <select {...aria('category')} required value={values.category} onChange={set('category')}>
            <option value="">{t('choose')}</option>
            {(cats.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.title ?? t(`cat_${c.id}` as Key)}
              </option>
            ))}
          </select>,
        )}
        {field(
          'description',
          t('description'),
          <textarea {...aria('description')} required rows={3} value={values.description} onChange={set('description')} />,
        )}
        <ErrorNote error={error} />
        <div>
          <button type="submit" disabled={busy}>
            {busy ? t('submitting') : t('fileComplaint')}
          </button>
        </div>
      </form>
    </Card>
  );
}

export function ComplaintPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const { data, error } = useLoad(() => get<ComplaintDetail>(`/complaints/${encodeURIComponent(id)}`), [id], 15_000);
  if (error && !data)
    return (
      <Card level={1} id="complaint-title" title={t('complaintTitle', { id })}>
        <ErrorNote error={error} />
      </Card>
    );
  if (!data) return <Loading />;
  return (
    <>
      <Card
        level={1}
        id="complaint-title"
        title={t('complaintTitle', { id: data.id })}
        actions={
          <button type="button" className="secondary" onClick={() => navigate('/complaints')}>
            {t('back')}
          </button>
        }
      >
        <dl className="meta grid">
          <div>
            <dt>{t('customer')}</dt>
            <dd>{data.customer ? `${data.customer.name} · ${data.customer.phone}` : data.customerId}</dd>
          </div>
          <div>
            <dt>{t('order')}</dt>
            <dd>{data.orderId ? <Link href={`/orders/${encodeURIComponent(data.orderId)}`}>{data.orderId}</Link> : '—'}</dd>
          </div>
          <div>
            <dt>{t('category')}</dt>
            <dd>{data.categoryTitle ?? <CategoryName id={data.category} />}</dd>
          </div>
          <div>
            <dt>{t('status')}</dt>
            <dd>
              <ComplaintStatus status={data.status} />
              {data.outcomeTitle ? ` · ${data.outcomeTitle}` : ''}
            </dd>
          </div>
          <div>
            <dt>{t('openedAt')}</dt>
            <dd>{formatDateTime(data.openedAt, lang)}</dd>
          </div>
          <div>
            <dt>{t('due')}</dt>
            <dd>{formatDateTime(data.dueAt, lang)}</dd>
          </div>
          {data.resolvedAt && (
            <div>
              <dt>{t('resolvedAt')}</dt>
              <dd>
                {formatDateTime(data.resolvedAt, lang)} ({data.resolvedWithinSla ? t('withinSla') : t('lateSla')})
              </dd>
            </div>
          )}
        </dl>
        <h3>{t('description')}</h3>
        <p className="prewrap">{data.description}</p>
        {data.resolutionFields.length > 0 && (
          <>
            <h3>{t('resolution')}</h3>
            <ResolutionFields fields={data.resolutionFields} />
          </>
        )}
        <h3>{t('tasks')}</h3>
        {data.tasks.length === 0 ? (
          <p className="muted">{t('noTasks')}</p>
        ) : (
          <ul className="plain">
            {data.tasks.map((task) => (
              <li key={task.id}>
                <strong>{task.title}</strong> — {task.role} · <PriorityBadge priority={task.priority} /> ·{' '}
                {task.status === 'open' ? t('status_open') : t('status_done')}
                {task.escalationLevel > 0 && <span className="warn"> · {t('escalationLevel', { n: task.escalationLevel })}</span>}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card id="complaint-timeline-title" title={t('timeline')}>
        <ol className="timeline">
          {data.timeline.map((e, i) => (
            <li key={i} className={`ev ev-${e.type}`}>
              <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>
              <p>{complaintEventText(e, data.outcomeTitle, lang)}</p>
            </li>
          ))}
        </ol>
      </Card>
    </>
  );
}

/** A complaint event in words: its own events and its tasks' events from the timeline dictionary. */
function complaintEventText(e: ComplaintDetail['timeline'][number], outcomeTitle: string | null, lang: Lang): string {
  const type = e.type.startsWith('task_') ? e.type : `complaint_${e.type}`;
  const outcome = e.outcomeTitle ?? outcomeTitle ?? (lang === 'en' ? 'done' : 'xong');
  return (
    eventText(type, { task: e.task ?? '', outcome, level: String(e.data?.level ?? ''), to: '…' }, lang) ??
    (lang === 'en' ? 'Updated' : 'Có cập nhật')
  );
}

/** What was entered with the outcome and its follow-up, as labelled fields (never a JSON dump). */
function ResolutionFields({ fields }: { fields: ComplaintDetail['resolutionFields'] }) {
  const { lang } = useI18n();
  const show = (f: ComplaintDetail['resolutionFields'][number]): string => {
    const v = f.value;
    if (typeof v === 'boolean') return v ? (lang === 'en' ? 'Yes' : 'Có') : lang === 'en' ? 'No' : 'Không';
    if (typeof v === 'number')
      return f.kind === 'money' ? formatVnd(v, lang) : new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'vi-VN').format(v);
    if (Array.isArray(v))
      return v
        .map((line) =>
          line && typeof line === 'object'
            ? Object.values(line as Record<string, unknown>)
                .filter((x) => typeof x === 'string' || typeof x === 'number')
                .join(' × ')
            : String(line),
        )
        .join('; ');
    if (v && typeof v === 'object')
      return Object.values(v as Record<string, unknown>)
        .filter((x) => typeof x === 'string' || typeof x === 'number')
        .join(', ');
    return String(v);
  };
  return (
    <dl className="meta grid" data-testid="resolution">
      {fields.map((f) => (
        <div key={`${f.part}-${f.name}`}>
          <dt>{f.title}</dt>
          <dd className="prewrap">{show(f)}</dd>
        </div>
      ))}
    </dl>
  );
}
