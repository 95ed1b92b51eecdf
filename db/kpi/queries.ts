/**
 * The SQL aggregations behind KPI actuals. Each reads a time window [from, to) of indexed order,
 * courier-event, shipment and task rows; windows are UTC instants computed from the shop's local
 * midnight (definitions/kpi/period.ts), so no timezone conversion happens in SQL.
 *
 * Rules (documented in README.md, KPI section):
 * - A sale at the shop's counter (store_sales) is revenue when it is paid, and each return taken back
 *   at the counter (store_returns) reverses its goods value when it happens; its seller is credited
 *   when they hold the plan's credit role.
 * - Revenue is recognised at the courier time (`courier_events.at`) of an order's first applied
 *   `delivered` event, and reversed at its first applied `returned` event after that delivery —
 *   each in the period it happens in. Cancelled orders never count. Amount = total (else COD);
 *   a return reverses the order's `returned_amount` (the value of the items that came back, a
 *   partial return) and the whole amount when none was recorded.
 * - A rep is credited with an order (and a lead) when they completed its first finished task of
 *   the plan's `creditRole` (the sales close step); orders nobody closed count for the channel only.
 * - Return rate is by hand-over cohort: parcels handed to a courier in the period (not cancelled)
 *   and, of those, the ones returning/returned so far (by value: their returned amount). A partial
 *   delivery counts as delivered by count, and its returned part counts by value.
 * - Leads are orders created in the period; a lead is closed once it has a total; marketing
 *   revenue is closed leads of new customers (no earlier order) not cancelled/lost, less what
 *   came back from returned ones (the returned amount; all of it when none was recorded) and the
 *   returned part of partial deliveries (as revenue takes it back).
 * - Orders per packer per day: pack tasks done in the period per staff member, over the local
 *   days (shop timezone) on which they finished at least one.
 * - Complaints within SLA: complaints due in the period (opened in it when they have no due
 *   time), counted once decided or overdue; on time = `resolved_within_sla`.
 * - Care coverage: customers now in the given segments, and of those the ones contacted (a row
 *   in `customer_contacts`) in the period.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/**
 * Runs one aggregation with JIT compilation off: on a million orders PostgreSQL's cost estimate
 * turns JIT on and spends ~0.9 s compiling a query that runs in less (measured by bench:kpi).
 * A month's rows (~80k) are grouped in memory rather than sorted on disk.
 */
