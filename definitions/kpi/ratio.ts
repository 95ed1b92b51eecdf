/** Shares written in a KpiPlan: `"8%"` → 0.08, numbers as they are; anything else is undefined. */
export function ratioOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+(\.\d+)?%$/.test(value)) return Number(value.slice(0, -1)) / 100;
  return undefined;
}
