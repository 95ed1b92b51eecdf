/**
 * KPI periods for managers: start the current period (or backfill a past one) on the active
 * plan, and set a target mid-period — the total, one channel's, or one rep's — with the reason
 * kept beside who changed it (POST /kpi/periods, POST /kpi/periods/{id}/targets).
 */
import { useState, type FormEvent } from 'react';
import { ApiError, get, post, type KpiPeriod } from '../api';
import { Card, ErrorNote, Loading } from '../components';
import { useLoad } from '../hooks';
import { formatDateTime, formatPercent, formatVnd, useI18n, usePageWords } from '../i18n';
import { loadOrderChoices } from './ManualOrder';

const TEXT = {
  vi: {
    title: 'Kỳ KPI và chỉ tiêu',
    start: 'Bắt đầu kỳ KPI',
    startHelp: 'Để trống mã kỳ để bắt đầu kỳ hiện tại; nhập một kỳ đã qua (ví dụ 2026-01) để tính bù.',
    periodKey: 'Mã kỳ',
    started: 'Đã bắt đầu kỳ {id}.',
    already: 'Kỳ {id} đã chạy từ trước.',
    noPeriod: 'Chưa có kỳ KPI nào.',
    period: 'Kỳ',
    running: 'đang chạy',
    closed: 'đã đóng',
    targets: 'Chỉ tiêu của kỳ {period}',
    metric: 'Chỉ tiêu',
    target: 'Mục tiêu',
    actual: 'Thực tế',
    setTarget: 'Đặt chỉ tiêu',
    scope: 'Áp dụng cho',
    total: 'Cả shop',
    channel: 'Kênh: {name}',
    rep: 'Nhân viên: {name}',
    value: 'Giá trị mới',
    valueHelpMoney: 'VND, ví dụ 150.000.000',
    valueHelpRate: 'Tỷ lệ 0–1 (0,08 = 8%)',
    valueHelpCount: 'Số lượng',
    reason: 'Lý do',
    save: 'Lưu chỉ tiêu',
    saved: 'Đã lưu chỉ tiêu mới.',
    fix: 'Vui lòng sửa các ô được đánh dấu.',
    revisions: 'Các lần sửa chỉ tiêu',
    chooseMetric: '— Chọn chỉ tiêu —',
  },
  en: {
    title: 'KPI periods and targets',
    start: 'Start a KPI period',
    startHelp: 'Leave the period key empty for the current period; a past one (e.g. 2026-01) is a backfill.',
    periodKey: 'Period key',
    started: 'Period {id} started.',
    already: 'Period {id} was already running.',
    noPeriod: 'No KPI period yet.',
    period: 'Period',
    running: 'running',
    closed: 'closed',
    targets: 'Targets of {period}',
    metric: 'Metric',
    target: 'Target',
    actual: 'Actual',
    setTarget: 'Set a target',
    scope: 'For',
    total: 'The whole shop',
    channel: 'Channel: {name}',
    rep: 'Staff: {name}',
    value: 'New value',
    valueHelpMoney: 'VND, e.g. 150,000,000',
    valueHelpRate: 'A share 0–1 (0.08 = 8%)',
    valueHelpCount: 'A count',
    reason: 'Reason',
    save: 'Save target',
    saved: 'The new target is saved.',
    fix: 'Please fix the marked fields.',
    revisions: 'Target revisions',
    chooseMetric: '— Choose a metric —',
  },
} as const;

const useText = () => usePageWords(TEXT);

type Metric = KpiPeriod['metrics'][number];
const MONEY = new Set(['revenue', 'costPerLead', 'newCustomerRevenue']);
const RATES = new Set(['returnRate', 'closeRate', 'tasksOnTime', 'complaintsOnTime', 'careCoverage']);

