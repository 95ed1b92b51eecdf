/**
 * Couriers side by side (hiệu quả đơn vị vận chuyển) over `GET /reports/couriers`: on-time rate
 * against the delivery SLA and against the courier's own promise, return rate, and the days from
 * delivery to the COD remittance, for the parcels handed over in a range.
 */
import { useState, type FormEvent } from 'react';
import { get } from '../api';
import { TargetChart } from '../charts';
import { Card, ErrorNote, Loading } from '../components';
import { useLoad } from '../hooks';
import { formatPercent, shopDay, useI18n } from '../i18n';

interface CourierRow {
  courier: string;
  title: string;
  shipments: number;
  delivered: number;
  withSla: number;
  onTime: number;
  onTimeRate: number | null;
  withPromise: number;
  onPromise: number;
  promiseRate: number | null;
  returned: number;
  returnRate: number | null;
  medianDeliveryHours: number | null;
  codDelivered: number;
  codRemitted: number;
  averageCodDays: number | null;
  medianCodDays: number | null;
}

export function CouriersPage() {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState({ from: shopDay(new Date(), true), to: shopDay() });
  const [range, setRange] = useState(draft);
  const q = `from=${range.from}&to=${range.to}`;
  const report = useLoad(() => get<{ couriers: CourierRow[] }>(`/reports/couriers?${q}`), [q]);
  const pct = (v: number | null) => formatPercent(v, lang);
  const num = (v: number | null) =>
    v === null ? '—' : new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 }).format(v);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setRange(draft);
  };
  const rows = report.data?.couriers;
  return (
    <Card level={1} id="couriers-title" title={t('courTitle')}>
      <form className="toolbar" onSubmit={submit}>
        <label htmlFor="couriers-from">{t('fromDay')}</label>
        <input id="couriers-from" type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        <label htmlFor="couriers-to">{t('toDay')}</label>
        <input id="couriers-to" type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        <button type="submit">{t('show')}</button>
      </form>
      <ErrorNote error={report.error} />
      {!rows ? (
        !report.error && <Loading />
      ) : rows.length === 0 ? (
        <p className="muted">{t('courNone')}</p>
      ) : (
        <>
          <TargetChart
            label={t('courChart')}
            format={(v) => formatPercent(v, lang)}
            series={{
              labels: rows.map((r) => r.title),
              actual: rows.map((r) => r.onTimeRate ?? 0),
              actualLabel: t('courOnTime'),
              line: rows.map((r) => r.returnRate ?? 0),
              lineLabel: t('courReturn'),
            }}
          />
          <div className="table-wrap">
            <table data-testid="courier-performance">
              <thead>
                <tr>
                  <th scope="col">{t('courCourier')}</th>
                  <th scope="col">{t('courShipments')}</th>
                  <th scope="col">{t('courDelivered')}</th>
                  <th scope="col">{t('courOnTime')}</th>
                  <th scope="col">{t('courPromise')}</th>
                  <th scope="col">{t('courReturn')}</th>
                  <th scope="col">{t('courDeliveryHours')}</th>
                  <th scope="col">{t('courCodDays')}</th>
                  <th scope="col">{t('courCodPending')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.courier}>
                    <th scope="row">{r.title}</th>
                    <td className="num">{r.shipments}</td>
                    <td className="num">{r.delivered}</td>
                    <td className="num">
                      {pct(r.onTimeRate)}{' '}
                      <span className="muted small">
                        ({r.onTime}/{r.withSla})
                      </span>
                    </td>
                    <td className="num">
                      {pct(r.promiseRate)}{' '}
                      <span className="muted small">
                        ({r.onPromise}/{r.withPromise})
                      </span>
                    </td>
                    <td className="num">
                      {pct(r.returnRate)}{' '}
                      <span className="muted small">
                        ({r.returned}/{r.shipments})
                      </span>
                    </td>
                    <td className="num">{num(r.medianDeliveryHours)}</td>
                    <td className="num">
                      {num(r.averageCodDays)} / {num(r.medianCodDays)}
                    </td>
                    <td className="num">{r.codDelivered - r.codRemitted}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Card>
  );
}
