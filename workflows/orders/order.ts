/**
 * `orderWorkflow`: one lead/order walking the stages of its definition snapshot until an end
 * stage. Each stage runs through its kind's module (definitions/orders/stages, one file a kind)
 * with the services below; the loop records entering and leaving each stage and sends a
 * cancellation to the process's cancelled end stage.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { returnedLinesOf, returnedValue } from '../../definitions/kpi/returns';
import type { FigureEffect, OrderFigure } from '../../definitions/orders/figures';
import { decided } from '../../definitions/orders/stages/human';
import type { OrderStageServices } from '../../definitions/orders/stages/kind';
import { ORDER_TEXTS } from '../../definitions/orders/texts';
import { runStage, stageSkipped } from '../../definitions/orders/walk';
import { dueAt } from '../../definitions/rules/business-time';
import type { WhenFacts } from '../../definitions/rules/conditions';
import type { OrderEventInput } from '../../activities/orders/orders';
import type { CompiledEndStage, CompiledStage } from '../../definitions/types';
import { fixItLadder, fixItStage, onActivityFailure, stepTitle } from '../tasks/fix-it';
import { TaskBoard } from '../tasks/tasks';
import { localLookups, localOrderActivities, lookups, orderActivities } from './activities';
import {
  cancelOrderUpdate,
  courierEventSignal,
  statusQuery,
  type CancelOrderInput,
  type CancelOrderResult,
  type OrderStatus,
  type OrderWorkflowInput,
  type StageVisit,
} from './contract';
import { stockLines } from './order-tasks';
import { OrderChannel, OrderResult, OrderStage } from './search-attributes';
import { afterDelivery, cancelAtCourier, hearFromCourier, shipAndWait } from './shipping';
import { applyFigures, isCancelled, recordActivityFailure, reserveItems, type OrderState } from './state';

export * from './contract';

export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderStatus> {
  const order = openOrder(input);
  const { process, workflowId, status } = order;
  setHandler(statusQuery, () => ({ ...status, waitingOn: order.board.list() }));
  setHandler(courierEventSignal, (news) => {
    order.lastNewsAt = Date.now();
    hearFromCourier(order, news);
  });
  setHandler(cancelOrderUpdate, (request) => cancel(order, request), {
    validator: (_request: CancelOrderInput) => checkCancellable(order),
  });
  onActivityFailure((problem, attempt) => fixIt(order, problem, attempt));
  const services = stageServices(order);

  await order.act.recordOrderOpened({
    orderId: input.orderId,
    workflowId,
    channel: input.lead.channel,
    campaign: input.lead.campaign,
    leadCost: input.lead.cost,
    customer: order.customer,
    definition: { name: input.definition.name, version: input.definition.version },
  });

  let from: string | null = null;
  let current = process.start;
  /** Lean: the stage just left, written with the next stage's entering. */
  let left: OrderEventInput | undefined;
  for (;;) {
    const stage = process.stages[current]!;
    order.seq += 1;
    const seq = order.seq;
    const visit: StageVisit = { stage: stage.id, kind: stage.kind, enteredAt: new Date().toISOString() };
    status.path.push(visit);
    Object.assign(status, { stage: stage.id, stageTitle: stage.title, since: visit.enteredAt });
    const cancelled = order.cancelled;
    const entered: OrderEventInput = {
      orderId: input.orderId,
      dedupeKey: `${workflowId}:${seq}:enter`,
      type: 'stage_entered',
      fromStage: from,
      toStage: stage.id,
      setStage: stage.id,
      ...(cancelled && stage.kind === 'end' ? { actor: cancelled.actor, data: { reason: cancelled.reason } } : {}),
    };
    // A stage whose `when` does not hold is passed through at once.
    const skipped = stageSkipped(stage, order.facts);
    const shown = workflowInfo().typedSearchAttributes.get(OrderStage);
    if (order.showsInTemporal && !skipped && (stage.kind === 'end' || shown !== stage.id)) {
      // Temporal's own tools show where the order is and, at its end, how it ended (not just "Completed").
      upsertSearchAttributes([
        { key: OrderStage, value: stage.id },
        ...(stage.kind === 'end' ? [{ key: OrderResult, value: stage.result }] : []),
      ]);
    }
    // Lean: the previous stage's leaving and this one's entering are one write.
    if (left) await order.act.recordOrderEvents([left, entered]);
    else await order.act.recordOrderEvent(entered);
    left = undefined;
    if (stage.kind === 'end') {
      visit.leftAt = visit.enteredAt;
      await run(stage, services, { seq, record: visit });
      break;
    }

    let next: string | undefined;
    if (skipped) {
      visit.outcome = 'skipped';
      next = stage.otherwise!;
    } else if (seq === 1 && input.closed && stage.kind === 'human') {
      // Arrived closed (a web shop's order): the start stage's outcome is already decided. Only
      // orders started with `closed` come here, so no recorded history takes another path.
      next = await decided(stage, services, { seq, record: visit }, input.closed, { creditCloser: false });
    } else {
      next = await run(stage, services, { seq, record: visit });
    }
    if (order.cancelled) {
      visit.outcome = 'cancelled';
      next = order.cancelStage!.id;
      status.cancellation = { reason: order.cancelled.reason, actor: order.cancelled.actor };
    }
    visit.leftAt = new Date().toISOString();
    const leaving: OrderEventInput = {
      orderId: input.orderId,
      dedupeKey: `${workflowId}:${seq}:leave`,
      type: 'stage_left',
      fromStage: stage.id,
      toStage: next!,
      actor: visit.actor ?? null,
      data: { outcome: visit.outcome ?? null },
    };
    if (order.lean) left = leaving;
    else await order.act.recordOrderEvent(leaving);
    from = stage.id;
    current = next!;
  }
  await condition(allHandlersFinished);
  return { ...status, waitingOn: [] };
}

