import { and, asc, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import { activeShop } from '../../db/active-shop';
import { orderEvents, stockMovements } from '../../db/schema';
import {
  applyMovements,
  mergeLines,
  type NewMovement,
  type StockLine,
  type StockMovementKind,
  type StockShortage,
} from '../../db/books/stock-ledger';
import { stockSettings } from '../../definitions/types';

// The order workflow reads a shortage's shape from here; the ledger itself is db/books/stock-ledger.ts.
export type { StockShortage } from '../../db/books/stock-ledger';

/** Answer of {@link moveOrderStock}: done, or (reserve only) refused because stock is short. */
export type OrderStockResult = { ok: true } | { ok: false; short: StockShortage[]; role: string };

/**
 * Stock is an append-only ledger: nothing is edited in place, on-hand and reserved quantities
 * are sums. Each movement of an order is written once (dedupe key), so retries never double it.
 */
export function createStockActivities(deps: { db: Db; log: Logger }) {
  const { db, log } = deps;
  return {
    /**
     * Moves the order's lines: `reserve` when the items are agreed, `issue` (and release the
     * reservation) at hand-over, `restock` what the warehouse takes back from a return, `release`
     * when an order ends before hand-over. A reservation of catalogue SKUs is refused, writing
     * nothing, when available stock is short (unless the shop allows negative stock): the
     * answer names the short lines and the role that restocks or substitutes.
     */
    async moveOrderStock(input: {
      orderId: string;
      kind: Exclude<StockMovementKind, 'receipt' | 'adjust'>;
      lines: StockLine[];
      actor?: string;
      dedupeKey: string;
      /** Which try of a reservation (after a shortage), for the shortage event's key. */ attempt?: number;
    }): Promise<OrderStockResult> {
      const lines = mergeLines(input.lines);
      if (lines.length === 0) return { ok: true };
      const settings = stockSettings(await activeShop(db));
      const sign = input.kind === 'issue' ? -1 : input.kind === 'release' ? -1 : 1;
      return db.transaction(async (tx) => {
        // Every movement of an order happens in the warehouse it was reserved in.
        const [reserved] = await tx
          .select({ warehouse: stockMovements.warehouse })
          .from(stockMovements)
          .where(and(eq(stockMovements.orderId, input.orderId), eq(stockMovements.kind, 'reserve')))
          .orderBy(asc(stockMovements.id))
          .limit(1);
        const warehouse = reserved?.warehouse ?? settings.defaultWarehouse;
        const movements: NewMovement[] = [];
        for (const [i, line] of lines.entries()) {
          movements.push({
            sku: line.sku,
            warehouse,
            qty: sign * line.qty,
            kind: input.kind,
            orderId: input.orderId,
            actor: input.actor ?? null,
            dedupeKey: `${input.dedupeKey}:${i}`,
          });
          if (input.kind === 'issue') {
            // What is handed over is no longer merely reserved.
            movements.push({
              sku: line.sku,
              warehouse,
              qty: -line.qty,
              kind: 'release',
              orderId: input.orderId,
              actor: input.actor ?? null,
              dedupeKey: `${input.dedupeKey}:${i}:release`,
            });
          }
        }
        const result = await applyMovements(tx, log, settings, movements, input.kind === 'reserve' ? 'available' : 'none');
        if (result.applied) return { ok: true } as const;
        await tx
          .insert(orderEvents)
          .values({
            orderId: input.orderId,
            type: 'stock_short',
            actor: input.actor ?? null,
            dedupeKey: `${input.dedupeKey}:short:${input.attempt ?? 1}`,
            data: { short: result.short },
          })
          .onConflictDoNothing();
        return { ok: false, short: result.short, role: settings.shortageRole } as const;
      });
    },

    /**
     * The warehouse carried out a complaint's resend or exchange: what it sent out again is an
     * `issue`, what it took back intact a `restock`, in the warehouse the complaint's order was
     * reserved in (else the shop's first). Goods already sent are never refused, like an issue at
     * hand-over. Written once per complaint and task: a retry changes nothing.
     */
    async moveComplaintStock(input: {
      complaintId: string;
      taskId: string;
      orderId: string | null;
      issue: StockLine[];
      restock: StockLine[];
      actor: string;
    }): Promise<{ issued: number; restocked: number }> {
      const issue = mergeLines(input.issue);
      const restock = mergeLines(input.restock);
      if (issue.length + restock.length === 0) return { issued: 0, restocked: 0 };
      const settings = stockSettings(await activeShop(db));
      await db.transaction(async (tx) => {
        const [reserved] = input.orderId
          ? await tx
              .select({ warehouse: stockMovements.warehouse })
              .from(stockMovements)
              .where(and(eq(stockMovements.orderId, input.orderId), eq(stockMovements.kind, 'reserve')))
              .orderBy(asc(stockMovements.id))
              .limit(1)
          : [];
        const warehouse = reserved?.warehouse ?? settings.defaultWarehouse;
        const key = `complaint:${input.complaintId}:${input.taskId}`;
        const common = { warehouse, orderId: input.orderId, actor: input.actor };
        await applyMovements(
          tx,
          log,
          settings,
          [
            ...issue.map((l, i) => ({
              ...common,
              sku: l.sku,
              qty: -l.qty,
              kind: 'issue' as const,
              reason: `Khiếu nại ${input.complaintId}: gửi hàng`,
              dedupeKey: `${key}:issue:${i}`,
            })),
            ...restock.map((l, i) => ({
              ...common,
              sku: l.sku,
              qty: l.qty,
              kind: 'restock' as const,
              reason: `Khiếu nại ${input.complaintId}: nhận lại hàng`,
              dedupeKey: `${key}:restock:${i}`,
            })),
          ],
          'none',
        );
      });
      return { issued: issue.reduce((t, l) => t + l.qty, 0), restocked: restock.reduce((t, l) => t + l.qty, 0) };
    },
  };
}
