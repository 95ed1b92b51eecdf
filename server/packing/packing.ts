/**
 * What the packing routes read and write: an order as its documents show it, and scan to pack on
 * a pack task (scans, overrides, the check the task API enforces before "Đã đóng gói").
 */
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { definitionVersions, orderEvents, orders, packingOverrides, packingScans, products, shipments, tasks } from '../../db/schema';
import { hasOwnEntry } from '../../definitions/rules/own';
import type { CompiledOrderProcess, CompiledShop } from '../../definitions/types';
import type { Principal } from '../http/auth';
import { orderFacts, ordersVisibleTo } from '../orders/orders';
import type { TaskRow } from '../tasks/tasks';
import type { PackingOrder } from './pdf';
import { checkPack, classifyScan, expectedLines, type ExpectedLine, type PackProblem, type ScanResult } from './scan-check';

type ScanRow = typeof packingScans.$inferSelect;
type OverrideRow = typeof packingOverrides.$inferSelect;

/** The box of a pack task against its order, as `GET /tasks/{id}/packing` answers it. */
export interface PackingState {
  taskId: string;
  orderId: string;
  required: boolean;
  outcome: string | null;
  lines: Array<ExpectedLine & { scanned: number }>;
  scans: Array<ReturnType<typeof scanView>>;
  problems: PackProblem[];
  matched: boolean;
  override: { reason: string; actor: string; at: string } | null;
  canComplete: boolean;
}

const scanView = (s: ScanRow, names: Map<string, string>) => ({
  id: s.id,
  barcode: s.barcode,
  sku: s.sku,
  name: (s.sku && names.get(s.sku)) ?? null,
  result: s.result as ScanResult,
  actor: s.actor,
  at: s.at.toISOString(),
  removedAt: s.removedAt?.toISOString() ?? null,
});

