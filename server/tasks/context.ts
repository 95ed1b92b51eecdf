/**
 * A task's context: what its subject already knows that the person needs, as its form's root
 * declares (`x-shopflow: { show: [...] }`, definitions/tasks/context.ts) — the order's items with
 * line totals, address, COD and customer; the courier's latest state and reason; for a complaint's
 * follow-up, what CSKH entered when settling it (amount, method, bank account) in the form's words.
 * Also the outcome to preselect (`suggest`), and the shop's shipping fee rules for a form with a
 * fee field. Read from the database when the task is served; never data the task sends.
 */
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { complaints, courierEvents, customers, definitionVersions, orders, shipments, tasks } from '../../db/schema';
import { contextSpecOf, CONTEXT_FACTS, suggestedOutcome, type ContextFact, type ContextShape } from '../../definitions/tasks/context';
import { isRecord, type PlainRecord } from '../../definitions/loading/plain';
import { shippingFeeFor, type ShippingFeeRules } from '../../definitions/rules/shipping-fee';
import type { CompiledShop } from '../../definitions/types';
import { ownEntry } from '../../definitions/rules/own';
import type { TaskRow } from './tasks';

/** One fact as the task shows it. */
export interface ContextEntry {
  fact: ContextFact;
  shape: ContextShape;
  value: unknown;
}

/** An order line with its line total. */
interface ItemLine {
  sku: string;
  name: string | null;
  qty: number;
  price: number;
  lineTotal: number;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

function itemLines(value: unknown): ItemLine[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isRecord).map((i) => {
    const qty = num(i.qty) ?? 0;
    const price = num(i.price) ?? 0;
    return { sku: String(i.sku ?? ''), name: text(i.name) ?? null, qty, price, lineTotal: qty * price };
  });
}

const itemsTotal = (value: unknown) => itemLines(value)?.reduce((n, l) => n + l.lineTotal, 0);

/** An address as parts and one line of text. */
function addressOf(value: unknown): (PlainRecord & { text: string }) | undefined {
  if (!isRecord(value)) return undefined;
  const parts = ['street', 'ward', 'district', 'province'].map((k) => text(value[k])).filter(Boolean);
  return parts.length ? { ...value, text: parts.join(', ') } : undefined;
}

export function createTaskContext(deps: { db: Db; figures: (orderId: string) => Promise<Record<string, unknown>> }) {
  const { db } = deps;

  /** The facts an order knows: its figures (as its steps set them), its row, its parcel and the courier's latest word. */
  async function orderFacts(orderId: string): Promise<Partial<Record<ContextFact, unknown>>> {
    const [figures, [order], [shipment], [reasoned]] = await Promise.all([
      deps.figures(orderId),
      db
        .select({ name: orders.customerName, phone: orders.customerPhone, total: orders.total, cod: orders.codAmount })
        .from(orders)
        .where(eq(orders.id, orderId)),
      db
        .select({
          courier: shipments.courier,
          trackingCode: shipments.trackingCode,
          state: shipments.state,
          rawStatus: shipments.rawStatus,
        })
        .from(shipments)
        .where(eq(shipments.orderId, orderId)),
      db
        .select({ reason: sql<string | null>`${courierEvents.data}->>'reason'` })
        .from(courierEvents)
        .where(and(eq(courierEvents.orderId, orderId), eq(courierEvents.applied, true), isNotNull(sql`${courierEvents.data}->>'reason'`)))
        .orderBy(desc(courierEvents.id))
        .limit(1),
    ]);
    const total = num(figures.total) ?? itemsTotal(figures.items) ?? order?.total ?? undefined;
    return {
      'customer.name': text(figures.customerName) ?? order?.name ?? undefined,
      'customer.phone': text(figures.phone) ?? order?.phone ?? undefined,
      'order.items': itemLines(figures.items),
      'order.total': total,
      'order.shippingFee': num(figures.shippingFee),
      'order.codAmount': num(figures.codAmount) ?? order?.cod ?? undefined,
      'order.shippingAddress': addressOf(figures.shippingAddress),
      'order.note': text(figures.note),
      'order.weightGrams': num(figures.weightGrams),
      'shipment.courier': shipment?.courier,
      'shipment.trackingCode': shipment?.trackingCode,
      'shipment.state': shipment?.state,
      'shipment.status': shipment?.rawStatus ?? undefined,
      'shipment.reason': text(reasoned?.reason),
    };
  }

  /** A complaint's facts: its category (in the process's words), description, customer, and CSKH's decision in the form's words. */
  async function complaintFacts(complaintId: string): Promise<Partial<Record<ContextFact, unknown>>> {
    const [complaint] = await db.select().from(complaints).where(eq(complaints.id, complaintId));
    if (!complaint) return {};
    const [[definition], [customer], [decisionTask], ofOrder] = await Promise.all([
      db
        .select({ compiled: definitionVersions.compiled })
        .from(definitionVersions)
        .where(and(eq(definitionVersions.name, complaint.definitionName), eq(definitionVersions.version, complaint.definitionVersion))),
      db.select({ name: customers.name, phone: customers.phone }).from(customers).where(eq(customers.id, complaint.customerId)),
      complaint.outcome
        ? db
            .select({ outcomes: tasks.outcomes })
            .from(tasks)
            .where(
              and(
                eq(tasks.subjectType, 'complaint'),
                eq(tasks.subjectId, complaintId),
                eq(tasks.status, 'done'),
                eq(tasks.outcome, complaint.outcome),
              ),
            )
            .limit(1)
        : Promise.resolve([]),
      complaint.orderId ? orderFacts(complaint.orderId) : Promise.resolve({} as Partial<Record<ContextFact, unknown>>),
    ]);
    const categories =
      isRecord(definition?.compiled) && Array.isArray(definition.compiled.categories) ? definition.compiled.categories : [];
    const category = categories.find((c: unknown) => isRecord(c) && c.id === complaint.category) as { title?: string } | undefined;
    const form = decisionTask?.outcomes.find((o) => o.name === complaint.outcome)?.form;
    return {
      ...ofOrder,
      'customer.name': customer?.name ?? ofOrder['customer.name'],
      'customer.phone': customer?.phone ?? ofOrder['customer.phone'],
      'complaint.category': category?.title ?? complaint.category,
      'complaint.description': complaint.description,
      'complaint.decision': decisionFields(form, complaint.resolution),
    };
  }

  return {
    /**
     * The context block of a task, the outcome to preselect, and the shipping fee rules its forms
     * compute a fee from (null when none does).
     */
    async forTask(task: TaskRow, shop: CompiledShop | undefined) {
      const spec = contextSpecOf(task.form);
      const forms = [task.form, ...task.outcomes.map((o) => o.form)];
      const wantsFee = forms.some(hasFeeField);
      const needsFacts = Boolean(spec?.show.length || spec?.suggest);
      const known: Partial<Record<ContextFact, unknown>> = !needsFacts
        ? {}
        : task.subjectType === 'order'
          ? await orderFacts(task.subjectId)
          : task.subjectType === 'complaint'
            ? await complaintFacts(task.subjectId)
            : {};
      // The courier by the shop's name for it (shop.yaml couriers.<id>.title), not its id; suggestions test the id.
      const courier = known['shipment.courier'];
      const shown: Partial<Record<ContextFact, unknown>> = {
        ...known,
        ...(typeof courier === 'string' && { 'shipment.courier': ownEntry(shop?.couriers, courier)?.title ?? courier }),
      };
      const context: ContextEntry[] = (spec?.show ?? [])
        .map((fact) => ({ fact, shape: CONTEXT_FACTS[fact].shape as ContextShape, value: shown[fact] }))
        .filter((e) => e.value !== undefined && e.value !== null && !(Array.isArray(e.value) && e.value.length === 0));
      return {
        context,
        suggestedOutcome: suggestedOutcome(
          spec,
          task.outcomes.map((o) => o.name),
          known,
        ),
        shippingFee: wantsFee ? (shop?.shippingFee ?? null) : null,
      };
    },
  };
}

