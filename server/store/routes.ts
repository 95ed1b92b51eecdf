import { Router } from 'express';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { staff } from '../../db/schema';
import { requirePermission } from '../http/auth';
import { body, queryOf, queryValues } from '../http/contract';
import { conflict } from '../http/errors';
import { createIdempotency, idempotencyKeyOf } from '../http/idempotency';
import { newOrderId } from '../orders/ids';
import type { ShopCache } from '../shop/shop-cache';
import { CheckoutBody, OpenSaleBody, ReturnBody, SaleBody, SalesQuery, ScanBody } from './contract';
import { receiptPdf } from './receipt';
import { exchangeOrderIdFor, type StoreService } from './store';

/**
 * The counter: `/store/…` for staff with `store.sell`. Writes that move stock or money run in one
 * transaction with their Idempotency-Key's answer, so a retry books nothing twice.
 */
export function storeRouter(deps: { store: StoreService; db: Db; shop: ShopCache }): Router {
  const router = Router();
  const keyed = createIdempotency(deps.db);
  router.use(requirePermission('store.sell'));

  router.get('/settings', async (_req, res) => {
    res.json(await deps.store.settings());
  });
  router.post('/scans', body(ScanBody), async (req, res) => {
    res.json(await deps.store.scan(req.body.barcode));
  });
  router.get('/sales', queryOf(SalesQuery), async (req, res) => {
    const q = queryValues(req, SalesQuery);
    res.json({ sales: await deps.store.list({ status: q.status, q: q.q, limit: q.limit }) });
  });
  router.post('/sales', body(SaleBody), async (req, res) => {
    const actor = req.principal!.staffId;
    const key = idempotencyKeyOf(req.get('idempotency-key'));
    const orderId = newOrderId(new Date(), key ? `store:${actor}:${key}` : undefined);
    const answer = await keyed.inTransaction({ scope: 'store.sale', actor, key, body: req.body }, async (tx) => {
      const done = await deps.store.sellIn(tx, { ...req.body, actor, orderId });
      return { status: done.created ? 201 : 200, body: { orderId, created: done.created } };
    });
    const { orderId: id } = answer.body as { orderId: string };
    res
      .status(answer.replayed ? 200 : answer.status)
      .json({ sale: await deps.store.get(id), created: !answer.replayed && answer.status === 201 });
  });
  router.post('/sales/open', body(OpenSaleBody), async (req, res) => {
    const actor = req.principal!.staffId;
    const key = idempotencyKeyOf(req.get('idempotency-key'));
    // The key is claimed with this body first: another body under it is 409 and opens nothing.
    const answer = await keyed.claimed({ scope: 'store.open', actor, key, body: req.body }, async () => {
      const sale = await deps.store.open({ customer: req.body.customer, actor, idempotencyKey: key });
      return { status: 201, body: { orderId: sale.id } };
    });
    res.status(answer.replayed ? 200 : 201).json(await deps.store.get((answer.body as { orderId: string }).orderId));
  });
  router.get('/sales/:id', async (req, res) => {
    res.json(await deps.store.get(String(req.params.id)));
  });
  router.post('/sales/:id/checkout', body(CheckoutBody), async (req, res) => {
    const actor = req.principal!.staffId;
    const id = String(req.params.id);
    const key = idempotencyKeyOf(req.get('idempotency-key'));
    await deps.store.get(id); // 404 before a key is kept for it
    const answer = await keyed.inTransaction({ scope: `store.checkout:${id}`, actor, key, body: req.body }, async (tx) => {
      const done = await deps.store.checkoutIn(tx, id, { ...req.body, actor });
      return { status: done.created ? 201 : 200, body: { orderId: id, created: done.created } };
    });
    res
      .status(answer.replayed ? 200 : answer.status)
      .json({ sale: await deps.store.get(id), created: !answer.replayed && answer.status === 201 });
  });
  router.post('/sales/:id/returns', body(ReturnBody), async (req, res) => {
    const actor = req.principal!.staffId;
    const id = String(req.params.id);
    const key = idempotencyKeyOf(req.get('idempotency-key'));
    await deps.store.get(id);
    const answer = await keyed.inTransaction({ scope: `store.return:${id}`, actor, key, body: req.body }, async (tx) => {
      const done = await deps.store.returnIn(tx, id, {
        ...req.body,
        actor,
        exchangeOrderId: req.body.exchange ? exchangeOrderIdFor(key && `${actor}:${key}`) : undefined,
      });
      return { status: 201, body: done };
    });
    const done = answer.body as { exchangeOrderId: string | null };
    res.status(answer.replayed ? 200 : 201).json({
      return: done,
      sale: await deps.store.get(id),
      exchange: done.exchangeOrderId ? await deps.store.get(done.exchangeOrderId) : null,
    });
  });
  router.get('/sales/:id/receipt.pdf', async (req, res) => {
    const sale = await deps.store.get(String(req.params.id));
    if (sale.status !== 'paid') throw conflict(`đơn ${sale.id} chưa thanh toán: chưa có hoá đơn`);
    const shop = await deps.shop.get();
    const [seller] = sale.seller ? await deps.db.select({ name: staff.name }).from(staff).where(eq(staff.id, sale.seller)) : [];
    const pdf = await receiptPdf(
      sale,
      { name: shop.profile?.name || shop.title, timezone: shop.profile?.timezone || 'Asia/Ho_Chi_Minh' },
      seller?.name ?? null,
    );
    res.type('application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="hoa-don-${sale.saleNumber}.pdf"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(pdf);
  });
  return router;
}
