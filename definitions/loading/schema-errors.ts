/**
 * Turns Ajv's errors into sentences a shop admin understands, each with the path it is about.
 * Also used for form data staff submit, so the same wording reaches the task API.
 */
import type { ErrorObject } from 'ajv';
import { didYouMean, listNames, type Issue, type PathSegment } from './errors';
import { isRecord, show } from './plain';

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
  null: 'empty',
};

/** Hints for the patterns our schemas use, keyed by the pattern itself. */
const PATTERN_HINTS: Record<string, string> = {
  '^[a-z][a-z0-9]*(-[a-z0-9]+)*$': 'use lowercase letters, digits and dashes, starting with a letter (e.g. sales-lead)',
  '^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$': 'write hours as HH:MM-HH:MM, e.g. 08:00-17:30',
  '^[A-Z][A-Z0-9_]*$': 'use an environment variable name such as GHN_TOKEN',
  '^[A-Z]{3}$': 'use a 3-letter currency code such as VND',
  '^[a-z]{2}(-[A-Z]{2})?$': 'use a locale such as vi-VN',
  '^otherwise$': 'a segment rule is either otherwise or conditions such as { deliveredOrders: { gte: 3 } }',
};

const FORMAT_NAMES: Record<string, string> = {
  date: 'date (YYYY-MM-DD)',
  uri: 'URL (e.g. https://example.com)',
  email: 'email address',
};

/** Converts Ajv errors (from a validator run with `allErrors` and `verbose`) into issues. */
export function schemaIssues(errors: readonly ErrorObject[] | null | undefined, base: PathSegment[] = []): Issue[] {
  // `if` errors only say "must match then"; the errors from `then` say what is wrong.
  const remaining = (errors ?? []).filter((e) => e.keyword !== 'if');
  const issues: Issue[] = [];

  // anyOf/oneOf (only in the JSON Schema meta-schema, i.e. inside forms): one message per group.
  // Ajv reports a group's branch errors right before the group error; their schemaPaths are
  // relative to $ref targets, so membership is by position and instance path instead.
  const consumed = new Set<ErrorObject>();
  remaining.forEach((group, index) => {
    if ((group.keyword !== 'anyOf' && group.keyword !== 'oneOf') || consumed.has(group)) return;
    const members: ErrorObject[] = [];
    for (let k = index - 1; k >= 0 && within(remaining[k].instancePath, group.instancePath); k--) {
      members.push(remaining[k]);
    }
    members.forEach((e) => consumed.add(e));
    consumed.add(group);
    issues.push({ path: [...base, ...pointerToPath(group.instancePath)], message: describeGroup(group, members) });
  });

  for (const error of remaining) {
    if (consumed.has(error)) continue;
    // Errors inside `propertyNames` are reported once, by the propertyNames error itself.
    if ((error as ErrorObject & { propertyName?: string }).propertyName !== undefined) continue;
    issues.push(describe(error, base));
  }
  return dedupe(issues);
}

function describe(error: ErrorObject, base: PathSegment[]): Issue {
  const path = [...base, ...pointerToPath(error.instancePath)];
  const params = error.params as Record<string, unknown>;
  const value = error.data;
  const schema = isRecord(error.parentSchema) ? error.parentSchema : {};
  switch (error.keyword) {
    case 'type':
      return { path, message: `must be ${typeList(params.type)}, not ${describeValue(value)}` };
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(isRecord(schema.properties) ? schema.properties : {});
      return {
        path: [...path, key],
        at: 'key',
        message: `unknown key "${key}"${didYouMean(key, allowed)} — allowed here: ${listNames(allowed)}`,
      };
    }
    case 'required': {
      const key = String(params.missingProperty);
      const property = isRecord(schema.properties) ? schema.properties[key] : undefined;
      const help = isRecord(property) && typeof property.description === 'string' ? ` (${property.description})` : '';
      return { path: [...path, key], message: `missing required key "${key}"${help}` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const typo = typeof value === 'string' ? didYouMean(value, allowed) : '';
      return { path, message: `${show(value)} is not allowed here${typo} — allowed: ${listNames(allowed)}` };
    }
    case 'const':
      return { path, message: `must be ${show(params.allowedValue)}, not ${show(value)}` };
    case 'pattern': {
      const hint = PATTERN_HINTS[String(params.pattern)] ?? `it must match ${String(params.pattern)}`;
      return { path, message: `${show(value)} has the wrong form — ${hint}` };
    }
    case 'format':
      return { path, message: `${show(value)} is not a valid ${FORMAT_NAMES[String(params.format)] ?? String(params.format)}` };
    case 'propertyNames': {
      const name = String(params.propertyName);
      return {
        path: [...path, name],
        at: 'key',
        message: `"${name}" is not a valid id — ${PATTERN_HINTS['^[a-z][a-z0-9]*(-[a-z0-9]+)*$']}`,
      };
    }
    case 'minItems':
      return { path, message: params.limit === 1 ? 'must not be an empty list' : `needs at least ${params.limit} items` };
    case 'maxItems':
      return { path, message: `may have at most ${params.limit} items` };
    case 'minProperties':
      return { path, message: params.limit === 1 ? 'must not be empty' : `needs at least ${params.limit} entries` };
    case 'minLength':
      return { path, message: params.limit === 1 ? 'must not be empty' : `must be at least ${params.limit} characters` };
    case 'maxLength':
      return { path, message: `must be at most ${params.limit} characters` };
    case 'minimum':
      return { path, message: `must be at least ${params.limit}, not ${show(value)}` };
    case 'maximum':
      return { path, message: `must be at most ${params.limit}, not ${show(value)}` };
    case 'exclusiveMinimum':
      return { path, message: `must be greater than ${params.limit}, not ${show(value)}` };
    case 'exclusiveMaximum':
      return { path, message: `must be less than ${params.limit}, not ${show(value)}` };
    case 'uniqueItems': {
      const later = Math.max(Number(params.i), Number(params.j));
      const item = Array.isArray(value) ? value[later] : undefined;
      return { path: [...path, later], message: `${show(item)} is listed twice` };
    }
    default:
      return { path, message: error.message ?? `fails the "${error.keyword}" rule` };
  }
}

function describeGroup(group: ErrorObject, members: ErrorObject[]): string {
  const allowed = new Set<string>();
  const types = new Set<string>();
  for (const member of members) {
    if (member.instancePath !== group.instancePath) continue;
    if (member.keyword === 'enum') (member.params.allowedValues as unknown[]).forEach((v) => allowed.add(String(v)));
    if (member.keyword === 'const') allowed.add(String(member.params.allowedValue));
    if (member.keyword === 'type')
      String(member.params.type)
        .split(',')
        .forEach((t) => types.add(t));
  }
  const value = group.data;
  if (allowed.size > 0) {
    const names = [...allowed];
    const typo = typeof value === 'string' ? didYouMean(value, names) : '';
    return `${show(value)} is not allowed here${typo} — allowed: ${listNames(names)}`;
  }
  if (types.size > 0) return `must be ${typeList([...types].join(','))}, not ${describeValue(value)}`;
  return `${show(value)} does not match any of the allowed forms`;
}

function within(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

function typeList(types: unknown): string {
  const names = String(types)
    .split(',')
    .map((t) => TYPE_NAMES[t] ?? t);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'string') return `text ${show(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  return show(value);
}

/** JSON Pointer (`/spec/stages/3/role`) to path segments; list indexes become numbers. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment));
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${JSON.stringify(issue.path)} ${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
