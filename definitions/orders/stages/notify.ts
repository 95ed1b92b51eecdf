/** `kind: notify`: sends a message to roles, then continues immediately. */
import { listOf } from '../../loading/plain';
import { checkRole } from '../../loading/references';
import type { OrderStageKind } from './kind';

export const notifyStage: OrderStageKind<'notify'> = {
  kind: 'notify',
  check({ stage, path, shop, issues, edge }) {
    listOf(stage.notify).forEach((role, j) => issues.push(...checkRole(shop, role, [...path, 'notify', j], false)));
    edge(stage.next, [...path, 'next'], true, (t) => `next stage "${t}" does not exist`);
  },
  compile(stage, { guard }) {
    return {
      id: stage.id,
      kind: 'notify',
      title: stage.title,
      notify: stage.notify as string[],
      message: stage.message as string,
      next: stage.next as string,
      ...guard,
    };
  },
};
