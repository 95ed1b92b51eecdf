import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { activeShop } from '../../db/active-shop';
import { complaints, courierEvents, customers, documentCounters, orders, products, purchaseLines, purchases, salesDocumentLines, salesDocuments } from '../../db/schema';
import { fixedUtcOffsetMinutes } from '../../definitions/rules/business-time';
import { stockSettings, type CompiledShop } from '../../definitions/types';
import type { Logger } from '../../server/platform/logger';
import { expectedCod } from './cod';
import { applyMovements } from './stock';
import { hasOwnEntry } from '../../definitions/rules/own';

/** Document kinds and their number prefixes: phiếu nhập, hoá đơn bán hàng, phiếu trả hàng, phiếu hoàn tiền. */
export const DOCUMENT_PREFIX = { purchase: 'PN', sale: 'HD', return: 'TH', refund: 'HT' } as const;
export type DocumentKind = keyof typeof DOCUMENT_PREFIX;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Input the books refuse, with the fields at fault (the API answers 422 / 409 with them). */
export class BooksInputError extends Error {
  constructor(message: string, readonly fields: Array<{ field: string; message: string }> = [], readonly kind: 'invalid' | 'conflict' | 'not_found' = 'invalid') {
    super(message);
    this.name = 'BooksInputError';
  }
}

/** `PN-2026-000001`. */
export function documentNumber(kind: DocumentKind, year: number, seq: number): string {
  return `${DOCUMENT_PREFIX[kind]}-${year}-${String(seq).padStart(6, '0')}`;
}

/** The calendar year of an instant in the shop's time zone (a fixed offset, e.g. UTC+7). */
export function localYear(at: Date, utcOffsetMinutes: number): number {
  return new Date(at.getTime() + utcOffsetMinutes * 60_000).getUTCFullYear();
}

/** UTC offset of the shop's time zone in minutes (Asia/Ho_Chi_Minh: 420). */
export function shopOffsetMinutes(shop: Pick<CompiledShop, 'profile'> | undefined): number {
  return fixedUtcOffsetMinutes(shop?.profile.timezone ?? 'Asia/Ho_Chi_Minh') ?? 420;
}

/**
 * The next number of a kind in a year. The counter row is incremented in the caller's
 * transaction and stays locked until it commits: concurrent documents queue here, and a
 * document that rolls back gives its number back, so a year's numbers have no gaps.
 */
export async function nextDocumentSeq(tx: Tx, kind: DocumentKind, year: number): Promise<number> {
  const [row] = await tx.insert(documentCounters).values({ kind, year, last: 1 })
    .onConflictDoUpdate({ target: [documentCounters.kind, documentCounters.year], set: { last: sql`${documentCounters.last} + 1` } })
    .returning({ last: documentCounters.last });
  return row!.last;
}

export interface PurchaseInput {
  supplier: string;
  supplierInvoice?: string;
  warehouse?: string;
  note?: string;
  lines: Array<{ sku: string; qty: number; unitCost: number }>;
  actor: string;
}

/**
 * Records goods received from a supplier: the purchase document (numbered PN-<year>-NNNNNN)
 * and one receipt movement per line, all in one transaction (the caller's, when given). Unknown or inactive SKUs, an
 * unknown warehouse, or a supplier invoice already recorded change nothing.
 */
