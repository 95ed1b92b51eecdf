/**
 * The stock ledger (sổ kho) in the database: append-only movements, levels derived by summing
 * them, the locked check-then-append that keeps reservations honest, and low-stock alerts. Used by
 * the stock activities (order and complaint movements), purchases (db/books/purchases.ts) and the
 * books API's adjustments (server/books/books.ts), so stock moves one way.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../client';
import { products, stockLowFlags, stockMovements } from '../schema';
import type { CompiledStockSettings } from '../../definitions/types';
import { ownEntry } from '../../definitions/rules/own';
import { recordNotification } from '../notifications/outbox';

/** Why stock moved. On hand counts receipts, issues, restocks and adjustments; reserved counts reserve/release. */
export type StockMovementKind = 'receipt' | 'reserve' | 'release' | 'issue' | 'restock' | 'adjust';

export interface StockLine {
  sku: string;
  qty: number;
}

/** A line that could not be reserved (or taken) because too little is there. */
export interface StockShortage {
  sku: string;
  warehouse: string;
  requested: number;
  available: number;
}

/** One row to append to the ledger; `qty` is signed (see {@link StockMovementKind}). */
export interface NewMovement {
  sku: string;
  warehouse: string;
  qty: number;
  kind: StockMovementKind;
  orderId?: string | null;
  reason?: string | null;
  actor?: string | null;
  dedupeKey: string;
}

