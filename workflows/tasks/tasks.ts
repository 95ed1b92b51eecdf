import { ApplicationFailure, condition, defineUpdate, proxyLocalActivities, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { dueAt, type CompiledWorkingHours } from '../../definitions/rules/business-time';
import { validateFormData } from '../../definitions/tasks/forms';
import { TASK_TEXTS } from '../../definitions/tasks/texts';
import type { CompiledEscalationStep, CompiledHumanStage, FormSchema, Priority } from '../../definitions/types';
import { climbLadder } from './escalation';

/** A staff member finishing a task: what the task API sends to the workflow. */
export interface CompleteTaskInput {
  taskId: string;
  outcome: string;
  data?: Record<string, unknown>;
  /** Staff id of the person completing it. */
  actor: string;
}

/** The Update's answer, so the API can reply synchronously with where the process went. */
export interface CompleteTaskResult {
  taskId: string;
  outcome: string;
  /** The stage the process moves to; null for a follow-up task that does not move the process. */
  nextStage: string | null;
}

export const completeTaskUpdate = defineUpdate<CompleteTaskResult, [CompleteTaskInput]>('completeTask');

/** Failure types the task API maps to HTTP statuses. */
export const TaskRejection = {
  notOpen: 'TaskNotOpen',
  invalidOutcome: 'InvalidOutcome',
  invalidData: 'InvalidTaskData',
} as const;

/** What the workflow knows about a task while it is open (also shown by the status query). */
export interface OpenTaskView {
  taskId: string;
  stage: string;
  title: string;
  role: string;
  assigneeId: string | null;
  priority: Priority;
  openedAt: string;
  dueAt: string;
  escalationLevel: number;
  followUpOf?: string;
}

interface OpenTask {
  view: OpenTaskView;
  outcomes: Array<{ name: string; to: string | null; form: FormSchema }>;
  completion?: CompleteTaskInput;
  recorded: boolean;
}

/** Who and what a task is about: the order (or complaint…) and a one-line summary for lists. */
export interface TaskSubject {
  type: string;
  id: string;
  summary: Record<string, unknown>;
  /** For auto-assignment: the lead's channel and the customer's phone (returning customer → last rep). */
  channel?: string;
  customerPhone?: string;
}

const taskWriteOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
} as const;
const local = proxyLocalActivities<Activities>(taskWriteOptions);

/**
 * The task writes (open, complete, escalate) are short, idempotent database transactions the
 * workflow waits on, so they run as local activities: in the worker that runs the workflow task,
 * without a round-trip through the server's activity queue (an activity task is scheduled,
 * dispatched, started and completed, then a second workflow task runs; a local activity is one
 * marker in the same workflow task).
 */
const taskWrites = () => local;

/** A follow-up task only says it was handled: its form takes no fields (closed, like every form). */
const FOLLOW_UP_FORM: FormSchema = { type: 'object', additionalProperties: false };

/**
 * The open tasks of one workflow and the `completeTask` Update that closes them. The validator
 * rejects, before anything is written, a task that is not open here, an outcome the stage does
 * not allow, and data that fails the outcome's form.
 */
export class TaskBoard {
  private readonly open = new Map<string, OpenTask>();

  constructor(
    private readonly subject: TaskSubject,
    private readonly workingHours: CompiledWorkingHours,
  ) {
    setHandler(completeTaskUpdate, (input) => this.complete(input), { validator: (input) => this.validate(input) });
  }

  /** The open tasks, for the status query. */
  list(): OpenTaskView[] {
    return [...this.open.values()].filter((t) => !t.completion).map((t) => ({ ...t.view }));
  }

  /**
   * A human stage: opens the task, waits for its completion while climbing the escalation
   * ladder, and returns the chosen outcome and data (undefined when `interrupted()` turned true).
   */
  async humanTask(stage: CompiledHumanStage, interrupted: () => boolean = () => false): Promise<CompleteTaskInput | undefined> {
    const task = await this.openTask({
      stage: stage.id,
      title: stage.title,
      description: stage.description,
      role: stage.role,
      priority: stage.priority,
      slaMs: stage.slaMs,
      clock: stage.clock,
      outcomes: stage.outcomes.map((o) => ({ name: o.name, title: o.title, to: o.to, form: o.form })),
      form: stage.form,
    });
    await climbLadder({
      ladder: stage.escalate,
      startedAt: Date.parse(task.view.openedAt),
      clock: stage.clock,
      workingHours: this.workingHours,
      done: () => task.completion !== undefined || interrupted(),
      onStep: (step, level) => this.escalate(task, step, level),
    });
    if (!task.completion) return undefined; // interrupted (e.g. the order was cancelled)
    await condition(() => task.recorded);
    return task.completion;
  }

