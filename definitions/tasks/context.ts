/**
 * What a task shows beside its form: the facts its subject already knows that the person needs to
 * do the step (the packer the items, CSKH the items, address and COD to read back, accounting the
 * amount and account CSKH agreed, the failed-delivery call the courier's reason). Declared on the
 * form's root as `x-shopflow: { show: [order.items, order.codAmount, …] }`, checked by the loader;
 * the task API reads the facts when it serves the task (server/tasks/context.ts).
 *
 * `x-shopflow: { suggest: { return: { shipment.state: [returning, returned] } } }` on the same root
 * says which outcome the console preselects from what is known (the first whose facts match); a
 * stage that suggests and matches none preselects nothing, one that does not suggest preselects its
 * forward outcome. Pure: workflow-safe, imported by the loader, the server and the console.
 */
import { didYouMean, listNames, type Issue, type PathSegment } from '../loading/errors';
import { isRecord } from '../loading/plain';

/** How the console draws a fact. */
export type ContextShape = 'text' | 'money' | 'number' | 'items' | 'address' | 'fields';

/** Every fact a task may show, with its shape and what it means (for admins and docs). */
export const CONTEXT_FACTS = {
  'customer.name': { shape: 'text', means: 'the name the order carries (else the customer record)' },
  'customer.phone': { shape: 'text', means: 'the phone the order carries (else the customer record)' },
  'order.items': { shape: 'items', means: 'the agreed items with quantities, unit prices and line totals' },
  'order.total': { shape: 'money', means: 'the order value, VND' },
  'order.shippingFee': { shape: 'money', means: 'the shipping fee the customer pays, VND' },
  'order.codAmount': { shape: 'money', means: 'the amount the courier collects (COD), VND' },
  'order.shippingAddress': { shape: 'address', means: 'where the parcel goes' },
  'order.note': { shape: 'text', means: "the courier's note" },
  'order.weightGrams': { shape: 'number', means: 'the packed weight, grams' },
  'shipment.courier': { shape: 'text', means: 'the courier carrying the parcel' },
  'shipment.trackingCode': { shape: 'text', means: "the parcel's tracking code" },
  'shipment.state': { shape: 'text', means: "the courier's latest reported state (delivery_failed, returning, returned…)" },
  'shipment.status': { shape: 'text', means: "the courier's latest status in its own words" },
  'shipment.reason': { shape: 'text', means: 'the reason the courier gave with its latest failure or return report' },
  'complaint.category': { shape: 'text', means: "the complaint's category" },
  'complaint.description': { shape: 'text', means: 'what the customer complained about' },
  'complaint.decision': {
    shape: 'fields',
    means: 'what CSKH entered when settling the complaint (amount, method, bank account…), with the form titles',
  },
} as const satisfies Record<string, { shape: ContextShape; means: string }>;
export type ContextFact = keyof typeof CONTEXT_FACTS;
export const CONTEXT_FACT_NAMES = Object.keys(CONTEXT_FACTS) as ContextFact[];

/** Facts a suggestion may test (text facts known when the task is served). */
export const SUGGEST_FACTS = ['shipment.state', 'shipment.courier', 'customer.name'] as const satisfies readonly ContextFact[];

/** A form root's `show` and `suggest`, as compiled (plain data, stored on the task row with the form). */
export interface TaskContextSpec {
  show: ContextFact[];
  /** Outcome → fact → the values that suggest it. In the order written. */
  suggest?: Record<string, Record<string, string[]>>;
}

/** The `show` and `suggest` of a form root, if it declares them (nothing is assumed otherwise). */
export function contextSpecOf(form: unknown): TaskContextSpec | undefined {
  const binding = isRecord(form) ? form['x-shopflow'] : undefined;
  if (!isRecord(binding) || (binding.show === undefined && binding.suggest === undefined)) return undefined;
  const show = (Array.isArray(binding.show) ? binding.show : []).filter(
    (f): f is ContextFact => typeof f === 'string' && Object.hasOwn(CONTEXT_FACTS, f),
  );
  const suggest = isRecord(binding.suggest) ? (binding.suggest as Record<string, Record<string, string[]>>) : undefined;
  return { show, ...(suggest && { suggest }) };
}

