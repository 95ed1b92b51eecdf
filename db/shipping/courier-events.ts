/**
 * Courier reports in the database: each event recorded once (by its key), applied to the shipment
 * and the order's timeline when it is new and not stale, the COD a courier says it paid over, and
 * the returned part of a partial delivery. Used by the webhook route (server) and by the courier
 * stage's activities (the polling fallback, shipment creation), so both record reports one way.
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { courierEvents, orderEvents, orders, shipments } from '../schema';
import { courierReturnedValue, type CourierStatusEvent, type PartialDelivery } from '../../definitions/rules/courier-status';
import { recordCourierCod } from '../books/cod';

/**
 * Records a courier event once (by its key). It is applied — moves the shipment's state and
 * should reach the workflow — only if it is new, for a known shipment, and not older than the
 * newest event already applied (couriers send out of order).
 */
/** Where a parcel's journey has ended, and the states of its way out that cannot follow that. */
const ENDED = new Set(['delivered', 'returned', 'cancelled', 'lost', 'damaged']);
const OUTBOUND = new Set(['created', 'picking', 'picked', 'in_transit', 'delivering']);

export async function recordCourierEvent(
  db: Db,
  event: CourierStatusEvent,
  via: 'webhook' | 'poll',
): Promise<{ duplicate: boolean; applied: boolean; signalled: boolean; orderId: string | null; eventId: number }> {
  return db.transaction(async (tx) => {
    await lockParcel(tx, event.courier, event.trackingCode);
    const [shipment] = await tx
      .select()
      .from(shipments)
      .where(and(eq(shipments.courier, event.courier), eq(shipments.trackingCode, event.trackingCode)))
      .for('update');
    const at = new Date(event.at);
    // Reports can arrive out of order (retried webhooks, a poll racing a webhook, equal times): one
    // older than the last applied, or one of the way out after the parcel's journey ended, is kept
    // but never moves the shipment backwards.
    const stale =
      Boolean(shipment?.lastEventAt && at.getTime() < shipment.lastEventAt.getTime()) ||
      (ENDED.has(shipment?.state ?? '') && OUTBOUND.has(event.state));
    // An unknown code is kept and alerted on, but never replaces the last known state.
    const applied = Boolean(shipment) && !stale && event.state !== 'unknown';
    const inserted = await tx
      .insert(courierEvents)
      .values({
        courier: event.courier,
        eventKey: event.eventKey,
        orderId: shipment?.orderId ?? (event.orderCode || null),
        trackingCode: event.trackingCode,
        rawStatus: event.rawStatus,
        state: event.state,
        at,
        applied,
        via,
        data: {
          reason: event.reason ?? null,
          reasonCode: event.reasonCode ?? null,
          codAmount: event.codAmount ?? null,
          ...(event.partial ? { partial: event.partial } : {}),
        },
      })
      .onConflictDoNothing()
      .returning({ id: courierEvents.id });
    if (inserted.length === 0) {
      const [seen] = await tx
        .select()
        .from(courierEvents)
        .where(and(eq(courierEvents.courier, event.courier), eq(courierEvents.eventKey, event.eventKey)));
      return { duplicate: true, applied: seen!.applied, signalled: seen!.signalled, orderId: seen!.orderId, eventId: seen!.id };
    }
    // COD the courier says it paid over (GHN CODTransferDate, GHTK "đã đối soát") goes to the books.
    await recordCourierCod(tx, event, shipment?.orderId ?? null);
    if (applied && shipment) {
      await tx
        .update(shipments)
        .set({ state: event.state, rawStatus: event.rawStatus, lastEventAt: at, updatedAt: sql`now()` })
        .where(eq(shipments.orderId, shipment.orderId));
      await tx
        .insert(orderEvents)
        .values({
          orderId: shipment.orderId,
          type: 'courier_status',
          actor: event.courier,
          dedupeKey: `courier:${event.courier}:${event.eventKey}`,
          data: { status: event.rawStatus, state: event.state, at: event.at, reason: event.reason ?? null, via },
        })
        .onConflictDoNothing();
      if (event.partial && event.state === 'delivered') await recordCourierPartialReturn(tx, shipment, event, at);
    }
    return { duplicate: false, applied, signalled: false, orderId: shipment?.orderId ?? null, eventId: inserted[0]!.id };
  });
}

/**
 * The returned part of a partial delivery, as the courier reports it. Runs inside
 * recordCourierEvent's transaction (parcel lock held), only for a new, applied `delivered` event.
 *
 * - Its value: what the courier states, else the COD at hand-over less the COD the courier
 *   collected for the part kept (the customer did not pay for what came back). Unknown (a prepaid
 *   parcel, no COD figure) or nothing: only the order event is written, and no return is counted.
 * - Precedence: the courier's figure fills `orders.returned_amount` only while it is empty. The
 *   warehouse's count of what physically came back (receive-return's `returnedItems`/
 *   `restockedItems`, written by recordReturnedAmount) always overwrites it, and a courier report
 *   arriving after the warehouse recorded (late, replayed) never replaces the warehouse's figure.
 * - KPIs: revenue is recognised at the delivery and reversed, by `returned_amount`, at the first
 *   applied `returned` event after it. The rest of a GHN parcel comes back under another code
 *   (`PartialReturnCode`) that is not our shipment, so the return is written here as a derived
 *   `returned` event of this parcel 1 ms after the delivery (`via` 'partial', already signalled:
 *   the workflow acts on the delivery). The shipment's own state stays `delivered`. Revenue then
 *   counts the delivered value in the delivery's period, and follows the warehouse's figure once
 *   it is recorded (the KPI reads `returned_amount` when it computes).
 */
