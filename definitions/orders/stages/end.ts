/** `kind: end`: finishes the order with a result (completed, lost, cancelled, returned). */
import type { OrderResult } from '../../types';
import type { OrderStageKind } from './kind';

export const endStage: OrderStageKind<'end'> = {
  kind: 'end',
  check() {},
  compile(stage) {
    return { id: stage.id, kind: 'end', title: stage.title, result: stage.result as OrderResult };
  },
  async run(stage, order) {
    await order.finish(stage);
    return undefined;
  },
};
