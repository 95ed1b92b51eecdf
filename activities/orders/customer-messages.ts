/**
 * Produces the customer messages an order's process declares, from the activities that already
 * record the facts they are about, so workflow code and recorded histories stay as they are:
 * - `handover`: createShipment (the courier took the parcel; there is a tracking code);
 * - `delivered`: the order-events writer, when a courier stage is left with outcome `delivered`;
 * - a human stage (the confirm step): openTask, when that stage's own task opens (the stage runs).
 * The process comes from the order's definition version in the database (immutable, cached).
 * A message that cannot be produced is logged and never fails the activity that called: the order
 * goes on whatever happens to its messages.
 */
import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import { activeShop } from '../../db/active-shop';
import { customerHistory } from '../../db/customers/segments';
import { customers } from '../../db/schema';
import {
  finishedSteps,
  orderForMessages,
  processVersion,
  writeCustomerMessage,
  type CustomerMessagePayload,
} from '../../db/notifications/customer-messages';
import { renderTemplate, type TemplateVariable } from '../../definitions/orders/customer-messages';

import { classifyCustomer, evaluateWhen, type WhenFacts } from '../../definitions/rules/conditions';
import { customerFlags, segmentMetrics } from '../../definitions/rules/customer-metrics';
import { normalizePhone } from '../../definitions/rules/phone';
import type { CompiledCourier, CompiledCustomerMessage, CompiledOrderProcess, CompiledShop } from '../../definitions/types';
import { absorbTaskData, bindingsOf, figuresFrom } from '../../definitions/orders/figures';
import { eq } from 'drizzle-orm';

/** The task an order's workflow opened, as openTask receives it. */
export interface OpenedTask {
  taskId: string;
  subject: { type: string; id: string };
  stage: string;
  title: string;
  outcomes: Array<{ name: string }>;
  parentTaskId: string | null;
}

/** The courier's public page for a parcel (the link customers get). */
export function trackingUrl(courier: Pick<CompiledCourier, 'api' | 'baseUrl'> | undefined, code: string): string {
  const c = encodeURIComponent(code);
  if (courier?.api === 'ghn') return `https://donhang.ghn.vn/?order_code=${c}`;
  if (courier?.api === 'ghtk') return `https://i.ghtk.vn/${c}`;
  return courier ? `${courier.baseUrl.replace(/\/+$/, '')}/tracking/${c}` : '';
}

const vnd = (n: number | null | undefined) => (n === null || n === undefined ? '' : `${Math.round(n).toLocaleString('vi-VN')}đ`);

/** How long the active shop read for messages is trusted (couriers' names, segments). */
const SHOP_TTL_MS = 5_000;

