/**
 * One simulated order: the same walk as the order workflow (definitions/orders/walk.ts: the skip
 * rule and each stage kind's own `run`), with services that, instead of opening tasks and calling
 * couriers, draw how long each step takes and how it ends from the shop's measured distributions
 * and move a simulated clock. Deadlines, escalation rungs and waits use the workflow's business
 * clock (dueAt), courier choice the workflow's chooseCourier, facts the workflow's absorbTaskData.
 */
import { absorbTaskData, bindingsOf, type OrderFigure } from '../orders/figures';
import { decided } from '../orders/stages/human';
import type { OrderStageServices } from '../orders/stages/kind';
import { runStage, stageSkipped } from '../orders/walk';
import { dueAt, type CompiledWorkingHours } from '../rules/business-time';
import { chooseCourier, type WhenFacts } from '../rules/conditions';
import type { Clock, CompiledEscalationStep, CompiledHumanStage, CompiledOrderProcess, CompiledOutcome, CompiledStage } from '../types';
import type { Distributions } from './distributions';
import type { ArrivalRecord, SimulatedOrder, SimulatedVisit } from './types';

/** A walk longer than this went round a loop the drawn outcomes kept choosing: cut, counted as stuck. */
export const MAX_VISITS = 200;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Which outcome a human stage ends with on the order's `visit`-th visit of it (0-based); undefined
 * lets the simulator decide (the order's own recorded choice, else a measured draw, else forward).
 */
export type OutcomeChooser = (stageId: string, visit: number) => string | undefined;

export interface SimulateOrderOptions {
  process: CompiledOrderProcess;
  arrival: ArrivalRecord;
  distributions: Distributions;
  random: () => number;
  /** The end of the window: parcels still on their way then are COD at risk. */
  horizon: number;
  choose?: OutcomeChooser;
  /** Courier verdicts to use instead of drawing them, in hand-over order (tests' both-ways runs). */
  courierOutcomes?: readonly ('delivered' | 'returned' | 'failed')[];
}

/** A human stage's outcome names, computed once per compiled stage (the same array each visit). */
const namesOf = new WeakMap<CompiledHumanStage, string[]>();
function outcomeNames(stage: CompiledHumanStage): string[] {
  let names = namesOf.get(stage);
  if (!names) namesOf.set(stage, (names = stage.outcomes.map((o) => o.name)));
  return names;
}

/** Local hour of day (0–23) of an instant in the shop's timezone. */
export function localHour(ms: number, hours: CompiledWorkingHours): number {
  const local = ms + hours.utcOffsetMinutes * 60_000;
  return Math.floor((((local % DAY) + DAY) % DAY) / HOUR);
}

/** Walks one order through a process from its real arrival, as the workflow would. */
export async function simulateOrder(opts: SimulateOrderOptions): Promise<SimulatedOrder> {
  const { process, arrival, distributions, random } = opts;
  const hours = process.workingHours;
  const facts: WhenFacts = { customer: { ...arrival.customer }, order: { ...(arrival.channel ? { channel: arrival.channel } : {}) } };
  let now = arrival.arrivedAt;
  const visitsOf = new Map<string, number>();
  let shipments = 0;
  const result: SimulatedOrder = {
    orderId: arrival.orderId,
    arrivedAt: arrival.arrivedAt,
    path: [],
    stuck: false,
    inTransitAtEnd: false,
    codAmount: 0,
    tasks: [],
    breaches: [],
    escalations: [],
  };

  /** The rungs of a ladder that fire before `doneAt` (climbLadder runs a rung only while still waiting). */
  const climb = (stageId: string, ladder: CompiledEscalationStep[], startedAt: number, doneAt: number, clock: Clock) => {
    ladder.forEach((step, index) => {
      const at = dueAt(startedAt, step.afterMs, clock, hours);
      if (at >= doneAt) return;
      result.escalations.push({ stage: stageId, rung: index + 1 });
      if (step.task) {
        const taken = distributions.taskDuration(step.task.role, `${stageId}:follow-up`, localHour(at, hours), random);
        result.tasks.push({ role: step.task.role, stage: stageId, openedAt: at, doneAt: at + taken, followUp: true });
      }
    });
  };

  const chooseOutcome = (stageId: string, allowed: string[], visit: number): string => {
    const told = opts.choose?.(stageId, visit);
    if (told !== undefined && allowed.includes(told)) return told;
    // The order's own choices at this stage (fix-it decisions recorded there are not this stage's outcomes).
    const recorded = Object.hasOwn(arrival.outcomes, stageId)
      ? arrival.outcomes[stageId]!.filter((o) => allowed.includes(o))[visit]
      : undefined;
    if (recorded !== undefined && allowed.includes(recorded)) return recorded;
    return distributions.stageOutcome(stageId, allowed, random) ?? allowed[0]!;
  };

  /** The order's real figures for the fields an outcome binds (its form's fields only), as its task would carry them. */
  const dataFor = (chosen: CompiledOutcome): Record<string, unknown> => {
    const data: Record<string, unknown> = {};
    for (const [figure, field] of Object.entries(bindingsOf(chosen)) as Array<[OrderFigure, string]>) {
      if (Object.hasOwn(arrival.figures, figure)) data[field] = arrival.figures[figure];
    }
    return data;
  };

  const services: OrderStageServices = {
    orderId: arrival.orderId,
    workflowId: `simulated:${arrival.orderId}`,
    customer: { name: '', phone: '' },
    cancelled: () => false,
    async humanTask(stage) {
      const visit = visitsOf.get(stage.id) ?? 0;
      visitsOf.set(stage.id, visit + 1);
      const openedAt = now;
      const outcome = chooseOutcome(stage.id, outcomeNames(stage), visit);
      const doneAt = openedAt + distributions.taskDuration(stage.role, stage.id, localHour(openedAt, hours), random);
      result.tasks.push({ role: stage.role, stage: stage.id, openedAt, doneAt, followUp: false });
      if (doneAt > dueAt(openedAt, stage.slaMs, stage.clock, hours)) result.breaches.push({ stage: stage.id });
      climb(stage.id, stage.escalate, openedAt, doneAt, stage.clock);
      now = doneAt;
      const chosen = stage.outcomes.find((o) => o.name === outcome)!;
      return { taskId: `${arrival.orderId}:${stage.id}:${visit}`, outcome, actor: 'simulated', data: dataFor(chosen) };
    },
    async applyFigures(figures) {
      absorbTaskData(facts, figures);
    },
    async figureEffect() {},
    async creditCloser() {},
    async waitFor(durationMs, clock) {
      now = dueAt(now, durationMs, clock, hours);
    },
    async notify() {},
    async shipAndWait(stage) {
      const courier = chooseCourier(stage.courier, facts);
      const drawn = distributions.transit(courier, facts.order?.province, random);
      const told = opts.courierOutcomes?.[shipments];
      const recorded = shipments === 0 && arrival.shipment?.courier === courier ? arrival.shipment.outcome : undefined;
      shipments += 1;
      const outcome = told ?? recorded ?? drawn.outcome;
      const startedAt = now;
      const verdictAt = startedAt + drawn.durationMs;
      if (verdictAt > dueAt(startedAt, stage.deliverySlaMs, stage.clock, hours)) result.breaches.push({ stage: stage.id });
      climb(stage.id, stage.escalate, startedAt, verdictAt, stage.clock);
      result.courier = courier;
      result.courierOutcome = outcome;
      result.inTransitAtEnd = startedAt <= opts.horizon && verdictAt > opts.horizon;
      now = verdictAt;
      if (outcome === 'delivered') result.deliveredAt ??= now;
      return outcome;
    },
    async delivered() {},
    async finish(stage) {
      result.result = stage.result;
      result.endedAt = now;
    },
  };

  let current: string | undefined = process.start;
  for (let seq = 1; current !== undefined; seq++) {
    const stage: CompiledStage | undefined = Object.hasOwn(process.stages, current) ? process.stages[current] : undefined;
    if (!stage || seq > MAX_VISITS) {
      result.stuck = true;
      break;
    }
    const visit: SimulatedVisit = { stage: stage.id, enteredAt: now };
    result.path.push(visit);
    if (stage.kind === 'end') {
      await runStage(stage, services, { seq, record: visit });
      break;
    }
    if (stageSkipped(stage, facts)) {
      visit.outcome = 'skipped';
      current = stage.otherwise;
    } else if (seq === 1 && arrival.arrivedClosed && stage.kind === 'human') {
      // Arrived closed: the start stage's outcome applied without a task, as the workflow does it.
      const names = outcomeNames(stage);
      const outcome = names.includes(arrival.arrivedClosed.outcome) ? arrival.arrivedClosed.outcome : names[0]!;
      const chosen = stage.outcomes.find((o) => o.name === outcome)!;
      const done = { outcome, actor: arrival.arrivedClosed.actor, data: dataFor(chosen) };
      current = await decided(stage, services, { seq, record: visit }, done, { creditCloser: false });
    } else {
      current = await runStage(stage, services, { seq, record: visit });
    }
  }
  result.codAmount = facts.order?.codAmount ?? 0;
  return result;
}
