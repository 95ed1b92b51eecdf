/**
 * Vietnamese first, English on request: every visible sentence comes from these two
 * dictionaries. Money is VND (`350.000 ₫`), dates and times in the shop's timezone.
 */
import { createContext, useContext } from 'react';

export type Lang = 'vi' | 'en';

const vi = {
  appName: 'shopflow',
  language: 'Ngôn ngữ',
  signIn: 'Đăng nhập', signOut: 'Đăng xuất', token: 'Mã truy cập (API token)',
  tokenHelp: 'Mã do quản trị viên cấp, bắt đầu bằng sf_. Mã chỉ được giữ trong phiên trình duyệt này.',
  badToken: 'Mã không đúng, đã bị thu hồi, hoặc nhân viên đã bị khóa.',
  tooManyTries: 'Sai quá nhiều lần. Vui lòng thử lại sau ít phút.',
  networkError: 'Không kết nối được máy chủ.',
  signedInAs: 'Đang đăng nhập',
  navTasks: 'Việc của tôi', navOrders: 'Đơn hàng', navDashboard: 'Tổng quan quản lý', navDefinitions: 'Quy trình (YAML)',
  navCustomers: 'Khách hàng', navStock: 'Tồn kho', navCod: 'Đối soát COD', mainNav: 'Điều hướng chính',
  loading: 'Đang tải…', refresh: 'Làm mới', lastUpdated: 'Cập nhật lúc', autoRefresh: 'Tự làm mới mỗi {n} giây',
  noTasks: 'Không có việc nào đang chờ bạn.',
  due: 'Hạn', timeLeft: 'Còn lại', overdueBy: 'Trễ {t}', left: 'Còn {t}', noDue: 'Không có hạn',
  priority: 'Ưu tiên', priority_low: 'Thấp', priority_normal: 'Bình thường', priority_high: 'Cao', priority_urgent: 'Khẩn cấp',
  role: 'Vai trò', assignee: 'Người nhận', unassigned: 'Chưa ai nhận', you: 'Bạn', escalation: 'Leo thang', escalationLevel: 'Mức {n}',
  order: 'Đơn', customer: 'Khách hàng', phone: 'Điện thoại', channel: 'Kênh', stage: 'Bước',
  claim: 'Nhận việc', unclaim: 'Trả lại', work: 'Xử lý', close: 'Đóng', claimed: 'Đã nhận việc.',
  outcome: 'Kết quả', submit: 'Hoàn thành', submitting: 'Đang gửi…', required: 'bắt buộc',
  completed: 'Đã hoàn thành. Đơn chuyển sang bước: {stage}.', completedFollowUp: 'Đã hoàn thành.',
  fixErrors: 'Vui lòng sửa các trường được đánh dấu.', addRow: 'Thêm dòng', removeRow: 'Xóa dòng', choose: '— Chọn —', yes: 'Có',
  followUpOf: 'Việc phát sinh từ leo thang',
  orderTitle: 'Đơn {id}', openOrder: 'Mở đơn', orderId: 'Mã đơn', findOrder: 'Tìm đơn', notFound: 'Không tìm thấy.',
  total: 'Tổng tiền', cod: 'Thu hộ (COD)', courier: 'Hãng vận chuyển', tracking: 'Mã vận đơn', shipmentState: 'Trạng thái giao',
  currentStage: 'Bước hiện tại', since: 'Từ', waitingOn: 'Đang chờ', nobody: 'Không chờ ai', status: 'Trạng thái', items: 'Sản phẩm',
  address: 'Địa chỉ giao', timeline: 'Diễn biến', process: 'Quy trình', createdAt: 'Tạo lúc', result: 'Kết quả',
  status_open: 'Đang xử lý', status_completed: 'Hoàn tất', status_lost: 'Không chốt được', status_cancelled: 'Đã hủy', status_returned: 'Đã hoàn hàng', status_done: 'Xong',
  filterStage: 'Lọc theo bước', filterStatus: 'Lọc theo trạng thái', all: 'Tất cả', lateOnly: 'Chỉ đơn trễ', noOrders: 'Không có đơn nào.', more: 'Xem thêm',
  ev_opened: 'Đơn được tạo', ev_stage_entered: 'Vào bước {to}', ev_stage_left: 'Rời bước {from}', ev_shipment_created: 'Tạo vận đơn {tracking}',
  ev_courier_status: 'Hãng vận chuyển báo: {status}', ev_order_ended: 'Đơn kết thúc: {result}', ev_cancelled: 'Đơn bị hủy',
  ev_task_opened: 'Mở việc «{task}»', ev_task_claimed: 'Nhận việc «{task}»', ev_task_unclaimed: 'Trả lại việc «{task}»',
  ev_task_completed: 'Hoàn thành «{task}»', ev_task_escalated: 'Leo thang mức {level}: «{task}»', ev_task_reassigned: 'Chuyển việc «{task}»',
  ev_task_cancelled: 'Hủy việc «{task}»', by: 'bởi {who}', system: 'hệ thống',
  ev_courier_partial_delivery: 'Giao một phần: khách giữ một phần, phần còn lại hoàn về ({amount})', ev_partial_return_received: 'Kho đã nhận phần hàng hoàn ({amount})',
  ev_stock_short: 'Thiếu hàng khi giữ kho: {skus}',
  ev_order_figures_changed: 'Đổi {figure}: {before} → {after}',
  fig_codAmount: 'tiền thu hộ (COD)', fig_total: 'tổng tiền', fig_shippingFee: 'phí ship', fig_customerName: 'tên khách', fig_phone: 'số điện thoại',
  fig_shippingAddress: 'địa chỉ giao', 'fig_shippingAddress.street': 'địa chỉ (số nhà, đường)', fig_note: 'ghi chú giao hàng', fig_items: 'sản phẩm',
  fig_weightGrams: 'khối lượng (g)', fig_lengthCm: 'chiều dài (cm)', fig_widthCm: 'chiều rộng (cm)', fig_heightCm: 'chiều cao (cm)',
  fig_returnedItems: 'hàng khách trả', fig_restockedItems: 'hàng nhập lại kho', fig_none: '(trống)',
  lateDeliveries: 'Giao hàng trễ', overdueTasks: 'Việc quá hạn', ordersPerStage: 'Đơn đang mở theo bước', todayRevenue: 'Doanh thu hôm nay',
  closedToday: 'Doanh số chốt hôm nay', deliveredToday: 'Đơn giao thành công hôm nay', ordersCount: '{n} đơn',
  stuckWorkflows: 'Quy trình bị kẹt (lỗi hệ thống)', stuckHint: 'Các quy trình này đang lỗi do mã chương trình, không tự đi tiếp: báo cho bộ phận kỹ thuật kèm mã quy trình.', stuckSince: 'Từ lúc', stuckReason: 'Lỗi', workflowId: 'Mã quy trình',
  stuckKind_workflowTaskFailing: 'Quy trình lỗi mã', stuckKind_activityRetrying: 'Một bước thử lại mãi', stuckKind_endedWhileOpen: 'Đã dừng khi hồ sơ còn mở',
  noLate: 'Không có đơn giao trễ.', noOverdue: 'Không có việc quá hạn.', dueAt: 'Hạn giao', lateBy: 'Trễ',
  kpiPeriod: 'Kỳ KPI hiện tại: {period}', noKpi: 'Chưa có kỳ KPI đang chạy.', elapsed: 'Đã qua {p} kỳ',
  revenueByChannel: 'Doanh thu theo kênh so với mục tiêu', revenueByRep: 'Doanh thu theo nhân viên so với mục tiêu', returnRateByCourier: 'Tỷ lệ hoàn theo hãng vận chuyển so với trần',
  target: 'Mục tiêu', actual: 'Thực tế', pacing: 'Đáng lẽ đạt đến nay', ceiling: 'Trần', returnRate: 'Tỷ lệ hoàn', onTrack: 'Đúng tiến độ', behind: 'Chậm tiến độ',
  count: 'Số đơn', approxNote: 'Tính từ tối đa {n} đơn gần nhất.',
  definitions: 'Định nghĩa quy trình', name: 'Tên', kind: 'Loại', latest: 'Mới nhất', active: 'Đang dùng', none: 'Chưa có', versions: 'Các phiên bản',
  version: 'Phiên bản', author: 'Người tạo', activate: 'Kích hoạt', activated: 'Đã kích hoạt phiên bản {v}.', view: 'Xem', diff: 'So với bản trước',
  editFrom: 'Sửa từ bản này', editor: 'Trình soạn YAML', newDefinition: 'Soạn mới', loadFile: 'Mở tệp YAML',
  validating: 'Đang kiểm tra…', valid: 'Hợp lệ: {summary}', invalid: '{n} lỗi', lineCol: 'Dòng {line}, cột {col}',
  upload: 'Tải lên (lưu phiên bản mới)', uploaded: 'Đã lưu {name} phiên bản {v}.', uploadedSame: 'Nội dung trùng phiên bản {v} đã có.', activateUploaded: 'Kích hoạt phiên bản vừa lưu',
  noDiff: 'Không có thay đổi.', firstVersion: 'Phiên bản đầu tiên.',
  forbidden: 'Bạn không có quyền xem trang này.', error: 'Lỗi: {message}',
  searchPhone: 'Tìm theo số điện thoại', search: 'Tìm', noResults: 'Không có kết quả.',
  sku: 'Mã hàng', onHand: 'Tồn thực', reserved: 'Đang giữ', available: 'Có thể bán', product: 'Sản phẩm',
  mismatches: 'Chênh lệch COD', expected: 'Phải thu', received: 'Đã nhận', difference: 'Chênh lệch',
  editorKeys: 'Tab thụt lề 2 dấu cách; nhấn Esc rồi Tab để rời ô soạn.', qty: 'Số lượng', segment: 'Phân khúc', reliability: 'Độ tin cậy', delivered: 'Đã giao', returned: 'Hoàn', deliveredValue12m: 'Giá trị đã giao 12 tháng', complaints: 'Khiếu nại', orders: 'Đơn hàng',
  warehouse: 'Kho', lowOnly: 'Chỉ hàng sắp hết', low: 'Sắp hết', kindMismatch: 'Loại', mismatch_short: 'Thu thiếu', mismatch_over: 'Thu thừa', mismatch_unknown_order: 'Không rõ đơn', mismatch_not_delivered: 'Chưa giao mà đã thu',
  unpaid: 'Đơn COD đã giao chưa được đối soát', remittances: 'Đợt đối soát', noMismatches: 'Không có chênh lệch.', phoneHint: 'Ví dụ 0912 345 678 hoặc +84912345678',
  unitPrice: 'Đơn giá', amount: 'Thành tiền', revenueToday: 'Doanh thu hôm nay (giao thành công)', deliveredCount: '{n} đơn giao thành công', returnedCount: '{n} đơn hoàn ({v})',
  todayIs: 'Hôm nay: {day} (múi giờ {tz}).', showingFirst: 'Đang hiện {n} trên {total}.',
  navComplaints: 'Khiếu nại', navSalesBook: 'Sổ bán hàng', navBooksSummary: 'Tổng hợp sổ sách', navPurchases: 'Nhập hàng',
  complaint: 'Khiếu nại', complaintTitle: 'Khiếu nại {id}', newComplaint: 'Ghi nhận khiếu nại mới', category: 'Loại khiếu nại', description: 'Nội dung',
  orderOptional: 'Mã đơn (nếu có)', customerPhone: 'Số điện thoại khách', fileComplaint: 'Ghi nhận', filed: 'Đã ghi nhận khiếu nại {id}.',
  cstatus_open: 'Đang xử lý', cstatus_resolved: 'Đã giải quyết', cstatus_rejected: 'Từ chối', openedAt: 'Mở lúc', resolvedAt: 'Giải quyết lúc', withinSla: 'Đúng hạn', lateSla: 'Trễ hạn',
  noComplaints: 'Không có khiếu nại nào.', tasks: 'Công việc', resolution: 'Cách xử lý', back: 'Quay lại danh sách',
  cat_damaged: 'Hàng bị hư hỏng, vỡ', 'cat_wrong-item': 'Giao sai sản phẩm', 'cat_missing-item': 'Thiếu hàng', cat_quality: 'Chất lượng không như mô tả',
  'cat_late-delivery': 'Giao hàng chậm', 'cat_courier-conduct': 'Thái độ shipper', cat_service: 'Thái độ phục vụ, tư vấn', cat_other: 'Khác',
  fromDay: 'Từ ngày', toDay: 'Đến ngày', show: 'Xem', downloadCsv: 'Tải CSV', kindFilter: 'Loại chứng từ', doc_sale: 'Bán (HĐ)', doc_return: 'Trả lại (TH)',
  number: 'Số chứng từ', date: 'Ngày', goods: 'Tiền hàng', shippingFee: 'Phí giao', noDocuments: 'Không có chứng từ trong khoảng này.', lines: 'Dòng hàng',
  period: 'Kỳ', granularity: 'Theo', byDay: 'Ngày', byMonth: 'Tháng', salesDocs: 'Số HĐ bán', returnDocs: 'Số phiếu trả', salesGoods: 'Doanh số hàng', returnedGoods: 'Hàng trả lại', refundDocs: 'Số phiếu hoàn tiền', refunded: 'Tiền hoàn khách',
  netSales: 'Doanh thu thuần', purchaseDocs: 'Số phiếu nhập', purchasesTotal: 'Tiền nhập hàng', totalRow: 'Tổng cộng',
  supplier: 'Nhà cung cấp', supplierInvoice: 'Số hóa đơn NCC', note: 'Ghi chú', unitCost: 'Giá nhập (₫)', newPurchase: 'Lập phiếu nhập', savePurchase: 'Lưu phiếu nhập', purchaseSaved: 'Đã lưu phiếu {number}.',
  noPurchases: 'Không có phiếu nhập trong khoảng này.', line: 'Dòng {n}',
};