export async function createPurchase(db: Db, log: Logger, shop: CompiledShop, input: PurchaseInput, within?: Tx) {
  const settings = stockSettings(shop);
  const warehouse = input.warehouse ?? settings.defaultWarehouse;
  if (!hasOwnEntry(settings.warehouses, warehouse)) {
    throw new BooksInputError(`unknown warehouse "${warehouse}"`, [{ field: 'warehouse', message: `must be one of: ${Object.keys(settings.warehouses).join(', ')}` }]);
  }
  // Inside the caller's transaction, read on its connection: a second one from the pool per request could exhaust it.
  await requireCatalogueSkus(within ?? db, input.lines.map((l) => l.sku), 'lines');
  const offset = shopOffsetMinutes(shop);
  const write = async (tx: Tx) => {
    if (input.supplierInvoice) {
      const [dup] = await tx.select({ number: purchases.number }).from(purchases)
        .where(and(eq(purchases.supplier, input.supplier), eq(purchases.supplierInvoice, input.supplierInvoice)));
      if (dup) throw new BooksInputError(`invoice ${input.supplierInvoice} of ${input.supplier} is already recorded as ${dup.number}`, [{ field: 'supplierInvoice', message: `already recorded as ${dup.number}` }], 'conflict');
    }
    const now = new Date();
    const year = localYear(now, offset);
    const seq = await nextDocumentSeq(tx, 'purchase', year);
    const number = documentNumber('purchase', year, seq);
    const total = input.lines.reduce((sum, l) => sum + l.qty * l.unitCost, 0);
    const [doc] = await tx.insert(purchases).values({
      number, year, seq, supplier: input.supplier, supplierInvoice: input.supplierInvoice ?? null, warehouse, total, note: input.note ?? null, actor: input.actor, createdAt: now,
    }).returning();
    await tx.insert(purchaseLines).values(input.lines.map((l) => ({ purchaseId: doc!.id, sku: l.sku, qty: l.qty, unitCost: l.unitCost, amount: l.qty * l.unitCost })));
    await applyMovements(tx, log, settings, input.lines.map((l, i) => ({
      sku: l.sku, warehouse, qty: l.qty, kind: 'receipt' as const, reason: `${number} ${input.supplier}`, actor: input.actor, dedupeKey: `purchase:${number}:${i}`,
    })), 'none');
    return { ...doc!, lines: input.lines.map((l) => ({ ...l, amount: l.qty * l.unitCost })) };
  };
  return within ? write(within) : db.transaction(write);
}

/** 422 naming every SKU of the list that is not an active catalogue product. */
export async function requireCatalogueSkus(db: Pick<Db, 'select'>, skus: string[], field: string): Promise<void> {
  const known = new Set((await db.select({ sku: products.sku }).from(products).where(and(inArray(products.sku, [...new Set(skus)]), eq(products.active, true)))).map((p) => p.sku));
  const unknown = skus.map((sku, i) => ({ sku, i })).filter((x) => !known.has(x.sku));
  if (unknown.length) {
    throw new BooksInputError(`unknown or inactive SKU: ${[...new Set(unknown.map((u) => u.sku))].join(', ')}`, unknown.map((u) => ({ field: `${field}.${u.i}.sku`, message: `"${u.sku}" is not an active product` })));
  }
}

export interface SaleInput {
  orderId: string;
  channel?: string | null;
  courier?: string | null;
  customer: { name: string; phone: string };
  items: Array<{ sku: string; name: string | null; qty: number; price: number }>;
  shippingFee: number;
  codAmount: number;
}

/**
 * The sales document of a delivered order (HD-<year>-NNNNNN), dated at the courier's delivery
 * time. Written once per order: a retry, or a second call, returns the first document.
 */
export async function recordSaleDocument(db: Db, shop: CompiledShop | undefined, input: SaleInput): Promise<{ number: string; created: boolean }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sale:${input.orderId}`}))`);
    const [existing] = await tx.select({ number: salesDocuments.number }).from(salesDocuments)
      .where(and(eq(salesDocuments.orderId, input.orderId), eq(salesDocuments.kind, 'sale')));
    if (existing) return { number: existing.number, created: false };
    const [delivered] = await tx.select({ at: courierEvents.at }).from(courierEvents)
      .where(and(eq(courierEvents.orderId, input.orderId), eq(courierEvents.state, 'delivered'), eq(courierEvents.applied, true))).orderBy(desc(courierEvents.at)).limit(1);
    const at = delivered?.at ?? new Date();
    const year = localYear(at, shopOffsetMinutes(shop));
    const seq = await nextDocumentSeq(tx, 'sale', year);
    const number = documentNumber('sale', year, seq);
    const goodsTotal = input.items.reduce((sum, l) => sum + l.qty * l.price, 0);
    const [doc] = await tx.insert(salesDocuments).values({
      number, kind: 'sale', year, seq, orderId: input.orderId, channel: input.channel ?? null, courier: input.courier ?? null,
      customerName: input.customer.name, customerPhone: input.customer.phone, goodsTotal, shippingFee: input.shippingFee, codAmount: input.codAmount, at,
    }).returning({ id: salesDocuments.id });
    if (input.items.length) {
      await tx.insert(salesDocumentLines).values(input.items.map((l) => ({ documentId: doc!.id, sku: l.sku, name: l.name, qty: l.qty, price: l.price, amount: l.qty * l.price })));
    }
    return { number, created: true };
  });
}

