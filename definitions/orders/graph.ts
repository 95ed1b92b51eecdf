/**
 * Checks the shape of a process as a graph of stages: every stage reachable from the start, every
 * stage able to reach an end, and no loop the order would run round without waiting for anything.
 */
import type { Issue, PathSegment } from '../loading/errors';

/** A stage as the graph check sees it. */
export interface StageNode {
  id: string;
  /** Where to point errors about this stage (its `id`). */
  path: PathSegment[];
  isEnd: boolean;
  /** Edges to existing stages; `instant` means the order moves on without waiting (otherwise, notify). */
  edges: { to: string; instant: boolean }[];
  /** Some target of this stage is missing or invalid (already reported), so its paths are unknown. */
  hasBrokenEdge: boolean;
}

/** Graph issues for the stages, given the start stage id (undefined if it is itself broken). */
export function checkStageGraph(nodes: readonly StageNode[], start: string | undefined): Issue[] {
  const issues: Issue[] = [];
  const byId = new Map(nodes.map((n) => [n.id, n]));

  // A broken target (already reported) is usually a typo whose fix connects the stages it seems to
  // leave unreachable, so reachability is only judged once every target is sound.
  const sound = nodes.every((n) => !n.hasBrokenEdge);
  const reachable = start !== undefined && byId.has(start) ? walk([start], (id) => byId.get(id)?.edges.map((e) => e.to) ?? []) : undefined;
  if (reachable && sound) {
    for (const node of nodes) {
      if (!reachable.has(node.id)) {
        issues.push({
          path: node.path,
          message: `stage "${node.id}" can never be reached — no outcome, next or otherwise leads to it from the start stage "${start}"`,
        });
      }
    }
  }

  const ends = nodes.filter((n) => n.isEnd).map((n) => n.id);
  if (ends.length === 0) {
    issues.push({ path: ['spec', 'stages'], message: 'there is no end stage — add at least one stage with kind: end' });
  } else {
    const predecessors = new Map<string, string[]>();
    for (const node of nodes) for (const edge of node.edges) predecessors.set(edge.to, [...(predecessors.get(edge.to) ?? []), node.id]);
    // Stages with a broken target might end once it is fixed; count them as ending to avoid false alarms.
    const maybeEnding = nodes.filter((n) => n.hasBrokenEdge).map((n) => n.id);
    const canEnd = walk([...ends, ...maybeEnding], (id) => predecessors.get(id) ?? []);
    for (const node of nodes) {
      if (canEnd.has(node.id) || (reachable && !reachable.has(node.id))) continue;
      issues.push({
        path: node.path,
        message: `stage "${node.id}" never leads to an end stage — every path from it goes round in a loop, so the order would never finish; give it an outcome that leads towards an end stage`,
      });
    }
  }

  for (const cycle of instantCycles(nodes)) {
    issues.push({
      path: byId.get(cycle[0])!.path,
      message: `stages ${[...cycle, cycle[0]].join(' → ')} pass the order along without waiting for anything (otherwise/notify), so it would loop forever — break the loop with a human, courier or wait stage`,
    });
  }
  return issues;
}

function walk(from: string[], next: (id: string) => string[]): Set<string> {
  const seen = new Set(from);
  const queue = [...from];
  while (queue.length > 0) {
    for (const id of next(queue.shift()!)) {
      if (!seen.has(id)) {
        seen.add(id);
        queue.push(id);
      }
    }
  }
  return seen;
}

/** Cycles made only of instant edges, each listed once, starting at its first-written stage. */
function instantCycles(nodes: readonly StageNode[]): string[][] {
  const order = new Map(nodes.map((n, i) => [n.id, i]));
  const instantNext = new Map(nodes.map((n) => [n.id, n.edges.filter((e) => e.instant).map((e) => e.to)]));
  const cycles: string[][] = [];
  const inCycle = new Set<string>();
  for (const node of nodes) {
    if (inCycle.has(node.id)) continue;
    const path = findCycleBack(node.id, instantNext);
    if (!path) continue;
    // Only report a cycle from its earliest stage so the same loop is not reported twice.
    if (path.some((id) => order.get(id)! < order.get(node.id)!)) continue;
    path.forEach((id) => inCycle.add(id));
    cycles.push(path);
  }
  return cycles;
}

/** A path of instant edges from `start` back to itself, if any (depth-first). */
function findCycleBack(start: string, next: Map<string, string[]>): string[] | undefined {
  const visited = new Set<string>();
  const search = (id: string, path: string[]): string[] | undefined => {
    for (const to of next.get(id) ?? []) {
      if (to === start) return path;
      if (visited.has(to)) continue;
      visited.add(to);
      const found = search(to, [...path, to]);
      if (found) return found;
    }
    return undefined;
  };
  return search(start, [start]);
}