async function run<T>(db: Db, query: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`);
    return rowsOf<T>(await tx.execute(query));
  });
}
const iso = (ms: number) => new Date(ms).toISOString();
const amount = sql.raw('coalesce(o.total, o.cod_amount, 0)::float8');
/** What a return takes back: the recorded returned amount (a partial return), never more than the order. */
const returnedAmount = sql.raw('least(coalesce(o.returned_amount, o.total, o.cod_amount, 0), coalesce(o.total, o.cod_amount, 0))::float8');

/**
 * A partial delivery whose returned part revenue takes back: a derived `returned` event (via
 * 'partial', written at the courier's report or at the warehouse's count) and a returned amount on
 * the order (the courier's figure, or the warehouse's count that replaced it). `returned_amount`
 * is tested first: most orders have none, and skip the lookup. The same condition revenue reverses on, so marketing
 * revenue and the return rate by value agree with it.
 */
const partialReturned = sql.raw(`(o.returned_amount is not null and exists (
        select 1 from courier_events pr where pr.order_id = o.id and pr.applied and pr.state = 'returned' and pr.via = 'partial'))`);

export interface RevenueRow {
  channel: string | null;
  rep: string | null;
  revenue: number;
  delivered: number;
  deliveredValue: number;
  returned: number;
  returnedValue: number;
}
export interface ReturnRow {
  courier: string;
  shipped: number;
  shippedValue: number;
  returned: number;
  returnedValue: number;
}
export interface LeadRow {
  channel: string | null;
  campaign: string | null;
  rep: string | null;
  leads: number;
  leadCost: number;
  closed: number;
  newCustomerGross: number;
  newCustomerNet: number;
}
export interface TaskRow {
  staffId: string | null;
  done: number;
  onTime: number;
}
export interface PackerRow {
  staffId: string | null;
  orders: number;
  days: number;
}
export interface ComplaintRow {
  staffId: string | null;
  counted: number;
  onTime: number;
  open: number;
}
export interface CareRow {
  segment: string;
  customers: number;
  contacted: number;
}

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
    ),
    shipped as (
    select o.channel, rep.completed_by as rep,
      (coalesce(sum(${amount}) filter (where c.sign = 1), 0) - coalesce(sum(${returnedAmount}) filter (where c.sign = -1), 0))::float8 as revenue,
      count(*) filter (where c.sign = 1)::int as delivered,
      coalesce(sum(${amount}) filter (where c.sign = 1), 0)::float8 as "deliveredValue",
      count(*) filter (where c.sign = -1)::int as returned,
      coalesce(sum(${returnedAmount}) filter (where c.sign = -1), 0)::float8 as "returnedValue"
    from counted c
    join orders o on o.id = c.order_id and o.status <> 'cancelled'
    left join lateral (${creditedRep(creditRole)}) rep on true
    group by o.channel, rep.completed_by
    ),
    counter as (
      -- Sales at the shop's counter (server/store): booked when paid, taken back when goods are returned, each in its period.
      select o.channel, ${counterRep(creditRole)} as rep, 1 as sign, ss.goods_total::float8 as value
      from store_sales ss join orders o on o.id = ss.order_id
      where ss.status = 'paid' and ss.paid_at >= ${iso(from)} and ss.paid_at < ${iso(to)}
      union all
      select o.channel, ${counterRep(creditRole)}, -1, sr.goods_total::float8
      from store_returns sr join store_sales ss on ss.order_id = sr.order_id join orders o on o.id = sr.order_id
      where sr.at >= ${iso(from)} and sr.at < ${iso(to)}
    ),
    counted_counter as (
      select k.channel, k.rep,
        (coalesce(sum(k.value) filter (where k.sign = 1), 0) - coalesce(sum(k.value) filter (where k.sign = -1), 0))::float8 as revenue,
        count(*) filter (where k.sign = 1)::int as delivered,
        coalesce(sum(k.value) filter (where k.sign = 1), 0)::float8 as "deliveredValue",
        count(*) filter (where k.sign = -1)::int as returned,
        coalesce(sum(k.value) filter (where k.sign = -1), 0)::float8 as "returnedValue"
      from counter k
      group by k.channel, k.rep
    )
    select channel, rep, sum(revenue)::float8 as revenue, sum(delivered)::int as delivered, sum("deliveredValue")::float8 as "deliveredValue",
      sum(returned)::int as returned, sum("returnedValue")::float8 as "returnedValue"
    from (select * from shipped union all select * from counted_counter) r
    group by channel, rep`;
  return run<RevenueRow>(db, q);
}

/** Parcels handed over in [from, to) per courier, and how many of them are returning or returned. */
export async function returnsByCourier(db: Db, from: number, to: number): Promise<ReturnRow[]> {
  return run<ReturnRow>(
    db,
    sql`
    select s.courier,
      count(*)::int as shipped,
      coalesce(sum(${amount}), 0)::float8 as "shippedValue",
      count(*) filter (where s.state in ('returning', 'returned'))::int as returned,
      coalesce(sum(${returnedAmount}) filter (where s.state in ('returning', 'returned') or (s.state = 'delivered' and ${partialReturned})), 0)::float8 as "returnedValue"
    from shipments s
    join orders o on o.id = s.order_id
    where s.created_at >= ${iso(from)} and s.created_at < ${iso(to)} and s.state <> 'cancelled' and o.status <> 'cancelled'
    group by s.courier`,
  );
}

/** Leads created in [from, to) per channel, campaign and rep: cost, closed, and revenue from new customers. */
export async function leadsByChannelAndCampaign(db: Db, from: number, to: number, creditRole: string): Promise<LeadRow[]> {
  return run<LeadRow>(
    db,
    sql`
    select o.channel, o.campaign, rep.completed_by as rep,
      count(*)::int as leads,
      coalesce(sum(o.lead_cost), 0)::float8 as "leadCost",
      count(*) filter (where o.total is not null and o.status <> 'lost')::int as closed,
      coalesce(sum(${amount}) filter (where o.total is not null and o.status <> 'lost' and n.first), 0)::float8 as "newCustomerGross",
      coalesce(sum(${amount} - case when o.status = 'returned' or ${partialReturned} then ${returnedAmount} else 0 end)
        filter (where o.total is not null and o.status not in ('lost', 'cancelled') and n.first), 0)::float8 as "newCustomerNet"
    from orders o
    left join lateral (
      -- Only closed leads need the earlier-order check.
      select o.customer_id is null or not exists (
        select 1 from orders p where p.customer_id = o.customer_id and p.created_at <= o.created_at and (p.created_at, p.id) < (o.created_at, o.id)
      ) as first
      where o.total is not null and o.status <> 'lost'
    ) n on true
    left join lateral (${creditedRep(creditRole)}) rep on true
    where o.created_at >= ${iso(from)} and o.created_at < ${iso(to)}
    group by o.channel, o.campaign, rep.completed_by`,
  );
}

