/** Words staff read about leads from the shop's channels (Vietnamese first). */
export const LEAD_TEXTS = {
  askPhoneTitle: (channel: string) => `Xin số điện thoại khách (${channel})`,
  askPhoneDescription: (channel: string) =>
    `Khách nhắn qua ${channel} nhưng chưa để lại số điện thoại. Trả lời khách, xin số điện thoại rồi ghi vào đây để lên đơn. Tin nhắn của khách nằm trên dòng thời gian của lead.`,
  gotPhone: 'Đã có số điện thoại',
  lost: 'Không mua / spam',
  phoneField: 'Số điện thoại',
  nameField: 'Tên khách hàng',
  reasonField: 'Lý do',
  noteField: 'Ghi chú',
  notWired: 'Worker chưa được nối dịch vụ lead (thiếu cấu hình khi khởi động worker)',
  noPageToken: 'Chưa cấu hình FACEBOOK_PAGE_ACCESS_TOKEN: không đọc được thông tin khách từ form quảng cáo Facebook',
  badPhone: (raw: string) => `"${raw}" không phải số điện thoại Việt Nam`,
  noLead: (id: string) => `Không tìm thấy lead ${id}`,
  noPhone: 'Lead chưa có số điện thoại',
  graphRefused: (status: number, message: string) => `Facebook Graph API từ chối đọc lead (HTTP ${status}): ${message}`,
  unnamedCustomer: (channel: string) => (channel === 'facebook' ? 'Khách Facebook' : channel === 'zalo' ? 'Khách Zalo' : 'Khách website'),
  sourceOf: (kind: string) => (kind === 'lead-form' ? 'facebook-lead-ads' : kind === 'web-form' ? 'website-form' : 'chat'),
} as const;
