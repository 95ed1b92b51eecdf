/**
 * The baselines of `npm run bench:orders` and `npm run bench:escalation`. The orders one is a
 * bare Temporal workflow walking the same stages as shopflow's process on the happy path
 * (`fast-ship`: 12 activities, one Update that completes the "task" and runs one of them, 6
 * courier signals; `standard-order`: three human stages, the courier and a notify stage — 25
 * activities, 3 Updates, 6 signals) but with trivial activities and no shopflow logic. The task writes run as local activities when shopflow's do
 * (`localTaskWrites`), so the two differ in shopflow's logic, not in how Temporal is used.
 * Bundled on its own, never part of workflows/index.ts.
 */
import { condition, defineSignal, defineUpdate, proxyActivities, proxyLocalActivities, setHandler, sleep } from '@temporalio/workflow';
import type { BaselineActivities } from './baseline-worker';

export const baselineCompleteUpdate = defineUpdate<{ nextStage: string }, [{ outcome: string }]>('completeTask');
export const baselineCourierSignal = defineSignal<[{ outcome: string; state: string }]>('courierEvent');

const stepOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
} as const;
const { step, recordRow } = proxyActivities<BaselineActivities>(stepOptions);
const local = proxyLocalActivities<BaselineActivities>(stepOptions);

/**
 * One stage of the baseline order, as the bench walks shopflow's process: a human stage opens a
 * task and waits for the Update that completes it, a courier stage creates a shipment and waits
 * for the courier's verdict (signals), an `auto` stage (notify) runs its one step. Each stage
 * records entering and leaving, as shopflow's order events do; `work` names the stage's own
 * step(s) run after the task or before the courier wait.
 */
export interface BaselineStage {
  id: string;
  kind: 'human' | 'courier' | 'auto';
  work: string[];
}

/** fast-ship's happy path: close (human) → ship (courier) → done — 12 activities, as before 2026-12. */
export const FAST_SHIP_STAGES: BaselineStage[] = [
  { id: 'close', kind: 'human', work: ['updateOrderFigures'] },
  { id: 'ship', kind: 'courier', work: ['createShipment'] },
];

/**
 * standard-order's happy path for a new customer: close, confirm (the customer is `new`), pack
 * (three human steps) → ship (courier) → care-standard (notify; care-vip, care-wholesale-wait and
 * care-loyal are skipped by their `when`) → done.
 */
export const STANDARD_ORDER_STAGES: BaselineStage[] = [
  { id: 'close', kind: 'human', work: ['updateOrderFigures'] },
  { id: 'confirm', kind: 'human', work: ['updateOrderFigures'] },
  { id: 'pack', kind: 'human', work: ['updateOrderFigures'] },
  { id: 'ship', kind: 'courier', work: ['createShipment'] },
  { id: 'care-standard', kind: 'auto', work: ['notify'] },
];

/** Activities a baseline order runs (regular, local), for the summary. */
export function baselineActivityCount(stages: BaselineStage[], localTaskWrites: boolean): { regular: number; local: number } {
  const humans = stages.filter((s) => s.kind === 'human').length;
  const steps = 1 + stages.reduce((n, s) => n + 2 + s.work.length, 0) + 3; // opened; enter, work, leave; enter-done, cancel, end
  const taskWrites = humans * 2;
  return localTaskWrites ? { regular: steps, local: taskWrites } : { regular: steps + taskWrites, local: 0 };
}

/** Opened, each stage (human: task opened, Update completes it; courier: waits for the verdict), done. */
export async function baselineOrderWorkflow(input: {
  orderId: string;
  /** Run the task writes (open, complete) as local activities, as shopflow's TaskBoard does. */
  localTaskWrites?: boolean;
  /** The stages to walk; default fast-ship's. */
  stages?: BaselineStage[];
}): Promise<{ orderId: string; result: string }> {
  const taskStep = input.localTaskWrites ? local.step : step;
  const stages = input.stages ?? FAST_SHIP_STAGES;
  let taskOpen = false;
  let completedTasks = 0;
  const news: Array<{ outcome: string }> = [];
  setHandler(baselineCourierSignal, (event) => {
    news.push(event);
  });
  setHandler(baselineCompleteUpdate, async ({ outcome }) => {
    await condition(() => taskOpen);
    taskOpen = false;
    await taskStep('recordTaskCompleted', input.orderId);
    completedTasks++;
    return { nextStage: outcome };
  });

  await step('recordOrderOpened', input.orderId);
  let humans = 0;
  for (const stage of stages) {
    await step(`recordOrderEvent:enter-${stage.id}`, input.orderId);
    if (stage.kind === 'human') {
      await taskStep('openTask', input.orderId);
      taskOpen = true;
      humans++;
      await condition(() => completedTasks === humans);
      for (const work of stage.work) await step(work, input.orderId);
    } else if (stage.kind === 'courier') {
      for (const work of stage.work) await step(work, input.orderId);
      await condition(() => news.some((n) => n.outcome !== 'in_transit'));
    } else {
      for (const work of stage.work) await step(work, input.orderId);
    }
    await step(`recordOrderEvent:leave-${stage.id}`, input.orderId);
  }
  await step('recordOrderEvent:enter-done', input.orderId);
  await step('cancelOpenTasks', input.orderId);
  await step('recordOrderEvent:end', input.orderId);
  return { orderId: input.orderId, result: 'completed' };
}

/**
 * The baseline of `npm run bench:escalation`: one timer firing at `dueAt` (epoch ms, the same
 * instant for every workflow of the run), then one activity writing one row.
 */
export async function baselineTimerWorkflow(input: { id: string; dueAt: number; localActivity?: boolean }): Promise<void> {
  await sleep(Math.max(1, input.dueAt - Date.now()));
  await (input.localActivity ? local.recordRow : recordRow)(input.id, input.dueAt);
}
