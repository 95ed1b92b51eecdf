/**
 * Where a channel's delivery goes: one open lead per contact (a Messenger user of the Page, a
 * Zalo user, a phone), so a second message while the lead — or the order it became — is open
 * lands on that timeline instead of opening another lead. Each decision is taken under
 * transaction-scoped advisory locks on the contact and the phone, so two deliveries of one
 * customer handled at the same moment (a burst after an outage) still make one lead.
 */
import crypto from 'node:crypto';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { channelLeads, inboundEvents, orderEvents, orders, type InboundPayload } from '../schema';
import { findPhoneInText, normalizePhone } from '../../definitions/rules/phone';

/** What the routing decided for one delivery (stored on it, so a retry answers the same). */
export type InboundRoute =
  | { action: 'new-lead'; leadId: string; channel: string; phone: string | null; name: string | null; said?: string }
  | { action: 'lead-timeline'; leadId: string; leadWorkflowId: string; phoneAdded: string | null }
  | { action: 'order-timeline'; orderId: string }
  | { action: 'ignored'; why: string };

/** A lead's id, from its first delivery: the same delivery handled again names the same lead. */
export const leadIdFor = (dedupeKey: string, at: Date) =>
  `LD${at.toISOString().slice(2, 10).replace(/-/g, '')}-${crypto.createHash('sha256').update(dedupeKey).digest('hex').slice(0, 8).toUpperCase()}`;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The inbound event by id, or undefined. */
export async function inboundEvent(db: Db, id: number) {
  const [row] = await db.select().from(inboundEvents).where(eq(inboundEvents.id, id));
  return row;
}

/** A lead form's fields, read from the platform, and who it is from (its phone, else the form's lead). */
export async function setLeadFormFields(
  db: Db,
  id: number,
  input: { fields: Record<string, string>; name?: string; phone?: string; contact: string },
) {
  await db
    .update(inboundEvents)
    .set({
      contact: input.contact,
      payload: sql`${inboundEvents.payload} || ${JSON.stringify({ fields: input.fields, ...(input.name ? { name: input.name } : {}), ...(input.phone ? { phone: input.phone } : {}) })}::jsonb`,
    })
    .where(eq(inboundEvents.id, id));
}

/** The phone a delivery carries: a form's field, else the first number written in its text (never a page's own reply). */
export function phoneOf(kind: string, payload: InboundPayload): string | null {
  if (kind === 'echo') return null;
  return (payload.phone ? normalizePhone(payload.phone) : undefined) ?? findPhoneInText(payload.text ?? '') ?? null;
}

/** Decides (once) where the delivery goes and writes it there. */
export async function routeInboundEvent(db: Db, id: number): Promise<InboundRoute> {
  return db.transaction(async (tx) => {
    const [event] = await tx.select().from(inboundEvents).where(eq(inboundEvents.id, id)).for('update');
    if (!event) return { action: 'ignored', why: 'no such delivery' };
    if (event.result) return storedRoute(tx, event);
    if (!event.contact) return settle(tx, event.id, { action: 'ignored', why: 'the delivery names no customer' });
    const phone = phoneOf(event.kind, event.payload);
    const keys = [`lead:${event.contact}`, ...(phone ? [`lead-phone:${phone}`] : [])].sort();
    for (const key of keys) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);

    const open = await openLeadBy(tx, eq(channelLeads.contact, event.contact));
    if (open) return appendToLead(tx, event, open, phone);
    const ordered = await openOrderOfContact(tx, event.contact);
    if (ordered) return appendToOrder(tx, event, ordered);
    if (event.kind === 'echo') return settle(tx, event.id, { action: 'ignored', why: 'a page message to someone with no open lead' });
    if (phone) {
      const sameCustomer = await openOrderOfPhone(tx, phone);
      if (sameCustomer) return appendToOrder(tx, event, sameCustomer);
      const samePhone = await openLeadBy(tx, eq(channelLeads.phone, phone));
      if (samePhone) return appendToLead(tx, event, samePhone, phone);
    }
    const leadId = leadIdFor(event.dedupeKey, event.receivedAt);
    const name = event.payload.name?.trim() || null;
    await tx
      .insert(channelLeads)
      .values({
        id: leadId,
        channel: event.channel,
        contact: event.contact,
        phone,
        customerName: name,
        workflowId: event.workflowId,
        campaign: event.payload.campaign ?? null,
        source: event.payload.source ?? null,
      })
      .onConflictDoNothing();
    const said = event.payload.text?.slice(0, 200);
    return settle(tx, event.id, { action: 'new-lead', leadId, channel: event.channel, phone, name, ...(said ? { said } : {}) }, { leadId });
  });
}

async function openLeadBy(tx: Tx, where: ReturnType<typeof eq>) {
  const [lead] = await tx
    .select()
    .from(channelLeads)
    .where(and(eq(channelLeads.status, 'open'), where))
    .limit(1);
  return lead;
}

/** The open order a contact's lead became, if any. */
async function openOrderOfContact(tx: Tx, contact: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ orderId: orders.id })
    .from(channelLeads)
    .innerJoin(orders, eq(orders.id, channelLeads.orderId))
    .where(and(eq(channelLeads.contact, contact), eq(channelLeads.status, 'ordered'), eq(orders.status, 'open')))
    .orderBy(desc(channelLeads.createdAt))
    .limit(1);
  return row?.orderId;
}

/** The customer's open order, whichever channel it came from. */
async function openOrderOfPhone(tx: Tx, phone: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.customerPhone, phone), eq(orders.status, 'open')))
    .orderBy(desc(orders.createdAt))
    .limit(1);
  return row?.id;
}

type EventRow = typeof inboundEvents.$inferSelect;
type LeadRow = typeof channelLeads.$inferSelect;

