/**
 * How a web shop's order arrives: already closed — its process's first step (closing the sale)
 * filled from the platform's order — when every field that step's form asks for is there and
 * right; otherwise as a lead whose closing task says, in Vietnamese, what staff must fix (an
 * unknown SKU, no ward, a price that is not whole VND). Never a failure: the order always starts.
 */
import { normalizePhone } from '../../definitions/rules/phone';
import { skusIn, validateFormData } from '../../definitions/tasks/forms';
import type { CompiledOrderProcess } from '../../definitions/types';
import type { OrderWorkflowInput } from '../../workflows/orders/contract';
import { PLATFORMS, type WebShopOrder } from './platforms';

export type Arrival = Pick<OrderWorkflowInput, 'closed' | 'intakeProblem'>;

/**
 * The closed start of an order (the start stage's first outcome with the platform's data), or the
 * problem that keeps it from starting closed. `unknownSkus` says which SKUs the catalogue lacks.
 */
export async function arrivalOf(
  order: WebShopOrder,
  process: CompiledOrderProcess,
  unknownSkus: (skus: string[]) => Promise<Set<string>>,
): Promise<Arrival> {
  const title = `Đơn ${PLATFORMS[order.platform].title} ${order.name}`;
  const refuse = (problems: string[]): Arrival => ({
    intakeProblem: `${title} chưa tự chốt được: ${problems.join('; ')}. Kiểm tra với khách và chốt lại đơn.`,
  });
  const stage = process.stages[process.start];
  const outcome = stage?.kind === 'human' ? stage.outcomes[0] : undefined;
  if (!stage || stage.kind !== 'human' || !outcome)
    return refuse([`quy trình "${process.name}" không bắt đầu bằng bước chốt đơn của nhân viên`]);

  const problems = dataProblems(order);
  const data = closingData(order, Object.keys(recordOf(outcome.form.properties)));
  if (problems.length === 0) {
    for (const issue of validateFormData(outcome.form, data)) problems.push(`dữ liệu không khớp biểu mẫu "${stage.title}" (${issue})`);
  }
  const skus = skusIn(outcome.form, data);
  if (skus.length) {
    const unknown = await unknownSkus(skus.map((s) => s.sku));
    for (const sku of unknown) problems.push(`mã SKU "${sku}" không có trong danh mục sản phẩm`);
  }
  if (problems.length) return refuse(problems);
  return { closed: { outcome: outcome.name, actor: order.platform, data } };
}

/** What is missing or wrong in the platform's order itself, in the shop's words. */
function dataProblems(order: WebShopOrder): string[] {
  const problems: string[] = [];
  if (order.currency && order.currency.toUpperCase() !== 'VND') problems.push(`đơn tính bằng ${order.currency}, không phải VND`);
  if (order.items.length === 0) problems.push('đơn không có sản phẩm nào');
  for (const item of order.items) {
    if (!item.sku) problems.push(`dòng ${item.line} (${item.name}) không có mã SKU`);
    if (item.qty === undefined) problems.push(`dòng ${item.line} (${item.name}) có số lượng không hợp lệ`);
    if (item.price === undefined) problems.push(`dòng ${item.line} (${item.name}) có đơn giá không hợp lệ`);
  }
  if (!order.address.street) problems.push('địa chỉ giao hàng thiếu số nhà, đường');
  if (!order.address.ward) problems.push('địa chỉ giao hàng thiếu phường/xã');
  if (!order.address.province) problems.push('địa chỉ giao hàng thiếu tỉnh/thành phố');
  if (!normalizePhone(order.customer.phone)) problems.push(`số điện thoại "${order.customer.phone}" không phải số Việt Nam`);
  return problems;
}

/** The closing form's data from the order: only the fields the form lists (task data holds only its form's fields). */
function closingData(order: WebShopOrder, fields: string[]): Record<string, unknown> {
  const phone = normalizePhone(order.customer.phone);
  const everything: Record<string, unknown> = {
    customerName: order.customer.name,
    phone: phone ? phone.replace(/^\+84/, '0') : order.customer.phone,
    items: order.items.map((i) => ({ sku: i.sku, name: i.name, qty: i.qty, price: i.price })),
    shippingAddress: order.address,
    codAmount: order.codAmount,
    ...(order.shippingFee !== undefined ? { shippingFee: order.shippingFee } : {}),
    note: [`${PLATFORMS[order.platform].title} ${order.name}`, order.cod ? 'COD' : 'đã thanh toán', order.note].filter(Boolean).join(' · '),
  };
  return Object.fromEntries(fields.filter((f) => Object.hasOwn(everything, f)).map((f) => [f, everything[f]]));
}

function recordOf(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
