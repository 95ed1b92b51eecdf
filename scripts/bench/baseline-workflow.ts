/**
 * The baseline of `npm run bench:orders`: a bare Temporal workflow with the same shape per
 * order as shopflow's `fast-ship` lifecycle on the happy path — 12 activities, one Update that
 * completes the "task" (and runs one of the 12 inside it), and 6 courier signals — but trivial
 * activities and no shopflow logic. The task writes run as local activities when shopflow's do
 * (`localTaskWrites`), so the two differ in shopflow's logic, not in how Temporal is used.
 * Bundled on its own, never part of workflows/index.ts.
 */
import { condition, defineSignal, defineUpdate, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { BaselineActivities } from './baseline-worker';

export const baselineCompleteUpdate = defineUpdate<{ nextStage: string }, [{ outcome: string }]>('completeTask');
export const baselineCourierSignal = defineSignal<[{ outcome: string; state: string }]>('courierEvent');

const stepOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
} as const;
const { step } = proxyActivities<BaselineActivities>(stepOptions);
const local = proxyLocalActivities<BaselineActivities>(stepOptions);

/** Opened, close stage (task opened, Update completes it), ship stage (waits for the courier's verdict), done. */
export async function baselineOrderWorkflow(input: {
  orderId: string;
  /** Run the task writes (open, complete) as local activities, as shopflow's TaskBoard does. */
  localTaskWrites?: boolean;
}): Promise<{ orderId: string; result: string }> {
  const taskStep = input.localTaskWrites ? local.step : step;
  let taskOpen = false;
  let completed = false;
  const news: Array<{ outcome: string }> = [];
  setHandler(baselineCourierSignal, (event) => {
    news.push(event);
  });
  setHandler(baselineCompleteUpdate, async ({ outcome }) => {
    await condition(() => taskOpen);
    await taskStep('recordTaskCompleted', input.orderId);
    completed = true;
    return { nextStage: outcome === 'closed' ? 'ship' : 'lost' };
  });

  await step('recordOrderOpened', input.orderId);
  await step('recordOrderEvent:enter-close', input.orderId);
  await taskStep('openTask', input.orderId);
  taskOpen = true;
  await condition(() => completed);
  await step('updateOrderFigures', input.orderId);
  await step('recordOrderEvent:leave-close', input.orderId);
  await step('recordOrderEvent:enter-ship', input.orderId);
  await step('createShipment', input.orderId);
  await condition(() => news.some((n) => n.outcome !== 'in_transit'));
  await step('recordOrderEvent:leave-ship', input.orderId);
  await step('recordOrderEvent:enter-done', input.orderId);
  await step('cancelOpenTasks', input.orderId);
  await step('recordOrderEvent:end', input.orderId);
  return { orderId: input.orderId, result: 'completed' };
}