/** Runs one visit of a stage through its kind's module. */
function run(stage: CompiledStage, services: OrderStageServices, visit: { seq: number; record: StageVisit }): Promise<string | undefined> {
  return runStage(stage, services, visit);
}

/** The order's state at the start: its snapshot, facts, task board and status. */
function openOrder(input: OrderWorkflowInput): OrderState {
  const { workflowId } = workflowInfo();
  const process = input.definition.process;
  const customer = input.lead.customer;
  const facts: WhenFacts = { ...input.facts, order: { channel: input.lead.channel, ...input.facts?.order } };
  const board = new TaskBoard(
    {
      type: 'order',
      id: input.orderId,
      channel: input.lead.channel,
      customerPhone: customer.phone,
      summary: {
        customer: customer.name,
        phone: customer.phone,
        channel: input.lead.channel,
        ...(customer.history ? { customerHistory: customer.history } : {}),
        ...(input.intakeProblem ? { problem: input.intakeProblem } : {}),
      },
    },
    process.workingHours,
  );
  // Versioned: orders started before lean histories replay the commands they recorded.
  const lean = patched('lean-history');
  return {
    input,
    lean,
    act: lean ? localOrderActivities : orderActivities,
    // Started with its search attributes (registered in the namespace): keep them current.
    showsInTemporal: lean && workflowInfo().typedSearchAttributes.get(OrderChannel) !== undefined,
    lookups: lean ? localLookups : lookups,
    workflowId,
    process,
    customer,
    facts,
    orderData: {},
    board,
    status: {
      orderId: input.orderId,
      definition: { name: input.definition.name, version: input.definition.version },
      stage: process.start,
      stageTitle: process.stages[process.start]!.title,
      status: 'open',
      since: new Date().toISOString(),
      waitingOn: [],
      path: [],
    },
    cancelStage: Object.values(process.stages).find((s): s is CompiledEndStage => s.kind === 'end' && s.result === 'cancelled'),
    cancelled: undefined,
    seq: 0,
    courierNews: [],
    lastNewsAt: Date.now(),
    handingOver: false,
    courierVerdict: undefined,
    partialReturn: undefined,
    stock: { reserved: [], issued: false },
    closerRecorded: false,
    problemCount: 0,
  };
}

/** The services stage kinds run with (see OrderStageServices). */
function stageServices(order: OrderState): OrderStageServices {
  const { input, workflowId } = order;
  const orderId = input.orderId;
  return {
    orderId,
    workflowId,
    customer: order.customer,
    cancelled: () => isCancelled(order),
    humanTask: (stage) => order.board.humanTask(stage, () => isCancelled(order)),
    applyFigures: (figures, actor, stageId) => applyFigures(order, figures, actor, `${workflowId}:${order.seq}`, stageId),
    figureEffect: (effect, figures, actor) => figureEffect(order, effect, figures, actor),
    async creditCloser(actor, role) {
      if (order.closerRecorded) return;
      await order.act.recordOrderCloser({ orderId, staffId: actor, role });
      order.closerRecorded = true;
    },
    async waitFor(durationMs, clock) {
      const until = dueAt(Date.now(), durationMs, clock, order.process.workingHours);
      await condition(() => isCancelled(order), Math.max(0, until - Date.now()));
    },
    async notify(roles, message) {
      await order.act.notify({ roles, message, subject: { type: 'order', id: orderId }, dedupeKey: `${workflowId}:${order.seq}:notify` });
    },
    shipAndWait: (stage) => shipAndWait(order, stage),
    delivered: (stage) => afterDelivery(order, stage),
    finish: (stage) => finish(order, stage),
  };
}

