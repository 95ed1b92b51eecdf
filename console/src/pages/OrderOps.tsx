/**
 * Working on orders from the console: the order list's one search box and filters (kept in the
 * URL, so a search can be shared or reloaded), bulk actions on the ticked orders — confirm,
 * print, hand over — each answering per order, and on an order's page: hand an open step to
 * someone else (role leads) and cancel the order with a reason.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, get, post, type Me, type OrderDetail, type Task, type TaskDetail } from '../api';
import { can, ErrorNote } from '../components';
import { useLoad } from '../hooks';
import { useI18n, type Key, usePageWords } from '../i18n';
import { Link, navigate, usePath } from '../router';
import { BulkPrint } from './Packing';
import { loadOrderChoices } from './ManualOrder';

const TEXT = {
  vi: {
    search: 'Tìm kiếm đơn',
    searchHelp: 'Số điện thoại, tên khách, mã đơn hoặc mã vận đơn.',
    stage: 'Bước',
    channel: 'Kênh',
    courier: 'Hãng vận chuyển',
    from: 'Từ ngày',
    to: 'Đến ngày',
    any: 'Tất cả',
    clear: 'Xóa bộ lọc',
    newOrder: 'Tạo đơn thủ công',
    bulk: 'Thao tác với {n} đơn đã chọn',
    confirm: 'Xác nhận đơn',
    handOver: 'Bàn giao vận chuyển',
    handOverHelp: 'Hoàn tất bước đóng gói của đơn: đơn chuyển sang giao hàng và hãng vận chuyển nhận đơn.',
    running: 'Đang xử lý {done}/{n}…',
    done: 'Xong: {ok} thành công, {failed} không được.',
    confirmed: 'Đã xác nhận',
    handedOver: 'Đã bàn giao cho vận chuyển',
    noConfirmStep: 'Đơn không ở bước xác nhận',
    noPackStep: 'Đơn không ở bước đóng gói',
    reassign: 'Giao lại',
    reassignTitle: 'Giao lại bước "{task}"',
    reassignTo: 'Giao cho',
    queueOf: 'Hàng chờ: {role}',
    reassigned: 'Đã giao lại bước cho {who}.',
    save: 'Lưu',
    cancelOrder: 'Hủy đơn',
    cancelReason: 'Lý do hủy',
    cancelAsk: 'Hủy đơn {id}? Việc này không hoàn tác được.',
    cancelYes: 'Có, hủy đơn',
    cancelNo: 'Không',
    cancelled: 'Đơn đã được hủy.',
    reasonRequired: 'Nhập lý do hủy.',
    actions: 'Thao tác',
    openSteps: 'Bước đang mở',
    holder: 'Người giữ',
    queue: 'Chưa ai nhận',
    editCustomer: 'Sửa thông tin khách hàng',
  },
  en: {
    search: 'Search orders',
    searchHelp: "Phone number, customer's name, order code or tracking code.",
    stage: 'Stage',
    channel: 'Channel',
    courier: 'Courier',
    from: 'From',
    to: 'To',
    any: 'All',
    clear: 'Clear filters',
    newOrder: 'New manual order',
    bulk: 'Actions on {n} selected orders',
    confirm: 'Confirm orders',
    handOver: 'Hand over to courier',
    handOverHelp: "Finishes each order's packing step: the order goes on to delivery and the courier takes it.",
    running: 'Working {done}/{n}…',
    done: 'Done: {ok} succeeded, {failed} did not.',
    confirmed: 'Confirmed',
    handedOver: 'Handed over to the courier',
    noConfirmStep: 'The order is not at a confirmation step',
    noPackStep: 'The order is not at a packing step',
    reassign: 'Reassign',
    reassignTitle: 'Reassign "{task}"',
    reassignTo: 'Give to',
    queueOf: 'Queue: {role}',
    reassigned: 'The step now goes to {who}.',
    save: 'Save',
    cancelOrder: 'Cancel order',
    cancelReason: 'Why it is cancelled',
    cancelAsk: 'Cancel order {id}? This cannot be undone.',
    cancelYes: 'Yes, cancel it',
    cancelNo: 'No',
    cancelled: 'The order is cancelled.',
    reasonRequired: 'Enter the reason.',
    actions: 'Actions',
    openSteps: 'Open steps',
    holder: 'Held by',
    queue: 'Not taken yet',
    editCustomer: "Edit the customer's details",
  },
} as const;
type Word = keyof (typeof TEXT)['vi'];

export const useOrderOpsText = () => usePageWords(TEXT);

const FILTERS = ['q', 'status', 'stage', 'channel', 'courier', 'from', 'to', 'late'] as const;
type Filter = (typeof FILTERS)[number];

/**
 * The order list's filters, read from and written to the URL (`/orders?q=0912…&status=open`).
 * `status` defaults to open orders; `status=` (empty) shows every order.
 */
