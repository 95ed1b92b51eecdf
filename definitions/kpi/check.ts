/**
 * Semantic checks of a KpiPlan beyond its JSON Schema: roles and channels exist in the shop,
 * durations parse, each metric has the goal its type needs, allocations add up, pacing rules
 * name a metric and fit its goal, grades descend. Runs on data that may not match the schema.
 */
import { hasOwnEntry } from '../rules/own';
import { didYouMean, listNames, type Issue, type PathSegment } from '../loading/errors';
import { isRecord, listOf, recordOf, textOf } from '../loading/plain';
import { checkDuration, checkRole } from '../loading/references';
import type { CompiledShop } from '../types';
import { checkCommission } from './commission';
import { ratioOf } from './ratio';

/** `"8%"` → 0.08 (definitions/kpi/ratio.ts), kept here for the modules that import it from the checks. */
export { ratioOf };

/** Types whose goal is a ceiling (lower is better); the others have a target. */
export const CEILING_TYPES = new Set(['returnRate', 'costPerLead']);
/** Types counted over tasks of a role (and stages). */
const TASK_TYPES = new Set(['tasksOnTime', 'ordersPerPackerDay']);
/** Types measured as a share 0…1. */
export const RATIO_TYPES = new Set(['returnRate', 'closeRate', 'tasksOnTime', 'complaintsOnTime', 'careCoverage']);