/** The least a loop of wait/notify stages must wait in total on each round. */
export const MIN_TIMED_LOOP_MS = 60_000;

/**
 * How long passing each stage takes at the least: `holds` for stages that wait on people or a
 * courier (human, courier, and any stage whose kind or duration is broken — already reported),
 * the duration of a wait stage along its `next`, 0 for notify. From stages that may not match the schema.
 */
export function stageTimings(stages: readonly unknown[], durationMs: (text: unknown) => number | undefined): Map<string, number | 'holds'> {
  const timings = new Map<string, number | 'holds'>();
  for (const raw of stages) {
    if (!raw || typeof raw !== 'object') continue;
    const stage = raw as Record<string, unknown>;
    if (typeof stage.id !== 'string' || timings.has(stage.id)) continue;
    const ms = stage.kind === 'wait' ? durationMs(stage.duration) : undefined;
    timings.set(stage.id, stage.kind === 'notify' ? 0 : stage.kind === 'wait' && ms !== undefined ? ms : 'holds');
  }
  return timings;
}

/**
 * Loops that pass only wait and notify stages and wait less than a minute per round (a `1ms` wait
 * looping through a notify): the order would spin, notifying every round, with nobody to stop it.
 * Such a loop needs a human or courier stage, or waits of at least a minute in all. Loops that do
 * not wait at all are reported by checkStageGraph; each loop is reported once, at its
 * first-written stage.
 */
export function checkTimedLoops(nodes: readonly StageNode[], timings: ReadonlyMap<string, number | 'holds'>): Issue[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const order = new Map(nodes.map((n, i) => [n.id, i]));
  /** Edges an order passes by itself, with how long each takes. */
  const timedEdges = (id: string): Array<{ to: string; ms: number; instant: boolean }> => {
    // An instant edge (notify's next, a skipped stage's otherwise) passes at once whatever the stage;
    // any other edge holds at a human or courier stage and takes a wait stage's duration.
    const timing = timings.get(id) ?? 'holds';
    return (byId.get(id)?.edges ?? [])
      .filter((e) => byId.has(e.to) && (e.instant || timing !== 'holds'))
      .map((e) => ({ to: e.to, ms: e.instant || timing === 'holds' ? 0 : timing, instant: e.instant }));
  };
  const issues: Issue[] = [];
  const reported = new Set<string>();
  for (const node of nodes) {
    const cycle = shortestCycle(node.id, timedEdges);
    if (!cycle || cycle.ms >= MIN_TIMED_LOOP_MS || cycle.allInstant) continue;
    const first = [...cycle.stages].sort((a, b) => order.get(a)! - order.get(b)!)[0]!;
    const key = [...cycle.stages].sort().join('|');
    if (reported.has(key)) continue;
    reported.add(key);
    const start = cycle.stages.indexOf(first);
    const loop = [...cycle.stages.slice(start), ...cycle.stages.slice(0, start)];
    issues.push({
      path: byId.get(first)!.path,
      message: `stages ${[...loop, first].join(' → ')} loop through wait/notify stages only and wait ${cycle.ms} ms per round, so the order would spin without anyone stopping it — wait at least 1 minute in total on the loop, or put a human or courier stage in it`,
    });
  }
  return issues;
}

/** The quickest way from `start` back to itself over the given edges (Dijkstra; graphs are small). */
function shortestCycle(
  start: string,
  next: (id: string) => Array<{ to: string; ms: number; instant: boolean }>,
): { stages: string[]; ms: number; allInstant: boolean } | undefined {
  const best = new Map<string, { ms: number; via: string | null; allInstant: boolean }>([[start, { ms: 0, via: null, allInstant: true }]]);
  const done = new Set<string>();
  let back: { ms: number; via: string; allInstant: boolean } | undefined;
  for (;;) {
    let current: string | undefined;
    for (const [id, b] of best) if (!done.has(id) && (current === undefined || b.ms < best.get(current)!.ms)) current = id;
    if (current === undefined) break;
    done.add(current);
    const here = best.get(current)!;
    if (back && here.ms >= back.ms) break;
    for (const edge of next(current)) {
      const ms = here.ms + edge.ms;
      const allInstant = here.allInstant && edge.instant;
      if (edge.to === start) {
        if (!back || ms < back.ms) back = { ms, via: current, allInstant };
        continue;
      }
      const known = best.get(edge.to);
      if (!known || ms < known.ms) best.set(edge.to, { ms, via: current, allInstant });
    }
  }
  if (!back) return undefined;
  const stages: string[] = [];
  for (let id: string | null = back.via; id !== null; id = best.get(id)!.via) stages.unshift(id);
  return { stages, ms: back.ms, allInstant: back.allInstant };
}