export function createPackingStore(db: Db) {
  /** Data of the order's finished steps (follow-ups of escalations left out), oldest first: what the order agreed. */
  async function stepData(orderIds: string[]) {
    const rows = await db
      .select({ orderId: tasks.subjectId, data: tasks.data })
      .from(tasks)
      .where(and(inArray(tasks.subjectId, orderIds), eq(tasks.subjectType, 'order'), eq(tasks.status, 'done'), isNull(tasks.parentTaskId)))
      .orderBy(asc(tasks.completedAt), asc(tasks.id));
    const by = new Map<string, Array<Record<string, unknown>>>();
    for (const r of rows) by.set(r.orderId, [...(by.get(r.orderId) ?? []), r.data ?? {}]);
    return by;
  }

  async function catalogueNames(skus: Iterable<string>) {
    const list = [...new Set(skus)];
    const rows = list.length
      ? await db.select({ sku: products.sku, name: products.name }).from(products).where(inArray(products.sku, list))
      : [];
    return new Map(rows.map((p) => [p.sku, p.name]));
  }

  /** The orders' items, address and figures from their steps; catalogue names win over typed ones. */
  async function agreed(orderIds: string[]) {
    const data = await stepData(orderIds);
    const facts = new Map(
      orderIds.map((id) => {
        const steps = data.get(id) ?? [];
        const merged: Record<string, unknown> = Object.assign({}, ...steps);
        return [id, { ...orderFacts(steps), merged }];
      }),
    );
    const names = await catalogueNames([...facts.values()].flatMap((f) => f.items.map((i) => i.sku).filter((s): s is string => !!s)));
    for (const f of facts.values()) f.items = f.items.map((i) => ({ ...i, name: (i.sku && names.get(i.sku)) ?? i.name }));
    return facts;
  }

  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);

  /**
   * Which outcome each stage of a definition version gates on scans. Versions never change, so
   * each is read once per process: every task completion asks, and a compiled process is large.
   */
  const gatesByVersion = new Map<string, Map<string, string>>();
  async function gatesOf(name: string, version: number): Promise<Map<string, string>> {
    const key = `${name}@${version}`;
    const known = gatesByVersion.get(key);
    if (known) return known;
    const [def] = await db
      .select({ compiled: definitionVersions.compiled })
      .from(definitionVersions)
      .where(and(eq(definitionVersions.name, name), eq(definitionVersions.version, version)));
    const process = def?.compiled as CompiledOrderProcess | undefined;
    const gates = new Map<string, string>();
    if (process?.kind === 'OrderProcess')
      for (const stage of Object.values(process.stages))
        if (stage.kind === 'human' && typeof stage.scanItems === 'string') gates.set(stage.id, stage.scanItems);
    if (gatesByVersion.size > 500) gatesByVersion.clear();
    gatesByVersion.set(key, gates);
    return gates;
  }

  /** The outcome the task's stage gates on scans, in the definition version its order runs (null: none). */
  async function scanRule(task: TaskRow): Promise<string | null> {
    if (task.subjectType !== 'order') return null;
    const [order] = await db
      .select({ name: orders.definitionName, version: orders.definitionVersion })
      .from(orders)
      .where(eq(orders.id, task.subjectId));
    if (!order?.name || order.version === null) return null;
    return (await gatesOf(order.name, order.version)).get(task.stage) ?? null;
  }

  async function expectedOf(orderId: string): Promise<ExpectedLine[]> {
    return expectedLines((await agreed([orderId])).get(orderId)!.items);
  }

  async function scansOf(taskId: string): Promise<ScanRow[]> {
    return db.select().from(packingScans).where(eq(packingScans.taskId, taskId)).orderBy(asc(packingScans.id));
  }

  /** The override in force: the latest one, if no scan was taken or taken out after it. */
  function overrideInForce(overrides: OverrideRow[], scans: ScanRow[]): OverrideRow | undefined {
    const latest = overrides[0];
    if (!latest) return undefined;
    const lastChange = Math.max(0, ...scans.flatMap((s) => [s.at.getTime(), s.removedAt?.getTime() ?? 0]));
    return latest.at.getTime() >= lastChange ? latest : undefined;
  }

  async function state(task: TaskRow): Promise<PackingState> {
    const [outcome, expected, scans, overrides] = await Promise.all([
      scanRule(task),
      expectedOf(task.subjectId),
      scansOf(task.id),
      db.select().from(packingOverrides).where(eq(packingOverrides.taskId, task.id)).orderBy(desc(packingOverrides.id)),
    ]);
    const inBox = scans.filter((s) => !s.removedAt);
    const check = checkPack(expected, inBox);
    const override = overrideInForce(overrides, scans);
    const names = await catalogueNames(scans.map((s) => s.sku).filter((s): s is string => !!s));
    return {
      taskId: task.id,
      orderId: task.subjectId,
      required: outcome !== null,
      outcome,
      lines: check.lines,
      scans: scans.map((s) => scanView(s, names)),
      problems: check.problems,
      matched: check.matched,
      override: override ? { reason: override.reason, actor: override.actor, at: override.at.toISOString() } : null,
      canComplete: check.matched || override !== undefined,
    };
  }

  /** A scanned text as a SKU: a product's barcode first, then a product's SKU, then a SKU of the order written on the goods. */
  async function resolve(barcode: string, expected: ExpectedLine[]): Promise<string | null> {
    const [byBarcode] = await db.select({ sku: products.sku }).from(products).where(eq(products.barcode, barcode));
    if (byBarcode) return byBarcode.sku;
    const [bySku] = await db.select({ sku: products.sku }).from(products).where(eq(products.sku, barcode));
    if (bySku) return bySku.sku;
    return expected.find((l) => l.sku === barcode)?.sku ?? null;
  }

  return {
    scanRule,
    state,

    /** Records one scan, checked against the order and the scans before it; a wrong one is also an order event. */
    async scan(task: TaskRow, barcode: string, actor: string) {
      const expected = await expectedOf(task.subjectId);
      const sku = await resolve(barcode, expected);
      const row = await db.transaction(async (tx) => {
        // One scan at a time per task, so two quick scans of the last item cannot both be "ok".
        await tx.select({ id: tasks.id }).from(tasks).where(eq(tasks.id, task.id)).for('update');
        const inBox = await tx
          .select({ id: packingScans.id, barcode: packingScans.barcode, sku: packingScans.sku })
          .from(packingScans)
          .where(and(eq(packingScans.taskId, task.id), isNull(packingScans.removedAt)));
        const result = classifyScan(expected, inBox, sku);
        const [scan] = await tx
          .insert(packingScans)
          .values({ taskId: task.id, orderId: task.subjectId, barcode, sku, result, actor })
          .returning();
        if (result !== 'ok')
          await tx.insert(orderEvents).values({
            orderId: task.subjectId,
            type: 'packing_mismatch',
            actor,
            data: { taskId: task.id, scanId: scan!.id, barcode, sku, result },
            dedupeKey: `packing:scan:${scan!.id}`,
          });
        return scan!;
      });
      const names = await catalogueNames(row.sku ? [row.sku] : []);
      return { scan: scanView(row, names), state: await state(task) };
    },

    /** Takes a scan back out of the box (kept on record, with who and when). */
    async removeScan(task: TaskRow, scanId: number, actor: string): Promise<'removed' | 'unknown' | 'already'> {
      const [scan] = await db
        .select()
        .from(packingScans)
        .where(and(eq(packingScans.id, scanId), eq(packingScans.taskId, task.id)));
      if (!scan) return 'unknown';
      const updated = await db
        .update(packingScans)
        .set({ removedAt: new Date(), removedBy: actor })
        .where(and(eq(packingScans.id, scanId), isNull(packingScans.removedAt)))
        .returning({ id: packingScans.id });
      return updated.length ? 'removed' : 'already';
    },

    /** Records a lead's override with the problems it lets through: a row and an order event, in one transaction. */
    async override(task: TaskRow, reason: string, problems: PackProblem[], actor: string) {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(packingOverrides)
          .values({
            taskId: task.id,
            orderId: task.subjectId,
            reason,
            problems: problems as unknown as Array<Record<string, unknown>>,
            actor,
          })
          .returning();
        await tx.insert(orderEvents).values({
          orderId: task.subjectId,
          type: 'packing_override',
          actor,
          data: { taskId: task.id, reason, problems: problems.map((p) => p.message) },
          dedupeKey: `packing:override:${row!.id}`,
        });
      });
    },

    /**
     * The orders as their slips and labels show them, in the order asked; ids the caller may not
     * see (or that do not exist) are returned in `missing`, with their index.
     */
    async documents(principal: Principal, shop: CompiledShop, ids: string[]) {
      const rows = await db
        .select()
        .from(orders)
        .where(and(inArray(orders.id, ids), ordersVisibleTo(principal)));
      const byId = new Map(rows.map((o) => [o.id, o]));
      const missing = ids.map((id, index) => ({ id, index })).filter((m) => !byId.has(m.id));
      const found = ids.filter((id) => byId.has(id));
      if (!found.length) return { documents: [], missing };
      const [facts, parcels] = await Promise.all([agreed(found), db.select().from(shipments).where(inArray(shipments.orderId, found))]);
      const parcelOf = new Map(parcels.map((s) => [s.orderId, s]));
      const documents: PackingOrder[] = found.map((id) => {
        const o = byId.get(id)!;
        const f = facts.get(id)!;
        const parcel = parcelOf.get(id);
        const courierId = parcel?.courier ?? o.courier;
        const courier = courierId ? (hasOwnEntry(shop.couriers, courierId) ? shop.couriers[courierId]!.title : courierId) : null;
        return {
          id,
          createdAt: o.createdAt,
          customerName: str(f.merged.customerName) ?? o.customerName,
          customerPhone: str(f.merged.phone) ?? o.customerPhone,
          address: f.shippingAddress?.text ?? null,
          items: f.items,
          total: o.total ?? (f.items.some((i) => i.amount !== null) ? f.items.reduce((n, i) => n + (i.amount ?? 0), 0) : null),
          codAmount: o.codAmount ?? num(f.merged.codAmount),
          shippingFee: num(f.merged.shippingFee),
          note: str(f.merged.note),
          courier,
          trackingCode: parcel?.trackingCode ?? o.trackingCode,
          weightGrams: num(f.merged.weightGrams),
        };
      });
      return { documents, missing };
    },
  };
}

export type PackingStore = ReturnType<typeof createPackingStore>;
