/**
 * `x-shopflow`: what a form field is in the shop, beside its JSON Schema. A field may name the
 * widget the console draws for it (`product-picker`, `address`, `phone`, `money`), a fact the
 * server fills it in from when it serves the task (`default: { from: lead.customer.phone }`), and,
 * for money, the sibling fields it adds up (`sum: [items, shippingFee]`: COD = the items' value +
 * the fee, still editable). The keyword is an annotation for validation (Ajv ignores it when it
 * checks data); these checks make sure a definition's bindings can work, at their paths.
 * Pure and light: workflow code imports the form checks that call it.
 */
import { didYouMean, listNames, type Issue, type PathSegment } from '../loading/errors';
import { isRecord, type PlainRecord } from '../loading/plain';
import { normalizePhone } from '../rules/phone';
import { checkShow, checkSuggest } from './context';

/** The keyword's name (an `x-` extension, as OpenAPI and JSON Schema tools expect). */
export const SHOPFLOW_KEYWORD = 'x-shopflow';

/** Widgets the console knows. */
export const WIDGETS = ['product-picker', 'address', 'phone', 'money'] as const;
export type Widget = (typeof WIDGETS)[number];

/** What a fact looks like, so a binding can be checked against the field it fills. */
type FactShape = 'text' | 'address-text' | 'address' | 'money' | 'number' | 'items' | 'lines';

/**
 * The facts a field may be filled in from: the lead the order started with, the customer's record,
 * and the order's figures as the order's finished steps set them (`sets`). Nothing else: a
 * definition cannot read the database or another order.
 */
export const FORM_FACTS = {
  'lead.customer.name': { shape: 'text', means: "the customer's name on the lead" },
  'lead.customer.phone': { shape: 'text', means: "the customer's phone on the lead (0xxxxxxxxx)" },
  'lead.customer.address': { shape: 'address-text', means: 'the address the customer wrote on the lead (free text)' },
  'lead.note': { shape: 'text', means: "the lead's note (what the customer asked for)" },
  'lead.channel': { shape: 'text', means: 'the channel the lead came from' },
  'lead.campaign': { shape: 'text', means: "the lead's campaign" },
  'customer.name': { shape: 'text', means: "the name on the customer's record" },
  'customer.phone': { shape: 'text', means: "the customer's phone" },
  'customer.address': { shape: 'address', means: "the customer's default delivery address (else the first lead's text)" },
  'order.customerName': { shape: 'text', means: 'the name the order carries' },
  'order.phone': { shape: 'text', means: 'the phone the order carries' },
  'order.items': { shape: 'items', means: 'the agreed items [{ sku, name, qty, price }]' },
  'order.shippingAddress': { shape: 'address', means: 'where the parcel goes { street, ward, province }' },
  'order.codAmount': { shape: 'money', means: 'the amount the courier collects (COD), VND' },
  'order.total': { shape: 'money', means: 'the order value, VND' },
  'order.shippingFee': { shape: 'money', means: 'the shipping fee the customer pays, VND' },
  'order.note': { shape: 'text', means: "the courier's note" },
  'order.weightGrams': { shape: 'number', means: 'parcel weight in grams' },
  'order.returnedItems': { shape: 'lines', means: 'what came back [{ sku, qty }]' },
  'order.restockedItems': { shape: 'lines', means: 'what went back on hand [{ sku, qty }]' },
} as const satisfies Record<string, { shape: FactShape; means: string }>;
export type FormFact = keyof typeof FORM_FACTS;
export const FORM_FACT_NAMES = Object.keys(FORM_FACTS) as FormFact[];

/** A field's `x-shopflow`, as the definition schema admits it. */
export interface FieldBinding {
  widget?: Widget;
  default?: { from: FormFact };
  sum?: string[];
  /** What staff read for each value of the field's enum (the value stored is the enum's). */
  titles?: Record<string, string>;
  /** A sibling boolean: the field is shown, and required, only when it is ticked (`when: addressChanged`). */
  when?: string;
  /** A money field computed from the shop's shipping fee rules: the sibling address and the items (or total) it depends on. */
  fee?: { address: string; total: string };
  /** Form root only: the facts the task shows beside its form (definitions/tasks/context.ts). */
  show?: string[];
  /** Form root only: the outcome to preselect from what is known. */
  suggest?: Record<string, Record<string, string[]>>;
}

/** The `x-shopflow` of a schema node, when it has one that is an object. */
export function bindingOf(schema: unknown): FieldBinding | undefined {
  const value = isRecord(schema) ? schema[SHOPFLOW_KEYWORD] : undefined;
  return isRecord(value) ? (value as FieldBinding) : undefined;
}

