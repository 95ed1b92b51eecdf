/**
 * The words of an order's timeline, Vietnamese first and English beside: what each courier's own
 * status codes mean (GHN, GHTK, Viettel Post — the codes their adapters map in
 * activities/shipping/couriers), shopflow's shipment states, and a sentence for each order and task
 * event. The one dictionary the console's timeline reads, so no code or event type reaches a
 * clerk's screen. Pure data and lookups; unit tests check every known code has both languages.
 */
import type { ShipmentState } from '../rules/courier-status';

/** The console's languages. */
export type TimelineLang = 'vi' | 'en';

/** One thing said in both languages. */
export interface Words {
  vi: string;
  en: string;
}

/** The courier APIs shopflow speaks; a shop's courier id names one of them (`ghn`, `ghtk`, `viettelpost`). */
export type CourierApi = 'ghn' | 'ghtk' | 'viettelpost';

/** GHN's order statuses (`Status` in webhooks), as GHN's own tracking page words them. */
const GHN: Record<string, Words> = {
  ready_to_pick: { vi: 'Chờ lấy hàng', en: 'Waiting for pick-up' },
  picking: { vi: 'Nhân viên đang lấy hàng', en: 'Being picked up' },
  money_collect_picking: { vi: 'Đang thu tiền người gửi', en: 'Collecting payment at pick-up' },
  picked: { vi: 'Đã lấy hàng', en: 'Picked up' },
  storing: { vi: 'Hàng đang nằm ở kho', en: 'At a courier hub' },
  transporting: { vi: 'Đang luân chuyển hàng', en: 'In transit' },
  sorting: { vi: 'Đang phân loại hàng', en: 'Being sorted' },
  delivering: { vi: 'Nhân viên đang giao hàng', en: 'Out for delivery' },
  money_collect_delivering: { vi: 'Đang thu tiền người nhận', en: 'Collecting cash on delivery' },
  delivered: { vi: 'Giao hàng thành công', en: 'Delivered' },
  delivery_fail: { vi: 'Giao hàng không thành công', en: 'Delivery attempt failed' },
  waiting_to_return: { vi: 'Chờ duyệt hoàn hàng', en: 'Waiting to be returned' },
  return: { vi: 'Hoàn hàng', en: 'Return started' },
  return_transporting: { vi: 'Đang luân chuyển hàng hoàn', en: 'Return in transit' },
  return_sorting: { vi: 'Đang phân loại hàng hoàn', en: 'Return being sorted' },
  returning: { vi: 'Nhân viên đang hoàn hàng', en: 'Being returned to the shop' },
  return_fail: { vi: 'Hoàn hàng không thành công', en: 'Return failed' },
  returned: { vi: 'Hoàn hàng thành công', en: 'Returned to the shop' },
  cancel: { vi: 'Đơn hàng đã hủy', en: 'Cancelled' },
  exception: { vi: 'Đơn hàng ngoại lệ, cần xử lý', en: 'Exception, needs handling' },
  damage: { vi: 'Hàng bị hư hỏng', en: 'Goods damaged' },
  lost: { vi: 'Hàng bị thất lạc', en: 'Goods lost' },
};

/** GHTK's `status_id`s, as GHTK names them. */
const GHTK: Record<string, Words> = {
  '-1': { vi: 'Hủy đơn hàng', en: 'Order cancelled' },
  '1': { vi: 'Chưa tiếp nhận', en: 'Not yet accepted' },
  '2': { vi: 'Đã tiếp nhận', en: 'Accepted' },
  '3': { vi: 'Đã lấy hàng / đã nhập kho', en: 'Picked up / in the warehouse' },
  '4': { vi: 'Đang giao hàng', en: 'Out for delivery' },
  '5': { vi: 'Đã giao hàng, chưa đối soát', en: 'Delivered, not yet reconciled' },
  '6': { vi: 'Đã đối soát', en: 'Reconciled' },
  '7': { vi: 'Không lấy được hàng', en: 'Could not pick up' },
  '8': { vi: 'Hoãn lấy hàng', en: 'Pick-up postponed' },
  '9': { vi: 'Không giao được hàng', en: 'Could not deliver' },
  '10': { vi: 'Chậm giao hàng', en: 'Delivery delayed' },
  '11': { vi: 'Đã đối soát công nợ trả hàng', en: 'Return reconciled' },
  '12': { vi: 'Đang lấy hàng', en: 'Being picked up' },
  '13': { vi: 'Đơn hàng bồi hoàn', en: 'Compensated (parcel lost or destroyed)' },
  '20': { vi: 'Đang trả hàng', en: 'Being returned' },
  '21': { vi: 'Đã trả hàng', en: 'Returned to the shop' },
  '123': { vi: 'Shipper báo đã lấy hàng', en: 'Shipper reports picked up' },
  '127': { vi: 'Shipper báo không lấy được hàng', en: 'Shipper reports could not pick up' },
  '128': { vi: 'Shipper báo chậm lấy hàng', en: 'Shipper reports pick-up delayed' },
  '45': { vi: 'Shipper báo đã giao hàng', en: 'Shipper reports delivered' },
  '49': { vi: 'Shipper báo không giao được hàng', en: 'Shipper reports could not deliver' },
  '410': { vi: 'Shipper báo chậm giao hàng', en: 'Shipper reports delivery delayed' },
};

