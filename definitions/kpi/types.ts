/**
 * Compiled shapes of a KpiPlan (definitions/processes/kpi.yaml): plain JSON, so a plan can be
 * stored as a version snapshot and passed to the `kpi:<plan>:<period>` workflow unchanged.
 * No runtime imports: safe to import from workflow code.
 */

/** How long a KPI period is. `interval` (fixed length from the Unix epoch) exists for tests and demos. */
export type KpiPeriodSpec = { unit: 'weekly' | 'monthly' | 'quarterly' } | { unit: 'interval'; everyMs: number };

/** What a metric measures; each type is one SQL aggregation (activities/kpi/queries.ts). */
export type KpiMetricType =
  | 'revenue'
  | 'returnRate'
  | 'leads'
  | 'costPerLead'
  | 'closeRate'
  | 'newCustomerRevenue'
  | 'tasksOnTime'
  | 'ordersPerPackerDay'
  | 'complaintsOnTime'
  | 'careCoverage';

/** Revenue target split: channel amounts (summing to the target) and how a channel's amount goes to reps. */
export interface CompiledKpiAllocation {
  /** VND per channel; sums exactly to the metric's target. */
  channels: Record<string, number>;
  /** `equal`: among the channel's active reps; a record: weights by staff id (missing reps weigh 1). */
  reps: 'equal' | Record<string, number>;
}

/** One KPI: what is measured, whose it is, the goal, and its weight in staff scores. */
export interface CompiledKpiMetric {
  id: string;
  title: string;
  type: KpiMetricType;
  /** The role that owns the metric (its members are evaluated on it). */
  owner: string;
  /** `target`: higher is better; `ceiling`: must stay at or below (return rate, cost per lead). */
  goal: 'target' | 'ceiling';
  /** VND, a count, or a ratio 0…1 for rates. */
  target: number;
  /** Weight in the owner's score (relative to the owner's other metrics). */
  weight: number;
  /** returnRate: which rate is compared with the ceiling. */
  basis?: 'count' | 'value';
  /** tasksOnTime, ordersPerPackerDay: the tasks' role, and optionally only these stages (ordersPerPackerDay: `pack` by default). */
  taskRole?: string;
  stages?: string[];
  /** careCoverage: the customer segments whose contact is measured (default vip, loyal). */
  segments?: string[];
  /** revenue: split to channels and reps. */
  allocation?: CompiledKpiAllocation;
}

/** Fires once per period when its condition holds on a recomputation. */
export interface CompiledPacingRule {
  id: string;
  metric: string;
  /** Only checked once this share (0…1) of the period has elapsed. */
  fromElapsed: number;
  /** target metrics: fires when actual < below × target × (elapsed share, if `prorate`) … see kpi-evaluate. */
  below?: number;
  /** ceiling metrics: fires when the actual is over the ceiling. */
  overCeiling?: boolean;
  notify: string[];
  message?: string;
}

/** Score → grade; `minScore` thresholds, highest first. */
export interface CompiledGrade {
  grade: string;
  minScore: number;
}

/** A KPI plan compiled against the shop. */
export interface CompiledKpiPlan {
  apiVersion: 'shopflow/v1';
  kind: 'KpiPlan';
  name: string;
  title: string;
  description?: string;
  period: KpiPeriodSpec;
  /** The shop's timezone (fixed offset): periods start at local midnight. */
  timezone: string;
  utcOffsetMinutes: number;
  recomputeEveryMs: number;
  /** A period workflow continues-as-new after this many recomputations (keeps its history small). */
  continueAsNewAfter: number;
  /** How far back a schedule that was down catches up on missed period starts. */
  catchupWindowMs: number;
  /** A rep is credited with an order when they completed its first finished task of this role. */
  creditRole: string;
  /** Staff ranked per role may be limited to these roles (all metric owners by default). */
  metrics: CompiledKpiMetric[];
  pacing: CompiledPacingRule[];
  grades: CompiledGrade[];
  /** A score is capped here so one huge figure cannot hide the others (percent). */
  scoreCap: number;
  /** Commission rules per role (definitions/kpi/commission.ts); absent when the plan pays none. */
  commission?: CompiledCommissionRule[];
}

/** One commission bracket: from this much commissionable revenue (VND) on, this rate (0…1). */
export interface CompiledCommissionTier {
  from: number;
  rate: number;
}

/**
 * What the members of a role earn on the revenue credited to them (delivered minus returned, as
 * the revenue KPI counts it): tiered commission and a bonus once they reach their target.
 */
export interface CompiledCommissionRule {
  role: string;
  title: string;
  /** Ascending `from`; the first may start above 0 (nothing is paid below it). A flat `rate` is one tier from 0. */
  tiers: CompiledCommissionTier[];
  /**
   * `marginal` (default): each bracket's slice of the revenue at that bracket's rate, like income
   * tax. `whole`: the highest bracket reached sets the rate for the whole revenue.
   */
  tiering: 'marginal' | 'whole';
  bonus?: {
    /** VND paid once the person's net revenue reaches the target. */
    amount: number;
    /** A fixed VND target per person, or the id of a revenue metric whose personal (rep) target counts. */
    target: { amount: number } | { metric: string };
  };
}