/**
 * Reverses a delivered order's sale when its goods come back after delivery (a complaint, a
 * return the customer sends): a return document TH-<year>-NNNNNN with the sale's lines and
 * amounts negated, so sums over the books are net sales. Once per order.
 */
export async function recordSalesReturn(db: Db, shop: CompiledShop | undefined, input: { saleNumber: string; reason: string; actor: string }): Promise<{ number: string; created: boolean }> {
  return db.transaction(async (tx) => {
    const [sale] = await tx.select().from(salesDocuments).where(and(eq(salesDocuments.number, input.saleNumber), eq(salesDocuments.kind, 'sale')));
    // A sale always has its order (only a refund may have none).
    if (!sale?.orderId) throw new BooksInputError(`no sales document ${input.saleNumber}`, [], 'not_found');
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sale:${sale.orderId}`}))`);
    const [existing] = await tx.select({ number: salesDocuments.number }).from(salesDocuments)
      .where(and(eq(salesDocuments.orderId, sale.orderId), eq(salesDocuments.kind, 'return')));
    if (existing) return { number: existing.number, created: false };
    const at = new Date();
    const year = localYear(at, shopOffsetMinutes(shop));
    const seq = await nextDocumentSeq(tx, 'return', year);
    const number = documentNumber('return', year, seq);
    const [doc] = await tx.insert(salesDocuments).values({
      number, kind: 'return', year, seq, orderId: sale.orderId, reverses: sale.number, channel: sale.channel, courier: sale.courier,
      customerName: sale.customerName, customerPhone: sale.customerPhone, goodsTotal: -sale.goodsTotal, shippingFee: -sale.shippingFee, codAmount: -sale.codAmount,
      reason: input.reason, actor: input.actor, at,
    }).returning({ id: salesDocuments.id });
    const lines = await tx.select().from(salesDocumentLines).where(eq(salesDocumentLines.documentId, sale.id));
    if (lines.length) {
      await tx.insert(salesDocumentLines).values(lines.map((l) => ({ documentId: doc!.id, sku: l.sku, name: l.name, qty: -l.qty, price: l.price, amount: -l.amount })));
    }
    return { number, created: true };
  });
}

export interface PartialReturnInput {
  orderId: string;
  /** What the warehouse counted back (`returnedItems`, else `restockedItems` of its task): `[{sku, qty}]`. */
  returnedLines?: unknown;
  /** The courier's code of the return parcel, for the document's reason. */
  code?: string | null;
  actor: string;
}

/** Sale lines for the returned part: each SKU at the sale's price, capped at the quantity sold; null when a SKU was not sold. */
export function partialReturnLines(sold: Array<{ sku: string; name: string | null; qty: number; price: number }>, returned: unknown): Array<{ sku: string; name: string | null; qty: number; price: number }> | null {
  if (!Array.isArray(returned)) return null;
  const back = new Map<string, number>();
  for (const line of returned as Array<{ sku?: unknown; qty?: unknown }>) {
    const qty = typeof line?.qty === 'number' && Number.isFinite(line.qty) && line.qty > 0 ? Math.floor(line.qty) : 0;
    if (qty === 0) continue;
    if (typeof line.sku !== 'string') return null;
    back.set(line.sku, (back.get(line.sku) ?? 0) + qty);
  }
  if (back.size === 0) return null;
  const out: Array<{ sku: string; name: string | null; qty: number; price: number }> = [];
  for (const [sku, qty] of back) {
    // The same SKU sold on two lines: take it back at the higher price first, as the KPI does (definitions/kpi/returns.ts).
    const lines = sold.filter((l) => l.sku === sku).sort((a, b) => b.price - a.price);
    if (lines.length === 0) return null;
    let left = qty;
    for (const l of lines) {
      const take = Math.min(left, l.qty);
      if (take > 0) out.push({ sku, name: l.name, qty: take, price: l.price });
      left -= take;
    }
  }
  return out;
}

