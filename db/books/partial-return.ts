/**
 * The returned part of a partially delivered order (giao một phần) in the books: a return
 * document for that part only, written once at the warehouse's count (see recordPartialReturnDocument).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { orders, salesDocumentLines, salesDocuments } from '../schema';
import type { CompiledShop } from '../../definitions/types';
import { localYear, shopOffsetMinutes } from '../../definitions/rules/local-day';
import { expectedCod } from './cod';
import { documentNumber, nextDocumentSeq } from './documents';

export interface PartialReturnInput {
  orderId: string;
  /** What the warehouse counted back (`returnedItems`, else `restockedItems` of its task): `[{sku, qty}]`. */
  returnedLines?: unknown;
  /** The courier's code of the return parcel, for the document's reason. */
  code?: string | null;
  actor: string;
}

/** Sale lines for the returned part: each SKU at the sale's price, capped at the quantity sold; null when a SKU was not sold. */
export function partialReturnLines(
  sold: Array<{ sku: string; name: string | null; qty: number; price: number }>,
  returned: unknown,
): Array<{ sku: string; name: string | null; qty: number; price: number }> | null {
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
 * (db/books/cod.ts), so the books' net COD is the courier's remittance. Null when there is no
 * sale (not delivered, or recorded before the books) or nothing of value came back.
 */
export async function recordPartialReturnDocument(
  db: Db,
  shop: CompiledShop | undefined,
  input: PartialReturnInput,
): Promise<{ number: string; created: boolean; goods: number } | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sale:${input.orderId}`}))`);
    const [sale] = await tx
      .select()
      .from(salesDocuments)
      .where(and(eq(salesDocuments.orderId, input.orderId), eq(salesDocuments.kind, 'sale')));
    if (!sale) return null;
    const [existing] = await tx
      .select({ number: salesDocuments.number, goods: salesDocuments.goodsTotal })
      .from(salesDocuments)
      .where(and(eq(salesDocuments.orderId, input.orderId), eq(salesDocuments.kind, 'return')));
    if (existing) return { number: existing.number, created: false, goods: -Number(existing.goods) };
    const sold = await tx.select().from(salesDocumentLines).where(eq(salesDocumentLines.documentId, sale.id));
    let lines = partialReturnLines(sold, input.returnedLines);
    if (!lines) {
      const [order] = await tx.select({ returned: orders.returnedAmount }).from(orders).where(eq(orders.id, input.orderId));
      const amount = Math.min(order?.returned ?? 0, Number(sale.goodsTotal));
      lines = amount > 0 ? [{ sku: '-', name: 'Phần hàng hoàn (giao một phần)', qty: 1, price: amount }] : [];
    }
    const goods = Math.min(
      lines.reduce((sum, l) => sum + l.qty * l.price, 0),
      Number(sale.goodsTotal),
    );
    if (goods <= 0) return null;
    const collected = (await expectedCod(tx, input.orderId)) ?? sale.codAmount;
    const codBack = Math.max(0, Math.min(sale.codAmount, sale.codAmount - collected));
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
        goodsTotal: -goods,
        shippingFee: 0,
        codAmount: -codBack,
        reason: `Giao một phần: phần hàng hoàn về kho${input.code ? ` (mã hoàn ${input.code})` : ''}`,
        actor: input.actor,
        at,
      })
      .returning({ id: salesDocuments.id });
    await tx
      .insert(salesDocumentLines)
      .values(lines.map((l) => ({ documentId: doc!.id, sku: l.sku, name: l.name, qty: -l.qty, price: l.price, amount: -l.qty * l.price })));
    return { number, created: true, goods };
  });
}
