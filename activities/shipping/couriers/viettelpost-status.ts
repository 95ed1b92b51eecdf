/**
 * Viettel Post `ORDER_STATUS` codes → shopflow's {@link ShipmentState}: the one place they are
 * mapped. The codes and their names are Viettel Post's partner API table ("Bảng danh sách trạng
 * thái"); its webhook sends the code as `DATA.ORDER_STATUS` with its name in `STATUS_NAME`.
 */
import type { ShipmentState } from './types';

/** Every status Viettel Post documents for a partner's order, with its name as Viettel Post words it. */
export const VIETTELPOST_STATUS: Readonly<Record<string, { state: ShipmentState; name: string }>> = Object.freeze({
  '-100': { state: 'created', name: 'Đơn hàng mới tạo, chưa duyệt' },
  '100': { state: 'created', name: 'Tiếp nhận đơn hàng từ đối tác' },
  // Viettel Post refused the order (out of area, forbidden goods). A final status: it sends nothing
  // more, so the order must hear a verdict (failed: staff choose another way), not wait as in transit.
  '101': { state: 'cancelled', name: 'ViettelPost từ chối nhận' },
  '102': { state: 'created', name: 'Đơn hàng chờ xử lý' },
  '103': { state: 'created', name: 'Giao cho bưu cục' },
  '104': { state: 'picking', name: 'Giao cho Bưu tá đi nhận' },
  '105': { state: 'picked', name: 'Bưu Tá đã nhận hàng' },
  '107': { state: 'cancelled', name: 'Đối tác yêu cầu hủy qua API' },
  '200': { state: 'picked', name: 'Nhận từ bưu tá - Bưu cục gốc' },
  '201': { state: 'cancelled', name: 'Hủy nhập phiếu gửi' },
  '202': { state: 'in_transit', name: 'Sửa phiếu gửi' },
  '300': { state: 'in_transit', name: 'Khai thác đi' },
  '400': { state: 'in_transit', name: 'Khai thác đến' },
  '500': { state: 'delivering', name: 'Giao bưu tá đi phát' },
  '501': { state: 'delivered', name: 'Phát thành công' },
  '502': { state: 'returning', name: 'Chuyển hoàn bưu cục gốc' },
  '503': { state: 'cancelled', name: 'Hủy - Theo yêu cầu khách hàng' },
  '504': { state: 'returned', name: 'Hoàn thành công - Chuyển trả người gửi' },
  // The receiver refused, is wrong or unreachable: Viettel Post asks the shop to approve the return
  // (UpdateOrder TYPE 2) or to deliver again (TYPE 3) — customer care decides.
  '505': { state: 'delivery_failed', name: 'Phát thất bại - Yêu cầu chuyển hoàn' },
  // Not at home, not answering, asked for another day: one attempt failed, as GHN's delivery_fail.
  '506': { state: 'delivery_failed', name: 'Phát thất bại' },
  // The receiver collects it at the post office: still on its way to them.
  '507': { state: 'delivering', name: 'Khách hàng đến bưu cục nhận' },
  '508': { state: 'delivering', name: 'Phát tiếp' },
  '509': { state: 'in_transit', name: 'Chuyển tiếp bưu cục khác' },
  '515': { state: 'returning', name: 'Duyệt hoàn' },
  '550': { state: 'delivering', name: 'Phát tiếp (khách hàng yêu cầu)' },
});

/** After these Viettel Post sends nothing more for the order (its webhook documentation's final statuses). */
export const VIETTELPOST_FINAL: ReadonlySet<string> = new Set(['101', '107', '201', '501', '503', '504']);

/** The state of a Viettel Post status code; a code it adds later is `'unknown'` (recorded, never dropped). */
export function viettelPostState(status: string | number): ShipmentState {
  const key = String(status).trim();
  return Object.prototype.hasOwnProperty.call(VIETTELPOST_STATUS, key) ? VIETTELPOST_STATUS[key]!.state : 'unknown';
}

/** Viettel Post's own name of a status (for the simulator and messages), or undefined for a code it does not document. */
export function viettelPostStatusName(status: string | number): string | undefined {
  const key = String(status).trim();
  return Object.prototype.hasOwnProperty.call(VIETTELPOST_STATUS, key) ? VIETTELPOST_STATUS[key]!.name : undefined;
}
