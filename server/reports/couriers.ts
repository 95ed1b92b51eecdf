/**
 * Courier performance side by side (hiệu quả đơn vị vận chuyển): per courier, the parcels handed
 * over in a range, how many were delivered within the delivery SLA the order workflow holds them
 * to (the order process's courier stage `deliverySla` from hand-over, on its clock — the same due
 * time as the dashboard's late deliveries), within the courier's own promised time when it gave
 * one, the return rate as the return-rate KPI counts it, and the days from delivery to the COD
 * remittance.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { definitionVersions } from '../../db/schema';
import { courierParcels } from '../../db/reports/couriers';
import { returnsByCourier } from '../../db/kpi/queries';
import { dueAt } from '../../definitions/rules/business-time';
import { ownEntry } from '../../definitions/rules/own';
import type { CompiledCourierStage, CompiledOrderProcess, CompiledShop } from '../../definitions/types';

const DAY = 86_400_000;
const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;
const rate = (part: number, whole: number) => (whole ? round(part / whole) : null);

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface CourierPerformance {
  courier: string;
  title: string;
  shipments: number;
  delivered: number;
  /** Delivered parcels whose SLA is known (their order's process has a courier stage). */
  withSla: number;
  onTime: number;
  onTimeRate: number | null;
  /** Delivered parcels with a time the courier promised, and how many arrived by it. */
  withPromise: number;
  onPromise: number;
  promiseRate: number | null;
  returned: number;
  returnRate: number | null;
  medianDeliveryHours: number | null;
  /** Delivered COD parcels and how many of them the courier has remitted. */
  codDelivered: number;
  codRemitted: number;
  averageCodDays: number | null;
  medianCodDays: number | null;
}

/** The first courier stage of a process: where the parcel is handed over and its SLA starts. */
function courierStageOf(process: CompiledOrderProcess | null): CompiledCourierStage | undefined {
  if (!process) return undefined;
  return Object.values(process.stages).find((s): s is CompiledCourierStage => s.kind === 'courier');
}

export async function courierPerformance(db: Db, shop: CompiledShop, from: Date, to: Date): Promise<CourierPerformance[]> {
  const [parcels, returns] = await Promise.all([courierParcels(db, from, to), returnsByCourier(db, from.getTime(), to.getTime())]);
  const processes = new Map<string, CompiledOrderProcess | null>();
  async function processOf(name: string | null, version: number | null) {
    if (!name || version === null) return null;
    const key = `${name}@${version}`;
    if (!processes.has(key)) {
      const [row] = await db
        .select({ kind: definitionVersions.kind, compiled: definitionVersions.compiled })
        .from(definitionVersions)
        .where(and(eq(definitionVersions.name, name), eq(definitionVersions.version, version)));
      processes.set(key, row?.kind === 'OrderProcess' ? (row.compiled as CompiledOrderProcess) : null);
    }
    return processes.get(key)!;
  }

  const byCourier = new Map<string, typeof parcels>();
  for (const p of parcels) byCourier.set(p.courier, [...(byCourier.get(p.courier) ?? []), p]);
  const couriers = new Set([...byCourier.keys(), ...returns.map((r) => r.courier)]);
  const report: CourierPerformance[] = [];
  for (const courier of [...couriers].sort()) {
    const list = byCourier.get(courier) ?? [];
    const ret = returns.find((r) => r.courier === courier);
    let delivered = 0;
    let withSla = 0;
    let onTime = 0;
    let withPromise = 0;
    let onPromise = 0;
    const deliveryHours: number[] = [];
    const codDays: number[] = [];
    let codDelivered = 0;
    for (const p of list) {
      if (p.deliveredAt === null) continue;
      delivered += 1;
      deliveryHours.push(Math.max(0, p.deliveredAt - p.handedOverAt) / 3_600_000);
      const process = await processOf(p.definitionName, p.definitionVersion);
      const stage = courierStageOf(process);
      if (stage && process) {
        withSla += 1;
        if (p.deliveredAt <= dueAt(p.handedOverAt, stage.deliverySlaMs, stage.clock, process.workingHours)) onTime += 1;
      }
      if (p.expectedDeliveryAt !== null) {
        withPromise += 1;
        if (p.deliveredAt <= p.expectedDeliveryAt) onPromise += 1;
      }
      if (p.codAmount > 0) {
        codDelivered += 1;
        if (p.remittedAt !== null) codDays.push(Math.max(0, p.remittedAt - p.deliveredAt) / DAY);
      }
    }
    const shipments = ret?.shipped ?? list.length;
    const returned = ret?.returned ?? 0;
    const medianHours = median(deliveryHours);
    const medianCod = median(codDays);
    report.push({
      courier,
      title: ownEntry(shop.couriers, courier)?.title ?? courier,
      shipments,
      delivered,
      withSla,
      onTime,
      onTimeRate: rate(onTime, withSla),
      withPromise,
      onPromise,
      promiseRate: rate(onPromise, withPromise),
      returned,
      returnRate: rate(returned, shipments),
      medianDeliveryHours: medianHours === null ? null : round(medianHours, 2),
      codDelivered,
      codRemitted: codDays.length,
      averageCodDays: codDays.length ? round(codDays.reduce((a, b) => a + b, 0) / codDays.length, 2) : null,
      medianCodDays: medianCod === null ? null : round(medianCod, 2),
    });
  }
  return report;
}
