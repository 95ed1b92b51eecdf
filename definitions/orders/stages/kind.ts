/**
 * One stage kind of an order process, as the definitions side knows it: its semantic check
 * (beyond the JSON Schema), its compile step, and its run (what the order does there). Each
 * kind is one module in this folder, listed once in ./index.ts; the order workflow's loop runs
 * the stage's kind with the services of OrderStageServices.
 */
import type { Issue, PathSegment } from '../../loading/errors';
import type { PlainRecord } from '../../loading/plain';
import type { CompiledCondition, WhenField } from '../../rules/conditions';
import type { CompleteTaskInput } from '../../../workflows/tasks/tasks';
import type {
  Clock,
  CompiledCourierStage,
  CompiledEndStage,
  CompiledHumanStage,
  CompiledShop,
  CompiledStage,
  CourierOutcome,
} from '../../types';
import type { FigureEffect, OrderFigure } from '../figures';

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
  /**
   * Walks one visit of the stage (called only when its `when` holds): returns the next stage,
   * or undefined when the order was cancelled meanwhile (or, for an end stage, has ended).
   * Workflow code: deterministic, through `order` only.
   */
  run(stage: Extract<CompiledStage, { kind: K }>, order: OrderStageServices, visit: StageVisitRun): Promise<string | undefined>;
}

/** Where the order is in its walk: the visit number (stage entries so far) and the path entry. */
export interface StageVisitRun {
  seq: number;
  record: { outcome?: string; actor?: string };
}

/**
 * What a stage's run may do to its order: the order workflow's services (tasks, figures, stock,
 * courier, messages, the end). Runs are plain orchestration over these, so kind modules stay
 * workflow-safe without importing the Temporal workflow API; workflows/orders/order.ts provides them.
 */
export interface OrderStageServices {
  orderId: string;
  workflowId: string;
  customer: { name: string; phone: string };
  /** Whether the order was cancelled (a run returns undefined once it is). */
  cancelled(): boolean;
  /** Opens the stage's task and waits for its outcome while the SLA ladder escalates (undefined: cancelled). */
  humanTask(stage: CompiledHumanStage): Promise<CompleteTaskInput | undefined>;
  /** The figures a task set become the order's (data, facts, money on the order row, a change event each). */
  applyFigures(figures: Partial<Record<OrderFigure, unknown>>, actor: string, stageId: string): Promise<void>;
  /** The stock a figure's effect moves (see ORDER_FIGURES' `effects`). */
  figureEffect(effect: FigureEffect, figures: Partial<Record<OrderFigure, unknown>>, actor: string): Promise<void>;
  /** The first human step's finisher is credited by KPIs (the rep who closed, or lost, the lead); once per order. */
  creditCloser(actor: string, role: string): Promise<void>;
  /** Waits `durationMs` on the stage's clock (from now), or until the order is cancelled. */
  waitFor(durationMs: number, clock: Clock): Promise<void>;
  notify(roles: string[], message: string): Promise<void>;
  /** Hands the parcel over and waits for the courier's verdict (undefined: cancelled meanwhile). */
  shipAndWait(stage: CompiledCourierStage): Promise<CourierOutcome | undefined>;
  /** The books and the warehouse after a delivery: the sales document, and a partial delivery's return. */
  delivered(stage: CompiledCourierStage): Promise<void>;
  /** Ends the order with the end stage's result (stock released, tasks closed, customer updated). */
  finish(stage: CompiledEndStage): Promise<void>;
}
