/**
 * Staffing by shift (số người theo ca) over `GET /reports/staffing`: the forecast volume (a
 * multiple like 3x for a sale day, or orders per day), the recommended people per role for each
 * shift of the shop's working hours, and the measured basis (tasks per order, median minutes
 * per task, orders per person-hour) that the figures follow from.
 */
import { useState, type FormEvent } from 'react';
import { get } from '../api';
import { TargetChart } from '../charts';
import { Card, ErrorNote, Loading } from '../components';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';

interface StageBasis {
  stage: string;
  title: string;
  tasks: number;
  tasksPerOrder: number;
  medianMinutes: number;
  minutesPerOrder: number;
}
interface RoleBasis {
  role: string;
  title: string;
  tasks: number;
  minutesPerOrder: number;
  ordersPerPersonHour: number | null;
  peakStaffMeasured: number;
  stages: StageBasis[];
}
interface Shift {
  days: string[];
  from: string;
  to: string;
  hours: number;
  orderShare: number;
  orders: number;
  roles: Array<{ role: string; title: string; workloadHours: number; headcount: number }>;
}
interface StaffingReport {
  window: { from: string; to: string; weeks: number; workingDays: number };
  volume: { asked: string; ordersPerDay: number; multiplier: number | null };
  utilisation: number;
  measured: { orders: number; ordersPerWorkingDay: number; tasks: number; ordersByHour: number[] };
  message?: string;
  roles: RoleBasis[];
  shifts: Shift[];
}

const DAY_NAMES: Record<string, [string, string]> = {
  mon: ['T2', 'Mon'],
  tue: ['T3', 'Tue'],
  wed: ['T4', 'Wed'],
  thu: ['T5', 'Thu'],
  fri: ['T6', 'Fri'],
  sat: ['T7', 'Sat'],
  sun: ['CN', 'Sun'],
};

export function StaffingPage() {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState({ volume: '3x', weeks: '4', to: '', utilisation: '85' });
  const [asked, setAsked] = useState(draft);
  const query = new URLSearchParams({
    volume: asked.volume.trim(),
    weeks: asked.weeks,
    utilisation: String(Number(asked.utilisation) / 100),
    ...(asked.to ? { to: asked.to } : {}),
  }).toString();
  const report = useLoad(() => get<StaffingReport>(`/reports/staffing?${query}`), [query]);
  const num = (v: number, digits = 2) =>
    new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: digits }).format(v);
  const days = (list: string[]) => list.map((d) => DAY_NAMES[d]?.[lang === 'vi' ? 0 : 1] ?? d).join(', ');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAsked(draft);
  };
  const data = report.data;
  return (
    <>
      <Card level={1} id="staffing-title" title={t('navStaffing')}>
        <form className="toolbar" onSubmit={submit}>
          <label htmlFor="staffing-volume">{t('stfVolume')}</label>
          <input
            id="staffing-volume"
            value={draft.volume}
            inputMode="text"
            aria-describedby="staffing-volume-help"
            onChange={(e) => setDraft({ ...draft, volume: e.target.value })}
          />
          <label htmlFor="staffing-weeks">{t('stfWeeks')}</label>
          <input
            id="staffing-weeks"
            type="number"
            min={1}
            max={26}
            value={draft.weeks}
            onChange={(e) => setDraft({ ...draft, weeks: e.target.value })}
          />
          <label htmlFor="staffing-to">{t('stfTo')}</label>
          <input id="staffing-to" type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
          <label htmlFor="staffing-utilisation">{t('stfUtilisation')}</label>
          <input
            id="staffing-utilisation"
            type="number"
            min={10}
            max={100}
            value={draft.utilisation}
            onChange={(e) => setDraft({ ...draft, utilisation: e.target.value })}
          />
          <button type="submit">{t('stfShow')}</button>
        </form>
        <p id="staffing-volume-help" className="muted small">
          {t('stfVolumeHelp')}
        </p>
        <ErrorNote error={report.error} />
        {!data ? (
          !report.error && <Loading />
        ) : (
          <>
            <p role="status">
              {t('stfMeasured', {
                orders: data.measured.orders,
                days: data.window.workingDays,
                perDay: num(data.measured.ordersPerWorkingDay),
                tasks: data.measured.tasks,
              })}
            </p>
            {data.message ? (
              <p className="notice">{data.message}</p>
            ) : (
              <p>{t('stfForecast', { orders: num(data.volume.ordersPerDay), u: num(data.utilisation) })}</p>
            )}
          </>
        )}
      </Card>
      {data?.shifts.map((shift) => {
        const name = t('stfShift', {
          from: shift.from,
          to: shift.to,
          days: days(shift.days),
          hours: num(shift.hours),
          orders: num(shift.orders),
        });
        const peak = (role: string) => data.roles.find((r) => r.role === role)?.peakStaffMeasured ?? 0;
        return (
          <Card key={`${shift.days.join()}-${shift.from}`} title={name}>
            <TargetChart
              label={t('stfChart', { shift: name })}
              integer
              format={(v) => num(v, 0)}
              series={{
                labels: shift.roles.map((r) => r.title),
                actual: shift.roles.map((r) => r.headcount),
                actualLabel: t('stfHeadcount'),
                target: shift.roles.map((r) => peak(r.role)),
                targetLabel: t('stfPeak'),
                lineLabel: '',
              }}
            />
            <div className="table-wrap">
              <table>
                <caption className="sr-only">{name}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('stfRole')}</th>
                    <th scope="col">{t('stfWorkload')}</th>
                    <th scope="col">{t('stfHeadcount')}</th>
                    <th scope="col">{t('stfPeak')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shift.roles.map((r) => (
                    <tr key={r.role}>
                      <th scope="row">{r.title}</th>
                      <td className="num">{num(r.workloadHours)}</td>
                      <td className="num">
                        <strong>{r.headcount}</strong>
                      </td>
                      <td className="num">{peak(r.role)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        );
      })}
      {data && data.roles.length > 0 && (
        <Card title={t('stfBasis')}>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('stfRole')}</th>
                  <th scope="col">{t('stfStage')}</th>
                  <th scope="col">{t('stfTasks')}</th>
                  <th scope="col">{t('stfTasksPerOrder')}</th>
                  <th scope="col">{t('stfMedian')}</th>
                  <th scope="col">{t('stfMinutesPerOrder')}</th>
                  <th scope="col">{t('stfOrdersPerHour')}</th>
                </tr>
              </thead>
              <tbody>
                {data.roles.flatMap((r) =>
                  r.stages.map((s, i) => (
                    <tr key={`${r.role}-${s.stage}`}>
                      <th scope="row">{i === 0 ? r.title : ''}</th>
                      <td>{s.title}</td>
                      <td className="num">{s.tasks}</td>
                      <td className="num">{num(s.tasksPerOrder, 4)}</td>
                      <td className="num">{num(s.medianMinutes)}</td>
                      <td className="num">{num(s.minutesPerOrder)}</td>
                      <td className="num">{i === 0 && r.ordersPerPersonHour !== null ? num(r.ordersPerPersonHour) : ''}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        </Card>
      )}
    </>
  );
}