async function appendToLead(tx: Tx, event: EventRow, lead: LeadRow, phone: string | null): Promise<InboundRoute> {
  const phoneAdded = phone && !lead.phone ? phone : null;
  const name = event.payload.name?.trim();
  if (phoneAdded || (name && !lead.customerName)) {
    await tx
      .update(channelLeads)
      .set({
        ...(phoneAdded ? { phone: phoneAdded } : {}),
        ...(name && !lead.customerName ? { customerName: name } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(channelLeads.id, lead.id));
  }
  return settle(
    tx,
    event.id,
    { action: 'lead-timeline', leadId: lead.id, leadWorkflowId: lead.workflowId, phoneAdded },
    { leadId: lead.id },
  );
}

async function appendToOrder(tx: Tx, event: EventRow, orderId: string): Promise<InboundRoute> {
  await tx.insert(orderEvents).values(timelineEvent(event, orderId)).onConflictDoNothing();
  return settle(tx, event.id, { action: 'order-timeline', orderId }, { orderId });
}

/** A delivery as an order event: what the customer (or the page) wrote, on which channel. */
function timelineEvent(event: EventRow, orderId: string) {
  return {
    orderId,
    dedupeKey: `inbound:${event.dedupeKey}`,
    type: 'customer_message',
    actor: event.kind === 'echo' ? `channel:${event.channel}` : 'customer',
    data: {
      channel: event.channel,
      direction: event.kind === 'echo' ? 'out' : 'in',
      kind: event.kind,
      text: event.payload.text ?? null,
      ...(event.payload.fields ? { fields: event.payload.fields } : {}),
    },
    at: event.receivedAt,
  };
}

async function settle(tx: Tx, id: number, route: InboundRoute, refs: { leadId?: string; orderId?: string } = {}): Promise<InboundRoute> {
  await tx
    .update(inboundEvents)
    .set({ result: route.action, leadId: refs.leadId ?? null, orderId: refs.orderId ?? null, handledAt: sql`now()` })
    .where(eq(inboundEvents.id, id));
  return route;
}

/** The decision a handled delivery took, read back (an activity retried after it committed). */
async function storedRoute(tx: Tx, event: EventRow): Promise<InboundRoute> {
  if (event.result === 'order-timeline' && event.orderId) return { action: 'order-timeline', orderId: event.orderId };
  const [lead] = event.leadId ? await tx.select().from(channelLeads).where(eq(channelLeads.id, event.leadId)) : [];
  if (event.result === 'new-lead' && lead)
    return {
      action: 'new-lead',
      leadId: lead.id,
      channel: lead.channel,
      phone: lead.phone,
      name: lead.customerName,
      ...(event.payload.text ? { said: event.payload.text.slice(0, 200) } : {}),
    };
  if (event.result === 'lead-timeline' && lead)
    return { action: 'lead-timeline', leadId: lead.id, leadWorkflowId: lead.workflowId, phoneAdded: null };
  return { action: 'ignored', why: 'handled before' };
}

/** A lead and its messages, oldest first. */
export async function leadWithMessages(db: Db, leadId: string) {
  const [lead] = await db.select().from(channelLeads).where(eq(channelLeads.id, leadId));
  if (!lead) return undefined;
  const messages = await db.select().from(inboundEvents).where(eq(inboundEvents.leadId, leadId)).orderBy(asc(inboundEvents.id));
  return { lead, messages };
}

/** Sales gave the lead's phone (and name) on its task. */
export async function setLeadContact(db: Db, leadId: string, input: { phone: string; name?: string }) {
  await db
    .update(channelLeads)
    .set({ phone: input.phone, ...(input.name ? { customerName: input.name } : {}), updatedAt: sql`now()` })
    .where(eq(channelLeads.id, leadId));
}

/** The lead's open order now; when it started one, the lead's messages move onto the order's timeline. */
export async function markLeadOrdered(db: Db, leadId: string, orderId: string): Promise<void> {
  await db.transaction(async (tx) => {
    // The routing's lock on the contact: a message routed onto the open lead meanwhile is either
    // committed before (and copied below) or routed after (and sees the order).
    const [lead] = await tx.select({ contact: channelLeads.contact }).from(channelLeads).where(eq(channelLeads.id, leadId));
    if (lead) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`lead:${lead.contact}`}))`);
    await tx
      .update(channelLeads)
      .set({ status: 'ordered', orderId, updatedAt: sql`now()` })
      .where(eq(channelLeads.id, leadId));
    const messages = await tx.select().from(inboundEvents).where(eq(inboundEvents.leadId, leadId)).orderBy(asc(inboundEvents.id));
    if (messages.length)
      await tx
        .insert(orderEvents)
        .values(messages.map((m) => timelineEvent(m, orderId)))
        .onConflictDoNothing();
    await tx.update(inboundEvents).set({ orderId }).where(eq(inboundEvents.leadId, leadId));
  });
}

/** Sales dropped the lead (spam, not buying); the contact's next message opens a new one. */
export async function markLeadLost(db: Db, leadId: string): Promise<void> {
  await db
    .update(channelLeads)
    .set({ status: 'lost', updatedAt: sql`now()` })
    .where(eq(channelLeads.id, leadId));
}

/** The customer's open order by phone (a lead that got a phone joins it instead of starting another). */
export async function openOrderForPhone(db: Db, phone: string): Promise<string | undefined> {
  return db.transaction((tx) => openOrderOfPhone(tx, phone));
}

/** Whether the order is still open (a Zalo user's message about a finished order is a new lead). */
export async function isOrderOpen(db: Db, orderId: string): Promise<boolean> {
  const [row] = await db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
  return row?.status === 'open';
}