export function useOrderFilters() {
  const path = usePath();
  const params = new URLSearchParams(path.split('?')[1] ?? '');
  const values = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? (f === 'status' ? 'open' : '')])) as Record<Filter, string>;
  const set = (changes: Partial<Record<Filter, string>>) => {
    const next = { ...values, ...changes };
    const out = new URLSearchParams();
    for (const f of FILTERS) {
      const v = next[f];
      if (f === 'status' ? v !== 'open' : v) out.set(f, v);
    }
    const qs = out.toString();
    navigate(`/orders${qs ? `?${qs}` : ''}`, { replace: true });
  };
  // The API's query: dates as the start / end of the shop's day.
  const api = new URLSearchParams();
  for (const f of FILTERS) {
    const v = values[f];
    if (!v) continue;
    if (f === 'from') api.set('from', new Date(`${v}T00:00:00+07:00`).toISOString());
    else if (f === 'to') api.set('to', new Date(`${v}T23:59:59.999+07:00`).toISOString());
    else if (f === 'late') api.set('late', 'true');
    else api.set(f, v);
  }
  return { values, set, query: api.toString() };
}

/** The shop's titles for channel and courier ids (GET /orders/choices); the id itself until they load or when the shop no longer has it. */
export function useChoiceTitles() {
  const choices = useLoad(loadOrderChoices, []);
  const channels = new Map(choices.data?.channels.map((c) => [c.id, c.title]));
  const couriers = new Map(choices.data?.couriers.map((c) => [c.id, c.title]));
  return {
    channel: (id: string | null | undefined) => (id ? (channels.get(id) ?? id) : '—'),
    courier: (id: string | null | undefined) => (id ? (couriers.get(id) ?? id) : '—'),
  };
}

/** The search box and filters above the order list. */
export function OrderFilters({ f, me }: { f: ReturnType<typeof useOrderFilters>; me?: Me }) {
  const x = useOrderOpsText();
  const { t } = useI18n();
  const choices = useLoad(loadOrderChoices, []);
  const [q, setQ] = useState(f.values.q);
  const search = (e: FormEvent) => {
    e.preventDefault();
    f.set({ q: q.trim() });
  };
  const select = (name: Filter, label: string, options: Array<{ id: string; title: string }>) => (
    <>
      <label htmlFor={`of-${name}`}>{label}</label>
      <select id={`of-${name}`} value={f.values[name]} onChange={(e) => f.set({ [name]: e.target.value })}>
        <option value="">{x('any')}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.title}
          </option>
        ))}
      </select>
    </>
  );
  return (
    <div className="order-filters">
      <form className="toolbar" role="search" onSubmit={search}>
        <label htmlFor="of-q">{x('search')}</label>
        <input id="of-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} aria-describedby="of-q-help" />
        <button type="submit">{t('search')}</button>
        {me && can(me, 'orders.create') && (
          <Link href="/orders/new" className="button secondary">
            {x('newOrder')}
          </Link>
        )}
        <span id="of-q-help" className="muted small">
          {x('searchHelp')}
        </span>
      </form>
      <div className="toolbar">
        {select(
          'status',
          t('filterStatus'),
          (choices.data?.statuses ?? ['open', 'completed', 'lost', 'cancelled', 'returned']).map((s) => ({
            id: s,
            title: t(`status_${s}` as Key),
          })),
        )}
        {select('channel', x('channel'), choices.data?.channels ?? [])}
        {select('courier', x('courier'), choices.data?.couriers ?? [])}
        <label htmlFor="of-from">{x('from')}</label>
        <input id="of-from" type="date" value={f.values.from} onChange={(e) => f.set({ from: e.target.value })} />
        <label htmlFor="of-to">{x('to')}</label>
        <input id="of-to" type="date" value={f.values.to} onChange={(e) => f.set({ to: e.target.value })} />
        <label className="check">
          <input type="checkbox" checked={f.values.late === 'true'} onChange={(e) => f.set({ late: e.target.checked ? 'true' : '' })} />{' '}
          {t('lateOnly')}
        </label>
        <button
          type="button"
          className="secondary small"
          onClick={() => {
            setQ('');
            f.set(Object.fromEntries(FILTERS.map((n) => [n, n === 'status' ? 'open' : ''])));
          }}
        >
          {x('clear')}
        </button>
      </div>
    </div>
  );
}