const typeNames = (schema: PlainRecord): string[] =>
  (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t): t is string => typeof t === 'string' && t !== 'null');
const isType = (schema: PlainRecord, ...types: string[]) => {
  const declared = typeNames(schema);
  return declared.length > 0 && declared.every((t) => types.includes(t));
};
const NUMBER = ['integer', 'number'];
const propsOf = (schema: PlainRecord): PlainRecord => (isRecord(schema.properties) ? schema.properties : {});

/** An address field: an object with a ward and a province (street optional) as text. */
const isAddressObject = (schema: PlainRecord) =>
  isType(schema, 'object') &&
  ['ward', 'province'].every((p) => isRecord(propsOf(schema)[p]) && isType(propsOf(schema)[p] as PlainRecord, 'string'));
/** A list of order lines: objects with a sku and a quantity. */
const isLineList = (schema: PlainRecord) =>
  isType(schema, 'array') &&
  isRecord(schema.items) &&
  isType(schema.items, 'object') &&
  ['sku', 'qty'].every((p) => isRecord(propsOf(schema.items as PlainRecord)[p]));

/** Why the widget cannot draw this field, if it cannot. */
function widgetProblem(widget: Widget, field: PlainRecord): string | undefined {
  switch (widget) {
    case 'phone':
      return isType(field, 'string') ? undefined : 'a phone field must be type: string';
    case 'money':
      return isType(field, ...NUMBER) ? undefined : 'a money field must be type: integer (VND)';
    case 'address':
      return isAddressObject(field)
        ? undefined
        : 'an address field must be type: object with ward and province (type: string), street optional';
    case 'product-picker':
      return isLineList(field) ? undefined : 'a product picker fills a list (type: array) of { sku, qty } lines (name, price optional)';
  }
}

/** Why a fact of this shape cannot fill this field, if it cannot. */
function factProblem(shape: FactShape, field: PlainRecord): string | undefined {
  switch (shape) {
    case 'text':
      return isType(field, 'string') ? undefined : 'it is text, so the field must be type: string';
    case 'address-text':
    case 'address':
      return isType(field, 'string') || isAddressObject(field)
        ? undefined
        : 'it is an address, so the field must be an address object (ward, province) or type: string';
    case 'money':
    case 'number':
      return isType(field, ...NUMBER) ? undefined : 'it is a number, so the field must be type: integer (or number)';
    case 'items':
    case 'lines':
      return isLineList(field) ? undefined : 'it is a list of { sku, qty } lines, so the field must be one too';
  }
}

/**
 * Issues of every `x-shopflow` in a form (at `path`): an unknown widget or fact (the definition
 * schema lists them too, for editors), a widget or fact that does not fit its field's type, a
 * `sum` naming a field that is not a sibling number or item list.
 */
export function checkFieldBindings(form: unknown, path: PathSegment[]): Issue[] {
  const issues: Issue[] = [];
  const visit = (schema: unknown, at: PathSegment[], siblings: PlainRecord | undefined): void => {
    if (!isRecord(schema)) return;
    if (SHOPFLOW_KEYWORD in schema) issues.push(...checkOne(schema, [...at, SHOPFLOW_KEYWORD], siblings, at === path));
    for (const [name, child] of Object.entries(propsOf(schema))) visit(child, [...at, 'properties', name], propsOf(schema));
    if (isRecord(schema.items)) visit(schema.items, [...at, 'items'], undefined);
  };
  visit(form, path, undefined);
  return issues;
}

const BINDING_KEYS = ['widget', 'default', 'sum', 'titles', 'when', 'fee'];
/** Keys of a form root's x-shopflow (what the task shows, which outcome it suggests). */
const ROOT_KEYS = ['show', 'suggest'];

/** `titles` name values of the field's own enum, each with a text to read. */
function titleIssues(field: PlainRecord, titles: unknown, at: PathSegment[]): Issue[] {
  if (!Array.isArray(field.enum))
    return [{ path: at, message: 'titles are for a field with an enum: it names what staff read for each value' }];
  if (!isRecord(titles)) return [{ path: at, message: 'titles must be an object: { <enum value>: "<what staff read>" }' }];
  const values = field.enum.map((v) => String(v));
  const issues: Issue[] = [];
  for (const [value, title] of Object.entries(titles)) {
    if (!values.includes(value))
      issues.push({
        path: [...at, value],
        at: 'key',
        message: `"${value}" is not a value of this field's enum${didYouMean(value, values)} — values: ${listNames(values)}`,
      });
    else if (typeof title !== 'string' || !title.trim()) issues.push({ path: [...at, value], message: 'a title is a non-empty text' });
  }
  return issues;
}

