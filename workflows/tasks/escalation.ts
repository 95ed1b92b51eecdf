import { condition } from '@temporalio/workflow';
import { dueAt, type Clock, type CompiledWorkingHours } from '../../definitions/rules/business-time';
import type { CompiledEscalationStep } from '../../definitions/types';

/**
 * Climbs an escalation ladder measured from `startedAt`: waits for each rung's time (calendar
 * or business clock), runs it, and goes on, until `done()` holds. Returns once done; rungs
 * never end the wait themselves (a reminder does not close anything).
 */
export async function climbLadder(opts: {
  ladder: CompiledEscalationStep[];
  startedAt: number;
  clock: Clock;
  workingHours: CompiledWorkingHours;
  done: () => boolean;
  onStep: (step: CompiledEscalationStep, level: number) => Promise<void>;
}): Promise<void> {
  for (const [index, step] of opts.ladder.entries()) {
    const at = dueAt(opts.startedAt, step.afterMs, opts.clock, opts.workingHours);
    const wait = at - Date.now();
    if (wait > 0 && (await condition(opts.done, wait))) return;
    if (opts.done()) return;
    await opts.onStep(step, index + 1);
  }
  await condition(opts.done);
}
