/**
 * Suppliers and purchase orders in the database. A purchase order's receipt is the one place
 * that turns it into stock: it records a purchase document (db/books/purchases.ts, the same
 * document and receipt movements as a purchase typed in by hand) and adds to the lines' received
 * quantities, in one transaction with the order row locked, so a retry or a concurrent second
 * receipt never receives the same goods twice.
 */
import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../client';
import { purchaseOrderLines, purchaseOrderReceipts, purchaseOrders, suppliers, type SupplierContact } from '../schema';
import { stockSettings, type CompiledShop } from '../../definitions/types';
import { hasOwnEntry } from '../../definitions/rules/own';
import { localDay, shopOffsetMinutes } from '../../definitions/rules/local-day';
import { BooksInputError } from '../books/errors';
import { createPurchase, requireCatalogueSkus } from '../books/purchases';
import type { Tx } from '../books/documents';

export type SupplierRow = typeof suppliers.$inferSelect;
export type PurchaseOrderStatus = 'draft' | 'sent' | 'received' | 'cancelled';

export interface SupplierInput {
  name: string;
  taxCode?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  leadTimeDays?: number;
  contacts?: SupplierContact[];
  note?: string | null;
  active?: boolean;
}

export interface PurchaseOrderInput {
  supplierId: string;
  warehouse?: string;
  /** Local day (YYYY-MM-DD); default today in the shop's zone. */
  orderDate?: string;
  note?: string;
  lines: Array<{ sku: string; qty: number; unitCost: number }>;
  actor: string;
}

export interface ReceiptInput {
  /** What arrived, per SKU; absent: everything still outstanding. */
  lines?: Array<{ sku: string; qty: number }>;
  supplierInvoice?: string;
  note?: string;
  actor: string;
}

const newId = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;

/** `day` + `days` calendar days, as YYYY-MM-DD. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function supplierView(s: SupplierRow) {
  return {
    id: s.id,
    name: s.name,
    taxCode: s.taxCode,
    phone: s.phone,
    email: s.email,
    address: s.address,
    leadTimeDays: s.leadTimeDays,
    contacts: s.contacts,
    note: s.note,
    active: s.active,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
export type SupplierView = ReturnType<typeof supplierView>;

/** A unique-name clash as the one refusal shape: 409 at `name`. */
function nameTaken(err: unknown, name: string): unknown {
  const code = (err as { code?: string; cause?: { code?: string } })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  if (code === '23505')
    return new BooksInputError(
      `a supplier named "${name}" already exists`,
      [{ field: 'name', message: 'already used by another supplier' }],
      'conflict',
    );
  return err;
}