type ItemResult = { orderId: string; ok: boolean; message: string };

/** The open task of an order at a step that `matches`, with its form (for the data the step needs). */
async function openStep(orderId: string, matches: (t: Task) => boolean): Promise<TaskDetail | undefined> {
  const open = await get<{ tasks: Task[] }>(`/tasks?order=${encodeURIComponent(orderId)}&status=open&limit=50`);
  const task = open.tasks.find((t) => !t.followUpOf && matches(t));
  return task ? get<TaskDetail>(`/tasks/${encodeURIComponent(task.id)}`) : undefined;
}

/**
 * The forward outcome's data, taking the order as it is: only the fields the form requires —
 * what the server fills in for them, else for a required choice the form's first one (a
 * confirmation's "called the customer"). Optional prefilled fields (a new address) are left
 * out: sending them would say something changed.
 */
function forwardData(task: TaskDetail): { outcome: string; data: Record<string, unknown> } {
  const forward = task.outcomes.find((o) => o.forward) ?? task.outcomes[0]!;
  const prefill = (forward.prefill as Record<string, unknown> | undefined) ?? {};
  const form = (forward.form ?? {}) as { required?: string[]; properties?: Record<string, { enum?: unknown[] }> };
  const data: Record<string, unknown> = {};
  for (const field of form.required ?? []) {
    const choices = form.properties?.[field]?.enum;
    if (Object.hasOwn(prefill, field) && prefill[field] !== undefined) data[field] = prefill[field];
    else if (Array.isArray(choices) && choices.length) data[field] = choices[0];
  }
  return { outcome: forward.name, data };
}

function messageOf(err: unknown): string {
  if (err instanceof ApiError && err.fields.length) return `${err.message}: ${err.fields.map((f) => `${f.field} ${f.message}`).join('; ')}`;
  return (err as Error).message;
}

