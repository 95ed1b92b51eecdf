/**
 * Words staff read on the order's own tasks and records (fix-it, courier problem, stock shortage,
 * partial return), in the shop's language. The order workflow imports them as pure data; the
 * values reach activities and the database unchanged, so changing one changes what staff see.
 * No runtime imports: safe to import from workflow code.
 */

/** Why a courier problem arose: retries ran out, or the courier refused. */
export const courierProblemWhy = (name: string, retriesExhausted: boolean): string =>
  retriesExhausted ? `không gọi được hãng ${name} sau nhiều lần thử` : `hãng ${name} không nhận đơn`;

export const ORDER_TEXTS = {
  cancelOrder: 'Hủy đơn',
  note: 'Ghi chú',
  otherCourier: 'Hãng vận chuyển khác',
  shipWithOtherCourier: 'Gửi bằng hãng vận chuyển khác',
  /** The reason an order cancelled from a fix-it task carries. */
  fixItCancelReason: (doing: string, message: string) => `lỗi ở bước "${doing}": ${message}`,
  courierProblemTitle: (name: string, attempt: number) =>
    attempt === 1 ? `Chưa tạo được vận đơn ${name} — cần xử lý` : `Vẫn chưa tạo được vận đơn ${name} (lần ${attempt}) — cần xử lý`,
  courierProblemDescription: (orderId: string, why: string, message: string) =>
    `Đơn ${orderId}: ${why}. Hãng trả lời: "${message}". Sửa cấu hình hoặc thông tin đơn rồi gửi lại, chọn hãng khác, hoặc hủy đơn.`,
  resendTo: (name: string) => `Đã sửa — gửi lại cho ${name}`,
  partialReturnCode: (code: string) => `mã đơn hoàn ${code}`,
  partialDeliveredValue: (value: number) => `hãng đã thu ${value} đ cho phần khách nhận`,
  partialReturnTitle: 'Nhận phần hàng hoàn (giao một phần)',
  partialReturnDescription: (facts: string) =>
    `Khách nhận một phần, phần còn lại hoàn về${facts ? ` (${facts})` : ''}: ghi hàng trả về (returnedItems) và phần nhập lại kho (restockedItems).`,
  partialReturnReceived: 'Đã nhận phần hàng hoàn',
  substituteItems: 'Sản phẩm thay thế (nếu đổi)',
  shortageTitle: (attempt: number) =>
    attempt === 1 ? 'Thiếu hàng — nhập thêm hoặc đổi sản phẩm' : `Vẫn thiếu hàng (lần ${attempt}) — nhập thêm hoặc đổi sản phẩm`,
  shortageLine: (s: { sku: string; requested: number; warehouse: string; available: number }) =>
    `${s.sku}: cần ${s.requested}, kho ${s.warehouse} còn ${s.available}`,
  restocked: 'Đã có hàng / đã đổi sản phẩm — giữ hàng lại',
  cancelOutOfStock: 'Hủy đơn vì hết hàng',
} as const;

/**
 * The one-line summary Temporal's UI and CLI show for an order (`staticSummary`): ids and
 * process only, never the customer, e.g. `Đơn DH260301-1A2B3C4D · facebook · standard-order v3`.
 */
export function orderSummary(facts: { orderId: string; channel: string; definition: { name: string; version: number } }): string {
  return `Đơn ${facts.orderId} · ${facts.channel} · ${facts.definition.name} v${facts.definition.version}`;
}
