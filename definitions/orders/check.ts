/**
 * Semantic checks of an OrderProcess beyond its JSON Schema: targets exist, names exist in the
 * shop, durations parse, escalations get later, forms compile, conditions make sense, and the
 * stage graph starts, ends and never spins. Runs on data that may not match the schema.
 */
import { checkCondition } from '../rules/condition-compile';
import { WHEN_FIELDS } from '../rules/conditions';
import { didYouMean, listNames, type Issue, type PathSegment } from '../loading/errors';
import { checkStageGraph, checkTimedLoops, stageTimings, type StageNode } from './graph';
import { listOf, recordOf, textOf, type PlainRecord } from '../loading/plain';
import { checkDuration, conditionNames } from '../loading/references';
import { orderStageKind } from './stages';
import { checkCustomerMessages } from './customer-messages';
import type { CompiledShop } from '../types';

/** Every semantic issue of an OrderProcess document; `shop` null skips checks against the shop. */
export function checkOrderProcess(data: unknown, shop: CompiledShop | null): Issue[] {
  const issues: Issue[] = [];
  const spec = recordOf(recordOf(data).spec);
  const stages = listOf(spec.stages);

  const ids = new Map<string, number>();
  stages.forEach((raw, i) => {
    const id = textOf(recordOf(raw).id);
    if (id === undefined) return;
    if (ids.has(id)) {
      issues.push({
        path: ['spec', 'stages', i, 'id'],
        message: `stage id "${id}" is already used by stages[${ids.get(id)}] — stage ids must be unique`,
      });
    } else ids.set(id, i);
  });
  const known = [...ids.keys()];

  /** Reports a missing target; true when the target is a usable edge. */
  const target = (value: unknown, path: PathSegment[], what: (t: string) => string): boolean => {
    if (typeof value !== 'string') return false;
    if (ids.has(value)) return true;
    issues.push({ path, message: `${what(value)}${didYouMean(value, known)} — stages: ${listNames(known)}` });
    return false;
  };

  const startOk = target(spec.start, ['spec', 'start'], (t) => `start stage "${t}" does not exist`);

  // Staff can cancel an order while it waits at any stage: an end stage with result `cancelled`
  // is reached that way, so it counts as reachable from every stage that is not an end.
  const cancelEnds = stages
    .map(recordOf)
    .filter((s) => s.kind === 'end' && s.result === 'cancelled')
    .map((s) => textOf(s.id))
    .filter((id): id is string => id !== undefined);

  const nodes: StageNode[] = [];
  stages.forEach((raw, i) => {
    const stage = recordOf(raw);
    const path: PathSegment[] = ['spec', 'stages', i];
    const id = textOf(stage.id);
    const kind = String(stage.kind);
    const stageKind = orderStageKind(kind);
    if (!stageKind) {
      // Its targets are unknown until its kind is fixed; the graph check treats it as open-ended.
      if (id !== undefined && ids.get(id) === i) nodes.push({ id, path: [...path, 'id'], isEnd: false, edges: [], hasBrokenEdge: true });
      return;
    }
    const edges: StageNode['edges'] = [];
    let hasBrokenEdge = false;
    const edge = (value: unknown, at: PathSegment[], instant: boolean, what: (t: string) => string) => {
      if (target(value, at, what)) edges.push({ to: value as string, instant });
      else hasBrokenEdge = true;
    };

    stageKind.check({
      stage,
      path,
      shop,
      issues,
      edge,
      broken: () => {
        hasBrokenEdge = true;
      },
    });

    if (kind !== 'end') {
      for (const end of cancelEnds) edges.push({ to: end, instant: false });
      issues.push(...checkGuard(stage, path, shop));
      if ('otherwise' in stage) edge(stage.otherwise, [...path, 'otherwise'], true, (t) => `otherwise stage "${t}" does not exist`);
    }
    if (id !== undefined && ids.get(id) === i) {
      nodes.push({ id, path: [...path, 'id'], isEnd: kind === 'end', edges, hasBrokenEdge });
    }
  });

  issues.push(...checkCustomerMessages(spec, shop));
  if (nodes.length > 0) issues.push(...checkStageGraph(nodes, startOk ? (spec.start as string) : undefined));
  if (nodes.length > 0)
    issues.push(
      ...checkTimedLoops(
        nodes,
        stageTimings(stages, (d) => checkDuration(d, [], [])),
      ),
    );
  return issues;
}

/** `when` and `otherwise` come as a pair: a condition and where to go when it is false. */
function checkGuard(stage: PlainRecord, path: PathSegment[], shop: CompiledShop | null): Issue[] {
  const issues: Issue[] = [];
  if ('when' in stage && !('otherwise' in stage)) {
    issues.push({
      path: [...path, 'when'],
      at: 'key',
      message: 'a stage with "when" needs "otherwise": the stage to go to when the condition is false',
    });
  }
  if ('otherwise' in stage && !('when' in stage)) {
    issues.push({
      path: [...path, 'otherwise'],
      at: 'key',
      message: '"otherwise" only applies together with a "when" condition — add when or remove otherwise',
    });
  }
  issues.push(...checkCondition(stage.when, [...path, 'when'], WHEN_FIELDS, conditionNames(shop)));
  return issues;
}
