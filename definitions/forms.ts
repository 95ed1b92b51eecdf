/**
 * Forms: the JSON Schemas (draft-07) of data a human step collects. The definition schema already
 * checks a form against the JSON Schema meta-schema; here we also compile it (catching typos the
 * meta-schema allows, e.g. `requried`) and validate submitted data at the edge (task API).
 */
import type { ValidateFunction } from 'ajv';
import { ajv } from './ajv';
import { didYouMean, formatPath, listNames, type Issue, type PathSegment } from './errors';
import { isRecord } from './plain';
import { pointerToPath, schemaIssues } from './schema-errors';
import type { FormSchema } from './types';

/** Keywords of draft-07 plus the annotations Ajv knows, for "did you mean" on typos. */
const KNOWN_KEYWORDS = [
  'type', 'properties', 'required', 'items', 'enum', 'const', 'title', 'description', 'default', 'examples',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength',
  'pattern', 'format', 'minItems', 'maxItems', 'uniqueItems', 'additionalProperties', 'additionalItems',
  'minProperties', 'maxProperties', 'patternProperties', 'propertyNames', 'dependencies', 'contains',
  'anyOf', 'oneOf', 'allOf', 'not', 'if', 'then', 'else', 'definitions', '$ref', '$comment', 'readOnly',
];

/** Formats ajv-formats provides (the ones a form is likely to use). */
const KNOWN_FORMATS = ['date', 'time', 'date-time', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'uri-reference', 'uuid', 'regex'];

/** Checks that a form (at `path`) can be used: an object schema that compiles. */
export function checkForm(form: unknown, path: PathSegment[]): Issue[] {
  if (!isRecord(form)) return []; // the definition schema reports non-objects
  const issues: Issue[] = [];
  if (form.type !== 'object') {
    issues.push({ path: [...path, 'type'], message: 'a form collects named fields, so it must have type: object' });
  }
  if ('$id' in form) {
    issues.push({ path: [...path, '$id'], at: 'key', message: 'a form must not have $id — it is identified by its stage' });
  }
  // Meta-schema violations were already reported by the definition schema; compiling would repeat them.
  if (issues.length > 0 || !ajv.validateSchema(form)) return issues;
  issues.push(...undeclaredRequired(form, path));
  try {
    ajv.compile(form);
  } catch (error) {
    issues.push(compileIssue((error as Error).message, form, path));
  } finally {
    ajv.removeSchema(form); // checked, not kept: the loader runs for every upload
  }
  return issues;
}

/** `required: [phnoe]` beside `properties: { phone }` is a typo: the field could never be filled in. */
function undeclaredRequired(schema: unknown, path: PathSegment[]): Issue[] {
  if (Array.isArray(schema)) return schema.flatMap((child, i) => undeclaredRequired(child, [...path, i]));
  if (!isRecord(schema)) return [];
  const issues: Issue[] = [];
  if (Array.isArray(schema.required) && isRecord(schema.properties)) {
    const declared = Object.keys(schema.properties);
    schema.required.forEach((name, i) => {
      if (typeof name === 'string' && !declared.includes(name)) {
        issues.push({
          path: [...path, 'required', i],
          message: `"${name}" is required but is not one of the properties${didYouMean(name, declared)} — properties: ${listNames(declared)}`,
        });
      }
    });
  }
  for (const [key, child] of Object.entries(schema)) {
    // Inside enum/const/default/examples values are data, not schemas.
    if (!['enum', 'const', 'default', 'examples', 'required'].includes(key)) issues.push(...undeclaredRequired(child, [...path, key]));
  }
  return issues;
}

