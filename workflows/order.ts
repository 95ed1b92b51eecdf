import { condition, defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';

/** Input of `order:<id>`: the business id and what is known at lead time. */
export interface OrderWorkflowInput {
  orderId: string;
  channel?: string;
  customer?: { name?: string; phone?: string };
}

/** Answer of the `status` query: where the order is and since when. */
export interface OrderStatus {
  orderId: string;
  stage: string;
  status: 'open' | 'done';
  since: string;
}

export const statusQuery = defineQuery<OrderStatus>('status');
/** Skeleton hand-off: a person says the lead is closed. Replaced by tasks in the human-task layer. */
export const closeLeadSignal = defineSignal<[{ actor: string }]>('closeLead');

const { recordOrderOpened, recordOrderEvent } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** One lead/order, from the moment it arrives until it is closed. */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderStatus> {
  const { workflowId } = workflowInfo();
  const status: OrderStatus = { orderId: input.orderId, stage: 'lead', status: 'open', since: new Date().toISOString() };
  let closedBy: string | undefined;
  setHandler(statusQuery, () => status);
  setHandler(closeLeadSignal, ({ actor }) => {
    closedBy ??= actor;
  });

  await recordOrderOpened({ orderId: input.orderId, workflowId, channel: input.channel, customer: input.customer });
  await recordOrderEvent({ orderId: input.orderId, dedupeKey: `${workflowId}:lead`, type: 'stage_entered', toStage: 'lead', setStage: 'lead' });

  await condition(() => closedBy !== undefined);
  await recordOrderEvent({
    orderId: input.orderId, dedupeKey: `${workflowId}:closed`, type: 'stage_entered',
    fromStage: 'lead', toStage: 'closed', actor: closedBy, setStage: 'closed', setStatus: 'done',
  });
  Object.assign(status, { stage: 'closed', status: 'done', since: new Date().toISOString() });
  return status;
}
