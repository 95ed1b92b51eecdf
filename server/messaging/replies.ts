/**
 * A customer's answer to a message that asked for one (the order confirmation: "1" đồng ý, "2"
 * hủy): it finds the confirmation it answers (by the phone it came from, or by the Zalo user a
 * ZNS reached), and when that confirmation's task is still open and the text is one of the
 * declared replies, completes the task through the same Update staff completions use, with the
 * customer as the actor. Anything else — no confirmation awaiting an answer, another text — is
 * written on the order's timeline and changes nothing. Each provider event is handled once.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import {
  awaitedByPhone,
  awaitedByZaloUser,
  recordCustomerEvent,
  recordReplyOnTimeline,
  settleCustomerEvent,
  type AwaitedReply,
} from '../../db/notifications/customer-messages';
import { normaliseReply, replyData } from '../../definitions/orders/customer-messages';
import { completeTaskUpdate } from '../../workflows/tasks/tasks';
import { executeUpdateRetried } from '../platform/updates';

/** One reply as a provider delivered it. */
export interface CustomerReply {
  provider: 'zalo' | 'esms';
  /** The provider's id of the message (Zalo msg_id, eSMS smsid): a webhook delivered twice is handled once. */
  eventId: string;
  /** The channel the customer answered on, as the reply's data names it. */
  channel: 'zalo' | 'sms';
  text: string;
  phone?: string;
  zaloUserId?: string;
}

/** What a reply did. */
export type ReplyResult =
  | { result: 'duplicate' }
  | { result: 'unknown-sender' }
  | { result: 'no-pending'; orderId: string }
  | { result: 'not-a-reply'; orderId: string }
  | { result: 'completed'; orderId: string; taskId: string; outcome: string; nextStage: string | null };

export function createReplyHandler(deps: { db: Db; temporal: Client; log: Logger }) {
  const { db } = deps;
  const log = deps.log.child({ component: 'customer-replies' });

  return async function handleReply(reply: CustomerReply): Promise<ReplyResult> {
    const recorded = await recordCustomerEvent(db, {
      provider: reply.provider,
      eventId: reply.eventId,
      kind: 'reply',
      phone: reply.phone ?? null,
      zaloUserId: reply.zaloUserId ?? null,
      text: reply.text,
    });
    if (!recorded) return { result: 'duplicate' };
    const candidates = reply.phone
      ? await awaitedByPhone(db, reply.phone)
      : reply.zaloUserId
        ? await awaitedByZaloUser(db, reply.zaloUserId)
        : [];
    const open = candidates.find((c) => c.taskStatus === 'open');
    const about = open ?? candidates[0];
    if (!about) {
      await settleCustomerEvent(db, recorded.id, { result: 'unknown-sender' });
      return { result: 'unknown-sender' };
    }
    const actor = about.customerId ? `customer:${about.customerId}` : 'customer';
    const timeline = (data: Record<string, unknown>) =>
      recordReplyOnTimeline(db, {
        orderId: about.orderId,
        dedupeKey: `customer-reply:${reply.provider}:${reply.eventId}`,
        actor,
        data: { text: reply.text, channel: reply.channel, template: about.payload.template, ...data },
      });
    const declared = open?.payload.replies?.[normaliseReply(reply.text)];
    if (!open) {
      await timeline({ result: 'no-pending' });
      await settleCustomerEvent(db, recorded.id, { result: 'no-pending', orderId: about.orderId });
      return { result: 'no-pending', orderId: about.orderId };
    }
    if (!declared) {
      await timeline({ result: 'not-a-reply' });
      await settleCustomerEvent(db, recorded.id, { result: 'not-a-reply', orderId: about.orderId });
      return { result: 'not-a-reply', orderId: about.orderId };
    }
    const completed = await complete(open, declared.outcome, replyData(declared, reply.channel), actor);
    if (!completed) {
      // The task closed meanwhile (staff finished it, the order was cancelled): nothing awaits this answer.
      await timeline({ result: 'no-pending' });
      await settleCustomerEvent(db, recorded.id, { result: 'no-pending', orderId: about.orderId });
      return { result: 'no-pending', orderId: about.orderId };
    }
    await timeline({ result: 'completed', outcome: declared.outcome, taskId: open.taskId });
    await settleCustomerEvent(db, recorded.id, { result: 'completed', orderId: about.orderId, outcome: declared.outcome });
    log.info({ orderId: about.orderId, taskId: open.taskId, outcome: declared.outcome }, 'a customer reply completed a task');
    return { result: 'completed', orderId: about.orderId, taskId: open.taskId, outcome: declared.outcome, nextStage: completed.nextStage };
  };

  /** The staff path's Update; undefined when the workflow no longer has the task open. */
  async function complete(awaited: AwaitedReply, outcome: string, data: Record<string, unknown>, actor: string) {
    try {
      return await executeUpdateRetried(deps.temporal.workflow.getHandle(awaited.workflowId), completeTaskUpdate, {
        args: [{ taskId: awaited.taskId, outcome, data, actor }],
      });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) {
        log.warn({ err, taskId: awaited.taskId }, 'the workflow refused a customer reply');
        return undefined;
      }
      if (err instanceof Error && /workflow execution already completed/i.test(err.message)) return undefined;
      throw err;
    }
  }
}

export type ReplyHandler = ReturnType<typeof createReplyHandler>;
