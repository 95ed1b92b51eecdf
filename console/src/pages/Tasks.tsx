/**
 * My tasks: the caller's open tasks (held by them or waiting in their roles' queues), soonest
 * due first, refreshed every few seconds; claim, and complete with the stage's form.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { allPages, ApiError, get, post, type Me, type Task, type TaskDetail } from '../api';
import { Card, ErrorNote, LastUpdated, Loading, PriorityBadge, TimeLeft } from '../components';
import { useLoad, useNow } from '../hooks';
import { formatDateTime, useI18n, type Key } from '../i18n';
import { Link } from '../router';
import { formData, SchemaForm, toRaw, type FieldErrors, type Raw } from '../SchemaForm';
import { formHasField, placeFieldErrors } from '../field-errors';
import type { JsonSchema } from '../api';
import { useTaskChanges } from '../live';
import { TaskGuide } from './TaskGuide';
import { PackingPanel, usePackingText, type PackingState } from './Packing';
import { TaskContext } from './TaskContext';
import { Phone } from '../Phone';

const REFRESH_SECONDS = 10;
const PRIORITY_RANK = { urgent: 0, high: 1, normal: 2, low: 3 } as const;

/** Soonest due first (no due time last), then the most urgent. */
export function byDue(a: Task, b: Task): number {
  const da = a.dueAt ? Date.parse(a.dueAt) : Infinity;
  const db = b.dueAt ? Date.parse(b.dueAt) : Infinity;
  return da - db || PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || a.createdAt.localeCompare(b.createdAt);
}

async function loadMyTasks(me: Me): Promise<Task[]> {
  // `own` staff see exactly their tasks and their roles' queues; `all` staff would see every
  // task, so ask for theirs and for their roles' unclaimed ones.
  const lists =
    me.scope === 'own'
      ? [await allPages<Task>('/tasks?status=open', 'tasks', 3)]
      : await Promise.all([
          allPages<Task>('/tasks?status=open&assignee=me', 'tasks', 3),
          ...me.roles.map((role) => allPages<Task>(`/tasks?status=open&role=${encodeURIComponent(role)}`, 'tasks', 3)),
        ]);
  const seen = new Map<string, Task>();
  for (const task of lists.flatMap((l) => l.items)) {
    if (task.assigneeId === null || task.assigneeId === me.staffId) seen.set(task.id, task);
  }
  return [...seen.values()].sort(byDue);
}

/** `focus`: a task to open (a notification's link `/tasks/<id>`), shown first even when it is not in the caller's list. */
export function TasksPage({ me, focus }: { me: Me; focus?: string }) {
  const { t } = useI18n();
  const now = useNow();
  const { data: listed, error, loadedAt, reload } = useLoad(() => loadMyTasks(me), [me.staffId], REFRESH_SECONDS * 1000);
  const { data: focused, reload: reloadFocused } = useLoad(
    () => (focus ? get<Task>(`/tasks/${encodeURIComponent(focus)}`).catch(() => undefined) : Promise.resolve(undefined)),
    [focus],
  );
  const data = listed && (focused && focused.status === 'open' ? [focused, ...listed.filter((x) => x.id !== focused.id)] : listed);
  const [open, setOpen] = useState<string | null>(focus ?? null);
  useEffect(() => setOpen(focus ?? null), [focus]);
  const [notice, setNotice] = useState<string | undefined>();
  // The stream says when a task changed: reload at once (the poll stays as the fallback).
  useTaskChanges(
    () => true,
    () => {
      void reload();
      if (focus) void reloadFocused();
    },
  );

  return (
    <Card
      level={1}
      id="tasks-title"
      title={t('navTasks')}
      actions={
        <button type="button" className="secondary" onClick={() => void reload()}>
          {t('refresh')}
        </button>
      }
    >
      <LastUpdated at={loadedAt} everySeconds={REFRESH_SECONDS} />
      <ErrorNote error={error} />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {!data ? (
        <Loading />
      ) : data.length === 0 ? (
        <p className="muted">{t('noTasks')}</p>
      ) : (
        <ul className="task-list">
          {data.map((task) => (
            <TaskItem
              key={task.id}
              task={task}
              me={me}
              now={now}
              open={open === task.id}
              onToggle={() => setOpen(open === task.id ? null : task.id)}
              onChanged={(message) => {
                setNotice(message);
                setOpen(null);
                void reload();
              }}
            />
          ))}
        </ul>
      )}
    </Card>
  );
}

