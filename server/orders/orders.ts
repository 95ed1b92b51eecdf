import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { recordOrderOpened } from '../../db/orders/opened';
import { orders, tasks } from '../../db/schema';
import type { Principal } from '../http/auth';
import type { CompiledOrderProcess } from '../../definitions/types';
import type { Config } from '../platform/config';
import type { DefinitionsStore } from '../shop/definitions';
import { HttpError, unprocessable } from '../http/errors';
import { normalizePhone } from '../../definitions/rules/phone';
import { phoneMessage, type WordsLang } from '../../definitions/rules/field-words';
import type { CustomersStore } from '../customers/customers';
import type { ShopCache } from '../shop/shop-cache';
import type { OrderWorkflowInput } from '../../workflows/orders/order';
import { hasOwnEntry } from '../../definitions/rules/own';
import { chooseProcess, type ProcessChoice } from '../../definitions/shop/processes';
import { orderSummary } from '../../definitions/orders/texts';
import { initialOrderSearchAttributes } from '../../workflows/orders/search-attributes';
import { registerSearchAttributes } from '../platform/search-attributes';
import type { CompiledStoreSaleProcess } from '../../definitions/store/types';
import { openStoreSaleForLead } from '../store/leads';

/** A lead as sales/marketing send it (already schema-checked at the HTTP edge). */
export interface LeadInput {
  channel: string;
  campaign?: string;
  source?: string;
  note?: string;
  cost?: number;
  /** Name of an active OrderProcess; default: the most recently activated one. */
  process?: string;
  customer: { name: string; phone: string; address?: string };
}

/** Workflow id of an order: business-derived, so starting the same order twice is refused. */
export const orderWorkflowId = (orderId: string) => `order:${orderId}`;

import { newOrderId } from './ids';

export { newOrderId };

