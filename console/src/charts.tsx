/**
 * Chart.js through react-chartjs-2: bars for actuals and targets, a line for pacing or a ceiling.
 * A canvas is a picture to a screen reader: each chart's canvas is an image named with what it
 * shows (its title and every figure), and the same figures are a table behind "Xem bảng số liệu".
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartData,
  type ChartOptions,
} from 'chart.js';
import { Chart } from 'react-chartjs-2';
import { useI18n } from './i18n';

ChartJS.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

// Colours with at least 3:1 contrast on white, told apart by shape too (bars vs a dashed line).
const ACTUAL = '#1d5fa8';
const TARGET = '#9aa7b4';
const LINE = '#b3261e';

export interface Series {
  labels: string[];
  actual: number[];
  target?: number[];
  line?: number[];
  lineLabel: string;
  actualLabel: string;
  targetLabel?: string;
}

export function TargetChart({
  series,
  label,
  format,
  integer = false,
}: {
  series: Series;
  label: string;
  format: (v: number) => string;
  integer?: boolean;
}) {
  const { t } = useI18n();
  const data: ChartData<'bar' | 'line', number[], string> = {
    labels: series.labels,
    datasets: [
      { type: 'bar' as const, label: series.actualLabel, data: series.actual, backgroundColor: ACTUAL, order: 2 },
      ...(series.target
        ? [{ type: 'bar' as const, label: series.targetLabel ?? '', data: series.target, backgroundColor: TARGET, order: 3 }]
        : []),
      ...(series.line
        ? [
            {
              type: 'line' as const,
              label: series.lineLabel,
              data: series.line,
              borderColor: LINE,
              backgroundColor: LINE,
              borderDash: [6, 4],
              pointRadius: 4,
              pointStyle: 'rectRot',
              order: 1,
            },
          ]
        : []),
    ],
  };
  const options: ChartOptions<'bar' | 'line'> = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: {
      legend: { position: 'bottom' },
      tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${format(Number(ctx.raw))}` } },
    },
    scales: { y: { beginAtZero: true, ticks: { callback: (v) => format(Number(v)), ...(integer ? { precision: 0 } : {}) } } },
  };
  const columns = [
    { label: series.actualLabel, values: series.actual },
    ...(series.target ? [{ label: series.targetLabel ?? '', values: series.target }] : []),
    ...(series.line ? [{ label: series.lineLabel, values: series.line }] : []),
  ];
  return (
    <div className="chart-block">
      <div className="chart">
        <Chart
          type="bar"
          data={data as ChartData<'bar', number[], string>}
          options={options as ChartOptions<'bar'>}
          role="img"
          aria-label={describeChart(t('chartOf', { label }), series.labels, columns, format)}
        />
      </div>
      <ChartTable label={label} labels={series.labels} columns={columns} format={format} />
    </div>
  );
}

type Column = { label: string; values: number[] };

/** The chart in words: "Đơn theo bước: Chốt đơn: Số đơn 3; Đóng gói: Số đơn 1". */
export function describeChart(label: string, labels: string[], columns: Column[], format: (v: number) => string): string {
  const points = labels.map(
    (name, i) =>
      `${name}: ${columns
        .filter((c) => c.values[i] !== undefined)
        .map((c) => `${c.label} ${format(c.values[i]!)}`)
        .join(', ')}`,
  );
  return points.length ? `${label}. ${points.join('; ')}` : label;
}

/** The chart's figures as a table, folded away under "Xem bảng số liệu". */
function ChartTable({
  label,
  labels,
  columns,
  format,
}: {
  label: string;
  labels: string[];
  columns: Column[];
  format: (v: number) => string;
}) {
  const { t } = useI18n();
  return (
    <details className="chart-data">
      <summary>{t('chartData')}</summary>
      <div className="table-wrap">
        <table className="compact">
          <caption className="sr-only">{label}</caption>
          <thead>
            <tr>
              <th scope="col">{label}</th>
              {columns.map((c, i) => (
                <th key={i} scope="col">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((name, row) => (
              <tr key={row}>
                <th scope="row">{name}</th>
                {columns.map((c, i) => (
                  <td key={i} className="num">
                    {c.values[row] === undefined ? '—' : format(c.values[row])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
