/** `kind: human`: a task for a role; the order waits for one of its outcomes (or escalates on its SLA). */
import { isRecord, recordOf } from '../../loading/plain';
import { checkDuration, checkRole } from '../../loading/references';
import { parseDuration } from '../../rules/duration';
import { checkForm, closeForm } from '../../tasks/forms';
import { checkSuggestOutcomes } from '../../tasks/context';
import type { CompiledHumanStage, FormSchema, Priority } from '../../types';
import { checkBindings } from '../bindings';
import { checkEscalation, compileEscalation, type RawEscalationStep } from '../escalation';
import { bindingsOf, effectsOf, figuresFrom, SKU_LINE_FIGURES, type FigureBindings } from '../figures';
import type { OrderStageKind, OrderStageServices, StageVisitRun } from './kind';

/** A form that accepts any object, for steps that only need an outcome. */
const ANY_FORM: FormSchema = { type: 'object' };

interface RawHumanStage {
  id: string;
  title: string;
  description?: string;
  role: string;
  priority?: Priority;
  sla: string;
  form?: FormSchema;
  sets?: FigureBindings;
  escalate?: RawEscalationStep[];
  scanItems?: string;
  on: Record<string, string | { to: string; title?: string; form?: FormSchema; sets?: FigureBindings }>;
}

export const humanStage: OrderStageKind<'human'> = {
  kind: 'human',
  check({ stage, path, shop, issues, edge }) {
    issues.push(...checkRole(shop, stage.role, [...path, 'role'], true));
    checkDuration(stage.sla, [...path, 'sla'], issues);
    issues.push(...checkForm(stage.form, [...path, 'form']));
    issues.push(...checkSuggestOutcomes(stage.form, Object.keys(recordOf(stage.on)), [...path, 'form']));
    issues.push(...checkBindings(stage.sets, stage.form, [...path, 'sets']));
    for (const [name, outcome] of Object.entries(recordOf(stage.on))) {
      const to = isRecord(outcome) ? outcome.to : outcome;
      const at = isRecord(outcome) ? [...path, 'on', name, 'to'] : [...path, 'on', name];
      edge(to, at, false, (t) => `outcome "${name}" leads to stage "${t}", which does not exist`);
      if (isRecord(outcome)) {
        issues.push(...checkForm(outcome.form, [...path, 'on', name, 'form']));
        // An outcome's bindings name fields of the form it carries: its own, else the stage's.
        issues.push(...checkBindings(outcome.sets, 'form' in outcome ? outcome.form : stage.form, [...path, 'on', name, 'sets']));
      }
    }
    issues.push(...checkEscalation(stage.escalate, [...path, 'escalate'], shop, true));
    const outcomes = Object.keys(recordOf(stage.on));
    if (typeof stage.scanItems === 'string' && !outcomes.includes(stage.scanItems))
      issues.push({
        path: [...path, 'scanItems'],
        message: `scanItems names outcome "${stage.scanItems}", which this stage does not have — its outcomes: ${outcomes.join(', ')}`,
      });
  },
  compile(raw, { guard, clock }): CompiledHumanStage {
    const stage = raw as unknown as RawHumanStage;
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
      ...(stage.scanItems !== undefined && { scanItems: stage.scanItems }),
      outcomes: Object.entries(stage.on).map(([name, outcome]) => {
        if (typeof outcome === 'string') return { name, title: name, to: outcome, form, sets: { ...stageSets } };
        // An outcome's own form comes with its own bindings (none unless it says); otherwise the stage's apply.
        const sets = { ...(outcome.sets ?? (outcome.form ? {} : stageSets)) };
        const own = outcome.form !== undefined || outcome.sets !== undefined;
        return {
          name,
          title: outcome.title ?? name,
          to: outcome.to,
          form: own ? closedForm(outcome.form ?? stage.form ?? ANY_FORM, sets) : form,
          sets,
        };
      }),
      ...guard,
    };
  },
  async run(stage, order, visit) {
    const done = await order.humanTask(stage);
    if (!done) return undefined;
    return decided(stage, order, visit, done, { creditCloser: true });
  },
};

/**
 * What an outcome of a human stage does, whether its task was done or the order arrived with
 * it already decided (a web shop's order comes closed, see OrderWorkflowInput.closed): the
 * figures its form binds, their stock effects, the closer's credit (staff only), the next stage.
 */
export async function decided(
  stage: CompiledHumanStage,
  order: OrderStageServices,
  visit: StageVisitRun,
  done: { outcome: string; actor: string; data?: Record<string, unknown> },
  options: { creditCloser: boolean },
): Promise<string | undefined> {
  Object.assign(visit.record, { outcome: done.outcome, actor: done.actor });
  const chosen = stage.outcomes.find((o) => o.name === done.outcome)!;
  // Only the fields the definition binds to figures change the order; the rest is the task's record.
  const figures = figuresFrom(bindingsOf(chosen), done.data ?? {});
  await order.applyFigures(figures, done.actor, stage.id);
  // What the figures move (ORDER_FIGURES' effects): the items are reserved before the closer is
  // credited, restocks and returned amounts after (the order recorded histories replay).
  const effects = effectsOf(figures);
  if (effects.includes('reserve-stock')) await order.figureEffect('reserve-stock', figures, done.actor);
  if (options.creditCloser) await order.creditCloser(done.actor, stage.role);
  for (const effect of effects) if (effect !== 'reserve-stock') await order.figureEffect(effect, figures, done.actor);
  return chosen.to;
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
      properties: {
        ...properties,
        [field!]: { ...list, items: { ...line, properties: { ...(line.properties as object), sku: { ...sku, format: 'sku' } } } },
      },
    };
  }
  return closeForm(marked);
}
