/**
 * Compiles a checked ComplaintProcess document into the plain snapshot a complaint workflow runs.
 * Only called when the schema and semantic checks found nothing, so shapes can be trusted here.
 */
import type { CompiledComplaintProcess, CompiledComplaintTask } from './types';
import { parseDuration } from '../rules/duration';
import { closeForm } from '../tasks/forms';
import { compileEscalation } from '../orders/escalation';
import type { Clock, CompiledShop, FormSchema, LoadSummary, Priority } from '../types';
import { API_VERSION } from '../types';

interface RawTask {
  role: string;
  title: string;
  description?: string;
  sla: string;
  clock?: Clock;
  priority?: Priority;
  form?: FormSchema;
  escalate?: Parameters<typeof compileEscalation>[0];
}
interface RawComplaintProcess {
  metadata: { name: string; title: string; description?: string };
  spec: {
    categories: Array<{ id: string; title: string }>;
    intake: RawTask;
    outcomes: Array<{ id: string; title: string; result: 'resolved' | 'rejected'; form?: FormSchema; followUp?: RawTask }>;
  };
}

const ANY_FORM: FormSchema = { type: 'object' };

export function compileComplaintProcess(data: unknown, shop: CompiledShop): CompiledComplaintProcess {
  const raw = data as RawComplaintProcess;
  const intake = compileTask(raw.spec.intake);
  return {
    apiVersion: API_VERSION,
    kind: 'ComplaintProcess',
    name: raw.metadata.name,
    title: raw.metadata.title,
    ...(raw.metadata.description !== undefined && { description: raw.metadata.description }),
    categories: raw.spec.categories.map((c) => ({ id: c.id, title: c.title })),
    intake,
    outcomes: raw.spec.outcomes.map((o) => ({
      name: o.id,
      title: o.title,
      result: o.result,
      form: o.form ? closeForm(o.form) : intake.form,
      ...(o.followUp !== undefined && { followUp: compileTask(o.followUp) }),
    })),
    workingHours: shop.workingHours,
  };
}

function compileTask(task: RawTask): CompiledComplaintTask {
  return {
    title: task.title,
    ...(task.description !== undefined && { description: task.description }),
    role: task.role,
    priority: task.priority ?? 'normal',
    slaMs: parseDuration(task.sla),
    clock: task.clock ?? 'calendar',
    form: closeForm(task.form ?? ANY_FORM), // closed: a task accepts only the fields its form lists
    escalate: compileEscalation(task.escalate),
  };
}

/** Roles the process hands work or messages to, sorted. */
function rolesUsed(process: CompiledComplaintProcess): string[] {
  const roles = new Set<string>();
  const tasks = [process.intake, ...process.outcomes.flatMap((o) => (o.followUp ? [o.followUp] : []))];
  for (const task of tasks) {
    roles.add(task.role);
    for (const step of task.escalate) {
      step.notify.forEach((r) => roles.add(r));
      if (step.reassign) roles.add(step.reassign);
      if (step.task) roles.add(step.task.role);
    }
  }
  return [...roles].sort();
}

export function summarizeComplaintProcess(process: CompiledComplaintProcess): LoadSummary {
  const roles = rolesUsed(process);
  return {
    kind: process.kind,
    name: process.name,
    title: process.title,
    roles,
    text: `${process.kind} ${process.name} (${process.title}): ${process.outcomes.length} outcomes (${process.outcomes.map((o) => o.name).join(', ')}); roles: ${roles.join(', ')}`,
  };
}
