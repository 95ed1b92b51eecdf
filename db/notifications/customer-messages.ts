/**
 * Customer messages in the outbox (`message_deliveries`, audience `customer`): the rows an order's
 * declared messages become, the fallback channel's row waiting `standby` until the channel before
 * it failed for good, and the look-ups replies need (which confirmation a phone or a Zalo user
 * answers, recorded once per provider event in `customer_replies`).
 *
 * Dedupe keys are `customer:<order>:<template>:<channel>`: a producer retried (or an order visiting
 * its courier stage again) never sends a template twice on a channel.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { customerReplies, definitionVersions, messageDeliveries, orderEvents, orders, shipments, tasks } from '../schema';
import type { CompiledOrderProcess, CustomerChannel } from '../../definitions/types';
import { DELIVERIES_WAKE_CHANNEL } from './deliveries';

/** Waiting for the channel before it to fail for good; never claimed by the relay until released. */
export const STANDBY = 'standby';

export const customerDedupeKey = (orderId: string, template: string, channel: string) => `customer:${orderId}:${template}:${channel}`;

/** What a customer message carries: its ZNS template and parameters and/or its SMS text, and what a reply may do. */
export interface CustomerMessagePayload extends Record<string, unknown> {
  title: string;
  orderId: string;
  template: string;
  /** The declared channels, in order (the relay's row is one of them; the next is its fallback). */
  channels: CustomerChannel[];
  zns?: { templateId: string; params: Record<string, string> };
  sms?: string;
  /** The task a reply finishes, and the declared replies (normalised text → outcome and data). */
  taskId?: string;
  replies?: Record<string, { outcome: string; data: Record<string, unknown> }>;
}

/**
 * Writes a message's rows: the first channel `pending`, the others `standby`. Nothing when they
 * exist already. Returns the ids of the rows written.
 */
export async function writeCustomerMessage(
  db: Db,
  input: { orderId: string; customerId: string | null; phone: string; payload: CustomerMessagePayload },
): Promise<number[]> {
  const { orderId, payload } = input;
  const rows = payload.channels.map((channel, i) => ({
    dedupeKey: customerDedupeKey(orderId, payload.template, channel),
    audience: 'customer',
    orderId,
    customerId: input.customerId,
    channel,
    address: input.phone,
    template: payload.template,
    payload,
    status: i === 0 ? 'pending' : STANDBY,
  }));
  const written = await db.insert(messageDeliveries).values(rows).onConflictDoNothing().returning({ id: messageDeliveries.id });
  if (written.length) await wakeRelays(db);
  return written.map((r) => r.id);
}

/**
 * The channel after this row's failed for good: its standby row becomes due now. False when
 * there is none (the last channel, or already released).
 */
export async function releaseFallback(db: Db, deliveryId: number): Promise<boolean> {
  const [row] = await db.select().from(messageDeliveries).where(eq(messageDeliveries.id, deliveryId));
  if (!row || row.audience !== 'customer' || !row.orderId || !row.template) return false;
  const channels = ((row.payload as CustomerMessagePayload).channels ?? []) as string[];
  const next = channels[channels.indexOf(row.channel) + 1];
  if (!next) return false;
  const released = await db
    .update(messageDeliveries)
    .set({ status: 'pending', nextAttemptAt: sql`now()` })
    .where(and(eq(messageDeliveries.dedupeKey, customerDedupeKey(row.orderId, row.template, next)), eq(messageDeliveries.status, STANDBY)))
    .returning({ id: messageDeliveries.id });
  if (released.length) await wakeRelays(db);
  return released.length > 0;
}

/** The relays in the workers look now (they LISTEN on it; on PGlite they poll). */
async function wakeRelays(db: Db): Promise<void> {
  await db.execute(sql`select pg_notify(${DELIVERIES_WAKE_CHANNEL}, '')`);
}

/** What a customer message is made of for one order: its row, the process it runs, its shipment. */
export async function orderForMessages(db: Db, orderId: string) {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) return undefined;
  const [shipment] = await db
    .select({ courier: shipments.courier, trackingCode: shipments.trackingCode })
    .from(shipments)
    .where(eq(shipments.orderId, orderId));
  return { order, shipment };
}

/** The compiled process of a name and version (immutable: callers may cache it). */
export async function processVersion(db: Db, name: string, version: number): Promise<CompiledOrderProcess | undefined> {
  const [row] = await db
    .select({ compiled: definitionVersions.compiled })
    .from(definitionVersions)
    .where(and(eq(definitionVersions.name, name), eq(definitionVersions.version, version)));
  return row?.compiled as CompiledOrderProcess | undefined;
}