/** "150.000.000" → 150000000; "0,08" → 0.08. */
function typedValue(text: string, type: string): number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const n = RATES.has(type) ? Number(t.replace(',', '.')) : Number(t.replace(/[.\s,_]/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

export function KpiAdminPage() {
  const x = useText();
  const { lang } = useI18n();
  const periods = useLoad(() => get<{ periods: KpiPeriod[] }>('/kpi/periods').then((r) => r.periods), []);
  const channels = useLoad(() => loadOrderChoices().then((c) => new Map(c.channels.map((ch) => [ch.id, ch.title]))), []);
  // Names of the reps a target can be set for (managers may read staff; otherwise the split's keys are all we have).
  const people = useLoad(
    () =>
      get<{ staff: Array<{ id: string; name: string }> }>('/staff').then(
        (r) => new Map(r.staff.map((s) => [s.id, s.name])),
        () => new Map<string, string>(),
      ),
    [],
  );
  const [selected, setSelected] = useState<string | null>(null);
  const list = periods.data ?? [];
  const period = list.find((p) => p.id === selected) ?? list.find((p) => p.status === 'running') ?? list[0];

  const show = (m: Metric, v: number | null | undefined) =>
    v === null || v === undefined ? '—' : MONEY.has(m.type) ? formatVnd(v, lang) : RATES.has(m.type) ? formatPercent(v, lang) : String(v);

  return (
    <>
      <Card level={1} id="kpi-admin-title" title={x('title')}>
        <StartPeriod onStarted={() => void periods.reload()} />
      </Card>
      <ErrorNote error={periods.error} />
      {!periods.data ? (
        <Loading />
      ) : !period ? (
        <p className="muted">{x('noPeriod')}</p>
      ) : (
        <Card id="kpi-targets-title" title={x('targets', { period: period.period })}>
          <div className="toolbar">
            <label htmlFor="kpi-period">{x('period')}</label>
            <select id="kpi-period" value={period.id} onChange={(e) => setSelected(e.target.value)}>
              {list.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.period} ({p.status === 'running' ? x('running') : x('closed')})
                </option>
              ))}
            </select>
          </div>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{x('metric')}</th>
                  <th scope="col">{x('target')}</th>
                  <th scope="col">{x('actual')}</th>
                </tr>
              </thead>
              <tbody>
                {period.metrics.map((m) => (
                  <tr key={m.id}>
                    <td>{m.title}</td>
                    <td className="num" data-metric={m.id}>
                      {show(m, m.target)}
                    </td>
                    <td className="num">{show(m, m.actual)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {period.status === 'running' && (
            <SetTarget
              key={period.id}
              period={period}
              channelName={(id) => channels.data?.get(id) ?? id}
              personName={(id) => people.data?.get(id) ?? id}
              onSaved={() => void periods.reload()}
            />
          )}
          {period.revisions.length > 0 && (
            <>
              <h3>{x('revisions')}</h3>
              <ul className="plain">
                {period.revisions.map((r, i) => (
                  <li key={i}>
                    {formatDateTime(r.at, lang)} — {period.metrics.find((m) => m.id === r.metric)?.title ?? r.metric} ({r.scope}):{' '}
                    {String(r.oldValue ?? '—')} → {String(r.newValue)} · {people.data?.get(r.actor) ?? r.actor}: {r.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </Card>
      )}
    </>
  );
}

function StartPeriod({ onStarted }: { onStarted: () => void }) {
  const x = useText();
  const [key, setKey] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>();
  const [fieldError, setFieldError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setFieldError(undefined);
    setNote('');
    try {
      const r = await post<{ id: string; created: boolean }>('/kpi/periods', key.trim() ? { period: key.trim() } : {});
      setNote(r.created ? x('started', { id: r.id }) : x('already', { id: r.id }));
      onStarted();
    } catch (err) {
      const f = err instanceof ApiError ? err.fields.find((g) => g.field === 'period') : undefined;
      if (f) setFieldError(f.message);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="toolbar" onSubmit={submit} aria-label={x('start')}>
      <div className={fieldError ? 'field invalid' : 'field'}>
        <label htmlFor="kpi-start-period">{x('periodKey')}</label>
        <input
          id="kpi-start-period"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          placeholder="2026-01"
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={fieldError ? 'kpi-start-period-error kpi-start-help' : 'kpi-start-help'}
        />
        {fieldError && (
          <p id="kpi-start-period-error" className="field-error" role="alert">
            {fieldError}
          </p>
        )}
      </div>
      <button type="submit" disabled={busy}>
        {x('start')}
      </button>
      <p id="kpi-start-help" className="muted small">
        {x('startHelp')}
      </p>
      {note && <p role="status">{note}</p>}
      <ErrorNote error={error} />
    </form>
  );
}

function SetTarget({
  period,
  channelName,
  personName,
  onSaved,
}: {
  period: KpiPeriod;
  channelName: (id: string) => string;
  personName: (id: string) => string;
  onSaved: () => void;
}) {
  const x = useText();
  const [metricId, setMetricId] = useState('');
  const [scope, setScope] = useState('total');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const metric = period.metrics.find((m) => m.id === metricId);
  const scopes: Array<[string, string]> = [['total', x('total')]];
  if (metric?.channels)
    for (const id of Object.keys(metric.channels)) scopes.push([`channel:${id}`, x('channel', { name: channelName(id) })]);
  if (metric?.type === 'revenue' && metric.staff)
    for (const id of Object.keys(metric.staff)) scopes.push([`rep:${id}`, x('rep', { name: personName(id) })]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    setError(undefined);
    setNote('');
    const missing: Record<string, string> = {};
    if (!metric) missing.metric = x('chooseMetric');
    const n = metric ? typedValue(value, metric.type) : undefined;
    if (n === undefined) missing.value = x(metric && RATES.has(metric.type) ? 'valueHelpRate' : 'valueHelpCount');
    if (!reason.trim()) missing.reason = x('reason');
    if (Object.keys(missing).length) {
      setErrors(missing);
      setError(new Error(x('fix')));
      return;
    }
    setBusy(true);
    try {
      await post(`/kpi/periods/${encodeURIComponent(period.id)}/targets`, { metric: metricId, scope, value: n, reason: reason.trim() });
      setNote(x('saved'));
      setValue('');
      setReason('');
      onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        setErrors(Object.fromEntries(err.fields.map((f) => [f.field, f.message])));
        setError(new Error(x('fix')));
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fieldNote = (key: string) =>
    errors[key] ? (
      <p id={`kt-${key}-error`} className="field-error" role="alert">
        {errors[key]}
      </p>
    ) : null;
  return (
    <form className="form kpi-target" onSubmit={submit} noValidate>
      <h3>{x('setTarget')}</h3>
      <div className={errors.metric ? 'field invalid' : 'field'}>
        <label htmlFor="kt-metric">{x('metric')}</label>
        <select
          id="kt-metric"
          value={metricId}
          onChange={(e) => {
            setMetricId(e.target.value);
            setScope('total');
          }}
          aria-invalid={errors.metric ? true : undefined}
        >
          <option value="">{x('chooseMetric')}</option>
          {period.metrics.map((m) => (
            <option key={m.id} value={m.id}>
              {m.title}
            </option>
          ))}
        </select>
        {fieldNote('metric')}
      </div>
      <div className={errors.scope ? 'field invalid' : 'field'}>
        <label htmlFor="kt-scope">{x('scope')}</label>
        <select id="kt-scope" value={scope} onChange={(e) => setScope(e.target.value)} aria-invalid={errors.scope ? true : undefined}>
          {scopes.map(([id, label]) => (
            <option key={id} value={id}>
              {label}
            </option>
          ))}
        </select>
        {fieldNote('scope')}
      </div>
      <div className={errors.value ? 'field invalid' : 'field'}>
        <label htmlFor="kt-value">{x('value')}</label>
        <input
          id="kt-value"
          inputMode="decimal"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={errors.value ? true : undefined}
          aria-describedby="kt-value-help"
        />
        <p id="kt-value-help" className="muted small">
          {metric && MONEY.has(metric.type)
            ? x('valueHelpMoney')
            : metric && RATES.has(metric.type)
              ? x('valueHelpRate')
              : x('valueHelpCount')}
        </p>
        {fieldNote('value')}
      </div>
      <div className={errors.reason ? 'field invalid' : 'field'}>
        <label htmlFor="kt-reason">{x('reason')}</label>
        <input id="kt-reason" value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={errors.reason ? true : undefined} />
        {fieldNote('reason')}
      </div>
      <ErrorNote error={error} />
      {note && <p role="status">{note}</p>}
      <button type="submit" disabled={busy}>
        {x('save')}
      </button>
    </form>
  );
}
