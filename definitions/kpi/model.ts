/**
 * Pure KPI arithmetic (no I/O): rep allocation, actuals per metric from the SQL rows, pacing
 * (expected by now vs actual), alert conditions, scores, grades and ranking. The workflow imports
 * only its types; activities and tests call the functions.
 */
import { RATIO_TYPES } from './check';
import { splitByWeight } from './compile';
import type { CompiledKpiMetric, CompiledKpiPlan } from './types';
import { hasOwnEntry, ownEntry } from '../rules/own';
import type { CareRow, ComplaintRow, LeadRow, PackerRow, ReturnRow, RevenueRow, TaskRow } from '../../db/kpi/queries';

/** A metric's target and its split, as snapshotted at period start (and revised by managers). */
export interface MetricTarget {
  target: number;
  /** revenue: VND per channel (sums to target). */
  channels?: Record<string, number>;
  /** revenue: VND per rep (staff id). */
  reps?: Record<string, number>;
  /** revenue: channel amounts with no active rep to carry them. */
  unallocated?: number;
}
export type KpiTargets = Record<string, MetricTarget>;

/** The figure of one metric: overall, and where it applies per channel/staff/courier/campaign. */
export interface MetricActual {
  value: number | null;
  /** What the rate/average is made of (counts, VND). */
  detail?: Record<string, number>;
  byChannel?: Record<string, number>;
  byStaff?: Record<string, number>;
  /** What each staff member's figure is made of (leads/closed, orders/days, counted/on time). */
  staffDetail?: Record<string, Record<string, number>>;
  /** careCoverage: customers and contacted per segment. */
  bySegment?: Record<string, { customers: number; contacted: number; value: number | null }>;
  byCourier?: Record<string, { value: number | null; shipped: number; returned: number; shippedValue: number; returnedValue: number }>;
  byCampaign?: Record<string, { leads: number; leadCost: number; costPerLead: number | null; closed: number }>;
}
export type KpiActuals = Record<string, MetricActual>;

/** A staff member who may carry KPIs: roles and channels from the staff table. */
export interface KpiStaff {
  id: string;
  name: string;
  roles: string[];
  channels: string[];
}

/** Targets at period start: revenue split to channels (compiled) and to the channel's active reps. */
export function snapshotTargets(plan: CompiledKpiPlan, staff: KpiStaff[]): KpiTargets {
  const targets: KpiTargets = {};
  for (const metric of plan.metrics) {
    const t: MetricTarget = { target: metric.target };
    if (metric.allocation) {
      t.channels = { ...metric.allocation.channels };
      Object.assign(
        t,
        allocateReps(
          t.channels,
          staff.filter((s) => s.roles.includes(plan.creditRole)),
          metric.allocation.reps,
        ),
      );
    }
    targets[metric.id] = t;
  }
  return targets;
}

/** Each channel's amount split among its reps (equal, or by weight); channels without reps stay unallocated. */
export function allocateReps(
  channels: Record<string, number>,
  reps: KpiStaff[],
  weights: 'equal' | Record<string, number>,
): { reps: Record<string, number>; unallocated: number } {
  const out: Record<string, number> = {};
  let unallocated = 0;
  for (const [channel, amount] of Object.entries(channels)) {
    const members = reps.filter((r) => r.channels.includes(channel));
    const w = Object.fromEntries(members.map((r) => [r.id, weights === 'equal' ? 1 : (weights[r.id] ?? 1)]));
    const split = splitByWeight(amount, w);
    if (Object.keys(split).length === 0) unallocated += amount;
    for (const [id, part] of Object.entries(split)) out[id] = (out[id] ?? 0) + part;
  }
  return { reps: out, unallocated };
}

