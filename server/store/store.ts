/**
 * The shop's counter (bán hàng tại cửa hàng): a walk-in sale is cart → payment → receipt, with
 * its goods issued from stock at once; returns and exchanges are taken back at the counter.
 *
 * Why no workflow: a counter sale has no human step to wait on, no timer and no outside service —
 * it is done while the customer stands there. Everything it changes (the order row, the stock
 * ledger, the sales document, the payment) is one PostgreSQL transaction, so a sale is either
 * wholly booked or not at all, and it answers in one round trip. Retries are safe twice over: a
 * sale is paid once (a second checkout of a paid sale answers the first payment, and every stock
 * movement carries a dedupe key of the sale's line), and an Idempotency-Key replays the first answer.
 */
import crypto from 'node:crypto';
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import {
  orderEvents,
  orders,
  products,
  salesDocumentLines,
  salesDocuments,
  storeReturns,
  storeSaleLines,
  storeSales,
} from '../../db/schema';
import { documentNumber, nextDocumentSeq, type Tx } from '../../db/books/documents';
import { applyMovements } from '../../db/books/stock-ledger';
import { localYear, shopOffsetMinutes } from '../../definitions/rules/local-day';
import { ownEntry } from '../../definitions/rules/own';
import { stockSettings, type CompiledShop } from '../../definitions/types';
import type { CompiledStoreSaleProcess, StorePaymentMethod } from '../../definitions/store/types';
import { vietQrPayload } from '../../definitions/store/vietqr';
import { conflict, HttpError, notFound, unprocessable } from '../http/errors';
import type { DefinitionsStore } from '../shop/definitions';
import type { ShopCache } from '../shop/shop-cache';
import type { CustomersStore } from '../customers/customers';
import { normalizePhone } from '../../definitions/rules/phone';
import { newOrderId } from '../orders/ids';

/** Workflow id an order row of a counter sale carries: no workflow runs it (see above), the id says so. */
export const storeSaleRef = (orderId: string) => `store-sale:${orderId}`;

/** A cart line as the point of sale sends it: what was scanned (a barcode, or the SKU) and how many. */
export interface CartLineInput {
  barcode?: string;
  sku?: string;
  qty: number;
  /** Another price than the list price (a discount at the counter); default the product's price. */
  price?: number;
}
export interface PaymentInput {
  method: StorePaymentMethod;
  /** Cash handed over (cash only; default the amount due). */
  received?: number;
  /** The bank transaction or card slip number. */
  reference?: string;
}
export interface CustomerInput {
  name?: string;
  phone?: string;
}

type FieldError = { field: string; message: string };
const invalid = (message: string, fields: FieldError[]) => unprocessable(message, { fields });

/** A resolved cart line: the catalogue's product at the price it sells for now. */
interface PricedLine {
  lineNo: number;
  sku: string;
  name: string;
  barcode: string | null;
  unit: string;
  qty: number;
  price: number;
  amount: number;
}

/**
 * Opens a sale at the counter in `tx`: an order row on the store channel (its workflow id says no
 * workflow runs it), the cart, and the order's `opened` event. Opening the same id again changes nothing.
 */
