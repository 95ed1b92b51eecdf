/**
 * Forms: the JSON Schemas (draft-07) of data a human step collects. The definition schema already
 * checks a form against the JSON Schema meta-schema; here we also compile it (catching typos the
 * meta-schema allows, e.g. `requried`) and validate submitted data at the edge (task API).
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { addShopFormats, sharedAjv } from '../loading/ajv';
import { didYouMean, formatPath, listNames, type Issue, type PathSegment } from '../loading/errors';
import { isRecord, listOf } from '../loading/plain';
import { pointerToPath, schemaIssues } from '../loading/schema-errors';
import type { FormSchema } from '../types';
import { fieldProblems, tooLargeMessage, type FieldProblem, type WordsLang } from '../rules/field-words';
import { checkFieldBindings, SHOPFLOW_KEYWORD } from './widgets';

/** Keywords of draft-07 plus the annotations Ajv knows, for "did you mean" on typos. */
const KNOWN_KEYWORDS = [
  'type',
  'properties',
  'required',
  'items',
  'enum',
  'const',
  'title',
  'description',
  'default',
  'examples',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minItems',
  'maxItems',
  'uniqueItems',
  'additionalProperties',
  'additionalItems',
  'minProperties',
  'maxProperties',
  'patternProperties',
  'propertyNames',
  'dependencies',
  'contains',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'definitions',
  '$ref',
  '$comment',
  'readOnly',
  SHOPFLOW_KEYWORD,
];

/** Formats ajv-formats provides (the ones a form is likely to use), and shopflow's `sku`. */
const KNOWN_FORMATS = [
  'date',
  'time',
  'date-time',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uri',
  'uri-reference',
  'uuid',
  'regex',
  'sku',
];

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
  issues.push(...openObjects(form, path));
  issues.push(...checkFieldBindings(form, path));
  // Meta-schema violations were already reported by the definition schema; compiling would repeat them.
  const ajv = sharedAjv();
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
    // Inside enum/const/default/examples values are data, not schemas; x-shopflow is an annotation.
    if (!['enum', 'const', 'default', 'examples', 'required', SHOPFLOW_KEYWORD].includes(key))
      issues.push(...undeclaredRequired(child, [...path, key]));
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
 * The Ajv that validates submitted data, made on first use: forms were checked against the
 * meta-schema when their definition was loaded, so this one skips the meta-schema and the
 * definition schemas. Workflow code validates updates with it, and the sandbox gives each
 * workflow fresh module state: the full instance cost every order its construction.
 */
let dataAjv: Ajv | undefined;
function formDataAjv(): Ajv {
  if (dataAjv) return dataAjv;
  dataAjv = new Ajv({ allErrors: true, verbose: true, strict: false, meta: false, validateSchema: false, allowUnionTypes: true });
  addShopFormats(dataAjv);
  return dataAjv;
}

/**
 * Validates data a staff member submits for an outcome against its form, as a closed form: a
 * field the form does not declare is refused (`codAmount: unknown key "codAmount" …`). Returns plain sentences such as `items[0].qty: must be at least 1, not 0`; empty when valid.
 * For the API edge (not workflow code: Ajv generates code at runtime).
 */
export function validateFormData(form: FormSchema, data: unknown): string[] {
  const validate = formValidator(form);
  if (!validate(data)) {
    return schemaIssues(validate.errors).map((issue) =>
      issue.path.length === 0 ? issue.message : `${formatPath(issue.path)}: ${issue.message}`,
    );
  }
  return [
    ...figureIssues(data).map((issue) => (issue.path.length ? `${formatPath(issue.path)}: ${issue.message}` : issue.message)),
    ...whenIssues(form, data).map((w) =>
      w.ticked ? `${w.field}: required when ${w.title} (${w.when}) is ticked` : `${w.field}: only with ${w.title} (${w.when}) ticked`,
    ),
  ];
}

/**
 * Fields shown only when a checkbox beside them is ticked (`x-shopflow: { when: addressChanged }`):
 * required then, refused otherwise (an address the person never saw must not change the order).
 */
function whenIssues(form: FormSchema, data: unknown): Array<{ field: string; when: string; title: string; ticked: boolean }> {
  const properties = isRecord(form.properties) ? form.properties : {};
  if (!isRecord(data)) return [];
  const issues: Array<{ field: string; when: string; title: string; ticked: boolean }> = [];
  for (const [field, schema] of Object.entries(properties)) {
    const binding = isRecord(schema) ? schema[SHOPFLOW_KEYWORD] : undefined;
    const when = isRecord(binding) && typeof binding.when === 'string' ? binding.when : undefined;
    if (!when) continue;
    const ticked = data[when] === true;
    const given = Object.hasOwn(data, field) && data[field] !== undefined && data[field] !== null && data[field] !== '';
    const box = properties[when];
    const title = isRecord(box) && typeof box.title === 'string' ? `"${box.title}"` : when;
    if (ticked !== given) issues.push({ field, when, title, ticked });
  }
  return issues;
}

