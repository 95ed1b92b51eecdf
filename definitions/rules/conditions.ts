/**
 * Declarative conditions: a stage's `when`, a courier rule's `when` and a segment's `rule`.
 * The loader compiles the YAML forms into {@link CompiledCondition}; the functions here evaluate
 * them. Pure and deterministic so workflow code may import this module.
 */
import { ownEntry } from './own';

/** Comparison operators a condition may use. A YAML list means `in`, a bare value means `eq`. */
export const OPERATORS = ['eq', 'ne', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte'] as const;
export type Operator = (typeof OPERATORS)[number];

export type Scalar = string | number | boolean;

/** One comparison of a fact with a value, e.g. `{ field: 'order.codAmount', op: 'gte', value: 5000000 }`. */
export interface FieldTest<F extends string = string> {
  field: F;
  op: Operator;
  /** A list for `in` / `notIn`, a single value otherwise. */
  value: Scalar | Scalar[];
}

/**
 * True when every test in `all` holds and, if `any` is not empty, at least one of `any` holds.
 * An empty condition is always true.
 */
export interface CompiledCondition<F extends string = string> {
  all: FieldTest<F>[];
  any: CompiledCondition<F>[];
}

/** Value kinds a fact can have; `refersTo` names the shop list its values must come from. */
export interface FactSpec {
  type: 'string' | 'number' | 'boolean' | 'list';
  refersTo?: 'segment' | 'channel';
  description: string;
}

/** Facts a `when` may test. The workflow supplies them as {@link WhenFacts}. */
export const WHEN_FIELDS = {
  'customer.segment': { type: 'string', refersTo: 'segment', description: 'segment id from shop.yaml (vip, wholesale, loyal, new…)' },
  'customer.returnRate': { type: 'number', description: 'share of the customer’s past orders that were returned, 0…1' },
  'customer.isReturning': { type: 'boolean', description: 'true if the customer has ordered before' },
  'order.codAmount': { type: 'number', description: 'cash to collect on delivery, in the shop currency' },
  'order.total': { type: 'number', description: 'order total, in the shop currency' },
  'order.channel': { type: 'string', refersTo: 'channel', description: 'channel id from shop.yaml the lead came from' },
  'order.province': { type: 'string', description: 'province/city of the shipping address' },
  'order.weightGrams': { type: 'number', description: 'packed weight in grams (known after packing)' },
} as const satisfies Record<string, FactSpec>;

export type WhenField = keyof typeof WHEN_FIELDS;

/** The facts a workflow knows about an order when it evaluates a `when`; missing facts are allowed. */
export interface WhenFacts {
  customer?: { segment?: string; returnRate?: number; isReturning?: boolean };
  order?: {
    codAmount?: number;
    total?: number;
    channel?: string;
    province?: string;
    weightGrams?: number;
  };
}

/** Customer metrics a segment `rule` may test. */
export const SEGMENT_METRICS = {
  deliveredValue12m: { type: 'number', description: 'value of orders delivered in the last 12 months' },
  deliveredOrders: { type: 'number', description: 'number of orders ever delivered' },
  returnRate: { type: 'number', description: 'share of past orders returned, 0…1' },
  orderValue: { type: 'number', description: 'total of the order being placed' },
  flags: { type: 'list', description: 'tags staff put on the customer, e.g. wholesale' },
} as const satisfies Record<string, FactSpec>;

export type SegmentMetric = keyof typeof SEGMENT_METRICS;

/** The metrics the runtime gathers to classify a customer; missing metrics are allowed. */
export type CustomerMetrics = Partial<Record<Exclude<SegmentMetric, 'flags'>, number>> & { flags?: string[] };

/** A customer segment in evaluation order; the first whose rule holds is the customer's segment. */
export interface CompiledSegment {
  id: string;
  title: string;
  /** `otherwise: true` marks the fallback segment (always last). */
  rule: { otherwise: true } | { otherwise: false; condition: CompiledCondition<SegmentMetric> };
}

/** Which courier ships an order: the first rule whose condition holds, else `default`. */
export interface CompiledCourierRule {
  rules: { when: CompiledCondition<WhenField>; courier: string }[];
  default: string;
}

/**
 * Evaluates a condition against facts looked up by field name.
 * Missing facts (undefined/null) fail every test except `ne` and `notIn`; a list-valued fact
 * passes a test if any of its elements does; text compares case-insensitively after Unicode
 * normalisation, so "hà nội" matches "Hà Nội".
 */
export function evaluateCondition<F extends string>(condition: CompiledCondition<F>, factOf: (field: F) => unknown): boolean {
  return (
    condition.all.every((test) => passes(test, factOf(test.field))) &&
    (condition.any.length === 0 || condition.any.some((inner) => evaluateCondition(inner, factOf)))
  );
}

/** Evaluates a stage's or courier rule's `when` against what the workflow knows about the order. */
export function evaluateWhen(condition: CompiledCondition<WhenField>, facts: WhenFacts): boolean {
  return evaluateCondition(condition, (field) => {
    const [scope, name] = field.split('.') as ['customer' | 'order', string];
    return ownEntry(ownEntry(facts as unknown as Record<string, Record<string, unknown> | undefined>, scope), name);
  });
}

/** Picks the courier for an order from a courier stage's rule. */
export function chooseCourier(rule: CompiledCourierRule, facts: WhenFacts): string {
  return rule.rules.find((r) => evaluateWhen(r.when, facts))?.courier ?? rule.default;
}

/** Returns the id of the first segment whose rule holds for the customer (the fallback otherwise). */
export function classifyCustomer(segments: CompiledSegment[], metrics: CustomerMetrics): string {
  const lookup = (metric: SegmentMetric): unknown => metrics[metric];
  const match = segments.find((s) => s.rule.otherwise || evaluateCondition(s.rule.condition, lookup));
  // The loader guarantees a fallback segment; an empty list can only come from hand-built input.
  return match?.id ?? '';
}

function passes(test: FieldTest, actual: unknown): boolean {
  const negated = test.op === 'ne' || test.op === 'notIn';
  if (actual === undefined || actual === null) return negated;
  if (Array.isArray(actual)) {
    if (negated) {
      const positive = { ...test, op: test.op === 'ne' ? 'eq' : 'in' } as FieldTest;
      return !actual.some((element) => passes(positive, element));
    }
    return actual.some((element) => passes(test, element));
  }
  const expected = test.value;
  switch (test.op) {
    case 'eq':
      return same(actual, expected);
    case 'ne':
      return !same(actual, expected);
    case 'in':
      return Array.isArray(expected) && expected.some((v) => same(actual, v));
    case 'notIn':
      return !(Array.isArray(expected) && expected.some((v) => same(actual, v)));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return compareNumbers(test.op, actual, expected);
  }
}

function same(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'string' && typeof expected === 'string') return normalise(actual) === normalise(expected);
  return actual === expected;
}

function normalise(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function compareNumbers(op: 'gt' | 'gte' | 'lt' | 'lte', a: unknown, b: unknown): boolean {
  if (typeof a !== 'number' || typeof b !== 'number' || Number.isNaN(a) || Number.isNaN(b)) return false;
  if (op === 'gt') return a > b;
  if (op === 'gte') return a >= b;
  if (op === 'lt') return a < b;
  return a <= b;
}
