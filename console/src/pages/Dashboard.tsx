/**
 * The manager's dashboard: what is late (deliveries past their SLA, overdue tasks with their
 * escalation level), open orders per stage, today's revenue, and the running KPI period as
 * charts against targets. Figures come from the public API; lists are read a few pages deep.
 */
import { allPages, ApiError, get, type KpiMetric, type KpiPeriod, type Me, type Order, type OrderDetail, type Staff, type Task } from '../api';
import { TargetChart } from '../charts';
import { Card, can, ErrorNote, LastUpdated, Loading, PriorityBadge, TimeLeft } from '../components';
import { useLoad, useNow } from '../hooks';
import { formatDateTime, formatDuration, formatPercent, formatVnd, shopMidnight, useI18n } from '../i18n';
import { Link } from '../router';

const REFRESH_SECONDS = 10;
const FINAL_SHIPMENT_STATES = ['delivered', 'returned', 'cancelled', 'lost'];
const MAX_LATE_CANDIDATES = 40;

export interface LateDelivery { order: OrderDetail; dueAt: string; level: number }

/**
 * Orders whose parcel is still out past its delivery SLA (the order's `deliveryDueAt`) or the
 * courier's expected delivery time. The escalation level is the number of rungs that opened a
 * follow-up on this stage visit (at least 1 once the SLA has passed).
 */
async function lateDeliveries(now: number): Promise<LateDelivery[]> {
  const [late, open] = await Promise.all([allPages<Order>('/orders?status=open&late=true', 'orders', 2), allPages<Order>('/orders?status=open', 'orders', 2)]);
  const candidates = new Map<string, Order>();
  for (const o of [...late.items, ...open.items]) if (o.trackingCode) candidates.set(o.id, o);
  const details = await Promise.all([...candidates.keys()].slice(0, MAX_LATE_CANDIDATES).map((id) => get<OrderDetail>(`/orders/${encodeURIComponent(id)}`).catch(() => null)));
  const found: LateDelivery[] = [];
  for (const order of details) {
    const s = order?.shipment;
    if (!order || !s || FINAL_SHIPMENT_STATES.includes(s.state)) continue;
    const dues = [s.deliveryDueAt, s.expectedDeliveryAt].filter((d): d is string => Boolean(d)).sort();
    const passed = dues.find((d) => Date.parse(d) < now);
    if (!passed) continue;
    const followUps = order.current?.waitingOn.filter((w) => (w as { stage?: string }).stage === order.current?.stage).length ?? 0;
    const slaPassed = s.deliveryDueAt ? Date.parse(s.deliveryDueAt) < now : false;
    found.push({ order, dueAt: passed, level: Math.max(followUps, slaPassed ? 1 : 0) });
  }
  return found.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

async function loadDashboard(me: Me) {
  const now = Date.now();
  const midnight = shopMidnight(new Date(now)).toISOString();
  const [late, overdue, open, today, completed, kpi, staff] = await Promise.all([
    lateDeliveries(now),
    allPages<Task>('/tasks?status=open&overdue=true', 'tasks', 2),
    allPages<Order>('/orders?status=open', 'orders', 5),
    allPages<Order>(`/orders?from=${encodeURIComponent(midnight)}`, 'orders', 5),
    allPages<Order>('/orders?status=completed', 'orders', 3),
    can(me, 'kpi.read') ? get<KpiPeriod>('/kpi/periods/current').catch((err: unknown) => (err instanceof ApiError && (err.status === 404 || err.status === 409) ? null : Promise.reject(err))) : Promise.resolve(null),
    can(me, 'staff.manage') ? get<{ staff: Staff[] }>('/staff').then((r) => r.staff).catch(() => []) : Promise.resolve([] as Staff[]),
  ]);
  const perStage = new Map<string, number>();
  for (const o of open.items) perStage.set(o.stage ?? '—', (perStage.get(o.stage ?? '—') ?? 0) + 1);
  const closedToday = today.items.filter((o) => o.total !== null && !['lost', 'cancelled'].includes(o.status));
  const deliveredToday = completed.items.filter((o) => o.updatedAt >= midnight);
  return {
    late,
    overdue: overdue.items.sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? '')),
    perStage: [...perStage.entries()].sort((a, b) => b[1] - a[1]),
    openComplete: open.complete,
    closedToday: { count: closedToday.length, sum: closedToday.reduce((n, o) => n + (o.total ?? 0), 0) },
    deliveredToday: { count: deliveredToday.length, sum: deliveredToday.reduce((n, o) => n + (o.total ?? o.codAmount ?? 0), 0) },
    kpi,
    names: new Map(staff.map((s) => [s.id, s.name])),
  };
}

