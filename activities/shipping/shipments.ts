import { ApplicationFailure } from '@temporalio/activity';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { courierEvents, orderEvents, orders, shipments } from '../../db/schema';
import type { Logger } from '../../server/platform/logger';
import { recordCourierCod } from '../books/cod';
import type { CourierDirectory } from './couriers/directory';
import { CourierError, outcomeOf, type CourierStatusEvent, type CreateShipmentRequest, type PartialDelivery, type ShipmentOutcome, type ShipmentState } from './couriers/types';

/** The courier's news as the order workflow receives it (the `courierEvent` signal's payload). */
export interface CourierNews {
  outcome: ShipmentOutcome;
  state: string;
  status: string;
  at: string;
  reason?: string;
  /** A partial delivery: the order is delivered, and the rest of the parcel comes back. */
  partial?: PartialDelivery;
}

export const toCourierNews = (e: CourierStatusEvent): CourierNews => ({
  outcome: outcomeOf(e.state), state: e.state, status: e.rawStatus, at: e.at, ...(e.reason ? { reason: e.reason } : {}), ...(e.partial ? { partial: e.partial } : {}),
});

/**
 * Records a courier event once (by its key). It is applied — moves the shipment's state and
 * should reach the workflow — only if it is new, for a known shipment, and not older than the
 * newest event already applied (couriers send out of order).
 */
