/**
 * Order figures: the facts of an order that task data may change (COD, total, address, items,
 * parcel size…). A definition declares, per form, which of its fields set which figure
 * (`sets: { codAmount: codAmount, shippingAddress.street: newAddress }`); the workflow applies
 * only those, so a field's name alone never changes an order. Pure and workflow-safe.
 */
import type { PlainRecord } from '../loading/plain';
import type { WhenFacts } from '../rules/conditions';
import { isRecord } from '../loading/plain';

/** What a figure's field must look like in the form. */
export type FigureShape = 'money' | 'number' | 'text' | 'address' | 'items' | 'lines';

/**
 * What setting a figure does beyond the order's data: `reserve-stock` reserves the agreed items
 * (once per order), `restock` puts lines back on hand, `returned-amount` makes revenue and the
 * return rate take back what came back. Human stages run them in this order.
 */
export const FIGURE_EFFECTS = ['reserve-stock', 'restock', 'returned-amount'] as const;
export type FigureEffect = (typeof FIGURE_EFFECTS)[number];

/** Every order figure a form may set, with the shape its field must have, what it means and what it moves. */
export const ORDER_FIGURES = {
  codAmount: { shape: 'money', means: 'the amount the courier collects (COD), VND' },
  total: { shape: 'money', means: 'the order value, VND (else Σ qty × price of the items)' },
  shippingFee: { shape: 'money', means: 'the shipping fee the customer pays, VND (sales document)' },
  customerName: { shape: 'text', means: 'the name the parcel and the sales document carry' },
  phone: { shape: 'text', means: 'the phone number the parcel and the sales document carry' },
  shippingAddress: { shape: 'address', means: 'where the parcel goes: { street, ward, district, province }' },
  'shippingAddress.street': { shape: 'text', means: 'a new street line for the parcel (ward and province stay)' },
  note: { shape: 'text', means: 'the note the courier gets' },
  items: {
    shape: 'items',
    means: 'the agreed items [{ sku, name, qty, price }]: stock reservation, total, parcel, books',
    effects: ['reserve-stock'],
  },
  weightGrams: { shape: 'number', means: 'parcel weight in grams (courier rules, parcel)' },
  lengthCm: { shape: 'number', means: 'parcel length in cm' },
  widthCm: { shape: 'number', means: 'parcel width in cm' },
  heightCm: { shape: 'number', means: 'parcel height in cm' },
  returnedItems: {
    shape: 'lines',
    means: 'what came back [{ sku, qty }]: the returned amount revenue takes back',
    effects: ['returned-amount'],
  },
  restockedItems: { shape: 'lines', means: 'what goes back on hand [{ sku, qty }]: restocked', effects: ['restock', 'returned-amount'] },
} as const satisfies Record<string, { shape: FigureShape; means: string; effects?: readonly FigureEffect[] }>;

export type OrderFigure = keyof typeof ORDER_FIGURES;
export const FIGURE_NAMES = Object.keys(ORDER_FIGURES) as OrderFigure[];

/** Figure → form field (a property of the form), as compiled: which fields change the order. */
export type FigureBindings = Partial<Record<OrderFigure, string>>;

/** Figures whose lines hold SKUs (the `sku` of each line is a catalogue SKU). */
export const SKU_LINE_FIGURES: readonly OrderFigure[] = ['items', 'returnedItems', 'restockedItems'];

/** The effects the figures a task set call for, in FIGURE_EFFECTS order (each once). */
export function effectsOf(figures: Partial<Record<OrderFigure, unknown>>): FigureEffect[] {
  const wanted = new Set<FigureEffect>();
  for (const figure of Object.keys(figures)) {
    if (!isOrderFigure(figure)) continue;
    const declared = ORDER_FIGURES[figure] as { effects?: readonly FigureEffect[] };
    for (const effect of declared.effects ?? []) wanted.add(effect);
  }
  return FIGURE_EFFECTS.filter((e) => wanted.has(e));
}

/** Whether `name` is a figure (an own key: `constructor` is not one). */
export function isOrderFigure(name: string): name is OrderFigure {
  return Object.hasOwn(ORDER_FIGURES, name);
}

/**
 * The bindings of an outcome. Snapshots compiled before bindings existed carry none: for them the
 * fields the form itself declares under a figure's own name count (as those workflows read
 * them), plus `newAddress` as the street line — never a field the form does not declare.
 */
export function bindingsOf(outcome: { sets?: FigureBindings; form: PlainRecord }): FigureBindings {
  if (outcome.sets) return outcome.sets;
  const declared = isRecord(outcome.form.properties) ? outcome.form.properties : {};
  const legacy: FigureBindings = {};
  for (const figure of FIGURE_NAMES) if (figure !== 'shippingAddress.street' && Object.hasOwn(declared, figure)) legacy[figure] = figure;
  if (Object.hasOwn(declared, 'newAddress')) legacy['shippingAddress.street'] = 'newAddress';
  return legacy;
}

/**
 * The figures a completed task sets: the bound fields present in its data. Empty text means
 * "not given" (an optional address line left blank does not erase the address).
 */
export function figuresFrom(bindings: FigureBindings, data: PlainRecord): Partial<Record<OrderFigure, unknown>> {
  const figures: Partial<Record<OrderFigure, unknown>> = {};
  for (const [figure, field] of Object.entries(bindings) as Array<[OrderFigure, string]>) {
    if (!Object.hasOwn(data, field)) continue;
    const value = data[field];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) continue;
    figures[figure] = value;
  }
  return figures;
}

/**
 * The figures tasks set become facts for later `when` conditions and courier rules:
 * COD amount and total at closing, province from the address, weight at packing.
 */
export function absorbTaskData(facts: WhenFacts, data: Record<string, unknown>): void {
  const order = (facts.order ??= {});
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  order.codAmount = num(data.codAmount) ?? order.codAmount;
  order.weightGrams = num(data.weightGrams) ?? order.weightGrams;
  const items = Array.isArray(data.items) ? (data.items as Array<{ qty?: unknown; price?: unknown }>) : undefined;
  const itemsTotal = items?.reduce((sum, i) => sum + (num(i.qty) ?? 0) * (num(i.price) ?? 0), 0);
  order.total = num(data.total) ?? itemsTotal ?? order.total;
  const address = data.shippingAddress as { province?: unknown } | undefined;
  if (typeof address?.province === 'string') order.province = address.province;
}
