/**
 * A manual order: one staff took on the phone or at the counter. It starts like a lead, but
 * already closed — the process's first step (closing the sale) decided by the person entering
 * it, with the items, address and payment they typed — so it goes straight on to confirming or
 * packing. Everything is checked before anything starts: a bad field is a 422 naming it.
 */
import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { products } from '../../db/schema';
import { normalizePhone } from '../../definitions/rules/phone';
import { validateFormData } from '../../definitions/tasks/forms';
import type { CompiledOrderProcess } from '../../definitions/types';
import { unprocessable } from '../http/errors';
import type { Arrival } from '../webshops/intake';
import type { ManualOrderBody } from './contract';

type FieldError = { field: string; message: string };

/** The catalogue's products for the SKUs asked (name and list price), with the SKUs it lacks. */
async function catalogue(db: Db, skus: string[]) {
  const rows = skus.length
    ? await db
        .select({ sku: products.sku, name: products.name, price: products.price, active: products.active })
        .from(products)
        .where(inArray(products.sku, skus))
    : [];
  return new Map(rows.map((r) => [r.sku, r]));
}

/**
 * The closing step's data for a manual order, checked against the catalogue and the start
 * stage's form; a 422 naming each bad field (`items.1.sku`, `shippingAddress.ward`, …).
 */
export async function manualArrival(db: Db, body: ManualOrderBody, process: CompiledOrderProcess, actor: string): Promise<Arrival> {
  const fields: FieldError[] = [];
  const stage = process.stages[process.start];
  const outcome = stage?.kind === 'human' ? stage.outcomes[0] : undefined;
  if (!stage || stage.kind !== 'human' || !outcome)
    throw unprocessable(`quy trình "${process.name}" không bắt đầu bằng bước chốt đơn của nhân viên, nên không tạo đơn thủ công được`, {
      fields: [{ field: 'process', message: 'the process does not start with a human closing step' }],
    });
  const found = await catalogue(db, [...new Set(body.items.map((i) => i.sku))]);
  const items = body.items.map((item, i) => {
    const product = found.get(item.sku);
    if (!product) fields.push({ field: `items.${i}.sku`, message: `"${item.sku}" is not a product in the catalogue` });
    else if (!product.active) fields.push({ field: `items.${i}.sku`, message: `"${item.sku}" is no longer sold (inactive)` });
    return { sku: item.sku, name: product?.name ?? item.sku, qty: item.qty, price: item.price ?? product?.price ?? 0 };
  });
  const shippingFee = body.shippingFee ?? 0;
  const goods = items.reduce((sum, i) => sum + i.qty * i.price, 0);
  const codAmount = body.payment === 'cod' ? (body.codAmount ?? goods + shippingFee) : 0;
  if (body.payment === 'prepaid' && body.codAmount !== undefined && body.codAmount > 0)
    fields.push({ field: 'codAmount', message: 'a prepaid order collects nothing on delivery (leave codAmount out or 0)' });
  const phone = normalizePhone(body.customer.phone);
  const channelNote = body.note?.trim();
  const everything: Record<string, unknown> = {
    customerName: body.customer.name.trim(),
    phone: phone ?? body.customer.phone,
    items,
    shippingAddress: {
      street: body.shippingAddress.street.trim(),
      ward: body.shippingAddress.ward.trim(),
      ...(body.shippingAddress.district?.trim() ? { district: body.shippingAddress.district.trim() } : {}),
      province: body.shippingAddress.province.trim(),
    },
    codAmount,
    ...(body.shippingFee !== undefined ? { shippingFee } : {}),
    note: [body.payment === 'cod' ? 'COD' : 'đã thanh toán', channelNote].filter(Boolean).join(' · '),
  };
  const listed = Object.keys(recordOf(outcome.form.properties));
  const data = Object.fromEntries(listed.filter((f) => Object.hasOwn(everything, f)).map((f) => [f, everything[f]]));
  if (fields.length === 0) {
    for (const issue of validateFormData(outcome.form, data)) {
      const at = issue.indexOf(': ');
      fields.push(at > 0 ? { field: bodyField(issue.slice(0, at)), message: issue.slice(at + 2) } : { field: 'items', message: issue });
    }
  }
  if (fields.length) throw unprocessable('the manual order is invalid', { fields });
  return { closed: { outcome: outcome.name, actor, data } };
}

/** The request's field for a closing-form field (the form says `customerName`, the request `customer.name`). */
function bodyField(path: string): string {
  if (path === 'customerName') return 'customer.name';
  if (path === 'phone') return 'customer.phone';
  return path.replace(/\[(\d+)\]/g, '.$1');
}

function recordOf(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
