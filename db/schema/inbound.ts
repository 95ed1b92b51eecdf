import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Leads from the shop's channels (Facebook Messenger and lead ads, Zalo OA, the website form):
 * every delivery is stored before it is answered, then handled by a workflow.
 */

/** What a channel delivered, as parsed at the edge (the platform's own ids kept for the timeline). */
export interface InboundPayload {
  /** What the customer wrote (a message, the form's note). */
  text?: string;
  /** The customer's name when the channel says it (a form), else absent. */
  name?: string;
  /** A phone the channel gave as a field (a form), raw; a phone written in `text` is found later. */
  phone?: string;
  /** Facebook: the Page, the form and the lead-ads lead; their fields once read from the Graph API. */
  pageId?: string;
  formId?: string;
  leadgenId?: string;
  adId?: string;
  fields?: Record<string, string>;
  /** Website: the page the form was on, campaign tags. */
  pageUrl?: string;
  campaign?: string;
  source?: string;
}

/**
 * One delivery from a channel, stored once (`dedupe_key`: the platform and its message id — a
 * Messenger `mid`, a lead-ads `leadgen_id`, a Zalo `msg_id`, a website form's submission id) before
 * the sender is answered. `started_at` is set when Temporal accepted its workflow; until then the
 * relay keeps trying (`next_start_at`), so a delivery that arrives while Temporal is away is kept.
 */
export const inboundEvents = pgTable(
  'inbound_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    channel: text('channel').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    /** `message` (a customer wrote), `echo` (the page answered), `lead-form` (lead ads), `web-form`. */
    kind: text('kind').notNull(),
    /** Who wrote: `facebook:<page>:<psid>`, `zalo:<user>`, `phone:<0xxxxxxxxx>`; null until a lead form's fields are read. */
    contact: text('contact'),
    payload: jsonb('payload').$type<InboundPayload>().notNull(),
    workflowId: text('workflow_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    startAttempts: integer('start_attempts').notNull().default(0),
    nextStartAt: timestamp('next_start_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    /** What it did: `new-lead`, `lead-timeline`, `order-timeline`, `ignored`. */
    result: text('result'),
    leadId: text('lead_id'),
    orderId: text('order_id'),
    handledAt: timestamp('handled_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('inbound_events_dedupe_uq').on(t.dedupeKey),
    index('inbound_events_unstarted_idx')
      .on(t.nextStartAt)
      .where(sql`${t.startedAt} is null`),
    index('inbound_events_lead_idx').on(t.leadId, t.id),
  ],
);

/**
 * A lead from a channel before (and after) it is an order: one open lead per contact (the partial
 * unique index), its messages are the inbound events naming it. `open` waits for a phone (a sales
 * task asks for it) or for its order to start; `ordered` names the order; `lost` was dropped by sales.
 */
export const channelLeads = pgTable(
  'channel_leads',
  {
    id: text('id').primaryKey(),
    channel: text('channel').notNull(),
    contact: text('contact').notNull(),
    status: text('status').notNull().default('open'),
    customerName: text('customer_name'),
    phone: text('phone'),
    orderId: text('order_id'),
    /** The workflow that handles the lead (its first delivery's). */
    workflowId: text('workflow_id').notNull(),
    campaign: text('campaign'),
    source: text('source'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('channel_leads_open_contact_uq')
      .on(t.contact)
      .where(sql`${t.status} = 'open'`),
    index('channel_leads_contact_idx').on(t.contact, t.createdAt),
    index('channel_leads_phone_idx').on(t.phone),
  ],
);
