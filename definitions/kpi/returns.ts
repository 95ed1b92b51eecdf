/**
 * The value of a (partial) return: what revenue and the return rate by value take back when an
 * order comes back. Pure and deterministic: the order workflow calls it with the items agreed at
 * closing and the lines the warehouse entered on the receive-return task.
 */

/** A line of the order as agreed at closing (`items` of the close form: unit price in VND). */
export interface PricedLine {
  sku?: unknown;
  qty?: unknown;
  price?: unknown;
}
/** A line that came back (`returnedItems` or `restockedItems` of the receive-return form). */
export interface ReturnedLine {
  sku?: unknown;
  qty?: unknown;
}

const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

/**
 * VND value of the returned lines at the order's unit prices, each SKU capped at the quantity
 * ordered. `undefined` when it cannot be known — no lines entered, or a line whose SKU has no
 * price on the order — and the whole order then counts as returned.
 */
export function returnedValue(ordered: unknown, returned: unknown): number | undefined {
  if (!Array.isArray(ordered) || !Array.isArray(returned)) return undefined;
  const lines = (returned as ReturnedLine[]).filter((l) => count(l?.qty) > 0);
  if (lines.length === 0) return undefined;
  const priceOf = new Map<string, { price: number; qty: number }>();
  for (const item of ordered as PricedLine[]) {
    if (typeof item?.sku !== 'string' || typeof item.price !== 'number' || !Number.isFinite(item.price)) continue;
    const known = priceOf.get(item.sku);
    // The same SKU twice at different prices: value returns at the higher price first (never under-reverses).
    priceOf.set(item.sku, { price: Math.max(known?.price ?? 0, item.price), qty: (known?.qty ?? 0) + count(item.qty) });
  }
  const back = new Map<string, number>();
  for (const line of lines) {
    if (typeof line.sku !== 'string' || !priceOf.has(line.sku)) return undefined;
    back.set(line.sku, (back.get(line.sku) ?? 0) + count(line.qty));
  }
  let value = 0;
  for (const [sku, qty] of back) {
    const { price, qty: ordered } = priceOf.get(sku)!;
    value += Math.min(qty, ordered) * price;
  }
  return Math.round(value);
}

/** What came back, from a receive-return task's data: `returnedItems` when entered, else `restockedItems`. */
export function returnedLinesOf(data: Record<string, unknown>): unknown {
  return Array.isArray(data.returnedItems) ? data.returnedItems : data.restockedItems;
}
