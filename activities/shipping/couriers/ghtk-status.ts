/**
 * GHTK (Giao Hàng Tiết Kiệm) `status_id`s and shipper `reason_code`s → shopflow's
 * {@link ShipmentState}: the one place they are mapped.
 */
import type { ShipmentState } from './types';

/** Every `status_id` GHTK documents for webhooks and the status API. */
export const GHTK_STATUS: Readonly<Record<string, ShipmentState>> = Object.freeze({
  '-1': 'cancelled', // Hủy đơn hàng
  '1': 'created', // Chưa tiếp nhận
  '2': 'created', // Đã tiếp nhận
  '3': 'picked', // Đã lấy hàng / Đã nhập kho
  '4': 'delivering', // Đã điều phối giao hàng / Đang giao hàng
  // Đã giao hàng / Chưa đối soát. Also a partial delivery (giao hàng một phần): GHTK has no
  // status of its own for it, the webhook carries `return_part_package=1` with status 5.
  '5': 'delivered',
  '6': 'delivered', // Đã đối soát (COD reconciled)
  // Không lấy được hàng: nobody can ship it as it stands (out of area, refused goods, shop
  // unreachable); staff must act. Unless the shop itself cancelled, see `GHTK_PICKUP_CANCELLED`.
  '7': 'exception',
  '8': 'picking', // Hoãn lấy hàng (pick-up postponed)
  '9': 'delivery_failed', // Không giao được hàng
  '10': 'delivering', // Delay giao hàng
  '11': 'returned', // Đã đối soát công nợ trả hàng (return reconciled)
  '12': 'picking', // Đã điều phối lấy hàng / Đang lấy hàng
  // Đơn hàng bồi hoàn: GHTK pays the shop for a parcel it lost or destroyed; the goods never
  // come back, so for the order it is a loss, not a return.
  '13': 'lost',
  '20': 'returning', // Đang trả hàng
  '21': 'returned', // Đã trả hàng
  // A shipper's own report, not yet confirmed by GHTK; the confirmed status follows. A claimed
  // delivery or failure must not end the order, so these stay on the way.
  '123': 'picked', // Shipper báo đã lấy hàng
  '127': 'picking', // Shipper báo không lấy được hàng
  '128': 'picking', // Shipper báo delay lấy hàng
  '45': 'delivering', // Shipper báo đã giao hàng
  '49': 'delivering', // Shipper báo không giao được hàng
  '410': 'delivering', // Shipper báo delay giao hàng
});

/** GHTK's `reason_code`s, as GHTK words them (used when a webhook carries a code but no text). */
export const GHTK_REASONS: Readonly<Record<string, string>> = Object.freeze({
  // Chậm lấy hàng (pick-up delayed)
  '100': 'Nhà cung cấp (NCC) hẹn lấy vào ca tiếp theo',
  '101': 'GHTK không liên lạc được với NCC',
  '102': 'NCC chưa có hàng',
  '103': 'NCC đổi địa chỉ',
  '104': 'NCC hẹn ngày lấy hàng',
  '105': 'GHTK quá tải, không lấy kịp',
  '106': 'Do điều kiện thời tiết, khách quan',
  '107': 'Lý do khác',
  // Không lấy được hàng (pick-up failed)
  '110': 'Địa chỉ ngoài vùng phục vụ',
  '111': 'Hàng không nhận vận chuyển',
  '112': 'NCC báo hủy',
  '113': 'NCC hoãn/không liên lạc được 3 lần',
  '114': 'Lý do khác',
  '115': 'Đối tác hủy đơn qua API',
  // Chậm giao hàng (delivery delayed)
  '120': 'GHTK quá tải, giao không kịp',
  '121': 'Người nhận hàng hẹn giao ca tiếp theo',
  '122': 'Không gọi được cho người nhận hàng',
  '123': 'Người nhận hàng hẹn ngày giao',
  '124': 'Người nhận hàng chuyển địa chỉ nhận mới',
  '125': 'Địa chỉ người nhận sai, cần NCC check lại',
  '126': 'Do điều kiện thời tiết, khách quan',
  '127': 'Lý do khác',
  '128': 'Đối tác hẹn thời gian giao hàng',
  '129': 'Không tìm thấy hàng',
  '1200': 'SĐT người nhận sai, cần NCC check lại',
  // Không giao được hàng (delivery failed)
  '130': 'Người nhận không đồng ý nhận sản phẩm',
  '131': 'Không liên lạc được với KH 3 lần',
  '132': 'KH hẹn giao lại quá 3 lần',
  '133': 'Shop báo hủy đơn hàng',
  '134': 'Lý do khác',
  '135': 'Đối tác hủy đơn qua API',
  // Delay trả hàng (return delayed)
  '140': 'NCC hẹn trả ca sau',
  '141': 'Không liên lạc được với NCC',
  '142': 'NCC không có nhà',
  '143': 'NCC hẹn ngày trả',
  '144': 'Lý do khác',
});

/** Pick-up failed (7) because the shop or its system cancelled: nothing left the shop. */
export const GHTK_PICKUP_CANCELLED: ReadonlySet<string> = new Set(['112', '115']);

/**
 * Delivery failed (9) because the shop or its system cancelled: the parcel is simply coming back,
 * so it is not a failed delivery for customer care to chase.
 */
export const GHTK_DELIVERY_CANCELLED: ReadonlySet<string> = new Set(['133', '135']);

/** The state of a GHTK status (and reason code); an unknown status is `'unknown'`, never an error. */
export function ghtkState(statusId: string | number, reasonCode?: string): ShipmentState {
  const key = String(statusId).trim();
  if (!Object.prototype.hasOwnProperty.call(GHTK_STATUS, key)) return 'unknown';
  const reason = reasonCode?.trim();
  if (reason && key === '7' && GHTK_PICKUP_CANCELLED.has(reason)) return 'cancelled';
  if (reason && key === '9' && GHTK_DELIVERY_CANCELLED.has(reason)) return 'returning';
  return GHTK_STATUS[key]!;
}