/**
 * The outcome to preselect: the first of `suggest` whose facts all match what is known; none
 * (null) when the form suggests and nothing matches; else the forward outcome.
 */
export function suggestedOutcome(
  spec: TaskContextSpec | undefined,
  outcomes: string[],
  known: Partial<Record<ContextFact, unknown>>,
): string | null {
  if (!spec?.suggest) return outcomes[0] ?? null;
  for (const [outcome, tests] of Object.entries(spec.suggest)) {
    if (!outcomes.includes(outcome)) continue;
    const holds = Object.entries(tests).every(([fact, values]) => {
      const value = Object.hasOwn(known, fact) ? known[fact as ContextFact] : undefined;
      return typeof value === 'string' && values.includes(value);
    });
    if (holds) return outcome;
  }
  return null;
}

/** Issues of a form root's `show` (at `at`, the x-shopflow path). */
export function checkShow(show: unknown, at: PathSegment[]): Issue[] {
  if (!Array.isArray(show)) return [{ path: at, message: 'show lists the facts the task shows, e.g. [order.items, order.codAmount]' }];
  const issues: Issue[] = [];
  show.forEach((fact, i) => {
    if (typeof fact !== 'string' || !Object.hasOwn(CONTEXT_FACTS, fact))
      issues.push({
        path: [...at, i],
        message: `unknown fact ${JSON.stringify(fact)}${typeof fact === 'string' ? didYouMean(fact, CONTEXT_FACT_NAMES) : ''} — facts a task can show: ${listNames(CONTEXT_FACT_NAMES)}`,
      });
    else if (show.indexOf(fact) !== i) issues.push({ path: [...at, i], message: `"${fact}" is listed twice` });
  });
  return issues;
}

/** Issues of a form root's `suggest`; outcome names are checked by the stage that knows them (`checkSuggestOutcomes`). */
export function checkSuggest(suggest: unknown, at: PathSegment[]): Issue[] {
  const shape = 'suggest maps an outcome to the facts that suggest it, e.g. { return: { shipment.state: [returning, returned] } }';
  if (!isRecord(suggest)) return [{ path: at, message: shape }];
  const issues: Issue[] = [];
  for (const [outcome, tests] of Object.entries(suggest)) {
    if (!isRecord(tests) || Object.keys(tests).length === 0) {
      issues.push({ path: [...at, outcome], message: shape });
      continue;
    }
    for (const [fact, values] of Object.entries(tests)) {
      if (!(SUGGEST_FACTS as readonly string[]).includes(fact))
        issues.push({
          path: [...at, outcome, fact],
          at: 'key',
          message: `"${fact}" cannot suggest an outcome${didYouMean(fact, SUGGEST_FACTS)} — facts: ${listNames(SUGGEST_FACTS)}`,
        });
      else if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string' && v.trim()))
        issues.push({ path: [...at, outcome, fact], message: 'a list of values (text), e.g. [returning, returned]' });
    }
  }
  return issues;
}

/** `suggest` names outcomes the stage has (`formPath`: where the form sits in the definition). */
export function checkSuggestOutcomes(form: unknown, outcomes: string[], formPath: PathSegment[]): Issue[] {
  const binding = isRecord(form) ? form['x-shopflow'] : undefined;
  const suggest = isRecord(binding) ? binding.suggest : undefined;
  if (!isRecord(suggest)) return [];
  return Object.keys(suggest)
    .filter((o) => !outcomes.includes(o))
    .map((o) => ({
      path: [...formPath, 'x-shopflow', 'suggest', o],
      at: 'key' as const,
      message: `"${o}" is not an outcome of this stage${didYouMean(o, outcomes)} — its outcomes: ${listNames(outcomes)}`,
    }));
}
