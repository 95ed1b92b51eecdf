/**
 * One order's state while its workflow runs, and the steps several stage kinds share: the
 * problem timeline, the figures a task sets, the stock reservation. Workflow code.
 */
import { activityProblem, type ActivityProblem } from '../tasks/fix-it';
import type { CourierNews } from '../../activities/shipping/shipments';
import type { WhenFacts } from '../../definitions/rules/conditions';
import type { OrderFigure } from '../../definitions/orders/figures';
import type { CompiledEndStage, CompiledOrderProcess } from '../../definitions/types';
import type { TaskBoard } from '../tasks/tasks';
import type { OrderActivities, OrderLookups } from './activities';
import type { CancelOrderInput, OrderStatus, OrderWorkflowInput } from './contract';
import { absorbTaskData, shortageStage, stockLines } from './order-tasks';

export type StockLine = { sku: string; qty: number };

export interface OrderState {
  input: OrderWorkflowInput;
  /**
   * Orders started since lean histories (`patched('lean-history')`): database writes run as local
   * activities, a stage left and the next entered are one write, polls keep one timer per quiet
   * spell. Orders started before keep the commands their histories recorded.
   */
  lean: boolean;
  /** The order started with its search attributes: the workflow keeps stage, courier and result current. */
  showsInTemporal: boolean;
  /** The activities the order calls (guarded: a failure for good becomes a fix-it task), local when lean. */
  act: OrderActivities;
  /** Look-ups and the problem timeline (not guarded: retried until they answer), local when lean. */
  lookups: OrderLookups;
  workflowId: string;
  process: CompiledOrderProcess;
  customer: OrderWorkflowInput['lead']['customer'];
  facts: WhenFacts;
  /** The order's figures as tasks set them through declared bindings (address, items, weight…), newest wins. */
  orderData: Record<string, unknown>;
  board: TaskBoard;
  status: OrderStatus;
  /** The end stage a cancellation goes to (none: the process cannot be cancelled). */
  cancelStage: CompiledEndStage | undefined;
  cancelled: CancelOrderInput | undefined;
  /** Stage entries so far (the visit number of the current stage). */
  seq: number;
  /** Courier news not yet consumed by the courier stage, and when the courier was last heard from. */
  courierNews: CourierNews[];
  lastNewsAt: number;
  /** A shipment is being created at the courier right now: a cancellation waits for its answer. */
  handingOver: boolean;
  /** The courier's last verdict (the news that ended the courier stage). */
  courierVerdict: CourierNews | undefined;
  /** The warehouse receiving the returned part of a partial delivery, while the order goes on as delivered. */
  partialReturn: Promise<void> | undefined;
  /** Stock follows the order: reserved when the items are agreed, issued at hand-over, restocked from returns. */
  stock: { reserved: StockLine[]; issued: boolean };
  closerRecorded: boolean;
  problemCount: number;
}

export const isCancelled = (order: OrderState) => order.cancelled !== undefined;

/** Every step that failed for good is on the order's timeline (`activity_failed`, with the cause). */
export async function recordActivityFailure(order: OrderState, problem: ActivityProblem, attempt: number, courier?: string): Promise<void> {
  order.problemCount += 1;
  try {
    await order.lookups.recordOrderEvent({
      orderId: order.input.orderId,
      dedupeKey: `${order.workflowId}:problem:${order.problemCount}`,
      type: 'activity_failed',
      fromStage: order.status.stage,
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
}

/**
 * Applies the figures a task set (only what its definition binds): the order's data and facts,
 * the money figures on the order row, and one order event per changed figure with who and
 * old → new.
 */
export async function applyFigures(
  order: OrderState,
  figures: Partial<Record<OrderFigure, unknown>>,
  actor: string,
  key: string,
  stageId: string,
): Promise<void> {
  const { facts, orderData } = order;
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
    await order.act.updateOrderFigures({
      orderId: order.input.orderId,
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
export async function reserveItems(order: OrderState, items: StockLine[], actor: string): Promise<StockLine[]> {
  const orderId = order.input.orderId;
  for (let attempt = 1; ; attempt++) {
    const answer = await order.act.moveOrderStock({
      orderId,
      kind: 'reserve',
      lines: items,
      actor,
      dedupeKey: `${orderId}:reserve`,
      attempt,
    });
    if (!answer || answer.ok) return items; // no answer: a history from before reservations were checked
    const decision = await order.board.humanTask(
      shortageStage(order.status.stage, answer.short, answer.role, order.cancelStage !== undefined, attempt),
      () => isCancelled(order),
    );
    if (!decision) return [];
    if (decision.outcome === 'cancel') {
      order.cancelled ??= { reason: `out of stock: ${answer.short.map((s) => s.sku).join(', ')}`, actor: decision.actor };
      return [];
    }
    const substitute = stockLines(decision.data?.items);
    if (substitute.length) {
      // The shortage task's own form: its items replace the order's.
      const key = `${order.workflowId}:${order.seq}:substitute:${attempt}`;
      await applyFigures(order, { items: decision.data!.items }, decision.actor, key, order.status.stage);
      items = substitute;
    }
  }
}