/**
 * The returned part of a partially delivered order (giao một phần): a return document
 * TH-<year>-NNNNNN linked to the sale, for that part only, dated when the warehouse received it.
 * Written once, at the warehouse's count — not at the courier's report — so the books never need
 * correcting when the count differs from the courier's figure, and the numbering stays gapless.
 * Goods: the lines the warehouse names at the sale's prices (capped at what was sold), else one
 * amount line of the order's returned amount (the courier's figure when the warehouse named
 * nothing priced). COD: the sale's COD less what the courier should collect for the part kept
 * (activities/books/cod.ts), so the books' net COD is the courier's remittance. Null when there is no
 * sale (not delivered, or recorded before the books) or nothing of value came back.
 */
export async function recordPartialReturnDocument(db: Db, shop: CompiledShop | undefined, input: PartialReturnInput): Promise<{ number: string; created: boolean; goods: number } | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sale:${input.orderId}`}))`);
    const [sale] = await tx.select().from(salesDocuments).where(and(eq(salesDocuments.orderId, input.orderId), eq(salesDocuments.kind, 'sale')));
    if (!sale) return null;
    const [existing] = await tx.select({ number: salesDocuments.number, goods: salesDocuments.goodsTotal }).from(salesDocuments)
      .where(and(eq(salesDocuments.orderId, input.orderId), eq(salesDocuments.kind, 'return')));
    if (existing) return { number: existing.number, created: false, goods: -Number(existing.goods) };
    const sold = await tx.select().from(salesDocumentLines).where(eq(salesDocumentLines.documentId, sale.id));
    let lines = partialReturnLines(sold, input.returnedLines);
    if (!lines) {
      const [order] = await tx.select({ returned: orders.returnedAmount }).from(orders).where(eq(orders.id, input.orderId));
      const amount = Math.min(order?.returned ?? 0, Number(sale.goodsTotal));
      lines = amount > 0 ? [{ sku: '-', name: 'Phần hàng hoàn (giao một phần)', qty: 1, price: amount }] : [];
    }
    const goods = Math.min(lines.reduce((sum, l) => sum + l.qty * l.price, 0), Number(sale.goodsTotal));
    if (goods <= 0) return null;
    const collected = (await expectedCod(tx, input.orderId)) ?? sale.codAmount;
    const codBack = Math.max(0, Math.min(sale.codAmount, sale.codAmount - collected));
    const at = new Date();
    const year = localYear(at, shopOffsetMinutes(shop));
    const seq = await nextDocumentSeq(tx, 'return', year);
    const number = documentNumber('return', year, seq);
    const [doc] = await tx.insert(salesDocuments).values({
      number, kind: 'return', year, seq, orderId: sale.orderId, reverses: sale.number, channel: sale.channel, courier: sale.courier,
      customerName: sale.customerName, customerPhone: sale.customerPhone, goodsTotal: -goods, shippingFee: 0, codAmount: -codBack,
      reason: `Giao một phần: phần hàng hoàn về kho${input.code ? ` (mã hoàn ${input.code})` : ''}`, actor: input.actor, at,
    }).returning({ id: salesDocuments.id });
    await tx.insert(salesDocumentLines).values(lines.map((l) => ({ documentId: doc!.id, sku: l.sku, name: l.name, qty: -l.qty, price: l.price, amount: -l.qty * l.price })));
    return { number, created: true, goods };
  });
}

export interface RefundInput {
  complaintId: string;
  /** VND paid back to the customer (positive); the document carries it negated. */
  amount: number;
  /** The payment voucher or bank transaction the accountant entered. */
  reference: string;
  actor: string;
}

/**
 * Money paid back on a complaint: a refund document HT-<year>-NNNNNN with the amount negated,
 * linked to the complaint and its order (if any), dated now. Sums over the books subtract it.
 * Once per complaint: a retry, or a second call, returns the first document.
 */
