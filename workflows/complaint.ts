import { allHandlersFinished, condition, defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { dueAt } from '../definitions/business-time';
import type { CompiledComplaintProcess, CompiledComplaintTask, CompiledHumanStage } from '../definitions/types';
import { TaskBoard, type OpenTaskView } from './tasks';

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

const { recordComplaintOpened, recordComplaintDecision, recordComplaintFollowUpDone, cancelOpenTasks } = proxyActivities<Activities>({
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
      type: 'complaint', id: input.complaintId, customerPhone: complaint.customerPhone,
      summary: { customer: complaint.customerName, phone: complaint.customerPhone, customerId: complaint.customerId, category: complaint.category, ...(complaint.orderId ? { orderId: complaint.orderId } : {}) },
    },
    process.workingHours,
  );
  const openedAt = Date.now();
  const status: ComplaintStatus = {
    complaintId: input.complaintId, step: 'intake', status: 'open',
    dueAt: new Date(dueAt(openedAt, process.intake.slaMs, process.intake.clock, process.workingHours)).toISOString(), waitingOn: [],
  };
  setHandler(complaintStatusQuery, () => ({ ...status, waitingOn: board.list() }));

  await recordComplaintOpened({
    complaintId: input.complaintId, workflowId: workflowInfo().workflowId, customerId: complaint.customerId, orderId: complaint.orderId,
    category: complaint.category, description: complaint.description, openedBy: complaint.openedBy,
    openedAt: new Date(openedAt).toISOString(), dueAt: status.dueAt, definition: { name: input.definition.name, version: input.definition.version },
  });

  const intake: CompiledHumanStage = {
    ...humanStage(INTAKE_STAGE, process.intake),
    outcomes: process.outcomes.map((o) => ({ name: o.name, title: o.title, to: o.followUp ? followUpStage(o.name) : 'closed', form: o.form })),
  };
  const decision = (await board.humanTask(intake))!;
  const outcome = process.outcomes.find((o) => o.name === decision.outcome)!;
  Object.assign(status, { status: outcome.result, outcome: outcome.name });
  await recordComplaintDecision({
    complaintId: input.complaintId, taskId: decision.taskId, stage: INTAKE_STAGE, outcome: outcome.name, status: outcome.result,
    data: decision.data ?? {}, actor: decision.actor, followUp: outcome.followUp !== undefined,
  });

  if (outcome.followUp) {
    status.step = 'follow-up';
    const stage: CompiledHumanStage = {
      ...humanStage(followUpStage(outcome.name), outcome.followUp),
      outcomes: [{ name: 'done', title: 'Đã xử lý', to: 'closed', form: outcome.followUp.form }],
    };
    const done = (await board.humanTask(stage))!;
    await recordComplaintFollowUpDone({ complaintId: input.complaintId, taskId: done.taskId, data: done.data ?? {}, actor: done.actor });
  }
  status.step = 'closed';
  // Follow-ups opened by escalations that nobody finished have nothing left to act on.
  await cancelOpenTasks({ workflowId: workflowInfo().workflowId, reason: 'complaint closed' });
  await condition(allHandlersFinished);
  return { ...status, waitingOn: [] };
}

/** A complaint task as the human stage the TaskBoard runs (outcomes are set by the caller). */
function humanStage(id: string, task: CompiledComplaintTask): Omit<CompiledHumanStage, 'outcomes'> {
  return {
    id, kind: 'human', title: task.title, ...(task.description !== undefined ? { description: task.description } : {}),
    role: task.role, priority: task.priority, slaMs: task.slaMs, clock: task.clock, form: task.form, escalate: task.escalate,
  };
}
