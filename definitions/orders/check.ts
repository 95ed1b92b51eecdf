/**
 * Semantic checks of an OrderProcess beyond its JSON Schema: targets exist, names exist in the
 * shop, durations parse, escalations get later, forms compile, conditions make sense, and the
 * stage graph starts, ends and never spins. Runs on data that may not match the schema.
 */
import { checkCondition } from '../rules/condition-compile';
import { WHEN_FIELDS } from '../rules/conditions';
import { didYouMean, listNames, type Issue, type PathSegment } from '../loading/errors';
import { checkForm } from '../tasks/forms';
import { checkBindings } from './bindings';
import { checkStageGraph, checkTimedLoops, stageTimings, type StageNode } from './graph';
import { isRecord, listOf, recordOf, textOf, type PlainRecord } from '../loading/plain';
import { checkCourier, checkDuration, checkRole, conditionNames } from '../loading/references';
import type { CompiledShop } from '../types';

const STAGE_KINDS = new Set(['human', 'courier', 'wait', 'notify', 'end']);
const COURIER_RESULTS = ['delivered', 'returned', 'failed'] as const;

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
      issues.push({ path: ['spec', 'stages', i, 'id'], message: `stage id "${id}" is already used by stages[${ids.get(id)}] — stage ids must be unique` });
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
  const cancelEnds = stages.map(recordOf).filter((s) => s.kind === 'end' && s.result === 'cancelled').map((s) => textOf(s.id)).filter((id): id is string => id !== undefined);

  const nodes: StageNode[] = [];
  stages.forEach((raw, i) => {
    const stage = recordOf(raw);
    const path: PathSegment[] = ['spec', 'stages', i];
    const id = textOf(stage.id);
    const kind = String(stage.kind);
    if (!STAGE_KINDS.has(kind)) {
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

    switch (kind) {
      case 'human':
        issues.push(...checkRole(shop, stage.role, [...path, 'role'], true));
        checkDuration(stage.sla, [...path, 'sla'], issues);
        issues.push(...checkForm(stage.form, [...path, 'form']));
        issues.push(...checkBindings(stage.sets, stage.form, [...path, 'sets']));
        for (const [name, outcome] of Object.entries(recordOf(stage.on))) {
          const to = isRecord(outcome) ? outcome.to : outcome;
          const at = isRecord(outcome) ? [...path, 'on', name, 'to'] : [...path, 'on', name];
          edge(to, at, false, (t) => `outcome "${name}" leads to stage "${t}", which does not exist`);
          if (isRecord(outcome)) {
            issues.push(...checkForm(outcome.form, [...path, 'on', name, 'form']));
            // An outcome's bindings name fields of the form it carries: its own, else the stage's.
            issues.push(...checkBindings(outcome.sets, 'form' in outcome ? outcome.form : stage.form, [...path, 'on', name, 'sets']));
          }
        }
        issues.push(...checkEscalation(stage.escalate, [...path, 'escalate'], shop, true));
        break;
      case 'courier':
        issues.push(...checkCourierChoice(stage.courier, [...path, 'courier'], shop));
        checkDuration(stage.deliverySla, [...path, 'deliverySla'], issues);
        for (const result of COURIER_RESULTS) {
          const on = recordOf(stage.on);
          if (result in on) edge(on[result], [...path, 'on', result], false, (t) => `"${result}" leads to stage "${t}", which does not exist`);
          else hasBrokenEdge = true;
        }
        issues.push(...checkEscalation(stage.escalate, [...path, 'escalate'], shop, false));
        break;
      case 'wait':
        checkDuration(stage.duration, [...path, 'duration'], issues);
        edge(stage.next, [...path, 'next'], false, (t) => `next stage "${t}" does not exist`);
        break;
      case 'notify':
        listOf(stage.notify).forEach((role, j) => issues.push(...checkRole(shop, role, [...path, 'notify', j], false)));
        edge(stage.next, [...path, 'next'], true, (t) => `next stage "${t}" does not exist`);
        break;
    }

    if (kind !== 'end') {
      for (const end of cancelEnds) edges.push({ to: end, instant: false });
      issues.push(...checkGuard(stage, path, shop));
      if ('otherwise' in stage) edge(stage.otherwise, [...path, 'otherwise'], true, (t) => `otherwise stage "${t}" does not exist`);
    }
    if (id !== undefined && ids.get(id) === i) {
      nodes.push({ id, path: [...path, 'id'], isEnd: kind === 'end', edges, hasBrokenEdge });
    }
  });

  if (nodes.length > 0) issues.push(...checkStageGraph(nodes, startOk ? (spec.start as string) : undefined));
  if (nodes.length > 0) issues.push(...checkTimedLoops(nodes, stageTimings(stages, (d) => checkDuration(d, [], []))));
  return issues;
}