function TaskItem({
  task,
  me,
  now,
  open,
  onToggle,
  onChanged,
}: {
  task: Task;
  me: Me;
  now: number;
  open: boolean;
  onToggle: () => void;
  onChanged: (message?: string) => void;
}) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<unknown>();
  const overdue = task.dueAt !== null && Date.parse(task.dueAt) < now;
  const claim = async () => {
    try {
      await post(`/tasks/${task.id}/claim`);
      onChanged(t('claimed'));
    } catch (err) {
      setError(err);
    }
  };
  // The subject's extra fields (customer, phone, channel) are open in the contract: read as unknown.
  const s: Record<string, unknown> & Task['subject'] = task.subject;
  return (
    <li className={overdue ? 'task overdue' : 'task'} data-task-id={task.id} aria-labelledby={`task-${task.id}-title`}>
      <div className="task-head">
        <h3 id={`task-${task.id}-title`}>{task.title}</h3>
        <TimeLeft dueAt={task.dueAt} now={now} />
      </div>
      <dl className="meta">
        <div>
          <dt>{t(subjectLabel(s.type))}</dt>
          <dd>{subjectHref(s) ? <Link href={subjectHref(s)!}>{s.id}</Link> : s.id}</dd>
        </div>
        {!!s.customer && (
          <div>
            <dt>{t('customer')}</dt>
            <dd>{String(s.customer)}</dd>
          </div>
        )}
        {!!s.phone && (
          <div>
            <dt>{t('phone')}</dt>
            <dd>
              <Phone value={String(s.phone)} />
            </dd>
          </div>
        )}
        {!!s.channel && (
          <div>
            <dt>{t('channel')}</dt>
            <dd>{String(s.channel)}</dd>
          </div>
        )}
        <div>
          <dt>{t('priority')}</dt>
          <dd>
            <PriorityBadge priority={task.priority} />
          </dd>
        </div>
        <div>
          <dt>{t('due')}</dt>
          <dd>{formatDateTime(task.dueAt, lang)}</dd>
        </div>
        <div>
          <dt>{t('assignee')}</dt>
          <dd>{task.assigneeId === null ? t('unassigned') : task.assigneeId === me.staffId ? t('you') : task.assigneeId}</dd>
        </div>
        {task.escalationLevel > 0 && (
          <div>
            <dt>{t('escalation')}</dt>
            <dd className="warn">{t('escalationLevel', { n: task.escalationLevel })}</dd>
          </div>
        )}
        {task.followUpOf && (
          <div>
            <dt>{t('followUpOf')}</dt>
            <dd>{task.followUpOf}</dd>
          </div>
        )}
      </dl>
      <div className="actions">
        {task.assigneeId === null && (
          <button type="button" className="secondary" onClick={() => void claim()}>
            {t('claim')}
          </button>
        )}
        <button type="button" aria-expanded={open} aria-controls={open ? `work-${task.id}` : undefined} onClick={onToggle}>
          {open ? t('close') : t('work')}
        </button>
      </div>
      <ErrorNote error={error} />
      {open && <TaskWork id={task.id} me={me} onDone={onChanged} />}
    </li>
  );
}

