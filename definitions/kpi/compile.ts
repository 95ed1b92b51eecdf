/**
 * Compiles a checked KpiPlan document into the plain snapshot a KPI period workflow runs.
 * Only called when the schema and semantic checks found nothing, so shapes can be trusted here.
 */
import { parseDuration } from '../rules/duration';
import { CEILING_TYPES, ratioOf } from './check';
import { compileCommission } from './commission';
import type { CompiledKpiMetric, CompiledKpiPlan, KpiMetricType, KpiPeriodSpec } from './types';
import type { CompiledShop, LoadSummary } from '../types';

interface RawMetric {
  id: string;
  title?: string;
  type: KpiMetricType;
  owner: string;
  target?: number | string;
  ceiling?: number | string;
  weight?: number;
  basis?: 'count' | 'value';
  taskRole?: string;
  stages?: string[];
  segments?: string[];
  allocation?: { by?: 'weight' | 'amount'; channels: Record<string, number>; reps?: 'equal' | Record<string, number> };
}
interface RawKpiPlan {
  metadata: { name: string; title: string; description?: string };
  spec: {
    period?: 'weekly' | 'monthly' | 'quarterly' | { every: string };
    recompute?: string;
    continueAsNewAfter?: number;
    catchupWindow?: string;
    creditRole?: string;
    scoreCap?: number;
    metrics: RawMetric[];
    pacing?: Array<{
      id: string;
      metric: string;
      from?: number | string;
      below?: number | string;
      overCeiling?: boolean;
      notify: string[];
      message?: string;
    }>;
    grades?: Array<{ grade: string; min: number }>;
    commission?: unknown;
  };
}

/** About ten history events per recomputation: a run stays near 2,000 events (a month hourly takes four runs). */
export const DEFAULT_CONTINUE_AS_NEW_AFTER = 200;

const DEFAULT_GRADES = [
  { grade: 'A', minScore: 100 },
  { grade: 'B', minScore: 85 },
  { grade: 'C', minScore: 70 },
  { grade: 'D', minScore: 0 },
];

export function compileKpiPlan(data: unknown, shop: CompiledShop): CompiledKpiPlan {
  const raw = data as RawKpiPlan;
  const spec = raw.spec;
  const period: KpiPeriodSpec =
    typeof spec.period === 'object' ? { unit: 'interval', everyMs: parseDuration(spec.period.every) } : { unit: spec.period ?? 'monthly' };
  return {
    apiVersion: 'shopflow/v1',
    kind: 'KpiPlan',
    name: raw.metadata.name,
    title: raw.metadata.title,
    ...(raw.metadata.description !== undefined && { description: raw.metadata.description }),
    period,
    timezone: shop.workingHours.timezone,
    utcOffsetMinutes: shop.workingHours.utcOffsetMinutes,
    recomputeEveryMs: parseDuration(spec.recompute ?? '1h'),
    continueAsNewAfter: spec.continueAsNewAfter ?? DEFAULT_CONTINUE_AS_NEW_AFTER,
    catchupWindowMs: parseDuration(spec.catchupWindow ?? '31d'),
    creditRole: spec.creditRole ?? 'sales',
    metrics: spec.metrics.map(compileMetric),
    pacing: (spec.pacing ?? []).map((r) => ({
      id: r.id,
      metric: r.metric,
      fromElapsed: ratioOf(r.from) ?? 0,
      notify: r.notify,
      ...(r.below !== undefined && { below: ratioOf(r.below)! }),
      ...(r.overCeiling && { overCeiling: true }),
      ...(r.message !== undefined && { message: r.message }),
    })),
    grades: spec.grades ? spec.grades.map((g) => ({ grade: g.grade, minScore: g.min })) : DEFAULT_GRADES,
    scoreCap: spec.scoreCap ?? 120,
    ...(spec.commission !== undefined && { commission: compileCommission(spec.commission, shop) }),
  };
}

function compileMetric(m: RawMetric): CompiledKpiMetric {
  const goal = CEILING_TYPES.has(m.type) ? 'ceiling' : 'target';
  const target = ratioOf(goal === 'ceiling' ? m.ceiling : m.target)!;
  return {
    id: m.id,
    title: m.title ?? m.id,
    type: m.type,
    owner: m.owner,
    goal,
    target,
    weight: m.weight ?? 1,
    ...(m.type === 'returnRate' && { basis: m.basis ?? 'count' }),
    ...(m.type === 'tasksOnTime' && { taskRole: m.taskRole ?? m.owner, ...(m.stages && { stages: m.stages }) }),
    ...(m.type === 'ordersPerPackerDay' && { taskRole: m.taskRole ?? m.owner, stages: m.stages ?? ['pack'] }),
    ...(m.type === 'careCoverage' && { segments: m.segments ?? ['vip', 'loyal'] }),
    ...(m.allocation && { allocation: { channels: splitChannels(target, m.allocation), reps: m.allocation.reps ?? 'equal' } }),
  };
}

/** Channel amounts summing exactly to the target (largest remainder for weights). */
function splitChannels(target: number, allocation: NonNullable<RawMetric['allocation']>): Record<string, number> {
  if (allocation.by === 'amount') return { ...allocation.channels };
  return splitByWeight(target, allocation.channels);
}

/** Splits a whole amount by weights into whole parts that add up exactly (largest remainder). */
export function splitByWeight(amount: number, weights: Record<string, number>): Record<string, number> {
  const entries = Object.entries(weights);
  const sum = entries.reduce((a, [, w]) => a + w, 0);
  if (entries.length === 0 || sum <= 0) return {};
  const whole = Math.round(amount);
  const exact = entries.map(([k, w]) => ({ k, v: (whole * w) / sum }));
  const parts = exact.map(({ k, v }) => ({ k, floor: Math.floor(v), rest: v - Math.floor(v) }));
  let left = whole - parts.reduce((a, p) => a + p.floor, 0);
  for (const p of [...parts].sort((a, b) => b.rest - a.rest || a.k.localeCompare(b.k))) {
    if (left <= 0) break;
    p.floor += 1;
    left -= 1;
  }
  return Object.fromEntries(parts.map((p) => [p.k, p.floor]));
}

export function summarizeKpiPlan(plan: CompiledKpiPlan): LoadSummary {
  const roles = [...new Set(plan.metrics.map((m) => m.owner))].sort();
  const period = plan.period.unit === 'interval' ? `every ${plan.period.everyMs / 1000}s` : plan.period.unit;
  return {
    kind: plan.kind,
    name: plan.name,
    title: plan.title,
    roles,
    text: `${plan.kind} ${plan.name} (${plan.title}): ${plan.metrics.length} metrics, ${period}; roles: ${roles.join(', ')}`,
  };
}
