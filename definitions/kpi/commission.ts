/**
 * Commission rules of a KpiPlan (`spec.commission`): checked beyond the JSON Schema (roles exist,
 * one rule per role, a rate or tiers, tiers ascending, rates within 0…100%, a bonus target that is
 * a revenue metric of the plan) and compiled into plain rules the payout arithmetic reads.
 */
import { didYouMean, listNames, type Issue, type PathSegment } from '../loading/errors';
import { isRecord, listOf, recordOf, textOf } from '../loading/plain';
import { checkRole } from '../loading/references';
import { ownEntry } from '../rules/own';
import type { CompiledShop } from '../types';
import { ratioOf } from './ratio';
import type { CompiledCommissionRule } from './types';

/** Issues of `spec.commission`, at the field they are about. */
export function checkCommission(spec: Record<string, unknown>, shop: CompiledShop | null): Issue[] {
  const issues: Issue[] = [];
  const revenueMetrics = listOf(spec.metrics)
    .map(recordOf)
    .filter((m) => m.type === 'revenue')
    .map((m) => textOf(m.id))
    .filter((id): id is string => id !== undefined);
  const metricIds = listOf(spec.metrics)
    .map((m) => textOf(recordOf(m).id))
    .filter((id): id is string => id !== undefined);
  const roles = new Map<string, number>();
  listOf(spec.commission).forEach((raw, i) => {
    if (!isRecord(raw)) return;
    const path: PathSegment[] = ['spec', 'commission', i];
    const role = textOf(raw.role);
    issues.push(...checkRole(shop, raw.role, [...path, 'role'], false));
    if (role !== undefined) {
      if (roles.has(role))
        issues.push({
          path: [...path, 'role'],
          message: `role "${role}" already has a commission rule (commission[${roles.get(role)}]) — one rule per role`,
        });
      else roles.set(role, i);
    }
    const hasRate = raw.rate !== undefined;
    const hasTiers = raw.tiers !== undefined;
    if (hasRate && hasTiers)
      issues.push({ path: [...path, 'tiers'], message: 'give a flat rate or tiers, not both (a flat rate is one tier from 0)' });
    if (!hasRate && !hasTiers) issues.push({ path, message: 'a commission rule needs a rate (e.g. 2%) or tiers' });
    const share = ratioOf(raw.rate);
    if (share !== undefined && share > 1) issues.push({ path: [...path, 'rate'], message: 'a commission rate is at most 100%' });
    if (raw.tiering !== undefined && !hasTiers)
      issues.push({ path: [...path, 'tiering'], message: 'tiering applies to tiers only (a flat rate has one bracket)' });
    let previous = -1;
    listOf(raw.tiers).forEach((tierRaw, j) => {
      const tier = recordOf(tierRaw);
      const rate = ratioOf(tier.rate);
      if (rate !== undefined && rate > 1)
        issues.push({ path: [...path, 'tiers', j, 'rate'], message: 'a commission rate is at most 100%' });
      if (typeof tier.from !== 'number') return;
      if (tier.from <= previous)
        issues.push({
          path: [...path, 'tiers', j, 'from'],
          message: `tiers go up: from ${tier.from} must be above the previous tier's from (${previous})`,
        });
      previous = tier.from;
    });
    const target = recordOf(raw.bonus).target;
    if (typeof target === 'string' && !revenueMetrics.includes(target)) {
      const known = metricIds.includes(target);
      issues.push({
        path: [...path, 'bonus', 'target'],
        message: known
          ? `metric "${target}" is not a revenue metric — a bonus target is a revenue metric (each person's own target) or a VND amount`
          : `unknown metric "${target}"${didYouMean(target, revenueMetrics)} — revenue metrics: ${listNames(revenueMetrics)}`,
      });
    }
  });
  return issues;
}

interface RawRule {
  role: string;
  title?: string;
  rate?: number | string;
  tiers?: Array<{ from: number; rate: number | string }>;
  tiering?: 'marginal' | 'whole';
  bonus?: { amount: number; target: string | number };
}

/** Compiled rules (only called on a plan that passed its checks). */
export function compileCommission(raw: unknown, shop: CompiledShop): CompiledCommissionRule[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return (raw as RawRule[]).map((r) => ({
    role: r.role,
    title: r.title ?? ownEntry(shop.roles, r.role)?.title ?? r.role,
    tiers: r.tiers ? r.tiers.map((t) => ({ from: t.from, rate: ratioOf(t.rate)! })) : [{ from: 0, rate: ratioOf(r.rate)! }],
    tiering: r.tiering ?? 'marginal',
    ...(r.bonus && {
      bonus: {
        amount: r.bonus.amount,
        target: typeof r.bonus.target === 'number' ? { amount: r.bonus.target } : { metric: r.bonus.target },
      },
    }),
  }));
}
