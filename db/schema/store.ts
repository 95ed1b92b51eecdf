import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The shop's counter (bán hàng tại cửa hàng): walk-in sales, their lines and the returns and
 * exchanges taken back at the counter. Each sale is also an order row (channel `store`) and, once
 * paid, a sales document; its goods leave stock in the same transaction as the payment.
 */

/** One sale at the counter: a cart until it is paid, then a sale with its receipt. */
export const storeSales = pgTable(
  'store_sales',
  {
    /** The order's id (orders.id): the same sale in order lists, customers and KPIs. */
    orderId: text('order_id').primaryKey(),
    /** `cart` (opened, e.g. by a lead on the store channel) → `paid`. */
    status: text('status').notNull().default('cart'),
    /** The StoreSaleProcess it runs, as on the order. */
    definitionName: text('definition_name').notNull(),
    definitionVersion: integer('definition_version').notNull(),
    warehouse: text('warehouse').notNull(),
    /** Who opened it, and who took the payment. */
    openedBy: text('opened_by'),
    seller: text('seller'),
    customerId: text('customer_id'),
    customerName: text('customer_name'),
    customerPhone: text('customer_phone'),
    /** The sales document (HD-<year>-NNNNNN) of the payment. */
    saleNumber: text('sale_number'),
    /** Σ qty × price of the lines, VND. */
    goodsTotal: bigint('goods_total', { mode: 'number' }).notNull().default(0),
    /** cash | transfer | card. */
    paymentMethod: text('payment_method'),
    /** What the customer paid with money now (the total less any exchange credit), VND. */
    paidAmount: bigint('paid_amount', { mode: 'number' }),
    /** Cash handed over and the change given back (cash only). */
    cashReceived: bigint('cash_received', { mode: 'number' }),
    changeGiven: bigint('change_given', { mode: 'number' }),
    /** The bank transaction or card slip number staff typed, when any. */
    paymentReference: text('payment_reference'),
    /** For an exchange: the return whose value paid part of this sale, and how much. */
    exchangeOf: text('exchange_of'),
    exchangeCredit: bigint('exchange_credit', { mode: 'number' }).notNull().default(0),
    /** Value of the goods taken back so far (Σ returns), VND. */
    returnedTotal: bigint('returned_total', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    paidAt: timestamp('paid_at', { withTimezone: true }),
  },
  (t) => [index('store_sales_paid_idx').on(t.paidAt), uniqueIndex('store_sales_sale_number_uq').on(t.saleNumber)],
);

/** A line of a sale: the product as it was sold (price at the time) and how many came back. */
export const storeSaleLines = pgTable(
  'store_sale_lines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => storeSales.orderId),
    lineNo: integer('line_no').notNull(),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    barcode: text('barcode'),
    unit: text('unit').notNull(),
    qty: integer('qty').notNull(),
    price: integer('price').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    returnedQty: integer('returned_qty').notNull().default(0),
  },
  (t) => [uniqueIndex('store_sale_lines_order_line_uq').on(t.orderId, t.lineNo)],
);

/**
 * Goods taken back at the counter (phiếu trả hàng TH-<year>-NNNNNN): back into stock, the money
 * refunded, or credited to the exchange sale that replaces them. `requestKey` makes it once per request.
 */
export const storeReturns = pgTable(
  'store_returns',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    number: text('number').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => storeSales.orderId),
    /** Σ qty × sale price of the lines taken back, VND. */
    goodsTotal: bigint('goods_total', { mode: 'number' }).notNull(),
    /** Money handed back (cash | transfer | card), VND; goodsTotal − exchangeCredit. */
    refundAmount: bigint('refund_amount', { mode: 'number' }).notNull(),
    refundMethod: text('refund_method'),
    /** The exchange sale this return's value went to, and how much of it. */
    exchangeOrderId: text('exchange_order_id'),
    exchangeCredit: bigint('exchange_credit', { mode: 'number' }).notNull().default(0),
    lines: jsonb('lines').$type<Array<{ sku: string; name: string; qty: number; price: number; amount: number }>>().notNull(),
    reason: text('reason'),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('store_returns_number_uq').on(t.number),
    index('store_returns_order_idx').on(t.orderId),
    index('store_returns_at_idx').on(t.at),
  ],
);
