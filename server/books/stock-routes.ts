import { Router } from 'express';
import { requirePermission } from '../http/auth';
import { booksHttpError, idempotencyKeyOf, type BooksStore } from './books';
import { HttpError } from '../http/errors';
import type { ShopCache } from '../shop/shop-cache';
import { body, queryOf, queryValues } from '../http/contract';
import { AdjustmentBody, StockLevelsQuery, StockMovementsQuery } from './contract';

/** Stock: levels per SKU and warehouse, the ledger, adjustments. Levels are sums of the ledger. */
export function stockRouter(deps: { books: BooksStore; shop: ShopCache }): Router {
  const router = Router();
  router.get('/levels', requirePermission('orders.read'), queryOf(StockLevelsQuery), async (req, res) => {
    const q = queryValues(req, StockLevelsQuery);
    const levels = await deps.books.levels({
      skus: q.sku ? q.sku.split(',').filter(Boolean) : undefined,
      warehouse: q.warehouse || undefined,
    });
    res.json({ levels: q.low === true ? levels.filter((l) => l.low) : levels });
  });
  router.get('/movements', requirePermission('stock.manage'), queryOf(StockMovementsQuery), async (req, res) => {
    const q = queryValues(req, StockMovementsQuery);
    res.json(
      await deps.books.movements({
        sku: q.sku || undefined,
        warehouse: q.warehouse || undefined,
        orderId: q.order || undefined,
        kind: q.kind,
        limit: q.limit,
        cursor: q.cursor || undefined,
      }),
    );
  });
  // A client that retries (timeout, lost answer) sends the same Idempotency-Key: one movement, the same answer.
  router.post('/adjustments', requirePermission('stock.manage'), body(AdjustmentBody), async (req, res) => {
    const shop = await deps.shop.get();
    const actor = req.principal!.staffId;
    let answer;
    try {
      answer = await deps.books.idempotent(
        { scope: 'stock.adjustment', actor, key: idempotencyKeyOf(req.get('idempotency-key')), body: req.body },
        async (tx) => {
          const result = await deps.books.adjust(tx, shop, { ...req.body, actor });
          if (!result.ok) {
            const s = result.short[0]!;
            throw new HttpError(
              409,
              'insufficient_stock',
              `only ${s.available} of ${s.sku} on hand in ${s.warehouse}; the shop does not allow negative stock`,
              { short: result.short },
            );
          }
          return { status: 201, body: { movementId: result.movementId, level: result.level } };
        },
      );
    } catch (err) {
      throw booksHttpError(err);
    }
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(answer.status).json(answer.body);
  });
  return router;
}
