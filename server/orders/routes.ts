import { Router, type Request } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { and, asc, desc, eq, gte, ilike, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { definitionVersions, orderEvents, orders, products, shipments, staff, tasks } from '../../db/schema';
import type { CompiledOrderProcess } from '../../definitions/types';
import { cancelOrderUpdate, statusQuery, type OrderStatus } from '../../workflows/orders/order';
import { requirePermission } from '../http/auth';
import { badRequest, conflict, notFound } from '../http/errors';
import type { TasksStore } from '../tasks/tasks';
import { afterCursor, pageOf } from '../http/pagination';
import { orderFacts, ordersVisibleTo, orderWorkflowId } from './orders';
import { body, queryOf, queryValues } from '../http/contract';
import { CancelBody, OrdersQuery } from './contract';
import { normalizePhone } from '../../definitions/rules/phone';

/** Who closes an order that arrives closed (server/webshops): the platform's id is the actor. */
const WEB_SHOP_ACTORS = ['shopify', 'haravan'] as const;

type OrderRow = typeof orders.$inferSelect;
const toOrderView = (o: OrderRow) => ({
  id: o.id,
  status: o.status,
  stage: o.stage,
  channel: o.channel,
  campaign: o.campaign,
  customer: { id: o.customerId, name: o.customerName, phone: o.customerPhone },
  total: o.total,
  codAmount: o.codAmount,
  courier: o.courier,
  trackingCode: o.trackingCode,
  definition: o.definitionName ? { name: o.definitionName, version: o.definitionVersion } : null,
  createdAt: o.createdAt.toISOString(),
  updatedAt: o.updatedAt.toISOString(),
});

/** Orders: lists from the database projection, details from the workflow's status query plus the timeline. */
export function ordersRouter(deps: { db: Db; temporal: Client; tasks: TasksStore }): Router {
  const router = Router();
  router.use(requirePermission('orders.read'));

  const scopeFilter = (req: Request) => ordersVisibleTo(req.principal!);

  router.get('/', queryOf(OrdersQuery), async (req, res) => {
    const q = queryValues(req, OrdersQuery);
    const limit = q.limit;
    const date = (name: 'from' | 'to') => {
      if (!q[name]) return undefined;
      const d = new Date(q[name]);
      if (Number.isNaN(d.getTime()))
        throw badRequest(`${name} must be a date (ISO 8601)`, { fields: [{ field: name, message: 'must be a date-time (ISO 8601)' }] });
      return d;
    };
    const [from, to] = [date('from'), date('to')];
    const lateSql = sql`(exists (select 1 from ${tasks} where ${tasks.subjectId} = ${orders.id} and ${tasks.status} = 'open' and ${tasks.dueAt} < now())
      or exists (select 1 from ${shipments} where ${shipments.orderId} = ${orders.id} and ${shipments.state} not in ('delivered','returned','cancelled') and ${shipments.expectedDeliveryAt} < now()))`;
    const rows = await deps.db
      .select()
      .from(orders)
      .where(
        and(
          scopeFilter(req),
          q.stage ? eq(orders.stage, q.stage) : undefined,
          q.status ? eq(orders.status, q.status) : undefined,
          q.channel ? eq(orders.channel, q.channel) : undefined,
          q.courier ? eq(orders.courier, q.courier) : undefined,
          q.q?.trim() ? searchSql(q.q) : undefined,
          q.assignee
            ? inArray(
                orders.id,
                deps.db
                  .select({ id: tasks.subjectId })
                  .from(tasks)
                  .where(and(eq(tasks.status, 'open'), eq(tasks.assigneeId, q.assignee === 'me' ? req.principal!.staffId : q.assignee))),
              )
            : undefined,
          q.late === true ? lateSql : undefined,
          from ? gte(orders.createdAt, from) : undefined,
          to ? lte(orders.createdAt, to) : undefined,
          afterCursor(q.cursor, orders.createdAt, orders.id),
        ),
      )
      .orderBy(desc(orders.createdAt), desc(orders.id))
      .limit(limit + 1);
    const { page, nextCursor } = pageOf(rows, limit);
    res.json({ orders: page.map(toOrderView), nextCursor });
  });

  /**
   * The items and address staff agreed, from the data of the order's finished steps (follow-ups
   * of escalations left out), merged oldest first as the workflow merges them; SKUs in the
   * catalogue are named from it.
   */
  async function agreedFacts(orderId: string) {
    const done = await deps.db
      .select({ data: tasks.data })
      .from(tasks)
      .where(and(eq(tasks.subjectId, orderId), eq(tasks.subjectType, 'order'), eq(tasks.status, 'done'), isNull(tasks.parentTaskId)))
      .orderBy(asc(tasks.completedAt), asc(tasks.id));
    // An order that arrived closed from a web shop has no closing task: what it agreed is the
    // platform's, recorded as the figure changes of that arrival (by the platform, before any task).
    const arrived = await deps.db
      .select({ data: orderEvents.data })
      .from(orderEvents)
      .where(
        and(
          eq(orderEvents.orderId, orderId),
          eq(orderEvents.type, 'order_figures_changed'),
          // A manual order's closing is its staff member's, decided at arrival too: the start stage's changes.
          or(
            inArray(orderEvents.actor, [...WEB_SHOP_ACTORS]),
            sql`${orderEvents.dedupeKey} like ${`${orderWorkflowId(orderId)}:1:figure:%`}`,
          ),
        ),
      )
      .orderBy(asc(orderEvents.id));
    const platform = Object.fromEntries(
      arrived
        .map((e) => e.data as { field?: unknown; to?: unknown })
        .flatMap((d) => (typeof d.field === 'string' ? [[d.field, d.to]] : [])),
    );
    const facts = orderFacts([platform, ...done.map((t) => t.data ?? {})]);
    const skus = [...new Set(facts.items.map((i) => i.sku).filter((s): s is string => s !== null))];
    const named = skus.length
      ? await deps.db.select({ sku: products.sku, name: products.name }).from(products).where(inArray(products.sku, skus))
      : [];
    const names = new Map(named.map((p) => [p.sku, p.name]));
    return { ...facts, items: facts.items.map((i) => ({ ...i, name: (i.sku && names.get(i.sku)) ?? i.name })) };
  }

  router.get('/:id', async (req, res) => {
    const id = String(req.params.id);
    const [order] = await deps.db
      .select()
      .from(orders)
      .where(and(eq(orders.id, id), scopeFilter(req)));
    if (!order) throw notFound(`no order "${id}"`);
    const [shipment] = await deps.db.select().from(shipments).where(eq(shipments.orderId, id));
    const facts = await agreedFacts(id);
    let live: OrderStatus | null = null;
    try {
      live = await deps.temporal.workflow.getHandle(order.workflowId).query(statusQuery);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) req.log.warn({ err, orderId: id }, 'status query failed; answering from the database');
    }
    // Who holds each open task is the tasks table's (a reassignment through the API changes it
    // there; the workflow's board keeps who it assigned): the live list, with holders from the rows.
    const [open, timeline] = await Promise.all([
      deps.db
        .select({
          id: tasks.id,
          role: tasks.role,
          assigneeId: tasks.assigneeId,
          priority: tasks.priority,
          escalationLevel: tasks.escalationLevel,
        })
        .from(tasks)
        .where(and(eq(tasks.subjectId, id), eq(tasks.status, 'open'))),
      deps.tasks.timeline(id),
    ]);
    const rows = new Map(open.map((t) => [t.id, t]));
    const waitingOn = (live?.waitingOn ?? []).map((w) => {
      const row = rows.get(String((w as { taskId?: unknown }).taskId));
      return row ? { ...w, role: row.role, assigneeId: row.assigneeId, priority: row.priority, escalationLevel: row.escalationLevel } : w;
    });
    res.json({
      ...toOrderView(order),
      current: live ? { stage: live.stage, title: live.stageTitle, since: live.since, waitingOn, result: live.result ?? null } : null,
      path: live?.path ?? null,
      items: facts.items,
      shippingAddress: facts.shippingAddress,
      shipment: shipment
        ? {
            courier: shipment.courier,
            trackingCode: shipment.trackingCode,
            state: shipment.state,
            status: shipment.rawStatus,
            deliveryDueAt: live?.shipment?.deliveryDueAt ?? null,
            expectedDeliveryAt: shipment.expectedDeliveryAt?.toISOString() ?? null,
          }
        : null,
      timeline,
      people: await peopleNamed(deps.db, [
        ...waitingOn.map((w) => (w as { assigneeId?: unknown }).assigneeId),
        ...timeline.map((e) => (e as { actor?: unknown }).actor),
      ]),
      ...(await processWords(deps.db, order.definitionName, order.definitionVersion)),
    });
  });

  router.post('/:id/cancel', requirePermission('orders.cancel'), body(CancelBody), async (req, res) => {
    const id = String(req.params.id);
    // Scope own cancels only the orders it may see (someone else's is a 404, as on GET).
    const [order] = await deps.db
      .select()
      .from(orders)
      .where(and(eq(orders.id, id), scopeFilter(req)));
    if (!order) throw notFound(`no order "${id}"`);
    try {
      const result = await deps.temporal.workflow
        .getHandle(order.workflowId)
        .executeUpdate(cancelOrderUpdate, { args: [{ reason: req.body.reason, actor: req.principal!.staffId }] });
      if (!result.cancelled) throw conflict(`order ${id} cannot be cancelled: ${result.reason}`, { reason: result.reason });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw conflict(`order ${id} has already ended`);
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) throw conflict(err.cause.message);
      throw err;
    }
    // The order now walks to its cancelled end; answer with where it ended, without waiting long.
    const result = await Promise.race([
      deps.temporal.workflow.getHandle(order.workflowId).result() as Promise<OrderStatus>,
      new Promise<null>((r) => setTimeout(() => r(null), 5_000).unref()),
    ]).catch(() => null);
    res.json({ id, cancelled: true, status: result?.result ?? 'cancelled', stage: result?.stage ?? null });
  });

  return router;
}