/** Starts `order:<id>` for a lead with a snapshot of the active order definition. */
export function createOrdersService(deps: {
  db: Db;
  temporal: Client;
  config: Config;
  definitions: DefinitionsStore;
  shop: ShopCache;
  customers: CustomersStore;
}) {
  return {
    async startFromLead(
      lead: LeadInput,
      opts: {
        actor: string;
        idempotencyKey?: string;
        /**
         * The order's id from its source (a web shop's order): the same source order is always the
         * same workflow, refused as a duplicate even after it ended (`created: false`).
         */
        orderId?: string;
        /** How the order arrives, decided against the process it runs (a web shop's order arrives closed). */
        arrival?: (process: CompiledOrderProcess) => Promise<Pick<OrderWorkflowInput, 'closed' | 'intakeProblem'>>;
        /** The language of the caller's field errors (Vietnamese unless asked otherwise). */
        lang?: WordsLang;
      },
    ): Promise<{ orderId: string; workflowId: string; created: boolean; definition: { name: string; version: number } }> {
      // The shop is cached; which process runs depends on it (the request's, else the channel's, else the default).
      const shop = await deps.shop.get();
      const choice = chooseProcess(shop, lead.channel, lead.process);
      const definition = await (choice.name
        ? deps.definitions.activeNamed<CompiledOrderProcess>(choice.name, 'OrderProcess')
        : deps.definitions.activeOfKind<CompiledOrderProcess>('OrderProcess'));
      const fields: Array<{ field: string; message: string }> = [];
      if (!hasOwnEntry(shop.channels, lead.channel))
        fields.push({
          field: 'channel',
          message: `unknown channel "${lead.channel}" — known channels: ${Object.keys(shop.channels).join(', ')}`,
        });
      const phone = normalizePhone(lead.customer.phone);
      if (!phone)
        fields.push({
          field: 'customer.phone',
          message: phoneMessage(opts.lang ?? 'vi'),
        });
      if (fields.length) throw unprocessable('the lead is invalid', { fields });
      // A channel (or request) naming a StoreSaleProcess: the lead is a walk-in sale, opened at the counter.
      const counter =
        !definition && choice.name
          ? await deps.definitions.activeNamed<CompiledStoreSaleProcess>(choice.name, 'StoreSaleProcess')
          : undefined;
      if (counter) {
        const orderId = opts.orderId ?? newOrderId(new Date(), opts.idempotencyKey ? `${opts.actor}:${opts.idempotencyKey}` : undefined);
        return openStoreSaleForLead(deps.db, deps.customers, {
          orderId,
          lead: { ...lead, customer: { ...lead.customer, phone: phone! } },
          process: counter,
          actor: opts.actor,
        });
      }
      if (!definition) throw noActiveProcess(choice, lead.channel);
      const orderId = opts.orderId ?? newOrderId(new Date(), opts.idempotencyKey ? `${opts.actor}:${opts.idempotencyKey}` : undefined);
      const arrival = (await opts.arrival?.(definition.compiled)) ?? {};
      const name = lead.customer.name.trim();
      const customer = await deps.customers.upsertByPhone({ phone: phone!, name, channel: lead.channel, address: lead.customer.address });
      // A customer created by this lead has no orders, tags or wholesale flag yet: nothing to read.
      const history = customer.created ? NEW_CUSTOMER_HISTORY : await deps.customers.history(customer.id);
      const workflowId = orderWorkflowId(orderId);
      const input: OrderWorkflowInput = {
        orderId,
        definition: { name: definition.name, version: definition.version, process: definition.compiled },
        lead: {
          channel: lead.channel,
          campaign: lead.campaign,
          source: lead.source,
          note: lead.note,
          cost: lead.cost,
          customer: {
            id: customer.id,
            name,
            phone: phone!,
            address: lead.customer.address,
            history: { orders: history.orders, delivered: history.delivered, returned: history.returned, returnRate: history.returnRate },
          },
        },
        facts: { customer: deps.customers.factsFor(history, shop), order: { channel: lead.channel } },
        ...arrival,
        settings: { courierPollAfterMs: deps.config.courierPollAfterMs, courierRetryForMs: deps.config.courierRetryForMs },
      };
      const started = { name: definition.name, version: definition.version };
      // What Temporal's UI and CLI show and filter on: ids, stage, channel and process, never the customer.
      const facts = { orderId, stage: definition.compiled.start, channel: lead.channel, definition: started };
      const options = {
        workflowId,
        taskQueue: deps.config.temporal.taskQueue,
        args: [input] as [OrderWorkflowInput],
        // A source order id names one order for good: a late resend of an ended order starts nothing.
        ...(opts.orderId ? { workflowIdReusePolicy: 'REJECT_DUPLICATE' as const } : {}),
        typedSearchAttributes: initialOrderSearchAttributes(facts),
        staticSummary: orderSummary(facts),
        staticDetails: `Order process **${started.name}** v${started.version}, lead channel ${lead.channel}, started at stage \`${facts.stage}\`. Orders: \`GET /api/v1/orders/${orderId}\`.`,
      };
      try {
        try {
          await deps.temporal.workflow.start('orderWorkflow', options);
        } catch (err) {
          if (!isUnregisteredSearchAttribute(err)) throw err;
          // A namespace nobody registered them in (start-up registers them; a test's or a fresh
          // server may not have): register once and start again.
          const registered = await registerSearchAttributes(deps.temporal.connection, deps.config.temporal.namespace).then(
            () => true,
            () => false,
          );
          // Not allowed to register them (e.g. Temporal Cloud without them set up): the order still starts,
          // without its search attributes (start-up logged how to add them).
          const { typedSearchAttributes: _unregistered, ...plain } = options;
          await deps.temporal.workflow.start('orderWorkflow', registered ? options : plain);
        }
        // The order can be read as soon as the lead is answered (its workflow writes the same row
        // and event at its start; whichever comes second changes nothing). Written only once the
        // workflow runs, so no order row ever waits on nobody.
        await recordOrderOpened(deps.db, {
          orderId,
          workflowId,
          channel: lead.channel,
          campaign: lead.campaign,
          leadCost: lead.cost,
          customer: input.lead.customer,
          definition: started,
        });
        return { orderId, workflowId, created: true, definition: started };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError && (opts.idempotencyKey || opts.orderId)) {
          return { orderId, workflowId, created: false, definition: started };
        }
        throw err;
      }
    },
  };
}

