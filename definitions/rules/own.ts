/**
 * Looking ids up in the shop's records (roles, channels, couriers, warehouses, stages, KPI
 * metrics…) by own property only. Those ids come from people — HTTP bodies, queries, paths,
 * YAML, courier webhooks — and a plain `record[id]` answers `constructor`, `__proto__` or
 * `toString` with Object.prototype's members (a 500, or an order with no assignee). Compiled
 * records cannot simply be made prototype-free: they cross JSON (Temporal payloads, the
 * database) and come back as plain objects, so every lookup goes through here. Pure and
 * workflow-safe.
 */

/** The entry of `id` in `record` if it is the record's own, else undefined. */
export function ownEntry<V>(record: Readonly<Record<string, V>> | null | undefined, id: unknown): V | undefined {
  return record && typeof id === 'string' && Object.hasOwn(record, id) ? record[id] : undefined;
}

/** Whether `id` names an own entry of `record` (never an inherited member such as `constructor`). */
export function hasOwnEntry(record: Readonly<Record<string, unknown>> | null | undefined, id: unknown): id is string {
  return Boolean(record) && typeof id === 'string' && Object.hasOwn(record!, id);
}

/** Names Object.prototype (or the `__proto__` accessor) answers to: never valid as an id in a definition. */
export const PROTOTYPE_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype']);

/** Whether a name would shadow or reach Object.prototype if used as a record key. */
export function isPrototypeName(name: unknown): boolean {
  return typeof name === 'string' && PROTOTYPE_NAMES.has(name);
}