/** The completion form: choose an outcome, fill its form, send; 422 field errors appear inline. */
function TaskWork({ id, me, onDone }: { id: string; me: Me; onDone: (message: string) => void }) {
  const { t } = useI18n();
  const [detail, setDetail] = useState<TaskDetail | undefined>();
  const [loadError, setLoadError] = useState<unknown>();
  const [outcome, setOutcome] = useState<string>('');
  const [values, setValues] = useState<Record<string, Raw>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [ticked, setTicked] = useState<string[]>([]);
  const [packing, setPacking] = useState<PackingState | undefined>();
  const packingText = usePackingText();

  useEffect(() => {
    let current = true; // a load that is no longer this task's (or a remount's first) changes nothing
    get<TaskDetail>(`/tasks/${id}`).then(
      (d) => {
        if (!current) return;
        setDetail(d);
        // The outcome the server suggests from what is known (a parcel reported returned is not
        // "Giao lại"); none preselected when it suggests none.
        setOutcome(d.suggestedOutcome ?? '');
        // Fields bound to what the shop knows (the lead's name, phone, address…) start filled in;
        // what the person already typed is never replaced.
        const seeded = Object.fromEntries(d.outcomes.map((o) => [o.name, toRaw(o.form as JsonSchema, o.prefill)]));
        setValues((typed) => ({ ...seeded, ...typed }));
      },
      (err: unknown) => current && setLoadError(err),
    );
    return () => {
      current = false;
    };
  }, [id]);

  // The "Xử lý" button controls `work-<id>`: the form, or what stands in for it while it loads.
  if (loadError)
    return (
      <div id={`work-${id}`}>
        <ErrorNote error={loadError} />
      </div>
    );
  if (!detail)
    return (
      <div id={`work-${id}`}>
        <Loading />
      </div>
    );
  const chosen = detail.outcomes.find((o) => o.name === outcome);
  const schema = chosen?.form ?? detail.form;
  // Scan to pack: the gated outcome waits for a matching box or the lead's override (the server refuses it too).
  const blockedByScans = !!packing?.required && packing.outcome === outcome && !packing.canComplete;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setMessage(undefined);
    try {
      const data = formData(schema, values[outcome], false, detail.shippingFee) ?? {};
      // The guide's ticked checklist items go with the completion (required ones are checked by the server).
      const body = detail.guide ? { outcome, data, checklist: ticked } : { outcome, data };
      const done = await post<{ nextStage: string | null }>(`/tasks/${id}/complete`, body);
      // In the definition's words: the outcome's title, never the next stage's id.
      onDone(done.nextStage ? t('completed', { outcome: chosen?.title ?? outcome }) : t('completedFollowUp'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        // Each message at its field (`data.items[0].qty` → the input of items.0.qty); one the form
        // shows nowhere is said above it in words, never "fix the marked fields" with none marked.
        const { placed, unplaced } = placeFieldErrors(
          err.fields,
          (path) => path === 'outcome' || path.startsWith('checklist') || formHasField(schema, path),
        );
        setErrors(placed);
        setMessage(unplaced.length ? unplaced.join(' · ') : err.fields.length ? t('fixErrors') : err.message);
      } else {
        setMessage(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {/* Scan to pack sits above the form: its scan box and override are forms of their own, never nested. */}
      {detail.subject.type === 'order' && <PackingPanel taskId={id} me={me} onState={setPacking} />}
      <form id={`work-${id}`} className="work" onSubmit={submit} noValidate>
        {detail.description && <p>{detail.description}</p>}
        <TaskContext context={detail.context} />
        {detail.lead && (detail.lead.note || detail.lead.address) && <LeadWords lead={detail.lead} />}
        {detail.guide && <TaskGuide taskId={id} guide={detail.guide} ticked={ticked} onChange={setTicked} errors={errors} />}
        <fieldset className="outcomes">
          <legend>{t('outcome')}</legend>
          {detail.outcomes.map((o) => (
            <label key={o.name} className="check">
              <input
                type="radio"
                name={`outcome-${id}`}
                value={o.name}
                checked={outcome === o.name}
                onChange={() => {
                  setOutcome(o.name);
                  setErrors({});
                }}
              />{' '}
              {o.title}
            </label>
          ))}
          {errors.outcome && (
            <p className="field-error" role="alert">
              {errors.outcome}
            </p>
          )}
        </fieldset>
        {message && (
          <div className="error" role="alert">
            <p>{message}</p>
            {Object.keys(errors).length > 0 && (
              <ul>
                {Object.entries(errors).map(([field, msg]) => (
                  <li key={field}>
                    <code>{field || '—'}</code>: {msg}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <SchemaForm
          schema={schema}
          value={values[outcome]}
          onChange={(v) => setValues({ ...values, [outcome]: v })}
          errors={errors}
          idPrefix={`f-${id}-${outcome}`}
          shippingFee={detail.shippingFee}
        />
        {blockedByScans && (
          <p className="field-error" role="alert" id={`blocked-${id}`}>
            {packingText('blocked')}
          </p>
        )}
        <button type="submit" disabled={busy || !outcome || blockedByScans} aria-describedby={blockedByScans ? `blocked-${id}` : undefined}>
          {busy ? t('submitting') : t('submit')}
        </button>
      </form>
    </>
  );
}

/** What the lead said (its note, the address the customer wrote), beside the form that uses it. */
function LeadWords({ lead }: { lead: NonNullable<TaskDetail['lead']> }) {
  const { lang } = useI18n();
  const words =
    lang === 'vi'
      ? { title: 'Khách để lại', note: 'Lời nhắn', address: 'Địa chỉ' }
      : { title: 'From the lead', note: 'Note', address: 'Address' };
  return (
    <section className="lead-words" aria-label={words.title}>
      <h4>{words.title}</h4>
      <dl className="meta">
        {lead.note && (
          <div>
            <dt>{words.note}</dt>
            <dd data-testid="lead-note">{lead.note}</dd>
          </div>
        )}
        {lead.address && (
          <div>
            <dt>{words.address}</dt>
            <dd data-testid="lead-address">{lead.address}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}

/** What a task is about, in words: an order, a complaint, a KPI period or a lead (from a channel, before it is an order). */
function subjectLabel(type: string): Key {
  return type === 'complaint' ? 'complaint' : type === 'kpi' ? 'subjectKpi' : type === 'lead' ? 'subjectLead' : 'order';
}

/** Where the subject's own page is; none for a lead (it has no page until it becomes an order). */
function subjectHref(subject: { type: string; id: string }): string | undefined {
  const id = encodeURIComponent(subject.id);
  if (subject.type === 'order') return `/orders/${id}`;
  if (subject.type === 'complaint') return `/complaints/${id}`;
  if (subject.type === 'kpi') return '/dashboard';
  return undefined;
}
