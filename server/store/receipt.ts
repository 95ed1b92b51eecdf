/**
 * The receipt of a sale at the counter (hoá đơn bán lẻ) on an 80 mm roll (K80), drawn with the
 * packing documents' writer: Noto Sans embedded (Vietnamese copies back out), the sale number as
 * Code 128, and for a transfer the VietQR code of the amount the customer scans with a bank app.
 */
import { render, vnd, type Writer } from '../packing/pdf';
import type { StoreService } from './store';

type Sale = Awaited<ReturnType<StoreService['get']>>;

const when = (iso: string, timezone: string) =>
  new Intl.DateTimeFormat('vi-VN', { timeZone: timezone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));

function drawReceipt(w: Writer, sale: Sale, shop: { name: string; timezone: string }, seller: string | null) {
  w.text(shop.name, { size: 11, bold: true, align: 'center' });
  if (sale.receipt.header) w.text(sale.receipt.header, { size: 7, align: 'center' });
  w.gap(2);
  w.text('HOÁ ĐƠN BÁN HÀNG', { size: 10, bold: true, align: 'center' });
  w.barcode(sale.saleNumber!, 26, `Số: ${sale.saleNumber}`);
  w.field('Đơn:', sale.id, 7);
  w.field('Ngày:', when(sale.paidAt!, shop.timezone), 7);
  if (seller) w.field('Thu ngân:', seller, 7);
  if (sale.customer) w.field('Khách hàng:', [sale.customer.name, sale.customer.phone].filter(Boolean).join(' · '), 7);
  w.rule();
  w.row(
    [
      { text: 'Sản phẩm', share: 0.5, bold: true },
      { text: 'SL', share: 0.12, align: 'right', bold: true },
      { text: 'Thành tiền', share: 0.38, align: 'right', bold: true },
    ],
    7,
  );
  for (const l of sale.lines) {
    w.text(`${l.name} (${l.sku})`, { size: 7 });
    w.row(
      [
        { text: `${vnd(l.price)}`, share: 0.5 },
        { text: `× ${l.qty}`, share: 0.12, align: 'right' },
        { text: vnd(l.amount), share: 0.38, align: 'right' },
      ],
      7,
    );
  }
  w.rule();
  w.row(
    [
      { text: 'TỔNG CỘNG', share: 0.5, bold: true },
      { text: vnd(sale.total), share: 0.5, align: 'right', bold: true },
    ],
    10,
  );
  const p = sale.payment!;
  if (p.exchangeCredit > 0) w.field('Trừ hàng đổi trả:', `${vnd(p.exchangeCredit)} (${p.exchangeOf})`, 7);
  w.field('Thanh toán:', `${p.title} — ${vnd(p.amount)}`, 8);
  if (p.method === 'cash' && p.received !== null) {
    w.field('Khách đưa:', vnd(p.received), 8);
    w.field('Tiền thối lại:', vnd(p.change), 8);
  }
  if (p.reference) w.field('Mã giao dịch:', p.reference, 7);
  if (sale.transfer) {
    w.gap(2);
    w.text(`Quét mã VietQR để chuyển khoản ${vnd(sale.transfer.amount)}`, { size: 7, align: 'center' });
    const box = w.qr(sale.transfer.payload, 120);
    w.y = box.y + box.side + 2;
    w.text(`${sale.transfer.bank.bankName} · ${sale.transfer.bank.account}`, { size: 7, align: 'center' });
    w.text(`${sale.transfer.bank.accountName} · Nội dung: ${sale.transfer.purpose}`, { size: 7, align: 'center' });
  }
  if (sale.returns.length) {
    w.rule();
    for (const r of sale.returns) {
      w.text(`Trả hàng ${r.number} (${when(r.at, shop.timezone)}): −${vnd(r.goods)}`, { size: 7, bold: true });
      for (const l of r.lines) w.text(`  ${l.qty} × ${l.name} (${l.sku})`, { size: 7 });
      if (r.exchangeOrderId) w.text(`  Đổi sang đơn ${r.exchangeOrderId}: ${vnd(r.exchangeCredit)}`, { size: 7 });
      if (r.refund > 0) w.text(`  Hoàn tiền: ${vnd(r.refund)}`, { size: 7 });
    }
  }
  w.rule();
  w.text(sale.receipt.footer, { size: 7, align: 'center' });
}

/** The receipt PDF of a paid sale. */
export function receiptPdf(sale: Sale, shop: { name: string; timezone: string }, seller: string | null): Promise<Buffer> {
  return render('K80', `Hoá đơn ${sale.saleNumber}`, [(w) => drawReceipt(w, sale, shop, seller)]);
}
