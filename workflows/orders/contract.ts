/**
 * The order workflow's contract with the outside: its input, the `status` answer, and the
 * query, signal and update the server calls (`server/orders`, the courier webhooks).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CourierNews } from '../../activities/shipping/shipments';
import type { WhenFacts } from '../../definitions/rules/conditions';
import type { CompiledOrderProcess, CompiledStage, OrderResult } from '../../definitions/types';
import type { OpenTaskView } from '../tasks/tasks';

/** Input of `order:<id>`: the lead, and a snapshot of the definition it runs (never changed later). */
export interface OrderWorkflowInput {
  orderId: string;
  definition: { name: string; version: number; process: CompiledOrderProcess };
  lead: {
    channel: string;
    campaign?: string;
    source?: string;
    note?: string;
    cost?: number;
    customer: {
      id?: string;
      name: string;
      phone: string;
      address?: string;
      /** Shown on every task of the order, so CSKH can question risky COD orders. */
      history?: { orders: number; delivered: number; returned: number; returnRate: number };
    };
  };
  /**
   * The order arrives already closed (a web shop's order: items, address and COD known): the start
   * stage (a human stage) takes this outcome with this form data at once, without a task, and the
   * order goes on from the stage that outcome leads to. Absent: the start stage's task decides.
   */
  closed?: { outcome: string; actor: string; data: Record<string, unknown> };
  /** Why an incoming order could not start closed (unknown SKU, missing address), in Vietnamese: shown on its first task. */
  intakeProblem?: string;
  /** What is known for `when` conditions at the start (customer segment, return rate…). */
  facts?: WhenFacts;
  settings?: {
    /** Ask the courier for news when no webhook arrived for this long (default 6 h). */
    courierPollAfterMs?: number;
    /** How long a courier call is retried before the warehouse lead gets a task about it (default 1 day). */
    courierRetryForMs?: number;
  };
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
  shipment?: { courier: string; trackingCode: string; state: string; status: string; deliveryDueAt: string };
  cancellation?: { reason: string; actor: string };
  path: StageVisit[];
}

export interface CancelOrderInput {
  reason: string;
  actor: string;
}
export interface CancelOrderResult {
  cancelled: boolean;
  /** Why not, e.g. the courier refused because the parcel is already picked up. */
  reason?: string;
}

export const statusQuery = defineQuery<OrderStatus>('status');
export const courierEventSignal = defineSignal<[CourierNews]>('courierEvent');
export const cancelOrderUpdate = defineUpdate<CancelOrderResult, [CancelOrderInput]>('cancelOrder');
