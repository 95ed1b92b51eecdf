/**
 * Compiles a checked OrderProcess document into the plain snapshot an order workflow runs.
 * Only called when the schema and semantic checks found nothing, so shapes can be trusted here.
 */
import { compileCondition } from '../rules/condition-compile';
import type { WhenField } from '../rules/conditions';
import { parseDuration } from '../rules/duration';
import { closeForm } from '../tasks/forms';
import { SKU_LINE_FIGURES, type FigureBindings } from './figures';
import { isRecord } from '../loading/plain';
import type { PlainRecord } from '../loading/plain';
import type {
  Clock,
  CompiledCourierRule,
  CompiledEscalationStep,
  CompiledOrderProcess,
  CompiledShop,
  CompiledStage,
  CourierOutcome,
  FormSchema,
  LoadSummary,
  OrderResult,
  Priority,
} from '../types';
import { API_VERSION } from '../types';

// The YAML shapes as the schema guarantees them.
interface RawEscalationStep {
  after: string;
  notify?: string[];
  reassign?: string;
  priority?: Priority;
  task?: { role: string; title: string; priority?: Priority };
}
interface RawStage {
  id: string;
  kind: CompiledStage['kind'];
  title: string;
  description?: string;
  when?: PlainRecord;
  otherwise?: string;
  role: string;
  priority?: Priority;
  sla: string;
  deliverySla: string;
  duration: string;
  clock?: Clock;
  form?: FormSchema;
  sets?: FigureBindings;
  escalate?: RawEscalationStep[];
  on: Record<string, string | { to: string; title?: string; form?: FormSchema; sets?: FigureBindings }>;
  courier: string | { rules?: { when: PlainRecord; use: string }[]; default: string };
  notify: string[];
  message: string;
  next: string;
  result: OrderResult;
}
interface RawOrderProcess {
  metadata: { name: string; title: string; description?: string };
  spec: { start: string; stages: RawStage[] };
}

/** A form that accepts any object, for steps that only need an outcome. */
const ANY_FORM: FormSchema = { type: 'object' };

/** Follow-up tasks opened by an escalation are about something already late. */
const FOLLOW_UP_PRIORITY: Priority = 'high';

export function compileOrderProcess(data: unknown, shop: CompiledShop): CompiledOrderProcess {
  const raw = data as RawOrderProcess;
  const stages: Record<string, CompiledStage> = {};
  for (const stage of raw.spec.stages) stages[stage.id] = compileStage(stage);
  return {
    apiVersion: API_VERSION,
    kind: 'OrderProcess',
    name: raw.metadata.name,
    title: raw.metadata.title,
    ...(raw.metadata.description !== undefined && { description: raw.metadata.description }),
    start: raw.spec.start,
    stages,
    workingHours: shop.workingHours,
  };
}

function compileStage(stage: RawStage): CompiledStage {
  const guard = {
    ...(stage.when !== undefined && { when: compileCondition<WhenField>(stage.when) }),
    ...(stage.otherwise !== undefined && { otherwise: stage.otherwise }),
  };
  const clock = stage.clock ?? 'calendar';
  switch (stage.kind) {
    case 'human': {
      const stageSets = stage.sets ?? {};
      const form = closedForm(stage.form ?? ANY_FORM, stageSets);
      return {
        id: stage.id,
        kind: 'human',
        title: stage.title,
        ...(stage.description !== undefined && { description: stage.description }),
        role: stage.role,
        priority: stage.priority ?? 'normal',
        slaMs: parseDuration(stage.sla),
        clock,
        form,
        escalate: compileEscalation(stage.escalate),
        outcomes: Object.entries(stage.on).map(([name, outcome]) => {
          if (typeof outcome === 'string') return { name, title: name, to: outcome, form, sets: { ...stageSets } };
          // An outcome's own form comes with its own bindings (none unless it says); otherwise the stage's apply.
          const sets = { ...(outcome.sets ?? (outcome.form ? {} : stageSets)) };
          const own = outcome.form !== undefined || outcome.sets !== undefined;
          return { name, title: outcome.title ?? name, to: outcome.to, form: own ? closedForm(outcome.form ?? stage.form ?? ANY_FORM, sets) : form, sets };
        }),
        ...guard,
      };
    }
    case 'courier':
      return {
        id: stage.id,
        kind: 'courier',
        title: stage.title,
        courier: compileCourierRule(stage.courier),
        deliverySlaMs: parseDuration(stage.deliverySla),
        clock,
        escalate: compileEscalation(stage.escalate),
        on: stage.on as Record<CourierOutcome, string>,
        ...guard,
      };
    case 'wait':
      return { id: stage.id, kind: 'wait', title: stage.title, durationMs: parseDuration(stage.duration), clock, next: stage.next, ...guard };
    case 'notify':
      return { id: stage.id, kind: 'notify', title: stage.title, notify: stage.notify, message: stage.message, next: stage.next, ...guard };
    case 'end':
      return { id: stage.id, kind: 'end', title: stage.title, result: stage.result };
  }
}