/**
 * The same check as {@link validateFormData}, worded for the clerk who typed the data: each
 * problem at its path (`items[0].qty` as segments) with a sentence in `lang` naming the field by
 * its title (definitions/rules/field-words.ts). The task API answers with these.
 */
export function formDataProblems(form: FormSchema, data: unknown, lang: WordsLang): FieldProblem[] {
  const validate = formValidator(form);
  if (!validate(data)) return fieldProblems(validate.errors, lang);
  const shownWhen = whenIssues(form, data).map((w) => {
    const field = (() => {
      const f = isRecord(form.properties) ? form.properties[w.field] : undefined;
      return isRecord(f) && typeof f.title === 'string' ? `«${f.title}»` : w.field;
    })();
    const box = w.title.replace(/^"|"$/g, '');
    return {
      path: [w.field],
      message: w.ticked
        ? lang === 'en'
          ? `Fill in ${field}: "${box}" (${w.when}) is ticked`
          : `Cần điền ${field} khi đã tick «${box}» (${w.when})`
        : lang === 'en'
          ? `${field} goes only with "${box}" (${w.when}) ticked`
          : `Chỉ điền ${field} khi tick «${box}» (${w.when})`,
    };
  });
  return [
    ...shownWhen,
    ...figureIssues(data).map((issue) => ({
      path: issue.path,
      message:
        issue.limit === MAX_ITEMS_TOTAL && issue.path.join('.') === 'items' && issue.total !== undefined
          ? lang === 'en'
            ? `The items add up to ${issue.total} VND, more than an order may hold`
            : `Tổng tiền hàng ${issue.total} ₫ vượt quá mức một đơn có thể ghi`
          : tooLargeMessage(issue.limit, lang),
    })),
  ];
}

/** The validator of a form as a closed form, compiled once per content. */
function formValidator(form: FormSchema): ValidateFunction {
  const key = JSON.stringify(form);
  let validate = formValidators.get(key);
  if (!validate) {
    if (formValidators.size >= MAX_CACHED_FORMS) formValidators.clear();
    // Closed here too, not only by the compiler: snapshots compiled before forms were closed are still running.
    const closed = closeForm(form);
    validate = formDataAjv().compile(closed);
    formDataAjv().removeSchema(closed);
    formValidators.set(key, validate);
  }
  return validate;
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
function figureIssues(data: unknown): Array<{ path: PathSegment[]; message: string; limit: number; total?: number }> {
  const issues: Array<{ path: PathSegment[]; message: string; limit: number; total?: number }> = [];
  const walk = (value: unknown, at: PathSegment[]): void => {
    if (typeof value === 'number') {
      if (Math.abs(value) > MAX_FORM_NUMBER)
        issues.push({
          path: at,
          message: `must be between -${MAX_FORM_NUMBER} and ${MAX_FORM_NUMBER}, not ${value}`,
          limit: MAX_FORM_NUMBER,
        });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...at, i]));
    } else if (isRecord(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
    }
  };
  walk(data, []);
  if (issues.length === 0 && isRecord(data) && Array.isArray(data.items)) {
    const total = data.items.reduce(
      (sum: number, item: unknown) =>
        sum + (isRecord(item) && typeof item.qty === 'number' && typeof item.price === 'number' ? item.qty * item.price : 0),
      0,
    );
    if (total > MAX_ITEMS_TOTAL)
      issues.push({
        path: ['items'],
        message: `the items add up to ${total} VND, more than the ${MAX_ITEMS_TOTAL} an order may hold`,
        limit: MAX_ITEMS_TOTAL,
        total,
      });
  }
  return issues;
}

/** Keywords whose subschemas describe the same object as their parent (their properties are the parent's). */
const SAME_OBJECT = ['allOf', 'anyOf', 'oneOf', 'then', 'else'] as const;

/** Whether a schema node describes an object (so it has fields that can be closed). */
function isObjectSchema(schema: Record<string, unknown>): boolean {
  const type = schema.type;
  if (type === 'object' || (Array.isArray(type) && type.includes('object'))) return true;
  return type === undefined && (isRecord(schema.properties) || isRecord(schema.patternProperties));
}

/** An open object in a form is an error: forms are closed, so `additionalProperties` may only be false. */
function openObjects(schema: unknown, path: PathSegment[]): Issue[] {
  if (Array.isArray(schema)) return schema.flatMap((child, i) => openObjects(child, [...path, i]));
  if (!isRecord(schema)) return [];
  const issues: Issue[] = [];
  if ('additionalProperties' in schema && schema.additionalProperties !== false) {
    issues.push({
      path: [...path, 'additionalProperties'],
      message:
        'a form is closed: it accepts only the fields listed under properties — list each field there and remove additionalProperties (or set it to false)',
    });
  }
  for (const [key, child] of Object.entries(schema)) {
    if (SCHEMA_MAPS.includes(key) && isRecord(child)) {
      for (const [name, sub] of Object.entries(child)) issues.push(...openObjects(sub, [...path, key, name]));
    } else if (!['enum', 'const', 'default', 'examples', 'required', 'additionalProperties', SHOPFLOW_KEYWORD].includes(key)) {
      issues.push(...openObjects(child, [...path, key]));
    }
  }
  return issues;
}