/** The seller of a counter sale `ss`, when they hold the credit role (else the sale counts for its channel only). */
function counterRep(role: string): SQL {
  return sql`(select ss.seller from staff st where st.id = ss.seller and ${role} = any(st.roles))`;
}

/**
 * The finisher of the first finished task of a role on the order `o` (the rep who closed it, or
 * marked it lost). The order workflow writes its first step's finisher on the order
 * (`closed_by`, `closed_by_role`); tasks are read only for orders without it, or another role.
 */
function creditedRep(role: string): SQL {
  return sql`
      select case when o.closed_by_role = ${role} then o.closed_by else (
        select t.completed_by from tasks t
        where t.subject_id = o.id and t.role = ${role} and t.status = 'done' and t.completed_by is not null
        order by t.completed_at, t.id limit 1
      ) end as completed_by`;
}

/** Tasks of a role (optionally only some stages) finished in [from, to), per staff member, and how many by their due time. */
export async function tasksOnTimeByStaff(db: Db, from: number, to: number, role: string, stages?: string[]): Promise<TaskRow[]> {
  const stageFilter = stages?.length
    ? sql`and t.stage in (${sql.join(
        stages.map((s) => sql`${s}`),
        sql`, `,
      )})`
    : sql``;
  return run<TaskRow>(
    db,
    sql`
    select t.completed_by as "staffId",
      count(*)::int as done,
      count(*) filter (where t.due_at is null or t.completed_at <= t.due_at)::int as "onTime"
    from tasks t
    where t.role = ${role} and t.status = 'done' and t.completed_at >= ${iso(from)} and t.completed_at < ${iso(to)} ${stageFilter}
    group by t.completed_by`,
  );
}

/** Packing tasks done in [from, to) per staff member, and on how many local days (shop offset) they packed. */
export async function packedPerStaffDay(
  db: Db,
  from: number,
  to: number,
  role: string,
  stages: string[],
  utcOffsetMinutes: number,
): Promise<PackerRow[]> {
  const localDay = sql`floor((extract(epoch from t.completed_at) + ${utcOffsetMinutes * 60}) / 86400)`;
  return run<PackerRow>(
    db,
    sql`
    select t.completed_by as "staffId", count(*)::int as orders, count(distinct ${localDay})::int as days
    from tasks t
    where t.role = ${role} and t.status = 'done' and t.completed_at >= ${iso(from)} and t.completed_at < ${iso(to)}
      and t.stage in (${sql.join(
        stages.map((s) => sql`${s}`),
        sql`, `,
      )})
    group by t.completed_by`,
  );
}

/**
 * Complaints due in [from, to) (opened in it when they have no due time), per staff member who
 * decided them: counted once decided or past due, on time when resolved within their SLA.
 */
export async function complaintsWithinSla(db: Db, from: number, to: number): Promise<ComplaintRow[]> {
  const dueOrOpened = sql`coalesce(c.due_at, c.opened_at)`;
  return run<ComplaintRow>(
    db,
    sql`
    select c.resolved_by as "staffId",
      count(*) filter (where c.resolved_at is not null or c.due_at < ${iso(to)})::int as counted,
      count(*) filter (where c.resolved_within_sla)::int as "onTime",
      count(*) filter (where c.resolved_at is null)::int as open
    from complaints c
    where ${dueOrOpened} >= ${iso(from)} and ${dueOrOpened} < ${iso(to)}
    group by c.resolved_by`,
  );
}

/** Customers now in each of the segments, and how many of them staff contacted in [from, to). */
export async function careCoverage(db: Db, from: number, to: number, segments: string[]): Promise<CareRow[]> {
  return run<CareRow>(
    db,
    sql`
    select cu.segment,
      count(*)::int as customers,
      count(*) filter (where exists (
        select 1 from customer_contacts cc where cc.customer_id = cu.id and cc.at >= ${iso(from)} and cc.at < ${iso(to)}
      ))::int as contacted
    from customers cu
    where cu.segment in (${sql.join(
      segments.map((s) => sql`${s}`),
      sql`, `,
    )}) and cu.merged_into is null
    group by cu.segment`,
  );
}
