/**
 * The books' documents in the database: sales documents of delivered orders (HD), their returns
 * (TH) and complaint refunds (HT), numbered without gaps per local year and kind; written once per
 * order or complaint. Purchases (PN) are db/books/purchases.ts, partial returns
 * db/books/partial-return.ts. Used by the books activities and by the books API.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { complaints, courierEvents, customers, documentCounters, salesDocumentLines, salesDocuments } from '../schema';
import type { CompiledShop } from '../../definitions/types';
import { localYear, shopOffsetMinutes } from '../../definitions/rules/local-day';
import { BooksInputError } from './errors';

/** Document kinds and their number prefixes: phiếu nhập, hoá đơn bán hàng, phiếu trả hàng, phiếu hoàn tiền. */
export const DOCUMENT_PREFIX = { purchase: 'PN', sale: 'HD', return: 'TH', refund: 'HT' } as const;
export type DocumentKind = keyof typeof DOCUMENT_PREFIX;

/** A transaction of the db client. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** `PN-2026-000001`. */
export function documentNumber(kind: DocumentKind, year: number, seq: number): string {
  return `${DOCUMENT_PREFIX[kind]}-${year}-${String(seq).padStart(6, '0')}`;
}

/**
 * The next number of a kind in a year. The counter row is incremented in the caller's
 * transaction and stays locked until it commits: concurrent documents queue here, and a
 * document that rolls back gives its number back, so a year's numbers have no gaps.
 */
export async function nextDocumentSeq(tx: Tx, kind: DocumentKind, year: number): Promise<number> {
  const [row] = await tx
    .insert(documentCounters)
    .values({ kind, year, last: 1 })
    .onConflictDoUpdate({ target: [documentCounters.kind, documentCounters.year], set: { last: sql`${documentCounters.last} + 1` } })
    .returning({ last: documentCounters.last });
  return row!.last;
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
export async function recordSaleDocument(
  db: Db,
  shop: CompiledShop | undefined,
  input: SaleInput,
): Promise<{ number: string; created: boolean }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sale:${input.orderId}`}))`);
    const [existing] = await tx
      .select({ number: salesDocuments.number })
      .from(salesDocuments)
      .where(and(eq(salesDocuments.orderId, input.orderId), eq(salesDocuments.kind, 'sale')));
    if (existing) return { number: existing.number, created: false };
    const [delivered] = await tx
      .select({ at: courierEvents.at })
      .from(courierEvents)
      .where(and(eq(courierEvents.orderId, input.orderId), eq(courierEvents.state, 'delivered'), eq(courierEvents.applied, true)))
      .orderBy(desc(courierEvents.at))
      .limit(1);
    const at = delivered?.at ?? new Date();
    const year = localYear(at, shopOffsetMinutes(shop));
    const seq = await nextDocumentSeq(tx, 'sale', year);
    const number = documentNumber('sale', year, seq);
    const goodsTotal = input.items.reduce((sum, l) => sum + l.qty * l.price, 0);
    const [doc] = await tx
      .insert(salesDocuments)
      .values({
        number,
        kind: 'sale',
        year,
        seq,
        orderId: input.orderId,
        channel: input.channel ?? null,
        courier: input.courier ?? null,
        customerName: input.customer.name,
        customerPhone: input.customer.phone,
        goodsTotal,
        shippingFee: input.shippingFee,
        codAmount: input.codAmount,
        at,
      })
      .returning({ id: salesDocuments.id });
    if (input.items.length) {
      await tx
        .insert(salesDocumentLines)
        .values(
          input.items.map((l) => ({ documentId: doc!.id, sku: l.sku, name: l.name, qty: l.qty, price: l.price, amount: l.qty * l.price })),
        );
    }
    return { number, created: true };
  });
}

/**
 * Reverses a delivered order's sale when its goods come back after delivery (a complaint, a
 * return the customer sends): a return document TH-<year>-NNNNNN with the sale's lines and
 * amounts negated, so sums over the books are net sales. Once per order.
 */