export async function recordCourierEvent(db: Db, event: CourierStatusEvent, via: 'webhook' | 'poll'): Promise<{ duplicate: boolean; applied: boolean; signalled: boolean; orderId: string | null; eventId: number }> {
  return db.transaction(async (tx) => {
    await lockParcel(tx, event.courier, event.trackingCode);
    const [shipment] = await tx.select().from(shipments)
      .where(and(eq(shipments.courier, event.courier), eq(shipments.trackingCode, event.trackingCode))).for('update');
    const at = new Date(event.at);
    const stale = Boolean(shipment?.lastEventAt && at.getTime() < shipment.lastEventAt.getTime());
    // An unknown code is kept and alerted on, but never replaces the last known state.
    const applied = Boolean(shipment) && !stale && event.state !== 'unknown';
    const inserted = await tx.insert(courierEvents).values({
      courier: event.courier, eventKey: event.eventKey, orderId: shipment?.orderId ?? (event.orderCode || null), trackingCode: event.trackingCode,
      rawStatus: event.rawStatus, state: event.state, at, applied, via,
      data: { reason: event.reason ?? null, reasonCode: event.reasonCode ?? null, codAmount: event.codAmount ?? null, ...(event.partial ? { partial: event.partial } : {}) },
    }).onConflictDoNothing().returning({ id: courierEvents.id });
    if (inserted.length === 0) {
      const [seen] = await tx.select().from(courierEvents).where(and(eq(courierEvents.courier, event.courier), eq(courierEvents.eventKey, event.eventKey)));
      return { duplicate: true, applied: seen!.applied, signalled: seen!.signalled, orderId: seen!.orderId, eventId: seen!.id };
    }
    // COD the courier says it paid over (GHN CODTransferDate, GHTK "đã đối soát") goes to the books.
    await recordCourierCod(tx, event, shipment?.orderId ?? null);
    if (applied && shipment) {
      await tx.update(shipments).set({ state: event.state, rawStatus: event.rawStatus, lastEventAt: at, updatedAt: sql`now()` }).where(eq(shipments.orderId, shipment.orderId));
      await tx.insert(orderEvents).values({
        orderId: shipment.orderId, type: 'courier_status', actor: event.courier, dedupeKey: `courier:${event.courier}:${event.eventKey}`,
        data: { status: event.rawStatus, state: event.state, at: event.at, reason: event.reason ?? null, via },
      }).onConflictDoNothing();
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
  await tx.insert(orderEvents).values({
    orderId: shipment.orderId, type: 'courier_partial_delivery', actor: event.courier, dedupeKey: `courier:${event.courier}:${event.eventKey}:partial`,
    data: { code: partial.code ?? null, deliveredValue: partial.deliveredValue ?? null, returnedValue: value ?? null, at: event.at },
  }).onConflictDoNothing();
  if (value === undefined || value <= 0) return;
  await tx.update(orders).set({ returnedAmount: value, updatedAt: sql`now()` }).where(and(eq(orders.id, shipment.orderId), isNull(orders.returnedAmount)));
  await tx.insert(courierEvents).values({
    courier: event.courier, eventKey: `${event.eventKey}|partial-return`, orderId: shipment.orderId, trackingCode: event.trackingCode,
    rawStatus: `${event.rawStatus}:partial-return`, state: 'returned', at: new Date(at.getTime() + 1), applied: true, signalled: true, via: 'partial',
    data: { partial: { ...partial, returnedValue: value }, derivedFrom: event.eventKey },
  }).onConflictDoNothing();
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
    const [shipment] = await tx.select({ courier: shipments.courier, trackingCode: shipments.trackingCode }).from(shipments).where(eq(shipments.orderId, orderId));
    if (!shipment) return false;
    await lockParcel(tx, shipment.courier, shipment.trackingCode);
    const [order] = await tx.select({ returned: orders.returnedAmount }).from(orders).where(eq(orders.id, orderId));
    if (!order?.returned || order.returned <= 0) return false;
    const [taken] = await tx.select({ id: courierEvents.id }).from(courierEvents)
      .where(and(eq(courierEvents.orderId, orderId), eq(courierEvents.state, 'returned'), eq(courierEvents.via, 'partial'))).limit(1);
    if (taken) return false;
    const [delivered] = await tx.select().from(courierEvents)
      .where(and(eq(courierEvents.orderId, orderId), eq(courierEvents.state, 'delivered'), eq(courierEvents.applied, true), sql`(${courierEvents.data}->'partial') is not null`))
      .orderBy(asc(courierEvents.at), asc(courierEvents.id)).limit(1);
    if (!delivered) return false;
    const partial = (delivered.data as { partial?: PartialDelivery } | null)?.partial ?? {};
    const inserted = await tx.insert(courierEvents).values({
      courier: delivered.courier, eventKey: `${delivered.eventKey}|partial-return`, orderId, trackingCode: delivered.trackingCode,
      rawStatus: `${delivered.rawStatus}:partial-return`, state: 'returned', at: new Date(delivered.at.getTime() + 1), applied: true, signalled: true, via: 'partial',
      data: { partial: { ...partial, returnedValue: order.returned }, derivedFrom: delivered.eventKey, countedBy: 'warehouse' },
    }).onConflictDoNothing().returning({ id: courierEvents.id });
    return inserted.length > 0;
  });
}

/** VND coming back from a partial delivery: stated by the courier, else COD at hand-over less COD collected; undefined when unknown. */
export function courierReturnedValue(partial: PartialDelivery, codAtHandOver: number | null): number | undefined {
  if (partial.returnedValue !== undefined) return Math.max(0, Math.round(partial.returnedValue));
  if (partial.deliveredValue === undefined || !codAtHandOver || codAtHandOver <= 0) return undefined;
  return Math.max(0, Math.round(codAtHandOver - partial.deliveredValue));
}

/**
 * Serialises the writes about one parcel: an event recorded while the shipment row is being
 * inserted would otherwise miss the row, and the insert would miss the event (each inside its
 * own uncommitted transaction), leaving the order deaf until the next poll.
 */
async function lockParcel(tx: Pick<Db, 'execute'>, courier: string, trackingCode: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`parcel:${courier}:${trackingCode}`}))`);
}

/** Marks an applied event as delivered to the order's workflow. */
export async function markCourierEventSignalled(db: Db, eventId: number): Promise<void> {
  await db.update(courierEvents).set({ signalled: true }).where(eq(courierEvents.id, eventId));
}

/** Activities of the courier stage: create (idempotent), cancel, and poll when webhooks go quiet. */
export function createShipmentActivities(deps: { db: Db; log: Logger; couriers: CourierDirectory }) {
  const { db, couriers } = deps;

  /** A non-retryable courier answer (4xx, business error) must not be retried by Temporal. */
  const asActivityError = (err: unknown): unknown =>
    err instanceof CourierError && !err.retryable
      ? ApplicationFailure.nonRetryable(err.message, 'CourierRejected', { courier: err.courier, status: err.status })
      : err;

  return {
    /** The warehouse counted a partial delivery's returned part: revenue takes it back (see takeBackCountedPartialReturn). */
    async takeBackPartialReturn(input: { orderId: string }): Promise<boolean> {
      return takeBackCountedPartialReturn(db, input.orderId);
    },

    /**
     * Creates the shipment; a retry (or a second call) returns the first one, never a second
     * parcel. A courier may report on the parcel before its row is written here (its webhooks
     * race our insert, or the answer to our first attempt was lost): those early events are
     * applied now and returned, so the workflow hears them.
     */
    async createShipment(input: { orderId: string; courier: string; request: CreateShipmentRequest }): Promise<{ trackingCode: string; fee: number | null; expectedDeliveryAt: string | null; backlog: CourierNews[] }> {
      const [existing] = await db.select().from(shipments).where(eq(shipments.orderId, input.orderId));
      if (existing) return { trackingCode: existing.trackingCode, fee: existing.fee, expectedDeliveryAt: existing.expectedDeliveryAt?.toISOString() ?? null, backlog: [] };
      const adapter = await couriers.get(input.courier);
      let created;
      try {
        created = await adapter.createShipment(input.request);
      } catch (err) {
        throw asActivityError(err);
      }
      const backlog = await db.transaction(async (tx) => {
        await lockParcel(tx, input.courier, created.trackingCode);
        await tx.insert(shipments).values({
          orderId: input.orderId, courier: input.courier, trackingCode: created.trackingCode, state: 'created',
          fee: created.fee ?? null, codAmount: input.request.codAmount,
          expectedDeliveryAt: created.expectedDeliveryAt ? new Date(created.expectedDeliveryAt) : null,
        }).onConflictDoNothing();
        await tx.update(orders).set({ courier: input.courier, trackingCode: created.trackingCode, updatedAt: sql`now()` }).where(eq(orders.id, input.orderId));
        await tx.insert(orderEvents).values({
          orderId: input.orderId, type: 'shipment_created', actor: input.courier, dedupeKey: `${input.orderId}:shipment_created`,
          data: { courier: input.courier, trackingCode: created.trackingCode, fee: created.fee ?? null, alreadyExisted: created.alreadyExisted },
        }).onConflictDoNothing();
        const early = await tx.select().from(courierEvents)
          .where(and(eq(courierEvents.courier, input.courier), eq(courierEvents.trackingCode, created.trackingCode), eq(courierEvents.applied, false), sql`${courierEvents.state} <> 'unknown'`))
          .orderBy(asc(courierEvents.at), asc(courierEvents.id));
        const news: CourierNews[] = [];
        for (const e of early) {
          await tx.update(courierEvents).set({ applied: true, signalled: true, orderId: input.orderId }).where(eq(courierEvents.id, e.id));
          await tx.insert(orderEvents).values({
            orderId: input.orderId, type: 'courier_status', actor: input.courier, dedupeKey: `courier:${input.courier}:${e.eventKey}`,
            data: { status: e.rawStatus, state: e.state, at: e.at.toISOString(), reason: (e.data?.reason as string | null) ?? null, via: e.via },
          }).onConflictDoNothing();
          news.push({ outcome: outcomeOf(e.state as ShipmentState), state: e.state, status: e.rawStatus, at: e.at.toISOString(), ...(e.data?.reason ? { reason: String(e.data.reason) } : {}) });
        }
        const last = early[early.length - 1];
        if (last) await tx.update(shipments).set({ state: last.state, rawStatus: last.rawStatus, lastEventAt: last.at }).where(eq(shipments.orderId, input.orderId));
        return news;
      });
      return { trackingCode: created.trackingCode, fee: created.fee ?? null, expectedDeliveryAt: created.expectedDeliveryAt ?? null, backlog };
    },

    /** Asks the courier to cancel; `cancelled: false` with the courier's reason when it refuses. */
    async cancelShipment(input: { orderId: string; courier: string; trackingCode: string }): Promise<{ cancelled: boolean; reason?: string }> {
      const adapter = await couriers.get(input.courier);
      try {
        const result = await adapter.cancel(input.trackingCode, input.orderId);
        if (result.cancelled) {
          await db.update(shipments).set({ state: 'cancelled', updatedAt: sql`now()` }).where(eq(shipments.orderId, input.orderId));
        }
        return result;
      } catch (err) {
        throw asActivityError(err);
      }
    },

    /** The polling fallback: asks the courier, records the answer like a webhook, returns it if new. */
    async pollShipment(input: { orderId: string; courier: string; trackingCode: string }): Promise<CourierNews | null> {
      const adapter = await couriers.get(input.courier);
      let event: CourierStatusEvent;
      try {
        event = await adapter.getStatus(input.trackingCode, input.orderId);
      } catch (err) {
        throw asActivityError(err);
      }
      const recorded = await recordCourierEvent(db, event, 'poll');
      if (!recorded.applied || recorded.signalled) return null;
      // The workflow receives it as this activity's result rather than as a signal.
      await markCourierEventSignalled(db, recorded.eventId);
      return toCourierNews(event);
    },
  };
}
