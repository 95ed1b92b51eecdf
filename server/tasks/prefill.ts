/**
 * Forms that know the shop: the values a task's form fields are filled in from when the task is
 * served (`x-shopflow: { default: { from: lead.customer.phone } }`), read from what the system
 * already knows — the lead the order started with (its workflow's input, as Temporal recorded it),
 * the customer's record, and the order's figures (`order_figures_changed` events). They are a
 * starting point for the person, never data: completing the task sends the form's fields, which
 * are validated at the edge as always.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { customers, orderEvents, orders } from '../../db/schema';
import type { FormSchema } from '../../definitions/types';
import { prefillSources, shapeFact, type FormFact } from '../../definitions/tasks/widgets';
import { isRecord } from '../../definitions/loading/plain';
import type { OrderWorkflowInput } from '../../workflows/orders/contract';
import { places } from '../places/places';
import type { TaskRow } from './tasks';

/** What the lead said, shown on the order's tasks (the rep no longer retypes it or looks for it). */
export interface LeadView {
  channel: string;
  campaign: string | null;
  note: string | null;
  address: string | null;
}

/** Prefill of one form: field → value. */
export type Prefill = Record<string, unknown>;

export function createPrefill(deps: { db: Db; temporal: Client }) {
  /** The lead the order's workflow started with: the first event of its history (one event read). */
  async function leadOf(workflowId: string): Promise<OrderWorkflowInput['lead'] | undefined> {
    try {
      const { history } = await deps.temporal.workflowService.getWorkflowExecutionHistory({
        namespace: deps.temporal.options.namespace,
        execution: { workflowId },
        maximumPageSize: 1,
      });
      const payload = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      if (!payload) return undefined;
      const input = deps.temporal.options.loadedDataConverter.payloadConverter.fromPayload<OrderWorkflowInput>(payload);
      return isRecord(input) && isRecord(input.lead) ? input.lead : undefined;
    } catch {
      return undefined; // an order whose history is gone (retention): nothing to fill in from
    }
  }

  /** The order's figures as its steps set them: the last change of each, the street line merged into the address. */
  async function figuresOf(orderId: string): Promise<Record<string, unknown>> {
    const events = await deps.db
      .select({ data: orderEvents.data })
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, 'order_figures_changed')))
      .orderBy(asc(orderEvents.id));
    const figures = new Map<string, unknown>();
    for (const { data } of events) {
      if (!isRecord(data) || typeof data.field !== 'string') continue;
      if (data.field === 'shippingAddress.street') {
        const was = figures.get('shippingAddress');
        figures.set('shippingAddress', { ...(isRecord(was) ? was : {}), street: data.to });
      } else figures.set(data.field, data.to);
    }
    return Object.fromEntries(figures);
  }

  async function customerOf(orderId: string) {
    const [row] = await deps.db
      .select({ name: customers.name, phone: customers.phone, address: customers.address, addresses: customers.addresses })
      .from(orders)
      .innerJoin(customers, eq(customers.id, orders.customerId))
      .where(eq(orders.id, orderId));
    return row;
  }

  return {
    /** The order's figures as its finished steps set them (the task context reads them too). */
    figures: figuresOf,
    /**
     * The prefill of each of the task's forms (the stage's, and each outcome's own) and the lead's
     * words, for an order's task. Facts are read only when a form asks for them.
     */
    async forTask(task: TaskRow): Promise<{ forms: Map<string, Prefill>; lead: LeadView | null }> {
      const forms = new Map<string, Prefill>();
      const all = [task.form, ...task.outcomes.map((o) => o.form)] as FormSchema[];
      const needed = new Set(all.flatMap((f) => prefillSources(f).map((s) => s.from)));
      if (task.subjectType !== 'order') return { forms, lead: null };
      const [order] = await deps.db.select({ workflowId: orders.workflowId }).from(orders).where(eq(orders.id, task.subjectId));
      const workflowId = order?.workflowId ?? task.workflowId;
      const lead = await leadOf(workflowId);
      const wants = (prefix: string) => [...needed].some((f) => f.startsWith(prefix));
      const [figures, customer] = await Promise.all([
        wants('order.') ? figuresOf(task.subjectId) : Promise.resolve({} as Record<string, unknown>),
        wants('customer.') ? customerOf(task.subjectId) : Promise.resolve(undefined),
      ]);
      const defaultAddress = customer?.addresses.find((a) => a.isDefault) ?? customer?.addresses[0];
      const facts: Partial<Record<FormFact, unknown>> = {
        'lead.customer.name': lead?.customer?.name,
        'lead.customer.phone': lead?.customer?.phone,
        'lead.customer.address': lead?.customer?.address,
        'lead.note': lead?.note,
        'lead.channel': lead?.channel,
        'lead.campaign': lead?.campaign,
        'customer.name': customer?.name,
        'customer.phone': customer?.phone,
        'customer.address': defaultAddress ?? customer?.address ?? undefined,
      };
      for (const [figure, value] of Object.entries(figures)) facts[`order.${figure}` as FormFact] = value;
      const parseAddress = (text: string) => places().parseAddress(text);
      for (const form of all) {
        const key = JSON.stringify(form);
        if (forms.has(key)) continue;
        const prefill: Prefill = {};
        for (const source of prefillSources(form)) {
          const value = shapeFact(source.schema, facts[source.from], parseAddress);
          if (value !== undefined) prefill[source.field] = value;
        }
        forms.set(key, prefill);
      }
      return {
        forms,
        lead: lead
          ? { channel: lead.channel, campaign: lead.campaign ?? null, note: lead.note ?? null, address: lead.customer?.address ?? null }
          : null,
      };
    },
  };
}

export type PrefillService = ReturnType<typeof createPrefill>;