/** Bulk actions on the ticked orders; each order's result is listed. */
export function BulkActions({ orderIds, onDone }: { orderIds: string[]; onDone: () => void }) {
  const x = useOrderOpsText();
  const [results, setResults] = useState<ItemResult[]>([]);
  const [progress, setProgress] = useState<{ done: number; n: number } | null>(null);

  const run = async (step: (t: Task) => boolean, missing: Word, success: Word) => {
    const ids = [...orderIds];
    setResults([]);
    setProgress({ done: 0, n: ids.length });
    const out: ItemResult[] = [];
    for (const orderId of ids) {
      try {
        const task = await openStep(orderId, step);
        if (!task) out.push({ orderId, ok: false, message: x(missing) });
        else {
          await post(`/tasks/${encodeURIComponent(task.id)}/complete`, forwardData(task));
          out.push({ orderId, ok: true, message: x(success) });
        }
      } catch (err) {
        out.push({ orderId, ok: false, message: messageOf(err) });
      }
      setResults([...out]);
      setProgress({ done: out.length, n: ids.length });
    }
    setProgress(null);
    onDone();
  };
  const ok = results.filter((r) => r.ok).length;
  return (
    <section className="bulk-actions" aria-label={x('bulk', { n: orderIds.length })}>
      <div className="toolbar">
        <button
          type="button"
          disabled={!orderIds.length || progress !== null}
          onClick={() => void run((t) => t.stage === 'confirm' || /confirm/.test(t.stage), 'noConfirmStep', 'confirmed')}
        >
          {x('confirm')}
        </button>
        <button
          type="button"
          className="secondary"
          title={x('handOverHelp')}
          disabled={!orderIds.length || progress !== null}
          onClick={() => void run((t) => t.stage === 'pack' || /pack/.test(t.stage), 'noPackStep', 'handedOver')}
        >
          {x('handOver')}
        </button>
      </div>
      <BulkPrint orderIds={orderIds} />
      <div aria-live="polite">
        {progress && <p className="muted">{x('running', progress)}</p>}
        {!progress && results.length > 0 && <p>{x('done', { ok, failed: results.length - ok })}</p>}
        {results.length > 0 && (
          <ul className="plain bulk-results">
            {results.map((r) => (
              <li key={r.orderId} className={r.ok ? 'ok' : 'overdue'} data-order={r.orderId} data-ok={r.ok}>
                <Link href={`/orders/${encodeURIComponent(r.orderId)}`}>{r.orderId}</Link>: {r.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

interface Assignees {
  taskId: string;
  role: { id: string; title: string };
  assigneeId: string | null;
  people: Array<{ id: string; name: string }>;
  roles: Array<{ id: string; title: string }>;
}

/** On an order's page: its open steps with who holds them (reassignable by role leads), and cancelling it. */
export function OrderActions({ order, me, onChanged }: { order: OrderDetail; me: Me; onChanged: () => void }) {
  const x = useOrderOpsText();
  const open = (order.current?.waitingOn ?? []) as Array<{ taskId?: string; title?: string; assigneeId?: string | null }>;
  const mayReassign = can(me, 'tasks.reassign');
  const mayCancel = can(me, 'orders.cancel') && order.status === 'open';
  const mayEditCustomer = can(me, 'customers.manage') && order.customer.id;
  if (!(mayReassign && open.length) && !mayCancel && !mayEditCustomer) return null;
  return (
    <section className="card order-actions" aria-labelledby="order-actions-title">
      <h2 id="order-actions-title">{x('actions')}</h2>
      {mayEditCustomer && (
        <p>
          <Link href={`/customers/${encodeURIComponent(order.customer.id!)}`}>{x('editCustomer')}</Link>
        </p>
      )}
      {mayReassign && open.length > 0 && (
        <ul className="plain">
          {open.map((w) =>
            w.taskId ? (
              <li key={w.taskId}>
                <Reassign
                  taskId={w.taskId}
                  title={w.title ?? order.current?.title ?? ''}
                  holder={w.assigneeId ? (order.people[w.assigneeId] ?? null) : null}
                  onDone={onChanged}
                />
              </li>
            ) : null,
          )}
        </ul>
      )}
      {mayCancel && <CancelOrder orderId={order.id} onDone={onChanged} />}
    </section>
  );
}

function Reassign({ taskId, title, holder, onDone }: { taskId: string; title: string; holder: string | null; onDone: () => void }) {
  const x = useOrderOpsText();
  const [opened, setOpened] = useState(false);
  const choices = useLoad(
    () => (opened ? get<Assignees>(`/tasks/${encodeURIComponent(taskId)}/assignees`) : Promise.resolve(undefined)),
    [opened, taskId],
  );
  const [to, setTo] = useState('');
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!to) return;
    setBusy(true);
    setError(undefined);
    try {
      await post(`/tasks/${encodeURIComponent(taskId)}/reassign`, { to });
      const person = choices.data?.people.find((p) => p.id === to);
      const role = choices.data?.roles.find((r) => r.id === to);
      setNote(x('reassigned', { who: person?.name ?? (role ? x('queueOf', { role: role.title }) : to) }));
      setOpened(false);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  // Someone who does not lead the step's role is refused by the server: no button for them.
  if (choices.error instanceof ApiError && choices.error.status === 403) return null;
  return (
    <div className="reassign">
      <p>
        <strong>{title}</strong> · {x('holder')}: {holder ?? x('queue')}{' '}
        {!opened && (
          <button type="button" className="secondary small" onClick={() => setOpened(true)}>
            {x('reassign')}
          </button>
        )}
      </p>
      {note && (
        <p className="muted" role="status">
          {note}
        </p>
      )}
      {opened && (
        <form className="toolbar" onSubmit={save} aria-label={x('reassignTitle', { task: title })}>
          <label htmlFor={`ra-${taskId}`}>{x('reassignTo')}</label>
          <select id={`ra-${taskId}`} value={to} onChange={(e) => setTo(e.target.value)}>
            <option value="">—</option>
            {(choices.data?.people ?? []).map((p) => (
              <option key={p.id} value={p.id} disabled={p.id === choices.data?.assigneeId}>
                {p.name}
              </option>
            ))}
            {(choices.data?.roles ?? [])
              .filter((r) => r.id === choices.data?.role.id)
              .map((r) => (
                <option key={`role:${r.id}`} value={r.id}>
                  {x('queueOf', { role: r.title })}
                </option>
              ))}
          </select>
          <button type="submit" disabled={!to || busy}>
            {x('save')}
          </button>
          <button type="button" className="secondary" onClick={() => setOpened(false)}>
            {x('cancelNo')}
          </button>
        </form>
      )}
      <ErrorNote error={error ?? (choices.error instanceof ApiError && choices.error.status === 403 ? undefined : choices.error)} />
    </div>
  );
}

function CancelOrder({ orderId, onDone }: { orderId: string; onDone: () => void }) {
  const x = useOrderOpsText();
  const [reason, setReason] = useState('');
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<unknown>();
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const ask = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return setFieldError(x('reasonRequired'));
    setFieldError(undefined);
    setAsking(true);
  };
  const cancel = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await post(`/orders/${encodeURIComponent(orderId)}/cancel`, { reason: reason.trim() });
      setDone(true);
      setAsking(false);
      onDone();
    } catch (err) {
      setAsking(false);
      if (err instanceof ApiError && err.fields.some((f) => f.field === 'reason'))
        setFieldError(err.fields.find((f) => f.field === 'reason')!.message);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (done)
    return (
      <p role="status" className="ok">
        {x('cancelled')}
      </p>
    );
  return (
    <form className="cancel-order" onSubmit={ask}>
      <div className={fieldError ? 'field invalid' : 'field'}>
        <label htmlFor="cancel-reason">{x('cancelReason')}</label>
        <input
          id="cancel-reason"
          type="text"
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={fieldError ? 'cancel-reason-error' : undefined}
        />
        {fieldError && (
          <p id="cancel-reason-error" className="field-error" role="alert">
            {fieldError}
          </p>
        )}
      </div>
      <button type="submit" className="danger">
        {x('cancelOrder')}
      </button>
      {asking && (
        <div role="alertdialog" aria-modal="true" aria-labelledby="cancel-ask" className="confirm-dialog">
          <p id="cancel-ask">{x('cancelAsk', { id: orderId })}</p>
          <button type="button" className="danger" disabled={busy} onClick={() => void cancel()} autoFocus>
            {x('cancelYes')}
          </button>
          <button type="button" className="secondary" onClick={() => setAsking(false)}>
            {x('cancelNo')}
          </button>
        </div>
      )}
      <ErrorNote error={error} />
    </form>
  );
}
