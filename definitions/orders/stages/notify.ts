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
  async run(stage, order) {
    await order.notify(stage.notify, fillMessage(stage.message, order));
    return stage.next;
  },
};

/** The message with its placeholders filled: {{order.code}}, {{order.id}}, {{customer.name}}, {{customer.phone}}. */
export function fillMessage(message: string, order: { orderId: string; customer: { name: string; phone: string } }): string {
  return message.replace(/\{\{\s*(order\.code|order\.id|customer\.name|customer\.phone)\s*\}\}/g, (_, key: string) =>
    key.startsWith('order.') ? order.orderId : key === 'customer.name' ? order.customer.name : order.customer.phone,
  );
}