export interface StockLevel {
  onHand: number;
  reserved: number;
  available: number;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
const ON_HAND_KINDS = ['receipt', 'issue', 'restock', 'adjust'];
const keyOf = (sku: string, warehouse: string) => `${sku}\u0000${warehouse}`;

/**
 * Appends movements to the ledger in the caller's transaction, atomically with the check that
 * they are allowed: every (SKU, warehouse) touched is locked first (a transaction-scoped
 * advisory lock, always in the same order so two writers cannot deadlock), then levels are
 * read, then rows are inserted. Two reservations of the last unit therefore run one after the
 * other and the second sees the first. Checks apply only to SKUs in the product catalogue:
 * `available` for reservations, `onHand` for adjustments. Also re-arms or fires low-stock
 * alerts. Movements whose dedupe keys are already in the ledger are a retry: nothing changes.
 */
export async function applyMovements(
  tx: Tx,
  log: Logger,
  settings: CompiledStockSettings,
  movements: NewMovement[],
  check: 'available' | 'onHand' | 'none',
): Promise<{ applied: boolean; short: StockShortage[] }> {
  if (movements.length === 0) return { applied: true, short: [] };
  const keys = [...new Map(movements.map((m) => [keyOf(m.sku, m.warehouse), { sku: m.sku, warehouse: m.warehouse }])).values()].sort(
    (a, b) => (a.sku === b.sku ? a.warehouse.localeCompare(b.warehouse) : a.sku.localeCompare(b.sku)),
  );
  for (const k of keys) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`stock:${k.sku}:${k.warehouse}`}))`);

  const seen = await tx
    .select({ dedupeKey: stockMovements.dedupeKey })
    .from(stockMovements)
    .where(
      inArray(
        stockMovements.dedupeKey,
        movements.map((m) => m.dedupeKey),
      ),
    );
  if (seen.length === movements.length) return { applied: true, short: [] };

  const skus = keys.map((k) => k.sku);
  const catalogue = new Map((await tx.select().from(products).where(inArray(products.sku, skus))).map((p) => [p.sku, p]));
  const before = await levelsOf(tx, keys);
  if (check !== 'none' && !settings.allowNegative) {
    const short: StockShortage[] = [];
    for (const k of keys) {
      if (!catalogue.has(k.sku)) continue; // not a catalogue SKU: not stock-kept
      const level = before.get(keyOf(k.sku, k.warehouse))!;
      const mine = movements.filter((m) => m.sku === k.sku && m.warehouse === k.warehouse);
      const take = -mine.reduce((sum, m) => sum + (m.kind === 'reserve' ? -m.qty : ON_HAND_KINDS.includes(m.kind) ? m.qty : 0), 0);
      const room = check === 'available' ? level.available : level.onHand;
      if (take > 0 && room - take < 0) short.push({ sku: k.sku, warehouse: k.warehouse, requested: take, available: room });
    }
    if (short.length) return { applied: false, short };
  }

  for (const m of movements) {
    await tx
      .insert(stockMovements)
      .values({
        sku: m.sku,
        warehouse: m.warehouse,
        qty: m.qty,
        kind: m.kind,
        orderId: m.orderId ?? null,
        reason: m.reason ?? null,
        actor: m.actor ?? null,
        dedupeKey: m.dedupeKey,
      })
      .onConflictDoNothing();
  }
  const after = await levelsOf(tx, keys);
  for (const k of keys) {
    const product = catalogue.get(k.sku);
    if (product) await watchLowStock(tx, log, settings, product, k.warehouse, after.get(keyOf(k.sku, k.warehouse))!.available);
  }
  return { applied: true, short: [] };
}

/**
 * Fires a low-stock alert once per crossing: when available stock goes below the threshold and
 * the flag was not already set; the flag is cleared when stock is back at or above it.
 */
async function watchLowStock(
  tx: Tx,
  log: Logger,
  settings: CompiledStockSettings,
  product: typeof products.$inferSelect,
  warehouse: string,
  available: number,
): Promise<void> {
  if (product.lowStockThreshold <= 0) return;
  const low = available < product.lowStockThreshold;
  const [flag] = await tx
    .select()
    .from(stockLowFlags)
    .where(and(eq(stockLowFlags.sku, product.sku), eq(stockLowFlags.warehouse, warehouse)));
  if ((flag?.low ?? false) === low) return;
  const crossings = (flag?.crossings ?? 0) + (low ? 1 : 0);
  await tx
    .insert(stockLowFlags)
    .values({ sku: product.sku, warehouse, low, crossings })
    .onConflictDoUpdate({ target: [stockLowFlags.sku, stockLowFlags.warehouse], set: { low, crossings, changedAt: sql`now()` } });
  if (!low) return;
  await recordNotification(tx, log, {
    roles: settings.lowStockNotify,
    message: `Sắp hết hàng: ${product.sku} (${product.name}) còn ${available} ${product.unit} có thể bán ở kho ${ownEntry(settings.warehouses, warehouse)?.title ?? warehouse} (ngưỡng ${product.lowStockThreshold})`,
    subject: { type: 'product', id: product.sku },
    data: { sku: product.sku, warehouse, available, threshold: product.lowStockThreshold },
    dedupeKey: `low-stock:${product.sku}:${warehouse}:${crossings}`,
    kind: 'stock',
    priority: 'normal',
  });
}

/** On hand, reserved and available per (SKU, warehouse), derived from the ledger. */
async function levelsOf(tx: Pick<Db, 'select'>, keys: Array<{ sku: string; warehouse: string }>): Promise<Map<string, StockLevel>> {
  const levels = new Map<string, StockLevel>(keys.map((k) => [keyOf(k.sku, k.warehouse), { onHand: 0, reserved: 0, available: 0 }]));
  if (keys.length === 0) return levels;
  const rows = await tx
    .select({
      sku: stockMovements.sku,
      warehouse: stockMovements.warehouse,
      onHand: sql<number>`coalesce(sum(${stockMovements.qty}) filter (where ${stockMovements.kind} in ('receipt','issue','restock','adjust')), 0)::int`,
      reserved: sql<number>`coalesce(sum(${stockMovements.qty}) filter (where ${stockMovements.kind} in ('reserve','release')), 0)::int`,
    })
    .from(stockMovements)
    .where(inArray(stockMovements.sku, [...new Set(keys.map((k) => k.sku))]))
    .groupBy(stockMovements.sku, stockMovements.warehouse);
  for (const r of rows) {
    const key = keyOf(r.sku, r.warehouse);
    if (levels.has(key)) levels.set(key, { onHand: r.onHand, reserved: r.reserved, available: r.onHand - r.reserved });
  }
  return levels;
}

/** On hand and reserved per SKU over all warehouses, derived from the ledger. */
export async function stockLevels(db: Db, skus: string[]): Promise<Record<string, StockLevel>> {
  if (skus.length === 0) return {};
  const rows = await db
    .select({
      sku: stockMovements.sku,
      onHand: sql<number>`coalesce(sum(${stockMovements.qty}) filter (where ${stockMovements.kind} in ('receipt','issue','restock','adjust')), 0)::int`,
      reserved: sql<number>`coalesce(sum(${stockMovements.qty}) filter (where ${stockMovements.kind} in ('reserve','release')), 0)::int`,
    })
    .from(stockMovements)
    .where(inArray(stockMovements.sku, skus))
    .groupBy(stockMovements.sku);
  // A Map, then own properties: a SKU named `__proto__` must stay a key, not replace the prototype.
  const levels = new Map<string, StockLevel>(skus.map((sku) => [sku, { onHand: 0, reserved: 0, available: 0 }]));
  for (const r of rows) levels.set(r.sku, { onHand: r.onHand, reserved: r.reserved, available: r.onHand - r.reserved });
  return Object.fromEntries(levels);
}

/** Adds up repeated SKUs; drops empty lines. */
export function mergeLines(lines: StockLine[]): StockLine[] {
  const bySku = new Map<string, number>();
  for (const l of lines) if (l.sku && l.qty > 0) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.qty);
  return [...bySku].map(([sku, qty]) => ({ sku, qty }));
}
