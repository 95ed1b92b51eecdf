/**
 * The manager's dashboard: what is late (parcels past their delivery SLA, overdue tasks, each
 * with the escalation rung reached), open orders per stage, today's revenue, and the running KPI
 * period as charts against targets. The figures come from `GET /dashboard` (indexed SQL on the
 * server) and the KPI period from `GET /kpi/periods/current`.
 */
import { ApiError, get, readCourierReturnRate, type Dashboard, type KpiMetric, type KpiPeriod, type Me, type Staff } from '../api';
import { TargetChart } from '../charts';
import { Card, can, ErrorNote, LastUpdated, Loading, PriorityBadge, TimeLeft } from '../components';
import { useLoad, useNow } from '../hooks';
import { formatDateTime, formatDuration, formatPercent, formatVnd, useI18n } from '../i18n';
import { Link } from '../router';

const REFRESH_SECONDS = 10;
const orNull = (err: unknown, ...statuses: number[]) =>
  err instanceof ApiError && statuses.includes(err.status) ? null : Promise.reject(err);

async function loadDashboard(me: Me) {
  const [figures, kpi, staff] = await Promise.all([
    can(me, 'reports.read') ? get<Dashboard>('/dashboard') : Promise.resolve(null),
    can(me, 'kpi.read') ? get<KpiPeriod>('/kpi/periods/current').catch((err: unknown) => orNull(err, 404, 409)) : Promise.resolve(null),
    can(me, 'staff.manage')
      ? get<{ staff: Staff[] }>('/staff')
          .then((r) => r.staff)
          .catch(() => [])
      : Promise.resolve([] as Staff[]),
  ]);
  return { figures, kpi, names: new Map(staff.map((s) => [s.id, s.name])) };
}

export function DashboardPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const { data, error, loadedAt, reload } = useLoad(() => loadDashboard(me), [me.staffId], REFRESH_SECONDS * 1000);
  if (!data)
    return (
      <>
        <ErrorNote error={error} />
        <Loading />
      </>
    );
  return (
    <div className="dashboard">
      <div className="dash-head">
        <h1>{t('navDashboard')}</h1>
        <button type="button" className="secondary" onClick={() => void reload()}>
          {t('refresh')}
        </button>
      </div>
      <LastUpdated at={loadedAt} everySeconds={REFRESH_SECONDS} />
      <ErrorNote error={error} />
      {data.figures && <Figures figures={data.figures} names={data.names} />}
      <KpiCharts period={data.kpi} names={data.names} />
    </div>
  );
}