/** Viettel Post's `ORDER_STATUS` codes, as its status table names them. */
const VIETTELPOST: Record<string, Words> = {
  '-100': { vi: 'Đơn hàng mới tạo, chưa duyệt', en: 'New order, not yet approved' },
  '100': { vi: 'Tiếp nhận đơn hàng từ đối tác', en: 'Order received from the shop' },
  '101': { vi: 'ViettelPost từ chối nhận', en: 'Refused by Viettel Post' },
  '102': { vi: 'Đơn hàng chờ xử lý', en: 'Order waiting to be processed' },
  '103': { vi: 'Giao cho bưu cục', en: 'Handed to the post office' },
  '104': { vi: 'Giao cho bưu tá đi nhận', en: 'Postman on the way to pick up' },
  '105': { vi: 'Bưu tá đã nhận hàng', en: 'Picked up by the postman' },
  '107': { vi: 'Đối tác yêu cầu hủy qua API', en: 'Cancelled by the shop' },
  '200': { vi: 'Nhận từ bưu tá - bưu cục gốc', en: 'At the origin post office' },
  '201': { vi: 'Hủy nhập phiếu gửi', en: 'Consignment cancelled' },
  '202': { vi: 'Sửa phiếu gửi', en: 'Consignment corrected' },
  '300': { vi: 'Khai thác đi', en: 'Dispatched' },
  '400': { vi: 'Khai thác đến', en: 'Arrived at the destination office' },
  '500': { vi: 'Giao bưu tá đi phát', en: 'Out for delivery' },
  '501': { vi: 'Phát thành công', en: 'Delivered' },
  '502': { vi: 'Chuyển hoàn bưu cục gốc', en: 'Returning to the origin office' },
  '503': { vi: 'Hủy theo yêu cầu khách hàng', en: 'Cancelled at the customer’s request' },
  '504': { vi: 'Hoàn thành công - chuyển trả người gửi', en: 'Returned to the shop' },
  '505': { vi: 'Phát thất bại - yêu cầu chuyển hoàn', en: 'Delivery failed, return requested' },
  '506': { vi: 'Phát thất bại', en: 'Delivery attempt failed' },
  '507': { vi: 'Khách hàng đến bưu cục nhận', en: 'Customer collects at the post office' },
  '508': { vi: 'Phát tiếp', en: 'Delivering again' },
  '509': { vi: 'Chuyển tiếp bưu cục khác', en: 'Forwarded to another office' },
  '515': { vi: 'Duyệt hoàn', en: 'Return approved' },
  '550': { vi: 'Phát tiếp (khách hàng yêu cầu)', en: 'Delivering again (customer’s request)' },
};

/** Each courier's status words, by the API it speaks. */
export const COURIER_STATUS_WORDS: Readonly<Record<CourierApi, Readonly<Record<string, Words>>>> = {
  ghn: GHN,
  ghtk: GHTK,
  viettelpost: VIETTELPOST,
};