/** Keywords whose value maps names to schemas (the names are data, the values schemas). */
const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', 'dependencies'];

/**
 * The form closed: every object in it (the form, nested objects, list items, definitions) accepts
 * only the fields it declares — `additionalProperties: false` wherever the YAML left it out. A
 * field declared only inside `allOf`/`anyOf`/`oneOf`/`then`/`else` counts as declared by the object
 * around it (added to its properties as "any value"; the branch still checks it). `if` and `not`
 * are left as written: closing them would change what they match. Returns a copy.
 */
export function closeForm(form: FormSchema): FormSchema {
  return close(form, false) as FormSchema;
}

function close(schema: unknown, inBranch: boolean): unknown {
  if (Array.isArray(schema)) return schema.map((child) => close(child, inBranch));
  if (!isRecord(schema)) return schema;
  const out: Record<string, unknown> = { ...schema };
  const mapValues = (value: unknown) =>
    isRecord(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, close(v, false)])) : value;
  if ('properties' in out) out.properties = mapValues(out.properties);
  if ('patternProperties' in out) out.patternProperties = mapValues(out.patternProperties);
  if ('definitions' in out) out.definitions = mapValues(out.definitions);
  if ('dependencies' in out && isRecord(out.dependencies)) {
    out.dependencies = Object.fromEntries(Object.entries(out.dependencies).map(([k, v]) => [k, Array.isArray(v) ? v : close(v, true)]));
  }
  for (const key of ['items', 'additionalItems', 'contains'] as const) if (key in out) out[key] = close(out[key], false);
  for (const key of SAME_OBJECT) if (key in out) out[key] = close(out[key], true);
  if (
    !inBranch &&
    isObjectSchema(out) &&
    (out.additionalProperties === undefined || out.additionalProperties === true || isRecord(out.additionalProperties))
  ) {
    const declared = isRecord(out.properties) ? { ...out.properties } : {};
    for (const name of branchProperties(out)) if (!Object.hasOwn(declared, name)) declared[name] = true;
    if (Object.keys(declared).length > 0 || 'properties' in out) out.properties = declared;
    out.additionalProperties = false;
  }
  return out;
}

/** Property names declared by the branches (allOf/anyOf/oneOf/then/else, nested) of one object schema. */
function branchProperties(schema: Record<string, unknown>): string[] {
  const names: string[] = [];
  const visit = (branch: unknown) => {
    if (Array.isArray(branch)) return branch.forEach(visit);
    if (!isRecord(branch)) return;
    if (isRecord(branch.properties)) names.push(...Object.keys(branch.properties));
    if (isRecord(branch.dependencies)) Object.values(branch.dependencies).forEach(visit);
    for (const key of SAME_OBJECT) visit(branch[key]);
  };
  for (const key of SAME_OBJECT) visit(schema[key]);
  if (isRecord(schema.dependencies)) Object.values(schema.dependencies).forEach(visit);
  return names;
}

/**
 * The SKUs in task data: strings at positions whose schema says `format: sku` (the compiler marks
 * the `sku` of lines bound to items, returnedItems and restockedItems; a form may mark any other
 * field), with their paths (`items[0].sku`). Data is assumed valid against the form.
 */
export function skusIn(form: FormSchema, data: unknown): Array<{ path: string; sku: string }> {
  const found: Array<{ path: string; sku: string }> = [];
  const definitions = isRecord(form.definitions) ? form.definitions : {};
  const walk = (schema: unknown, value: unknown, at: PathSegment[], depth: number): void => {
    if (!isRecord(schema) || depth > 32) return;
    if (typeof schema.$ref === 'string') {
      const name = /^#\/definitions\/([^/]+)$/.exec(schema.$ref)?.[1];
      if (name !== undefined && Object.hasOwn(definitions, name)) walk(definitions[name], value, at, depth + 1);
    }
    if (schema.format === 'sku' && typeof value === 'string') found.push({ path: formatPath(at), sku: value });
    for (const key of SAME_OBJECT)
      listOf(key === 'then' || key === 'else' ? [schema[key]] : schema[key]).forEach((b) => walk(b, value, at, depth + 1));
    if (isRecord(value) && isRecord(schema.properties)) {
      for (const [name, child] of Object.entries(schema.properties))
        if (Object.hasOwn(value, name)) walk(child, value[name], [...at, name], depth + 1);
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(Array.isArray(schema.items) ? schema.items[i] : schema.items, item, [...at, i], depth + 1));
    }
  };
  walk(form, data, [], 0);
  const seen = new Set<string>();
  return found.filter((f) => (seen.has(f.path) ? false : (seen.add(f.path), true)));
}