export function createCustomerMessages(deps: { db: Db; log: Logger }) {
  const { db } = deps;
  const log = deps.log.child({ component: 'customer-messages' });
  const processes = new Map<string, CompiledOrderProcess | undefined>();
  let shopCache: { shop: CompiledShop | undefined; at: number } | undefined;
  const shopNow = async () => {
    if (!shopCache || Date.now() - shopCache.at > SHOP_TTL_MS) shopCache = { shop: await activeShop(db), at: Date.now() };
    return shopCache.shop;
  };
  const processOf = async (name: string | null, version: number | null) => {
    if (!name || version === null) return undefined;
    const key = `${name}@${version}`;
    if (!processes.has(key)) processes.set(key, await processVersion(db, name, version));
    return processes.get(key);
  };

  /** Writes the messages of `event` the order's process declares and whose `when` holds. */
  async function produce(orderId: string, matches: (m: CompiledCustomerMessage) => boolean, task?: { taskId: string }): Promise<void> {
    const found = await orderForMessages(db, orderId);
    if (!found) return;
    const { order, shipment } = found;
    const process = await processOf(order.definitionName, order.definitionVersion);
    const declared = (process?.customerMessages ?? []).filter(matches);
    if (!process || declared.length === 0) return;
    const shop = await shopNow();
    const steps = await finishedSteps(db, orderId);
    // The figures staff set, as the workflow merges them (later steps win): name, phone, address, weight…
    const figures: Record<string, unknown> = {};
    for (const step of steps) {
      const stage = process.stages[step.stage];
      const outcome = stage?.kind === 'human' ? stage.outcomes.find((o) => o.name === step.outcome) : undefined;
      if (outcome) Object.assign(figures, figuresFrom(bindingsOf(outcome), step.data ?? {}));
    }
    const phone = normalizePhone(String(figures.phone ?? order.customerPhone ?? ''));
    if (!phone) {
      log.warn({ orderId }, 'the order has no Vietnamese phone number: no customer message');
      return;
    }
    let facts: WhenFacts | undefined;
    const factsNow = async (): Promise<WhenFacts> => {
      facts ??= await orderFacts(order, figures, shop);
      return facts;
    };
    const courier = shipment ? shop?.couriers[shipment.courier] : undefined;
    const values: Partial<Record<TemplateVariable, string>> = {
      'customer.name': String(figures.customerName ?? order.customerName ?? ''),
      'order.code': orderId,
      'order.codAmount': vnd(order.codAmount),
      'order.total': vnd(order.total),
      'shop.name': shop?.profile.name ?? shop?.title ?? '',
      ...(shipment && {
        'shipment.trackingCode': shipment.trackingCode,
        'shipment.courier': courier?.title ?? shipment.courier,
        'shipment.trackingUrl': trackingUrl(courier, shipment.trackingCode),
      }),
    };
    for (const message of declared) {
      if (message.when && !evaluateWhen(message.when, await factsNow())) continue;
      const template = process.messageTemplates?.[message.template];
      if (!template) continue;
      const payload: CustomerMessagePayload = {
        title: template.title,
        orderId,
        template: template.id,
        channels: message.channels,
        ...(template.zns && {
          zns: {
            templateId: template.zns.templateId,
            params: Object.fromEntries(Object.entries(template.zns.params).map(([k, v]) => [k, renderTemplate(v, values)])),
          },
        }),
        ...(template.sms !== undefined && { sms: renderTemplate(template.sms, values) }),
        ...(task && message.replies && { taskId: task.taskId, replies: message.replies }),
      };
      const written = await writeCustomerMessage(db, { orderId, customerId: order.customerId, phone, payload });
      if (written.length) log.info({ orderId, template: template.id, channels: message.channels }, 'customer message queued');
    }
  }

  /** The facts a stage's `when` sees, from the database: the order's figures and the customer's history before this order. */
  async function orderFacts(
    order: { customerId: string | null; channel: string | null; codAmount: number | null; total: number | null },
    figures: Record<string, unknown>,
    shop: CompiledShop | undefined,
  ): Promise<WhenFacts> {
    const facts: WhenFacts = {
      order: { ...(order.channel && { channel: order.channel }), ...(order.codAmount !== null && { codAmount: order.codAmount }) },
    };
    absorbTaskData(facts, figures);
    if (order.total !== null) facts.order!.total = order.total;
    if (order.customerId) {
      const [history, [row]] = await Promise.all([
        customerHistory(db, order.customerId),
        db.select({ tags: customers.tags, wholesale: customers.wholesale }).from(customers).where(eq(customers.id, order.customerId)),
      ]);
      // This order is open: it counts among the customer's orders, not among the delivered or returned ones.
      facts.customer = {
        isReturning: history.orders > 1,
        returnRate: history.returnRate,
        ...(shop && { segment: classifyCustomer(shop.segments, segmentMetrics(history, row ? customerFlags(row) : [])) }),
      };
    }
    return facts;
  }

  /** Never lets a message fail its caller: the order goes on. */
  const safely = async (what: string, orderId: string, run: () => Promise<void>) => {
    try {
      await run();
    } catch (err) {
      log.warn({ err, orderId, what }, 'could not queue a customer message; the order goes on without it');
    }
  };

  return {
    /** The courier took the parcel. */
    handedOver: (orderId: string) => safely('handover', orderId, () => produce(orderId, (m) => m.on === 'handover')),

    /** An order event was written: a courier stage left with `delivered` is the delivery. */
    async eventRecorded(event: { orderId: string; type: string; fromStage?: string | null; data?: Record<string, unknown> }) {
      if (event.type !== 'stage_left' || event.data?.outcome !== 'delivered' || !event.fromStage) return;
      await safely('delivered', event.orderId, async () => {
        const found = await orderForMessages(db, event.orderId);
        const process = found && (await processOf(found.order.definitionName, found.order.definitionVersion));
        if (process?.stages[event.fromStage!]?.kind !== 'courier') return;
        await produce(event.orderId, (m) => m.on === 'delivered');
      });
    },

    /** A task opened: the stage's own task (not a follow-up, fix-it or shortage task at that stage) may ask the customer. */
    async taskOpened(task: OpenedTask) {
      if (task.subject.type !== 'order' || task.parentTaskId !== null) return;
      await safely(`stage ${task.stage}`, task.subject.id, async () => {
        const found = await orderForMessages(db, task.subject.id);
        const process = found && (await processOf(found.order.definitionName, found.order.definitionVersion));
        const stage = process?.stages[task.stage];
        // Only the stage's own task has its title and outcomes: a fix-it or shortage task at that stage has not.
        const own =
          stage?.kind === 'human' &&
          stage.title === task.title &&
          stage.outcomes.map((o) => o.name).join() === task.outcomes.map((o) => o.name).join();
        if (own) await produce(task.subject.id, (m) => m.on === 'stage' && m.stage === task.stage, { taskId: task.taskId });
      });
    },
  };
}

export type CustomerMessages = ReturnType<typeof createCustomerMessages>;