/** The rows one recomputation read from the database. */
export interface KpiRows {
  revenue: RevenueRow[];
  returns: ReturnRow[];
  leads: LeadRow[];
  /** By metric id (tasksOnTime metrics only). */
  tasks: Record<string, TaskRow[]>;
  /** By metric id (ordersPerPackerDay metrics). */
  packers?: Record<string, PackerRow[]>;
  complaints?: ComplaintRow[];
  /** By metric id (careCoverage metrics). */
  care?: Record<string, CareRow[]>;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const add = (into: Record<string, number>, key: string | null, n: number) => {
  const k = key ?? '(none)';
  into[k] = (into[k] ?? 0) + n;
};

/** Actuals of every metric of the plan from the rows. */
export function actualsFromRows(plan: CompiledKpiPlan, rows: KpiRows): KpiActuals {
  const actuals: KpiActuals = {};
  for (const metric of plan.metrics) actuals[metric.id] = metricActual(metric, rows);
  return actuals;
}

function metricActual(metric: CompiledKpiMetric, rows: KpiRows): MetricActual {
  switch (metric.type) {
    case 'revenue': {
      const byChannel: Record<string, number> = {};
      const byStaff: Record<string, number> = {};
      const d = { delivered: 0, deliveredValue: 0, returned: 0, returnedValue: 0 };
      for (const r of rows.revenue) {
        add(byChannel, r.channel, r.revenue);
        if (r.rep) add(byStaff, r.rep, r.revenue);
        d.delivered += r.delivered;
        d.deliveredValue += r.deliveredValue;
        d.returned += r.returned;
        d.returnedValue += r.returnedValue;
      }
      return { value: d.deliveredValue - d.returnedValue, detail: d, byChannel, byStaff };
    }
    case 'returnRate': {
      const d = { shipped: 0, returned: 0, shippedValue: 0, returnedValue: 0 };
      const byCourier: NonNullable<MetricActual['byCourier']> = {};
      const rateOf = (x: typeof d) => (metric.basis === 'value' ? ratio(x.returnedValue, x.shippedValue) : ratio(x.returned, x.shipped));
      for (const r of rows.returns) {
        const x = { shipped: r.shipped, returned: r.returned, shippedValue: r.shippedValue, returnedValue: r.returnedValue };
        byCourier[r.courier] = { value: rateOf(x), ...x };
        d.shipped += r.shipped;
        d.returned += r.returned;
        d.shippedValue += r.shippedValue;
        d.returnedValue += r.returnedValue;
      }
      return {
        value: rateOf(d),
        detail: { ...d, rateByCount: ratio(d.returned, d.shipped) ?? 0, rateByValue: ratio(d.returnedValue, d.shippedValue) ?? 0 },
        byCourier,
      };
    }
    case 'leads':
    case 'costPerLead':
    case 'closeRate':
    case 'newCustomerRevenue': {
      const d = { leads: 0, leadCost: 0, closed: 0, newCustomerGross: 0, newCustomerNet: 0 };
      const byChannel: Record<string, number> = {};
      const byCampaign: NonNullable<MetricActual['byCampaign']> = {};
      const perChannel: Record<string, typeof d> = {};
      const perRep: Record<string, { leads: number; closed: number }> = {};
      for (const r of rows.leads) {
        if (r.rep) {
          const x = (perRep[r.rep] ??= { leads: 0, closed: 0 });
          x.leads += r.leads;
          x.closed += r.closed;
        }
        d.leads += r.leads;
        d.leadCost += r.leadCost;
        d.closed += r.closed;
        d.newCustomerGross += r.newCustomerGross;
        d.newCustomerNet += r.newCustomerNet;
        const c = (perChannel[r.channel ?? '(none)'] ??= { leads: 0, leadCost: 0, closed: 0, newCustomerGross: 0, newCustomerNet: 0 });
        c.leads += r.leads;
        c.leadCost += r.leadCost;
        c.closed += r.closed;
        c.newCustomerGross += r.newCustomerGross;
        c.newCustomerNet += r.newCustomerNet;
        const k = r.campaign ?? '(none)';
        const camp = (byCampaign[k] ??= { leads: 0, leadCost: 0, costPerLead: null, closed: 0 });
        camp.leads += r.leads;
        camp.leadCost += r.leadCost;
        camp.closed += r.closed;
        camp.costPerLead = ratio(camp.leadCost, camp.leads);
      }
      const valueOf = (x: typeof d) =>
        metric.type === 'leads'
          ? x.leads
          : metric.type === 'costPerLead'
            ? ratio(x.leadCost, x.leads)
            : metric.type === 'closeRate'
              ? ratio(x.closed, x.leads)
              : x.newCustomerNet;
      for (const [channel, x] of Object.entries(perChannel)) {
        const v = valueOf(x);
        if (v !== null) byChannel[channel] = v;
      }
      if (metric.type !== 'closeRate') return { value: valueOf(d), detail: d, byChannel, byCampaign };
      // A rep's close rate: of the leads whose close step they finished (closed or lost), the share closed.
      const byStaff = Object.fromEntries(Object.entries(perRep).map(([rep, x]) => [rep, x.closed / x.leads]));
      return { value: valueOf(d), detail: d, byChannel, byCampaign, byStaff, staffDetail: perRep };
    }
    case 'tasksOnTime': {
      let done = 0;
      let onTime = 0;
      const byStaff: Record<string, number> = {};
      for (const r of rows.tasks[metric.id] ?? []) {
        done += r.done;
        onTime += r.onTime;
        if (r.staffId) byStaff[r.staffId] = r.onTime / r.done;
      }
      return { value: ratio(onTime, done), detail: { done, onTime }, byStaff };
    }
    case 'ordersPerPackerDay': {
      // Orders over packer-days: each packer's days are the local days on which they packed.
      let orders = 0;
      let packerDays = 0;
      const byStaff: Record<string, number> = {};
      const staffDetail: Record<string, Record<string, number>> = {};
      for (const r of rows.packers?.[metric.id] ?? []) {
        orders += r.orders;
        packerDays += r.days;
        if (r.staffId) {
          byStaff[r.staffId] = r.orders / r.days;
          staffDetail[r.staffId] = { orders: r.orders, days: r.days };
        }
      }
      return {
        value: ratio(orders, packerDays),
        detail: { orders, packerDays, packers: Object.keys(byStaff).length },
        byStaff,
        staffDetail,
      };
    }
    case 'complaintsOnTime': {
      const d = { counted: 0, onTime: 0, open: 0 };
      const byStaff: Record<string, number> = {};
      const staffDetail: Record<string, Record<string, number>> = {};
      for (const r of rows.complaints ?? []) {
        d.counted += r.counted;
        d.onTime += r.onTime;
        d.open += r.open;
        if (r.staffId && r.counted > 0) {
          byStaff[r.staffId] = r.onTime / r.counted;
          staffDetail[r.staffId] = { counted: r.counted, onTime: r.onTime };
        }
      }
      return { value: ratio(d.onTime, d.counted), detail: d, byStaff, staffDetail };
    }
    case 'careCoverage': {
      const d = { customers: 0, contacted: 0 };
      const bySegment: NonNullable<MetricActual['bySegment']> = {};
      for (const r of rows.care?.[metric.id] ?? []) {
        d.customers += r.customers;
        d.contacted += r.contacted;
        bySegment[r.segment] = { customers: r.customers, contacted: r.contacted, value: ratio(r.contacted, r.customers) };
      }
      return { value: ratio(d.contacted, d.customers), detail: d, bySegment };
    }
  }
}

/** Metrics that accumulate over the period (expected by now = target × elapsed); the rest are rates. */
const CUMULATIVE = new Set(['revenue', 'leads', 'newCustomerRevenue']);

/** Expected by now vs actual, per metric. */
export function pacingOf(plan: CompiledKpiPlan, targets: KpiTargets, actuals: KpiActuals, elapsed: number) {
  return Object.fromEntries(
    plan.metrics.map((m) => {
      const target = targets[m.id]?.target ?? m.target;
      const expected = CUMULATIVE.has(m.type) ? target * elapsed : target;
      const actual = actuals[m.id]?.value ?? null;
      const onTrack = actual === null ? null : m.goal === 'ceiling' ? actual <= target : actual >= expected;
      return [m.id, { goal: m.goal, target, expected, actual, onTrack }];
    }),
  );
}

/** A pacing rule whose condition holds now. */
export interface PacingBreach {
  rule: string;
  metric: string;
  notify: string[];
  message: string;
  actual: number | null;
  target: number;
}

/** Rules that hold now (each fires once per period: the workflow remembers which fired). */
export function pacingBreaches(plan: CompiledKpiPlan, targets: KpiTargets, actuals: KpiActuals, elapsed: number): PacingBreach[] {
  const out: PacingBreach[] = [];
  for (const rule of plan.pacing) {
    if (elapsed < rule.fromElapsed) continue;
    const metric = plan.metrics.find((m) => m.id === rule.metric);
    const actual = actuals[rule.metric]?.value ?? null;
    if (!metric || actual === null) continue;
    const target = targets[metric.id]?.target ?? metric.target;
    const holds = rule.overCeiling ? actual > target : rule.below !== undefined && actual < rule.below * target;
    if (!holds) continue;
    const shown = (n: number) =>
      RATIO_TYPES.has(metric.type)
        ? `${(n * 100).toFixed(1)}%`
        : metric.type === 'ordersPerPackerDay'
          ? n.toFixed(1)
          : Math.round(n).toLocaleString('vi-VN');
    out.push({
      rule: rule.id,
      metric: metric.id,
      notify: rule.notify,
      actual,
      target,
      message: `${rule.message ?? `KPI ${metric.title} cần chú ý`}: ${metric.title} ${shown(actual)} / ${rule.overCeiling ? 'trần' : 'chỉ tiêu'} ${shown(target)} (đã qua ${Math.round(elapsed * 100)}% kỳ)`,
    });
  }
  return out;
}

/** A metric's score in percent: attainment of a target, or how well a ceiling was kept; capped. */
export function metricScore(goal: 'target' | 'ceiling', target: number, actual: number | null, cap: number): number | null {
  if (actual === null) return null;
  let score: number;
  if (goal === 'target') score = target > 0 ? (actual / target) * 100 : 100;
  else score = actual <= target ? 100 : actual > 0 ? (target / actual) * 100 : 100;
  return Math.round(Math.min(Math.max(score, 0), cap) * 100) / 100;
}

/** One staff member's result: each metric's figure and score, the weighted score, grade and rank in role. */
export interface StaffEvaluation {
  staffId: string;
  name: string;
  roles: string[];
  metrics: Array<{
    metric: string;
    scope: 'personal' | 'role';
    target: number;
    actual: number | null;
    score: number | null;
    weight: number;
  }>;
  score: number | null;
  grade: string | null;
  /** Rank (1 = best) among staff evaluated under each of their roles. */
  rank: Record<string, number>;
}

/** The final evaluation: per staff (weighted, graded, ranked), plus per channel and courier figures. */
export function evaluate(plan: CompiledKpiPlan, targets: KpiTargets, actuals: KpiActuals, staff: KpiStaff[]): StaffEvaluation[] {
  const owners = new Set(plan.metrics.map((m) => m.owner));
  const evaluated = staff
    .filter((s) => s.roles.some((r) => owners.has(r)))
    .map((s): StaffEvaluation => {
      const metrics = plan.metrics
        .filter((m) => s.roles.includes(m.owner))
        .map((m) => {
          const t = targets[m.id] ?? { target: m.target };
          const actual = actuals[m.id];
          const personal = personalFigure(m, t, actual, s.id);
          const figure = personal ?? { scope: 'role' as const, target: t.target, actual: actual?.value ?? null };
          return { metric: m.id, ...figure, score: metricScore(m.goal, figure.target, figure.actual, plan.scoreCap), weight: m.weight };
        });
      const scored = metrics.filter((m) => m.score !== null);
      const weights = scored.reduce((a, m) => a + m.weight, 0);
      const score = weights > 0 ? Math.round((scored.reduce((a, m) => a + m.score! * m.weight, 0) / weights) * 100) / 100 : null;
      const grade = score === null ? null : (plan.grades.find((g) => score >= g.minScore)?.grade ?? null);
      return { staffId: s.id, name: s.name, roles: s.roles, metrics, score, grade, rank: {} };
    });
  for (const role of owners) {
    const inRole = evaluated
      .filter((e) => e.roles.includes(role))
      .sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.name.localeCompare(b.name));
    inRole.forEach((e, i) => {
      e.rank[role] = i + 1;
    });
  }
  return evaluated;
}

