/**
 * The shop's history as the what-if simulator reads it, over a window [from, to): the orders that
 * arrived (with their figures, the outcomes staff chose and how their parcel ended), every
 * finished task as a duration sample (role, stage, local hour), every parcel's transit time per
 * courier and province, and the staffing as it was (who finished tasks in which hour).
 */
import { sql } from 'drizzle-orm';
import { FIGURE_NAMES } from '../../definitions/orders/figures';
import type { CompiledWorkingHours } from '../../definitions/rules/business-time';
import { outcomeOf, type ShipmentState } from '../../definitions/rules/courier-status';
import { localHour } from '../../definitions/simulate/engine';
import type { ArrivalRecord, SimulationHistory, StaffingSample, TaskSample, TransitSample } from '../../definitions/simulate/types';
import type { CourierOutcome } from '../../definitions/types';
import type { Db } from '../client';

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;
const ms = (v: Date | string | null) => (v === null ? null : new Date(v).getTime());
const HOUR = 3_600_000;
/** More arrivals than this in one window are cut (the newest kept out): a simulation answers in seconds. */
export const MAX_ARRIVALS = 50_000;
const FIGURES: ReadonlySet<string> = new Set(FIGURE_NAMES.filter((f) => f !== 'shippingAddress.street'));
const VERDICT_STATES = ['delivered', 'returned', 'delivery_failed', 'lost', 'damaged', 'cancelled'];

interface OrderRow {
  id: string;
  channel: string | null;
  created_at: Date | string;
  cod_amount: number | null;
  total: number | null;
  segment: string | null;
}
interface TaskRow {
  subject_id: string;
  stage: string;
  role: string;
  status: string;
  outcome: string | null;
  data: Record<string, unknown> | null;
  created_at: Date | string;
  completed_at: Date | string | null;
  follow_up: boolean;
}
interface ShipmentRow {
  order_id: string;
  courier: string;
  created_at: Date | string;
  verdict_at: Date | string | null;
  verdict_state: string | null;
}

