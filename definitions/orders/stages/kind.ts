/**
 * One stage kind of an order process, as the definitions side knows it: its semantic check
 * (beyond the JSON Schema) and its compile step. Each kind is one module in this folder,
 * listed once in ./index.ts; the workflow runs each kind through workflows/orders/stages.
 */
import type { Issue, PathSegment } from '../../loading/errors';
import type { PlainRecord } from '../../loading/plain';
import type { CompiledCondition, WhenField } from '../../rules/conditions';
import type { Clock, CompiledShop, CompiledStage } from '../../types';

/** What a kind's check may use: the stage as written, where it is, the shop, and edge recording. */
export interface StageCheck {
  stage: PlainRecord;
  path: PathSegment[];
  shop: CompiledShop | null;
  issues: Issue[];
  /** Records an edge to another stage (reporting a missing target); `instant`: taken without waiting. */
  edge(value: unknown, at: PathSegment[], instant: boolean, what: (target: string) => string): void;
  /** The stage has an edge that cannot be followed (the graph check treats it as open-ended). */
  broken(): void;
}

/** Fields every compiled non-end stage shares, computed once by the compiler. */
export interface StageCommon {
  guard: { when?: CompiledCondition<WhenField>; otherwise?: string };
  clock: Clock;
}

export interface OrderStageKind<K extends CompiledStage['kind'] = CompiledStage['kind']> {
  kind: K;
  /** Semantic issues of one stage of this kind; must not assume the data matches the schema. */
  check(ctx: StageCheck): void;
  /** Only called on a stage that passed schema and check. */
  compile(stage: PlainRecord & { id: string; title: string }, common: StageCommon): Extract<CompiledStage, { kind: K }>;
}
