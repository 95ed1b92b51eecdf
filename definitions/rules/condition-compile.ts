/**
 * Checks and compiles the YAML condition language used by `when` (stages, courier rules) and
 * segment rules:
 *   { field: value }            equals
 *   { field: [a, b] }           is one of
 *   { field: { gte: 3, lt: 9 } } operators eq, ne, in, notIn, gt, gte, lt, lte (all must hold)
 *   several fields              all must hold
 *   any: [ {...}, {...} ]       at least one must hold
 */
import { ownEntry } from './own';
import { OPERATORS, type CompiledCondition, type FactSpec, type FieldTest, type Operator, type Scalar } from './conditions';
import { didYouMean, listNames, type Issue, type PathSegment } from '../loading/errors';
import { isRecord, show, type PlainRecord } from '../loading/plain';

/** Names a condition's values may refer to (segment ids, channel ids), when they are known. */
export interface ConditionNames {
  segment?: readonly string[];
  channel?: readonly string[];
}

const NUMERIC_OPERATORS: ReadonlySet<string> = new Set(['gt', 'gte', 'lt', 'lte']);

/** Checks value types, numeric operators and referenced names; unknown fields/operators are the schema's job. */
export function checkCondition(raw: unknown, path: PathSegment[], fields: Record<string, FactSpec>, names: ConditionNames): Issue[] {
  if (!isRecord(raw)) return [];
  const issues: Issue[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'any') {
      if (Array.isArray(value)) value.forEach((inner, i) => issues.push(...checkCondition(inner, [...path, key, i], fields, names)));
      continue;
    }
    const spec = ownEntry(fields, key);
    if (!spec) continue;
    for (const { op, value: expected, at } of comparisons(value, [...path, key])) {
      if (NUMERIC_OPERATORS.has(op) && spec.type !== 'number') {
        issues.push({ path: at, message: `"${op}" compares numbers, but ${key} is ${kindName(spec)} — use a value or a list` });
        continue;
      }
      const values = Array.isArray(expected) ? expected : [expected];
      values.forEach((v, i) => {
        const vPath = Array.isArray(expected) ? [...at, i] : at;
        const issue = checkValue(key, spec, v, vPath, names);
        if (issue) issues.push(issue);
      });
    }
  }
  return issues;
}

function checkValue(field: string, spec: FactSpec, value: unknown, path: PathSegment[], names: ConditionNames): Issue | undefined {
  const expectedType = spec.type === 'list' ? 'string' : spec.type;
  if (typeof value !== expectedType) {
    return { path, message: `${field} is ${kindName(spec)}, so compare it with ${kindName(spec)}, not ${show(value)}` };
  }
  const known = spec.refersTo ? ownEntry(names as unknown as Record<string, readonly string[]>, spec.refersTo) : undefined;
  if (known && typeof value === 'string' && !known.includes(value)) {
    return {
      path,
      message: `unknown ${spec.refersTo} "${value}"${didYouMean(value, known)} — known ${spec.refersTo}s: ${listNames(known)}`,
    };
  }
  return undefined;
}

function kindName(spec: FactSpec): string {
  return { string: 'text', number: 'a number', boolean: 'true or false', list: 'text' }[spec.type];
}

/** The comparisons one field's condition stands for, with where each is written. */
function comparisons(value: unknown, path: PathSegment[]): { op: Operator; value: unknown; at: PathSegment[] }[] {
  if (Array.isArray(value)) return [{ op: 'in', value, at: path }];
  if (isRecord(value)) {
    return Object.entries(value)
      .filter(([op]) => (OPERATORS as readonly string[]).includes(op))
      .map(([op, v]) => ({ op: op as Operator, value: v, at: [...path, op] }));
  }
  return [{ op: 'eq', value, at: path }];
}

/** Compiles a checked condition; keys are kept in written order. */
export function compileCondition<F extends string>(raw: PlainRecord): CompiledCondition<F> {
  const all: FieldTest<F>[] = [];
  const any: CompiledCondition<F>[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'any') {
      (value as PlainRecord[]).forEach((inner) => any.push(compileCondition<F>(inner)));
      continue;
    }
    for (const { op, value: expected } of comparisons(value, [])) {
      all.push({ field: key as F, op, value: expected as Scalar | Scalar[] });
    }
  }
  return { all, any };
}