/** Reads the window's history; `hours` gives the local hour of each task's opening. */
export async function readSimulationHistory(
  db: Db,
  window: { from: number; to: number },
  hours: CompiledWorkingHours,
): Promise<SimulationHistory> {
  const from = new Date(window.from).toISOString();
  const to = new Date(window.to).toISOString();
  const orders = rowsOf<OrderRow>(
    await db.execute(sql`
      select o.id, o.channel, o.created_at, o.cod_amount, o.total, c.segment
      from orders o left join customers c on c.id = o.customer_id
      where o.created_at >= ${from} and o.created_at < ${to}
      order by o.created_at, o.id
      limit ${MAX_ARRIVALS}`),
  );
  const taskRows = rowsOf<TaskRow>(
    await db.execute(sql`
      select t.subject_id, t.stage, t.role, t.status, t.outcome, t.data, t.created_at, t.completed_at,
             (t.parent_task_id is not null) as follow_up
      from tasks t join orders o on o.id = t.subject_id
      where t.subject_type = 'order' and o.created_at >= ${from} and o.created_at < ${to}
      order by t.subject_id, t.created_at, t.id`),
  );
  const shipmentRows = rowsOf<ShipmentRow>(
    await db.execute(sql`
      select s.order_id, s.courier, s.created_at, v.at as verdict_at, v.state as verdict_state
      from shipments s join orders o on o.id = s.order_id
      left join lateral (
        select e.at, e.state from courier_events e
        where e.order_id = s.order_id and e.applied and e.state in (${sql.join(
          VERDICT_STATES.map((s) => sql`${s}`),
          sql`, `,
        )})
        order by e.at, e.id limit 1
      ) v on true
      where o.created_at >= ${from} and o.created_at < ${to}`),
  );
  // The first stage each order left, with how and by whom: an order whose start stage has no task arrived closed.
  const firstLeft = rowsOf<{ order_id: string; from_stage: string; outcome: string | null; actor: string | null }>(
    await db.execute(sql`
      select distinct on (e.order_id) e.order_id, e.from_stage, e.data->>'outcome' as outcome, e.actor
      from order_events e join orders o on o.id = e.order_id
      where e.type = 'stage_left' and o.created_at >= ${from} and o.created_at < ${to}
      order by e.order_id, e.id`),
  );
  const staffingRows = rowsOf<{ role: string; hour: string | number; staff: number }>(
    await db.execute(sql`
      select role, floor(extract(epoch from completed_at) / 3600)::bigint as hour, count(distinct completed_by)::int as staff
      from tasks
      where status = 'done' and completed_by is not null and completed_at >= ${from} and completed_at < ${to}
      group by role, hour`),
  );
  const throughputRows = rowsOf<{ role: string; p90: number }>(
    await db.execute(sql`
      select role, percentile_disc(0.9) within group (order by n)::float8 as p90
      from (
        select role, completed_by, floor(extract(epoch from completed_at) / 3600) as hour, count(*) as n
        from tasks
        where status = 'done' and completed_by is not null and completed_at >= ${from} and completed_at < ${to}
        group by role, completed_by, hour
      ) busy
      group by role`),
  );

  const byOrder = new Map<string, ArrivalRecord>();
  const arrivals: ArrivalRecord[] = orders.map((o) => {
    const arrival: ArrivalRecord = {
      orderId: o.id,
      arrivedAt: ms(o.created_at)!,
      channel: o.channel,
      customer: o.segment ? { segment: o.segment } : {},
      figures: {},
      outcomes: {},
    };
    byOrder.set(o.id, arrival);
    return arrival;
  });
  const tasks: TaskSample[] = [];
  for (const t of taskRows) {
    const arrival = byOrder.get(t.subject_id);
    const openedAt = ms(t.created_at)!;
    const doneAt = ms(t.completed_at);
    if (t.status !== 'done' || doneAt === null) continue;
    const stage = t.follow_up ? `${t.stage}:follow-up` : t.stage;
    tasks.push({
      role: t.role,
      stage,
      hour: localHour(openedAt, hours),
      durationMs: Math.max(0, doneAt - openedAt),
      outcome: t.follow_up ? null : t.outcome,
    });
    if (!arrival || t.follow_up) continue;
    if (t.outcome)
      (Object.hasOwn(arrival.outcomes, t.stage) ? arrival.outcomes[t.stage]! : (arrival.outcomes[t.stage] = [])).push(t.outcome);
    // The figures its tasks set (fields named as the figure, the shipped processes' habit), newest wins.
    for (const [field, value] of Object.entries(t.data ?? {})) if (FIGURES.has(field)) arrival.figures[field] = value;
  }
  const stagesWithTasks = new Set(taskRows.map((t) => `${t.subject_id}\u0000${t.stage}`));
  for (const left of firstLeft) {
    const arrival = byOrder.get(left.order_id);
    if (!arrival || !left.outcome || left.outcome === 'skipped' || stagesWithTasks.has(`${left.order_id}\u0000${left.from_stage}`))
      continue;
    arrival.arrivedClosed = { outcome: left.outcome, actor: left.actor ?? 'shop' };
  }
  for (const o of orders) {
    const arrival = byOrder.get(o.id)!;
    if (o.cod_amount !== null) arrival.figures.codAmount = o.cod_amount;
    if (o.total !== null) arrival.figures.total = o.total;
  }
  const transits: TransitSample[] = [];
  for (const s of shipmentRows) {
    const arrival = byOrder.get(s.order_id);
    const outcome = s.verdict_state ? outcomeOf(s.verdict_state as ShipmentState) : 'in_transit';
    const verdict: CourierOutcome | undefined = outcome === 'in_transit' ? undefined : outcome;
    if (arrival) arrival.shipment = { courier: s.courier, ...(verdict ? { outcome: verdict } : {}) };
    const handedAt = ms(s.created_at)!;
    const verdictAt = ms(s.verdict_at);
    if (!verdict || verdictAt === null) continue;
    const address = arrival?.figures.shippingAddress as { province?: unknown } | undefined;
    transits.push({
      courier: s.courier,
      province: typeof address?.province === 'string' ? address.province : null,
      durationMs: Math.max(0, verdictAt - handedAt),
      outcome: verdict,
    });
  }
  const staffing: StaffingSample[] = staffingRows.map((r) => ({ role: r.role, hourStart: Number(r.hour) * HOUR, staff: r.staff }));
  return {
    window,
    arrivals,
    tasks,
    transits,
    staffing,
    throughputPerHour: Object.fromEntries(throughputRows.map((r) => [r.role, Number(r.p90)])),
  };
}
