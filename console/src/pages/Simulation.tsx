/**
 * What-if in the definition editor: the YAML being edited simulated on the shop's own history
 * beside the active version (POST /definitions/simulate), with the plain-language summary, the
 * key figures side by side and each role's workload per hour as charts. A new shop states its
 * assumptions (orders per day, minutes per task) and the answer says it rests on them.
 */
import { useState } from 'react';
import { ApiError, post } from '../api';
import type { components } from '../api-types.gen';
import { TargetChart } from '../charts';
import { ErrorNote } from '../components';
import { formatVnd, useI18n } from '../i18n';

// The contract's own types (generated from the OpenAPI document by `npm run api:types`).
type SimulationReport = components['schemas']['SimulationReport'];
type VersionReport = components['schemas']['SimulationVersionReport'];

/** Working hours of a typical shop, the part of the day the charts show. */
const CHART_HOURS = Array.from({ length: 15 }, (_, i) => i + 7);

export function SimulationPanel({ yaml }: { yaml: string }) {
  const { t, lang } = useI18n();
  const [weeks, setWeeks] = useState(4);
  const [seed, setSeed] = useState(1);
  const [assume, setAssume] = useState(false);
  const [ordersPerDay, setOrdersPerDay] = useState(30);
  const [minutesPerTask, setMinutesPerTask] = useState(10);
  const [running, setRunning] = useState(false);
  const [report, setReport] = useState<SimulationReport | null>(null);
  const [error, setError] = useState<unknown>();

  const run = async () => {
    setRunning(true);
    setError(undefined);
    try {
      setReport(
        await post<SimulationReport>('/definitions/simulate', {
          definition: yaml,
          weeks,
          seed,
          ...(assume ? { assumptions: { ordersPerDay, minutesPerTask } } : {}),
        }),
      );
    } catch (err) {
      setReport(null);
      setError(err);
      // No history in the window: offer the assumptions right away.
      const fields = err instanceof ApiError ? (err.details as { fields?: Array<{ field: string }> } | undefined)?.fields : undefined;
      if (fields?.some((f) => f.field === 'assumptions')) setAssume(true);
    } finally {
      setRunning(false);
    }
  };

  const sum = (list: Array<{ breaches?: number; count?: number }>) => list.reduce((n, x) => n + (x.breaches ?? x.count ?? 0), 0);
  const hours = (h: number | null) => (h === null ? '—' : `${String(h).replace('.', lang === 'vi' ? ',' : '.')} h`);
  const rows: Array<[string, (r: VersionReport) => string]> = report
    ? [
        [t('simOrders'), (r) => String(r.orders)],
        [t('simFinished'), (r) => String(r.finished)],
        [t('simMedian'), (r) => hours(r.timeToDeliveryHours.median)],
        [t('simP90'), (r) => hours(r.timeToDeliveryHours.p90)],
        [t('simBreaches'), (r) => String(sum(r.slaBreaches))],
        [t('simEscalations'), (r) => String(sum(r.escalations))],
        [t('simCodAtRisk'), (r) => `${formatVnd(r.codAtRisk.amount, lang)} (${r.codAtRisk.orders})`],
        [t('simCouriers'), (r) => r.courierMix.map((c) => `${c.courier} ${c.shipments}`).join(', ') || '—'],
      ]
    : [];
  const roles = report
    ? [...new Map([...report.active.workload, ...report.candidate.workload].map((w) => [w.role, w.title])).entries()]
    : [];

  return (
    <section className="simulation" aria-labelledby="simulation-title">
      <h3 id="simulation-title">{t('simTitle')}</h3>
      <div className="toolbar">
        <label>
          {t('simWeeks')} <input type="number" min={1} max={52} value={weeks} onChange={(e) => setWeeks(Number(e.target.value) || 1)} />
        </label>
        <label>
          {t('simSeed')} <input type="number" min={0} value={seed} onChange={(e) => setSeed(Number(e.target.value) || 0)} />
        </label>
        <label>
          <input type="checkbox" checked={assume} onChange={(e) => setAssume(e.target.checked)} /> {t('simAssume')}
        </label>
        {assume && (
          <>
            <label>
              {t('simOrdersPerDay')}{' '}
              <input type="number" min={1} value={ordersPerDay} onChange={(e) => setOrdersPerDay(Number(e.target.value) || 1)} />
            </label>
            <label>
              {t('simMinutesPerTask')}{' '}
              <input type="number" min={1} value={minutesPerTask} onChange={(e) => setMinutesPerTask(Number(e.target.value) || 1)} />
            </label>
          </>
        )}
        <button type="button" onClick={() => void run()} disabled={!yaml.trim() || running}>
          {running ? t('simRunning') : t('simulate')}
        </button>
      </div>
      {error ? <ErrorNote error={error} /> : null}
      {report && (
        <div className="simulation-report" aria-live="polite">
          <p className={report.basis === 'assumptions' ? 'notice' : 'muted small'}>{report.basisNote}</p>
          <ul className="simulation-summary" data-testid="simulation-summary">
            {report.summary.map((line, i) => (
              <li key={i}>
                <strong>{line}</strong>
              </li>
            ))}
          </ul>
          <div className="table-wrap">
            <table className="compact" data-testid="simulation-table">
              <thead>
                <tr>
                  <th scope="col">{t('simMetric')}</th>
                  <th scope="col">{t('simActive', { v: report.active.version ?? '—' })}</th>
                  <th scope="col">{t('simCandidate')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(([label, value]) => {
                  const [a, c] = [value(report.active), value(report.candidate)];
                  return (
                    <tr key={label} className={a !== c ? 'changed' : undefined}>
                      <th scope="row">{label}</th>
                      <td className="num">{a}</td>
                      <td className="num">{a !== c ? <mark>{c}</mark> : c}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {roles.map(([role, title]) => {
            const of = (r: VersionReport) => r.workload.find((w) => w.role === role);
            const [a, c] = [of(report.active), of(report.candidate)];
            return (
              <figure key={role} className="simulation-chart">
                <figcaption>
                  {t('simWorkload', { role: title })}: {t('simPerDay', { a: a?.tasksPerDay ?? 0, c: c?.tasksPerDay ?? 0 })}
                  {c?.overloaded.length ? ` · ${t('simOverloaded', { hours: c.overloaded.join(', ') })}` : ''}
                </figcaption>
                <TargetChart
                  label={t('simWorkload', { role: title })}
                  format={(v) => String(Math.round(v * 100) / 100)}
                  series={{
                    labels: CHART_HOURS.map((h) => `${String(h).padStart(2, '0')}:00`),
                    actual: CHART_HOURS.map((h) => c?.byHour[h] ?? 0),
                    actualLabel: `${title} · ${t('simCandidate')}`,
                    target: CHART_HOURS.map((h) => a?.byHour[h] ?? 0),
                    targetLabel: `${title} · ${t('simActive', { v: report.active.version ?? '—' })}`,
                    line: CHART_HOURS.map((h) => c?.queueByHour[h] ?? 0),
                    lineLabel: t('simQueue'),
                  }}
                />
              </figure>
            );
          })}
          {report.notes.length > 0 && (
            <details>
              <summary>{t('simNotes', { n: report.notes.length })}</summary>
              <ul className="muted small">
                {report.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </section>
  );
}