export function DashboardPage({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const now = useNow();
  const { data, error, loadedAt, reload } = useLoad(() => loadDashboard(me), [me.staffId], REFRESH_SECONDS * 1000);
  if (!data) return <><ErrorNote error={error} /><Loading /></>;
  return (
    <div className="dashboard">
      <div className="dash-head">
        <h1>{t('navDashboard')}</h1>
        <button type="button" className="secondary" onClick={() => void reload()}>{t('refresh')}</button>
      </div>
      <LastUpdated at={loadedAt} everySeconds={REFRESH_SECONDS} />
      <ErrorNote error={error} />
      <div className="tiles">
        <div className="tile"><h2>{t('closedToday')}</h2><p className="big">{formatVnd(data.closedToday.sum, lang)}</p><p className="muted small">{t('ordersCount', { n: data.closedToday.count })}</p></div>
        <div className="tile"><h2>{t('deliveredToday')}</h2><p className="big">{formatVnd(data.deliveredToday.sum, lang)}</p><p className="muted small">{t('ordersCount', { n: data.deliveredToday.count })}</p></div>
        <div className="tile"><h2>{t('lateDeliveries')}</h2><p className={data.late.length ? 'big overdue' : 'big'}>{data.late.length}</p></div>
        <div className="tile"><h2>{t('overdueTasks')}</h2><p className={data.overdue.length ? 'big overdue' : 'big'}>{data.overdue.length}</p></div>
      </div>

      <Card id="late-title" title={t('lateDeliveries')}>
        {data.late.length === 0 ? <p className="muted">{t('noLate')}</p> : (
          <div className="table-wrap"><table data-testid="late-deliveries">
            <thead><tr><th scope="col">{t('orderId')}</th><th scope="col">{t('customer')}</th><th scope="col">{t('courier')}</th><th scope="col">{t('shipmentState')}</th><th scope="col">{t('dueAt')}</th><th scope="col">{t('lateBy')}</th><th scope="col">{t('escalation')}</th></tr></thead>
            <tbody>{data.late.map(({ order, dueAt, level }) => (
              <tr key={order.id}>
                <td><Link href={`/orders/${encodeURIComponent(order.id)}`}>{order.id}</Link></td>
                <td>{order.customer.name}<br /><span className="muted small">{order.customer.phone}</span></td>
                <td>{order.shipment?.courier} · {order.shipment?.trackingCode}</td>
                <td>{order.shipment?.state}</td>
                <td>{formatDateTime(dueAt, lang)}</td>
                <td className="overdue">{formatDuration((now - Date.parse(dueAt)) / 1000, lang)}</td>
                <td>{t('escalationLevel', { n: level })}</td>
              </tr>
            ))}</tbody>
          </table></div>
        )}
      </Card>

      <Card id="overdue-title" title={t('overdueTasks')}>
        {data.overdue.length === 0 ? <p className="muted">{t('noOverdue')}</p> : (
          <div className="table-wrap"><table data-testid="overdue-tasks">
            <thead><tr><th scope="col">{t('navTasks')}</th><th scope="col">{t('order')}</th><th scope="col">{t('role')}</th><th scope="col">{t('assignee')}</th><th scope="col">{t('timeLeft')}</th><th scope="col">{t('priority')}</th><th scope="col">{t('escalation')}</th></tr></thead>
            <tbody>{data.overdue.map((task) => (
              <tr key={task.id}>
                <td>{task.title}</td>
                <td><Link href={`/orders/${encodeURIComponent(task.subject.id)}`}>{task.subject.id}</Link></td>
                <td>{task.role}</td>
                <td>{task.assigneeId ? data.names.get(task.assigneeId) ?? task.assigneeId : t('unassigned')}</td>
                <td><TimeLeft dueAt={task.dueAt} now={now} /></td>
                <td><PriorityBadge priority={task.priority} /></td>
                <td>{t('escalationLevel', { n: task.escalationLevel })}</td>
              </tr>
            ))}</tbody>
          </table></div>
        )}
      </Card>

      <Card id="stages-title" title={t('ordersPerStage')}>
        {data.perStage.length === 0 ? <p className="muted">{t('noOrders')}</p> : (
          <>
            <TargetChart label={t('ordersPerStage')} integer format={(v) => String(v)}
              series={{ labels: data.perStage.map(([s]) => s), actual: data.perStage.map(([, n]) => n), actualLabel: t('count'), lineLabel: '' }} />
            <div className="table-wrap"><table className="compact"><tbody>{data.perStage.map(([stage, n]) => <tr key={stage}><th scope="row">{stage}</th><td className="num">{n}</td></tr>)}</tbody></table></div>
            {!data.openComplete && <p className="muted small">{t('approxNote', { n: 1000 })}</p>}
          </>
        )}
      </Card>

      <KpiCharts period={data.kpi} names={data.names} />
    </div>
  );
}

function KpiCharts({ period, names }: { period: KpiPeriod | null; names: Map<string, string> }) {
  const { t, lang } = useI18n();
  if (!period) return <Card id="kpi-title" title={t('kpiPeriod', { period: '—' })}><p className="muted">{t('noKpi')}</p></Card>;
  const vnd = (v: number) => formatVnd(v, lang);
  const pct = (v: number) => formatPercent(v, lang);
  const revenue = period.metrics.filter((m) => m.type === 'revenue');
  const returns = period.metrics.filter((m) => m.type === 'returnRate');
  return (
    <Card id="kpi-title" title={t('kpiPeriod', { period: period.period })}>
      <p className="muted small">{t('elapsed', { p: formatPercent(period.elapsed, lang) })} · {t('lastUpdated')} {formatDateTime(period.actualsAt, lang)}</p>
      {revenue.map((m) => (
        <div key={m.id} className="kpi-block">
          <h3>{m.title}: {vnd(m.actual ?? 0)} / {vnd(m.target)} {m.pacing && <span className={m.pacing.onTrack ? 'ok' : 'overdue'}>({m.pacing.onTrack ? t('onTrack') : t('behind')})</span>}</h3>
          {m.channels && <SplitChart title={t('revenueByChannel')} metric={m} split={m.channels} elapsed={period.elapsed} label={(k) => k} format={vnd} />}
          {m.staff && <SplitChart title={t('revenueByRep')} metric={m} split={m.staff} elapsed={period.elapsed} label={(k) => names.get(k) ?? k} format={vnd} />}
        </div>
      ))}
      {returns.map((m) => {
        const couriers = Object.entries(m.couriers ?? {});
        return (
          <div key={m.id} className="kpi-block">
            <h3>{t('returnRateByCourier')}: {pct(m.actual ?? 0)} / {t('ceiling')} {pct(m.target)}</h3>
            {couriers.length === 0 ? <p className="muted">{t('noResults')}</p> : (
              <>
                <TargetChart label={t('returnRateByCourier')} format={pct}
                  series={{ labels: couriers.map(([c]) => c), actual: couriers.map(([, v]) => v.value ?? 0), actualLabel: t('returnRate'), line: couriers.map(() => m.target), lineLabel: t('ceiling') }} />
                <div className="table-wrap"><table className="compact">
                  <thead><tr><th scope="col">{t('courier')}</th><th scope="col">{t('returnRate')}</th><th scope="col">{t('count')}</th></tr></thead>
                  <tbody>{couriers.map(([c, v]) => <tr key={c}><th scope="row">{c}</th><td className={v.value !== null && v.value > m.target ? 'num overdue' : 'num'}>{pct(v.value ?? 0)}</td><td className="num">{v.returned}/{v.shipped}</td></tr>)}</tbody>
                </table></div>
              </>
            )}
          </div>
        );
      })}
    </Card>
  );
}

/** Actual vs target per key, with the pacing line: target × the share of the period elapsed. */
function SplitChart({ title, split, elapsed, label, format }: { title: string; metric: KpiMetric; split: Record<string, { target: number | null; actual: number | null }>; elapsed: number; label: (key: string) => string; format: (v: number) => string }) {
  const { t } = useI18n();
  const keys = Object.keys(split);
  if (keys.length === 0) return null;
  return (
    <>
      <h4>{title}</h4>
      <TargetChart label={title} format={format} series={{
        labels: keys.map(label), actual: keys.map((k) => split[k]!.actual ?? 0), target: keys.map((k) => split[k]!.target ?? 0),
        line: keys.map((k) => (split[k]!.target ?? 0) * Math.min(1, elapsed)), actualLabel: t('actual'), targetLabel: t('target'), lineLabel: t('pacing'),
      }} />
      <div className="table-wrap"><table className="compact">
        <thead><tr><th scope="col">{t('name')}</th><th scope="col">{t('actual')}</th><th scope="col">{t('target')}</th><th scope="col">{t('pacing')}</th></tr></thead>
        <tbody>{keys.map((k) => {
          const v = split[k]!;
          const expected = (v.target ?? 0) * Math.min(1, elapsed);
          return <tr key={k}><th scope="row">{label(k)}</th><td className={(v.actual ?? 0) < expected ? 'num overdue' : 'num'}>{format(v.actual ?? 0)}</td><td className="num">{format(v.target ?? 0)}</td><td className="num">{format(expected)}</td></tr>;
        })}</tbody>
      </table></div>
    </>
  );
}
