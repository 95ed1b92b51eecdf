import { allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { PartialDelivery } from '../../activities/shipping/couriers/types';
import type { CourierNews } from '../../activities/shipping/shipments';
import { dueAt } from '../../definitions/rules/business-time';
import { chooseCourier, evaluateWhen, type WhenFacts } from '../../definitions/rules/conditions';
import { returnedLinesOf, returnedValue } from '../../definitions/kpi/returns';
import { bindingsOf, figuresFrom, type OrderFigure } from '../../definitions/orders/figures';
import { courierProblemWhy, ORDER_TEXTS } from '../../definitions/orders/texts';
import type { CompiledCourierStage, CourierOutcome } from '../../definitions/types';
import { climbLadder } from '../tasks/escalation';
import {
  activityProblem,
  fixItLadder,
  fixItStage,
  guardedActivities,
  onActivityFailure,
  stepTitle,
  type ActivityProblem,
} from '../tasks/fix-it';
import { TaskBoard, type CompleteTaskInput } from '../tasks/tasks';
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
import { absorbTaskData, partialReturnStage, saleLines, shipmentRequest, shortageStage, stockLines } from './order-tasks';

export * from './contract';

// Guarded: a step that fails for good becomes a fix-it task (retry, skip, cancel) instead of failing the order.
const {
  recordOrderOpened,
  recordOrderEvent,
  updateOrderFigures,
  notify,
  cancelOpenTasks,
  moveOrderStock,
  recordSale,
  updateCustomerAfterOrder,
} = guardedActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
const { recordReturnedAmount, recordOrderCloser, recordPartialReturn, takeBackPartialReturn } = guardedActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
// Couriers can be slow or down for a while: retry for up to a day (settings.courierRetryForMs),
// but never on a 4xx (non-retryable). Their failures open the courier's own fix-it task.
const courierActivities = (retryForMs = 86_400_000) =>
  proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: '5 minutes',
      nonRetryableErrorTypes: ['CourierRejected'],
    },
    scheduleToCloseTimeout: retryForMs,
  });
