/**
 * The API's 422 field errors placed at the form's fields: each `field` (a machine path such as
 * `data.items[0].qty` or `lines.0.sku`) becomes the form path of its input (`items.0.qty`), and an
 * error no field of the form shows (a path the form has no input for) is kept apart, so the
 * message above the form can say it in words instead of "fix the marked fields" with none marked.
 */
import type { FieldError, JsonSchema } from './api';

/** `data.items[0].qty` or `lines.0.sku` (API) → `items.0.qty` / `lines.0.sku` (form path). */
export function formPath(apiField: string): string {
  return apiField
    .replace(/^data(?=$|[.[])\.?/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\["([^"]+)"\]/g, '.$1')
    .replace(/^\./, '');
}

/** Whether the form draws an input (or a group) at `path` (`items.0.qty`). */
export function formHasField(schema: JsonSchema, path: string): boolean {
  if (path === '') return false;
  let node: JsonSchema | undefined = schema;
  for (const segment of path.split('.')) {
    if (!node) return false;
    if (/^\d+$/.test(segment) && node.items) node = node.items;
    else if (node.properties && Object.hasOwn(node.properties, segment)) node = node.properties[segment];
    else return false;
  }
  return node !== undefined;
}

/**
 * Errors by form path for the fields `has` says the form shows, and the messages of the others.
 * `has` is the form's own test (a schema's fields, or the keys a hand-made form draws).
 */
export function placeFieldErrors(
  fields: readonly FieldError[],
  has: (path: string) => boolean,
): { placed: Record<string, string>; unplaced: string[] } {
  const placed: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const f of fields) {
    const path = formPath(f.field);
    if (has(path)) placed[path] = placed[path] ?? f.message;
    else unplaced.push(f.message);
  }
  return { placed, unplaced };
}
