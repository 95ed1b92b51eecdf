/**
 * Leads from the shop's channels, for `inbound:<delivery>` workflows: where a delivery goes (a new
 * lead, an open lead's or order's timeline), a lead-ads lead's fields from the Graph API, and the
 * order a lead becomes. Every write is idempotent (Temporal retries activities).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../../db/client';
import { activeShop } from '../../db/active-shop';
import {
  inboundEvent,
  leadWithMessages,
  markLeadLost,
  markLeadOrdered,
  openOrderForPhone,
  routeInboundEvent,
  setLeadContact,
  setLeadFormFields,
  type InboundRoute,
} from '../../db/inbound/leads';
import { normalizePhone } from '../../definitions/rules/phone';
import type { CompiledWorkingHours } from '../../definitions/rules/business-time';
import { LEAD_TEXTS } from '../../definitions/leads/texts';
import { readLeadAdsLead } from './facebook-graph';

/** A lead as the order it starts needs it (the same shape `POST /leads` takes). */
export interface LeadOrderInput {
  channel: string;
  campaign?: string;
  source?: string;
  note?: string;
  customer: { name: string; phone: string };
}

/** What the worker wires in: the server's own way to start an order, and the Facebook Graph API for lead ads. */
export interface InboundServices {
  /** Starts the lead's order (idempotent by `idempotencyKey`); answers its id. Throws ApplicationFailure for a lead it refuses. */
  startOrder(lead: LeadOrderInput, idempotencyKey: string): Promise<{ orderId: string }>;
  facebookGraphUrl: string;
  facebookPageAccessToken?: string;
}

/** The words of a lead's ask-for-the-phone task and the role it goes to. */
export interface LeadTaskContext {
  role: string;
  channelTitle: string;
  /** Who hears when the task is still open after its SLA (the role's lead, e.g. `sales-lead`, when the shop has one). */
  lateNotify: string[];
  workingHours?: CompiledWorkingHours;
}

export function createLeadActivities(deps: { db: Db; inbound?: InboundServices }) {
  const { db } = deps;
  const services = (): InboundServices => {
    if (!deps.inbound) throw ApplicationFailure.nonRetryable(LEAD_TEXTS.notWired, 'LeadsNotWired');
    return deps.inbound;
  };

  return {
    /** Routes one stored delivery (reading a lead-ads lead's fields first); the same answer when run again. */
    async routeInboundDelivery(input: { eventId: number }): Promise<InboundRoute> {
      const event = await inboundEvent(db, input.eventId);
      if (event && event.kind === 'lead-form' && !event.contact && !event.result) {
        const { facebookGraphUrl, facebookPageAccessToken } = services();
        if (!facebookPageAccessToken) throw ApplicationFailure.nonRetryable(LEAD_TEXTS.noPageToken, 'FacebookNotConfigured');
        const lead = await readLeadAdsLead(facebookGraphUrl, facebookPageAccessToken, event.payload.leadgenId ?? '');
        const phone = lead.phone ? normalizePhone(lead.phone) : undefined;
        await setLeadFormFields(db, event.id, {
          fields: lead.fields,
          name: lead.name,
          phone: lead.phone,
          contact: phone ? `phone:${phone}` : `facebook-lead:${event.payload.leadgenId}`,
        });
      }
      return routeInboundEvent(db, input.eventId);
    },

    /** Who asks a lead without a phone for it (sales, or the role that creates leads), and the channel's title. */
    async leadTaskContext(input: { channel: string }): Promise<LeadTaskContext> {
      const shop = await activeShop(db);
      const roles = shop?.roles ?? {};
      const role = Object.hasOwn(roles, 'sales')
        ? 'sales'
        : (Object.entries(roles).find(([, r]) => r.permissions.includes('leads.create'))?.[0] ?? 'manager');
      const channelTitle = shop && Object.hasOwn(shop.channels, input.channel) ? shop.channels[input.channel]!.title : input.channel;
      const lateNotify = Object.hasOwn(roles, `${role}-lead`) ? [`${role}-lead`] : [];
      return { role, channelTitle, lateNotify, ...(shop ? { workingHours: shop.workingHours } : {}) };
    },

    /** Sales gave the phone on the lead's task. */
    async saveLeadContact(input: { leadId: string; phone: string; name?: string }): Promise<void> {
      const phone = normalizePhone(input.phone);
      if (!phone) throw ApplicationFailure.nonRetryable(LEAD_TEXTS.badPhone(input.phone), 'InvalidPhone');
      await setLeadContact(db, input.leadId, { phone, name: input.name?.trim() || undefined });
    },

    /**
     * The lead's order: the customer's open order when they have one (the lead joins it), else a
     * new order started the way `POST /leads` starts one, keyed by the lead so a retry is the same order.
     */
    async startLeadOrder(input: { leadId: string }): Promise<{ orderId: string; joined: boolean }> {
      const found = await leadWithMessages(db, input.leadId);
      if (!found) throw ApplicationFailure.nonRetryable(LEAD_TEXTS.noLead(input.leadId), 'NoSuchLead');
      const { lead, messages } = found;
      if (lead.orderId) return { orderId: lead.orderId, joined: false };
      if (!lead.phone) throw ApplicationFailure.nonRetryable(LEAD_TEXTS.noPhone, 'LeadWithoutPhone');
      const open = await openOrderForPhone(db, lead.phone);
      if (open) {
        await markLeadOrdered(db, lead.id, open);
        return { orderId: open, joined: true };
      }
      const said = messages
        .filter((m) => m.kind !== 'echo')
        .map((m) => m.payload.text?.trim())
        .filter((t): t is string => Boolean(t));
      const note = said.join('\n').slice(0, 2000) || undefined;
      const { orderId } = await services().startOrder(
        {
          channel: lead.channel,
          ...(lead.campaign ? { campaign: lead.campaign } : {}),
          source: lead.source ?? LEAD_TEXTS.sourceOf(messages[0]?.kind ?? 'message'),
          ...(note ? { note } : {}),
          customer: { name: lead.customerName ?? LEAD_TEXTS.unnamedCustomer(lead.channel), phone: lead.phone },
        },
        `lead:${lead.id}`,
      );
      await markLeadOrdered(db, lead.id, orderId);
      return { orderId, joined: false };
    },

    /** Sales dropped the lead. */
    async dropLead(input: { leadId: string }): Promise<void> {
      await markLeadLost(db, input.leadId);
    },
  };
}
