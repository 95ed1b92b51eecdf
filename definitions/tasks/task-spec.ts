/**
 * The compiled shape of any human task a process hands out (order stages, complaint intake and
 * follow-ups, fix-it tasks): who does it, by when on which clock, its form and its ladder.
 * Its own module so that definitions/types.ts and each process's types import it without a cycle.
 * No runtime imports: safe to import from workflow code.
 */
import type { Clock } from '../rules/business-time';

/** Task priorities, lowest first. */
export type Priority = 'low' | 'normal' | 'high' | 'urgent';

/** A JSON Schema (draft-07) object describing the data a step collects. */
export type FormSchema = Record<string, unknown>;

/** One rung of an escalation ladder, measured from the moment the stage started. */
export interface CompiledEscalationStep {
  afterMs: number;
  /** Roles to notify (may be empty). */
  notify: string[];
  /** Role the open task moves to (human stages only). */
  reassign?: string;
  /** New priority of the open task (human stages only). */
  priority?: Priority;
  /** A follow-up task to open. */
  task?: { role: string; title: string; priority: Priority };
}

/** What any human task is given: who does it, by when on which clock, its form and its ladder. */
export interface CompiledTaskSpec {
  description?: string;
  role: string;
  priority: Priority;
  slaMs: number;
  clock: Clock;
  /** The task's form (an order stage's outcomes each carry the form that applies to them). */
  form: FormSchema;
  escalate: CompiledEscalationStep[];
}
