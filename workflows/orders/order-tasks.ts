/**
 * Pure helpers of the order workflow: the tasks it builds itself (partial return, stock shortage),
 * the courier request and sales lines from the order's figures, and the facts figures feed.
 * Deterministic, no workflow APIs; staff-facing words come from definitions/orders/texts.
 */
import type { CreateShipmentRequest, PartialDelivery } from '../../activities/shipping/couriers/types';
import type { StockShortage } from '../../activities/books/stock';
import { bindingsOf, type FigureBindings } from '../../definitions/orders/figures';
import { ORDER_TEXTS } from '../../definitions/orders/texts';
import type { CompiledCourierStage, CompiledHumanStage, CompiledStage } from '../../definitions/types';
import type { OrderWorkflowInput } from './contract';

/**
 * The warehouse's task for the returned part of a partial delivery: the role, form, SLA and
 * ladder of the stage returns go to (receive-return), else a plain warehouse task; it does not
 * move the process (the order is already past its courier stage).
 */
export function partialReturnStage(
  courierStage: CompiledCourierStage,
  returnStage: CompiledStage | undefined,
  partial: PartialDelivery,
): CompiledHumanStage {
  const like = returnStage?.kind === 'human' ? returnStage : undefined;
  const line = {
    type: 'object',
    additionalProperties: false,
    required: ['sku', 'qty'],
    properties: { sku: { type: 'string', format: 'sku' }, qty: { type: 'integer', minimum: 0 } },
  };
  const form = like?.form ?? {
    type: 'object',
    additionalProperties: false,
    properties: { returnedItems: { type: 'array', items: line }, restockedItems: { type: 'array', items: line }, note: { type: 'string' } },
  };
  // What the warehouse counts sets the same figures as on the return stage's forward outcome.
  const sets: FigureBindings = like?.outcomes[0]
    ? bindingsOf(like.outcomes[0])
    : { returnedItems: 'returnedItems', restockedItems: 'restockedItems' };
  const facts = [
    partial.code ? ORDER_TEXTS.partialReturnCode(partial.code) : '',
    partial.deliveredValue !== undefined ? ORDER_TEXTS.partialDeliveredValue(partial.deliveredValue) : '',
  ]
    .filter(Boolean)
    .join(', ');
  return {
    id: courierStage.id,
    kind: 'human',
    role: like?.role ?? 'warehouse',
    priority: like?.priority ?? 'normal',
    slaMs: like?.slaMs ?? 7 * 86_400_000,
    clock: like?.clock ?? 'calendar',
    escalate: like?.escalate ?? [],
    form,
    title: ORDER_TEXTS.partialReturnTitle,
    description: ORDER_TEXTS.partialReturnDescription(facts),
    outcomes: [{ name: 'received', title: ORDER_TEXTS.partialReturnReceived, to: courierStage.id, form, sets }],
  };
}

/**
 * The courier request from the order's figures as tasks set them (only declared bindings reach
 * `data`): the closing form (address, items, COD), packing (weight, size), a new street line.
 */
export function shipmentRequest(input: OrderWorkflowInput, data: Record<string, unknown>): CreateShipmentRequest {
  const street = data['shippingAddress.street'];
  const address = (data.shippingAddress ?? {}) as { street?: string; ward?: string; district?: string; province?: string };
  const items = (Array.isArray(data.items) ? data.items : []) as Array<{ sku?: string; name?: string; qty?: number; price?: number }>;
  const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
  const value = items.reduce((sum, i) => sum + num(i.qty, 0) * num(i.price, 0), 0);
  return {
    orderCode: input.orderId,
    to: {
      name: typeof data.customerName === 'string' ? data.customerName : input.lead.customer.name,
      phone: typeof data.phone === 'string' ? data.phone : input.lead.customer.phone,
      address: typeof street === 'string' && street ? street : (address.street ?? input.lead.customer.address ?? ''),
      ward: address.ward ?? '',
      district: address.district,
      province: address.province ?? '',
    },
    codAmount: num(data.codAmount, 0),
    value,
    weightGrams: num(data.weightGrams, 500),
    lengthCm: num(data.lengthCm, 20),
    widthCm: num(data.widthCm, 15),
    heightCm: num(data.heightCm, 10),
    items: items.map((i) => ({ name: i.name ?? i.sku ?? 'item', sku: i.sku, qty: num(i.qty, 1), price: num(i.price, 0) })),
    note: [input.lead.note, typeof data.note === 'string' ? data.note : undefined].filter(Boolean).join(' ') || undefined,
  };
}

/** The warehouse's task when an order's items are short: restock (or substitute) and retry, or cancel. */
export function shortageStage(
  stageId: string,
  short: StockShortage[],
  role: string,
  canCancel: boolean,
  attempt: number,
): CompiledHumanStage {
  const item = {
    type: 'object',
    additionalProperties: false,
    required: ['sku', 'name', 'qty', 'price'],
    properties: {
      sku: { type: 'string', minLength: 1, format: 'sku' },
      name: { type: 'string', minLength: 1 },
      qty: { type: 'integer', minimum: 1 },
      price: { type: 'integer', minimum: 0 },
    },
  };
  const form = {
    type: 'object',
    additionalProperties: false,
    properties: { items: { type: 'array', minItems: 1, items: item, title: ORDER_TEXTS.substituteItems }, note: { type: 'string' } },
  };
  return {
    id: stageId,
    kind: 'human',
    role,
    priority: 'high',
    slaMs: 4 * 3600_000,
    clock: 'business',
    escalate: [],
    form,
    title: ORDER_TEXTS.shortageTitle(attempt),
    description: short.map(ORDER_TEXTS.shortageLine).join('; '),
    outcomes: [
      { name: 'restocked', title: ORDER_TEXTS.restocked, to: stageId, form },
      ...(canCancel
        ? [
            {
              name: 'cancel',
              title: ORDER_TEXTS.cancelOutOfStock,
              to: stageId,
              form: { type: 'object', additionalProperties: false, properties: { note: { type: 'string' } } },
            },
          ]
        : []),
    ],
  };
}

/** Sales document lines from the agreed items (sku, name, qty, unit price). */
export function saleLines(value: unknown): Array<{ sku: string; name: string | null; qty: number; price: number }> {
  if (!Array.isArray(value)) return [];
  return value
    .map((v: { sku?: unknown; name?: unknown; qty?: unknown; price?: unknown }) => ({
      sku: typeof v?.sku === 'string' ? v.sku : '',
      name: typeof v?.name === 'string' ? v.name : null,
      qty: typeof v?.qty === 'number' ? v.qty : 0,
      price: typeof v?.price === 'number' ? v.price : 0,
    }))
    .filter((l) => l.sku && l.qty > 0);
}

/** `[{sku, qty}]` lines from task data (items of the order, items taken back from a return). */
export function stockLines(value: unknown): Array<{ sku: string; qty: number }> {
  if (!Array.isArray(value)) return [];
  return value
    .map((v: { sku?: unknown; qty?: unknown }) => ({
      sku: typeof v?.sku === 'string' ? v.sku : '',
      qty: typeof v?.qty === 'number' ? v.qty : 0,
    }))
    .filter((l) => l.sku && l.qty > 0);
}

// The facts figures feed are pure order rules, shared with the activities that evaluate `when` off the workflow.
export { absorbTaskData } from '../../definitions/orders/figures';
