/** Chart.js through react-chartjs-2: bars for actuals and targets, a line for pacing or a ceiling. */
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
  return (
    <div className="chart" role="img" aria-label={label}>
      <Chart type="bar" data={data as ChartData<'bar', number[], string>} options={options as ChartOptions<'bar'>} />
    </div>
  );
}