/** shopflow's own shipment states, for a code a courier adds later (and the order page's shipment line). */
export const SHIPMENT_STATE_WORDS: Readonly<Record<ShipmentState, Words>> = {
  created: { vi: 'Chờ lấy hàng', en: 'Waiting for pick-up' },
  picking: { vi: 'Đang lấy hàng', en: 'Being picked up' },
  picked: { vi: 'Đã lấy hàng', en: 'Picked up' },
  in_transit: { vi: 'Đang vận chuyển', en: 'In transit' },
  delivering: { vi: 'Đang giao hàng', en: 'Out for delivery' },
  delivered: { vi: 'Đã giao hàng', en: 'Delivered' },
  delivery_failed: { vi: 'Giao không thành công', en: 'Delivery failed' },
  returning: { vi: 'Đang hoàn hàng', en: 'Being returned' },
  return_failed: { vi: 'Hoàn hàng không thành công', en: 'Return failed' },
  returned: { vi: 'Đã hoàn hàng về shop', en: 'Returned to the shop' },
  cancelled: { vi: 'Đã hủy vận đơn', en: 'Shipment cancelled' },
  lost: { vi: 'Hàng bị thất lạc', en: 'Goods lost' },
  damaged: { vi: 'Hàng bị hư hỏng', en: 'Goods damaged' },
  exception: { vi: 'Có sự cố, cần xử lý', en: 'Problem, needs handling' },
  unknown: { vi: 'Trạng thái chưa rõ', en: 'Unknown status' },
};

/** How a stage was left when no outcome of the definition says it: courier verdicts, skips, cancellation. */
export const STAGE_OUTCOME_WORDS: Readonly<Record<string, Words>> = {
  delivered: { vi: 'Đã giao hàng', en: 'Delivered' },
  returned: { vi: 'Hàng hoàn về', en: 'Returned' },
  failed: { vi: 'Giao không thành công', en: 'Delivery failed' },
  skipped: { vi: 'Bỏ qua', en: 'Skipped' },
  cancelled: { vi: 'Đơn bị hủy', en: 'Order cancelled' },
  retry: { vi: 'Làm lại', en: 'Retried' },
};

/**
 * A sentence per event type (order events, and task events as `task_<type>`); `{name}` is filled
 * in by the timeline: stages and outcomes by their titles, people by name.
 */
export const ORDER_EVENT_WORDS: Readonly<Record<string, Words>> = {
  opened: { vi: 'Đơn được tạo', en: 'Order opened' },
  stage_entered: { vi: 'Chuyển sang bước «{to}»', en: 'Moved to «{to}»' },
  stage_left: { vi: 'Xong bước «{from}»: {outcome}', en: 'Finished «{from}»: {outcome}' },
  stages_skipped: { vi: 'Bỏ qua {n} bước: {stages}', en: 'Skipped {n} steps: {stages}' },
  shipment_created: { vi: 'Tạo vận đơn {tracking}', en: 'Shipment {tracking} created' },
  courier_status: { vi: '{courier} báo: {status}', en: '{courier} reports: {status}' },
  courier_partial_delivery: {
    vi: 'Giao một phần: khách giữ một phần, phần còn lại hoàn về ({amount})',
    en: 'Partly delivered: the customer kept part, the rest comes back ({amount})',
  },
  partial_return_received: { vi: 'Kho đã nhận phần hàng hoàn ({amount})', en: 'Warehouse received the part that came back ({amount})' },
  order_ended: { vi: 'Đơn kết thúc: {result}', en: 'Order ended: {result}' },
  cancelled: { vi: 'Đơn bị hủy', en: 'Order cancelled' },
  activity_failed: { vi: 'Gặp sự cố khi {activity}, đã giao việc xử lý', en: 'A problem while {activity}; a task was opened to fix it' },
  stock_short: { vi: 'Thiếu hàng khi giữ kho: {skus}', en: 'Out of stock when reserving: {skus}' },
  order_figures_changed: { vi: 'Đổi {figure}: {before} → {after}', en: 'Changed {figure}: {before} → {after}' },
  packing_mismatch: { vi: 'Quét sai khi đóng gói: {barcode} ({scanResult})', en: 'Wrong scan while packing: {barcode} ({scanResult})' },
  packing_override: {
    vi: 'Trưởng kho duyệt giao dù hàng quét chưa khớp: {reason}',
    en: 'The warehouse lead let the parcel go though its scans did not match: {reason}',
  },
  customer_reply: {
    vi: 'Khách trả lời «{reply}» qua {via} — {replyResult}',
    en: 'The customer replied «{reply}» by {via} — {replyResult}',
  },
  customer_message: { vi: '{who} nhắn qua {via}: «{message}»', en: '{who} wrote on {via}: «{message}»' },
  task_opened: { vi: 'Mở việc «{task}»', en: 'Task «{task}» opened' },
  task_claimed: { vi: 'Nhận việc «{task}»', en: 'Task «{task}» claimed' },
  task_unclaimed: { vi: 'Trả lại việc «{task}»', en: 'Task «{task}» released' },
  task_completed: { vi: 'Hoàn thành «{task}»: {outcome}', en: 'Task «{task}» completed: {outcome}' },
  task_escalated: { vi: 'Leo thang mức {level}: «{task}»', en: 'Escalation level {level}: «{task}»' },
  task_reassigned: { vi: 'Chuyển việc «{task}» cho {to}', en: 'Task «{task}» handed to {to}' },
  task_cancelled: { vi: 'Hủy việc «{task}»', en: 'Task «{task}» cancelled' },
  // A complaint's own events (its timeline shares the task events above).
  complaint_opened: { vi: 'Khiếu nại được ghi nhận', en: 'Complaint filed' },
  complaint_resolved: { vi: 'Đã giải quyết: {outcome}', en: 'Resolved: {outcome}' },
  complaint_rejected: { vi: 'Từ chối khiếu nại: {outcome}', en: 'Complaint rejected: {outcome}' },
  complaint_follow_up_done: { vi: 'Đã làm xong việc tiếp theo', en: 'Follow-up done' },
};

