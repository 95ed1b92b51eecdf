import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Suppliers (nhà cung cấp) and the purchase orders the shop sends them (đơn đặt hàng NCC). A
 * purchase order is a promise, not stock: what arrives becomes a purchase document (phiếu nhập,
 * `purchases`) whose receipt movements are the stock; each receipt is recorded here once.
 */

/** A person at a supplier the shop talks to. */
export interface SupplierContact {
  name: string;
  phone?: string;
  email?: string;
  /** What they handle: báo giá, giao hàng, công nợ… */
  role?: string;
}

export const suppliers = pgTable(
  'suppliers',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    taxCode: text('tax_code'),
    phone: text('phone'),
    email: text('email'),
    address: text('address'),
    /** Days from ordering to the goods at the shop, as agreed; a purchase order's expected date. */
    leadTimeDays: integer('lead_time_days').notNull().default(0),
    contacts: jsonb('contacts').$type<SupplierContact[]>().notNull().default([]),
    note: text('note'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('suppliers_name_uq').on(sql`lower(${t.name})`)],
);

/** An order sent to a supplier: draft → sent → received (all lines in), or cancelled before anything arrived. */
export const purchaseOrders = pgTable(
  'purchase_orders',
  {
    id: text('id').primaryKey(),
    supplierId: text('supplier_id')
      .notNull()
      .references(() => suppliers.id),
    status: text('status').notNull().default('draft'),
    warehouse: text('warehouse').notNull(),
    /** Local day the order is placed. */
    orderDate: date('order_date', { mode: 'string' }).notNull(),
    /** orderDate + the supplier's lead time when the order was made. */
    expectedDate: date('expected_date', { mode: 'string' }).notNull(),
    note: text('note'),
    total: bigint('total', { mode: 'number' }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('purchase_orders_supplier_idx').on(t.supplierId, t.createdAt), index('purchase_orders_created_idx').on(t.createdAt, t.id)],
);

export const purchaseOrderLines = pgTable(
  'purchase_order_lines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    purchaseOrderId: text('purchase_order_id')
      .notNull()
      .references(() => purchaseOrders.id),
    lineNo: integer('line_no').notNull(),
    sku: text('sku').notNull(),
    qty: integer('qty').notNull(),
    unitCost: integer('unit_cost').notNull(),
    /** Sum of the receipts' quantities of this line; never above qty. */
    receivedQty: integer('received_qty').notNull().default(0),
  },
  (t) => [uniqueIndex('purchase_order_lines_order_line_uq').on(t.purchaseOrderId, t.lineNo)],
);

/** One delivery received against a purchase order: the purchase document it became. */
export const purchaseOrderReceipts = pgTable(
  'purchase_order_receipts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    purchaseOrderId: text('purchase_order_id')
      .notNull()
      .references(() => purchaseOrders.id),
    purchaseNumber: text('purchase_number').notNull(),
    /** line number → quantity received in this delivery. */
    lines: jsonb('lines').$type<Array<{ lineNo: number; sku: string; qty: number }>>().notNull(),
    actor: text('actor').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('purchase_order_receipts_purchase_uq').on(t.purchaseNumber),
    index('purchase_order_receipts_order_idx').on(t.purchaseOrderId),
  ],
);