/**
 * A form as tasks carry it: closed (see closeForm), with the `sku` of every line bound to
 * items, returnedItems or restockedItems marked `format: sku`, so the task API checks those
 * against the catalogue.
 */
export function closedForm(form: FormSchema, sets: FigureBindings): FormSchema {
  let marked = form;
  for (const figure of SKU_LINE_FIGURES) {
    const field = sets[figure];
    const properties = isRecord(marked.properties) ? marked.properties : undefined;
    const list = field !== undefined && properties && Object.hasOwn(properties, field) ? properties[field] : undefined;
    const line = isRecord(list) && isRecord(list.items) ? list.items : undefined;
    const sku = line && isRecord(line.properties) && isRecord(line.properties.sku) ? line.properties.sku : undefined;
    if (!isRecord(list) || !line || !sku || sku.format !== undefined) continue;
    marked = {
      ...marked,
      properties: { ...properties, [field!]: { ...list, items: { ...line, properties: { ...(line.properties as object), sku: { ...sku, format: 'sku' } } } } },
    };
  }
  return closeForm(marked);
}

export function compileEscalation(steps: RawEscalationStep[] = []): CompiledEscalationStep[] {
  return steps.map((step) => ({
    afterMs: parseDuration(step.after),
    notify: step.notify ?? [],
    ...(step.reassign !== undefined && { reassign: step.reassign }),
    ...(step.priority !== undefined && { priority: step.priority }),
    ...(step.task !== undefined && {
      task: { role: step.task.role, title: step.task.title, priority: step.task.priority ?? FOLLOW_UP_PRIORITY },
    }),
  }));
}

function compileCourierRule(courier: RawStage['courier']): CompiledCourierRule {
  if (typeof courier === 'string') return { rules: [], default: courier };
  return {
    rules: (courier.rules ?? []).map((rule) => ({ when: compileCondition<WhenField>(rule.when), courier: rule.use })),
    default: courier.default,
  };
}

/** Roles a process hands work or messages to, sorted. */
export function rolesUsed(process: CompiledOrderProcess): string[] {
  const roles = new Set<string>();
  for (const stage of Object.values(process.stages)) {
    if (stage.kind === 'human') roles.add(stage.role);
    if (stage.kind === 'notify') stage.notify.forEach((r) => roles.add(r));
    if (stage.kind === 'human' || stage.kind === 'courier') {
      for (const step of stage.escalate) {
        step.notify.forEach((r) => roles.add(r));
        if (step.reassign) roles.add(step.reassign);
        if (step.task) roles.add(step.task.role);
      }
    }
  }
  return [...roles].sort();
}

export function summarizeOrderProcess(process: CompiledOrderProcess): LoadSummary {
  const roles = rolesUsed(process);
  const stageCount = Object.keys(process.stages).length;
  return {
    kind: process.kind,
    name: process.name,
    title: process.title,
    stageCount,
    roles,
    text: `${process.kind} ${process.name} (${process.title}): ${stageCount} stages; roles: ${roles.join(', ')}`,
  };
}