/** What the activities that can fail were doing, for `activity_failed`. */
const ACTIVITY_WORDS: Record<string, Words> = {
  createShipment: { vi: 'tạo vận đơn', en: 'creating the shipment' },
  pollShipment: { vi: 'hỏi trạng thái vận đơn', en: 'asking the courier for the status' },
  cancelShipment: { vi: 'hủy vận đơn', en: 'cancelling the shipment' },
  recordOrderEvent: { vi: 'ghi lịch sử đơn', en: 'writing the order history' },
};

/** Results an order can end with. */
const RESULT_WORDS: Record<string, Words> = {
  completed: { vi: 'Hoàn tất', en: 'Completed' },
  lost: { vi: 'Không chốt được', en: 'Lost' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
  returned: { vi: 'Đã hoàn hàng', en: 'Returned' },
};

/** The entry of `table` for `key`, in `lang`; undefined when the table has none (own entries only). */
export function wordsOf(table: Readonly<Record<string, Words>>, key: string, lang: TimelineLang): string | undefined {
  return Object.hasOwn(table, key) ? table[key]![lang] : undefined;
}

/** Which API a shop's courier id speaks: the id itself (`ghn`), or an id starting with it (`ghn-hcm`). */
export function courierApiOf(courier: string | null | undefined): CourierApi | undefined {
  const id = String(courier ?? '').toLowerCase();
  for (const api of ['viettelpost', 'ghtk', 'ghn'] as const)
    if (id === api || id.startsWith(`${api}-`) || id.startsWith(`${api}_`)) return api;
  if (id === 'vtp' || id === 'viettel-post' || id === 'viettel') return 'viettelpost';
  return undefined;
}

/**
 * A courier's status in the clerk's words: the courier's own code when its table has it, else
 * shopflow's state for it, else the code as the courier sent it (something new, still shown).
 */
export function courierStatusText(courier: string | null | undefined, status: unknown, state: unknown, lang: TimelineLang): string {
  const api = courierApiOf(courier);
  const code = String(status ?? '').trim();
  const key = api === 'ghn' ? code.toLowerCase() : code;
  return (
    (api ? wordsOf(COURIER_STATUS_WORDS[api], key, lang) : undefined) ??
    wordsOf(SHIPMENT_STATE_WORDS, String(state ?? ''), lang) ??
    (lang === 'en' ? `status ${code}` : `trạng thái ${code}`)
  );
}

/** The event's sentence with `{name}`s filled in; undefined for an event type the dictionary does not know. */
export function eventText(type: string, vars: Record<string, string | number>, lang: TimelineLang): string | undefined {
  const sentence = wordsOf(ORDER_EVENT_WORDS, type, lang);
  return sentence?.replace(/\{(\w+)\}/g, (_, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : '…'));
}

/** What an activity that failed was doing. */
export const activityText = (activity: unknown, lang: TimelineLang) =>
  wordsOf(ACTIVITY_WORDS, String(activity ?? ''), lang) ?? (lang === 'en' ? 'a background step' : 'một bước tự động');

/** An order's result in words. */
export const resultText = (result: unknown, lang: TimelineLang) =>
  wordsOf(RESULT_WORDS, String(result ?? ''), lang) ?? String(result ?? '');
