import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The books (sổ sách chứng từ): the product catalogue, the stock ledger, purchase and sales
 * documents numbered without gaps per year, and COD remittances from couriers. Stock is the
 * append-only `stock_movements` ledger; nothing stores a quantity on hand.
 */

/** A SKU the shop sells. Stock is checked (and alerted on) only for SKUs in this catalogue. */
export const products = pgTable(
  'products',
  {
    sku: text('sku').primaryKey(),
    name: text('name').notNull(),
    /** The barcode printed on the goods (EAN-13, UPC, the shop's own Code 128…); one product per barcode. */
    barcode: text('barcode'),
    /** Unit of sale as staff say it: cái, hộp, kg… */
    unit: text('unit').notNull().default('cái'),
    /** List price in VND. */
    price: integer('price').notNull().default(0),
    /** Alert warehouse and accounting when available stock (per warehouse) falls below this; 0 = never. */
    lowStockThreshold: integer('low_stock_threshold').notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('products_barcode_uq').on(t.barcode)],
);

/**
 * Whether a SKU is below its threshold in a warehouse right now, so a low-stock alert fires once
 * per crossing (below → notify; back at or above → re-armed), not on every movement.
 */
export const stockLowFlags = pgTable(
  'stock_low_flags',
  {
    sku: text('sku').notNull(),
    warehouse: text('warehouse').notNull(),
    low: boolean('low').notNull().default(false),
    /** How many times it has crossed below: part of the alert's dedupe key. */
    crossings: integer('crossings').notNull().default(0),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sku, t.warehouse] })],
);

/**
 * Stock as an append-only ledger (sổ kho): receipts, reservations and their releases, issues at
 * hand-over, restocks from returns, adjustments. Quantities on hand are sums, never edited.
 */
export const stockMovements = pgTable(
  'stock_movements',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sku: text('sku').notNull(),
    warehouse: text('warehouse').notNull().default('main'),
    /** Signed: + adds to the kind's balance (on hand, or reserved), − takes from it. */
    qty: integer('qty').notNull(),
    kind: text('kind').notNull(),
    orderId: text('order_id'),
    reason: text('reason'),
    actor: text('actor'),
    dedupeKey: text('dedupe_key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('stock_movements_dedupe_key_uq').on(t.dedupeKey),
    index('stock_movements_sku_idx').on(t.sku, t.warehouse),
    index('stock_movements_order_idx').on(t.orderId),
  ],
);

/**
 * The last number issued per document kind and year. Incremented in the same transaction as the
 * document insert: a rolled-back insert gives its number back, so numbers have no gaps.
 */
export const documentCounters = pgTable(
  'document_counters',
  {
    kind: text('kind').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.year] })],
);

/** A receipt of goods from a supplier (phiếu nhập, PN-2026-000001); its lines are receipt movements. */
export const purchases = pgTable(
  'purchases',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    number: text('number').notNull(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    supplier: text('supplier').notNull(),
    /** The supplier's invoice/delivery note number; a second purchase with the same one is refused. */
    supplierInvoice: text('supplier_invoice'),
    warehouse: text('warehouse').notNull(),
    /** Sum of qty × unit cost, VND. */
    total: bigint('total', { mode: 'number' }).notNull(),
    note: text('note'),
    actor: text('actor').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('purchases_number_uq').on(t.number),
    uniqueIndex('purchases_year_seq_uq').on(t.year, t.seq),
    uniqueIndex('purchases_supplier_invoice_uq')
      .on(t.supplier, t.supplierInvoice)
      .where(sql`${t.supplierInvoice} is not null`),
    index('purchases_created_idx').on(t.createdAt, t.id),
  ],
);

export const purchaseLines = pgTable(
  'purchase_lines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    purchaseId: bigint('purchase_id', { mode: 'number' })
      .notNull()
      .references(() => purchases.id),
    sku: text('sku').notNull(),
    qty: integer('qty').notNull(),
    unitCost: integer('unit_cost').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
  },
  (t) => [index('purchase_lines_purchase_idx').on(t.purchaseId)],
);