/** Metrics whose per-staff figure is compared with the metric's own target. */
const PERSONAL_RATE_TYPES = new Set(['tasksOnTime', 'closeRate', 'ordersPerPackerDay', 'complaintsOnTime']);

/** A staff member's own figure where the metric has one (their revenue vs their allocation, their tasks). */
function personalFigure(
  m: CompiledKpiMetric,
  t: MetricTarget,
  actual: MetricActual | undefined,
  staffId: string,
): { scope: 'personal'; target: number; actual: number | null } | undefined {
  if (m.type === 'revenue' && hasOwnEntry(t.reps, staffId))
    return { scope: 'personal', target: ownEntry(t.reps, staffId)!, actual: actual?.byStaff?.[staffId] ?? 0 };
  if (PERSONAL_RATE_TYPES.has(m.type) && actual?.byStaff && hasOwnEntry(actual.byStaff, staffId))
    return { scope: 'personal', target: t.target, actual: actual.byStaff[staffId]! };
  return undefined;
}

/** A manager's change to a target: the whole metric, one channel, or one rep. */
export interface TargetRevision {
  metric: string;
  scope: 'total' | `channel:${string}` | `rep:${string}`;
  value: number;
  actor: string;
  reason: string;
}

/** The targets after a revision; channel and rep splits follow a changed total in proportion. */
export function applyRevision(targets: KpiTargets, revision: TargetRevision): { targets: KpiTargets; oldValue: number | null } {
  const next: KpiTargets = JSON.parse(JSON.stringify(targets));
  const t = ownEntry(next, revision.metric)!;
  const value = Math.max(0, revision.value);
  if (revision.scope === 'total') {
    const oldValue = t.target;
    t.target = value;
    if (t.channels) {
      const oldChannels = t.channels;
      t.channels = splitByWeight(value, oldChannels);
      if (t.reps) t.reps = rescale(t.reps, oldValue, value);
    }
    return { targets: next, oldValue };
  }
  if (revision.scope.startsWith('channel:')) {
    const channel = revision.scope.slice('channel:'.length);
    t.channels ??= {};
    const oldValue = ownEntry(t.channels, channel) ?? null;
    t.channels[channel] = Math.round(value);
    t.target = Object.values(t.channels).reduce((a, b) => a + b, 0);
    return { targets: next, oldValue };
  }
  const rep = revision.scope.slice('rep:'.length);
  t.reps ??= {};
  const oldValue = ownEntry(t.reps, rep) ?? null;
  t.reps[rep] = Math.round(value);
  return { targets: next, oldValue };
}

function rescale(parts: Record<string, number>, from: number, to: number): Record<string, number> {
  if (from <= 0) return parts;
  return splitByWeight(Math.round((Object.values(parts).reduce((a, b) => a + b, 0) * to) / from), parts);
}
