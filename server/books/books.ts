/**
 * What the books API reads and writes: products, stock levels and the ledger, adjustments,
 * purchase and sales document lists, day/month summaries. Writes go through the books' data
 * access (db/books/: stock-ledger.ts, purchases.ts, documents.ts, cod.ts), which the activities
 * use too, so the rules live in one place.
 */
import { hasOwnEntry } from '../../definitions/rules/own';
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { products, purchaseLines, purchases, salesDocumentLines, salesDocuments, stockLowFlags, stockMovements } from '../../db/schema';
import { stockSettings, type CompiledShop } from '../../definitions/types';
import { applyMovements, type StockShortage } from '../../db/books/stock-ledger';
import { BooksInputError } from '../../db/books/errors';
import { requireCatalogueSkus } from '../../db/books/purchases';
import { localDay, localMidnight, shopOffsetMinutes } from '../../definitions/rules/local-day';
import type { Logger } from '../platform/logger';
import { afterCursor, pageOf } from '../http/pagination';
import { badRequest, HttpError } from '../http/errors';
import { FOLD_FROM, FOLD_TO, foldVietnamese } from '../../definitions/rules/fold';
import { createIdempotency } from '../http/idempotency';

export type ProductRow = typeof products.$inferSelect;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Reader = Pick<Db, 'select'>;

// The one Idempotency-Key mechanism lives in ./idempotency; re-exported for the books routes.
export { canonicalJson, idempotencyKeyOf, type StoredAnswer } from '../http/idempotency';

/** A local calendar range [from, to) as instants, from `YYYY-MM-DD` days in the shop's zone (default: this month). */
export function localRange(
  query: { from?: unknown; to?: unknown },
  offsetMinutes: number,
  now = new Date(),
): { from: Date; to: Date; fromDay: string; toDay: string } {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  for (const key of ['from', 'to'] as const) {
    const v = query[key];
    if (v !== undefined && (typeof v !== 'string' || !day.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))))
      throw badRequest(`${key} must be a date YYYY-MM-DD`);
  }
  const today = localDay(now, offsetMinutes);
  const firstOfMonth = `${today.slice(0, 7)}-01`;
  const fromDay = (query.from as string | undefined) ?? firstOfMonth;
  // `to` is inclusive for people; the range ends the next local midnight.
  const toDay = (query.to as string | undefined) ?? today;
  const range = { from: localMidnight(fromDay, offsetMinutes), to: localMidnight(toDay, offsetMinutes, 1), fromDay, toDay };
  if (range.to <= range.from) throw badRequest('to must not be before from');
  return range;
}

