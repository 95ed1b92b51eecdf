import { allHandlersFinished, condition, defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { dueAt } from '../../definitions/rules/business-time';
import { TASK_TEXTS } from '../../definitions/tasks/texts';
import type { CompiledComplaintProcess, CompiledComplaintTask, CompiledHumanStage, FormSchema } from '../../definitions/types';
import { fixItLadder, fixItStage, guardedActivities, onActivityFailure, stepTitle } from '../tasks/fix-it';
import { TaskBoard, type OpenTaskView } from '../tasks/tasks';

/** Input of `complaint:<id>`: the complaint as staff filed it, and a snapshot of the process it runs. */
export interface ComplaintWorkflowInput {
  complaintId: string;
  definition: { name: string; version: number; process: CompiledComplaintProcess };
  complaint: {
    customerId: string;
    customerName: string;
    customerPhone: string;
    orderId: string | null;
    category: string;
    description: string;
    /** Staff id of who filed it. */
    openedBy: string;
  };
}

/** Answer of the `status` query, and the workflow's result. */
export interface ComplaintStatus {
  complaintId: string;
  /** `intake` (CSKH deciding), `follow-up` (the decision being carried out) or `closed`. */
  step: 'intake' | 'follow-up' | 'closed';
  status: 'open' | 'resolved' | 'rejected';
  outcome?: string;
  dueAt: string;
  waitingOn: OpenTaskView[];
}

export const complaintStatusQuery = defineQuery<ComplaintStatus>('complaintStatus');

// Guarded: a step that fails for good becomes a fix-it task (retry or skip) instead of failing the complaint.
const {
  recordComplaintOpened,
  recordComplaintDecision,
  recordComplaintFollowUpDone,
  cancelOpenTasks,
  recordComplaintRefund,
  orderRefundLimit,
  moveComplaintStock,
} = guardedActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
const { fixItContext } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Stage ids of complaint tasks, as the task API shows them. */
export const INTAKE_STAGE = 'complaint-intake';
export const followUpStage = (outcome: string) => `complaint-${outcome}`;

/**
 * One complaint: CSKH decides (the intake task climbs its escalation ladder while late), the
 * decision is recorded with whether it met the SLA, then the outcome's follow-up task (if any)
 * carries it out. Tasks are completed through the task API's `completeTask` Update.
 */
export async function complaintWorkflow(input: ComplaintWorkflowInput): Promise<ComplaintStatus> {
  const process = input.definition.process;
  const { complaint } = input;
  const board = new TaskBoard(
    {
      type: 'complaint',
      id: input.complaintId,
      customerPhone: complaint.customerPhone,
      summary: {
        customer: complaint.customerName,
        phone: complaint.customerPhone,
        customerId: complaint.customerId,
        category: complaint.category,
        ...(complaint.orderId ? { orderId: complaint.orderId } : {}),
      },
    },
    process.workingHours,
  );
  const openedAt = Date.now();
  const status: ComplaintStatus = {
    complaintId: input.complaintId,
    step: 'intake',
    status: 'open',
    dueAt: new Date(dueAt(openedAt, process.intake.slaMs, process.intake.clock, process.workingHours)).toISOString(),
    waitingOn: [],
  };
  setHandler(complaintStatusQuery, () => ({ ...status, waitingOn: board.list() }));
  // A step that failed for good waits on the manager: fixed and retried, or skipped.
  onActivityFailure(async (problem, attempt) => {
    const context = await fixItContext({ subject: 'complaint' });
    const stage = status.step === 'intake' ? INTAKE_STAGE : status.outcome ? followUpStage(status.outcome) : INTAKE_STAGE;
    const decision = await board.humanTask(
      fixItStage({
        stage,
        role: context.role,
        problem,
        attempt,
        doing: stepTitle(problem.activity),
        escalate: fixItLadder(context.managers),
      }),
    );
    return decision?.outcome === 'retry' ? 'retry' : 'skip';
  });

  await recordComplaintOpened({
    complaintId: input.complaintId,
    workflowId: workflowInfo().workflowId,
    customerId: complaint.customerId,
    orderId: complaint.orderId,
    category: complaint.category,
    description: complaint.description,
    openedBy: complaint.openedBy,
    openedAt: new Date(openedAt).toISOString(),
    dueAt: status.dueAt,
    definition: { name: input.definition.name, version: input.definition.version },
  });

  const intake: CompiledHumanStage = {
    ...humanStage(INTAKE_STAGE, process.intake),
    outcomes: process.outcomes.map((o) => ({
      name: o.name,
      title: o.title,
      to: o.followUp ? followUpStage(o.name) : 'closed',
      form: o.form,
    })),
  };
  const decision = (await board.humanTask(intake))!;
  const outcome = process.outcomes.find((o) => o.name === decision.outcome)!;
  Object.assign(status, { status: outcome.result, outcome: outcome.name });
  await recordComplaintDecision({
    complaintId: input.complaintId,
    taskId: decision.taskId,
    stage: INTAKE_STAGE,
    outcome: outcome.name,
    status: outcome.result,
    data: decision.data ?? {},
    actor: decision.actor,
    followUp: outcome.followUp !== undefined,
  });

  if (outcome.followUp) {
    status.step = 'follow-up';
    // The books and the stock learn what the follow-up did (refund, goods sent and taken back).
    const form = await followUpForm(outcome.name, outcome.followUp.form, decision.data ?? {}, complaint.orderId);
    const stage: CompiledHumanStage = {
      ...humanStage(followUpStage(outcome.name), { ...outcome.followUp, form }),
      outcomes: [{ name: 'done', title: TASK_TEXTS.followUpDone, to: 'closed', form }],
    };
    const done = (await board.humanTask(stage))!;
    await recordFollowUpInBooks(
      input.complaintId,
      complaint.orderId,
      outcome.name,
      decision.data ?? {},
      done.data ?? {},
      done.taskId,
      done.actor,
    );
    await recordComplaintFollowUpDone({ complaintId: input.complaintId, taskId: done.taskId, data: done.data ?? {}, actor: done.actor });
  }
  status.step = 'closed';
  // Follow-ups opened by escalations that nobody finished have nothing left to act on.
  await cancelOpenTasks({ workflowId: workflowInfo().workflowId, reason: 'complaint closed' });
  await condition(allHandlersFinished);
  return { ...status, waitingOn: [] };
}

type Items = Array<{ sku: string; qty: number }>;
/** Where a refund's follow-up form keeps the amount paid back, in order of preference. */
const REFUND_AMOUNT_FIELDS = ['paidAmount', 'amount'];
/** The (sku, qty) lines of a form field; a shop's form may be loose, so anything else is left out. */
function itemsOf(v: unknown): Items | undefined {
  if (!Array.isArray(v)) return undefined;
  const lines = v.filter(
    (l): l is Items[number] =>
      typeof l === 'object' && l !== null && typeof l.sku === 'string' && l.sku !== '' && Number.isInteger(l.qty) && l.qty > 0,
  );
  return lines.length ? lines.map((l) => ({ sku: l.sku, qty: l.qty })) : undefined;
}

/**
 * The follow-up form as the task shows it: a refund may pay back at most the order's value (when
 * the complaint names an order whose value is known); the warehouse's forms carry the items CSKH
 * decided on as their defaults, so the task says what to send and take back.
 */
async function followUpForm(
  outcome: string,
  form: FormSchema,
  decision: Record<string, unknown>,
  orderId: string | null,
): Promise<FormSchema> {
  if (!form.properties) return form;
  const properties = { ...(form.properties as Record<string, Record<string, unknown>>) };
  const amountField = REFUND_AMOUNT_FIELDS.find((f) => properties[f]);
  if (outcome === 'refund' && amountField && orderId) {
    const limit = await orderRefundLimit({ orderId });
    if (limit != null && limit > 0) properties[amountField] = { ...properties[amountField], maximum: limit };
  } else {
    const defaults: Record<string, unknown> =
      outcome === 'resend'
        ? { items: decision.items }
        : outcome === 'exchange'
          ? { sendItems: decision.sendItems, returnItems: decision.returnItems }
          : {};
    for (const [field, value] of Object.entries(defaults)) {
      const items = itemsOf(value);
      if (properties[field] && items) properties[field] = { ...properties[field], default: items };
    }
  }
  return { ...form, properties } as FormSchema;
}

/**
 * A refund's follow-up writes the refund document (the amount accounting paid, else the amount
 * decided); a resend's or exchange's writes the goods sent out again (`issue`) and, for an
 * exchange, the goods taken back intact (`restock`). Items the warehouse entered win over those
 * CSKH decided on.
 */
async function recordFollowUpInBooks(
  complaintId: string,
  orderId: string | null,
  outcome: string,
  decision: Record<string, unknown>,
  done: Record<string, unknown>,
  taskId: string,
  actor: string,
): Promise<void> {
  // The amount accounting paid; a follow-up form without one pays what CSKH decided.
  const paid = [...REFUND_AMOUNT_FIELDS.map((f) => done[f]), decision.amount].find((v): v is number => typeof v === 'number' && v > 0);
  if (outcome === 'refund' && paid !== undefined) {
    await recordComplaintRefund({ complaintId, amount: paid, reference: String(done.reference ?? ''), actor });
  } else if (outcome === 'resend') {
    await moveComplaintStock({
      complaintId,
      taskId,
      orderId,
      issue: itemsOf(done.items) ?? itemsOf(decision.items) ?? [],
      restock: [],
      actor,
    });
  } else if (outcome === 'exchange') {
    const takenBack = done.receivedBack === true && done.returnedIntact === true;
    await moveComplaintStock({
      complaintId,
      taskId,
      orderId,
      actor,
      issue: itemsOf(done.sendItems) ?? itemsOf(decision.sendItems) ?? [],
      restock: takenBack ? (itemsOf(done.returnItems) ?? itemsOf(decision.returnItems) ?? []) : [],
    });
  }
}

/** A complaint task as the human stage the TaskBoard runs (outcomes are set by the caller). */
function humanStage(id: string, task: CompiledComplaintTask): Omit<CompiledHumanStage, 'outcomes'> {
  return {
    id,
    kind: 'human',
    title: task.title,
    ...(task.description !== undefined ? { description: task.description } : {}),
    role: task.role,
    priority: task.priority,
    slaMs: task.slaMs,
    clock: task.clock,
    form: task.form,
    escalate: task.escalate,
  };
}
