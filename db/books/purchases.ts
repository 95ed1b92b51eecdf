/**
 * Purchases (phiếu nhập, PN) in the database: the document and its receipt movements in one
 * transaction, and the catalogue check every document line passes. Used by the purchases API.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../client';
import { products, purchaseLines, purchases } from '../schema';
import { stockSettings, type CompiledShop } from '../../definitions/types';
import { hasOwnEntry } from '../../definitions/rules/own';
import { localYear, shopOffsetMinutes } from '../../definitions/rules/local-day';
import { documentNumber, nextDocumentSeq, type Tx } from './documents';
import { BooksInputError } from './errors';
import { applyMovements } from './stock-ledger';

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
    throw new BooksInputError(`unknown warehouse "${warehouse}"`, [
      { field: 'warehouse', message: `must be one of: ${Object.keys(settings.warehouses).join(', ')}` },
    ]);
  }
  // Inside the caller's transaction, read on its connection: a second one from the pool per request could exhaust it.
  await requireCatalogueSkus(
    within ?? db,
    input.lines.map((l) => l.sku),
    'lines',
  );
  const offset = shopOffsetMinutes(shop);
  const write = async (tx: Tx) => {
    if (input.supplierInvoice) {
      const [dup] = await tx
        .select({ number: purchases.number })
        .from(purchases)
        .where(and(eq(purchases.supplier, input.supplier), eq(purchases.supplierInvoice, input.supplierInvoice)));
      if (dup)
        throw new BooksInputError(
          `invoice ${input.supplierInvoice} of ${input.supplier} is already recorded as ${dup.number}`,
          [{ field: 'supplierInvoice', message: `already recorded as ${dup.number}` }],
          'conflict',
        );
    }
    const now = new Date();
    const year = localYear(now, offset);
    const seq = await nextDocumentSeq(tx, 'purchase', year);
    const number = documentNumber('purchase', year, seq);
    const total = input.lines.reduce((sum, l) => sum + l.qty * l.unitCost, 0);
    const [doc] = await tx
      .insert(purchases)
      .values({
        number,
        year,
        seq,
        supplier: input.supplier,
        supplierInvoice: input.supplierInvoice ?? null,
        warehouse,
        total,
        note: input.note ?? null,
        actor: input.actor,
        createdAt: now,
      })
      .returning();
    await tx
      .insert(purchaseLines)
      .values(input.lines.map((l) => ({ purchaseId: doc!.id, sku: l.sku, qty: l.qty, unitCost: l.unitCost, amount: l.qty * l.unitCost })));
    await applyMovements(
      tx,
      log,
      settings,
      input.lines.map((l, i) => ({
        sku: l.sku,
        warehouse,
        qty: l.qty,
        kind: 'receipt' as const,
        reason: `${number} ${input.supplier}`,
        actor: input.actor,
        dedupeKey: `purchase:${number}:${i}`,
      })),
      'none',
    );
    return { ...doc!, lines: input.lines.map((l) => ({ ...l, amount: l.qty * l.unitCost })) };
  };
  return within ? write(within) : db.transaction(write);
}

/** 422 naming every SKU of the list that is not an active catalogue product. */
export async function requireCatalogueSkus(db: Pick<Db, 'select'>, skus: string[], field: string): Promise<void> {
  const known = new Set(
    (
      await db
        .select({ sku: products.sku })
        .from(products)
        .where(and(inArray(products.sku, [...new Set(skus)]), eq(products.active, true)))
    ).map((p) => p.sku),
  );
  const unknown = skus.map((sku, i) => ({ sku, i })).filter((x) => !known.has(x.sku));
  if (unknown.length) {
    throw new BooksInputError(
      `unknown or inactive SKU: ${[...new Set(unknown.map((u) => u.sku))].join(', ')}`,
      unknown.map((u) => ({ field: `${field}.${u.i}.sku`, message: `"${u.sku}" is not an active product` })),
    );
  }
}
