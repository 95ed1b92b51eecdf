/**
 * The manager's dashboard in a few indexed queries: open orders per stage, today's closed and
 * delivered value (the shop's local day), parcels past their delivery SLA with the escalation
 * rung they reached, and overdue tasks. Everything respects the caller's scope.
 */
import { ownEntry } from '../../definitions/rules/own';
import { and, asc, count, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { definitionVersions, orders, tasks } from '../../db/schema';
import { localDay, localMidnight, shopOffsetMinutes } from '../../definitions/rules/local-day';
import { revenueByChannelAndRep } from '../../db/kpi/queries';
import { dueAt } from '../../definitions/rules/business-time';
import type { CompiledKpiPlan } from '../../definitions/kpi/types';
import type { CompiledOrderProcess, CompiledShop } from '../../definitions/types';
import type { Principal } from '../http/auth';
import type { DefinitionsStore } from './definitions';
import { ordersVisibleTo } from '../orders/orders';
import { toTaskView, visibleTo } from '../tasks/tasks';

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;
/** At most this many rows of each list; the counts say how many there are in all. */
const LIST_LIMIT = 100;
/** Parcel states after which the order leaves its courier stage (it is about to). */
const SETTLED_STATES = ['delivered', 'returned', 'cancelled'];

export interface LateDelivery {
  orderId: string;
  customer: { name: string | null; phone: string | null };
  stage: string;
  courier: string;
  trackingCode: string;
  state: string;
  status: string | null;
  /** When the delivery SLA started: the parcel handed over on this visit of the stage. */
  shippedAt: string;
  deliveryDueAt: string;
  expectedDeliveryAt: string | null;
  /** The highest escalation rung of the stage's ladder recorded on this visit (0: none yet). */
  escalationLevel: number;
}

interface CandidateRow {
  id: string;
  customer_name: string | null;
  customer_phone: string | null;
  courier: string;
  tracking_code: string;
  state: string;
  raw_status: string | null;
  expected_ms: number | null;
  started_ms: number;
  level: number | null;
}

export function createDashboardStore(deps: { db: Db; definitions: DefinitionsStore }) {
  const { db } = deps;
  /** Definition versions are immutable: compiled processes are read once per process version. */
  const processes = new Map<string, CompiledOrderProcess | null>();

  async function processOf(name: string | null, version: number | null): Promise<CompiledOrderProcess | null> {
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

  /** Open orders per (process version, stage): the per-stage counts and where the courier stages are. */
  async function openOrderGroups(p: Principal) {
    return db
      .select({ name: orders.definitionName, version: orders.definitionVersion, stage: orders.stage, n: count() })
      .from(orders)
      .where(and(eq(orders.status, 'open'), ordersVisibleTo(p)))
      .groupBy(orders.definitionName, orders.definitionVersion, orders.stage);
  }

  /**
   * Orders waiting at a courier stage whose delivery SLA has passed. The SLA runs from the
   * hand-over on this visit of the stage (the later of the stage's entry and the parcel's
   * creation: a redelivery reuses the parcel), on the stage's clock, as the workflow's
   * `deliverySla` timer does. Only orders past the SLA on the calendar clock are read (a
   * business-clock SLA ends no earlier), then each due time is computed exactly.
   */
  async function lateAtStage(
    p: Principal,
    process: CompiledOrderProcess,
    name: string,
    version: number,
    stageId: string,
    now: number,
  ): Promise<LateDelivery[]> {
    const stage = ownEntry(process.stages, stageId);
    if (stage?.kind !== 'courier') return [];
    const scope = ordersVisibleTo(p);
    const rows = rowsOf<CandidateRow>(
      await db.execute(sql`
      select o.id, o.customer_name, o.customer_phone, s.courier, s.tracking_code, s.state, s.raw_status,
        (extract(epoch from s.expected_delivery_at) * 1000)::float8 as expected_ms,
        (extract(epoch from greatest(s.created_at, e.entered)) * 1000)::float8 as started_ms,
        n.level
      from ${orders} o
      join shipments s on s.order_id = o.id
      cross join lateral (
        select coalesce(max(ev.at), s.created_at) as entered from order_events ev
        where ev.order_id = o.id and ev.type = 'stage_entered' and ev.to_stage = o.stage
      ) e
      left join lateral (
        select max((nt.data->>'level')::int) as level from notifications nt
        where nt.subject_id = o.id and nt.task_id is null and nt.data->>'stage' = o.stage and nt.at >= e.entered
      ) n on true
      where o.status = 'open' and o.stage = ${stageId} and o.definition_name = ${name} and o.definition_version = ${version}
        and s.state not in (${sql.join(
          SETTLED_STATES.map((st) => sql`${st}`),
          sql`, `,
        )})
        and greatest(s.created_at, e.entered) + ${stage.deliverySlaMs} * interval '1 millisecond' < now()
        ${scope ? sql`and ${scope}` : sql``}`),
    );
    const late: LateDelivery[] = [];
    for (const r of rows) {
      const started = Number(r.started_ms);
      const due = dueAt(started, stage.deliverySlaMs, stage.clock, process.workingHours);
      if (due >= now) continue;
      late.push({
        orderId: r.id,
        customer: { name: r.customer_name, phone: r.customer_phone },
        stage: stageId,
        courier: r.courier,
        trackingCode: r.tracking_code,
        state: r.state,
        status: r.raw_status,
        shippedAt: new Date(started).toISOString(),
        deliveryDueAt: new Date(due).toISOString(),
        expectedDeliveryAt: r.expected_ms === null ? null : new Date(Number(r.expected_ms)).toISOString(),
        escalationLevel: Number(r.level ?? 0),
      });
    }
    return late;
  }

  /** The orders whose first finished step (closing the lead) finished in [from, to) with a total, and their value. */
  async function closedIn(p: Principal, shop: CompiledShop, from: Date, to: Date): Promise<{ orders: number; value: number }> {
    const roles = Object.keys(shop.roles);
    if (!roles.length) return { orders: 0, value: 0 };
    const own = p.scope === 'all' || p.permissions.has('*') ? sql`` : sql`and t.completed_by = ${p.staffId}`;
    const [row] = rowsOf<{ orders: number; value: number }>(
      await db.execute(sql`
      select count(*)::int as orders, coalesce(sum(coalesce(o.total, o.cod_amount, 0)), 0)::float8 as value
      from tasks t
      join orders o on o.id = t.subject_id
      where t.role in (${sql.join(
        roles.map((r) => sql`${r}`),
        sql`, `,
      )}) and t.status = 'done'
        and t.completed_at >= ${from.toISOString()} and t.completed_at < ${to.toISOString()}
        and t.subject_type = 'order' and t.parent_task_id is null
        and o.total is not null and o.status <> 'lost' ${own}
        and not exists (
          select 1 from tasks f where f.subject_id = t.subject_id and f.subject_type = 'order' and f.status = 'done' and f.parent_task_id is null
            and (f.completed_at, f.id) < (t.completed_at, t.id)
        )`),
    );
    return { orders: Number(row?.orders ?? 0), value: Number(row?.value ?? 0) };
  }

  /** Revenue recognised in [from, to) by the KPI's rules (db/kpi/queries.ts): deliveries minus returns of delivered orders. */
  async function deliveredIn(p: Principal, from: Date, to: Date) {
    const plan = await deps.definitions.activeOfKind<CompiledKpiPlan>('KpiPlan').catch(() => undefined);
    const rows = (await revenueByChannelAndRep(db, from.getTime(), to.getTime(), plan?.compiled.creditRole ?? 'sales')).filter(
      (r) => p.scope === 'all' || p.permissions.has('*') || r.rep === p.staffId,
    );
    const channels = new Map<string, { channel: string | null; revenue: number; delivered: number; returned: number }>();
    for (const r of rows) {
      const c = channels.get(r.channel ?? '') ?? { channel: r.channel, revenue: 0, delivered: 0, returned: 0 };
      Object.assign(c, {
        revenue: c.revenue + Number(r.revenue),
        delivered: c.delivered + Number(r.delivered),
        returned: c.returned + Number(r.returned),
      });
      channels.set(r.channel ?? '', c);
    }
    const sum = (key: 'revenue' | 'delivered' | 'deliveredValue' | 'returned' | 'returnedValue') =>
      rows.reduce((n, r) => n + Number(r[key]), 0);
    return {
      revenue: sum('revenue'),
      orders: sum('delivered'),
      value: sum('deliveredValue'),
      returned: sum('returned'),
      returnedValue: sum('returnedValue'),
      byChannel: [...channels.values()].sort((a, b) => b.revenue - a.revenue),
    };
  }

  async function overdueTasks(p: Principal) {
    const where = and(visibleTo(p), eq(tasks.status, 'open'), lt(tasks.dueAt, sql`now()`));
    const [rows, [total]] = await Promise.all([
      db
        .select({
          id: tasks.id,
          stage: tasks.stage,
          title: tasks.title,
          role: tasks.role,
          assigneeId: tasks.assigneeId,
          priority: tasks.priority,
          status: tasks.status,
          subjectType: tasks.subjectType,
          subjectId: tasks.subjectId,
          summary: tasks.summary,
          createdAt: tasks.createdAt,
          dueAt: tasks.dueAt,
          escalationLevel: tasks.escalationLevel,
          parentTaskId: tasks.parentTaskId,
          outcome: tasks.outcome,
          completedBy: tasks.completedBy,
          completedAt: tasks.completedAt,
        })
        .from(tasks)
        .where(where)
        .orderBy(asc(tasks.dueAt), asc(tasks.id))
        .limit(LIST_LIMIT),
      db.select({ n: count() }).from(tasks).where(where),
    ]);
    const now = Date.now();
    return { count: Number(total?.n ?? 0), tasks: rows.map((r) => toTaskView(r, now)) };
  }

  return {
    async read(p: Principal, shop: CompiledShop, now = new Date()) {
      const offset = shopOffsetMinutes(shop);
      const day = localDay(now, offset);
      const from = localMidnight(day, offset);
      const to = localMidnight(day, offset, 1);

      const groups = await openOrderGroups(p);
      const perStage = new Map<string, { stage: string; title: string | null; kind: string | null; count: number }>();
      const late: LateDelivery[] = [];
      await Promise.all(
        groups.map(async (g) => {
          const process = await processOf(g.name, g.version);
          const stage = g.stage ?? '';
          const entry = perStage.get(stage) ?? { stage, title: null, kind: null, count: 0 };
          entry.count += Number(g.n);
          entry.title ??= ownEntry(process?.stages, stage)?.title ?? null;
          entry.kind ??= ownEntry(process?.stages, stage)?.kind ?? null;
          perStage.set(stage, entry);
          if (process && g.name && g.version !== null)
            late.push(...(await lateAtStage(p, process, g.name, g.version, stage, now.getTime())));
        }),
      );
      late.sort((a, b) => a.deliveryDueAt.localeCompare(b.deliveryDueAt) || a.orderId.localeCompare(b.orderId));
      const [closed, delivered, overdue] = await Promise.all([closedIn(p, shop, from, to), deliveredIn(p, from, to), overdueTasks(p)]);
      const stages = [...perStage.values()].sort((a, b) => b.count - a.count || a.stage.localeCompare(b.stage));
      return {
        asOf: now.toISOString(),
        timezone: shop.profile.timezone,
        day,
        scope: p.scope === 'all' || p.permissions.has('*') ? ('all' as const) : ('own' as const),
        openOrders: stages.reduce((n, s) => n + s.count, 0),
        ordersPerStage: stages,
        today: { from: from.toISOString(), to: to.toISOString(), closed, delivered },
        lateDeliveries: { count: late.length, orders: late.slice(0, LIST_LIMIT) },
        overdueTasks: overdue,
      };
    },
  };
}

export type DashboardStore = ReturnType<typeof createDashboardStore>;