/** `when` and `otherwise` come as a pair: a condition and where to go when it is false. */
function checkGuard(stage: PlainRecord, path: PathSegment[], shop: CompiledShop | null): Issue[] {
  const issues: Issue[] = [];
  if ('when' in stage && !('otherwise' in stage)) {
    issues.push({ path: [...path, 'when'], at: 'key', message: 'a stage with "when" needs "otherwise": the stage to go to when the condition is false' });
  }
  if ('otherwise' in stage && !('when' in stage)) {
    issues.push({ path: [...path, 'otherwise'], at: 'key', message: '"otherwise" only applies together with a "when" condition — add when or remove otherwise' });
  }
  issues.push(...checkCondition(stage.when, [...path, 'when'], WHEN_FIELDS, conditionNames(shop)));
  return issues;
}

function checkCourierChoice(courier: unknown, path: PathSegment[], shop: CompiledShop | null): Issue[] {
  if (!isRecord(courier)) return checkCourier(shop, courier, path);
  const issues: Issue[] = [];
  listOf(courier.rules).forEach((raw, i) => {
    const rule = recordOf(raw);
    issues.push(...checkCondition(rule.when, [...path, 'rules', i, 'when'], WHEN_FIELDS, conditionNames(shop)));
    issues.push(...checkCourier(shop, rule.use, [...path, 'rules', i, 'use']));
  });
  issues.push(...checkCourier(shop, courier.default, [...path, 'default']));
  return issues;
}

/** Each step must do something and come later than the one before; a courier stage has no task to move. */
export function checkEscalation(escalate: unknown, path: PathSegment[], shop: CompiledShop | null, hasTask: boolean): Issue[] {
  const issues: Issue[] = [];
  let previous: { ms: number; text: string; step: number } | undefined;
  listOf(escalate).forEach((raw, j) => {
    if (!isRecord(raw)) return;
    const step = raw;
    const at = [...path, j];
    const ms = checkDuration(step.after, [...at, 'after'], issues);
    if (ms !== undefined) {
      if (previous && ms <= previous.ms) {
        issues.push({
          path: [...at, 'after'],
          message: `escalation steps must get later: step ${j + 1} is after ${String(step.after)}, but step ${previous.step} is already after ${previous.text}`,
        });
      }
      previous = { ms, text: String(step.after), step: j + 1 };
    }
    if (!['notify', 'reassign', 'priority', 'task'].some((action) => action in step)) {
      issues.push({ path: at, message: 'this escalation step does nothing — give it notify, reassign, priority or task' });
    }
    if (!hasTask) {
      for (const action of ['reassign', 'priority'] as const) {
        if (action in step) {
          issues.push({
            path: [...at, action],
            at: 'key',
            message: `a courier stage has no open task to ${action === 'reassign' ? 'reassign' : 'reprioritise'} — open a follow-up task instead (task: { role, title })`,
          });
        }
      }
    }
    listOf(step.notify).forEach((role, k) => issues.push(...checkRole(shop, role, [...at, 'notify', k], false)));
    if (hasTask) issues.push(...checkRole(shop, step.reassign, [...at, 'reassign'], true));
    issues.push(...checkRole(shop, recordOf(step.task).role, [...at, 'task', 'role'], true));
  });
  return issues;
}