export async function recordSalesReturn(
  db: Db,
  shop: CompiledShop | undefined,
  input: { saleNumber: string; reason: string; actor: string },
): Promise<{ number: string; created: boolean }> {
  return db.transaction(async (tx) => {
    const [sale] = await tx
      .select()
      .from(salesDocuments)
      .where(and(eq(salesDocuments.number, input.saleNumber), eq(salesDocuments.kind, 'sale')));
    // A sale always has its order (only a refund may have none).
    if (!sale?.orderId) throw new BooksInputError(`no sales document ${input.saleNumber}`, [], 'not_found');
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sale:${sale.orderId}`}))`);
    const [existing] = await tx
      .select({ number: salesDocuments.number })
      .from(salesDocuments)
      .where(and(eq(salesDocuments.orderId, sale.orderId), eq(salesDocuments.kind, 'return')));
    if (existing) return { number: existing.number, created: false };
    const at = new Date();
    const year = localYear(at, shopOffsetMinutes(shop));
    const seq = await nextDocumentSeq(tx, 'return', year);
    const number = documentNumber('return', year, seq);
    const [doc] = await tx
      .insert(salesDocuments)
      .values({
        number,
        kind: 'return',
        year,
        seq,
        orderId: sale.orderId,
        reverses: sale.number,
        channel: sale.channel,
        courier: sale.courier,
        customerName: sale.customerName,
        customerPhone: sale.customerPhone,
        goodsTotal: -sale.goodsTotal,
        shippingFee: -sale.shippingFee,
        codAmount: -sale.codAmount,
        reason: input.reason,
        actor: input.actor,
        at,
      })
      .returning({ id: salesDocuments.id });
    const lines = await tx.select().from(salesDocumentLines).where(eq(salesDocumentLines.documentId, sale.id));
    if (lines.length) {
      await tx
        .insert(salesDocumentLines)
        .values(lines.map((l) => ({ documentId: doc!.id, sku: l.sku, name: l.name, qty: -l.qty, price: l.price, amount: -l.amount })));
    }
    return { number, created: true };
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
export async function recordRefundDocument(
  db: Db,
  shop: CompiledShop | undefined,
  input: RefundInput,
): Promise<{ number: string; created: boolean }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`refund:${input.complaintId}`}))`);
    const [existing] = await tx
      .select({ number: salesDocuments.number })
      .from(salesDocuments)
      .where(and(eq(salesDocuments.complaintId, input.complaintId), eq(salesDocuments.kind, 'refund')));
    if (existing) return { number: existing.number, created: false };
    const [complaint] = await tx
      .select({ orderId: complaints.orderId, name: customers.name, phone: customers.phone })
      .from(complaints)
      .innerJoin(customers, eq(customers.id, complaints.customerId))
      .where(eq(complaints.id, input.complaintId));
    if (!complaint) throw new BooksInputError(`no complaint ${input.complaintId}`, [], 'not_found');
    const [sale] = complaint.orderId
      ? await tx
          .select()
          .from(salesDocuments)
          .where(and(eq(salesDocuments.orderId, complaint.orderId), eq(salesDocuments.kind, 'sale')))
      : [];
    const at = new Date();
    const year = localYear(at, shopOffsetMinutes(shop));
    const seq = await nextDocumentSeq(tx, 'refund', year);
    const number = documentNumber('refund', year, seq);
    await tx.insert(salesDocuments).values({
      number,
      kind: 'refund',
      year,
      seq,
      orderId: complaint.orderId,
      complaintId: input.complaintId,
      reverses: sale?.number ?? null,
      channel: sale?.channel ?? null,
      courier: sale?.courier ?? null,
      customerName: sale?.customerName ?? complaint.name,
      customerPhone: sale?.customerPhone ?? complaint.phone,
      goodsTotal: -input.amount,
      shippingFee: 0,
      codAmount: 0,
      reason: `Hoàn tiền khiếu nại ${input.complaintId}: ${input.reference}`,
      actor: input.actor,
      at,
    });
    return { number, created: true };
  });
}
