/** `kind: wait`: waits a fixed time (calendar or business clock), then continues. */
import { checkDuration } from '../../loading/references';
import { parseDuration } from '../../rules/duration';
import type { OrderStageKind } from './kind';

export const waitStage: OrderStageKind<'wait'> = {
  kind: 'wait',
  check({ stage, path, issues, edge }) {
    checkDuration(stage.duration, [...path, 'duration'], issues);
    edge(stage.next, [...path, 'next'], false, (t) => `next stage "${t}" does not exist`);
  },
  compile(stage, { guard, clock }) {
    return {
      id: stage.id,
      kind: 'wait',
      title: stage.title,
      durationMs: parseDuration(stage.duration as string),
      clock,
      next: stage.next as string,
      ...guard,
    };
  },
  async run(stage, order) {
    await order.waitFor(stage.durationMs, stage.clock);
    return stage.next;
  },
};