type Dict = typeof vi;
export type Key = keyof Dict;

const en: Dict = {
  appName: 'shopflow',
  language: 'Language',
  signIn: 'Sign in', signOut: 'Sign out', token: 'Access token (API token)',
  tokenHelp: 'Issued by your admin, starts with sf_. It is kept for this browser session only.',
  badToken: 'The token is wrong, revoked, or the staff member is deactivated.',
  tooManyTries: 'Too many failed tries. Please try again in a few minutes.',
  networkError: 'Cannot reach the server.',
  signedInAs: 'Signed in as',
  navTasks: 'My tasks', navOrders: 'Orders', navDashboard: 'Manager dashboard', navDefinitions: 'Processes (YAML)',
  navCustomers: 'Customers', navStock: 'Stock', navCod: 'COD reconciliation', mainNav: 'Main navigation',
  loading: 'Loading…', refresh: 'Refresh', lastUpdated: 'Updated at', autoRefresh: 'Refreshes every {n} seconds',
  noTasks: 'Nothing is waiting for you.',
  due: 'Due', timeLeft: 'Time left', overdueBy: '{t} overdue', left: '{t} left', noDue: 'No due time',
  priority: 'Priority', priority_low: 'Low', priority_normal: 'Normal', priority_high: 'High', priority_urgent: 'Urgent',
  role: 'Role', assignee: 'Assignee', unassigned: 'Unassigned', you: 'You', escalation: 'Escalation', escalationLevel: 'Level {n}',
  order: 'Order', customer: 'Customer', phone: 'Phone', channel: 'Channel', stage: 'Stage',
  claim: 'Claim', unclaim: 'Release', work: 'Work on it', close: 'Close', claimed: 'Claimed.',
  outcome: 'Outcome', submit: 'Complete', submitting: 'Sending…', required: 'required',
  completed: 'Done. The order moved to: {stage}.', completedFollowUp: 'Done.',
  fixErrors: 'Please fix the marked fields.', addRow: 'Add row', removeRow: 'Remove row', choose: '— Choose —', yes: 'Yes',
  followUpOf: 'Follow-up opened by an escalation',
  orderTitle: 'Order {id}', openOrder: 'Open order', orderId: 'Order id', findOrder: 'Find order', notFound: 'Not found.',
  total: 'Total', cod: 'Cash on delivery', courier: 'Courier', tracking: 'Tracking code', shipmentState: 'Delivery state',
  currentStage: 'Current stage', since: 'Since', waitingOn: 'Waiting on', nobody: 'Nobody', status: 'Status', items: 'Items',
  address: 'Shipping address', timeline: 'Timeline', process: 'Process', createdAt: 'Created', result: 'Result',
  status_open: 'Open', status_completed: 'Completed', status_lost: 'Lost', status_cancelled: 'Cancelled', status_returned: 'Returned', status_done: 'Done',
  filterStage: 'Stage filter', filterStatus: 'Status filter', all: 'All', lateOnly: 'Late only', noOrders: 'No orders.', more: 'More',
  ev_opened: 'Order opened', ev_stage_entered: 'Entered {to}', ev_stage_left: 'Left {from}', ev_shipment_created: 'Shipment {tracking} created',
  ev_courier_status: 'Courier reports: {status}', ev_order_ended: 'Order ended: {result}', ev_cancelled: 'Order cancelled',
  ev_task_opened: 'Task «{task}» opened', ev_task_claimed: 'Task «{task}» claimed', ev_task_unclaimed: 'Task «{task}» released',
  ev_task_completed: 'Task «{task}» completed', ev_task_escalated: 'Escalation level {level}: «{task}»', ev_task_reassigned: 'Task «{task}» reassigned',
  ev_task_cancelled: 'Task «{task}» cancelled', by: 'by {who}', system: 'system',
  ev_courier_partial_delivery: 'Partly delivered: the customer kept part, the rest comes back ({amount})', ev_partial_return_received: 'Warehouse received the part that came back ({amount})',
  ev_stock_short: 'Out of stock when reserving: {skus}',
  ev_order_figures_changed: 'Changed {figure}: {before} → {after}',
  fig_codAmount: 'COD', fig_total: 'total', fig_shippingFee: 'shipping fee', fig_customerName: 'customer name', fig_phone: 'phone',
  fig_shippingAddress: 'shipping address', 'fig_shippingAddress.street': 'street address', fig_note: 'courier note', fig_items: 'items',
  fig_weightGrams: 'weight (g)', fig_lengthCm: 'length (cm)', fig_widthCm: 'width (cm)', fig_heightCm: 'height (cm)',
  fig_returnedItems: 'items returned', fig_restockedItems: 'items restocked', fig_none: '(empty)',
  lateDeliveries: 'Late deliveries', overdueTasks: 'Overdue tasks', ordersPerStage: 'Open orders per stage', todayRevenue: 'Today\'s revenue',
  closedToday: 'Closed today', deliveredToday: 'Delivered today', ordersCount: '{n} orders',
  stuckWorkflows: 'Stuck workflows (system errors)', stuckHint: 'These workflows are failing in the program code and do not move on: report them to engineering with their workflow id.', stuckSince: 'Since', stuckReason: 'Error', workflowId: 'Workflow id',
  stuckKind_workflowTaskFailing: 'Workflow code failing', stuckKind_activityRetrying: 'A step retrying again and again', stuckKind_endedWhileOpen: 'Ended while its record is open',
  noLate: 'No late deliveries.', noOverdue: 'No overdue tasks.', dueAt: 'Delivery due', lateBy: 'Late by',
  kpiPeriod: 'Current KPI period: {period}', noKpi: 'No KPI period is running.', elapsed: '{p} of the period elapsed',
  revenueByChannel: 'Revenue per channel vs target', revenueByRep: 'Revenue per rep vs target', returnRateByCourier: 'Return rate per courier vs ceiling',
  target: 'Target', actual: 'Actual', pacing: 'Expected by now', ceiling: 'Ceiling', returnRate: 'Return rate', onTrack: 'On track', behind: 'Behind',
  count: 'Orders', approxNote: 'Counted from at most the {n} latest orders.',
  definitions: 'Process definitions', name: 'Name', kind: 'Kind', latest: 'Latest', active: 'Active', none: 'None', versions: 'Versions',
  version: 'Version', author: 'Author', activate: 'Activate', activated: 'Version {v} activated.', view: 'View', diff: 'Diff with previous',
  editFrom: 'Edit from this version', editor: 'YAML editor', newDefinition: 'New', loadFile: 'Open a YAML file',
  validating: 'Checking…', valid: 'Valid: {summary}', invalid: '{n} errors', lineCol: 'Line {line}, column {col}',
  upload: 'Upload (store a new version)', uploaded: 'Stored {name} version {v}.', uploadedSame: 'Identical to existing version {v}.', activateUploaded: 'Activate the stored version',
  noDiff: 'No changes.', firstVersion: 'First version.',
  forbidden: 'You may not see this page.', error: 'Error: {message}',
  searchPhone: 'Search by phone number', search: 'Search', noResults: 'No results.',
  sku: 'SKU', onHand: 'On hand', reserved: 'Reserved', available: 'Available', product: 'Product',
  mismatches: 'COD mismatches', expected: 'Expected', received: 'Received', difference: 'Difference',
  editorKeys: 'Tab indents by 2 spaces; press Esc then Tab to leave the editor.', qty: 'Qty', segment: 'Segment', reliability: 'Reliability', delivered: 'Delivered', returned: 'Returned', deliveredValue12m: 'Delivered value, 12 months', complaints: 'Complaints', orders: 'Orders',
  warehouse: 'Warehouse', lowOnly: 'Low stock only', low: 'Low', kindMismatch: 'Kind', mismatch_short: 'Short paid', mismatch_over: 'Over paid', mismatch_unknown_order: 'Unknown order', mismatch_not_delivered: 'Paid but not delivered',
  unpaid: 'Delivered COD orders not yet remitted', remittances: 'Remittances', noMismatches: 'No mismatches.', phoneHint: 'e.g. 0912 345 678 or +84912345678',
  unitPrice: 'Unit price', amount: 'Amount', revenueToday: 'Revenue today (delivered)', deliveredCount: '{n} delivered', returnedCount: '{n} returned ({v})',
  todayIs: 'Today: {day} ({tz}).', showingFirst: 'Showing {n} of {total}.',
  navComplaints: 'Complaints', navSalesBook: 'Sales book', navBooksSummary: 'Books summary', navPurchases: 'Purchases',
  complaint: 'Complaint', complaintTitle: 'Complaint {id}', newComplaint: 'File a new complaint', category: 'Category', description: 'Description',
  orderOptional: 'Order id (if any)', customerPhone: 'Customer phone', fileComplaint: 'File', filed: 'Complaint {id} filed.',
  cstatus_open: 'Open', cstatus_resolved: 'Resolved', cstatus_rejected: 'Rejected', openedAt: 'Opened', resolvedAt: 'Resolved', withinSla: 'On time', lateSla: 'Late',
  noComplaints: 'No complaints.', tasks: 'Tasks', resolution: 'Resolution', back: 'Back to the list',
  cat_damaged: 'Damaged or broken', 'cat_wrong-item': 'Wrong item', 'cat_missing-item': 'Missing item', cat_quality: 'Not as described',
  'cat_late-delivery': 'Late delivery', 'cat_courier-conduct': 'Courier conduct', cat_service: 'Service or advice', cat_other: 'Other',
  fromDay: 'From', toDay: 'To', show: 'Show', downloadCsv: 'Download CSV', kindFilter: 'Document kind', doc_sale: 'Sale (HD)', doc_return: 'Return (TH)',
  number: 'Number', date: 'Date', goods: 'Goods', shippingFee: 'Shipping fee', noDocuments: 'No documents in this range.', lines: 'Lines',
  period: 'Period', granularity: 'By', byDay: 'Day', byMonth: 'Month', salesDocs: 'Sales docs', returnDocs: 'Return docs', salesGoods: 'Goods sold', returnedGoods: 'Goods returned', refundDocs: 'Refund docs', refunded: 'Refunded',
  netSales: 'Net sales', purchaseDocs: 'Purchase docs', purchasesTotal: 'Purchases', totalRow: 'Total',
  supplier: 'Supplier', supplierInvoice: 'Supplier invoice', note: 'Note', unitCost: 'Unit cost (₫)', newPurchase: 'New purchase', savePurchase: 'Save purchase', purchaseSaved: 'Saved {number}.',
  noPurchases: 'No purchases in this range.', line: 'Line {n}',
};

