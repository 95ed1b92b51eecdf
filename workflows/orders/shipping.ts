/**
 * The courier's part of an order: hand-over, waiting for the verdict (webhooks, polls when quiet,
 * the delivery-SLA ladder), the warehouse lead's task when a courier refuses, cancelling at the
 * courier, and receiving a partial delivery's returned part. Workflow code.
 */
import { condition, upsertSearchAttributes } from '@temporalio/workflow';
import type { PartialDelivery } from '../../activities/shipping/couriers/types';
import type { CourierNews } from '../../activities/shipping/shipments';
import { returnedLinesOf, returnedValue } from '../../definitions/kpi/returns';
import { bindingsOf, figuresFrom } from '../../definitions/orders/figures';
import { courierProblemWhy, ORDER_TEXTS } from '../../definitions/orders/texts';
import { dueAt } from '../../definitions/rules/business-time';
import { chooseCourier } from '../../definitions/rules/conditions';
import type { CompiledCourierStage, CourierOutcome } from '../../definitions/types';
import { climbLadder } from '../tasks/escalation';
import { activityProblem, fixItLadder, type ActivityProblem } from '../tasks/fix-it';
import type { CompleteTaskInput } from '../tasks/tasks';
import { courierActivities } from './activities';
import type { CancelOrderResult } from './contract';
import { OrderCourier } from './search-attributes';
import { partialReturnStage, saleLines, shipmentRequest, stockLines } from './order-tasks';
import { isCancelled, recordActivityFailure, type OrderState } from './state';

/** News from the courier (webhook signal or poll): queued for the courier stage, shown on the status. */
export function hearFromCourier(order: OrderState, news: CourierNews): void {
  order.courierNews.push(news);
  if (order.status.shipment) Object.assign(order.status.shipment, { state: news.state, status: news.status });
}

/**
 * Courier stage: hand the parcel over (idempotent by order id), then wait for the courier's
 * verdict while the delivery-SLA ladder escalates by itself and a poll asks the courier when
 * its webhooks go quiet. Returns undefined when the order was cancelled meanwhile.
 */
export async function shipAndWait(order: OrderState, stage: CompiledCourierStage): Promise<CourierOutcome | undefined> {
  const { input, status, process } = order;
  const visit = order.seq;
  const { createShipment, pollShipment } = courierActivities(input.settings?.courierRetryForMs);
  let courier = chooseCourier(stage.courier, order.facts);
  let shipment: Awaited<ReturnType<typeof createShipment>> | undefined;
  for (let attempt = 1; !shipment; attempt++) {
    order.handingOver = true;
    try {
      shipment = await createShipment({ orderId: input.orderId, courier, request: shipmentRequest(input, order.orderData) });
    } catch (err) {
      order.handingOver = false;
      const problem = activityProblem(err, 'createShipment');
      if (!problem) throw err;
      const decision = await courierProblem(order, stage, courier, problem, attempt);
      if (!decision || decision.outcome === 'cancel') return undefined;
      if (decision.outcome === 'other-courier' && typeof decision.data?.courier === 'string') courier = decision.data.courier;
    }
  }
  const startedAt = Date.now();
  status.shipment = {
    courier,
    trackingCode: shipment.trackingCode,
    state: 'created',
    status: 'created',
    deliveryDueAt: new Date(dueAt(startedAt, stage.deliverySlaMs, stage.clock, process.workingHours)).toISOString(),
  };
  order.handingOver = false;
  if (order.showsInTemporal) upsertSearchAttributes([{ key: OrderCourier, value: courier }]);
  if (!order.stock.issued && order.stock.reserved.length) {
    await order.act.moveOrderStock({
      orderId: input.orderId,
      kind: 'issue',
      lines: order.stock.reserved,
      actor: courier,
      dedupeKey: `${input.orderId}:issue`,
    });
  }
  order.stock.issued = true;
  for (const news of shipment.backlog) hearFromCourier(order, news);
  const verdict = () => order.courierNews.find((n) => n.outcome !== 'in_transit');
  const finished = () => verdict() !== undefined || isCancelled(order);
  const pollAfterMs = input.settings?.courierPollAfterMs ?? 6 * 3600_000;
  const pollWhenQuiet = async () => {
    while (!finished()) {
      const heardFrom = order.lastNewsAt;
      const quietFor = Date.now() - heardFrom;
      if (order.lean) {
        // One timer per quiet spell: news meanwhile moves the next look, not the timer.
        if (quietFor < pollAfterMs) {
          await condition(finished, pollAfterMs - quietFor);
          continue;
        }
      } else if (await condition(() => finished() || order.lastNewsAt !== heardFrom, Math.max(1, pollAfterMs - quietFor))) continue;
      let news: CourierNews | null = null;
      try {
        news = await pollShipment({ orderId: input.orderId, courier, trackingCode: shipment!.trackingCode });
      } catch (err) {
        // Asking failed for good: on the timeline, and asked again after the next quiet spell;
        // webhooks still count, and the delivery ladder escalates a parcel nobody hears about.
        const problem = activityProblem(err, 'pollShipment');
        if (!problem) throw err;
        await recordActivityFailure(order, problem, 1, courier);
      }
      order.lastNewsAt = Date.now();
      if (news) hearFromCourier(order, news);
    }
  };
  await Promise.all([
    climbLadder({
      ladder: stage.escalate,
      startedAt,
      clock: stage.clock,
      workingHours: process.workingHours,
      done: finished,
      onStep: (step, level) => order.board.escalate(undefined, step, level, { stage: stage.id, title: stage.title, visit }),
    }),
    pollWhenQuiet(),
  ]);
  const news = verdict();
  if (!news) return undefined;
  order.courierVerdict = news;
  order.courierNews.splice(0, order.courierNews.indexOf(news) + 1);
  return news.outcome as CourierOutcome;
}