export function createBooksStore(db: Db, log: Logger) {
  const keyed = createIdempotency(db);
  /** Levels per (SKU, warehouse), with the SKU's threshold and whether it is low now. */
  async function levels(filter: { skus?: string[]; warehouse?: string }, q: Reader = db) {
    const where = and(
      filter.skus ? inArray(stockMovements.sku, filter.skus) : undefined,
      filter.warehouse ? eq(stockMovements.warehouse, filter.warehouse) : undefined,
    );
    const rows = await q
      .select({
        sku: stockMovements.sku,
        warehouse: stockMovements.warehouse,
        onHand: sql<number>`coalesce(sum(${stockMovements.qty}) filter (where ${stockMovements.kind} in ('receipt','issue','restock','adjust')), 0)::int`,
        reserved: sql<number>`coalesce(sum(${stockMovements.qty}) filter (where ${stockMovements.kind} in ('reserve','release')), 0)::int`,
      })
      .from(stockMovements)
      .where(where)
      .groupBy(stockMovements.sku, stockMovements.warehouse)
      .orderBy(asc(stockMovements.sku), asc(stockMovements.warehouse));
    const catalogue = new Map(
      (
        await q
          .select()
          .from(products)
          .where(rows.length ? inArray(products.sku, [...new Set(rows.map((r) => r.sku))]) : sql`false`)
      ).map((p) => [p.sku, p]),
    );
    return rows.map((r) => {
      const product = catalogue.get(r.sku);
      const available = r.onHand - r.reserved;
      const threshold = product?.lowStockThreshold ?? 0;
      return {
        sku: r.sku,
        name: product?.name ?? null,
        warehouse: r.warehouse,
        onHand: r.onHand,
        reserved: r.reserved,
        available,
        lowStockThreshold: threshold,
        low: threshold > 0 && available < threshold,
      };
    });
  }

  return {
    levels,

    /** Runs a write once per (operation, caller, Idempotency-Key), in one transaction with its answer (./idempotency). */
    idempotent: keyed.inTransaction,

    async listProducts(opts: { active?: boolean; barcode?: string; q?: string; limit: number; cursor?: string }) {
      const rows = await db
        .select()
        .from(products)
        .where(
          and(
            opts.active === undefined ? undefined : eq(products.active, opts.active),
            opts.barcode === undefined ? undefined : eq(products.barcode, opts.barcode),
            opts.q === undefined ? undefined : productSearch(opts.q),
            afterCursor(opts.cursor, products.createdAt, products.sku),
          ),
        )
        .orderBy(desc(products.createdAt), desc(products.sku))
        .limit(opts.limit + 1);
      const { page, nextCursor } = pageOf(
        rows.map((r) => ({ ...r, id: r.sku })),
        opts.limit,
      );
      const stock = await levels({ skus: page.map((p) => p.sku) });
      return {
        products: page.map(({ id: _id, ...p }) => ({
          ...productView(p),
          stock: stock.filter((s) => s.sku === p.sku).map(({ sku: _s, name: _n, ...s }) => s),
        })),
        nextCursor,
      };
    },

    async getProduct(sku: string) {
      const [p] = await db.select().from(products).where(eq(products.sku, sku));
      if (!p) return undefined;
      return { ...productView(p), stock: (await levels({ skus: [sku] })).map(({ sku: _s, name: _n, ...s }) => s) };
    },

    /** The SKU of the product with this barcode other than `exceptSku`, if any: a second product may not take it. */
    async barcodeOwner(barcode: string, exceptSku?: string): Promise<string | undefined> {
      const [row] = await db.select({ sku: products.sku }).from(products).where(eq(products.barcode, barcode));
      return row && row.sku !== exceptSku ? row.sku : undefined;
    },

    async createProduct(input: {
      sku: string;
      name: string;
      barcode?: string | null;
      unit?: string;
      price?: number;
      lowStockThreshold?: number;
      active?: boolean;
    }) {
      const [row] = await db
        .insert(products)
        .values({
          sku: input.sku,
          name: input.name,
          barcode: input.barcode ?? null,
          unit: input.unit ?? 'cái',
          price: input.price ?? 0,
          lowStockThreshold: input.lowStockThreshold ?? 0,
          active: input.active ?? true,
        })
        .onConflictDoNothing()
        .returning();
      return row ? productView(row) : undefined;
    },

    async updateProduct(
      sku: string,
      patch: Partial<Pick<ProductRow, 'name' | 'barcode' | 'unit' | 'price' | 'lowStockThreshold' | 'active'>>,
    ) {
      const [row] = await db
        .update(products)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(eq(products.sku, sku))
        .returning();
      return row ? productView(row) : undefined;
    },

    async movements(filter: { sku?: string; warehouse?: string; orderId?: string; kind?: string; limit: number; cursor?: string }) {
      const rows = await db
        .select()
        .from(stockMovements)
        .where(
          and(
            filter.sku ? eq(stockMovements.sku, filter.sku) : undefined,
            filter.warehouse ? eq(stockMovements.warehouse, filter.warehouse) : undefined,
            filter.orderId ? eq(stockMovements.orderId, filter.orderId) : undefined,
            filter.kind ? eq(stockMovements.kind, filter.kind) : undefined,
            afterCursor(filter.cursor, stockMovements.at, stockMovements.id),
          ),
        )
        .orderBy(desc(stockMovements.at), desc(stockMovements.id))
        .limit(filter.limit + 1);
      const { page, nextCursor } = pageOf(
        rows.map((r) => ({ ...r, createdAt: r.at, id: String(r.id) })),
        filter.limit,
      );
      return {
        movements: page.map(({ createdAt: _c, dedupeKey: _d, ...m }) => ({ ...m, id: Number(m.id), at: m.at.toISOString() })),
        nextCursor,
      };
    },

    /**
     * A stock count correction or write-off with its reason, in the caller's transaction. Refused
     * (nothing written) for an unknown SKU or warehouse, or when it would take on-hand stock below
     * zero and the shop does not allow that.
     */
    async adjust(
      tx: Tx,
      shop: CompiledShop,
      input: { sku: string; warehouse?: string; qty: number; reason: string; actor: string },
    ): Promise<
      { ok: true; movementId: number; level: Awaited<ReturnType<typeof levels>>[number] } | { ok: false; short: StockShortage[] }
    > {
      const settings = stockSettings(shop);
      const warehouse = input.warehouse ?? settings.defaultWarehouse;
      if (!hasOwnEntry(settings.warehouses, warehouse))
        throw new BooksInputError(`unknown warehouse "${warehouse}"`, [
          { field: 'warehouse', message: `must be one of: ${Object.keys(settings.warehouses).join(', ')}` },
        ]);
      await requireCatalogueSkus(tx, [input.sku], 'adjustment');
      const dedupeKey = `adjust:${randomUUID()}`;
      const result = await applyMovements(
        tx,
        log,
        settings,
        [{ sku: input.sku, warehouse, qty: input.qty, kind: 'adjust', reason: input.reason, actor: input.actor, dedupeKey }],
        'onHand',
      );
      if (!result.applied) return { ok: false, short: result.short };
      const [row] = await tx.select({ id: stockMovements.id }).from(stockMovements).where(eq(stockMovements.dedupeKey, dedupeKey));
      const [level] = await levels({ skus: [input.sku], warehouse }, tx);
      return { ok: true, movementId: row!.id, level: level! };
    },

    async lowFlags() {
      return db.select().from(stockLowFlags).where(eq(stockLowFlags.low, true));
    },

    async listPurchases(opts: { from: Date; to: Date; limit: number; cursor?: string }) {
      const rows = await db
        .select()
        .from(purchases)
        .where(
          and(
            gte(purchases.createdAt, opts.from),
            lt(purchases.createdAt, opts.to),
            afterCursor(opts.cursor, purchases.createdAt, purchases.id),
          ),
        )
        .orderBy(desc(purchases.createdAt), desc(purchases.id))
        .limit(opts.limit + 1);
      const { page, nextCursor } = pageOf(
        rows.map((r) => ({ ...r, id: String(r.id), dbId: r.id })),
        opts.limit,
      );
      const lines = await purchaseLinesOf(page.map((p) => p.dbId));
      return { purchases: page.map((p) => purchaseView(p, lines.get(p.dbId) ?? [])), nextCursor };
    },

    async getPurchase(number: string, q: Reader = db) {
      const [p] = await q.select().from(purchases).where(eq(purchases.number, number));
      if (!p) return undefined;
      return purchaseView(p, (await purchaseLinesOf([p.id], q)).get(p.id) ?? []);
    },

    /** Every purchase line of a range, oldest first: the purchases spreadsheet. */
    async purchaseRows(range: { from: Date; to: Date }) {
      return db
        .select({
          number: purchases.number,
          createdAt: purchases.createdAt,
          supplier: purchases.supplier,
          supplierInvoice: purchases.supplierInvoice,
          warehouse: purchases.warehouse,
          sku: purchaseLines.sku,
          qty: purchaseLines.qty,
          unitCost: purchaseLines.unitCost,
          amount: purchaseLines.amount,
        })
        .from(purchases)
        .innerJoin(purchaseLines, eq(purchaseLines.purchaseId, purchases.id))
        .where(and(gte(purchases.createdAt, range.from), lt(purchases.createdAt, range.to)))
        .orderBy(asc(purchases.seq), asc(purchaseLines.id));
    },

    async listSales(opts: { from: Date; to: Date; kind?: string; limit: number; cursor?: string }) {
      const rows = await db
        .select()
        .from(salesDocuments)
        .where(
          and(
            gte(salesDocuments.at, opts.from),
            lt(salesDocuments.at, opts.to),
            opts.kind ? eq(salesDocuments.kind, opts.kind) : undefined,
            afterCursor(opts.cursor, salesDocuments.createdAt, salesDocuments.id),
          ),
        )
        .orderBy(desc(salesDocuments.createdAt), desc(salesDocuments.id))
        .limit(opts.limit + 1);
      const { page, nextCursor } = pageOf(
        rows.map((r) => ({ ...r, id: String(r.id), dbId: r.id })),
        opts.limit,
      );
      const lines = await saleLinesOf(page.map((p) => p.dbId));
      return { documents: page.map((d) => saleView(d, lines.get(d.dbId) ?? [])), nextCursor };
    },

    async getSale(number: string) {
      const [d] = await db.select().from(salesDocuments).where(eq(salesDocuments.number, number));
      if (!d) return undefined;
      return saleView(d, (await saleLinesOf([d.id])).get(d.id) ?? []);
    },

    /** Every sales document line of a range by document date: the sales book (sổ bán hàng). */
    async salesRows(range: { from: Date; to: Date }) {
      return db
        .select({
          number: salesDocuments.number,
          kind: salesDocuments.kind,
          at: salesDocuments.at,
          orderId: salesDocuments.orderId,
          complaintId: salesDocuments.complaintId,
          reverses: salesDocuments.reverses,
          goodsTotal: salesDocuments.goodsTotal,
          customerName: salesDocuments.customerName,
          customerPhone: salesDocuments.customerPhone,
          channel: salesDocuments.channel,
          courier: salesDocuments.courier,
          shippingFee: salesDocuments.shippingFee,
          codAmount: salesDocuments.codAmount,
          sku: salesDocumentLines.sku,
          name: salesDocumentLines.name,
          qty: salesDocumentLines.qty,
          price: salesDocumentLines.price,
          amount: salesDocumentLines.amount,
        })
        .from(salesDocuments)
        .leftJoin(salesDocumentLines, eq(salesDocumentLines.documentId, salesDocuments.id))
        .where(and(gte(salesDocuments.at, range.from), lt(salesDocuments.at, range.to)))
        .orderBy(asc(salesDocuments.at), asc(salesDocuments.id), asc(salesDocumentLines.id));
    },

    /**
     * Sales and purchases per local day or month: documents, goods value, shipping fees, COD,
     * returns, complaint refunds, net sales (goods − returned − refunded), purchases. Periods without any document are left out.
     */
    async summary(shop: CompiledShop, range: { from: Date; to: Date }, granularity: 'day' | 'month') {
      const offset = shopOffsetMinutes(shop);
      const shift = sql.raw(`interval '${offset} minutes'`);
      // Local time as a plain timestamp (UTC + the shop's fixed offset), so the session time zone plays no part.
      const bucket = (col: SQL) =>
        sql<string>`to_char(date_trunc(${granularity}, (${col} at time zone 'UTC') + ${shift}), ${granularity === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM'})`;
      const sales = await db
        .select({
          period: bucket(sql`${salesDocuments.at}`).as('period'),
          sales: sql<number>`count(*) filter (where ${salesDocuments.kind} = 'sale')::int`,
          returns: sql<number>`count(*) filter (where ${salesDocuments.kind} = 'return')::int`,
          goods: sql<string>`coalesce(sum(${salesDocuments.goodsTotal}) filter (where ${salesDocuments.kind} = 'sale'), 0)`,
          returned: sql<string>`coalesce(-sum(${salesDocuments.goodsTotal}) filter (where ${salesDocuments.kind} = 'return'), 0)`,
          refunds: sql<number>`count(*) filter (where ${salesDocuments.kind} = 'refund')::int`,
          refunded: sql<string>`coalesce(-sum(${salesDocuments.goodsTotal}) filter (where ${salesDocuments.kind} = 'refund'), 0)`,
          shipping: sql<string>`coalesce(sum(${salesDocuments.shippingFee}), 0)`,
          cod: sql<string>`coalesce(sum(${salesDocuments.codAmount}), 0)`,
        })
        .from(salesDocuments)
        .where(and(gte(salesDocuments.at, range.from), lt(salesDocuments.at, range.to)))
        .groupBy(sql`1`);
      const bought = await db
        .select({
          period: bucket(sql`${purchases.createdAt}`).as('period'),
          purchases: sql<number>`count(*)::int`,
          total: sql<string>`coalesce(sum(${purchases.total}), 0)`,
        })
        .from(purchases)
        .where(and(gte(purchases.createdAt, range.from), lt(purchases.createdAt, range.to)))
        .groupBy(sql`1`);
      const periods = [...new Set([...sales.map((s) => s.period), ...bought.map((b) => b.period)])].sort();
      const rows = periods.map((period) => {
        const s = sales.find((x) => x.period === period);
        const b = bought.find((x) => x.period === period);
        const goods = Number(s?.goods ?? 0);
        const returned = Number(s?.returned ?? 0);
        const refunded = Number(s?.refunded ?? 0);
        return {
          period,
          salesDocuments: s?.sales ?? 0,
          returnDocuments: s?.returns ?? 0,
          refundDocuments: s?.refunds ?? 0,
          salesGoods: goods,
          returnedGoods: returned,
          refunded,
          netSales: goods - returned - refunded,
          shippingFees: Number(s?.shipping ?? 0),
          codAmount: Number(s?.cod ?? 0),
          purchaseDocuments: b?.purchases ?? 0,
          purchasesTotal: Number(b?.total ?? 0),
        };
      });
      const sum = (k: keyof (typeof rows)[number]) => rows.reduce((t, r) => t + (r[k] as number), 0);
      return {
        granularity,
        timezone: shop.profile.timezone,
        rows,
        totals: {
          salesDocuments: sum('salesDocuments'),
          returnDocuments: sum('returnDocuments'),
          refundDocuments: sum('refundDocuments'),
          salesGoods: sum('salesGoods'),
          returnedGoods: sum('returnedGoods'),
          refunded: sum('refunded'),
          netSales: sum('netSales'),
          shippingFees: sum('shippingFees'),
          codAmount: sum('codAmount'),
          purchaseDocuments: sum('purchaseDocuments'),
          purchasesTotal: sum('purchasesTotal'),
        },
      };
    },
  };

  async function purchaseLinesOf(ids: number[], q: Reader = db) {
    const rows = ids.length
      ? await q.select().from(purchaseLines).where(inArray(purchaseLines.purchaseId, ids)).orderBy(asc(purchaseLines.id))
      : [];
    const by = new Map<number, typeof rows>();
    for (const r of rows) by.set(r.purchaseId, [...(by.get(r.purchaseId) ?? []), r]);
    return by;
  }
  async function saleLinesOf(ids: number[]) {
    const rows = ids.length
      ? await db.select().from(salesDocumentLines).where(inArray(salesDocumentLines.documentId, ids)).orderBy(asc(salesDocumentLines.id))
      : [];
    const by = new Map<number, typeof rows>();
    for (const r of rows) by.set(r.documentId, [...(by.get(r.documentId) ?? []), r]);
    return by;
  }
}