const dictionaries: Record<Lang, Dict> = { vi, en };
const LANG_KEY = 'shopflow.lang';

export const initialLang = (): Lang => (localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi');
export const saveLang = (lang: Lang) => localStorage.setItem(LANG_KEY, lang);

/** `t('left', {t: '5 phút'})`: the sentence in the chosen language with `{name}` filled in. */
export function translator(lang: Lang) {
  const dict = dictionaries[lang];
  return (key: Key, vars: Record<string, string | number> = {}) =>
    dict[key].replace(/\{(\w+)\}/g, (_, name: string) => (name in vars ? String(vars[name]) : `{${name}}`));
}
export type T = ReturnType<typeof translator>;

export const LangContext = createContext<{ lang: Lang; t: T }>({ lang: 'vi', t: translator('vi') });
export const useI18n = () => useContext(LangContext);

const SHOP_TZ = 'Asia/Ho_Chi_Minh';
const locale = (lang: Lang) => (lang === 'vi' ? 'vi-VN' : 'en-GB');

/** VND, no decimals: `350.000 ₫` (vi) or `₫350,000` (en). */
export function formatVnd(amount: number | null | undefined, lang: Lang): string {
  if (amount === null || amount === undefined) return '—';
  return new Intl.NumberFormat(locale(lang), { style: 'currency', currency: 'VND', maximumFractionDigits: 0 }).format(amount);
}

export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(lang), { timeZone: SHOP_TZ, dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}

export function formatPercent(share: number | null | undefined, lang: Lang): string {
  if (share === null || share === undefined) return '—';
  return new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

/** A duration in words: `2 giờ 5 phút`, `45 giây`. */
export function formatDuration(seconds: number, lang: Lang): string {
  const s = Math.abs(Math.round(seconds));
  const units: Array<[number, string, string]> = [[86_400, 'ngày', 'd'], [3_600, 'giờ', 'h'], [60, 'phút', 'min'], [1, 'giây', 's']];
  const parts: string[] = [];
  let rest = s;
  for (const [size, viName, enName] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 || (size === 1 && parts.length === 0)) parts.push(lang === 'vi' ? `${n} ${viName}` : `${n} ${enName}`);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** Local midnight in the shop's timezone (UTC+7, no DST), as an instant. */
export function shopMidnight(now = new Date()): Date {
  const offsetMs = 7 * 3_600_000;
  const local = new Date(now.getTime() + offsetMs);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - offsetMs);
}

/** A local day in the shop's timezone (UTC+7), `YYYY-MM-DD`; `firstOfMonth` gives the 1st of its month. */
export function shopDay(now = new Date(), firstOfMonth = false): string {
  const day = new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  return firstOfMonth ? `${day.slice(0, 8)}01` : day;
}
