/**
 * Commission arithmetic (pure, no I/O): what one person earns in a period under a commission rule
 * from the revenue credited to them, as the revenue KPI counts it — delivered value minus what
 * came back (returns attributed to the rep who closed the order), in the period they happen in.
 *
 * - Commissionable revenue = delivered − returned, never below 0 (a month of returns costs the
 *   commission of that month, not a debt).
 * - `marginal` tiers: each bracket's slice of that revenue at the bracket's rate (like income tax);
 *   `whole` tiers: the highest bracket reached sets the rate for all of it. Below the first
 *   bracket's `from` nothing is paid.
 * - Each bracket's commission is rounded to whole đồng (half up); the commission is their sum.
 * - The bonus is paid once net revenue reaches the person's target (a target of 0 or none: no bonus).
 */
import type { CompiledCommissionRule } from './types';

/** What a person's revenue is made of in the period (VND and order counts). */
export interface CreditedRevenue {
  delivered: number;
  deliveredValue: number;
  returned: number;
  returnedValue: number;
}

/** One bracket of the statement: its range, rate, the revenue in it and what it pays. */
export interface CommissionLine {
  from: number;
  /** Exclusive upper bound; null for the last bracket. */
  to: number | null;
  rate: number;
  revenue: number;
  commission: number;
}

export interface CommissionResult {
  /** Delivered minus returned (may be negative). */
  net: number;
  /** What commission is computed on: net, at least 0. */
  base: number;
  tiering: 'marginal' | 'whole';
  lines: CommissionLine[];
  commission: number;
  target: number | null;
  targetReached: boolean;
  bonus: number;
  total: number;
}

const dong = (n: number) => Math.round(n);

/** The commission, bonus and total of one person under `rule` (`target`: their VND target, null when they have none). */
export function commissionOf(rule: CompiledCommissionRule, revenue: CreditedRevenue, target: number | null): CommissionResult {
  const net = revenue.deliveredValue - revenue.returnedValue;
  const base = Math.max(0, net);
  const tiers = rule.tiers;
  const reached = tiers.reduce((at, t, i) => (base >= t.from ? i : at), -1);
  const lines: CommissionLine[] = tiers.map((t, i) => {
    const to = i + 1 < tiers.length ? tiers[i + 1]!.from : null;
    let inBracket: number;
    if (rule.tiering === 'marginal') inBracket = Math.max(0, Math.min(base, to ?? Infinity) - t.from);
    else inBracket = i === reached ? base : 0;
    return { from: t.from, to, rate: t.rate, revenue: inBracket, commission: dong(inBracket * t.rate) };
  });
  const commission = lines.reduce((a, l) => a + l.commission, 0);
  const goal = target !== null && target > 0 ? target : null;
  const targetReached = goal !== null && net >= goal;
  const bonus = targetReached && rule.bonus ? rule.bonus.amount : 0;
  return { net, base, tiering: rule.tiering, lines, commission, target: goal, targetReached, bonus, total: commission + bonus };
}

/** The rule a person is paid by: the first whose role they hold (null: none of their roles earns commission). */
export function ruleFor(rules: readonly CompiledCommissionRule[], roles: readonly string[]): CompiledCommissionRule | null {
  return rules.find((r) => roles.includes(r.role)) ?? null;
}

/** The person's target for the bonus: a fixed amount, or their own target in the named revenue metric. */
export function bonusTargetOf(rule: CompiledCommissionRule, repTargets: (metric: string) => number | undefined): number | null {
  if (!rule.bonus) return null;
  const t = rule.bonus.target;
  return 'amount' in t ? t.amount : (repTargets(t.metric) ?? null);
}