async function recordCourierPartialReturn(
  tx: Pick<Db, 'insert' | 'update'>,
  shipment: { orderId: string; codAmount: number | null },
  event: CourierStatusEvent,
  at: Date,
): Promise<void> {
  const partial = event.partial!;
  const value = courierReturnedValue(partial, shipment.codAmount);
  await tx
    .insert(orderEvents)
    .values({
      orderId: shipment.orderId,
      type: 'courier_partial_delivery',
      actor: event.courier,
      dedupeKey: `courier:${event.courier}:${event.eventKey}:partial`,
      data: { code: partial.code ?? null, deliveredValue: partial.deliveredValue ?? null, returnedValue: value ?? null, at: event.at },
    })
    .onConflictDoNothing();
  if (value === undefined || value <= 0) return;
  await tx
    .update(orders)
    .set({ returnedAmount: value, updatedAt: sql`now()` })
    .where(and(eq(orders.id, shipment.orderId), isNull(orders.returnedAmount)));
  await tx
    .insert(courierEvents)
    .values({
      courier: event.courier,
      eventKey: `${event.eventKey}|partial-return`,
      orderId: shipment.orderId,
      trackingCode: event.trackingCode,
      rawStatus: `${event.rawStatus}:partial-return`,
      state: 'returned',
      at: new Date(at.getTime() + 1),
      applied: true,
      signalled: true,
      via: 'partial',
      data: { partial: { ...partial, returnedValue: value }, derivedFrom: event.eventKey },
    })
    .onConflictDoNothing();
}

/**
 * The warehouse counted the returned part of a partial delivery whose courier gave no figure (a
 * prepaid parcel, no COD collected stated), so no `returned` event was derived at the report:
 * revenue (and what follows it) takes the count back the same way — the derived `returned` event
 * 1 ms after the partial delivery, under the key the courier's path uses, so it exists once
 * whichever writes it. Nothing when the order has no returned amount, no partial delivery, or the
 * event exists. True when it wrote the event.
 */
export async function takeBackCountedPartialReturn(db: Db, orderId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [shipment] = await tx
      .select({ courier: shipments.courier, trackingCode: shipments.trackingCode })
      .from(shipments)
      .where(eq(shipments.orderId, orderId));
    if (!shipment) return false;
    await lockParcel(tx, shipment.courier, shipment.trackingCode);
    const [order] = await tx.select({ returned: orders.returnedAmount }).from(orders).where(eq(orders.id, orderId));
    if (!order?.returned || order.returned <= 0) return false;
    const [taken] = await tx
      .select({ id: courierEvents.id })
      .from(courierEvents)
      .where(and(eq(courierEvents.orderId, orderId), eq(courierEvents.state, 'returned'), eq(courierEvents.via, 'partial')))
      .limit(1);
    if (taken) return false;
    const [delivered] = await tx
      .select()
      .from(courierEvents)
      .where(
        and(
          eq(courierEvents.orderId, orderId),
          eq(courierEvents.state, 'delivered'),
          eq(courierEvents.applied, true),
          sql`(${courierEvents.data}->'partial') is not null`,
        ),
      )
      .orderBy(asc(courierEvents.at), asc(courierEvents.id))
      .limit(1);
    if (!delivered) return false;
    const partial = (delivered.data as { partial?: PartialDelivery } | null)?.partial ?? {};
    const inserted = await tx
      .insert(courierEvents)
      .values({
        courier: delivered.courier,
        eventKey: `${delivered.eventKey}|partial-return`,
        orderId,
        trackingCode: delivered.trackingCode,
        rawStatus: `${delivered.rawStatus}:partial-return`,
        state: 'returned',
        at: new Date(delivered.at.getTime() + 1),
        applied: true,
        signalled: true,
        via: 'partial',
        data: { partial: { ...partial, returnedValue: order.returned }, derivedFrom: delivered.eventKey, countedBy: 'warehouse' },
      })
      .onConflictDoNothing()
      .returning({ id: courierEvents.id });
    return inserted.length > 0;
  });
}

/**
 * Serialises the writes about one parcel: an event recorded while the shipment row is being
 * inserted would otherwise miss the row, and the insert would miss the event (each inside its
 * own uncommitted transaction), leaving the order deaf until the next poll.
 */
export async function lockParcel(tx: Pick<Db, 'execute'>, courier: string, trackingCode: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`parcel:${courier}:${trackingCode}`}))`);
}

/** Marks an applied event as delivered to the order's workflow. */
export async function markCourierEventSignalled(db: Db, eventId: number): Promise<void> {
  await db.update(courierEvents).set({ signalled: true }).where(eq(courierEvents.id, eventId));
}