function compileIssue(message: string, form: Record<string, unknown>, path: PathSegment[]): Issue {
  const unknownKeyword = /unknown keyword: "([^"]+)"/.exec(message)?.[1];
  if (unknownKeyword !== undefined) {
    return {
      path: [...path, ...(findKey(form, unknownKeyword) ?? [])],
      at: 'key',
      message: `"${unknownKeyword}" is not a JSON Schema keyword${didYouMean(unknownKeyword, KNOWN_KEYWORDS)}`,
    };
  }
  const unknownFormat = /unknown format "([^"]+)" ignored in schema at path "#([^"]*)"/.exec(message);
  if (unknownFormat) {
    return {
      path: [...path, ...pointerToPath(unknownFormat[2]), 'format'],
      message: `unknown format "${unknownFormat[1]}"${didYouMean(unknownFormat[1], KNOWN_FORMATS)} — known formats: ${listNames(KNOWN_FORMATS)}`,
    };
  }
  return { path, message: `the form is not a usable JSON Schema: ${message.replace(/^strict mode: /, '')}` };
}

/** Path of the first place (depth-first, in written order) where `key` is an object key. */
function findKey(value: unknown, key: string, at: PathSegment[] = []): PathSegment[] | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findKey(value[i], key, [...at, i]);
      if (found) return found;
    }
  } else if (isRecord(value)) {
    if (key in value) return [...at, key];
    for (const [name, child] of Object.entries(value)) {
      const found = findKey(child, key, [...at, name]);
      if (found) return found;
    }
  }
  return undefined;
}

/** Validators for forms seen at runtime, by content (snapshots arrive as fresh objects). */
const formValidators = new Map<string, ValidateFunction>();
const MAX_CACHED_FORMS = 500;

/**
 * Validates data a staff member submits for an outcome against its form.
 * Returns plain sentences such as `items[0].qty: must be at least 1, not 0`; empty when valid.
 * For the API edge (not workflow code: Ajv generates code at runtime).
 */
export function validateFormData(form: FormSchema, data: unknown): string[] {
  const key = JSON.stringify(form);
  let validate = formValidators.get(key);
  if (!validate) {
    if (formValidators.size >= MAX_CACHED_FORMS) formValidators.clear();
    validate = ajv.compile(form);
    ajv.removeSchema(form);
    formValidators.set(key, validate);
  }
  if (!validate(data)) {
    return schemaIssues(validate.errors).map((issue) =>
      issue.path.length === 0 ? issue.message : `${formatPath(issue.path)}: ${issue.message}`,
    );
  }
  return figureIssues(data);
}

/**
 * Largest number a task's data may carry, whatever its form says: the order's figures, quantities
 * and money are stored in PostgreSQL `integer` columns (VND up to 2 147 483 647, about 2.1 tỷ).
 * A form without `maximum` must not let a typo of extra zeros through, where it would overflow a
 * column and leave the order's next step retrying forever.
 */
export const MAX_FORM_NUMBER = 2_147_483_647;
/** Largest order value the items may add up to (Σ qty × price), VND: the order's total column. */
export const MAX_ITEMS_TOTAL = 2_147_483_647;

/** Numbers beyond MAX_FORM_NUMBER anywhere in the data, and items whose value adds up beyond MAX_ITEMS_TOTAL. */
function figureIssues(data: unknown): string[] {
  const issues: string[] = [];
  const walk = (value: unknown, at: PathSegment[]): void => {
    if (typeof value === 'number') {
      if (Math.abs(value) > MAX_FORM_NUMBER) issues.push(`${at.length ? `${formatPath(at)}: ` : ''}must be between -${MAX_FORM_NUMBER} and ${MAX_FORM_NUMBER}, not ${value}`);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...at, i]));
    } else if (isRecord(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
    }
  };
  walk(data, []);
  if (issues.length === 0 && isRecord(data) && Array.isArray(data.items)) {
    const total = data.items.reduce((sum: number, item: unknown) =>
      sum + (isRecord(item) && typeof item.qty === 'number' && typeof item.price === 'number' ? item.qty * item.price : 0), 0);
    if (total > MAX_ITEMS_TOTAL) issues.push(`items: the items add up to ${total} VND, more than the ${MAX_ITEMS_TOTAL} an order may hold`);
  }
  return issues;
}
