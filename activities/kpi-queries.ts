/**
 * The SQL aggregations behind KPI actuals. Each reads a time window [from, to) of indexed order,
 * courier-event, shipment and task rows; windows are UTC instants computed from the shop's local
 * midnight (definitions/kpi-period.ts), so no timezone conversion happens in SQL.
 *
 * Rules (documented in README.md, KPI section):
 * - Revenue is recognised at the courier time (`courier_events.at`) of an order's first applied
 *   `delivered` event, and reversed at its first applied `returned` event after that delivery —
 *   each in the period it happens in. Cancelled orders never count. Amount = total (else COD).
 * - A rep is credited with an order when they completed its first finished task of the plan's
 *   `creditRole` (the sales close step); orders nobody closed count for the channel only.
 * - Return rate is by hand-over cohort: parcels handed to a courier in the period (not cancelled)
 *   and, of those, the ones returning/returned so far.
 * - Leads are orders created in the period; a lead is closed once it has a total; marketing
 *   revenue is closed leads of new customers (no earlier order) not cancelled/returned/lost.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/**
 * Runs one aggregation with JIT compilation off: on a million orders PostgreSQL's cost estimate
 * turns JIT on and spends ~0.9 s compiling a query that runs in less (measured by bench:kpi).
 */
async function run<T>(db: Db, query: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return rowsOf<T>(await tx.execute(query));
  });
}
const iso = (ms: number) => new Date(ms).toISOString();
const amount = sql.raw('coalesce(o.total, o.cod_amount, 0)::float8');

export interface RevenueRow { channel: string | null; rep: string | null; revenue: number; delivered: number; deliveredValue: number; returned: number; returnedValue: number }
export interface ReturnRow { courier: string; shipped: number; shippedValue: number; returned: number; returnedValue: number }
export interface LeadRow { channel: string | null; campaign: string | null; leads: number; leadCost: number; closed: number; newCustomerGross: number; newCustomerNet: number }
export interface TaskRow { staffId: string | null; done: number; onTime: number }

/** Revenue recognised in [from, to) by channel and credited rep: deliveries minus returns of delivered orders. */
export async function revenueByChannelAndRep(db: Db, from: number, to: number, creditRole: string): Promise<RevenueRow[]> {
  const q: SQL = sql`
    with outcome as (
      select ce.order_id, ce.state, min(ce.at) as at
      from courier_events ce
      where ce.applied and ce.state in ('delivered', 'returned') and ce.at >= ${iso(from)} and ce.at < ${iso(to)} and ce.order_id is not null
      group by ce.order_id, ce.state
    ),
    counted as (
      select e.order_id, case when e.state = 'delivered' then 1 else -1 end as sign
      from outcome e
      where (e.state = 'delivered'
              and not exists (select 1 from courier_events d where d.applied and d.state = 'delivered' and d.order_id = e.order_id and d.at < e.at))
         or (e.state = 'returned'
              and exists (select 1 from courier_events d where d.applied and d.state = 'delivered' and d.order_id = e.order_id and d.at < e.at)
              and not exists (select 1 from courier_events r where r.applied and r.state = 'returned' and r.order_id = e.order_id and r.at < e.at))
    )
    select o.channel, rep.completed_by as rep,
      sum(c.sign * ${amount})::float8 as revenue,
      count(*) filter (where c.sign = 1)::int as delivered,
      coalesce(sum(${amount}) filter (where c.sign = 1), 0)::float8 as "deliveredValue",
      count(*) filter (where c.sign = -1)::int as returned,
      coalesce(sum(${amount}) filter (where c.sign = -1), 0)::float8 as "returnedValue"
    from counted c
    join orders o on o.id = c.order_id and o.status <> 'cancelled'
    left join lateral (
      select t.completed_by from tasks t
      where t.subject_id = o.id and t.role = ${creditRole} and t.status = 'done' and t.completed_by is not null
      order by t.completed_at, t.id limit 1
    ) rep on true
    group by o.channel, rep.completed_by`;
  return run<RevenueRow>(db, q);
}

/** Parcels handed over in [from, to) per courier, and how many of them are returning or returned. */
export async function returnsByCourier(db: Db, from: number, to: number): Promise<ReturnRow[]> {
  return run<ReturnRow>(db, sql`
    select s.courier,
      count(*)::int as shipped,
      coalesce(sum(${amount}), 0)::float8 as "shippedValue",
      count(*) filter (where s.state in ('returning', 'returned'))::int as returned,
      coalesce(sum(${amount}) filter (where s.state in ('returning', 'returned')), 0)::float8 as "returnedValue"
    from shipments s
    join orders o on o.id = s.order_id
    where s.created_at >= ${iso(from)} and s.created_at < ${iso(to)} and s.state <> 'cancelled' and o.status <> 'cancelled'
    group by s.courier`);
}

/** Leads created in [from, to) per channel and campaign: cost, closed, and revenue from new customers. */
export async function leadsByChannelAndCampaign(db: Db, from: number, to: number): Promise<LeadRow[]> {
  return run<LeadRow>(db, sql`
    select o.channel, o.campaign,
      count(*)::int as leads,
      coalesce(sum(o.lead_cost), 0)::float8 as "leadCost",
      count(*) filter (where o.total is not null and o.status <> 'lost')::int as closed,
      coalesce(sum(${amount}) filter (where o.total is not null and o.status <> 'lost' and n.first), 0)::float8 as "newCustomerGross",
      coalesce(sum(${amount}) filter (where o.total is not null and o.status not in ('lost', 'cancelled', 'returned') and n.first), 0)::float8 as "newCustomerNet"
    from orders o
    cross join lateral (
      select o.customer_id is null or not exists (
        select 1 from orders p where p.customer_id = o.customer_id and p.created_at <= o.created_at and (p.created_at, p.id) < (o.created_at, o.id)
      ) as first
    ) n
    where o.created_at >= ${iso(from)} and o.created_at < ${iso(to)}
    group by o.channel, o.campaign`);
}

/** Tasks of a role (optionally only some stages) finished in [from, to), per staff member, and how many by their due time. */
export async function tasksOnTimeByStaff(db: Db, from: number, to: number, role: string, stages?: string[]): Promise<TaskRow[]> {
  const stageFilter = stages?.length ? sql`and t.stage in (${sql.join(stages.map((s) => sql`${s}`), sql`, `)})` : sql``;
  return run<TaskRow>(db, sql`
    select t.completed_by as "staffId",
      count(*)::int as done,
      count(*) filter (where t.due_at is null or t.completed_at <= t.due_at)::int as "onTime"
    from tasks t
    where t.role = ${role} and t.status = 'done' and t.completed_at >= ${iso(from)} and t.completed_at < ${iso(to)} ${stageFilter}
    group by t.completed_by`);
}
