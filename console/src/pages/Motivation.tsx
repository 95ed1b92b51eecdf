/**
 * Thi đua & hoa hồng: the caller's own commission statement for a KPI period
 * (`GET /me/payout`), leaderboards per team and per channel (`GET /kpi/periods/{id}/leaderboard`),
 * and — for managers and accounting — everyone's statements with the CSV for accounting.
 */
import { useState } from 'react';
import { ApiError, download, get, type Me } from '../api';
import type { components } from '../api-types.gen';
import { TargetChart } from '../charts';
import { Card, can, ErrorNote, Loading } from '../components';
import { useLoad } from '../hooks';
import { formatPercent, formatVnd, useI18n } from '../i18n';

type Schemas = components['schemas'];
type Statement = Schemas['PayoutStatement'];
type Leaderboard = Schemas['Leaderboard'];
type Payouts = Schemas['Payouts'];
type PeriodSummary = { id: string; period: string; status: string; startsAt: string };

const enc = encodeURIComponent;
const notFoundAsNull = (err: unknown) => (err instanceof ApiError && [404, 409].includes(err.status) ? null : Promise.reject(err));

export function MotivationPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const periods = useLoad(() => get<{ periods: PeriodSummary[] }>('/kpi/periods').then((r) => r.periods), []);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  if (periods.error) return <ErrorNote error={periods.error} />;
  if (!periods.data) return <Loading />;
  const list = periods.data;
  const periodId = chosen ?? list.find((p) => p.status === 'running')?.id ?? list[0]?.id;
  return (
    <>
      <h1>{t('navMotivation')}</h1>
      {list.length === 0 || !periodId ? (
        <p className="muted">{t('motNoKpiPeriod')}</p>
      ) : (
        <>
          <div className="toolbar">
            <label className="inline-label">
              {t('motKpiPeriodLabel')}{' '}
              <select value={periodId} onChange={(e) => setChosen(e.target.value)}>
                {list.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.period} · {p.status === 'closed' ? t('motPeriodClosed') : t('motPeriodRunning')}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <MyStatement periodId={periodId} />
          <LeaderboardCard periodId={periodId} />
          {(can(me, 'kpi.manage') || can(me, 'books.manage')) && <PayoutsCard periodId={periodId} />}
        </>
      )}
    </>
  );
}

function MyStatement({ periodId }: { periodId: string }) {
  const { t, lang } = useI18n();
  const mine = useLoad(() => get<Statement>(`/me/payout?period=${enc(periodId)}`).catch(notFoundAsNull), [periodId]);
  const vnd = (n: number | null | undefined) => formatVnd(n, lang);
  return (
    <Card id="my-payout-title" title={t('motMyPayout')}>
      {mine.error ? (
        <ErrorNote error={mine.error} />
      ) : mine.data === undefined ? (
        <Loading />
      ) : mine.data === null ? (
        <p className="muted">{t('motNoKpiPeriod')}</p>
      ) : (
        <StatementBody s={mine.data} vnd={vnd} />
      )}
      {mine.data && mine.data.period.status !== 'closed' && <p className="muted small">{t('motPayoutProvisional')}</p>}
    </Card>
  );
}