/**
 * A sales document: `sale` (hoá đơn bán hàng, HD-2026-000001) once per delivered order,
 * `return` (phiếu trả hàng, TH-2026-000001) reversing a sale whose goods came back, or `refund`
 * (phiếu hoàn tiền, HT-2026-000001) for money paid back on a complaint, once per complaint.
 * Amounts of returns and refunds are negative so sums over all kinds are net sales.
 */
export const salesDocuments = pgTable(
  'sales_documents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    number: text('number').notNull(),
    kind: text('kind').notNull(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    /** The order sold; for a refund the complaint's order, null when the complaint names none. */
    orderId: text('order_id'),
    /** For a refund: the complaint it pays back. */
    complaintId: text('complaint_id'),
    /** For a return: the number of the sale it reverses. */
    reverses: text('reverses'),
    channel: text('channel'),
    customerName: text('customer_name'),
    customerPhone: text('customer_phone'),
    courier: text('courier'),
    /** Goods value (Σ qty × price), VND; negative for a return; for a refund minus the money paid back. */
    goodsTotal: bigint('goods_total', { mode: 'number' }).notNull(),
    shippingFee: integer('shipping_fee').notNull().default(0),
    /** Cash the courier collects for this sale (COD), VND; negative for a return. */
    codAmount: integer('cod_amount').notNull().default(0),
    reason: text('reason'),
    actor: text('actor'),
    /** When the goods changed hands (delivery time for a sale), which decides its day in the books. */
    at: timestamp('at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sales_documents_number_uq').on(t.number),
    uniqueIndex('sales_documents_kind_year_seq_uq').on(t.kind, t.year, t.seq),
    // One sale and at most one return per order, one refund per complaint: what makes recording them idempotent.
    uniqueIndex('sales_documents_order_kind_uq')
      .on(t.orderId, t.kind)
      .where(sql`${t.kind} in ('sale', 'return')`),
    uniqueIndex('sales_documents_complaint_refund_uq')
      .on(t.complaintId)
      .where(sql`${t.kind} = 'refund'`),
    index('sales_documents_at_idx').on(t.at),
    index('sales_documents_created_idx').on(t.createdAt, t.id),
  ],
);

export const salesDocumentLines = pgTable(
  'sales_document_lines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    documentId: bigint('document_id', { mode: 'number' })
      .notNull()
      .references(() => salesDocuments.id),
    sku: text('sku').notNull(),
    name: text('name'),
    qty: integer('qty').notNull(),
    price: integer('price').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
  },
  (t) => [index('sales_document_lines_document_idx').on(t.documentId)],
);

/**
 * A batch of COD a courier pays over (đối soát COD): imported from the courier's remittance file
 * (source `import`, unique by courier + reference), or gathered from its webhooks (source
 * `webhook`, one batch per courier and transfer day). Settled once the money is in the bank.
 */
export const codRemittances = pgTable(
  'cod_remittances',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    courier: text('courier').notNull(),
    reference: text('reference').notNull(),
    source: text('source').notNull(),
    status: text('status').notNull().default('open'),
    importedBy: text('imported_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    settledAt: timestamp('settled_at', { withTimezone: true }),
    settledBy: text('settled_by'),
  },
  (t) => [
    uniqueIndex('cod_remittances_courier_reference_uq').on(t.courier, t.reference),
    index('cod_remittances_created_idx').on(t.createdAt, t.id),
  ],
);

/** One parcel's COD in a remittance, as the courier reported it; matched to an order when known. */
export const codRemittanceLines = pgTable(
  'cod_remittance_lines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    remittanceId: bigint('remittance_id', { mode: 'number' })
      .notNull()
      .references(() => codRemittances.id),
    lineNo: integer('line_no').notNull(),
    /** The order it matched (by order code or tracking code), null when none did. */
    orderId: text('order_id'),
    orderCode: text('order_code'),
    trackingCode: text('tracking_code'),
    codCollected: integer('cod_collected').notNull(),
    fee: integer('fee').notNull().default(0),
    transferredAt: timestamp('transferred_at', { withTimezone: true }),
    dedupeKey: text('dedupe_key').notNull(),
  },
  (t) => [
    uniqueIndex('cod_remittance_lines_dedupe_key_uq').on(t.dedupeKey),
    index('cod_remittance_lines_remittance_idx').on(t.remittanceId, t.lineNo),
    index('cod_remittance_lines_order_idx').on(t.orderId),
  ],
);