export async function openStoreSaleIn(
  tx: Tx,
  input: {
    orderId: string;
    process: { name: string; version: number; compiled: CompiledStoreSaleProcess };
    actor: string;
    customer: { id?: string; name?: string; phone?: string } | null;
    campaign?: string;
    leadCost?: number;
    source: string;
    /** The lead's channel (a channel mapped to a StoreSaleProcess); counter sales are `store`. */
    channel?: string;
  },
) {
  const definition = { name: input.process.name, version: input.process.version };
  await tx
    .insert(orders)
    .values({
      id: input.orderId,
      workflowId: storeSaleRef(input.orderId),
      channel: input.channel ?? 'store',
      status: 'open',
      stage: 'cart',
      customerId: input.customer?.id ?? null,
      customerName: input.customer?.name ?? null,
      customerPhone: input.customer?.phone ?? null,
      campaign: input.campaign ?? null,
      leadCost: input.leadCost ?? null,
      definitionName: definition.name,
      definitionVersion: definition.version,
    })
    .onConflictDoNothing();
  await tx
    .insert(storeSales)
    .values({
      orderId: input.orderId,
      definitionName: definition.name,
      definitionVersion: definition.version,
      warehouse: input.process.compiled.warehouse,
      openedBy: input.actor,
      customerId: input.customer?.id ?? null,
      customerName: input.customer?.name ?? null,
      customerPhone: input.customer?.phone ?? null,
    })
    .onConflictDoNothing();
  await tx
    .insert(orderEvents)
    .values({
      orderId: input.orderId,
      type: 'opened',
      toStage: 'cart',
      actor: input.actor,
      data: { channel: input.channel ?? 'store', definition, kind: 'StoreSaleProcess', source: input.source },
      dedupeKey: `${storeSaleRef(input.orderId)}:opened`,
    })
    .onConflictDoNothing();
}

