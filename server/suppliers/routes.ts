import { Router } from 'express';
import type { SuppliersStore } from '../../db/suppliers/suppliers';
import { requirePermission } from '../http/auth';
import { body, queryOf, queryValues } from '../http/contract';
import { notFound } from '../http/errors';
import type { ShopCache } from '../shop/shop-cache';
import { booksHttpError, idempotencyKeyOf, type BooksStore } from '../books/books';
import { PurchaseOrderBody, PurchaseOrdersQuery, ReceiptBody, SupplierBody, SupplierPatch, SuppliersQuery } from './contract';

/** The one refusal shape for the store's BooksInputErrors (422 / 409 / 404 with fields). */
async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw booksHttpError(err);
  }
}

/** `/suppliers`: who the shop buys from, their contacts and lead times. */
export function suppliersRouter(deps: { suppliers: SuppliersStore }): Router {
  const router = Router();
  router.use(requirePermission('stock.manage'));
  router.get('/', queryOf(SuppliersQuery), async (req, res) => {
    const q = queryValues(req, SuppliersQuery);
    res.json({ suppliers: await deps.suppliers.listSuppliers({ active: q.active, q: q.q }) });
  });
  router.post('/', body(SupplierBody), async (req, res) => {
    res.status(201).json(await refusing(() => deps.suppliers.createSupplier(req.body)));
  });
  router.get('/:id', async (req, res) => {
    const supplier = await deps.suppliers.getSupplier(String(req.params.id));
    if (!supplier) throw notFound(`no supplier "${req.params.id}"`);
    res.json(supplier);
  });
  router.patch('/:id', body(SupplierPatch), async (req, res) => {
    const supplier = await refusing(() => deps.suppliers.updateSupplier(String(req.params.id), req.body));
    if (!supplier) throw notFound(`no supplier "${req.params.id}"`);
    res.json(supplier);
  });
  router.delete('/:id', async (req, res) => {
    const supplier = await deps.suppliers.updateSupplier(String(req.params.id), { active: false });
    if (!supplier) throw notFound(`no supplier "${req.params.id}"`);
    res.json(supplier);
  });
  return router;
}

/** `/purchase-orders`: orders to suppliers, and their receipts into stock. */
export function purchaseOrdersRouter(deps: { suppliers: SuppliersStore; books: BooksStore; shop: ShopCache }): Router {
  const router = Router();
  router.use(requirePermission('stock.manage'));
  router.get('/', queryOf(PurchaseOrdersQuery), async (req, res) => {
    const q = queryValues(req, PurchaseOrdersQuery);
    res.json({ purchaseOrders: await deps.suppliers.listPurchaseOrders({ status: q.status, supplierId: q.supplierId }) });
  });
  router.post('/', body(PurchaseOrderBody), async (req, res) => {
    const shop = await deps.shop.get();
    const order = await refusing(() => deps.suppliers.createPurchaseOrder(shop, { ...req.body, actor: req.principal!.staffId }));
    res.status(201).json(order);
  });
  router.get('/:id', async (req, res) => {
    const order = await deps.suppliers.getPurchaseOrder(String(req.params.id));
    if (!order) throw notFound(`no purchase order "${req.params.id}"`);
    res.json(order);
  });
  router.post('/:id/send', async (req, res) => {
    res.json(await refusing(() => deps.suppliers.send(String(req.params.id))));
  });
  router.post('/:id/cancel', async (req, res) => {
    res.json(await refusing(() => deps.suppliers.cancel(String(req.params.id))));
  });
  // The order row is locked for the receipt: a retried or concurrent receive never takes the same goods in twice.
  router.post('/:id/receive', body(ReceiptBody), async (req, res) => {
    const shop = await deps.shop.get();
    const id = String(req.params.id);
    const actor = req.principal!.staffId;
    const answer = await refusing(() =>
      deps.books.idempotent(
        { scope: `purchase-order-receipt:${id}`, actor, key: idempotencyKeyOf(req.get('idempotency-key')), body: req.body },
        async (tx) => {
          const { order, purchase } = await deps.suppliers.receive(shop, id, { ...req.body, actor }, tx);
          if (!purchase) return { status: 200, body: { order, purchase: null } };
          return { status: 201, body: { order, purchase: (await deps.books.getPurchase(purchase, tx))! } };
        },
      ),
    );
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(answer.status).json(answer.body);
  });
  return router;
}