export type TaskContextService = ReturnType<typeof createTaskContext>;

/** What CSKH entered with the decision, labelled by the outcome form's titles (enum values by their titles). */
function decisionFields(form: unknown, resolution: unknown): Array<{ field: string; label: string; value: unknown }> | undefined {
  const data = isRecord(resolution) && isRecord(resolution.decision) ? resolution.decision : isRecord(resolution) ? resolution : undefined;
  if (!data) return undefined;
  const properties = isRecord(form) && isRecord(form.properties) ? form.properties : {};
  const fields = Object.entries(data)
    .filter(([k, v]) => Object.hasOwn(properties, k) && v !== undefined && v !== null && v !== '')
    .map(([field, value]) => {
      const schema = properties[field] as PlainRecord;
      const binding = isRecord(schema['x-shopflow']) ? schema['x-shopflow'] : undefined;
      const titles = binding && isRecord(binding.titles) ? binding.titles : undefined;
      const shown = typeof value === 'string' && titles && Object.hasOwn(titles, value) ? titles[value] : value;
      return { field, label: typeof schema.title === 'string' ? schema.title : field, value: shown };
    });
  return fields.length ? fields : undefined;
}

/** Whether a form has a field computed from the shop's shipping fee rules (`x-shopflow.fee`). */
function hasFeeField(form: unknown): boolean {
  return feeFields(form).length > 0;
}

function feeFields(form: unknown): Array<{ field: string; address: string; total: string }> {
  const properties = isRecord(form) && isRecord(form.properties) ? form.properties : {};
  return Object.entries(properties).flatMap(([field, schema]) => {
    const fee = isRecord(schema) && isRecord(schema['x-shopflow']) ? schema['x-shopflow'].fee : undefined;
    return isRecord(fee) && typeof fee.address === 'string' && typeof fee.total === 'string'
      ? [{ field, address: fee.address, total: fee.total }]
      : [];
  });
}

/** The fee a form's fee field comes to for these values (its address's province, its items' total). */
function feeOf(rules: ShippingFeeRules, spec: { address: string; total: string }, values: PlainRecord): number {
  const address = values[spec.address];
  const province = isRecord(address) && typeof address.province === 'string' ? address.province : undefined;
  const total = values[spec.total];
  return shippingFeeFor(rules, province, typeof total === 'number' ? total : itemsTotal(total));
}

/**
 * Data with each fee field the person left out computed from the shop's rules (an API client that
 * sends no fee gets the shop's, as the console shows it); a fee sent is kept as sent.
 */
export function withComputedFees(
  form: unknown,
  data: Record<string, unknown>,
  rules: ShippingFeeRules | undefined,
): Record<string, unknown> {
  if (!rules) return data;
  const fields = feeFields(form).filter((f) => data[f.field] === undefined);
  if (!fields.length) return data;
  const out = { ...data };
  for (const f of fields) out[f.field] = feeOf(rules, f, data);
  return out;
}