/** After the courier delivered: the sales document (idempotent by order id), and a partial delivery's return. */
export async function afterDelivery(order: OrderState, stage: CompiledCourierStage): Promise<void> {
  const { input, orderData, status } = order;
  await order.act.recordSale({
    orderId: input.orderId,
    channel: input.lead.channel,
    courier: status.shipment?.courier ?? null,
    customer: {
      name: typeof orderData.customerName === 'string' ? orderData.customerName : order.customer.name,
      phone: typeof orderData.phone === 'string' ? orderData.phone : order.customer.phone,
    },
    items: saleLines(orderData.items),
    shippingFee: typeof orderData.shippingFee === 'number' ? orderData.shippingFee : 0,
    codAmount: order.facts.order?.codAmount ?? 0,
  });
  const partial = order.courierVerdict?.partial;
  if (partial && !order.partialReturn) order.partialReturn = receivePartialReturn(order, stage, partial);
}

/**
 * Cancels the parcel at the courier for a cancellation request. A courier that refuses or stays
 * unreachable refuses the cancellation (the order goes on); undefined: nothing to cancel there.
 */
export async function cancelAtCourier(order: OrderState): Promise<CancelOrderResult | undefined> {
  const shipment = order.status.shipment;
  if (!shipment || shipment.state === 'cancelled') return undefined;
  let answer: { cancelled: boolean; reason?: string };
  try {
    answer = await courierActivities(order.input.settings?.courierRetryForMs).cancelShipment({
      orderId: order.input.orderId,
      courier: shipment.courier,
      trackingCode: shipment.trackingCode,
    });
  } catch (err) {
    const problem = activityProblem(err, 'cancelShipment');
    if (!problem) throw err;
    await recordActivityFailure(order, problem, 1);
    return { cancelled: false, reason: `${shipment.courier}: ${problem.message}` };
  }
  if (!answer.cancelled) return { cancelled: false, reason: answer.reason ?? `${shipment.courier} refused to cancel` };
  return undefined;
}

/**
 * The courier refused the parcel, stayed unreachable for its whole retry window, or its account
 * is not set up (GHTK's pick-up address…): the warehouse lead decides — send again once fixed,
 * ship with another enabled courier, or cancel the order (the reserved stock is released as on
 * any cancellation). Undefined when the order was cancelled meanwhile.
 */