/** The data of an order's finished steps (escalation follow-ups left out), oldest first, with stage and outcome. */
export async function finishedSteps(db: Db, orderId: string) {
  return db
    .select({ stage: tasks.stage, outcome: tasks.outcome, data: tasks.data })
    .from(tasks)
    .where(and(eq(tasks.subjectId, orderId), eq(tasks.subjectType, 'order'), eq(tasks.status, 'done'), isNull(tasks.parentTaskId)))
    .orderBy(asc(tasks.completedAt), asc(tasks.id));
}

/** A customer message that asked for a reply, with its task's state. */
export interface AwaitedReply {
  deliveryId: number;
  orderId: string;
  customerId: string | null;
  channel: string;
  payload: CustomerMessagePayload;
  taskId: string;
  taskStatus: string;
  workflowId: string;
}

async function awaitedBy(db: Db, where: ReturnType<typeof and>): Promise<AwaitedReply[]> {
  const rows = await db
    .select({
      deliveryId: messageDeliveries.id,
      orderId: messageDeliveries.orderId,
      customerId: messageDeliveries.customerId,
      channel: messageDeliveries.channel,
      payload: messageDeliveries.payload,
      taskStatus: tasks.status,
      taskId: tasks.id,
      workflowId: tasks.workflowId,
    })
    .from(messageDeliveries)
    .innerJoin(tasks, eq(tasks.id, sql`${messageDeliveries.payload} ->> 'taskId'`))
    .where(and(eq(messageDeliveries.audience, 'customer'), eq(messageDeliveries.status, 'sent'), where))
    .orderBy(desc(messageDeliveries.id))
    .limit(20);
  return rows.map((r) => ({ ...r, orderId: r.orderId!, payload: r.payload as CustomerMessagePayload }));
}

/** The confirmations sent to a phone (newest first), on any channel. */
export function awaitedByPhone(db: Db, phone: string): Promise<AwaitedReply[]> {
  return awaitedBy(db, eq(messageDeliveries.address, phone));
}

/** The confirmations a Zalo user received (newest first): Zalo's receipts say which user a ZNS reached. */
export async function awaitedByZaloUser(db: Db, zaloUserId: string): Promise<AwaitedReply[]> {
  const received = await db
    .select({ deliveryId: customerReplies.deliveryId })
    .from(customerReplies)
    .where(and(eq(customerReplies.zaloUserId, zaloUserId), eq(customerReplies.kind, 'received')))
    .orderBy(desc(customerReplies.id))
    .limit(20);
  const ids = received.map((r) => r.deliveryId).filter((id): id is number => id !== null);
  return ids.length ? awaitedBy(db, inArray(messageDeliveries.id, ids)) : [];
}

export type CustomerReplyRow = typeof customerReplies.$inferInsert;

/** Records a provider event once; false when it was recorded before (a webhook delivered again). */
export async function recordCustomerEvent(db: Db, row: CustomerReplyRow): Promise<{ id: number } | undefined> {
  const [inserted] = await db.insert(customerReplies).values(row).onConflictDoNothing().returning({ id: customerReplies.id });
  return inserted;
}

/** What a provider event recorded before did (`unknown-sender`…, null while not settled yet) and about which order; undefined if never recorded. */
export async function customerEventResult(
  db: Db,
  provider: string,
  eventId: string,
): Promise<{ result: string | null; orderId: string | null } | undefined> {
  const [row] = await db
    .select({ result: customerReplies.result, orderId: customerReplies.orderId })
    .from(customerReplies)
    .where(and(eq(customerReplies.provider, provider), eq(customerReplies.eventId, eventId)));
  return row;
}

/** Writes what a recorded reply did. */
export async function settleCustomerEvent(
  db: Db,
  id: number,
  result: { result: string; orderId?: string | null; outcome?: string | null },
) {
  await db
    .update(customerReplies)
    .set({ result: result.result, orderId: result.orderId ?? null, outcome: result.outcome ?? null })
    .where(eq(customerReplies.id, id));
}

/** A delivery by id, if it is a customer message (a Zalo receipt's tracking id names it). */
export async function customerDelivery(db: Db, id: number) {
  const [row] = await db
    .select()
    .from(messageDeliveries)
    .where(and(eq(messageDeliveries.id, id), eq(messageDeliveries.audience, 'customer')));
  return row;
}

/** A customer's reply on the order's timeline (`customer_reply`: what they wrote, on which channel, what it did); once per provider event. */
export async function recordReplyOnTimeline(
  db: Db,
  input: { orderId: string; dedupeKey: string; actor: string; stage?: string | null; data: Record<string, unknown> },
): Promise<void> {
  await db
    .insert(orderEvents)
    .values({
      orderId: input.orderId,
      dedupeKey: input.dedupeKey,
      type: 'customer_reply',
      fromStage: input.stage ?? null,
      actor: input.actor,
      data: input.data,
    })
    .onConflictDoNothing();
}