/** 409 naming what chose the missing process: the request's `process`, or the shop setting behind the channel. */
function noActiveProcess(choice: ProcessChoice, channel: string): HttpError {
  if (choice.from === 'request')
    return new HttpError(409, 'no_active_process', `không có quy trình bán hàng nào tên "${choice.name}" đang hoạt động`, {
      fields: [{ field: 'process', message: `no active order process named "${choice.name}"` }],
    });
  if (choice.from === 'latest')
    return new HttpError(409, 'no_active_process', 'chưa có quy trình bán hàng nào được kích hoạt: hãy kích hoạt một quy trình trước');
  return new HttpError(
    409,
    'no_active_process',
    `kênh "${channel}" chạy quy trình "${choice.name}" (shop.yaml ${choice.setting}) nhưng quy trình này chưa được kích hoạt — kích hoạt nó hoặc sửa ${choice.setting}`,
    {
      fields: [{ field: 'channel', message: `${choice.setting} names "${choice.name}", which is not an active OrderProcess` }],
      setting: choice.setting,
    },
  );
}

/** The history of a customer this lead just created. */
const NEW_CUSTOMER_HISTORY = { orders: 0, delivered: 0, returned: 0, deliveredValue12m: 0, returnRate: 0, flags: [] as string[] };

/** Temporal refused a start because a search attribute it names is not registered in the namespace. */
export function isUnregisteredSearchAttribute(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if (/search attribute/i.test(e.message) && /(not defined|no mapping|unknown|not registered|not found)/i.test(e.message)) return true;
  }
  return false;
}

export type OrdersService = ReturnType<typeof createOrdersService>;

/** Orders a caller may see: scope `all` sees every order; `own` the orders whose tasks they hold or held, or that they closed. */
export function ordersVisibleTo(p: Principal): SQL | undefined {
  if (p.scope === 'all' || p.permissions.has('*')) return undefined;
  // …and the orders they closed themselves (a manual order has no closing task to hold).
  return sql`(${orders.closedBy} = ${p.staffId} or exists (select 1 from ${tasks} where ${tasks.subjectId} = ${orders.id} and ${tasks.assigneeId} = ${p.staffId}))`;
}

/** One agreed line of an order: what the closing form (or a substitution) said. */
export interface OrderItem {
  sku: string | null;
  name: string | null;
  qty: number | null;
  price: number | null;
  amount: number | null;
}
/** Where the parcel goes, split as couriers need it. */
export interface ShippingAddress {
  street: string | null;
  ward: string | null;
  district: string | null;
  province: string | null;
  text: string;
}

/**
 * The items and shipping address from the data staff entered on an order's finished steps,
 * oldest first, each later step's fields winning — the way the order workflow merges them
 * (`orderData`), so a substitution from the stock-shortage task replaces the items, and a new
 * address typed by CSKH (`newAddress`) replaces the street as the courier request does.
 */
export function orderFacts(stepData: Array<Record<string, unknown>>): { items: OrderItem[]; shippingAddress: ShippingAddress | null } {
  const merged: Record<string, unknown> = {};
  for (const data of stepData) {
    Object.assign(merged, data);
    // "Khách đổi địa chỉ" ticked on the confirm step: its new address is the order's (a street line typed before it no longer applies).
    if (data.addressChanged === true && data.newShippingAddress !== null && typeof data.newShippingAddress === 'object') {
      merged.shippingAddress = data.newShippingAddress;
      delete merged.newAddress;
    }
  }
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const items = (Array.isArray(merged.items) ? merged.items : [])
    .filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object')
    .map((v) => {
      const qty = num(v.qty);
      const price = num(v.price);
      return { sku: str(v.sku), name: str(v.name), qty, price, amount: qty !== null && price !== null ? qty * price : null };
    })
    .filter((i) => i.sku !== null || i.name !== null);
  const raw =
    merged.shippingAddress !== null && typeof merged.shippingAddress === 'object'
      ? (merged.shippingAddress as Record<string, unknown>)
      : undefined;
  const street = str(merged.newAddress) ?? str(raw?.street);
  if (!raw && !street) return { items, shippingAddress: null };
  const parts = { street, ward: str(raw?.ward), district: str(raw?.district), province: str(raw?.province) };
  const text = [parts.street, parts.ward, parts.district, parts.province].filter(Boolean).join(', ');
  return { items, shippingAddress: { ...parts, text } };
}