/**
 * The titles of the stages and outcomes of the process version the order runs (its snapshot's
 * words), so the timeline says "Xác nhận đơn", never `confirm`. Empty for a version not stored.
 */
async function processWords(
  db: Db,
  name: string | null,
  version: number | null,
): Promise<{ stages: Record<string, string>; outcomes: Record<string, Record<string, string>> }> {
  if (!name || version === null) return { stages: {}, outcomes: {} };
  const [row] = await db
    .select({ compiled: definitionVersions.compiled })
    .from(definitionVersions)
    .where(and(eq(definitionVersions.name, name), eq(definitionVersions.version, version)));
  const process = row?.compiled as Partial<CompiledOrderProcess> | undefined;
  const stages: Record<string, string> = {};
  const outcomes: Record<string, Record<string, string>> = {};
  for (const stage of Object.values(process?.kind === 'OrderProcess' ? (process.stages ?? {}) : {})) {
    stages[stage.id] = stage.title;
    if (stage.kind === 'human') outcomes[stage.id] = Object.fromEntries(stage.outcomes.map((o) => [o.name, o.title]));
  }
  return { stages, outcomes };
}

/** Staff names by id for the people an order page mentions (holders, who did what), so staff read names, not ids. */
async function peopleNamed(db: Db, ids: unknown[]): Promise<Record<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => typeof x === 'string' && x !== 'system' && x.length > 0))];
  if (!wanted.length) return {};
  const found = await db.select({ id: staff.id, name: staff.name }).from(staff).where(inArray(staff.id, wanted));
  return Object.fromEntries(found.map((p) => [p.id, p.name]));
}

/**
 * The one search box of the order list: the order code, the tracking code and the customer's
 * name contain the words; a phone number typed in any spelling (or its last digits) is found in
 * the stored 0xxxxxxxxx form.
 */
function searchSql(raw: string): SQL | undefined {
  const term = raw.trim();
  const like = `%${term.replace(/[\\%_]/g, '\\$&')}%`;
  const digits = term.replace(/[\s.\-()]/g, '');
  const phone = normalizePhone(term) ?? (/^\+?\d{3,}$/.test(digits) ? digits.replace(/^\+?84/, '0') : undefined);
  return or(
    ilike(orders.id, like),
    ilike(orders.trackingCode, like),
    ilike(orders.customerName, like),
    phone ? ilike(orders.customerPhone, `%${phone.replace(/^0/, '')}%`) : undefined,
  );
}