  /** Runs one escalation rung on an open task: notify, reassign, raise priority, open a follow-up. */
  async escalate(
    task: OpenTask | undefined,
    step: CompiledEscalationStep,
    level: number,
    context?: { stage: string; title: string; visit: number },
  ): Promise<void> {
    const result = await taskWrites().escalateTask({
      taskId: task?.view.taskId ?? null,
      subject: { type: this.subject.type, id: this.subject.id },
      stage: task?.view.stage ?? context?.stage ?? '',
      title: task?.view.title ?? context?.title ?? '',
      level,
      step: { notify: step.notify, reassign: step.reassign, priority: step.priority, afterMs: step.afterMs },
      // A stage without a task (courier) can be visited again (redelivery): each visit escalates anew.
      dedupeKey: `${workflowInfo().workflowId}:${task?.view.taskId ?? `${context?.stage}#${context?.visit}`}:esc:${level}`,
    });
    if (task && !task.completion) {
      Object.assign(task.view, {
        role: result.role ?? task.view.role,
        assigneeId: result.assigneeId,
        priority: result.priority ?? task.view.priority,
        escalationLevel: level,
      });
    }
    if (step.task) {
      // A follow-up is a task of its own: it is listed, can be completed, and does not move the process.
      await this.openTask({
        stage: task?.view.stage ?? context?.stage ?? '',
        title: step.task.title,
        role: step.task.role,
        priority: step.task.priority,
        slaMs: null,
        clock: 'calendar',
        outcomes: [{ name: 'done', title: TASK_TEXTS.followUpDone, to: null, form: FOLLOW_UP_FORM }],
        form: FOLLOW_UP_FORM,
        parentTaskId: task?.view.taskId ?? null,
      });
    }
  }

  private async openTask(spec: {
    stage: string;
    title: string;
    description?: string;
    role: string;
    priority: Priority;
    slaMs: number | null;
    clock: 'calendar' | 'business';
    outcomes: Array<{ name: string; title: string; to: string | null; form: FormSchema }>;
    form: FormSchema;
    parentTaskId?: string | null;
  }): Promise<OpenTask> {
    const taskId = `tsk_${uuid4().replace(/-/g, '').slice(0, 20)}`;
    const openedAt = Date.now();
    const due = spec.slaMs === null ? null : dueAt(openedAt, spec.slaMs, spec.clock, this.workingHours);
    const task: OpenTask = {
      view: {
        taskId,
        stage: spec.stage,
        title: spec.title,
        role: spec.role,
        assigneeId: null,
        priority: spec.priority,
        openedAt: new Date(openedAt).toISOString(),
        dueAt: due === null ? '' : new Date(due).toISOString(),
        escalationLevel: 0,
        ...(spec.parentTaskId ? { followUpOf: spec.parentTaskId } : {}),
      },
      outcomes: spec.outcomes.map((o) => ({ name: o.name, to: o.to, form: o.form })),
      recorded: false,
    };
    // On the board before the row is written: a completion can arrive in the same activation as
    // the activity's result (Temporal delivers updates first), and must find its task.
    this.open.set(taskId, task);
    const { assigneeId } = await taskWrites().openTask({
      taskId,
      workflowId: workflowInfo().workflowId,
      subject: this.subject,
      stage: spec.stage,
      role: spec.role,
      title: spec.title,
      description: spec.description ?? null,
      form: spec.form,
      outcomes: spec.outcomes.map((o) => ({ name: o.name, title: o.title, form: o.form })),
      priority: spec.priority,
      openedAt: new Date(openedAt).toISOString(),
      dueAt: due === null ? null : new Date(due).toISOString(),
      parentTaskId: spec.parentTaskId ?? null,
    });
    if (!task.completion) task.view.assigneeId = assigneeId;
    return task;
  }

  private validate(input: CompleteTaskInput): void {
    const task = this.open.get(input?.taskId);
    if (!task || task.completion) {
      throw ApplicationFailure.create({
        type: TaskRejection.notOpen,
        message: `task ${input?.taskId} is not open on this ${this.subject.type}`,
        nonRetryable: true,
      });
    }
    const outcome = task.outcomes.find((o) => o.name === input.outcome);
    if (!outcome) {
      throw ApplicationFailure.create({
        type: TaskRejection.invalidOutcome,
        nonRetryable: true,
        message: `"${input.outcome}" is not an outcome of this task — allowed: ${task.outcomes.map((o) => o.name).join(', ')}`,
        details: [task.outcomes.map((o) => o.name)],
      });
    }
    // Forms are closed here even when a snapshot's form was compiled before closing existed.
    const problems = validateFormData(outcome.form, input.data ?? {});
    if (problems.length) {
      throw ApplicationFailure.create({
        type: TaskRejection.invalidData,
        nonRetryable: true,
        message: `the task data is invalid: ${problems.join('; ')}`,
        details: [problems],
      });
    }
  }

  /** Records the completion before answering, so the caller reads its own write in GET /tasks. */
  private async complete(input: CompleteTaskInput): Promise<CompleteTaskResult> {
    const task = this.open.get(input.taskId)!;
    task.completion = input;
    await taskWrites().recordTaskCompleted({ taskId: input.taskId, outcome: input.outcome, data: input.data ?? {}, actor: input.actor });
    task.recorded = true;
    this.open.delete(input.taskId);
    const next = task.outcomes.find((o) => o.name === input.outcome)!.to;
    return { taskId: input.taskId, outcome: input.outcome, nextStage: next };
  }
}
