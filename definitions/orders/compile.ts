/**
 * Compiles a checked OrderProcess document into the plain snapshot an order workflow runs.
 * Only called when the schema and semantic checks found nothing, so shapes can be trusted here.
 */
import { compileCondition } from '../rules/condition-compile';
import type { WhenField } from '../rules/conditions';
import type { PlainRecord } from '../loading/plain';
import type { Clock, CompiledOrderProcess, CompiledShop, CompiledStage, LoadSummary } from '../types';
import { orderStageKind } from './stages';
import { API_VERSION } from '../types';
import { compileCustomerMessages } from './customer-messages';

// The YAML shapes as the schema guarantees them.
interface RawStage extends PlainRecord {
  id: string;
  kind: CompiledStage['kind'];
  title: string;
  when?: PlainRecord;
  otherwise?: string;
  clock?: Clock;
}
interface RawOrderProcess {
  metadata: { name: string; title: string; description?: string };
  spec: { start: string; stages: RawStage[] };
}

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
    ...compileCustomerMessages(raw.spec as unknown as PlainRecord),
  };
}

function compileStage(stage: RawStage): CompiledStage {
  const guard = {
    ...(stage.when !== undefined && { when: compileCondition<WhenField>(stage.when) }),
    ...(stage.otherwise !== undefined && { otherwise: stage.otherwise }),
  };
  return orderStageKind(stage.kind)!.compile(stage, { guard, clock: stage.clock ?? 'calendar' });
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