function checkOne(field: PlainRecord, at: PathSegment[], siblings: PlainRecord | undefined, root = false): Issue[] {
  const binding = field[SHOPFLOW_KEYWORD];
  if (!isRecord(binding)) return [{ path: at, message: 'x-shopflow must be an object: { widget, default: { from }, sum, titles }' }];
  const issues: Issue[] = [];
  const known = root ? ROOT_KEYS : BINDING_KEYS;
  for (const key of Object.keys(binding)) {
    if (!known.includes(key))
      issues.push({
        path: [...at, key],
        at: 'key',
        message: ROOT_KEYS.includes(key)
          ? `"${key}" belongs on the form itself (its root x-shopflow), not on a field`
          : `"${key}" is not part of ${root ? "a form's own x-shopflow" : 'x-shopflow'}${didYouMean(key, known)} — it has ${listNames(known)}`,
      });
  }
  if (root) {
    if (binding.show !== undefined) issues.push(...checkShow(binding.show, [...at, 'show']));
    if (binding.suggest !== undefined) issues.push(...checkSuggest(binding.suggest, [...at, 'suggest']));
    return issues;
  }
  if (binding.when !== undefined) {
    const name = binding.when;
    const sibling = typeof name === 'string' && siblings && Object.hasOwn(siblings, name) ? siblings[name] : undefined;
    if (!isRecord(sibling) || !isType(sibling, 'boolean'))
      issues.push({
        path: [...at, 'when'],
        message: `when names a checkbox beside this field (type: boolean)${typeof name === 'string' ? didYouMean(name, Object.keys(siblings ?? {})) : ''} — the field is shown and required only when it is ticked`,
      });
  }
  if (binding.fee !== undefined) {
    const fee = binding.fee;
    const sibling = (name: unknown) => (typeof name === 'string' && siblings && Object.hasOwn(siblings, name) ? siblings[name] : undefined);
    if (!isType(field, ...NUMBER))
      issues.push({ path: [...at, 'fee'], message: 'only a money field (type: integer) can be a shipping fee' });
    if (!isRecord(fee))
      issues.push({ path: [...at, 'fee'], message: 'fee is { address: <address field>, total: <items or total field> }' });
    else {
      const address = sibling(fee.address);
      if (!isRecord(address) || !isAddressObject(address))
        issues.push({ path: [...at, 'fee', 'address'], message: 'address names the address field beside this one (ward, province)' });
      const total = sibling(fee.total);
      if (!isRecord(total) || (!isType(total, ...NUMBER) && !isLineList(total)))
        issues.push({
          path: [...at, 'fee', 'total'],
          message: 'total names the items (or a number field) beside this one, for "free over" rules',
        });
    }
  }
  if (binding.titles !== undefined) issues.push(...titleIssues(field, binding.titles, [...at, 'titles']));
  if (binding.widget !== undefined) {
    const widget = binding.widget;
    if (typeof widget !== 'string' || !(WIDGETS as readonly string[]).includes(widget)) {
      issues.push({
        path: [...at, 'widget'],
        message: `unknown widget ${JSON.stringify(widget)}${typeof widget === 'string' ? didYouMean(widget, WIDGETS) : ''} — widgets: ${listNames(WIDGETS)}`,
      });
    } else {
      const problem = widgetProblem(widget as Widget, field);
      if (problem) issues.push({ path: [...at, 'widget'], message: `widget "${widget}" does not fit this field: ${problem}` });
    }
  }
  if (binding.default !== undefined) {
    const from = isRecord(binding.default) ? binding.default.from : undefined;
    if (!isRecord(binding.default) || typeof from !== 'string') {
      issues.push({ path: [...at, 'default'], message: 'default must be { from: <fact> }, e.g. { from: lead.customer.phone }' });
    } else if (!Object.hasOwn(FORM_FACTS, from)) {
      issues.push({
        path: [...at, 'default', 'from'],
        message: `unknown fact "${from}"${didYouMean(from, FORM_FACT_NAMES)} — facts a field can be filled in from: ${listNames(FORM_FACT_NAMES)}`,
      });
    } else {
      const fact = FORM_FACTS[from as FormFact];
      const problem = factProblem(fact.shape, field);
      if (problem)
        issues.push({ path: [...at, 'default', 'from'], message: `"${from}" (${fact.means}) cannot fill this field: ${problem}` });
    }
  }
  if (binding.sum !== undefined) {
    if (!isType(field, ...NUMBER)) issues.push({ path: [...at, 'sum'], message: 'only a number field (type: integer) can be a sum' });
    if (!Array.isArray(binding.sum) || binding.sum.length === 0) {
      issues.push({ path: [...at, 'sum'], message: 'sum lists the sibling fields to add up, e.g. [items, shippingFee]' });
    } else {
      const names = Object.keys(siblings ?? {});
      binding.sum.forEach((entry, i) => {
        // `-prepaid`: a field taken off the sum (COD = items + fee − what the customer paid ahead).
        const name = typeof entry === 'string' ? entry.replace(/^-/, '') : entry;
        const sibling = typeof name === 'string' && siblings && Object.hasOwn(siblings, name) ? siblings[name] : undefined;
        if (!isRecord(sibling)) {
          issues.push({
            path: [...at, 'sum', i],
            message: `"${String(name)}" is not a field beside this one${typeof name === 'string' ? didYouMean(name, names) : ''} — fields: ${listNames(names)}`,
          });
        } else if (!isType(sibling, ...NUMBER) && !isLineList(sibling)) {
          issues.push({
            path: [...at, 'sum', i],
            message: `"${name}" is neither a number nor a list of { sku, qty, price } lines, so it cannot be added up`,
          });
        }
      });
    }
  }
  return issues;
}