export function createStoreService(deps: {
  db: Db;
  log: Logger;
  shop: ShopCache;
  definitions: DefinitionsStore;
  customers: CustomersStore;
}) {
  const { db } = deps;
  /** The version a sale was opened with (it keeps it, as running orders keep theirs). */
  const versionOf = (name: string, version: number) => deps.definitions.version(name, version).catch(() => undefined);

  /** The active StoreSaleProcess: the one the store channel names, else any active one. */
  async function activeProcess(shop: CompiledShop, name?: string) {
    const named = name ?? ownEntry(shop.channels, 'store')?.process;
    const found = named
      ? await deps.definitions.activeNamed<CompiledStoreSaleProcess>(named, 'StoreSaleProcess')
      : await deps.definitions.activeOfKind<CompiledStoreSaleProcess>('StoreSaleProcess');
    const fallback = found ?? (await deps.definitions.activeOfKind<CompiledStoreSaleProcess>('StoreSaleProcess'));
    if (!fallback)
      throw new HttpError(
        409,
        'no_active_process',
        'chưa có quy trình bán hàng tại cửa hàng (StoreSaleProcess) nào đang hoạt động: hãy kích hoạt definitions/processes/store-sale.yaml',
      );
    return fallback;
  }

  /** Looks up what a scanner typed: a product's barcode, else its SKU. */
  async function productFor(tx: Pick<Db, 'select'>, code: string) {
    const [byBarcode] = await tx.select().from(products).where(eq(products.barcode, code));
    if (byBarcode) return byBarcode;
    const [bySku] = await tx.select().from(products).where(eq(products.sku, code));
    return bySku;
  }

  /** Cart lines priced from the catalogue; every unknown code, inactive product or bad price is a 422 at its line. */
  async function priceLines(tx: Pick<Db, 'select'>, lines: CartLineInput[], path = 'lines'): Promise<PricedLine[]> {
    const fields: FieldError[] = [];
    const priced: PricedLine[] = [];
    for (const [i, line] of lines.entries()) {
      const code = line.barcode ?? line.sku;
      const field = line.barcode !== undefined ? `${path}.${i}.barcode` : `${path}.${i}.sku`;
      if (!code) {
        fields.push({ field: `${path}.${i}`, message: 'cần mã vạch (barcode) hoặc mã sản phẩm (sku)' });
        continue;
      }
      const product = await productFor(tx, code);
      if (!product) {
        fields.push({ field, message: `không có sản phẩm nào mang mã "${code}" (unknown barcode or SKU)` });
        continue;
      }
      if (!product.active) {
        fields.push({ field, message: `sản phẩm ${product.sku} (${product.name}) đã ngừng bán` });
        continue;
      }
      const price = line.price ?? product.price;
      priced.push({
        lineNo: priced.length + 1,
        sku: product.sku,
        name: product.name,
        barcode: product.barcode,
        unit: product.unit,
        qty: line.qty,
        price,
        amount: line.qty * price,
      });
    }
    if (fields.length) throw invalid('giỏ hàng có dòng không hợp lệ', fields);
    return priced;
  }

  /** The customer a sale names, upserted by phone (a walk-in customer may stay anonymous). */
  async function customerFor(input: CustomerInput | undefined) {
    if (!input || (!input.phone && !input.name)) return null;
    if (!input.phone) return { name: input.name!.trim() };
    const phone = normalizePhone(input.phone);
    if (!phone)
      throw invalid('số điện thoại không hợp lệ', [
        { field: 'customer.phone', message: `"${input.phone}" is not a Vietnamese phone number (0xxxxxxxxx or +84xxxxxxxxx)` },
      ]);
    const name = input.name?.trim() || 'Khách lẻ';
    const row = await deps.customers.upsertByPhone({ phone, name, channel: 'store' });
    return { id: row.id, name, phone };
  }

  /**
   * Pays a cart: prices the lines, checks the payment, issues the goods from the process's
   * warehouse, writes the sales document and marks the order sold — all in `tx`. A sale already
   * paid is answered as it was (`created: false`) when the same lines come again, else 409.
   */
  async function payIn(
    tx: Tx,
    shop: CompiledShop,
    process: CompiledStoreSaleProcess,
    orderId: string,
    input: { lines: CartLineInput[]; payment: PaymentInput; actor: string; credit?: { returnNumber: string; amount: number } },
    path = '',
  ): Promise<{ created: boolean }> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${storeSaleRef(orderId)}))`);
    const [sale] = await tx.select().from(storeSales).where(eq(storeSales.orderId, orderId));
    if (!sale) throw notFound(`không có đơn bán tại quầy "${orderId}"`);
    const [order] = await tx.select({ channel: orders.channel }).from(orders).where(eq(orders.id, orderId));
    const channel = order?.channel ?? 'store';
    const lines = await priceLines(tx, input.lines, `${path}lines`);
    if (sale.status === 'paid') {
      const sold = await tx.select().from(storeSaleLines).where(eq(storeSaleLines.orderId, orderId)).orderBy(asc(storeSaleLines.lineNo));
      const same =
        sold.length === lines.length &&
        sold.every((s, i) => s.sku === lines[i]!.sku && s.qty === lines[i]!.qty && s.price === lines[i]!.price);
      if (same && sale.paymentMethod === input.payment.method) return { created: false };
      throw conflict(`đơn ${orderId} đã thanh toán (${sale.saleNumber}); giỏ hàng khác cần một đơn mới`, {
        fields: [{ field: `${path}lines`, message: `sale ${orderId} is already paid with other lines` }],
      });
    }
    const fields: FieldError[] = [];
    if (!process.payments.some((p) => p.method === input.payment.method))
      fields.push({
        field: `${path}payment.method`,
        message: `quy trình "${process.name}" không nhận "${input.payment.method}" — nhận: ${process.payments.map((p) => p.method).join(', ')}`,
      });
    const total = lines.reduce((sum, l) => sum + l.amount, 0);
    const credit = Math.min(input.credit?.amount ?? 0, total);
    const due = total - credit;
    let received: number | null = null;
    let change: number | null = null;
    if (input.payment.method === 'cash') {
      received = input.payment.received ?? due;
      change = received - due;
      if (change < 0) fields.push({ field: `${path}payment.received`, message: `khách đưa ${received} ₫, chưa đủ ${due} ₫ cần thu` });
    } else if (input.payment.received !== undefined) {
      fields.push({ field: `${path}payment.received`, message: 'tiền khách đưa chỉ dùng khi trả tiền mặt (method: cash)' });
    }
    if (fields.length) throw invalid('thanh toán không hợp lệ', fields);

    // The goods leave the counter's warehouse now; one movement per line, keyed by the sale and line.
    const settings = stockSettings(shop);
    const issued = await applyMovements(
      tx,
      deps.log,
      settings,
      lines.map((l) => ({
        sku: l.sku,
        warehouse: sale.warehouse,
        qty: -l.qty,
        kind: 'issue' as const,
        orderId,
        reason: `Bán tại cửa hàng ${orderId}`,
        actor: input.actor,
        dedupeKey: `store-sale:${orderId}:issue:${l.lineNo}`,
      })),
      'available',
    );
    if (!issued.applied) {
      throw invalid(
        'không đủ hàng trong kho để bán',
        issued.short.map((s) => {
          const i = lines.findIndex((l) => l.sku === s.sku);
          return {
            field: `${path}lines.${i}.qty`,
            message: `${s.sku}: cần ${s.requested}, kho ${s.warehouse} còn ${s.available} có thể bán`,
          };
        }),
      );
    }

    const at = new Date();
    const year = localYear(at, shopOffsetMinutes(shop));
    const seq = await nextDocumentSeq(tx, 'sale', year);
    const number = documentNumber('sale', year, seq);
    const [doc] = await tx
      .insert(salesDocuments)
      .values({
        number,
        kind: 'sale',
        year,
        seq,
        orderId,
        channel,
        customerName: sale.customerName ?? 'Khách lẻ',
        customerPhone: sale.customerPhone ?? '',
        goodsTotal: total,
        shippingFee: 0,
        codAmount: 0,
        reason: input.credit ? `Đổi hàng từ ${input.credit.returnNumber}` : null,
        actor: input.actor,
        at,
      })
      .returning({ id: salesDocuments.id });
    await tx
      .insert(salesDocumentLines)
      .values(lines.map((l) => ({ documentId: doc!.id, sku: l.sku, name: l.name, qty: l.qty, price: l.price, amount: l.amount })));
    await tx.insert(storeSaleLines).values(lines.map((l) => ({ orderId, ...l })));
    await tx
      .update(storeSales)
      .set({
        status: 'paid',
        seller: input.actor,
        saleNumber: number,
        goodsTotal: total,
        paymentMethod: input.payment.method,
        paidAmount: due,
        cashReceived: received,
        changeGiven: change,
        paymentReference: input.payment.reference ?? null,
        exchangeOf: input.credit?.returnNumber ?? null,
        exchangeCredit: credit,
        paidAt: at,
      })
      .where(eq(storeSales.orderId, orderId));
    await tx
      .update(orders)
      .set({
        status: 'delivered',
        stage: 'paid',
        total,
        codAmount: 0,
        closedBy: input.actor,
        closedByRole: process.role,
        updatedAt: at,
      })
      .where(eq(orders.id, orderId));
    await tx
      .insert(orderEvents)
      .values({
        orderId,
        type: 'store_sale_paid',
        fromStage: 'cart',
        toStage: 'paid',
        actor: input.actor,
        data: { saleNumber: number, total, method: input.payment.method, paid: due, credit, lines: lines.length },
        dedupeKey: `${storeSaleRef(orderId)}:paid`,
      })
      .onConflictDoNothing();
    return { created: true };
  }

  const service = {
    activeProcess,

    /** What the point of sale needs to start: the process (payments, bank, receipt) and the warehouse. */
    async settings() {
      const shop = await deps.shop.get();
      const process = await activeProcess(shop);
      const warehouse = ownEntry(stockSettings(shop).warehouses, process.compiled.warehouse);
      return {
        process: { name: process.name, version: process.version, title: process.compiled.title },
        warehouse: { id: process.compiled.warehouse, title: warehouse?.title ?? process.compiled.warehouse },
        payments: process.compiled.payments,
        bank: process.compiled.bank ?? null,
        returnWithinDays: process.compiled.returnWithinDays,
        shop: { name: shop.profile?.name || shop.title },
      };
    },

    /** A scanned code: the product, its price and what the counter's warehouse has; 422 naming `barcode` when none. */
    async scan(code: string) {
      const shop = await deps.shop.get();
      const process = await activeProcess(shop);
      const product = await productFor(db, code);
      if (!product)
        throw invalid(`không có sản phẩm nào mang mã "${code}"`, [{ field: 'barcode', message: `unknown barcode or SKU "${code}"` }]);
      if (!product.active)
        throw invalid(`sản phẩm ${product.sku} đã ngừng bán`, [{ field: 'barcode', message: `${product.sku} is not sold any more` }]);
      const [level] = (
        (await db.execute(sql`select
            coalesce(sum(qty) filter (where kind in ('receipt','issue','restock','adjust')), 0)::int as "onHand",
            coalesce(sum(qty) filter (where kind in ('reserve','release')), 0)::int as reserved
          from stock_movements where sku = ${product.sku} and warehouse = ${process.compiled.warehouse}`)) as unknown as {
          rows: Array<{ onHand: number; reserved: number }>;
        }
      ).rows;
      return {
        sku: product.sku,
        name: product.name,
        barcode: product.barcode,
        unit: product.unit,
        price: product.price,
        available: (level?.onHand ?? 0) - (level?.reserved ?? 0),
        warehouse: process.compiled.warehouse,
      };
    },

    /** Opens an empty cart at the counter. */
    async open(input: { customer?: CustomerInput; actor: string; idempotencyKey?: string }) {
      const shop = await deps.shop.get();
      const process = await activeProcess(shop);
      const customer = await customerFor(input.customer);
      const orderId = newOrderId(new Date(), input.idempotencyKey ? `store:${input.actor}:${input.idempotencyKey}` : undefined);
      await db.transaction((tx) => openStoreSaleIn(tx, { orderId, process, actor: input.actor, customer, source: 'counter' }));
      return service.get(orderId);
    },

    /** A walk-in sale in one step: open, price, pay, issue — in one transaction (`tx` from the Idempotency-Key's). */
    async sellIn(
      tx: Tx,
      input: { lines: CartLineInput[]; payment: PaymentInput; customer?: CustomerInput; actor: string; orderId: string },
    ) {
      const shop = await deps.shop.get();
      const process = await activeProcess(shop);
      await openStoreSaleIn(tx, { orderId: input.orderId, process, actor: input.actor, customer: null, source: 'counter' });
      const paid = await payIn(tx, shop, process.compiled, input.orderId, input);
      // The customer is found or created only once the sale is accepted: a refused sale creates nobody.
      const customer = paid.created ? await customerFor(input.customer) : null;
      if (customer) {
        const who = { customerId: customer.id ?? null, customerName: customer.name ?? null, customerPhone: customer.phone ?? null };
        await tx.update(storeSales).set(who).where(eq(storeSales.orderId, input.orderId));
        await tx.update(orders).set(who).where(eq(orders.id, input.orderId));
        await tx
          .update(salesDocuments)
          .set({ customerName: who.customerName ?? 'Khách lẻ', customerPhone: who.customerPhone ?? '' })
          .where(and(eq(salesDocuments.orderId, input.orderId), eq(salesDocuments.kind, 'sale')));
      }
      return paid;
    },

    /** Pays an open cart (a lead's, or one opened empty). */
    async checkoutIn(tx: Tx, orderId: string, input: { lines: CartLineInput[]; payment: PaymentInput; actor: string }) {
      const shop = await deps.shop.get();
      const [sale] = await tx.select().from(storeSales).where(eq(storeSales.orderId, orderId));
      if (!sale) throw notFound(`không có đơn bán tại quầy "${orderId}"`);
      const process = await versionOf(sale.definitionName, sale.definitionVersion);
      return payIn(
        tx,
        shop,
        (process?.compiled as CompiledStoreSaleProcess | undefined) ?? (await activeProcess(shop)).compiled,
        orderId,
        input,
      );
    },

    /**
     * Goods back at the counter: each line (by SKU) at most what was sold and not yet returned,
     * within the process's return window. Back into stock, a return document (TH) against the
     * sale, the money refunded — or, for an exchange, credited to a new sale of the new lines
     * (paid for the difference; a smaller new sale refunds the rest).
     */
    async returnIn(
      tx: Tx,
      orderId: string,
      input: {
        lines: Array<{ sku: string; qty: number }>;
        reason?: string;
        refundMethod?: StorePaymentMethod;
        exchange?: { lines: CartLineInput[]; payment: PaymentInput };
        actor: string;
        exchangeOrderId?: string;
      },
    ) {
      const shop = await deps.shop.get();
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${storeSaleRef(orderId)}))`);
      const [sale] = await tx.select().from(storeSales).where(eq(storeSales.orderId, orderId));
      if (!sale) throw notFound(`không có đơn bán tại quầy "${orderId}"`);
      const [order] = await tx.select({ channel: orders.channel }).from(orders).where(eq(orders.id, orderId));
      if (sale.status !== 'paid') throw conflict(`đơn ${orderId} chưa thanh toán: chưa có gì để trả`);
      const process = ((await versionOf(sale.definitionName, sale.definitionVersion))?.compiled ??
        (await activeProcess(shop)).compiled) as CompiledStoreSaleProcess;
      const days = Math.floor((Date.now() - sale.paidAt!.getTime()) / 86_400_000);
      if (days > process.returnWithinDays)
        throw conflict(`đơn ${orderId} đã bán ${days} ngày trước, quá hạn đổi trả ${process.returnWithinDays} ngày`);
      const sold = await tx.select().from(storeSaleLines).where(eq(storeSaleLines.orderId, orderId)).orderBy(asc(storeSaleLines.lineNo));
      const fields: FieldError[] = [];
      const taken: Array<{ lineId: number; sku: string; name: string; qty: number; price: number; amount: number }> = [];
      for (const [i, line] of input.lines.entries()) {
        const ofSku = sold.filter((s) => s.sku === line.sku);
        if (ofSku.length === 0) {
          fields.push({ field: `lines.${i}.sku`, message: `đơn ${orderId} không bán ${line.sku}` });
          continue;
        }
        let left = line.qty;
        for (const s of ofSku) {
          const already = taken.filter((t) => t.lineId === s.id).reduce((n, t) => n + t.qty, 0);
          const room = s.qty - s.returnedQty - already;
          const take = Math.min(left, room);
          if (take > 0) taken.push({ lineId: s.id, sku: s.sku, name: s.name, qty: take, price: s.price, amount: take * s.price });
          left -= take;
        }
        if (left > 0) {
          const room = ofSku.reduce((n, s) => n + s.qty - s.returnedQty, 0);
          fields.push({ field: `lines.${i}.qty`, message: `${line.sku}: trả ${line.qty} nhưng chỉ còn ${room} chưa trả trong đơn` });
        }
      }
      if (input.refundMethod && !process.payments.some((p) => p.method === input.refundMethod))
        fields.push({ field: 'refundMethod', message: `quy trình không dùng "${input.refundMethod}"` });
      if (fields.length) throw invalid('hàng trả không hợp lệ', fields);

      const goods = taken.reduce((n, t) => n + t.amount, 0);
      const at = new Date();
      const year = localYear(at, shopOffsetMinutes(shop));
      const seq = await nextDocumentSeq(tx, 'return', year);
      const number = documentNumber('return', year, seq);
      // Back on the shelf: one movement per taken line, keyed by the return's number.
      await applyMovements(
        tx,
        deps.log,
        stockSettings(shop),
        taken.map((t, i) => ({
          sku: t.sku,
          warehouse: sale.warehouse,
          qty: t.qty,
          kind: 'restock' as const,
          orderId,
          reason: `Khách trả tại cửa hàng ${number}`,
          actor: input.actor,
          dedupeKey: `store-return:${number}:${i}`,
        })),
        'none',
      );
      // The return document is linked to the sale by `reverses` (not by order: a sale may come back in parts).
      const [doc] = await tx
        .insert(salesDocuments)
        .values({
          number,
          kind: 'return',
          year,
          seq,
          orderId: null,
          reverses: sale.saleNumber,
          channel: order?.channel ?? 'store',
          customerName: sale.customerName ?? 'Khách lẻ',
          customerPhone: sale.customerPhone ?? '',
          goodsTotal: -goods,
          shippingFee: 0,
          codAmount: 0,
          reason: `${input.exchange ? 'Đổi hàng' : 'Trả hàng'} tại cửa hàng, đơn ${orderId}${input.reason ? `: ${input.reason}` : ''}`,
          actor: input.actor,
          at,
        })
        .returning({ id: salesDocuments.id });
      await tx
        .insert(salesDocumentLines)
        .values(taken.map((t) => ({ documentId: doc!.id, sku: t.sku, name: t.name, qty: -t.qty, price: t.price, amount: -t.amount })));
      for (const t of taken)
        await tx
          .update(storeSaleLines)
          .set({ returnedQty: sql`${storeSaleLines.returnedQty} + ${t.qty}` })
          .where(eq(storeSaleLines.id, t.lineId));
      const returnedTotal = sale.returnedTotal + goods;
      await tx.update(storeSales).set({ returnedTotal }).where(eq(storeSales.orderId, orderId));
      await tx
        .update(orders)
        .set({ returnedAmount: returnedTotal, status: returnedTotal >= sale.goodsTotal ? 'returned' : 'delivered', updatedAt: at })
        .where(eq(orders.id, orderId));

      let exchangeOrderId: string | null = null;
      let credit = 0;
      if (input.exchange) {
        exchangeOrderId = input.exchangeOrderId ?? newOrderId(at);
        const active = await activeProcess(shop, sale.definitionName);
        await openStoreSaleIn(tx, {
          orderId: exchangeOrderId,
          process: active,
          actor: input.actor,
          customer:
            sale.customerName || sale.customerPhone
              ? { id: sale.customerId ?? undefined, name: sale.customerName ?? undefined, phone: sale.customerPhone ?? undefined }
              : null,
          source: `exchange:${number}`,
        });
        const priced = await priceLines(tx, input.exchange.lines, 'exchange.lines');
        credit = Math.min(
          goods,
          priced.reduce((n, l) => n + l.amount, 0),
        );
        await payIn(
          tx,
          shop,
          active.compiled,
          exchangeOrderId,
          { ...input.exchange, actor: input.actor, credit: { returnNumber: number, amount: goods } },
          'exchange.',
        );
      }
      const refund = goods - credit;
      await tx.insert(storeReturns).values({
        number,
        orderId,
        goodsTotal: goods,
        refundAmount: refund,
        refundMethod: refund > 0 ? (input.refundMethod ?? sale.paymentMethod ?? 'cash') : null,
        exchangeOrderId,
        exchangeCredit: credit,
        lines: taken.map(({ sku, name, qty, price, amount }) => ({ sku, name, qty, price, amount })),
        reason: input.reason ?? null,
        actor: input.actor,
        at,
      });
      await tx
        .insert(orderEvents)
        .values({
          orderId,
          type: input.exchange ? 'store_exchange' : 'store_return',
          actor: input.actor,
          data: { returnNumber: number, goods, refund, credit, exchangeOrderId, reason: input.reason ?? null },
          dedupeKey: `${storeSaleRef(orderId)}:return:${number}`,
        })
        .onConflictDoNothing();
      return { number, goods, refund, credit, exchangeOrderId };
    },

    /** A sale as the point of sale and its receipt show it; undefined when there is none. */
    async find(orderId: string) {
      const [sale] = await db.select().from(storeSales).where(eq(storeSales.orderId, orderId));
      if (!sale) return undefined;
      const [lines, returns] = await Promise.all([
        db.select().from(storeSaleLines).where(eq(storeSaleLines.orderId, orderId)).orderBy(asc(storeSaleLines.lineNo)),
        db.select().from(storeReturns).where(eq(storeReturns.orderId, orderId)).orderBy(asc(storeReturns.id)),
      ]);
      const process = await versionOf(sale.definitionName, sale.definitionVersion);
      const compiled = process?.compiled as CompiledStoreSaleProcess | undefined;
      const methodTitle = (m: string | null) => (m ? (compiled?.payments.find((p) => p.method === m)?.title ?? m) : null);
      const transfer =
        sale.status === 'paid' && sale.paymentMethod === 'transfer' && compiled?.bank && (sale.paidAmount ?? 0) > 0
          ? {
              bank: compiled.bank,
              amount: sale.paidAmount!,
              purpose: sale.saleNumber!,
              payload: vietQrPayload({
                bin: compiled.bank.bin,
                account: compiled.bank.account,
                amount: sale.paidAmount!,
                purpose: sale.saleNumber!,
              }),
            }
          : null;
      return {
        id: sale.orderId,
        status: sale.status as 'cart' | 'paid',
        definition: { name: sale.definitionName, version: sale.definitionVersion },
        warehouse: sale.warehouse,
        seller: sale.seller,
        customer: sale.customerName || sale.customerPhone ? { name: sale.customerName, phone: sale.customerPhone } : null,
        saleNumber: sale.saleNumber,
        lines: lines.map((l) => ({
          lineNo: l.lineNo,
          sku: l.sku,
          name: l.name,
          barcode: l.barcode,
          unit: l.unit,
          qty: l.qty,
          price: l.price,
          amount: l.amount,
          returnedQty: l.returnedQty,
        })),
        total: sale.goodsTotal,
        payment:
          sale.status === 'paid'
            ? {
                method: sale.paymentMethod as StorePaymentMethod,
                title: methodTitle(sale.paymentMethod)!,
                amount: sale.paidAmount ?? 0,
                received: sale.cashReceived,
                change: sale.changeGiven,
                reference: sale.paymentReference,
                exchangeOf: sale.exchangeOf,
                exchangeCredit: sale.exchangeCredit,
              }
            : null,
        transfer,
        returnedTotal: sale.returnedTotal,
        returns: returns.map((r) => ({
          number: r.number,
          goods: r.goodsTotal,
          refund: r.refundAmount,
          refundMethod: r.refundMethod,
          exchangeOrderId: r.exchangeOrderId,
          exchangeCredit: r.exchangeCredit,
          lines: r.lines,
          reason: r.reason,
          actor: r.actor,
          at: r.at.toISOString(),
        })),
        receipt: compiled?.receipt ?? { footer: 'Cảm ơn quý khách!' },
        createdAt: sale.createdAt.toISOString(),
        paidAt: sale.paidAt?.toISOString() ?? null,
      };
    },

    async get(orderId: string) {
      const found = await service.find(orderId);
      if (!found) throw notFound(`không có đơn bán tại quầy "${orderId}"`);
      return found;
    },

    /** Recent sales at the counter, newest first; `q` finds by order id, sale number or phone. */
    async list(opts: { status?: 'cart' | 'paid'; q?: string; limit: number }) {
      const q = opts.q?.trim();
      const rows = await db
        .select({ orderId: storeSales.orderId })
        .from(storeSales)
        .where(
          and(
            opts.status ? eq(storeSales.status, opts.status) : undefined,
            q
              ? or(eq(storeSales.orderId, q), eq(storeSales.saleNumber, q), eq(storeSales.customerPhone, normalizePhone(q) ?? q))
              : undefined,
          ),
        )
        .orderBy(desc(storeSales.createdAt), desc(storeSales.orderId))
        .limit(opts.limit);
      const sales = [];
      for (const r of rows) sales.push(await service.get(r.orderId));
      return sales;
    },

    /** Paid sales' numbers of some orders (for reports that list them). */
    async saleNumbers(orderIds: string[]) {
      if (!orderIds.length) return new Map<string, string>();
      const rows = await db
        .select({ orderId: storeSales.orderId, number: storeSales.saleNumber })
        .from(storeSales)
        .where(inArray(storeSales.orderId, orderIds));
      return new Map(rows.filter((r) => r.number).map((r) => [r.orderId, r.number!]));
    },
  };
  return service;
}

/** A fresh id for an exchange's new sale, derived from the return request when it is keyed. */
export const exchangeOrderIdFor = (key?: string) =>
  key ? newOrderId(new Date(), `exchange:${key}`) : newOrderId(new Date(), crypto.randomUUID());

export type StoreService = ReturnType<typeof createStoreService>;
