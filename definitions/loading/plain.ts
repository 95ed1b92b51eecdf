/**
 * Guards for reading parsed YAML before it is known to match the schema. Semantic checks run even
 * when the schema check failed (so all errors are reported at once), so they must not assume shapes.
 */

export type PlainRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is PlainRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as a record, or an empty one if it is not a record. */
export function recordOf(value: unknown): PlainRecord {
  return isRecord(value) ? value : {};
}

/** The value as a list, or an empty one if it is not a list. */
export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value if it is a non-empty string. */
export function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Renders a value inside a message: text quoted, everything else by what it is. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'empty';
  return Array.isArray(value) ? 'a list' : 'a mapping';
}
