import { ApplicationFailure } from '@temporalio/activity';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import { courierEvents, orderEvents, orders, shipments } from '../../db/schema';
import { lockParcel, markCourierEventSignalled, recordCourierEvent, takeBackCountedPartialReturn } from '../../db/shipping/courier-events';
import { outcomeOf, toCourierNews, type CourierNews } from '../../definitions/rules/courier-status';
import { createCustomerMessages } from '../orders/customer-messages';
import type { CourierDirectory } from './couriers/directory';
import { CourierError, type CourierStatusEvent, type CreateShipmentRequest, type ShipmentState } from './couriers/types';

// The courier's news (the `courierEvent` signal's payload) is pure and lives with the status rules; the order workflow imports its type from here.
export type { CourierNews } from '../../definitions/rules/courier-status';

/** Activities of the courier stage: create (idempotent), cancel, and poll when webhooks go quiet. */
export function createShipmentActivities(deps: { db: Db; log: Logger; couriers: CourierDirectory }) {
  const { db, couriers } = deps;
  // The parcel handed over (a tracking code) sends the hand-over messages the order's process declares.
  const customerMessages = createCustomerMessages(deps);

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
    async createShipment(input: {
      orderId: string;
      courier: string;
      request: CreateShipmentRequest;
    }): Promise<{ trackingCode: string; fee: number | null; expectedDeliveryAt: string | null; backlog: CourierNews[] }> {
      const [existing] = await db.select().from(shipments).where(eq(shipments.orderId, input.orderId));
      if (existing) {
        // A retry after the shipment was written (or a redelivery): queued once per order, by its dedupe keys.
        await customerMessages.handedOver(input.orderId);
        return {
          trackingCode: existing.trackingCode,
          fee: existing.fee,
          expectedDeliveryAt: existing.expectedDeliveryAt?.toISOString() ?? null,
          backlog: [],
        };
      }
      const adapter = await couriers.get(input.courier);
      let created;
      try {
        created = await adapter.createShipment(input.request);
      } catch (err) {
        throw asActivityError(err);
      }
      const backlog = await db.transaction(async (tx) => {
        await lockParcel(tx, input.courier, created.trackingCode);
        await tx
          .insert(shipments)
          .values({
            orderId: input.orderId,
            courier: input.courier,
            trackingCode: created.trackingCode,
            state: 'created',
            fee: created.fee ?? null,
            codAmount: input.request.codAmount,
            expectedDeliveryAt: created.expectedDeliveryAt ? new Date(created.expectedDeliveryAt) : null,
          })
          .onConflictDoNothing();
        await tx
          .update(orders)
          .set({ courier: input.courier, trackingCode: created.trackingCode, updatedAt: sql`now()` })
          .where(eq(orders.id, input.orderId));
        await tx
          .insert(orderEvents)
          .values({
            orderId: input.orderId,
            type: 'shipment_created',
            actor: input.courier,
            dedupeKey: `${input.orderId}:shipment_created`,
            data: {
              courier: input.courier,
              trackingCode: created.trackingCode,
              fee: created.fee ?? null,
              alreadyExisted: created.alreadyExisted,
            },
          })
          .onConflictDoNothing();
        const early = await tx
          .select()
          .from(courierEvents)
          .where(
            and(
              eq(courierEvents.courier, input.courier),
              eq(courierEvents.trackingCode, created.trackingCode),
              eq(courierEvents.applied, false),
              sql`${courierEvents.state} <> 'unknown'`,
            ),
          )
          .orderBy(asc(courierEvents.at), asc(courierEvents.id));
        const news: CourierNews[] = [];
        for (const e of early) {
          await tx.update(courierEvents).set({ applied: true, signalled: true, orderId: input.orderId }).where(eq(courierEvents.id, e.id));
          await tx
            .insert(orderEvents)
            .values({
              orderId: input.orderId,
              type: 'courier_status',
              actor: input.courier,
              dedupeKey: `courier:${input.courier}:${e.eventKey}`,
              data: {
                status: e.rawStatus,
                state: e.state,
                at: e.at.toISOString(),
                reason: (e.data?.reason as string | null) ?? null,
                via: e.via,
              },
            })
            .onConflictDoNothing();
          news.push({
            outcome: outcomeOf(e.state as ShipmentState),
            state: e.state,
            status: e.rawStatus,
            at: e.at.toISOString(),
            ...(e.data?.reason ? { reason: String(e.data.reason) } : {}),
          });
        }
        const last = early[early.length - 1];
        if (last)
          await tx
            .update(shipments)
            .set({ state: last.state, rawStatus: last.rawStatus, lastEventAt: last.at })
            .where(eq(shipments.orderId, input.orderId));
        return news;
      });
      await customerMessages.handedOver(input.orderId);
      return {
        trackingCode: created.trackingCode,
        fee: created.fee ?? null,
        expectedDeliveryAt: created.expectedDeliveryAt ?? null,
        backlog,
      };
    },

    /** Asks the courier to cancel; `cancelled: false` with the courier's reason when it refuses. */
    async cancelShipment(input: {
      orderId: string;
      courier: string;
      trackingCode: string;
    }): Promise<{ cancelled: boolean; reason?: string }> {
      const adapter = await couriers.get(input.courier);
      try {
        const result = await adapter.cancel(input.trackingCode, input.orderId);
        if (result.cancelled) {
          await db
            .update(shipments)
            .set({ state: 'cancelled', updatedAt: sql`now()` })
            .where(eq(shipments.orderId, input.orderId));
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
