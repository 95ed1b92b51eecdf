/**
 * The house rule "no workflow ends Failed on a business or configuration error", as code: an
 * activity failure Temporal will not retry any more (non-retryable, or its retries ran out)
 * becomes a task for a person who can fix the cause, and the workflow waits on that person's
 * decision instead of failing. Failures that are bugs in the workflow code itself are left
 * alone: they fail the workflow task, Temporal retries it, and the stuck-workflow detection
 * (server/platform/stuck-workflows.ts) shows it.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  proxyLocalActivities,
  TimeoutFailure,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import type { Clock } from '../../definitions/rules/business-time';
import { STEP_TITLES, TASK_TEXTS } from '../../definitions/tasks/texts';
import type { CompiledEscalationStep, CompiledHumanStage, FormSchema } from '../../definitions/types';

export { STEP_TITLES } from '../../definitions/tasks/texts';

/** What went wrong in an activity, in the words of whoever refused (e.g. the courier's own message). */
export interface ActivityProblem {
  /** The activity's name, e.g. `createShipment`. */
  activity: string;
  /** The failure's type (`CourierRejected`, `TypeError`…), or `Timeout` when its retries ran out. */
  type: string;
  message: string;
  /** The activity ran out of retries rather than being refused outright. */
  retriesExhausted: boolean;
}

/**
 * The problem carried by an activity's failure, or undefined when `err` is not an activity
 * failure (a bug in the workflow itself, a cancellation…), which the caller rethrows.
 */
export function activityProblem(err: unknown, activity: string): ActivityProblem | undefined {
  if (!(err instanceof ActivityFailure)) return undefined;
  let cause: Error | undefined = err.cause;
  let timedOut = false;
  // A timeout (schedule-to-close: the retries ran out) carries the last attempt's failure as its cause.
  while (cause instanceof TimeoutFailure) {
    timedOut = true;
    if (!cause.cause) break;
    cause = cause.cause;
  }
  const type =
    cause instanceof ApplicationFailure ? (cause.type ?? 'Error') : cause instanceof TimeoutFailure ? 'Timeout' : (cause?.name ?? 'Error');
  const message = cause?.message || err.message || TASK_TEXTS.unknownError;
  return { activity, type, message, retriesExhausted: timedOut || !(cause instanceof ApplicationFailure && cause.nonRetryable) };
}

/** A person's answer on a fix-it task: run the step again, go on without it. */
export type FixItDecision = 'retry' | 'skip';

/** Decides what to do about one failed activity call; registered by each workflow at its start. */
export type FixItHandler = (problem: ActivityProblem, attempt: number) => Promise<FixItDecision>;

// Module scope is per workflow execution (the SDK evaluates the bundle's modules per workflow),
// so this is the handler of the workflow running here.
let handler: FixItHandler | undefined;

/** Sets what the workflow does when an activity of {@link guardedActivities} fails for good. */
export function onActivityFailure(fixIt: FixItHandler): void {
  handler = fixIt;
}

/**
 * `proxyActivities`, where a call that fails for good asks the workflow's fix-it handler: `retry`
 * calls the activity again, `skip` answers undefined (every guarded activity's caller accepts
 * "no answer"). With no handler registered the failure propagates as before. Activities whose
 * failure needs outcomes of their own (a courier refusing a parcel) use `proxyActivities` and
 * catch it themselves.
 */
export function guardedActivities<A extends object>(options: ActivityOptions): Guarded<A> {
  return guard<A>(proxyActivities<Record<string, (...args: unknown[]) => Promise<unknown>>>(options));
}

/**
 * The same for local activities: short database writes run in the worker that runs the workflow
 * task, recorded as one marker each instead of an activity task's three events and the workflow
 * task that follows.
 */
export function guardedLocalActivities<A extends object>(options: LocalActivityOptions): Guarded<A> {
  return guard<A>(proxyLocalActivities<Record<string, (...args: unknown[]) => Promise<unknown>>>(options));
}

function guard<A extends object>(raw: Record<string, (...args: unknown[]) => Promise<unknown>>): Guarded<A> {
  return new Proxy({} as Guarded<A>, {
    get(_target, name) {
      if (typeof name !== 'string') return undefined;
      return async (...args: unknown[]) => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await raw[name]!(...args);
          } catch (err) {
            const problem = activityProblem(err, name);
            if (!problem || !handler) throw err;
            if ((await handler(problem, attempt)) === 'skip') return undefined;
          }
        }
      };
    },
  });
}

/** Activities whose answer may be "none": the step was skipped by a person after it failed. */
export type Guarded<A> = {
  [K in keyof A]: A[K] extends (...args: infer P) => Promise<infer R> ? (...args: P) => Promise<R | undefined> : never;
};

/** The words of a fix-it task, for the task board. */
export interface FixItTaskSpec {
  /** Stage the task belongs to (shown in lists, and the order's stage while it waits). */
  stage: string;
  role: string;
  problem: ActivityProblem;
  attempt: number;
  /** What the workflow was doing, in Vietnamese ("Ghi sổ bán hàng"…). */
  doing: string;
  escalate: CompiledEscalationStep[];
  /** Extra outcomes beyond retry and skip (e.g. cancel the order). */
  extraOutcomes?: Array<{ name: string; title: string }>;
  canSkip?: boolean;
  /** The clock of its SLA and ladder (default: the shop's working hours). */
  clock?: Clock;
}

const noteForm: FormSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { note: { type: 'string', title: TASK_TEXTS.note } },
} as FormSchema;

/** A fix-it task as a human stage the TaskBoard runs: retry, skip, and the caller's extra outcomes. */
export function fixItStage(spec: FixItTaskSpec): CompiledHumanStage {
  const { problem } = spec;
  return {
    id: spec.stage,
    kind: 'human',
    role: spec.role,
    priority: 'high',
    slaMs: 4 * 3600_000,
    clock: spec.clock ?? 'business',
    escalate: spec.escalate,
    form: noteForm,
    title: TASK_TEXTS.fixItTitle(spec.attempt, spec.doing),
    description: TASK_TEXTS.fixItDescription(spec.doing, problem.retriesExhausted, problem.message, spec.canSkip !== false),
    outcomes: [
      { name: 'retry', title: TASK_TEXTS.retryFixed, to: spec.stage, form: noteForm },
      ...(spec.canSkip === false ? [] : [{ name: 'skip', title: TASK_TEXTS.skipStep, to: spec.stage, form: noteForm }]),
      ...(spec.extraOutcomes ?? []).map((o) => ({ name: o.name, title: o.title, to: spec.stage, form: noteForm })),
    ],
  };
}

/** The ladder of a fix-it task: remind the fixer's manager after 2 business hours, raise it after a day. */
export function fixItLadder(managers: string[]): CompiledEscalationStep[] {
  if (!managers.length) return [];
  return [
    { afterMs: 2 * 3600_000, notify: managers },
    { afterMs: 8 * 3600_000, notify: managers, priority: 'urgent' },
  ];
}

export const stepTitle = (activity: string) => (Object.hasOwn(STEP_TITLES, activity) ? STEP_TITLES[activity]! : activity);
