/**
 * Compiled shapes of a ComplaintProcess (definitions/processes/complaint.yaml): plain JSON, so a
 * process can be stored as a version snapshot and passed to `complaint:<id>` unchanged.
 * No runtime imports: safe to import from workflow code.
 */
import type { CompiledWorkingHours } from '../rules/business-time';
import type { CompiledTaskSpec, FormSchema } from '../tasks/task-spec';

/** A task of the complaint process: the CSKH intake task, or an outcome's follow-up. */
export interface CompiledComplaintTask extends CompiledTaskSpec {
  title: string;
}

/** How a complaint can be settled; `rejected` outcomes require a reason in their form. */
export interface CompiledComplaintOutcome {
  name: string;
  title: string;
  result: 'resolved' | 'rejected';
  /** The data CSKH must enter with this outcome (its own form, else the intake form). */
  form: FormSchema;
  /** The task that carries the decision out (resend, refund, courier claim…). */
  followUp?: CompiledComplaintTask;
}

/** A complaint category a complaint is filed under. */
export interface CompiledComplaintCategory {
  id: string;
  title: string;
}

/** A complaint process compiled against a shop; the snapshot a complaint workflow runs. */
export interface CompiledComplaintProcess {
  apiVersion: 'shopflow/v1';
  kind: 'ComplaintProcess';
  name: string;
  title: string;
  description?: string;
  categories: CompiledComplaintCategory[];
  /** The CSKH task every complaint opens with; its SLA is the complaint's (due_at). */
  intake: CompiledComplaintTask;
  /** In the order written; the first is the usual one. */
  outcomes: CompiledComplaintOutcome[];
  /** The shop's working hours at compile time, for `clock: business`. */
  workingHours: CompiledWorkingHours;
}
