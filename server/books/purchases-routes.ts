import { Router } from 'express';
import { createPurchase } from '../../db/books/purchases';
import { shopOffsetMinutes } from '../../definitions/rules/local-day';
import type { Db } from '../../db/client';
import { requirePermission } from '../http/auth';
import { booksHttpError, idempotencyKeyOf, localRange, type BooksStore } from './books';
import { toCsv } from './csv-export';
import { notFound } from '../http/errors';
import type { Logger } from '../platform/logger';
import type { ShopCache } from '../shop/shop-cache';
import { body, queryOf, queryValues } from '../http/contract';
import { PurchaseBody, PurchasesExportQuery, PurchasesQuery } from './contract';

/** Purchase documents (phiếu nhập): goods received from suppliers, each line a receipt in the stock ledger. */
export function purchasesRouter(deps: { db: Db; log: Logger; books: BooksStore; shop: ShopCache }): Router {
  const router = Router();
  router.use(requirePermission('stock.manage'));
  router.get('/', queryOf(PurchasesQuery), async (req, res) => {
    const q = queryValues(req, PurchasesQuery);
    const range = localRange(q, shopOffsetMinutes(await deps.shop.get()));
    res.json(await deps.books.listPurchases({ ...range, limit: q.limit, cursor: q.cursor || undefined }));
  });
  // With an Idempotency-Key a retried request gets the first answer and receives nothing twice.
  router.post('/', body(PurchaseBody), async (req, res) => {
    const shop = await deps.shop.get();
    const actor = req.principal!.staffId;
    let answer;
    try {
      answer = await deps.books.idempotent(
        { scope: 'purchase', actor, key: idempotencyKeyOf(req.get('idempotency-key')), body: req.body },
        async (tx) => {
          const doc = await createPurchase(deps.db, deps.log, shop, { ...req.body, actor }, tx);
          return { status: 201, body: (await deps.books.getPurchase(doc.number, tx))! };
        },
      );
    } catch (err) {
      throw booksHttpError(err);
    }
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(answer.status).json(answer.body);
  });
  router.get('/export.csv', queryOf(PurchasesExportQuery), async (req, res) => {
    const shop = await deps.shop.get();
    const offset = shopOffsetMinutes(shop);
    const range = localRange(queryValues(req, PurchasesExportQuery), offset);
    const rows = await deps.books.purchaseRows(range);
    const csv = toCsv(
      ['number', 'date', 'supplier', 'supplier_invoice', 'warehouse', 'sku', 'qty', 'unit_cost', 'amount'],
      rows.map((r) => [
        r.number,
        localDate(r.createdAt, offset),
        r.supplier,
        r.supplierInvoice,
        r.warehouse,
        r.sku,
        r.qty,
        r.unitCost,
        r.amount,
      ]),
    );
    res
      .type('text/csv; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="purchases-${range.fromDay}-${range.toDay}.csv"`);
    res.send(csv);
  });
  router.get('/:number', async (req, res) => {
    const purchase = await deps.books.getPurchase(String(req.params.number));
    if (!purchase) throw notFound(`no purchase "${req.params.number}"`);
    res.json(purchase);
  });

  return router;
}

/** `YYYY-MM-DD` of an instant in the shop's zone. */
export function localDate(at: Date, offsetMinutes: number): string {
  return new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10);
}
