import {
  allHandlersFinished, condition, defineQuery, defineSignal, proxyActivities, setHandler, sleep, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { dueAt } from '../definitions/business-time';
import { evaluateWhen, type WhenFacts } from '../definitions/conditions';
import type { CompiledOrderProcess, CompiledStage, CourierOutcome, OrderResult } from '../definitions/types';
import { climbLadder } from './escalation';
import { TaskBoard, type OpenTaskView } from './tasks';

/** Input of `order:<id>`: the lead, and a snapshot of the definition it runs (never changed later). */
export interface OrderWorkflowInput {
  orderId: string;
  definition: { name: string; version: number; process: CompiledOrderProcess };
  lead: {
    channel: string;
    campaign?: string;
    source?: string;
    note?: string;
    customer: { id?: string; name: string; phone: string };
  };
  /** What is known for `when` conditions at the start (customer segment, return rate…). */
  facts?: WhenFacts;
}

/** One step of the order's path, for the status query and timelines. */
export interface StageVisit {
  stage: string;
  kind: CompiledStage['kind'];
  enteredAt: string;
  leftAt?: string;
  /** Outcome that left the stage, or `skipped` when its `when` did not hold. */
  outcome?: string;
  actor?: string;
}

/** Answer of the `status` query: where the order is, who it waits on, since and until when. */
export interface OrderStatus {
  orderId: string;
  definition: { name: string; version: number };
  stage: string;
  stageTitle: string;
  status: 'open' | 'done';
  result?: OrderResult;
  since: string;
  /** Open tasks (the stage's and any follow-ups), with role, assignee and due time. */
  waitingOn: OpenTaskView[];
  /** For a courier stage: when the delivery is due. */
  deliveryDueAt?: string;
  path: StageVisit[];
}

/** A courier's news about the parcel, already mapped from the courier's own status codes. */
export interface CourierEvent {
  outcome: CourierOutcome | 'in_transit';
  status: string;
  at: string;
}

export const statusQuery = defineQuery<OrderStatus>('status');
export const courierEventSignal = defineSignal<[CourierEvent]>('courierEvent');

const { recordOrderOpened, recordOrderEvent, notify, cancelOpenTasks } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** One lead/order walking the stages of its definition snapshot until an end stage. */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderStatus> {
  const { workflowId } = workflowInfo();
  const process = input.definition.process;
  const facts: WhenFacts = { ...input.facts, order: { channel: input.lead.channel, ...input.facts?.order } };
  const board = new TaskBoard(
    { type: 'order', id: input.orderId, summary: { customer: input.lead.customer.name, phone: input.lead.customer.phone, channel: input.lead.channel }, channel: input.lead.channel, customerPhone: input.lead.customer.phone },
    process.workingHours,
  );
  const status: OrderStatus = {
    orderId: input.orderId, definition: { name: input.definition.name, version: input.definition.version },
    stage: process.start, stageTitle: process.stages[process.start]!.title, status: 'open', since: new Date().toISOString(), waitingOn: [], path: [],
  };
  setHandler(statusQuery, () => ({ ...status, waitingOn: board.list() }));
  const courierEvents: CourierEvent[] = [];
  setHandler(courierEventSignal, (event) => {
    courierEvents.push(event);
  });

  await recordOrderOpened({
    orderId: input.orderId, workflowId, channel: input.lead.channel, customer: input.lead.customer,
    definition: { name: input.definition.name, version: input.definition.version },
  });

  let seq = 0;
  let from: string | null = null;
  let current = process.start;
  for (;;) {
    const stage = process.stages[current]!;
    seq += 1;
    const visit: StageVisit = { stage: stage.id, kind: stage.kind, enteredAt: new Date().toISOString() };
    status.path.push(visit);
    Object.assign(status, { stage: stage.id, stageTitle: stage.title, since: visit.enteredAt, deliveryDueAt: undefined });
    await recordOrderEvent({ orderId: input.orderId, dedupeKey: `${workflowId}:${seq}:enter`, type: 'stage_entered', fromStage: from, toStage: stage.id, setStage: stage.id });

    if (stage.kind === 'end') {
      status.status = 'done';
      status.result = stage.result;
      visit.leftAt = visit.enteredAt;
      await cancelOpenTasks({ workflowId, reason: `order ended (${stage.result})` });
      await recordOrderEvent({ orderId: input.orderId, dedupeKey: `${workflowId}:end`, type: 'order_ended', fromStage: stage.id, data: { result: stage.result }, setStatus: stage.result });
      break;
    }

    let next: string;
    if (stage.when && !evaluateWhen(stage.when, facts)) {
      visit.outcome = 'skipped';
      next = stage.otherwise!;
    } else if (stage.kind === 'human') {
      const done = await board.humanTask(stage);
      Object.assign(visit, { outcome: done.outcome, actor: done.actor });
      absorbTaskData(facts, done.data ?? {});
      next = stage.outcomes.find((o) => o.name === done.outcome)!.to;
    } else if (stage.kind === 'wait') {
      await sleep(Math.max(0, dueAt(Date.now(), stage.durationMs, stage.clock, process.workingHours) - Date.now()));
      next = stage.next;
    } else if (stage.kind === 'notify') {
      const message = stage.message.replace(/\{\{\s*(order\.code|order\.id|customer\.name|customer\.phone)\s*\}\}/g, (_, key: string) =>
        key.startsWith('order.') ? input.orderId : key === 'customer.name' ? input.lead.customer.name : input.lead.customer.phone);
      await notify({ roles: stage.notify, message, subject: { type: 'order', id: input.orderId }, dedupeKey: `${workflowId}:${seq}:notify` });
      next = stage.next;
    } else {
      // Courier stage: wait for the courier's verdict while the delivery SLA ladder escalates.
      const startedAt = Date.now();
      status.deliveryDueAt = new Date(dueAt(startedAt, stage.deliverySlaMs, stage.clock, process.workingHours)).toISOString();
      const verdict = () => courierEvents.find((e) => e.outcome !== 'in_transit');
      await climbLadder({
        ladder: stage.escalate, startedAt, clock: stage.clock, workingHours: process.workingHours,
        done: () => verdict() !== undefined,
        onStep: (step, level) => board.escalate(undefined, step, level, { stage: stage.id, title: stage.title }),
      });
      const event = verdict()!;
      courierEvents.splice(0, courierEvents.indexOf(event) + 1);
      visit.outcome = event.outcome;
      next = stage.on[event.outcome as CourierOutcome];
    }
    visit.leftAt = new Date().toISOString();
    await recordOrderEvent({
      orderId: input.orderId, dedupeKey: `${workflowId}:${seq}:leave`, type: 'stage_left', fromStage: stage.id, toStage: next,
      actor: visit.actor ?? null, data: { outcome: visit.outcome ?? null },
    });
    from = stage.id;
    current = next;
  }
  await condition(allHandlersFinished);
  return { ...status, waitingOn: [] };
}

/**
 * What staff enter on tasks becomes facts for later `when` conditions and courier rules:
 * COD amount and total at closing, province from the address, weight at packing.
 */
function absorbTaskData(facts: WhenFacts, data: Record<string, unknown>): void {
  const order = (facts.order ??= {});
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  order.codAmount = num(data.codAmount) ?? order.codAmount;
  order.weightGrams = num(data.weightGrams) ?? order.weightGrams;
  const items = Array.isArray(data.items) ? (data.items as Array<{ qty?: unknown; price?: unknown }>) : undefined;
  const itemsTotal = items?.reduce((sum, i) => sum + (num(i.qty) ?? 0) * (num(i.price) ?? 0), 0);
  order.total = num(data.total) ?? itemsTotal ?? order.total;
  const address = data.shippingAddress as { province?: unknown } | undefined;
  if (typeof address?.province === 'string') order.province = address.province;
}
