import { Router } from 'express';
import { requirePermission } from '../http/auth';
import type { BooksStore } from './books';
import { conflict, notFound } from '../http/errors';
import { body, queryOf, queryValues } from '../http/contract';
import { CreateProductBody, PatchProductBody, ProductsQuery } from './contract';

/** The product catalogue: SKUs whose stock is kept, with their levels per warehouse. */
export function productsRouter(deps: { books: BooksStore }): Router {
  const router = Router();
  router.get('/', requirePermission('orders.read'), queryOf(ProductsQuery), async (req, res) => {
    const q = queryValues(req, ProductsQuery);
    res.json(await deps.books.listProducts({ active: q.active, limit: q.limit, cursor: q.cursor || undefined }));
  });
  router.post('/', requirePermission('stock.manage'), body(CreateProductBody), async (req, res) => {
    const created = await deps.books.createProduct(req.body);
    if (!created) throw conflict(`product ${req.body.sku} already exists; change it with PATCH`);
    res.status(201).json({ ...created, stock: [] });
  });
  router.get('/:sku', requirePermission('orders.read'), async (req, res) => {
    const product = await deps.books.getProduct(String(req.params.sku));
    if (!product) throw notFound(`no product "${req.params.sku}"`);
    res.json(product);
  });
  router.patch('/:sku', requirePermission('stock.manage'), body(PatchProductBody), async (req, res) => {
    const updated = await deps.books.updateProduct(String(req.params.sku), req.body);
    if (!updated) throw notFound(`no product "${req.params.sku}"`);
    res.json((await deps.books.getProduct(updated.sku))!);
  });
  return router;
}
