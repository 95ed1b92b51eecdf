import { Router } from 'express';
import { requirePermission } from '../http/auth';
import type { BooksStore } from './books';
import { conflict, notFound } from '../http/errors';

const barcodeTaken = (barcode: string, owner: string) =>
  conflict(`mã vạch ${barcode} đã thuộc sản phẩm ${owner} — mỗi mã vạch chỉ của một sản phẩm (barcode already used by ${owner})`, {
    fields: [{ field: 'barcode', message: `đã thuộc sản phẩm ${owner}` }],
  });
import { body, queryOf, queryValues } from '../http/contract';
import { CreateProductBody, PatchProductBody, ProductsQuery } from './contract';

/** The product catalogue: SKUs whose stock is kept, with their levels per warehouse. */
export function productsRouter(deps: { books: BooksStore }): Router {
  const router = Router();
  router.get('/', requirePermission('orders.read'), queryOf(ProductsQuery), async (req, res) => {
    const q = queryValues(req, ProductsQuery);
    res.json(
      await deps.books.listProducts({ active: q.active, barcode: q.barcode, q: q.q, limit: q.limit, cursor: q.cursor || undefined }),
    );
  });
  /** A barcode another product has is a 409 naming the field; the unique index catches a race between two requests. */
  const barcodeFree = async (barcode: string | null | undefined, sku?: string) => {
    const owner = typeof barcode === 'string' ? await deps.books.barcodeOwner(barcode, sku) : undefined;
    if (owner) throw barcodeTaken(barcode!, owner);
  };
  const barcodeRace = (err: unknown, barcode: unknown) => {
    const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
    const pg = e?.code ? e : e?.cause;
    if (pg?.code === '23505' && pg.constraint === 'products_barcode_uq') return barcodeTaken(String(barcode), 'another product');
    return err;
  };
  router.post('/', requirePermission('stock.manage'), body(CreateProductBody), async (req, res) => {
    await barcodeFree(req.body.barcode);
    const created = await deps.books.createProduct(req.body).catch((err: unknown) => {
      throw barcodeRace(err, req.body.barcode);
    });
    if (!created) throw conflict(`product ${req.body.sku} already exists; change it with PATCH`);
    res.status(201).json({ ...created, stock: [] });
  });
  router.get('/:sku', requirePermission('orders.read'), async (req, res) => {
    const product = await deps.books.getProduct(String(req.params.sku));
    if (!product) throw notFound(`no product "${req.params.sku}"`);
    res.json(product);
  });
  router.patch('/:sku', requirePermission('stock.manage'), body(PatchProductBody), async (req, res) => {
    await barcodeFree(req.body.barcode, String(req.params.sku));
    const updated = await deps.books.updateProduct(String(req.params.sku), req.body).catch((err: unknown) => {
      throw barcodeRace(err, req.body.barcode);
    });
    if (!updated) throw notFound(`no product "${req.params.sku}"`);
    res.json((await deps.books.getProduct(updated.sku))!);
  });
  return router;
}