/**
 * The data with every `widget: phone` field in any common spelling ("0912 345 678",
 * "+84 912.345.678", "84912345678") in the stored form `0xxxxxxxxx`, before it is validated. A
 * value that is no Vietnamese number is left as typed, for the form's pattern to refuse at its
 * field. Returns a copy; fields without the widget are untouched.
 */
export function normalizeFormData(form: unknown, data: unknown): unknown {
  if (!isRecord(form)) return data;
  if (bindingOf(form)?.widget === 'phone' && typeof data === 'string') return normalizePhone(data) ?? data;
  if (isRecord(data) && isRecord(form.properties)) {
    const properties = form.properties;
    return Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Object.hasOwn(properties, k) ? normalizeFormData(properties[k], v) : v]),
    );
  }
  if (Array.isArray(data) && isRecord(form.items)) return data.map((v) => normalizeFormData(form.items, v));
  return data;
}

/** Where a field's prefill comes from: the fact, and the field's schema (to shape the value). */
export interface PrefillSource {
  field: string;
  from: FormFact;
  schema: PlainRecord;
}

/** The top-level fields of a form filled in from facts, in the form's order. */
export function prefillSources(form: unknown): PrefillSource[] {
  if (!isRecord(form)) return [];
  return Object.entries(propsOf(form)).flatMap(([field, schema]) => {
    const from = bindingOf(schema)?.default?.from;
    return isRecord(schema) && typeof from === 'string' && Object.hasOwn(FORM_FACTS, from) ? [{ field, from, schema }] : [];
  });
}

/**
 * A fact's value shaped to the field it fills: only the parts the field declares (task data holds
 * only its form's fields), a phone in its stored form, an address object as one line of text
 * where the field is text. Undefined when the value does not fit (left for the person to type).
 * `parseAddress` turns free text into { street, ward, province } where the field is an address.
 */
export function shapeFact(schema: PlainRecord, value: unknown, parseAddress: (text: string) => PlainRecord | undefined): unknown {
  if (value === undefined || value === null) return undefined;
  if (isType(schema, 'string')) {
    if (typeof value === 'string') {
      const text = value.trim();
      if (!text) return undefined;
      return bindingOf(schema)?.widget === 'phone' ? (normalizePhone(text) ?? text) : text;
    }
    if (isRecord(value)) {
      const text = ['street', 'ward', 'district', 'province']
        .map((k) => value[k])
        .filter((v) => typeof v === 'string' && v.trim())
        .join(', ');
      return text || undefined;
    }
    return undefined;
  }
  if (isType(schema, ...NUMBER)) return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  if (isType(schema, 'object')) {
    const record = typeof value === 'string' ? parseAddress(value) : isRecord(value) ? value : undefined;
    if (!record) return undefined;
    const out: PlainRecord = {};
    for (const [k, child] of Object.entries(propsOf(schema))) {
      const shaped = isRecord(child) ? shapeFact(child, record[k], parseAddress) : undefined;
      if (shaped !== undefined) out[k] = shaped;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (isType(schema, 'array') && Array.isArray(value)) {
    const line = isRecord(schema.items) ? schema.items : {};
    const rows = value.map((v) => shapeFact(line, v, parseAddress)).filter((v) => v !== undefined);
    return rows.length ? rows : undefined;
  }
  return undefined;
}