export type BooksStore = ReturnType<typeof createBooksStore>;

function productView(p: ProductRow) {
  return {
    sku: p.sku,
    name: p.name,
    barcode: p.barcode,
    unit: p.unit,
    price: p.price,
    lowStockThreshold: p.lowStockThreshold,
    active: p.active,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

function purchaseView(p: Omit<typeof purchases.$inferSelect, 'id'>, lines: Array<typeof purchaseLines.$inferSelect>) {
  return {
    number: p.number,
    supplier: p.supplier,
    supplierInvoice: p.supplierInvoice,
    warehouse: p.warehouse,
    total: Number(p.total),
    note: p.note,
    actor: p.actor,
    createdAt: p.createdAt.toISOString(),
    lines: lines.map((l) => ({ sku: l.sku, qty: l.qty, unitCost: l.unitCost, amount: Number(l.amount) })),
  };
}

function saleView(d: Omit<typeof salesDocuments.$inferSelect, 'id'>, lines: Array<typeof salesDocumentLines.$inferSelect>) {
  return {
    number: d.number,
    kind: d.kind,
    orderId: d.orderId,
    complaintId: d.complaintId,
    reverses: d.reverses,
    channel: d.channel,
    customerName: d.customerName,
    customerPhone: d.customerPhone,
    courier: d.courier,
    goodsTotal: Number(d.goodsTotal),
    shippingFee: d.shippingFee,
    codAmount: d.codAmount,
    reason: d.reason,
    at: d.at.toISOString(),
    createdAt: d.createdAt.toISOString(),
    lines: lines.map((l) => ({ sku: l.sku, name: l.name, qty: l.qty, price: l.price, amount: Number(l.amount) })),
  };
}

/** The books' refusals as the API's one error shape; PostgreSQL unique violations (a race on the same invoice) as 409. */
export function booksHttpError(err: unknown): unknown {
  if (err instanceof BooksInputError) {
    if (err.kind === 'conflict') return new HttpError(409, 'conflict', err.message, { fields: err.fields });
    if (err.kind === 'not_found') return new HttpError(404, 'not_found', err.message);
    return new HttpError(422, 'invalid', err.message, { fields: err.fields });
  }
  const code = (err as { code?: string; cause?: { code?: string } })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  if (code === '23505')
    return new HttpError(409, 'conflict', 'the same document was recorded at the same moment by another request; reload and check');
  return err;
}

/** `LIKE` pattern text matching itself literally (`%`, `_` and a backslash typed by a person are not wildcards). */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The catalogue search of `GET /products?q=`: every word of `q` in the name (folded: no tone
 * marks, đ as d, any case), or `q` inside the SKU (any case), or `q` as the barcode exactly.
 */
function productSearch(q: string): SQL {
  const words = foldVietnamese(q).split(' ').filter(Boolean);
  const folded = sql`translate(${products.name}, ${FOLD_FROM}, ${FOLD_TO})`;
  const nameHas = words.length ? and(...words.map((w) => sql`${folded} like ${`%${likeLiteral(w)}%`}`)) : undefined;
  return sql`(${nameHas ?? sql`false`} or ${products.sku} ilike ${`%${likeLiteral(q.trim())}%`} or ${products.barcode} = ${q.trim()})`;
}
