/**
 * Checks of `sets` (which form fields change which order figures): each bound field is a field
 * of the form it sits beside, of the shape the figure needs — a COD bound to a text field, or
 * items without a quantity, would reach the courier and the books as nonsense. Unknown figure
 * names are the schema's to report. Runs on data that may not match the schema.
 */
import { didYouMean, listNames, type Issue, type PathSegment } from '../loading/errors';
import { isOrderFigure, ORDER_FIGURES, type FigureShape } from './figures';
import { isRecord, listOf, type PlainRecord } from '../loading/plain';

/** Issues of one `sets` mapping against the form (`form` as written; may be absent or broken). */
export function checkBindings(sets: unknown, form: unknown, path: PathSegment[]): Issue[] {
  if (!isRecord(sets)) return [];
  const properties = isRecord(form) && isRecord(form.properties) ? form.properties : {};
  const fields = Object.keys(properties);
  const issues: Issue[] = [];
  for (const [figure, field] of Object.entries(sets)) {
    if (!isOrderFigure(figure) || typeof field !== 'string') continue;
    const at = [...path, figure];
    if (!Object.hasOwn(properties, field)) {
      issues.push({
        path: at,
        message: `"${figure}" is set from field "${field}", which this form does not have${didYouMean(field, fields)} — its fields: ${fields.length ? listNames(fields) : '(none)'}`,
      });
      continue;
    }
    const problem = shapeProblem(ORDER_FIGURES[figure].shape, recordOrEmpty(properties[field]));
    if (problem) issues.push({ path: at, message: `field "${field}" cannot set "${figure}" (${ORDER_FIGURES[figure].means}): ${problem}` });
  }
  return issues;
}

const recordOrEmpty = (value: unknown): PlainRecord => (isRecord(value) ? value : {});

/** Whether the schema's `type` is (only) among `types`, `null` aside. */
function typed(schema: PlainRecord, ...types: string[]): boolean {
  const declared = Array.isArray(schema.type) ? schema.type.filter((t) => t !== 'null') : [schema.type];
  return declared.length > 0 && declared.every((t) => typeof t === 'string' && types.includes(t));
}

const NUMBER = ['integer', 'number'];
const ADDRESS_PARTS = ['street', 'ward', 'district', 'province'];

function shapeProblem(shape: FigureShape, field: PlainRecord): string | undefined {
  switch (shape) {
    case 'money':
    case 'number':
      return typed(field, ...NUMBER) ? undefined : 'it must be type: integer (or number)';
    case 'text':
      return typed(field, 'string') ? undefined : 'it must be type: string';
    case 'address': {
      const parts = isRecord(field.properties) ? field.properties : {};
      if (!typed(field, 'object') || !ADDRESS_PARTS.some((p) => Object.hasOwn(parts, p))) {
        return `it must be type: object with properties among ${listNames(ADDRESS_PARTS)}`;
      }
      const wrong = ADDRESS_PARTS.filter((p) => Object.hasOwn(parts, p) && !typed(recordOrEmpty(parts[p]), 'string'));
      return wrong.length ? `${listNames(wrong)} must be type: string` : undefined;
    }
    case 'items':
    case 'lines': {
      const line = isRecord(field.items) ? field.items : {};
      const parts = isRecord(line.properties) ? line.properties : {};
      const required = listOf(line.required);
      const needs =
        shape === 'items'
          ? 'a list (type: array) of { sku, qty } lines (name, price optional)'
          : 'a list (type: array) of { sku, qty } lines';
      if (!typed(field, 'array') || !typed(line, 'object')) return `it must be ${needs}`;
      const problems: string[] = [];
      if (!typed(recordOrEmpty(parts.sku), 'string') || !required.includes('sku')) problems.push('sku must be a required string');
      if (!typed(recordOrEmpty(parts.qty), ...NUMBER) || !required.includes('qty')) problems.push('qty must be a required integer');
      if (Object.hasOwn(parts, 'price') && !typed(recordOrEmpty(parts.price), ...NUMBER)) problems.push('price must be type: integer');
      if (Object.hasOwn(parts, 'name') && !typed(recordOrEmpty(parts.name), 'string')) problems.push('name must be type: string');
      return problems.length ? `its lines: ${problems.join('; ')}` : undefined;
    }
  }
}
