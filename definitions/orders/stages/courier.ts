/** `kind: courier`: hands the parcel to a courier and waits for delivery, return or failure. */
import type { PathSegment, Issue } from '../../loading/errors';
import { isRecord, listOf, recordOf, type PlainRecord } from '../../loading/plain';
import { checkCourier, checkDuration, conditionNames } from '../../loading/references';
import { checkCondition, compileCondition } from '../../rules/condition-compile';
import { WHEN_FIELDS, type WhenField } from '../../rules/conditions';
import { parseDuration } from '../../rules/duration';
import type { CompiledCourierRule, CompiledCourierStage, CompiledShop, CourierOutcome } from '../../types';
import { checkEscalation, compileEscalation, type RawEscalationStep } from '../escalation';
import type { OrderStageKind } from './kind';

const COURIER_RESULTS = ['delivered', 'returned', 'failed'] as const;

type RawCourierChoice = string | { rules?: { when: PlainRecord; use: string }[]; default: string };
interface RawCourierStage {
  id: string;
  title: string;
  courier: RawCourierChoice;
  deliverySla: string;
  escalate?: RawEscalationStep[];
  on: Record<CourierOutcome, string>;
}

export const courierStage: OrderStageKind<'courier'> = {
  kind: 'courier',
  check({ stage, path, shop, issues, edge, broken }) {
    issues.push(...checkCourierChoice(stage.courier, [...path, 'courier'], shop));
    checkDuration(stage.deliverySla, [...path, 'deliverySla'], issues);
    for (const result of COURIER_RESULTS) {
      const on = recordOf(stage.on);
      if (result in on) edge(on[result], [...path, 'on', result], false, (t) => `"${result}" leads to stage "${t}", which does not exist`);
      else broken();
    }
    issues.push(...checkEscalation(stage.escalate, [...path, 'escalate'], shop, false));
  },
  compile(raw, { guard, clock }): CompiledCourierStage {
    const stage = raw as unknown as RawCourierStage;
    return {
      id: stage.id,
      kind: 'courier',
      title: stage.title,
      courier: compileCourierRule(stage.courier),
      deliverySlaMs: parseDuration(stage.deliverySla),
      clock,
      escalate: compileEscalation(stage.escalate),
      on: stage.on,
      ...guard,
    };
  },
  async run(stage, order, visit) {
    const outcome = await order.shipAndWait(stage);
    // The books: one sales document per delivered order; a partial delivery's part travels back.
    if (outcome === 'delivered') await order.delivered(stage);
    if (!outcome) return undefined;
    visit.record.outcome = outcome;
    return stage.on[outcome];
  },
};

function checkCourierChoice(courier: unknown, path: PathSegment[], shop: CompiledShop | null): Issue[] {
  if (!isRecord(courier)) return checkCourier(shop, courier, path);
  const issues: Issue[] = [];
  listOf(courier.rules).forEach((raw, i) => {
    const rule = recordOf(raw);
    issues.push(...checkCondition(rule.when, [...path, 'rules', i, 'when'], WHEN_FIELDS, conditionNames(shop)));
    issues.push(...checkCourier(shop, rule.use, [...path, 'rules', i, 'use']));
  });
  issues.push(...checkCourier(shop, courier.default, [...path, 'default']));
  return issues;
}

function compileCourierRule(courier: RawCourierChoice): CompiledCourierRule {
  if (typeof courier === 'string') return { rules: [], default: courier };
  return {
    rules: (courier.rules ?? []).map((rule) => ({ when: compileCondition<WhenField>(rule.when), courier: rule.use })),
    default: courier.default,
  };
}