function Figures({ figures, names }: { figures: Dashboard; names: Map<string, string> }) {
  const { t, lang } = useI18n();
  const now = useNow();
  const { closed, delivered } = figures.today;
  const late = figures.lateDeliveries;
  const overdue = figures.overdueTasks;
  const stageLabel = (s: Dashboard['ordersPerStage'][number]) => (s.title ? `${s.title} (${s.stage})` : s.stage || '—');
  return (
    <>
      <div className="tiles">
        <div className="tile">
          <h2>{t('closedToday')}</h2>
          <p className="big">{formatVnd(closed.value, lang)}</p>
          <p className="muted small">{t('ordersCount', { n: closed.orders })}</p>
        </div>
        <div className="tile" data-testid="revenue-today">
          <h2>{t('revenueToday')}</h2>
          <p className="big">{formatVnd(delivered.revenue, lang)}</p>
          <p className="muted small">
            {t('deliveredCount', { n: delivered.orders })}
            {delivered.returned ? ` · ${t('returnedCount', { n: delivered.returned, v: formatVnd(delivered.returnedValue, lang) })}` : ''}
          </p>
        </div>
        <div className="tile">
          <h2>{t('lateDeliveries')}</h2>
          <p className={late.count ? 'big overdue' : 'big'}>{late.count}</p>
        </div>
        <div className="tile">
          <h2>{t('overdueTasks')}</h2>
          <p className={overdue.count ? 'big overdue' : 'big'}>{overdue.count}</p>
        </div>
      </div>
      <p className="muted small">{t('todayIs', { day: figures.day, tz: figures.timezone })}</p>

      {figures.stuck && figures.stuck.count > 0 && <StuckWorkflows stuck={figures.stuck} />}

      <Card id="late-title" title={t('lateDeliveries')}>
        {late.orders.length === 0 ? (
          <p className="muted">{t('noLate')}</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="late-deliveries">
              <thead>
                <tr>
                  <th scope="col">{t('orderId')}</th>
                  <th scope="col">{t('customer')}</th>
                  <th scope="col">{t('courier')}</th>
                  <th scope="col">{t('shipmentState')}</th>
                  <th scope="col">{t('dueAt')}</th>
                  <th scope="col">{t('lateBy')}</th>
                  <th scope="col">{t('escalation')}</th>
                </tr>
              </thead>
              <tbody>
                {late.orders.map((o) => (
                  <tr key={o.orderId}>
                    <td>
                      <Link href={`/orders/${encodeURIComponent(o.orderId)}`}>{o.orderId}</Link>
                    </td>
                    <td>
                      {o.customer.name}
                      <br />
                      <span className="muted small">{o.customer.phone}</span>
                    </td>
                    <td>
                      {o.courier} · {o.trackingCode}
                    </td>
                    <td>{o.state}</td>
                    <td>{formatDateTime(o.deliveryDueAt, lang)}</td>
                    <td className="overdue">{formatDuration((now - Date.parse(o.deliveryDueAt)) / 1000, lang)}</td>
                    <td>{t('escalationLevel', { n: o.escalationLevel })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {late.count > late.orders.length && (
          <p className="muted small">{t('showingFirst', { n: late.orders.length, total: late.count })}</p>
        )}
      </Card>

      <Card id="overdue-title" title={t('overdueTasks')}>
        {overdue.tasks.length === 0 ? (
          <p className="muted">{t('noOverdue')}</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="overdue-tasks">
              <thead>
                <tr>
                  <th scope="col">{t('navTasks')}</th>
                  <th scope="col">{t('order')}</th>
                  <th scope="col">{t('role')}</th>
                  <th scope="col">{t('assignee')}</th>
                  <th scope="col">{t('timeLeft')}</th>
                  <th scope="col">{t('priority')}</th>
                  <th scope="col">{t('escalation')}</th>
                </tr>
              </thead>
              <tbody>
                {overdue.tasks.map((task) => (
                  <tr key={task.id}>
                    <td>{task.title}</td>
                    <td>
                      {task.subject.type === 'order' ? (
                        <Link href={`/orders/${encodeURIComponent(task.subject.id)}`}>{task.subject.id}</Link>
                      ) : task.subject.type === 'complaint' ? (
                        <Link href={`/complaints/${encodeURIComponent(task.subject.id)}`}>{task.subject.id}</Link>
                      ) : (
                        task.subject.id
                      )}
                    </td>
                    <td>{task.role}</td>
                    <td>{task.assigneeId ? (names.get(task.assigneeId) ?? task.assigneeId) : t('unassigned')}</td>
                    <td>
                      <TimeLeft dueAt={task.dueAt} now={now} />
                    </td>
                    <td>
                      <PriorityBadge priority={task.priority} />
                    </td>
                    <td>{t('escalationLevel', { n: task.escalationLevel })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {overdue.count > overdue.tasks.length && (
          <p className="muted small">{t('showingFirst', { n: overdue.tasks.length, total: overdue.count })}</p>
        )}
      </Card>

      <Card id="stages-title" title={t('ordersPerStage')}>
        {figures.ordersPerStage.length === 0 ? (
          <p className="muted">{t('noOrders')}</p>
        ) : (
          <>
            <TargetChart
              label={t('ordersPerStage')}
              integer
              format={(v) => String(v)}
              series={{
                labels: figures.ordersPerStage.map(stageLabel),
                actual: figures.ordersPerStage.map((s) => s.count),
                actualLabel: t('count'),
                lineLabel: '',
              }}
            />
            <div className="table-wrap">
              <table className="compact" data-testid="orders-per-stage">
                <tbody>
                  {figures.ordersPerStage.map((s) => (
                    <tr key={s.stage}>
                      <th scope="row">{stageLabel(s)}</th>
                      <td className="num">{s.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Card>
    </>
  );
}

function KpiCharts({ period, names }: { period: KpiPeriod | null; names: Map<string, string> }) {
  const { t, lang } = useI18n();
  if (!period)
    return (
      <Card id="kpi-title" title={t('kpiPeriod', { period: '—' })}>
        <p className="muted">{t('noKpi')}</p>
      </Card>
    );
  const vnd = (v: number) => formatVnd(v, lang);
  const pct = (v: number) => formatPercent(v, lang);
  const revenue = period.metrics.filter((m) => m.type === 'revenue');
  const returns = period.metrics.filter((m) => m.type === 'returnRate');
  return (
    <Card id="kpi-title" title={t('kpiPeriod', { period: period.period })}>
      <p className="muted small">
        {t('elapsed', { p: formatPercent(period.elapsed, lang) })} · {t('lastUpdated')} {formatDateTime(period.actualsAt, lang)}
      </p>
      {revenue.map((m) => (
        <div key={m.id} className="kpi-block">
          <h3>
            {m.title}: {vnd(m.actual ?? 0)} / {vnd(m.target)}{' '}
            {m.pacing && <span className={m.pacing.onTrack ? 'ok' : 'overdue'}>({m.pacing.onTrack ? t('onTrack') : t('behind')})</span>}
          </h3>
          {m.channels && (
            <SplitChart
              title={t('revenueByChannel')}
              metric={m}
              split={m.channels}
              elapsed={period.elapsed}
              label={(k) => k}
              format={vnd}
            />
          )}
          {m.staff && (
            <SplitChart
              title={t('revenueByRep')}
              metric={m}
              split={m.staff}
              elapsed={period.elapsed}
              label={(k) => names.get(k) ?? k}
              format={vnd}
            />
          )}
        </div>
      ))}
      {returns.map((m) => {
        const couriers = Object.entries(m.couriers ?? {}).map(([c, v]) => [c, readCourierReturnRate(v)] as const);
        return (
          <div key={m.id} className="kpi-block">
            <h3>
              {t('returnRateByCourier')}: {pct(m.actual ?? 0)} / {t('ceiling')} {pct(m.target)}
            </h3>
            {couriers.length === 0 ? (
              <p className="muted">{t('noResults')}</p>
            ) : (
              <>
                <TargetChart
                  label={t('returnRateByCourier')}
                  format={pct}
                  series={{
                    labels: couriers.map(([c]) => c),
                    actual: couriers.map(([, v]) => v.value ?? 0),
                    actualLabel: t('returnRate'),
                    line: couriers.map(() => m.target),
                    lineLabel: t('ceiling'),
                  }}
                />
                <div className="table-wrap">
                  <table className="compact">
                    <thead>
                      <tr>
                        <th scope="col">{t('courier')}</th>
                        <th scope="col">{t('returnRate')}</th>
                        <th scope="col">{t('count')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {couriers.map(([c, v]) => (
                        <tr key={c}>
                          <th scope="row">{c}</th>
                          <td className={v.value !== null && v.value > m.target ? 'num overdue' : 'num'}>{pct(v.value ?? 0)}</td>
                          <td className="num">
                            {v.returned}/{v.shipped}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </div>
        );
      })}
    </Card>
  );
}

/** Actual vs target per key, with the pacing line: target × the share of the period elapsed. */
function SplitChart({
  title,
  split,
  elapsed,
  label,
  format,
}: {
  title: string;
  metric: KpiMetric;
  split: Record<string, { target: number | null; actual: number | null }>;
  elapsed: number;
  label: (key: string) => string;
  format: (v: number) => string;
}) {
  const { t } = useI18n();
  const keys = Object.keys(split);
  if (keys.length === 0) return null;
  return (
    <>
      <h4>{title}</h4>
      <TargetChart
        label={title}
        format={format}
        series={{
          labels: keys.map(label),
          actual: keys.map((k) => split[k]!.actual ?? 0),
          target: keys.map((k) => split[k]!.target ?? 0),
          line: keys.map((k) => (split[k]!.target ?? 0) * Math.min(1, elapsed)),
          actualLabel: t('actual'),
          targetLabel: t('target'),
          lineLabel: t('pacing'),
        }}
      />
      <div className="table-wrap">
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('actual')}</th>
              <th scope="col">{t('target')}</th>
              <th scope="col">{t('pacing')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => {
              const v = split[k]!;
              const expected = (v.target ?? 0) * Math.min(1, elapsed);
              return (
                <tr key={k}>
                  <th scope="row">{label(k)}</th>
                  <td className={(v.actual ?? 0) < expected ? 'num overdue' : 'num'}>{format(v.actual ?? 0)}</td>
                  <td className="num">{format(v.target ?? 0)}</td>
                  <td className="num">{format(expected)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

const STUCK_KIND = {
  'workflow-task-failing': 'stuckKind_workflowTaskFailing',
  'activity-retrying': 'stuckKind_activityRetrying',
  'ended-while-open': 'stuckKind_endedWhileOpen',
} as const;

/** Workflows failing anyway (bugs): shown only when there are some, with ids to hand to engineering. */
function StuckWorkflows({ stuck }: { stuck: NonNullable<Dashboard['stuck']> }) {
  const { t, lang } = useI18n();
  return (
    <Card id="stuck-title" title={`${t('stuckWorkflows')} (${stuck.count})`}>
      <p className="muted small">{t('stuckHint')}</p>
      {stuck.workflows.length > 0 && (
        <div className="table-wrap">
          <table data-testid="stuck-workflows">
            <thead>
              <tr>
                <th scope="col">{t('workflowId')}</th>
                <th scope="col">{t('stuckReason')}</th>
                <th scope="col">{t('stuckSince')}</th>
              </tr>
            </thead>
            <tbody>
              {stuck.workflows.map((w) => (
                <tr key={`${w.workflowId}:${w.kind}:${w.reason}`} className="overdue">
                  <td>
                    <code>{w.workflowId}</code>
                  </td>
                  <td>
                    {t(STUCK_KIND[w.kind])}: {w.reason}
                  </td>
                  <td>{w.since ? formatDateTime(w.since, lang) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