/** Read-only look-ups of a fix-it task (who fixes, which couriers are left); retried until they answer. */
const { fixItContext, recordOrderEvent: recordProblem } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** One lead/order walking the stages of its definition snapshot until an end stage. */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderStatus> {
  const { workflowId } = workflowInfo();
  const process = input.definition.process;
  const customer = input.lead.customer;
  const facts: WhenFacts = { ...input.facts, order: { channel: input.lead.channel, ...input.facts?.order } };
  /** The order's figures as tasks set them through declared bindings (address, items, weight…), newest wins. */
  const orderData: Record<string, unknown> = {};
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
      },
    },
    process.workingHours,
  );
  const status: OrderStatus = {
    orderId: input.orderId,
    definition: { name: input.definition.name, version: input.definition.version },
    stage: process.start,
    stageTitle: process.stages[process.start]!.title,
    status: 'open',
    since: new Date().toISOString(),
    waitingOn: [],
    path: [],
  };
  setHandler(statusQuery, () => ({ ...status, waitingOn: board.list() }));

  const courierNews: CourierNews[] = [];
  let lastNewsAt = Date.now();
  setHandler(courierEventSignal, (news) => {
    courierNews.push(news);
    lastNewsAt = Date.now();
    if (status.shipment) Object.assign(status.shipment, { state: news.state, status: news.status });
  });

  const cancelStage = Object.values(process.stages).find((s) => s.kind === 'end' && s.result === 'cancelled');
  let cancelled: CancelOrderInput | undefined;
  /** A shipment is being created at the courier right now: a cancellation waits for its answer. */
  let handingOver = false;
  setHandler(
    cancelOrderUpdate,
    async (request): Promise<CancelOrderResult> => {
      // Else a cancel arriving mid-hand-over would see no parcel yet and leave it with the courier.
      await condition(() => !handingOver);
      if (status.shipment && status.shipment.state !== 'cancelled') {
        let answer: { cancelled: boolean; reason?: string };
        try {
          answer = await courierActivities(input.settings?.courierRetryForMs).cancelShipment({
            orderId: input.orderId,
            courier: status.shipment.courier,
            trackingCode: status.shipment.trackingCode,
          });
        } catch (err) {
          // The courier refused or is unreachable: the cancellation is refused, the order goes on.
          const problem = activityProblem(err, 'cancelShipment');
          if (!problem) throw err;
          await recordActivityFailure(problem, 1);
          return { cancelled: false, reason: `${status.shipment.courier}: ${problem.message}` };
        }
        if (!answer.cancelled) return { cancelled: false, reason: answer.reason ?? `${status.shipment.courier} refused to cancel` };
      }
      cancelled ??= request;
      return { cancelled: true };
    },
    {
      validator: (_request: CancelOrderInput) => {
        if (status.status === 'done' || cancelled)
          throw ApplicationFailure.create({
            type: 'OrderNotCancellable',
            message: `order ${input.orderId} has already ended`,
            nonRetryable: true,
          });
        if (!cancelStage)
          throw ApplicationFailure.create({
            type: 'OrderNotCancellable',
            message: `process ${input.definition.name} has no end stage with result "cancelled"`,
            nonRetryable: true,
          });
        if (status.shipment && ['delivered', 'returning', 'returned'].includes(status.shipment.state)) {
          throw ApplicationFailure.create({
            type: 'OrderNotCancellable',
            message: `the parcel is already ${status.shipment.state}; it can no longer be cancelled`,
            nonRetryable: true,
          });
        }
      },
    },
  );
  const isCancelled = () => cancelled !== undefined;

  /** Every step that failed for good is on the order's timeline (`activity_failed`, with the cause). */
  let problemCount = 0;
  const recordActivityFailure = async (problem: ActivityProblem, attempt: number, courier?: string) => {
    problemCount += 1;
    try {
      await recordProblem({
        orderId: input.orderId,
        dedupeKey: `${workflowId}:problem:${problemCount}`,
        type: 'activity_failed',
        fromStage: status.stage,
        data: {
          activity: problem.activity,
          type: problem.type,
          message: problem.message,
          attempt,
          retriesExhausted: problem.retriesExhausted,
          ...(courier ? { courier } : {}),
        },
      });
    } catch (err) {
      if (!activityProblem(err, 'recordOrderEvent')) throw err; // the timeline is best effort here; the task is what matters
    }
  };
  // Any other step that fails for good: a task for the manager — retry, go on without it, or cancel the order.
  onActivityFailure(async (problem, attempt) => {
    await recordActivityFailure(problem, attempt);
    const context = await fixItContext({ subject: 'order' });
    const cancelledBefore = isCancelled();
    const canCancel =
      cancelStage !== undefined && !cancelledBefore && status.status === 'open' && process.stages[status.stage]?.kind !== 'end';
    const decision = await board.humanTask(
      fixItStage({
        stage: status.stage,
        role: context.role,
        problem,
        attempt,
        doing: stepTitle(problem.activity),
        escalate: fixItLadder(context.managers),
        extraOutcomes: canCancel ? [{ name: 'cancel', title: ORDER_TEXTS.cancelOrder }] : [],
      }),
      () => !cancelledBefore && isCancelled(),
    );
    if (!decision) return 'skip'; // the order was cancelled meanwhile: this step no longer matters
    if (decision.outcome === 'cancel') {
      cancelled ??= { reason: ORDER_TEXTS.fixItCancelReason(stepTitle(problem.activity), problem.message), actor: decision.actor };
      return 'skip';
    }
    return decision.outcome === 'retry' ? 'retry' : 'skip';
  });
  /** The courier's last verdict (the news that ended the courier stage). */
  let courierVerdict: CourierNews | undefined;
  /** The warehouse receiving the returned part of a partial delivery, while the order goes on as delivered. */
  let partialReturn: Promise<void> | undefined;
  /** Stock follows the order: reserved when the items are agreed, issued at hand-over, restocked from returns. */
  const stock = { reserved: [] as Array<{ sku: string; qty: number }>, issued: false };

  await recordOrderOpened({
    orderId: input.orderId,
    workflowId,
    channel: input.lead.channel,
    campaign: input.lead.campaign,
    leadCost: input.lead.cost,
    customer,
    definition: { name: input.definition.name, version: input.definition.version },
  });

  let closerRecorded = false;
  let seq = 0;
  let from: string | null = null;
  let current = process.start;
  for (;;) {
    const stage = process.stages[current]!;
    seq += 1;
    const visit: StageVisit = { stage: stage.id, kind: stage.kind, enteredAt: new Date().toISOString() };
    status.path.push(visit);
    Object.assign(status, { stage: stage.id, stageTitle: stage.title, since: visit.enteredAt });
    await recordOrderEvent({
      orderId: input.orderId,
      dedupeKey: `${workflowId}:${seq}:enter`,
      type: 'stage_entered',
      fromStage: from,
      toStage: stage.id,
      setStage: stage.id,
      ...(cancelled && stage.kind === 'end' ? { actor: cancelled.actor, data: { reason: cancelled.reason } } : {}),
    });

    if (stage.kind === 'end') {
      // A partial delivery's returned part is counted before the order ends (its task is not cancelled with the order's).
      if (partialReturn) await partialReturn;
      if (stock.reserved.length && !stock.issued) {
        await moveOrderStock({ orderId: input.orderId, kind: 'release', lines: stock.reserved, dedupeKey: `${input.orderId}:release` });
      }
      status.status = 'done';
      status.result = stage.result;
      visit.leftAt = visit.enteredAt;
      await cancelOpenTasks({ workflowId, reason: `order ended (${stage.result})` });
      await recordOrderEvent({
        orderId: input.orderId,
        dedupeKey: `${workflowId}:end`,
        type: 'order_ended',
        fromStage: stage.id,
        data: { result: stage.result },
        setStatus: stage.result,
      });
      if (stage.result === 'completed' || stage.result === 'returned') {
        // The customer's care contacts and segment (up or down) follow every delivered or returned order.
        await updateCustomerAfterOrder({ orderId: input.orderId, result: stage.result });
      }
      break;
    }

    let next: string | undefined;
    if (stage.when && !evaluateWhen(stage.when, facts)) {
      visit.outcome = 'skipped';
      next = stage.otherwise!;
    } else if (stage.kind === 'human') {
      const done = await board.humanTask(stage, isCancelled);
      if (done) {
        Object.assign(visit, { outcome: done.outcome, actor: done.actor });
        const chosen = stage.outcomes.find((o) => o.name === done.outcome)!;
        // Only the fields the definition binds to figures change the order; the rest is the task's record.
        const figures = figuresFrom(bindingsOf(chosen), done.data ?? {});
        await applyFigures(figures, done.actor, `${workflowId}:${seq}`, stage.id);
        const items = stockLines(figures.items);
        if (items.length && stock.reserved.length === 0) {
          stock.reserved = await reserveItems(items, done.actor);
        }
        if (!closerRecorded) {
          // The first human step's finisher (the rep who closed the lead, or marked it lost) is credited by KPIs.
          await recordOrderCloser({ orderId: input.orderId, staffId: done.actor, role: stage.role });
          closerRecorded = true;
        }
        const restocked = stockLines(figures.restockedItems);
        if (restocked.length) {
          await moveOrderStock({
            orderId: input.orderId,
            kind: 'restock',
            lines: restocked,
            actor: done.actor,
            dedupeKey: `${input.orderId}:restock:${seq}`,
          });
        }
        if ('returnedItems' in figures || 'restockedItems' in figures) {
          // A partial return: revenue and return-rate KPIs take back only what came back (unknown: the whole order).
          const amount = returnedValue(orderData.items, returnedLinesOf(figures));
          if (amount !== undefined) await recordReturnedAmount({ orderId: input.orderId, amount });
        }
        next = chosen.to;
      }
    } else if (stage.kind === 'wait') {
      await condition(isCancelled, Math.max(0, dueAt(Date.now(), stage.durationMs, stage.clock, process.workingHours) - Date.now()));
      next = stage.next;
    } else if (stage.kind === 'notify') {
      const message = stage.message.replace(/\{\{\s*(order\.code|order\.id|customer\.name|customer\.phone)\s*\}\}/g, (_, key: string) =>
        key.startsWith('order.') ? input.orderId : key === 'customer.name' ? customer.name : customer.phone,
      );
      await notify({
        roles: stage.notify,
        message,
        subject: { type: 'order', id: input.orderId },
        dedupeKey: `${workflowId}:${seq}:notify`,
      });
      next = stage.next;
    } else {
      const outcome = await shipAndWait(stage, seq);
      if (outcome === 'delivered') {
        // The books: one sales document per delivered order (idempotent by order id).
        await recordSale({
          orderId: input.orderId,
          channel: input.lead.channel,
          courier: status.shipment?.courier ?? null,
          customer: {
            name: typeof orderData.customerName === 'string' ? orderData.customerName : customer.name,
            phone: typeof orderData.phone === 'string' ? orderData.phone : customer.phone,
          },
          items: saleLines(orderData.items),
          shippingFee: typeof orderData.shippingFee === 'number' ? orderData.shippingFee : 0,
          codAmount: facts.order?.codAmount ?? 0,
        });
      }
      if (outcome === 'delivered' && courierVerdict?.partial && !partialReturn) {
        partialReturn = receivePartialReturn(stage, courierVerdict.partial);
      }
      if (outcome) {
        visit.outcome = outcome;
        next = stage.on[outcome];
      }
    }
    if (isCancelled()) {
      visit.outcome = 'cancelled';
      next = cancelStage!.id;
      status.cancellation = { reason: cancelled!.reason, actor: cancelled!.actor };
    }
    visit.leftAt = new Date().toISOString();
    await recordOrderEvent({
      orderId: input.orderId,
      dedupeKey: `${workflowId}:${seq}:leave`,
      type: 'stage_left',
      fromStage: stage.id,
      toStage: next!,
      actor: visit.actor ?? null,
      data: { outcome: visit.outcome ?? null },
    });
    from = stage.id;
    current = next!;
  }
  await condition(allHandlersFinished);
  return { ...status, waitingOn: [] };

  /**
   * Applies the figures a task set (only what its definition binds): the order's data and facts,
   * the money figures on the order row, and one order event per changed figure with who and
   * old → new.
   */
  async function applyFigures(figures: Partial<Record<OrderFigure, unknown>>, actor: string, key: string, stageId: string): Promise<void> {
    const before = { total: facts.order?.total, codAmount: facts.order?.codAmount };
    const changes: Array<{ field: string; from: unknown; to: unknown }> = [];
    for (const [figure, value] of Object.entries(figures)) {
      // A new street line replaces the street of the address agreed at closing (until it is set again).
      const address = orderData.shippingAddress as { street?: unknown } | undefined;
      const was = figure === 'shippingAddress.street' ? (orderData[figure] ?? address?.street) : orderData[figure];
      if (JSON.stringify(was) !== JSON.stringify(value)) changes.push({ field: figure, from: was ?? null, to: value });
    }
    Object.assign(orderData, figures);
    absorbTaskData(facts, figures);
    if (!('total' in figures) && facts.order?.total !== before.total)
      changes.push({ field: 'total', from: before.total ?? null, to: facts.order?.total ?? null });
    if (changes.length) {
      await updateOrderFigures({
        orderId: input.orderId,
        total: facts.order?.total,
        codAmount: facts.order?.codAmount,
        changes,
        actor,
        dedupeKey: key,
        stage: stageId,
      });
    }
  }

  /**
   * Reserves the agreed items. When catalogue stock is short the order waits at its stage on a
   * task for the warehouse, "restock or substitute": `restocked` (goods received, or the items
   * replaced by the form's `items`) tries again; `cancel` ends the order cancelled. Returns what
   * was reserved (nothing when the order was cancelled meanwhile).
   */
  async function reserveItems(items: Array<{ sku: string; qty: number }>, actor: string): Promise<Array<{ sku: string; qty: number }>> {
    for (let attempt = 1; ; attempt++) {
      const answer = await moveOrderStock({
        orderId: input.orderId,
        kind: 'reserve',
        lines: items,
        actor,
        dedupeKey: `${input.orderId}:reserve`,
        attempt,
      });
      if (!answer || answer.ok) return items; // no answer: a history from before reservations were checked
      const decision = await board.humanTask(
        shortageStage(status.stage, answer.short, answer.role, cancelStage !== undefined, attempt),
        isCancelled,
      );
      if (!decision) return [];
      if (decision.outcome === 'cancel') {
        cancelled ??= { reason: `out of stock: ${answer.short.map((s) => s.sku).join(', ')}`, actor: decision.actor };
        return [];
      }
      const substitute = stockLines(decision.data?.items);
      if (substitute.length) {
        // The shortage task's own form: its items replace the order's.
        await applyFigures({ items: decision.data!.items }, decision.actor, `${workflowId}:${seq}:substitute:${attempt}`, status.stage);
        items = substitute;
      }
    }
  }

  /**
   * Courier stage: hand the parcel over (idempotent by order id), then wait for the courier's
   * verdict while the delivery-SLA ladder escalates by itself and a poll asks the courier when
   * its webhooks go quiet. Returns undefined when the order was cancelled meanwhile.
   */
  async function shipAndWait(stage: CompiledCourierStage, visit: number): Promise<CourierOutcome | undefined> {
    const { createShipment, pollShipment } = courierActivities(input.settings?.courierRetryForMs);
    let courier = chooseCourier(stage.courier, facts);
    let shipment: Awaited<ReturnType<typeof createShipment>> | undefined;
    for (let attempt = 1; !shipment; attempt++) {
      handingOver = true;
      try {
        shipment = await createShipment({ orderId: input.orderId, courier, request: shipmentRequest(input, orderData) });
      } catch (err) {
        handingOver = false;
        const problem = activityProblem(err, 'createShipment');
        if (!problem) throw err;
        const decision = await courierProblem(stage, courier, problem, attempt);
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
    handingOver = false;
    if (!stock.issued && stock.reserved.length) {
      await moveOrderStock({
        orderId: input.orderId,
        kind: 'issue',
        lines: stock.reserved,
        actor: courier,
        dedupeKey: `${input.orderId}:issue`,
      });
    }
    stock.issued = true;
    for (const news of shipment.backlog) {
      courierNews.push(news);
      Object.assign(status.shipment, { state: news.state, status: news.status });
    }
    const verdict = () => courierNews.find((n) => n.outcome !== 'in_transit');
    const finished = () => verdict() !== undefined || isCancelled();
    const pollAfterMs = input.settings?.courierPollAfterMs ?? 6 * 3600_000;
    const pollWhenQuiet = async () => {
      while (!finished()) {
        const heardFrom = lastNewsAt;
        const quietFor = Date.now() - heardFrom;
        if (await condition(() => finished() || lastNewsAt !== heardFrom, Math.max(1, pollAfterMs - quietFor))) continue;
        let news: CourierNews | null = null;
        try {
          news = await pollShipment({ orderId: input.orderId, courier, trackingCode: shipment!.trackingCode });
        } catch (err) {
          // Asking failed for good: on the timeline, and asked again after the next quiet spell;
          // webhooks still count, and the delivery ladder escalates a parcel nobody hears about.
          const problem = activityProblem(err, 'pollShipment');
          if (!problem) throw err;
          await recordActivityFailure(problem, 1, courier);
        }
        lastNewsAt = Date.now();
        if (news) {
          courierNews.push(news);
          Object.assign(status.shipment!, { state: news.state, status: news.status });
        }
      }
    };
    await Promise.all([
      climbLadder({
        ladder: stage.escalate,
        startedAt,
        clock: stage.clock,
        workingHours: process.workingHours,
        done: finished,
        onStep: (step, level) => board.escalate(undefined, step, level, { stage: stage.id, title: stage.title, visit }),
      }),
      pollWhenQuiet(),
    ]);
    const news = verdict();
    if (!news) return undefined;
    courierVerdict = news;
    courierNews.splice(0, courierNews.indexOf(news) + 1);
    return news.outcome as CourierOutcome;
  }

  /**
   * The courier refused the parcel, stayed unreachable for its whole retry window, or its account
   * is not set up (GHTK's pick-up address…): the warehouse lead decides — send again once fixed,
   * ship with another enabled courier, or cancel the order (the reserved stock is released as on
   * any cancellation). Undefined when the order was cancelled meanwhile.
   */
  async function courierProblem(
    stage: CompiledCourierStage,
    courier: string,
    problem: ActivityProblem,
    attempt: number,
  ): Promise<CompleteTaskInput | undefined> {
    await recordActivityFailure(problem, attempt, courier);
    const context = await fixItContext({ subject: 'courier', exclude: courier });
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
    const decision = await board.humanTask(
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
        description: ORDER_TEXTS.courierProblemDescription(input.orderId, why, problem.message),
        outcomes: [
          { name: 'retry', title: ORDER_TEXTS.resendTo(name), to: stage.id, form: noteForm },
          ...(others.length ? [{ name: 'other-courier', title: ORDER_TEXTS.shipWithOtherCourier, to: stage.id, form: courierForm }] : []),
          ...(cancelStage ? [{ name: 'cancel', title: ORDER_TEXTS.cancelOrder, to: stage.id, form: noteForm }] : []),
        ],
      },
      isCancelled,
    );
    if (decision?.outcome === 'cancel') cancelled ??= { reason: `${name}: ${problem.message}`, actor: decision.actor };
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
  async function receivePartialReturn(courierStage: CompiledCourierStage, partial: PartialDelivery): Promise<void> {
    const task = partialReturnStage(courierStage, process.stages[courierStage.on.returned ?? ''], partial);
    const done = await board.humanTask(task);
    if (!done) return;
    const counted = figuresFrom(bindingsOf(task.outcomes[0]!), done.data ?? {});
    const restocked = stockLines(counted.restockedItems);
    if (restocked.length) {
      await moveOrderStock({
        orderId: input.orderId,
        kind: 'restock',
        lines: restocked,
        actor: done.actor,
        dedupeKey: `${input.orderId}:restock:partial`,
      });
    }
    const amount = returnedValue(orderData.items, returnedLinesOf(counted));
    if (amount !== undefined) await recordReturnedAmount({ orderId: input.orderId, amount });
    await recordOrderEvent({
      orderId: input.orderId,
      dedupeKey: `${workflowId}:partial-return-received`,
      type: 'partial_return_received',
      actor: done.actor,
      data: { code: partial.code ?? null, returnedAmount: amount ?? null, restocked },
    });
    // Revenue takes the count back even when the courier gave no figure; the books get a return
    // document for the part that came back, at the warehouse's count (each once per order).
    await takeBackPartialReturn({ orderId: input.orderId });
    await recordPartialReturn({
      orderId: input.orderId,
      returnedLines: returnedLinesOf(counted),
      code: partial.code ?? null,
      actor: done.actor,
    });
  }
}
