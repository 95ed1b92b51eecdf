import { and, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import { activeShop } from '../../db/active-shop';
import { orders, salesDocuments } from '../../db/schema';
import { recordRefundDocument, recordSaleDocument, recordSalesReturn, type RefundInput, type SaleInput } from '../../db/books/documents';
import { recordPartialReturnDocument, type PartialReturnInput } from '../../db/books/partial-return';

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
      const [sale] = await deps.db
        .select({ number: salesDocuments.number })
        .from(salesDocuments)
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
      if (result?.created)
        deps.log.info({ orderId: input.orderId, number: result.number, goods: result.goods }, 'partial return document recorded');
      return result;
    },

    /** Accounting paid a complaint's refund: its refund document, once per complaint. */
    async recordComplaintRefund(input: RefundInput): Promise<{ number: string; created: boolean }> {
      const result = await recordRefundDocument(deps.db, await activeShop(deps.db), input);
      if (result.created)
        deps.log.info({ complaintId: input.complaintId, number: result.number, amount: input.amount }, 'refund document recorded');
      return result;
    },

    /**
     * The most a refund on this order may pay back: what the customer was to pay for it (the
     * order total), or its sale's goods and shipping once delivered; null when neither is known.
     */
    async orderRefundLimit(input: { orderId: string }): Promise<number | null> {
      const [sale] = await deps.db
        .select({ goods: salesDocuments.goodsTotal, shipping: salesDocuments.shippingFee })
        .from(salesDocuments)
        .where(and(eq(salesDocuments.orderId, input.orderId), eq(salesDocuments.kind, 'sale')));
      if (sale) return Number(sale.goods) + sale.shipping;
      const [order] = await deps.db.select({ total: orders.total }).from(orders).where(eq(orders.id, input.orderId));
      return order?.total ?? null;
    },
  };
}
