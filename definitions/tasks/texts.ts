/**
 * The words staff read on the tasks workflows open themselves (fix-it tasks, follow-ups), in
 * Vietnamese. Kept with the definitions so workflow code carries no UI text. Pure.
 */

/** Vietnamese names of the steps workflows run, for fix-it task titles (the activity name otherwise). */
export const STEP_TITLES: Record<string, string> = {
  recordOrderOpened: 'Ghi nhận đơn mới',
  recordOrderEvent: 'Ghi lịch sử đơn',
  updateOrderFigures: 'Cập nhật số tiền đơn',
  notify: 'Gửi thông báo',
  cancelOpenTasks: 'Đóng các việc còn mở',
  moveOrderStock: 'Ghi sổ kho',
  recordSale: 'Ghi sổ bán hàng',
  updateCustomerAfterOrder: 'Cập nhật khách hàng',
  recordReturnedAmount: 'Ghi giá trị hàng hoàn',
  recordOrderCloser: 'Ghi người chốt đơn',
  recordPartialReturn: 'Ghi phiếu hoàn một phần',
  takeBackPartialReturn: 'Trừ doanh thu phần hoàn',
  recordComplaintOpened: 'Ghi nhận khiếu nại',
  recordComplaintDecision: 'Ghi quyết định khiếu nại',
  recordComplaintFollowUpDone: 'Ghi kết quả xử lý khiếu nại',
  recordComplaintRefund: 'Ghi phiếu hoàn tiền',
  orderRefundLimit: 'Tính mức hoàn tiền tối đa',
  moveComplaintStock: 'Ghi sổ kho cho khiếu nại',
  openKpiPeriod: 'Mở kỳ KPI',
  recomputeKpiActuals: 'Tính lại số liệu KPI',
  fireKpiAlert: 'Gửi cảnh báo KPI',
  closeKpiPeriod: 'Chốt kỳ KPI',
  activeKpiPlan: 'Đọc kế hoạch KPI',
  routeInboundDelivery: 'Nhận tin nhắn/lead từ kênh bán hàng',
  startLeadOrder: 'Tạo đơn từ lead',
  saveLeadContact: 'Ghi số điện thoại của lead',
  dropLead: 'Đóng lead',
  leadTaskContext: 'Đọc vai trò nhận lead',
};

export const TASK_TEXTS = {
  /** The one outcome of a follow-up task (it only says it was handled). */
  followUpDone: 'Đã xử lý',
  unknownError: 'không rõ lỗi',
  note: 'Ghi chú',
  fixItTitle: (attempt: number, doing: string) => `${attempt === 1 ? 'Lỗi hệ thống' : `Vẫn lỗi (lần ${attempt})`}: ${doing} — cần xử lý`,
  fixItDescription: (doing: string, retriesExhausted: boolean, message: string, canSkip: boolean) =>
    `Bước "${doing}" ${retriesExhausted ? 'đã thử lại nhiều lần không được' : 'bị từ chối, không tự thử lại'}. Lỗi: ${message}. ` +
    `Sửa nguyên nhân rồi chọn "Thử lại"${canSkip ? ', hoặc bỏ qua bước này' : ''}.`,
  retryFixed: 'Đã sửa — thử lại',
  skipStep: 'Bỏ qua bước này, tiếp tục',
} as const;
