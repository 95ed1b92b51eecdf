/**
 * Escalation ladders as written (`escalate: [{ after, notify, reassign, priority, task }]`):
 * their check and compile, shared by order stages and complaint tasks.
 */
import type { Issue, PathSegment } from '../loading/errors';
import { isRecord, listOf, recordOf } from '../loading/plain';
import { checkDuration, checkRole } from '../loading/references';
import { parseDuration } from '../rules/duration';
import type { CompiledEscalationStep, CompiledShop, Priority } from '../types';

/** One escalation step as the schema guarantees it. */
export interface RawEscalationStep {
  after: string;
  notify?: string[];
  reassign?: string;
  priority?: Priority;
  task?: { role: string; title: string; priority?: Priority };
}

/** Follow-up tasks opened by an escalation are about something already late. */
const FOLLOW_UP_PRIORITY: Priority = 'high';

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

export function compileEscalation(steps: RawEscalationStep[] = []): CompiledEscalationStep[] {
  return steps.map((step) => ({
    afterMs: parseDuration(step.after),
    notify: step.notify ?? [],
    ...(step.reassign !== undefined && { reassign: step.reassign }),
    ...(step.priority !== undefined && { priority: step.priority }),
    ...(step.task !== undefined && {
      task: { role: step.task.role, title: step.task.title, priority: step.task.priority ?? FOLLOW_UP_PRIORITY },
    }),
  }));
}
