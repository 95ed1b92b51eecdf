/**
 * What the shop's segment rules (definitions/rules/conditions.ts) look at for a customer: their
 * delivered vs returned history and their flags. Pure: the customers API (segment shown, `when`
 * facts) and the segment recomputation after an order (db/customers/segments.ts) build the
 * metrics the same way.
 */
import type { CustomerMetrics } from './conditions';

/** Delivered vs returned history of a customer: what confirmation staff and `when` conditions look at. */
export interface CustomerHistory {
  orders: number;
  delivered: number;
  returned: number;
  deliveredValue12m: number;
  /** returned ÷ (delivered + returned), 0 when nothing was shipped yet. */
  returnRate: number;
}

/** Tags the segment rules see as `flags`: the customer's tags, plus `wholesale` when flagged. */
export function customerFlags(row: { tags: string[]; wholesale: boolean }): string[] {
  return [...new Set([...row.tags, ...(row.wholesale ? ['wholesale'] : [])])];
}

/** The metrics segment rules test, from the history (and the order just delivered, if any). */
export function segmentMetrics(history: CustomerHistory, flags: string[], orderValue?: number): CustomerMetrics {
  return {
    deliveredValue12m: history.deliveredValue12m,
    deliveredOrders: history.delivered,
    returnRate: history.returnRate,
    flags,
    ...(orderValue !== undefined ? { orderValue } : {}),
  };
}
