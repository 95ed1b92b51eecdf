/**
 * bench:simulate — how long the what-if simulator takes for 10,000 orders (goal: under 5 s on
 * the 2-core machine), against a baseline in the same run: the same arrivals walked through the
 * active version alone, without the candidate, the reports or the comparison.
 *
 * The history is synthetic but shaped like a shop's (seeded, so every run is the same): four
 * weeks of arrivals in working hours, task durations per role, stage and hour, couriers'
 * transit times per province, staffing per hour. The candidate confirms orders from COD ≥ 3
 * million instead of 5 million (definitions/processes/order.yaml). No database, no Temporal.
 *
 *   npm run bench:simulate [-- --orders 10000 --seed 1]
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadDefinitionText, loadShopText } from '../../definitions/loading/loader';
import { mulberry32 } from '../../definitions/simulate/prng';
import { simulateArrivals, simulateWhatIf } from '../../definitions/simulate/simulate';
import type { ArrivalRecord, SimulationHistory, StaffingSample, TaskSample, TransitSample } from '../../definitions/simulate/types';
import type { CompiledOrderProcess } from '../../definitions/types';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ORDERS = arg('orders', 10_000);
const SEED = arg('seed', 1);
const root = path.join(__dirname, '..', '..');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const shopResult = loadShopText(fs.readFileSync(path.join(root, 'definitions/shop.yaml'), 'utf8'), 'shop.yaml');
if (!shopResult.ok) throw new Error(JSON.stringify(shopResult.errors));
const shop = shopResult.value;
const orderYaml = fs.readFileSync(path.join(root, 'definitions/processes/order.yaml'), 'utf8');
const compile = (yaml: string) => {
  const result = loadDefinitionText(yaml, 'order.yaml', shop);
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return result.value as CompiledOrderProcess;
};
const active = compile(orderYaml);
const candidateYaml = orderYaml.replace('{ order.codAmount: { gte: 5000000 } }', '{ order.codAmount: { gte: 3000000 } }');
if (candidateYaml === orderYaml) throw new Error('the shipped confirm rule (COD ≥ 5 million) was not found in order.yaml');
const candidate = compile(candidateYaml);

/** Four weeks of a shop's history around `ORDERS` arrivals, from one seed. */
function syntheticHistory(): SimulationHistory {
  const random = mulberry32(SEED);
  const offset = active.workingHours.utcOffsetMinutes * 60_000;
  const from = Date.UTC(2026, 9, 5) - offset; // Monday 2026-10-05, local midnight
  const to = from + 28 * DAY;
  const provinces = ['Hà Nội', 'Hồ Chí Minh', 'Đà Nẵng', 'Hải Phòng', 'Cần Thơ', 'Nghệ An', 'Lâm Đồng'];
  const segments = ['new', 'loyal', 'vip', 'wholesale', 'new', 'new'];
  const arrivals: ArrivalRecord[] = Array.from({ length: ORDERS }, (_, i) => {
    const day = Math.floor(random() * 28);
    const arrivedAt = from + day * DAY + (8 + random() * 12) * HOUR;
    const cod = Math.round((100_000 + random() * 8_000_000) / 1000) * 1000;
    return {
      orderId: `bench-${i}`,
      arrivedAt,
      channel: random() < 0.7 ? 'facebook' : 'zalo',
      customer: { segment: segments[Math.floor(random() * segments.length)]!, returnRate: random() * 0.4 },
      figures: {
        codAmount: cod,
        total: cod,
        shippingAddress: { street: '1', ward: 'x', province: provinces[Math.floor(random() * provinces.length)]! },
        weightGrams: Math.round(200 + random() * 3000),
        items: [{ sku: 'AO-01', name: 'Áo', qty: 1, price: cod }],
      },
      outcomes: {},
    };
  });
  arrivals.sort((a, b) => a.arrivedAt - b.arrivedAt);
  const tasks: TaskSample[] = [];
  for (const stage of Object.values(active.stages)) {
    if (stage.kind !== 'human') continue;
    for (let hour = 7; hour < 20; hour++) {
      for (let n = 0; n < 60; n++) {
        const forward = random() < 0.9;
        const outcome = forward ? stage.outcomes[0]!.name : stage.outcomes[Math.floor(random() * stage.outcomes.length)]!.name;
        tasks.push({ role: stage.role, stage: stage.id, hour, durationMs: (5 + random() * (hour < 12 ? 40 : 120)) * 60_000, outcome });
      }
    }
  }
  const transits: TransitSample[] = [];
  for (const courier of Object.keys(shop.couriers)) {
    for (const province of provinces) {
      for (let n = 0; n < 40; n++) {
        const r = random();
        transits.push({
          courier,
          province,
          durationMs: (18 + random() * 72) * HOUR,
          outcome: r < 0.88 ? 'delivered' : r < 0.96 ? 'returned' : 'failed',
        });
      }
    }
  }
  const staffing: StaffingSample[] = [];
  const roles = [...new Set(tasks.map((t) => t.role))];
  for (let h = Math.floor(from / HOUR); h < to / HOUR; h++) {
    const local = ((h * HOUR + offset) % DAY) / HOUR;
    if (local < 8 || local >= 18) continue;
    for (const role of roles) staffing.push({ role, hourStart: h * HOUR, staff: 2 + Math.floor(random() * 3) });
  }
  return { window: { from, to }, arrivals, tasks, transits, staffing, throughputPerHour: Object.fromEntries(roles.map((r) => [r, 6])) };
}

async function main(): Promise<void> {
  const history = syntheticHistory();
  const roleTitles = Object.fromEntries(Object.values(shop.roles).map((r) => [r.id, r.title]));
  // Warm-up (JIT, the shared Ajv of the stage kinds), not timed.
  await simulateArrivals(active, history.arrivals.slice(0, 200), history, SEED);

  const t0 = performance.now();
  const baseline = await simulateArrivals(active, history.arrivals, history, SEED);
  const baselineMs = performance.now() - t0;

  const t1 = performance.now();
  const report = await simulateWhatIf({
    candidate: { process: candidate, name: candidate.name, version: null, title: candidate.title },
    active: { process: active, name: active.name, version: 1, title: active.title },
    history,
    seed: SEED,
    roleTitles,
  });
  const whatIfMs = performance.now() - t1;

  const visits = baseline.orders.reduce((n, o) => n + o.path.length, 0);
  console.log(`bench:simulate — ${ORDERS} orders, seed ${SEED}, ${history.window.from ? 28 : 0} days of synthetic history`);
  console.log(`  baseline (active version alone, no report): ${baselineMs.toFixed(0)} ms  (${visits} stage visits)`);
  console.log(
    `  what-if (candidate + active, reports, comparison): ${whatIfMs.toFixed(0)} ms  (${(whatIfMs / baselineMs).toFixed(2)}× baseline)`,
  );
  console.log(`  goal: under 5000 ms for ${ORDERS} orders — ${whatIfMs < 5000 ? 'met' : 'NOT met'}`);
  console.log(`  summary: ${report.summary.join(' | ')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