function StatementBody({ s, vnd }: { s: Statement; vnd: (n: number | null | undefined) => string }) {
  const { t, lang } = useI18n();
  if (!s.role) return <p className="muted">{t('motNoCommissionRule')}</p>;
  return (
    <>
      <div className="tiles" data-testid="my-payout">
        <div className="tile">
          <h2>{t('motNetRevenue')}</h2>
          <p className="big">{vnd(s.net)}</p>
          <p className="muted small">
            {t('deliveredCount', { n: s.revenue.delivered })}
            {s.revenue.returned ? ` · ${t('returnedCount', { n: s.revenue.returned, v: vnd(s.revenue.returnedValue) })}` : ''}
          </p>
        </div>
        <div className="tile">
          <h2>{t('motCommission')}</h2>
          <p className="big">{vnd(s.commission)}</p>
          <p className="muted small">{s.tiering === 'marginal' ? t('motTieringMarginal') : t('motTieringWhole')}</p>
        </div>
        <div className="tile">
          <h2>{t('motBonus')}</h2>
          <p className="big">{vnd(s.bonus)}</p>
          <p className="muted small">
            {s.target === null
              ? t('motNoTarget')
              : `${t('target')}: ${vnd(s.target)} · ${s.targetReached ? t('motTargetReached') : t('motTargetNotReached')}`}
          </p>
        </div>
        <div className="tile">
          <h2>{t('motPayoutTotal')}</h2>
          <p className="big">{vnd(s.total)}</p>
          <p className="muted small">{s.ruleTitle}</p>
        </div>
      </div>
      <div className="table-wrap">
        <table className="compact" data-testid="my-tiers">
          <caption className="sr-only">{t('motCommissionTiers')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('motTierRange')}</th>
              <th scope="col">{t('motRate')}</th>
              <th scope="col">{t('motTierRevenue')}</th>
              <th scope="col">{t('motCommission')}</th>
            </tr>
          </thead>
          <tbody>
            {s.tiers.map((l) => (
              <tr key={l.from}>
                <td>{l.to === null ? t('motFromAmount', { v: vnd(l.from) }) : `${vnd(l.from)} – ${vnd(l.to)}`}</td>
                <td className="num">{formatPercent(l.rate, lang)}</td>
                <td className="num">{vnd(l.revenue)}</td>
                <td className="num">{vnd(l.commission)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function LeaderboardCard({ periodId }: { periodId: string }) {
  const { t, lang } = useI18n();
  const [by, setBy] = useState<'team' | 'channel'>('team');
  const board = useLoad(() => get<Leaderboard>(`/kpi/periods/${enc(periodId)}/leaderboard?by=${by}`), [periodId, by]);
  const vnd = (n: number | null | undefined) => formatVnd(n, lang);
  const groupTitle = (g: Leaderboard['groups'][number]) => g.title ?? t('motNoTeam');
  return (
    <Card
      id="leaderboard-title"
      title={t('motLeaderboard')}
      actions={
        <fieldset className="inline-label">
          <legend className="sr-only">{t('motGroupBy')}</legend>
          {(['team', 'channel'] as const).map((v) => (
            <label key={v}>
              <input type="radio" name="leaderboard-by" value={v} checked={by === v} onChange={() => setBy(v)} />{' '}
              {v === 'team' ? t('motByTeam') : t('motByChannel')}
            </label>
          ))}
        </fieldset>
      }
    >
      {board.error ? (
        <ErrorNote error={board.error} />
      ) : !board.data ? (
        <Loading />
      ) : board.data.groups.length === 0 ? (
        <p className="muted">{t('noResults')}</p>
      ) : (
        <>
          <TargetChart
            label={by === 'team' ? t('motLeaderboardChartTeam') : t('motLeaderboardChartChannel')}
            format={vnd}
            series={{
              labels: board.data.groups.map(groupTitle),
              actual: board.data.groups.map((g) => g.net),
              target: board.data.groups.map((g) => g.target ?? 0),
              actualLabel: t('motNetRevenue'),
              targetLabel: t('target'),
              lineLabel: '',
            }}
          />
          {board.data.groups.map((g) => (
            <div key={g.key ?? ''} className="kpi-block">
              <h3>
                {groupTitle(g)} · {vnd(g.net)}
                {g.target !== null ? ` / ${vnd(g.target)}` : ''}
              </h3>
              <div className="table-wrap">
                <table className="compact" data-testid="leaderboard-table">
                  <caption className="sr-only">
                    {t('motLeaderboard')}: {groupTitle(g)}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('motRank')}</th>
                      <th scope="col">{t('motStaffName')}</th>
                      <th scope="col">{t('motNetShort')}</th>
                      <th scope="col">{t('target')}</th>
                      <th scope="col">{t('motAttainment')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {g.members.map((m) => (
                      <tr key={m.staffId} aria-current={m.me ? 'true' : undefined} className={m.me ? 'me' : undefined}>
                        <td className="num">{m.rank}</td>
                        <td>
                          {m.name}
                          {m.me ? ` (${t('you')})` : ''}
                        </td>
                        <td className="num">{m.net === null ? t('motHidden') : vnd(m.net)}</td>
                        <td className="num">{m.target === null ? '—' : vnd(m.target)}</td>
                        <td className="num">{m.attainment === null ? '—' : formatPercent(m.attainment / 100, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          ))}
        </>
      )}
    </Card>
  );
}

function PayoutsCard({ periodId }: { periodId: string }) {
  const { t, lang } = useI18n();
  const all = useLoad(() => get<Payouts>(`/kpi/periods/${enc(periodId)}/payouts`), [periodId]);
  const [downloadError, setDownloadError] = useState<unknown>(undefined);
  const vnd = (n: number | null | undefined) => formatVnd(n, lang);
  return (
    <Card
      id="payouts-title"
      title={t('motPayoutsAll')}
      actions={
        <button
          type="button"
          onClick={() =>
            download(`/kpi/periods/${enc(periodId)}/payouts.csv`, `payouts-${periodId.replace(/[^\w.-]+/g, '_')}.csv`).then(
              () => setDownloadError(undefined),
              setDownloadError,
            )
          }
        >
          {t('downloadCsv')}
        </button>
      }
    >
      {downloadError !== undefined && <ErrorNote error={downloadError} />}
      {all.error ? (
        <ErrorNote error={all.error} />
      ) : !all.data ? (
        <Loading />
      ) : all.data.statements.length === 0 ? (
        <p className="muted">{t('motNoCommissionRule')}</p>
      ) : (
        <div className="table-wrap">
          <table className="compact" data-testid="payouts-table">
            <caption className="sr-only">{t('motPayoutsAll')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('motStaffName')}</th>
                <th scope="col">{t('motTeam')}</th>
                <th scope="col">{t('motDeliveredValue')}</th>
                <th scope="col">{t('motReturnedValue')}</th>
                <th scope="col">{t('motNetShort')}</th>
                <th scope="col">{t('motCommission')}</th>
                <th scope="col">{t('motBonus')}</th>
                <th scope="col">{t('motPayoutTotal')}</th>
              </tr>
            </thead>
            <tbody>
              {all.data.statements.map((s) => (
                <tr key={s.staffId}>
                  <td>{s.name}</td>
                  <td>{s.team ?? t('motNoTeam')}</td>
                  <td className="num">{vnd(s.revenue.deliveredValue)}</td>
                  <td className="num">{vnd(s.revenue.returnedValue)}</td>
                  <td className="num">{vnd(s.net)}</td>
                  <td className="num">{vnd(s.commission)}</td>
                  <td className="num">{vnd(s.bonus)}</td>
                  <td className="num">{vnd(s.total)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={5}>
                  {t('motPayoutTotal')} ({all.data.totals.people})
                </th>
                <td className="num">{vnd(all.data.totals.commission)}</td>
                <td className="num">{vnd(all.data.totals.bonus)}</td>
                <td className="num">{vnd(all.data.totals.total)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </Card>
  );
}