export function checkKpiPlan(data: unknown, shop: CompiledShop | null): Issue[] {
  const issues: Issue[] = [];
  const spec = recordOf(recordOf(data).spec);
  const base: PathSegment[] = ['spec'];

  if (isRecord(spec.period)) checkDuration(spec.period.every, ['spec', 'period', 'every'], issues);
  checkDuration(spec.recompute, ['spec', 'recompute'], issues);
  checkDuration(spec.catchupWindow, ['spec', 'catchupWindow'], issues);
  if (spec.creditRole !== undefined) issues.push(...checkRole(shop, spec.creditRole, ['spec', 'creditRole'], true));

  const ids = new Map<string, { index: number; type: unknown; ceiling: boolean }>();
  listOf(spec.metrics).forEach((raw, i) => {
    const metric = recordOf(raw);
    const path: PathSegment[] = [...base, 'metrics', i];
    const id = textOf(metric.id);
    const type = metric.type;
    const isCeiling = CEILING_TYPES.has(String(type));
    if (id !== undefined) {
      if (ids.has(id))
        issues.push({
          path: [...path, 'id'],
          message: `metric id "${id}" is already used by metrics[${ids.get(id)!.index}] — metric ids must be unique`,
        });
      else ids.set(id, { index: i, type, ceiling: isCeiling });
    }
    issues.push(...checkRole(shop, metric.owner, [...path, 'owner'], false));
    if (typeof type === 'string') {
      const [needed, other] = isCeiling ? ['ceiling', 'target'] : ['target', 'ceiling'];
      if (metric[needed] === undefined)
        issues.push({
          path: [...path, 'type'],
          message: `a ${type} metric needs a ${needed} (${isCeiling ? 'lower is better' : 'higher is better'})`,
        });
      if (metric[other] !== undefined) issues.push({ path: [...path, other], message: `a ${type} metric has a ${needed}, not a ${other}` });
      const goal = ratioOf(metric[needed]);
      if (RATIO_TYPES.has(type) && goal !== undefined && goal > 1) {
        issues.push({ path: [...path, needed], message: `${type} is a share: write ${needed} as 0…1 or a percentage such as "8%"` });
      }
      if (metric.basis !== undefined && type !== 'returnRate')
        issues.push({ path: [...path, 'basis'], message: 'basis applies to returnRate metrics only' });
      if ((metric.taskRole !== undefined || metric.stages !== undefined) && !TASK_TYPES.has(type))
        issues.push({
          path: [...path, metric.taskRole !== undefined ? 'taskRole' : 'stages'],
          message: 'taskRole and stages apply to tasksOnTime and ordersPerPackerDay metrics only',
        });
      if (metric.segments !== undefined && type !== 'careCoverage')
        issues.push({ path: [...path, 'segments'], message: 'segments apply to careCoverage metrics only' });
      if (metric.allocation !== undefined && type !== 'revenue')
        issues.push({ path: [...path, 'allocation'], message: 'allocation applies to revenue metrics only' });
    }
    if (metric.taskRole !== undefined) issues.push(...checkRole(shop, metric.taskRole, [...path, 'taskRole'], false));
    if (shop) {
      const segments = shop.segments.map((s) => s.id);
      listOf(metric.segments).forEach((segment, j) => {
        if (typeof segment === 'string' && !segments.includes(segment))
          issues.push({
            path: [...path, 'segments', j],
            message: `unknown segment "${segment}"${didYouMean(segment, segments)} — segments: ${listNames(segments)}`,
          });
      });
    }
    const allocation = recordOf(metric.allocation);
    if (shop) {
      const known = Object.keys(shop.channels);
      for (const channel of Object.keys(recordOf(allocation.channels))) {
        if (!hasOwnEntry(shop.channels, channel))
          issues.push({
            path: [...path, 'allocation', 'channels', channel],
            at: 'key',
            message: `unknown channel "${channel}"${didYouMean(channel, known)} — channels: ${listNames(known)}`,
          });
      }
    }
    const amounts = Object.values(recordOf(allocation.channels)).filter((v): v is number => typeof v === 'number');
    const total = amounts.reduce((a, b) => a + b, 0);
    if (amounts.length && total <= 0)
      issues.push({ path: [...path, 'allocation', 'channels'], message: 'channel weights must not all be zero' });
    if (allocation.by === 'amount' && typeof metric.target === 'number' && amounts.length && total !== metric.target) {
      issues.push({
        path: [...path, 'allocation', 'channels'],
        message: `channel amounts add up to ${total} but the target is ${metric.target} — they must be equal`,
      });
    }
  });

  const ruleIds = new Set<string>();
  listOf(spec.pacing).forEach((raw, i) => {
    const rule = recordOf(raw);
    const path: PathSegment[] = [...base, 'pacing', i];
    const id = textOf(rule.id);
    if (id !== undefined) {
      if (ruleIds.has(id)) issues.push({ path: [...path, 'id'], message: `pacing rule id "${id}" is already used — ids must be unique` });
      ruleIds.add(id);
    }
    const metricId = textOf(rule.metric);
    const metric = metricId === undefined ? undefined : ids.get(metricId);
    if (metricId !== undefined && !metric) {
      issues.push({
        path: [...path, 'metric'],
        message: `unknown metric "${metricId}"${didYouMean(metricId, [...ids.keys()])} — metrics: ${listNames([...ids.keys()])}`,
      });
    }
    const hasBelow = rule.below !== undefined;
    const hasOver = rule.overCeiling === true;
    if (hasBelow === hasOver)
      issues.push({
        path: [...path, 'id'],
        message: 'a pacing rule needs exactly one condition: below (target metrics) or overCeiling: true (ceiling metrics)',
      });
    else if (metric && hasBelow && metric.ceiling)
      issues.push({ path: [...path, 'below'], message: `metric "${metricId}" has a ceiling: use overCeiling: true` });
    else if (metric && hasOver && !metric.ceiling)
      issues.push({ path: [...path, 'overCeiling'], message: `metric "${metricId}" has a target, not a ceiling: use below` });
    listOf(rule.notify).forEach((role, j) => issues.push(...checkRole(shop, role, [...path, 'notify', j], false)));
  });

  issues.push(...checkCommission(spec, shop));

  let previous = Infinity;
  listOf(spec.grades).forEach((raw, i) => {
    const min = recordOf(raw).min;
    if (typeof min !== 'number') return;
    if (min >= previous)
      issues.push({ path: [...base, 'grades', i, 'min'], message: 'grades go from the highest min score to the lowest' });
    previous = min;
  });
  return issues;
}
