/**
 * What a task's subject knows that the person needs, beside the form (`context` of GET /tasks/{id},
 * chosen by the definition's `x-shopflow.show`): the items with line totals and the order total,
 * the address, COD, the customer, the courier's latest state and reason, what CSKH decided on a
 * complaint. Readable labelled fields, Vietnamese first; ids and state codes never reach the screen.
 */
import type { TaskDetail } from '../api';
import { formatVnd, useI18n, type Lang } from '../i18n';

type Entry = TaskDetail['context'][number];

const WORDS = {
  vi: {
    title: 'Thông tin cần cho việc này',
    'customer.name': 'Khách hàng',
    'customer.phone': 'Số điện thoại',
    'order.items': 'Sản phẩm',
    'order.total': 'Tổng tiền hàng',
    'order.shippingFee': 'Phí ship khách trả',
    'order.codAmount': 'Tiền thu hộ (COD)',
    'order.shippingAddress': 'Địa chỉ giao hàng',
    'order.note': 'Ghi chú cho bên giao hàng',
    'order.weightGrams': 'Khối lượng',
    'shipment.courier': 'Hãng vận chuyển',
    'shipment.trackingCode': 'Mã vận đơn',
    'shipment.state': 'Trạng thái hãng báo',
    'shipment.status': 'Trạng thái (theo hãng)',
    'shipment.reason': 'Lý do hãng báo',
    'complaint.category': 'Loại khiếu nại',
    'complaint.description': 'Nội dung khiếu nại',
    'complaint.decision': 'CSKH đã chốt',
    sku: 'Mã SKU',
    name: 'Tên sản phẩm',
    qty: 'SL',
    price: 'Đơn giá',
    lineTotal: 'Thành tiền',
    total: 'Tổng',
    grams: '{n} g',
  },
  en: {
    title: 'What this task needs',
    'customer.name': 'Customer',
    'customer.phone': 'Phone',
    'order.items': 'Items',
    'order.total': 'Items total',
    'order.shippingFee': 'Shipping fee (customer pays)',
    'order.codAmount': 'Cash on delivery (COD)',
    'order.shippingAddress': 'Delivery address',
    'order.note': 'Note for the courier',
    'order.weightGrams': 'Weight',
    'shipment.courier': 'Courier',
    'shipment.trackingCode': 'Tracking code',
    'shipment.state': 'Courier reports',
    'shipment.status': "Status (courier's words)",
    'shipment.reason': "Courier's reason",
    'complaint.category': 'Complaint type',
    'complaint.description': 'Complaint',
    'complaint.decision': 'CSKH decided',
    sku: 'SKU',
    name: 'Product',
    qty: 'Qty',
    price: 'Unit price',
    lineTotal: 'Line total',
    total: 'Total',
    grams: '{n} g',
  },
} as const;

/** shopflow's shipment states (definitions/rules/courier-status.ts) in words. */
const STATES: Record<Lang, Record<string, string>> = {
  vi: {
    created: 'Đã tạo vận đơn, chờ lấy hàng',
    picking: 'Đang lấy hàng',
    picked: 'Đã lấy hàng',
    in_transit: 'Đang trung chuyển',
    delivering: 'Đang giao',
    delivered: 'Đã giao',
    delivery_failed: 'Giao không thành công',
    returning: 'Đang hoàn hàng về shop',
    return_failed: 'Hoàn hàng không thành công',
    returned: 'Đã hoàn về shop',
    cancelled: 'Đã hủy vận đơn',
    lost: 'Thất lạc',
    damaged: 'Hư hỏng',
    exception: 'Có sự cố',
    unknown: 'Trạng thái chưa rõ',
  },
  en: {
    created: 'Created, waiting for pick-up',
    picking: 'Picking up',
    picked: 'Picked up',
    in_transit: 'In transit',
    delivering: 'Out for delivery',
    delivered: 'Delivered',
    delivery_failed: 'Delivery failed',
    returning: 'Returning to the shop',
    return_failed: 'Return failed',
    returned: 'Returned to the shop',
    cancelled: 'Cancelled',
    lost: 'Lost',
    damaged: 'Damaged',
    exception: 'Exception',
    unknown: 'Unknown status',
  },
};

type Line = { sku: string; name: string | null; qty: number; price: number; lineTotal: number };
type DecisionField = { field: string; label: string; value: unknown };

export function TaskContext({ context }: { context: TaskDetail['context'] }) {
  const { lang } = useI18n();
  if (!context.length) return null;
  const words = WORDS[lang];
  return (
    <section className="task-context" aria-label={words.title} data-testid="task-context">
      <h4>{words.title}</h4>
      <dl className="meta">
        {context.map((entry) => (
          <div key={entry.fact} data-fact={entry.fact}>
            <dt>{words[entry.fact as keyof typeof words] ?? entry.fact}</dt>
            <dd data-testid={`context-${entry.fact}`}>
              <Value entry={entry} lang={lang} />
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Value({ entry, lang }: { entry: Entry; lang: Lang }) {
  const words = WORDS[lang];
  const value = entry.value as unknown;
  switch (entry.shape) {
    case 'money':
      return <>{formatVnd(Number(value), lang)}</>;
    case 'number':
      return <>{entry.fact === 'order.weightGrams' ? words.grams.replace('{n}', String(value)) : String(value)}</>;
    case 'address':
      return <>{(value as { text?: string }).text ?? ''}</>;
    case 'items': {
      const lines = value as Line[];
      return (
        <div className="table-wrap">
          <table className="compact" data-testid="context-items">
            <thead>
              <tr>
                <th scope="col">{words.name}</th>
                <th scope="col">{words.sku}</th>
                <th scope="col">{words.qty}</th>
                <th scope="col">{words.price}</th>
                <th scope="col">{words.lineTotal}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l, i) => (
                <tr key={`${l.sku}-${i}`}>
                  <td>{l.name ?? l.sku}</td>
                  <td>{l.sku}</td>
                  <td>{l.qty}</td>
                  <td>{formatVnd(l.price, lang)}</td>
                  <td>{formatVnd(l.lineTotal, lang)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={4}>
                  {words.total}
                </th>
                <td>
                  {formatVnd(
                    lines.reduce((n, l) => n + l.lineTotal, 0),
                    lang,
                  )}
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      );
    }
    case 'fields':
      return (
        <dl className="meta nested-meta">
          {(value as DecisionField[]).map((f) => (
            <div key={f.field}>
              <dt>{f.label}</dt>
              <dd data-testid={`decision-${f.field}`}>{typeof f.value === 'number' ? formatVnd(f.value, lang) : String(f.value)}</dd>
            </div>
          ))}
        </dl>
      );
    default:
      if (entry.fact === 'shipment.state') return <>{STATES[lang][String(value)] ?? String(value)}</>;
      return <>{String(value)}</>;
  }
}