/** What a figure a task set moves: the stock reservation, a restock, the returned amount. */
async function figureEffect(
  order: OrderState,
  effect: FigureEffect,
  figures: Partial<Record<OrderFigure, unknown>>,
  actor: string,
): Promise<void> {
  const orderId = order.input.orderId;
  if (effect === 'reserve-stock') {
    const items = stockLines(figures.items);
    if (items.length && order.stock.reserved.length === 0) order.stock.reserved = await reserveItems(order, items, actor);
  } else if (effect === 'restock') {
    const lines = stockLines(figures.restockedItems);
    if (lines.length) {
      await order.act.moveOrderStock({ orderId, kind: 'restock', lines, actor, dedupeKey: `${orderId}:restock:${order.seq}` });
    }
  } else {
    // A partial return: revenue and return-rate KPIs take back only what came back (unknown: the whole order).
    const amount = returnedValue(order.orderData.items, returnedLinesOf(figures));
    if (amount !== undefined) await order.act.recordReturnedAmount({ orderId, amount });
  }
}

/** An end stage: releases unissued stock, closes open tasks, records the result, updates the customer. */
async function finish(order: OrderState, stage: CompiledEndStage): Promise<void> {
  const orderId = order.input.orderId;
  // A partial delivery's returned part is counted before the order ends (its task is not cancelled with the order's).
  if (order.partialReturn) await order.partialReturn;
  if (order.stock.reserved.length && !order.stock.issued) {
    await order.act.moveOrderStock({ orderId, kind: 'release', lines: order.stock.reserved, dedupeKey: `${orderId}:release` });
  }
  order.status.status = 'done';
  order.status.result = stage.result;
  await order.act.cancelOpenTasks({ workflowId: order.workflowId, reason: `order ended (${stage.result})` });
  await order.act.recordOrderEvent({
    orderId,
    dedupeKey: `${order.workflowId}:end`,
    type: 'order_ended',
    fromStage: stage.id,
    data: { result: stage.result },
    setStatus: stage.result,
  });
  if (stage.result === 'completed' || stage.result === 'returned') {
    // The customer's care contacts and segment (up or down) follow every delivered or returned order.
    await order.act.updateCustomerAfterOrder({ orderId, result: stage.result });
  }
}

/** The `cancelOrder` update: a parcel already handed over is cancelled at the courier first. */
async function cancel(order: OrderState, request: CancelOrderInput): Promise<CancelOrderResult> {
  // Else a cancel arriving mid-hand-over would see no parcel yet and leave it with the courier.
  await condition(() => !order.handingOver);
  const refused = await cancelAtCourier(order);
  if (refused) return refused;
  order.cancelled ??= request;
  return { cancelled: true };
}

function checkCancellable(order: OrderState): void {
  const { input, status } = order;
  const refuse = (message: string) => ApplicationFailure.create({ type: 'OrderNotCancellable', message, nonRetryable: true });
  if (status.status === 'done' || order.cancelled) throw refuse(`order ${input.orderId} has already ended`);
  if (!order.cancelStage) throw refuse(`process ${input.definition.name} has no end stage with result "cancelled"`);
  if (status.shipment && ['delivered', 'returning', 'returned'].includes(status.shipment.state)) {
    throw refuse(`the parcel is already ${status.shipment.state}; it can no longer be cancelled`);
  }
}

/** Any other step that fails for good: a task for the manager — retry, go on without it, or cancel the order. */
async function fixIt(order: OrderState, problem: Parameters<typeof recordActivityFailure>[1], attempt: number): Promise<'retry' | 'skip'> {
  const { status, process } = order;
  await recordActivityFailure(order, problem, attempt);
  const context = await order.lookups.fixItContext({ subject: 'order' });
  const cancelledBefore = isCancelled(order);
  const canCancel =
    order.cancelStage !== undefined && !cancelledBefore && status.status === 'open' && process.stages[status.stage]?.kind !== 'end';
  const decision = await order.board.humanTask(
    fixItStage({
      stage: status.stage,
      role: context.role,
      problem,
      attempt,
      doing: stepTitle(problem.activity),
      escalate: fixItLadder(context.managers),
      extraOutcomes: canCancel ? [{ name: 'cancel', title: ORDER_TEXTS.cancelOrder }] : [],
    }),
    () => !cancelledBefore && isCancelled(order),
  );
  if (!decision) return 'skip'; // the order was cancelled meanwhile: this step no longer matters
  if (decision.outcome === 'cancel') {
    order.cancelled ??= { reason: ORDER_TEXTS.fixItCancelReason(stepTitle(problem.activity), problem.message), actor: decision.actor };
    return 'skip';
  }
  return decision.outcome === 'retry' ? 'retry' : 'skip';
}