export async function recordRefundDocument(db: Db, shop: CompiledShop | undefined, input: RefundInput): Promise<{ number: string; created: boolean }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`refund:${input.complaintId}`}))`);
    const [existing] = await tx.select({ number: salesDocuments.number }).from(salesDocuments)
      .where(and(eq(salesDocuments.complaintId, input.complaintId), eq(salesDocuments.kind, 'refund')));
    if (existing) return { number: existing.number, created: false };
    const [complaint] = await tx.select({ orderId: complaints.orderId, name: customers.name, phone: customers.phone }).from(complaints)
      .innerJoin(customers, eq(customers.id, complaints.customerId)).where(eq(complaints.id, input.complaintId));
    if (!complaint) throw new BooksInputError(`no complaint ${input.complaintId}`, [], 'not_found');
    const [sale] = complaint.orderId
      ? await tx.select().from(salesDocuments).where(and(eq(salesDocuments.orderId, complaint.orderId), eq(salesDocuments.kind, 'sale')))
      : [];
    const at = new Date();
    const year = localYear(at, shopOffsetMinutes(shop));
    const seq = await nextDocumentSeq(tx, 'refund', year);
    const number = documentNumber('refund', year, seq);
    await tx.insert(salesDocuments).values({
      number, kind: 'refund', year, seq, orderId: complaint.orderId, complaintId: input.complaintId, reverses: sale?.number ?? null,
      channel: sale?.channel ?? null, courier: sale?.courier ?? null, customerName: sale?.customerName ?? complaint.name, customerPhone: sale?.customerPhone ?? complaint.phone,
      goodsTotal: -input.amount, shippingFee: 0, codAmount: 0, reason: `Hoàn tiền khiếu nại ${input.complaintId}: ${input.reference}`, actor: input.actor, at,
    });
    return { number, created: true };
  });
}

/** Activities of the books, called by the order and complaint workflows. */
export function createBooksActivities(deps: { db: Db; log: Logger }) {
  return {
    /** Once per delivered order: its sales document (idempotent by order id). */
    async recordSale(input: SaleInput): Promise<{ number: string; created: boolean }> {
      const result = await recordSaleDocument(deps.db, await activeShop(deps.db), input);
      if (result.created) deps.log.info({ orderId: input.orderId, number: result.number }, 'sales document recorded');
      return result;
    },

    /**
     * Goods of a delivered order came back (a complaint's refund or exchange): reverses its sale
     * with a return document, once. Null when the order has no sale (it was never delivered).
     */
    async reverseSale(input: { orderId: string; reason: string; actor: string }): Promise<{ number: string; created: boolean } | null> {
      const [sale] = await deps.db.select({ number: salesDocuments.number }).from(salesDocuments)
        .where(and(eq(salesDocuments.orderId, input.orderId), eq(salesDocuments.kind, 'sale')));
      if (!sale) return null;
      return recordSalesReturn(deps.db, await activeShop(deps.db), { saleNumber: sale.number, reason: input.reason, actor: input.actor });
    },

    /**
     * The warehouse received the returned part of a partial delivery: its return document, once
     * per order (see recordPartialReturnDocument). Null when there is nothing to book.
     */
    async recordPartialReturn(input: PartialReturnInput): Promise<{ number: string; created: boolean; goods: number } | null> {
      const result = await recordPartialReturnDocument(deps.db, await activeShop(deps.db), input);
      if (result?.created) deps.log.info({ orderId: input.orderId, number: result.number, goods: result.goods }, 'partial return document recorded');
      return result;
    },

    /** Accounting paid a complaint's refund: its refund document, once per complaint. */
    async recordComplaintRefund(input: RefundInput): Promise<{ number: string; created: boolean }> {
      const result = await recordRefundDocument(deps.db, await activeShop(deps.db), input);
      if (result.created) deps.log.info({ complaintId: input.complaintId, number: result.number, amount: input.amount }, 'refund document recorded');
      return result;
    },

    /**
     * The most a refund on this order may pay back: what the customer was to pay for it (the
     * order total), or its sale's goods and shipping once delivered; null when neither is known.
     */
    async orderRefundLimit(input: { orderId: string }): Promise<number | null> {
      const [sale] = await deps.db.select({ goods: salesDocuments.goodsTotal, shipping: salesDocuments.shippingFee }).from(salesDocuments)
        .where(and(eq(salesDocuments.orderId, input.orderId), eq(salesDocuments.kind, 'sale')));
      if (sale) return Number(sale.goods) + sale.shipping;
      const [order] = await deps.db.select({ total: orders.total }).from(orders).where(eq(orders.id, input.orderId));
      return order?.total ?? null;
    },
  };
}