export function createSuppliersStore(db: Db, log: Logger) {
  async function supplierOf(id: string, q: Pick<Db, 'select'> = db) {
    const [row] = await q.select().from(suppliers).where(eq(suppliers.id, id));
    return row;
  }

  async function orderView(id: string, q: Pick<Db, 'select'> = db) {
    const [po] = await q.select().from(purchaseOrders).where(eq(purchaseOrders.id, id));
    if (!po) return undefined;
    const [supplier] = await q.select({ id: suppliers.id, name: suppliers.name }).from(suppliers).where(eq(suppliers.id, po.supplierId));
    const lines = await q
      .select()
      .from(purchaseOrderLines)
      .where(eq(purchaseOrderLines.purchaseOrderId, id))
      .orderBy(asc(purchaseOrderLines.lineNo));
    const receipts = await q
      .select()
      .from(purchaseOrderReceipts)
      .where(eq(purchaseOrderReceipts.purchaseOrderId, id))
      .orderBy(asc(purchaseOrderReceipts.id));
    return {
      id: po.id,
      supplier: supplier ?? { id: po.supplierId, name: po.supplierId },
      status: po.status as PurchaseOrderStatus,
      warehouse: po.warehouse,
      orderDate: po.orderDate,
      expectedDate: po.expectedDate,
      note: po.note,
      total: po.total,
      createdBy: po.createdBy,
      createdAt: po.createdAt.toISOString(),
      updatedAt: po.updatedAt.toISOString(),
      lines: lines.map((l) => ({
        sku: l.sku,
        qty: l.qty,
        unitCost: l.unitCost,
        amount: l.qty * l.unitCost,
        receivedQty: l.receivedQty,
        outstandingQty: l.qty - l.receivedQty,
      })),
      receipts: receipts.map((r) => ({
        purchaseNumber: r.purchaseNumber,
        lines: r.lines.map(({ sku, qty }) => ({ sku, qty })),
        actor: r.actor,
        createdAt: r.createdAt.toISOString(),
      })),
    };
  }
  type OrderView = NonNullable<Awaited<ReturnType<typeof orderView>>>;

  /** The order row locked for this transaction, or 404. */
  async function lockedOrder(tx: Tx, id: string) {
    const [po] = await tx.select().from(purchaseOrders).where(eq(purchaseOrders.id, id)).for('update');
    if (!po) throw new BooksInputError(`no purchase order "${id}"`, [], 'not_found');
    return po;
  }

  async function setStatus(id: string, to: PurchaseOrderStatus, allowedFrom: PurchaseOrderStatus[]): Promise<OrderView> {
    return db.transaction(async (tx) => {
      const po = await lockedOrder(tx, id);
      if (po.status !== to) {
        if (!allowedFrom.includes(po.status as PurchaseOrderStatus))
          throw new BooksInputError(
            `purchase order ${id} is ${po.status}; only a ${allowedFrom.join(' or ')} one can become ${to}`,
            [{ field: 'status', message: `is ${po.status}` }],
            'conflict',
          );
        if (to === 'cancelled') {
          const [received] = await tx
            .select({ n: sql<number>`count(*)::int` })
            .from(purchaseOrderReceipts)
            .where(eq(purchaseOrderReceipts.purchaseOrderId, id));
          if (received && received.n > 0)
            throw new BooksInputError(
              `purchase order ${id} has goods received already; it cannot be cancelled`,
              [{ field: 'status', message: 'has receipts' }],
              'conflict',
            );
        }
        await tx.update(purchaseOrders).set({ status: to, updatedAt: new Date() }).where(eq(purchaseOrders.id, id));
      }
      return (await orderView(id, tx))!;
    });
  }

  return {
    async listSuppliers(opts: { active?: boolean; q?: string }) {
      const rows = await db
        .select()
        .from(suppliers)
        .where(
          and(
            opts.active === undefined ? undefined : eq(suppliers.active, opts.active),
            opts.q ? sql`lower(${suppliers.name}) like ${`%${opts.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`}` : undefined,
          ),
        )
        .orderBy(asc(suppliers.name));
      return rows.map(supplierView);
    },

    async getSupplier(id: string) {
      const row = await supplierOf(id);
      return row && supplierView(row);
    },

    async createSupplier(input: SupplierInput) {
      try {
        const [row] = await db
          .insert(suppliers)
          .values({
            id: newId('sup'),
            name: input.name,
            taxCode: input.taxCode ?? null,
            phone: input.phone ?? null,
            email: input.email ?? null,
            address: input.address ?? null,
            leadTimeDays: input.leadTimeDays ?? 0,
            contacts: input.contacts ?? [],
            note: input.note ?? null,
            active: input.active ?? true,
          })
          .returning();
        return supplierView(row!);
      } catch (err) {
        throw nameTaken(err, input.name);
      }
    },

    async updateSupplier(id: string, patch: Partial<SupplierInput>) {
      try {
        const [row] = await db
          .update(suppliers)
          .set({ ...patch, updatedAt: new Date() })
          .where(eq(suppliers.id, id))
          .returning();
        return row && supplierView(row);
      } catch (err) {
        throw nameTaken(err, patch.name ?? '');
      }
    },

    async listPurchaseOrders(opts: { status?: PurchaseOrderStatus; supplierId?: string }) {
      const rows = await db
        .select({ id: purchaseOrders.id })
        .from(purchaseOrders)
        .where(
          and(
            opts.status ? eq(purchaseOrders.status, opts.status) : undefined,
            opts.supplierId ? eq(purchaseOrders.supplierId, opts.supplierId) : undefined,
          ),
        )
        .orderBy(desc(purchaseOrders.createdAt), desc(purchaseOrders.id))
        .limit(200);
      const views: OrderView[] = [];
      for (const r of rows) views.push((await orderView(r.id))!);
      return views;
    },

    getPurchaseOrder: (id: string) => orderView(id),

    /**
     * A draft order to a supplier: catalogue SKUs only (each once), the shop's warehouse, and the
     * expected day = the order day + the supplier's lead time.
     */
    async createPurchaseOrder(shop: CompiledShop, input: PurchaseOrderInput): Promise<OrderView> {
      const supplier = await supplierOf(input.supplierId);
      if (!supplier)
        throw new BooksInputError(`no supplier "${input.supplierId}"`, [{ field: 'supplierId', message: 'is not a supplier' }]);
      if (!supplier.active)
        throw new BooksInputError(`supplier ${supplier.name} is inactive`, [{ field: 'supplierId', message: 'is an inactive supplier' }]);
      const settings = stockSettings(shop);
      const warehouse = input.warehouse ?? settings.defaultWarehouse;
      if (!hasOwnEntry(settings.warehouses, warehouse))
        throw new BooksInputError(`unknown warehouse "${warehouse}"`, [
          { field: 'warehouse', message: `must be one of: ${Object.keys(settings.warehouses).join(', ')}` },
        ]);
      const seen = new Map<string, number>();
      input.lines.forEach((l, i) => {
        if (seen.has(l.sku))
          throw new BooksInputError(`SKU ${l.sku} is on two lines`, [
            { field: `lines.${i}.sku`, message: `already on line ${seen.get(l.sku)! + 1}; put the quantities together` },
          ]);
        seen.set(l.sku, i);
      });
      await requireCatalogueSkus(
        db,
        input.lines.map((l) => l.sku),
        'lines',
      );
      const orderDate = input.orderDate ?? localDay(new Date(), shopOffsetMinutes(shop));
      const id = newId('po');
      await db.transaction(async (tx) => {
        await tx.insert(purchaseOrders).values({
          id,
          supplierId: supplier.id,
          status: 'draft',
          warehouse,
          orderDate,
          expectedDate: addDays(orderDate, supplier.leadTimeDays),
          note: input.note ?? null,
          total: input.lines.reduce((sum, l) => sum + l.qty * l.unitCost, 0),
          createdBy: input.actor,
        });
        await tx
          .insert(purchaseOrderLines)
          .values(input.lines.map((l, i) => ({ purchaseOrderId: id, lineNo: i + 1, sku: l.sku, qty: l.qty, unitCost: l.unitCost })));
      });
      return (await orderView(id))!;
    },

    send: (id: string) => setStatus(id, 'sent', ['draft']),
    cancel: (id: string) => setStatus(id, 'cancelled', ['draft', 'sent']),

    /**
     * Receives goods against a sent order: one purchase document (PN) for what arrived, its
     * receipt movements, and the lines' received quantities, in the caller's transaction (the
     * Idempotency-Key's) with the order locked. Nothing outstanding and nothing named: the order as
     * it is, no document (`purchase: null`) — receiving a received order twice moves no stock.
     */
    async receive(shop: CompiledShop, id: string, input: ReceiptInput, tx: Tx): Promise<{ order: OrderView; purchase: string | null }> {
      const po = await lockedOrder(tx, id);
      const lines = await tx
        .select()
        .from(purchaseOrderLines)
        .where(eq(purchaseOrderLines.purchaseOrderId, id))
        .orderBy(asc(purchaseOrderLines.lineNo));
      if (po.status === 'received' && !input.lines?.length) return { order: (await orderView(id, tx))!, purchase: null };
      if (po.status !== 'sent')
        throw new BooksInputError(
          po.status === 'draft'
            ? `purchase order ${id} is still a draft; send it to the supplier first`
            : `purchase order ${id} is ${po.status}; nothing more can be received`,
          [{ field: 'status', message: `is ${po.status}` }],
          'conflict',
        );
      const bySku = new Map(lines.map((l) => [l.sku, l]));
      let arriving: Array<{ line: (typeof lines)[number]; qty: number }>;
      if (input.lines?.length) {
        const named = new Set<string>();
        arriving = input.lines.map((l, i) => {
          const line = bySku.get(l.sku);
          if (!line)
            throw new BooksInputError(`SKU ${l.sku} is not on purchase order ${id}`, [
              { field: `lines.${i}.sku`, message: 'is not on this order' },
            ]);
          if (named.has(l.sku))
            throw new BooksInputError(`SKU ${l.sku} is named twice`, [{ field: `lines.${i}.sku`, message: 'named twice' }]);
          named.add(l.sku);
          const outstanding = line.qty - line.receivedQty;
          if (l.qty > outstanding)
            throw new BooksInputError(`only ${outstanding} of ${l.sku} are outstanding`, [
              { field: `lines.${i}.qty`, message: `at most ${outstanding} (ordered ${line.qty}, received ${line.receivedQty})` },
            ]);
          return { line, qty: l.qty };
        });
      } else {
        arriving = lines.filter((l) => l.qty > l.receivedQty).map((line) => ({ line, qty: line.qty - line.receivedQty }));
      }
      const [supplier] = await tx.select({ name: suppliers.name }).from(suppliers).where(eq(suppliers.id, po.supplierId));
      const purchase = await createPurchase(
        db,
        log,
        shop,
        {
          supplier: supplier?.name ?? po.supplierId,
          ...(input.supplierInvoice ? { supplierInvoice: input.supplierInvoice } : {}),
          warehouse: po.warehouse,
          note: [`Nhận theo đơn đặt hàng ${id}`, input.note].filter(Boolean).join('. '),
          lines: arriving.map((a) => ({ sku: a.line.sku, qty: a.qty, unitCost: a.line.unitCost })),
          actor: input.actor,
        },
        tx,
      );
      for (const a of arriving)
        await tx
          .update(purchaseOrderLines)
          .set({ receivedQty: sql`${purchaseOrderLines.receivedQty} + ${a.qty}` })
          .where(eq(purchaseOrderLines.id, a.line.id));
      await tx.insert(purchaseOrderReceipts).values({
        purchaseOrderId: id,
        purchaseNumber: purchase.number,
        lines: arriving.map((a) => ({ lineNo: a.line.lineNo, sku: a.line.sku, qty: a.qty })),
        actor: input.actor,
      });
      const [left] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(purchaseOrderLines)
        .where(and(eq(purchaseOrderLines.purchaseOrderId, id), sql`${purchaseOrderLines.receivedQty} < ${purchaseOrderLines.qty}`));
      await tx
        .update(purchaseOrders)
        .set({ status: left && left.n > 0 ? 'sent' : 'received', updatedAt: new Date() })
        .where(eq(purchaseOrders.id, id));
      return { order: (await orderView(id, tx))!, purchase: purchase.number };
    },
  };
}

export type SuppliersStore = ReturnType<typeof createSuppliersStore>;