async function courierProblem(
  order: OrderState,
  stage: CompiledCourierStage,
  courier: string,
  problem: ActivityProblem,
  attempt: number,
): Promise<CompleteTaskInput | undefined> {
  await recordActivityFailure(order, problem, attempt, courier);
  const context = await order.lookups.fixItContext({ subject: 'courier', exclude: courier });
  const name = context.courierTitle ?? courier;
  const note = { note: { type: 'string', title: ORDER_TEXTS.note } };
  const noteForm = { type: 'object', additionalProperties: false, properties: note };
  const others = context.couriers;
  const courierForm = {
    type: 'object',
    additionalProperties: false,
    required: ['courier'],
    properties: {
      courier: {
        type: 'string',
        enum: others.map((c) => c.id),
        title: ORDER_TEXTS.otherCourier,
        description: others.map((c) => `${c.id}: ${c.title}`).join('; '),
      },
      ...note,
    },
  };
  const why = courierProblemWhy(name, problem.retriesExhausted);
  const decision = await order.board.humanTask(
    {
      id: stage.id,
      kind: 'human',
      role: context.role,
      priority: 'high',
      slaMs: 2 * 3600_000,
      clock: 'business',
      escalate: fixItLadder(context.managers),
      form: noteForm,
      title: ORDER_TEXTS.courierProblemTitle(name, attempt),
      description: ORDER_TEXTS.courierProblemDescription(order.input.orderId, why, problem.message),
      outcomes: [
        { name: 'retry', title: ORDER_TEXTS.resendTo(name), to: stage.id, form: noteForm },
        ...(others.length ? [{ name: 'other-courier', title: ORDER_TEXTS.shipWithOtherCourier, to: stage.id, form: courierForm }] : []),
        ...(order.cancelStage ? [{ name: 'cancel', title: ORDER_TEXTS.cancelOrder, to: stage.id, form: noteForm }] : []),
      ],
    },
    () => isCancelled(order),
  );
  if (decision?.outcome === 'cancel') order.cancelled ??= { reason: `${name}: ${problem.message}`, actor: decision.actor };
  return decision;
}

/**
 * A partial delivery ("giao 1 phần, trả 1 phần"): the order is delivered (and goes on to care),
 * and the part the customer did not keep travels back. The warehouse gets a task to receive it,
 * with the form of the stage the courier stage sends returns to: what it counts (`returnedItems`,
 * else `restockedItems`, at the closing prices) becomes the order's returned amount, replacing
 * the courier's estimate (the warehouse saw what came back), what it restocks goes back on
 * hand, and the books get a return document for that part. The order ends once that task is done.
 */
async function receivePartialReturn(order: OrderState, courierStage: CompiledCourierStage, partial: PartialDelivery): Promise<void> {
  const orderId = order.input.orderId;
  const task = partialReturnStage(courierStage, order.process.stages[courierStage.on.returned ?? ''], partial);
  const done = await order.board.humanTask(task);
  if (!done) return;
  const counted = figuresFrom(bindingsOf(task.outcomes[0]!), done.data ?? {});
  const restocked = stockLines(counted.restockedItems);
  if (restocked.length) {
    await order.act.moveOrderStock({
      orderId,
      kind: 'restock',
      lines: restocked,
      actor: done.actor,
      dedupeKey: `${orderId}:restock:partial`,
    });
  }
  const amount = returnedValue(order.orderData.items, returnedLinesOf(counted));
  if (amount !== undefined) await order.act.recordReturnedAmount({ orderId, amount });
  await order.act.recordOrderEvent({
    orderId,
    dedupeKey: `${order.workflowId}:partial-return-received`,
    type: 'partial_return_received',
    actor: done.actor,
    data: { code: partial.code ?? null, returnedAmount: amount ?? null, restocked },
  });
  // Revenue takes the count back even when the courier gave no figure; the books get a return
  // document for the part that came back, at the warehouse's count (each once per order).
  await order.act.takeBackPartialReturn({ orderId });
  await order.act.recordPartialReturn({
    orderId,
    returnedLines: returnedLinesOf(counted),
    code: partial.code ?? null,
    actor: done.actor,
  });
}
