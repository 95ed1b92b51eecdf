/**
 * The order walk's rules that the order workflow and the what-if simulator share, so the two
 * cannot drift apart: whether a stage is passed through (its `when` does not hold) and running
 * one visit of a stage through its kind's module. Pure and workflow-safe.
 */
import { evaluateWhen, type WhenFacts } from '../rules/conditions';
import type { CompiledStage } from '../types';
import { orderStageKind } from './stages';
import type { OrderStageServices, StageVisitRun } from './stages/kind';

/** True when the order passes a stage at once because its `when` does not hold (it goes to `otherwise`). */
export function stageSkipped(stage: CompiledStage, facts: WhenFacts): boolean {
  return stage.kind !== 'end' && stage.when !== undefined && !evaluateWhen(stage.when, facts);
}

/** Runs one visit of a stage through its kind's module: the next stage, or undefined (cancelled, or ended). */
export function runStage(stage: CompiledStage, services: OrderStageServices, visit: StageVisitRun): Promise<string | undefined> {
  return orderStageKind(stage.kind)!.run(stage as never, services, visit);
}
