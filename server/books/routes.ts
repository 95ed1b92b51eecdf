import { Router } from 'express';
import { recordSalesReturn } from '../../db/books/documents';
import { shopOffsetMinutes } from '../../definitions/rules/local-day';
import type { Db } from '../../db/client';
import { requirePermission } from '../http/auth';
import { booksHttpError, localRange, type BooksStore } from './books';
import { toCsv } from './csv-export';
import { notFound } from '../http/errors';
import type { ShopCache } from '../shop/shop-cache';
import { body, queryOf, queryValues } from '../http/contract';
import { SalesExportQuery, SalesQuery, SalesReturnBody, SummaryQuery } from './contract';
import { localDate } from './purchases-routes';

const SUMMARY_HEADER = [
  'period',
  'sales_documents',
  'return_documents',
  'sales_goods',
  'returned_goods',
  'net_sales',
  'shipping_fees',
  'cod_amount',
  'purchase_documents',
  'purchases_total',
  'refund_documents',
  'refunded',
];

/** The sales book (sổ bán hàng) and the day/month summaries accounting reads. */
export function booksRouter(deps: { db: Db; books: BooksStore; shop: ShopCache }): Router {
  const router = Router();
  router.use(requirePermission('books.manage'));

  router.get('/sales', queryOf(SalesQuery), async (req, res) => {
    const q = queryValues(req, SalesQuery);
    const range = localRange(q, shopOffsetMinutes(await deps.shop.get()));
    res.json(await deps.books.listSales({ ...range, kind: q.kind, limit: q.limit, cursor: q.cursor || undefined }));
  });
  router.get('/sales/export.csv', queryOf(SalesExportQuery), async (req, res) => {
    const offset = shopOffsetMinutes(await deps.shop.get());
    const range = localRange(queryValues(req, SalesExportQuery), offset);
    const rows = await deps.books.salesRows(range);
    // A refund has no goods lines: its one row carries the money paid back (negative) as the amount.
    const csv = toCsv(
      [
        'number',
        'kind',
        'date',
        'order',
        'reverses',
        'customer',
        'phone',
        'channel',
        'courier',
        'sku',
        'name',
        'qty',
        'price',
        'amount',
        'shipping_fee',
        'cod_amount',
        'complaint',
      ],
      rows.map((r) => [
        r.number,
        r.kind,
        localDate(r.at, offset),
        r.orderId,
        r.reverses,
        r.customerName,
        r.customerPhone,
        r.channel,
        r.courier,
        r.sku,
        r.name,
        r.qty,
        r.price,
        r.amount ?? (r.kind === 'refund' ? r.goodsTotal : null),
        r.shippingFee,
        r.codAmount,
        r.complaintId,
      ]),
    );
    res
      .type('text/csv; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="sales-${range.fromDay}-${range.toDay}.csv"`);
    res.send(csv);
  });
  router.get('/sales/:number', async (req, res) => {
    const doc = await deps.books.getSale(String(req.params.number));
    if (!doc) throw notFound(`no sales document "${req.params.number}"`);
    res.json(doc);
  });
  router.post('/sales/:number/return', body(SalesReturnBody), async (req, res) => {
    let result;
    try {
      result = await recordSalesReturn(deps.db, await deps.shop.get(), {
        saleNumber: String(req.params.number),
        reason: req.body.reason,
        actor: req.principal!.staffId,
      });
    } catch (err) {
      throw booksHttpError(err);
    }
    res.status(result.created ? 201 : 200).json((await deps.books.getSale(result.number))!);
  });
  router.get('/summary', queryOf(SummaryQuery), async (req, res) => {
    const shop = await deps.shop.get();
    const q = queryValues(req, SummaryQuery);
    const range = localRange(q, shopOffsetMinutes(shop));
    res.json({ from: range.fromDay, to: range.toDay, ...(await deps.books.summary(shop, range, q.granularity)) });
  });
  router.get('/summary/export.csv', queryOf(SummaryQuery), async (req, res) => {
    const shop = await deps.shop.get();
    const q = queryValues(req, SummaryQuery);
    const range = localRange(q, shopOffsetMinutes(shop));
    const summary = await deps.books.summary(shop, range, q.granularity);
    const line = (period: string, r: Omit<(typeof summary.rows)[number], 'period'>) => [
      period,
      r.salesDocuments,
      r.returnDocuments,
      r.salesGoods,
      r.returnedGoods,
      r.netSales,
      r.shippingFees,
      r.codAmount,
      r.purchaseDocuments,
      r.purchasesTotal,
      r.refundDocuments,
      r.refunded,
    ];
    res
      .type('text/csv; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="summary-${range.fromDay}-${range.toDay}.csv"`);
    res.send(toCsv(SUMMARY_HEADER, [...summary.rows.map((r) => line(r.period, r)), line('total', summary.totals)]));
  });
  return router;
}
