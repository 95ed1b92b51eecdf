/** Reading what the inbound lead connectors stored and did, for their integration tests. */
import { and, asc, eq, like } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { channelLeads, inboundEvents, orders, tasks } from '../../db/schema';
import { eventually } from './stack';

let phoneSeq = 0;
/** A fresh Vietnamese mobile number per test lead, so leads never join each other's orders by phone. */
export const newPhone = () => `09${String(Date.now() % 1_000_000).padStart(6, '0')}${String(++phoneSeq % 100).padStart(2, '0')}`;

export const eventsOf = (db: Db, dedupePrefix: string) =>
  db
    .select()
    .from(inboundEvents)
    .where(like(inboundEvents.dedupeKey, `${dedupePrefix}%`))
    .orderBy(asc(inboundEvents.id));

export const leadsOf = (db: Db, contact: string) =>
  db.select().from(channelLeads).where(eq(channelLeads.contact, contact)).orderBy(asc(channelLeads.createdAt));

/** Waits until the delivery with this dedupe key was handled by its workflow; answers its row. */
export const handled = (db: Db, dedupeKey: string, timeoutMs = 30_000) =>
  eventually(
    async () => {
      const [row] = await db.select().from(inboundEvents).where(eq(inboundEvents.dedupeKey, dedupeKey));
      return row?.result ? row : undefined;
    },
    timeoutMs,
    `delivery ${dedupeKey} handled`,
  );

/** Waits for a lead of this contact to have an order; answers the lead and the order row. */
export const orderedLead = (db: Db, contact: string, timeoutMs = 30_000) =>
  eventually(
    async () => {
      const [lead] = (await leadsOf(db, contact)).filter((l) => l.status === 'ordered' && l.orderId);
      if (!lead) return undefined;
      const [order] = await db.select().from(orders).where(eq(orders.id, lead.orderId!));
      return order ? { lead, order } : undefined;
    },
    timeoutMs,
    `an order for ${contact}`,
  );

/** The open ask-for-the-phone task of a lead. */
export const askPhoneTask = (db: Db, leadId: string, timeoutMs = 30_000) =>
  eventually(
    async () => {
      const [task] = await db
        .select()
        .from(tasks)
        .where(and(eq(tasks.subjectId, leadId), eq(tasks.stage, 'lead-ask-phone'), eq(tasks.status, 'open')));
      return task;
    },
    timeoutMs,
    `the ask-phone task of ${leadId}`,
  );
