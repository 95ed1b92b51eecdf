import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { stockMovements } from '../db/schema';

/** Why stock moved. On hand counts receipts, issues, restocks and adjustments; reserved counts reserve/release. */
export type StockMovementKind = 'receipt' | 'reserve' | 'release' | 'issue' | 'restock' | 'adjust';

export interface StockLine {
  sku: string;
  qty: number;
}

/**
 * Stock is an append-only ledger: nothing is edited in place, on-hand and reserved quantities
 * are sums. Each movement of an order is written once (dedupe key), so retries never double it.
 */
export function createStockActivities(deps: { db: Db }) {
  const { db } = deps;
  return {
    /**
     * Moves the order's lines: `reserve` when the items are agreed, `issue` (and release the
     * reservation) at hand-over, `restock` what the warehouse takes back from a return, `release`
     * when an order ends before hand-over.
     */
    async moveOrderStock(input: { orderId: string; kind: Exclude<StockMovementKind, 'receipt' | 'adjust'>; lines: StockLine[]; actor?: string; dedupeKey: string }): Promise<void> {
      const lines = mergeLines(input.lines);
      if (lines.length === 0) return;
      const sign = input.kind === 'issue' ? -1 : input.kind === 'release' ? -1 : 1;
      await db.transaction(async (tx) => {
        for (const [i, line] of lines.entries()) {
          await tx.insert(stockMovements).values({
            sku: line.sku, qty: sign * line.qty, kind: input.kind, orderId: input.orderId, actor: input.actor ?? null, dedupeKey: `${input.dedupeKey}:${i}`,
          }).onConflictDoNothing();
          if (input.kind === 'issue') {
            // What is handed over is no longer merely reserved.
            await tx.insert(stockMovements).values({
              sku: line.sku, qty: -line.qty, kind: 'release', orderId: input.orderId, actor: input.actor ?? null, dedupeKey: `${input.dedupeKey}:${i}:release`,
            }).onConflictDoNothing();
          }
        }
      });
    },
  };
}

/** On hand and reserved per SKU, derived from the ledger. */
export async function stockLevels(db: Db, skus: string[]): Promise<Record<string, { onHand: number; reserved: number; available: number }>> {
  if (skus.length === 0) return {};
  const rows = await db.select({
    sku: stockMovements.sku,
    onHand: sql<number>`coalesce(sum(${stockMovements.qty}) filter (where ${stockMovements.kind} in ('receipt','issue','restock','adjust')), 0)::int`,
    reserved: sql<number>`coalesce(sum(${stockMovements.qty}) filter (where ${stockMovements.kind} in ('reserve','release')), 0)::int`,
  }).from(stockMovements).where(inArray(stockMovements.sku, skus)).groupBy(stockMovements.sku);
  const levels: Record<string, { onHand: number; reserved: number; available: number }> = {};
  for (const sku of skus) levels[sku] = { onHand: 0, reserved: 0, available: 0 };
  for (const r of rows) levels[r.sku] = { onHand: r.onHand, reserved: r.reserved, available: r.onHand - r.reserved };
  return levels;
}

function mergeLines(lines: StockLine[]): StockLine[] {
  const bySku = new Map<string, number>();
  for (const l of lines) if (l.sku && l.qty > 0) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.qty);
  return [...bySku].map(([sku, qty]) => ({ sku, qty }));
}

