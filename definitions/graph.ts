/**
 * Checks the shape of a process as a graph of stages: every stage reachable from the start, every
 * stage able to reach an end, and no loop the order would run round without waiting for anything.
 */
import type { Issue, PathSegment } from './errors';

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
  const reachable =
    start !== undefined && byId.has(start) ? walk([start], (id) => byId.get(id)?.edges.map((e) => e.to) ?? []) : undefined;
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
