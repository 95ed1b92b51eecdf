/**
 * What the courier performance report reads: every parcel handed over in a window (the return
 * rate's cohort, db/kpi/queries.ts `returnsByCourier`: not cancelled), with its first applied
 * delivery, the courier's own promised time, and when its COD was remitted (the earliest matched
 * remittance line: its transfer time, else the remittance's import).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../client';

export interface CourierParcelRow {
  orderId: string;
  courier: string;
  handedOverAt: number;
  expectedDeliveryAt: number | null;
  deliveredAt: number | null;
  remittedAt: number | null;
  codAmount: number;
  definitionName: string | null;
  definitionVersion: number | null;
}

/** At most this many parcels in one report window. */
export const MAX_PARCELS = 200_000;

const ms = (v: Date | string | null) => (v === null ? null : new Date(v).getTime());

export async function courierParcels(db: Db, from: Date, to: Date): Promise<CourierParcelRow[]> {
  const result = await db.execute(sql`
    select s.order_id, s.courier, s.created_at, s.expected_delivery_at, coalesce(s.cod_amount, o.cod_amount, 0)::float8 as cod_amount,
      o.definition_name, o.definition_version, d.at as delivered_at, r.at as remitted_at
    from shipments s
    join orders o on o.id = s.order_id
    left join lateral (
      select min(e.at) as at from courier_events e where e.order_id = s.order_id and e.applied and e.state = 'delivered'
    ) d on true
    left join lateral (
      select min(coalesce(l.transferred_at, cr.created_at)) as at
      from cod_remittance_lines l join cod_remittances cr on cr.id = l.remittance_id
      where l.order_id = s.order_id
    ) r on true
    where s.created_at >= ${from.toISOString()} and s.created_at < ${to.toISOString()}
      and s.state <> 'cancelled' and o.status <> 'cancelled'
    order by s.created_at, s.order_id
    limit ${MAX_PARCELS}`);
  return (
    result as unknown as {
      rows: Array<{
        order_id: string;
        courier: string;
        created_at: Date | string;
        expected_delivery_at: Date | string | null;
        delivered_at: Date | string | null;
        remitted_at: Date | string | null;
        cod_amount: number;
        definition_name: string | null;
        definition_version: number | null;
      }>;
    }
  ).rows.map((r) => ({
    orderId: r.order_id,
    courier: r.courier,
    handedOverAt: ms(r.created_at)!,
    expectedDeliveryAt: ms(r.expected_delivery_at),
    deliveredAt: ms(r.delivered_at),
    remittedAt: ms(r.remitted_at),
    codAmount: Number(r.cod_amount),
    definitionName: r.definition_name,
    definitionVersion: r.definition_version === null ? null : Number(r.definition_version),
  }));
}
