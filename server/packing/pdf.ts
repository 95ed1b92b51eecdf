/**
 * The packing documents as PDF (pdfkit, pure JS): packing slip, shipping label, a batch of labels,
 * the pick list. Text is set in Noto Sans (SIL OFL 1.1, shipped by @expo-google-fonts/noto-sans)
 * embedded as a subset, so Vietnamese diacritics print and can be copied back out of the file.
 * Barcodes are drawn as vector bars (./code128) and modules (qrcode's matrix): sharp at any DPI.
 */
import path from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { code128Widths } from './code128';

const fontDir = path.dirname(require.resolve('@expo-google-fonts/noto-sans/package.json'));
const FONT = path.join(fontDir, '400Regular', 'NotoSans_400Regular.ttf');
const FONT_BOLD = path.join(fontDir, '700Bold', 'NotoSans_700Bold.ttf');

/** Label and slip sizes: ISO A6 and A5, and an 80 mm receipt roll (K80) as long as the content. */
export const LABEL_SIZES = ['A6', 'A5', 'K80'] as const;
export type LabelSize = (typeof LABEL_SIZES)[number];
/** The pick list is read at a table, so A4 too. */
export const PICK_LIST_SIZES = ['A4', 'A5', 'K80'] as const;
export type PickListSize = (typeof PICK_LIST_SIZES)[number];
export type PageSize = LabelSize | PickListSize;

const MM = 72 / 25.4;
const WIDTH: Record<PageSize, number> = { A4: 595.28, A5: 419.53, A6: 297.64, K80: 80 * MM };
const HEIGHT: Record<Exclude<PageSize, 'K80'>, number> = { A4: 841.89, A5: 595.28, A6: 419.53 };
/** Receipt printers print about 72 mm of the 80 mm roll. */
const MARGIN: Record<PageSize, number> = { A4: 36, A5: 24, A6: 14, K80: 4 * MM };

/**
 * Noto's `ccmp` splits some Vietnamese letters (ị, ọ…) into a base and a combining mark whose
 * ToUnicode entry is lost, so "Thị" would copy out as "Thi ". The precomposed glyphs look the
 * same; fontkit fills the object in, so each call gets a fresh one.
 */
const precomposed = () => ({ ccmp: false }) as unknown as PDFKit.Mixins.OpenTypeFeatures[];

/** One order as its documents show it. */
export interface PackingOrder {
  id: string;
  createdAt: Date;
  customerName: string | null;
  customerPhone: string | null;
  address: string | null;
  items: Array<{ sku: string | null; name: string | null; qty: number | null; price: number | null; amount: number | null }>;
  total: number | null;
  codAmount: number | null;
  shippingFee: number | null;
  note: string | null;
  courier: string | null;
  trackingCode: string | null;
  weightGrams: number | null;
}

/** Who sends: the shop as shop.yaml names it, and its time zone for dates. */
export interface Sender {
  name: string;
  timezone: string;
}

export const vnd = (n: number | null | undefined) => `${new Intl.NumberFormat('vi-VN').format(n ?? 0)} ₫`;

/** Draws on one page size; K80 pages are laid out once to measure, then drawn at the height they need. */
export class Writer {
  y: number;
  /** Set while drawing in a narrower column (a barcode beside a QR code). */
  narrowTo: number | undefined;
  constructor(
    readonly doc: PDFKit.PDFDocument,
    readonly size: PageSize,
  ) {
    this.y = MARGIN[size];
  }
  get left() {
    return MARGIN[this.size];
  }
  get width() {
    return this.narrowTo ?? WIDTH[this.size] - 2 * MARGIN[this.size];
  }
  /** Text sizes scale with the page: what is 9 pt on A6 is 12 pt on A5 and A4. */
  pt(base: number) {
    return this.size === 'A6' || this.size === 'K80' ? base : Math.round(base * 1.3);
  }
  text(str: string, opts: { size?: number; bold?: boolean; align?: 'left' | 'center' | 'right'; x?: number; width?: number } = {}) {
    const { doc } = this;
    doc.font(opts.bold ? 'bold' : 'regular').fontSize(this.pt(opts.size ?? 8));
    const x = opts.x ?? this.left;
    const width = opts.width ?? this.width - (x - this.left);
    doc.text(str.normalize('NFC'), x, this.y, { width, align: opts.align ?? 'left', lineGap: 1, features: precomposed() });
    this.y = doc.y;
  }
  /** A label and its value on one line, the value bold. */
  field(label: string, value: string, size = 8) {
    this.doc.font('regular').fontSize(this.pt(size));
    const w = this.doc.widthOfString(`${label} `, { features: precomposed() });
    const y = this.y;
    this.doc.text(`${label} `, this.left, y, { lineBreak: false, features: precomposed() });
    this.doc.font('bold').text(value.normalize('NFC'), this.left + w, y, { width: this.width - w, lineGap: 1, features: precomposed() });
    this.y = this.doc.y;
  }
  gap(n = 4) {
    this.y += n;
  }
  rule() {
    this.gap(2);
    this.doc
      .moveTo(this.left, this.y)
      .lineTo(this.left + this.width, this.y)
      .lineWidth(0.5)
      .dash(2, { space: 2 })
      .stroke()
      .undash();
    this.gap(4);
  }
  /** A Code 128 symbol, centred, with its text under it. */
  barcode(payload: string, height: number, caption = payload) {
    const widths = code128Widths(payload);
    const modules = widths.reduce((a, b) => a + b, 0) + 20; // 10-module quiet zones
    const module = Math.min(this.width / modules, this.size === 'A6' || this.size === 'K80' ? 1.2 : 1.6);
    let x = this.left + (this.width - module * modules) / 2 + 10 * module;
    this.doc.fillColor('black');
    widths.forEach((w, i) => {
      if (i % 2 === 0) this.doc.rect(x, this.y, w * module, height).fill();
      x += w * module;
    });
    this.y += height + 1;
    this.text(caption, { size: 7, align: 'center' });
  }
  /** A QR code of `side` points at `x` (default centred), top at the current line; returns its box. */
  qr(payload: string, side: number, x?: number) {
    const matrix = QRCode.create(payload, { errorCorrectionLevel: 'M' }).modules;
    const cell = side / (matrix.size + 4);
    const left = x ?? this.left + (this.width - side) / 2;
    for (let r = 0; r < matrix.size; r++)
      for (let c = 0; c < matrix.size; c++)
        if (matrix.get(r, c)) this.doc.rect(left + (c + 2) * cell, this.y + (r + 2) * cell, cell, cell).fill();
    return { x: left, y: this.y, side };
  }
  /** A row of columns (widths as fractions of the line); the row is as tall as its tallest cell. */
  row(cells: Array<{ text: string; share: number; align?: 'left' | 'right' | 'center'; bold?: boolean }>, size = 8) {
    let x = this.left;
    let bottom = this.y;
    for (const cell of cells) {
      const w = this.width * cell.share;
      this.doc.font(cell.bold ? 'bold' : 'regular').fontSize(this.pt(size));
      this.doc.text(cell.text.normalize('NFC'), x, this.y, {
        width: w - 3,
        align: cell.align ?? 'left',
        lineGap: 1,
        features: precomposed(),
      });
      bottom = Math.max(bottom, this.doc.y);
      x += w;
    }
    this.y = bottom + 1;
  }
}

function newDoc(size: PageSize, height: number, title: string): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: [WIDTH[size], height],
    margin: MARGIN[size],
    autoFirstPage: false,
    info: { Title: title, Producer: 'shopflow', Creator: 'shopflow' },
    // No dates in the file: the same order prints the same bytes.
    bufferPages: false,
  });
  doc.registerFont('regular', FONT);
  doc.registerFont('bold', FONT_BOLD);
  return doc;
}

function finish(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/**
 * Renders pages of one size, one `draw` per page. A K80 page is drawn twice: on a long scratch
 * page to learn where the content ends, then on a page of exactly that height.
 */
export async function render(size: PageSize, title: string, pages: Array<(w: Writer) => void>): Promise<Buffer> {
  const heights = pages.map((draw) => {
    if (size !== 'K80') return HEIGHT[size];
    const scratch = newDoc(size, 14_400, title);
    scratch.addPage();
    const w = new Writer(scratch, size);
    draw(w);
    scratch.end();
    return Math.ceil(w.y + MARGIN[size] + 6);
  });
  const doc = newDoc(size, heights[0]!, title);
  pages.forEach((draw, i) => {
    doc.addPage({ size: [WIDTH[size], heights[i]!], margin: MARGIN[size] });
    draw(new Writer(doc, size));
  });
  return finish(doc);
}

const when = (d: Date, timezone: string) =>
  new Intl.DateTimeFormat('vi-VN', { timeZone: timezone, dateStyle: 'short', timeStyle: 'short' }).format(d);
const itemLabel = (i: PackingOrder['items'][number]) => [i.sku, i.name].filter(Boolean).join(' · ') || '—';

/** The shipping label: courier and tracking code first, receiver, COD, what is inside, the order code. */
function drawLabel(w: Writer, o: PackingOrder, sender: Sender) {
  w.text(o.courier ?? 'Chưa chọn hãng vận chuyển', { size: 12, bold: true });
  w.gap(2);
  if (o.trackingCode) w.barcode(o.trackingCode, w.size === 'A5' ? 48 : 36, `Mã vận đơn: ${o.trackingCode}`);
  else w.text('Chưa có mã vận đơn — in lại nhãn khi hãng đã nhận đơn', { size: 8 });
  w.rule();
  w.field('Người gửi:', sender.name);
  w.rule();
  w.field('Người nhận:', `${o.customerName ?? '—'}  ${o.customerPhone ?? ''}`.trim(), 9);
  w.text(o.address ?? 'Chưa có địa chỉ giao hàng', { size: 9 });
  w.rule();
  w.field('Thu hộ (COD):', vnd(o.codAmount), 12);
  if (o.weightGrams) w.field('Khối lượng:', `${o.weightGrams} g`);
  w.gap(2);
  w.text('Hàng trong kiện:', { size: 7 });
  for (const i of o.items) w.text(`${i.qty ?? '?'} × ${itemLabel(i)}`, { size: 7 });
  if (o.note) w.text(`Ghi chú: ${o.note}`, { size: 7 });
  w.rule();
  const top = w.y;
  const qrSide = w.size === 'A5' ? 90 : 64;
  const box = w.qr(o.trackingCode ?? o.id, qrSide, w.left + w.width - qrSide);
  const saveWidth = w.width;
  // The order code's barcode beside the QR code.
  w.y = top + 4;
  const barcodeWidth = saveWidth - qrSide - 6;
  drawBeside(w, barcodeWidth, () => w.barcode(o.id, 28, `Mã đơn: ${o.id}`));
  w.y = Math.max(w.y, box.y + box.side);
}

/** Draws with the line narrowed to `width` from the left margin (for a barcode next to a QR code). */
function drawBeside(w: Writer, width: number, draw: () => void) {
  w.narrowTo = width;
  try {
    draw();
  } finally {
    w.narrowTo = undefined;
  }
}

/** The packing slip: what goes in the box, for whom, how much to collect. */
function drawSlip(w: Writer, o: PackingOrder, sender: Sender) {
  w.text(sender.name, { size: 11, bold: true, align: 'center' });
  w.text('PHIẾU ĐÓNG GÓI', { size: 10, bold: true, align: 'center' });
  w.text(`Đơn ${o.id} · ${when(o.createdAt, sender.timezone)}`, { size: 7, align: 'center' });
  w.gap(2);
  w.barcode(o.id, 30);
  w.rule();
  w.field('Khách hàng:', `${o.customerName ?? '—'}  ${o.customerPhone ?? ''}`.trim());
  w.field('Địa chỉ:', o.address ?? '—');
  w.rule();
  const wide = w.size === 'A5';
  w.row(
    [
      { text: 'Sản phẩm', share: wide ? 0.5 : 0.62, bold: true },
      { text: 'SL', share: 0.1, align: 'right', bold: true },
      ...(wide ? [{ text: 'Đơn giá', share: 0.2, align: 'right' as const, bold: true }] : []),
      { text: 'Thành tiền', share: wide ? 0.2 : 0.28, align: 'right', bold: true },
    ],
    7,
  );
  for (const i of o.items)
    w.row(
      [
        { text: itemLabel(i), share: wide ? 0.5 : 0.62 },
        { text: String(i.qty ?? '?'), share: 0.1, align: 'right', bold: true },
        ...(wide ? [{ text: i.price === null ? '—' : vnd(i.price), share: 0.2, align: 'right' as const }] : []),
        { text: i.amount === null ? '—' : vnd(i.amount), share: wide ? 0.2 : 0.28, align: 'right' },
      ],
      7,
    );
  const count = o.items.reduce((n, i) => n + (i.qty ?? 0), 0);
  w.rule();
  w.field('Số lượng:', `${count} sản phẩm`);
  if (o.total !== null) w.field('Tổng tiền hàng:', vnd(o.total));
  if (o.shippingFee) w.field('Phí ship:', vnd(o.shippingFee));
  w.field('Thu hộ (COD):', vnd(o.codAmount), 10);
  w.rule();
  w.field('Vận chuyển:', o.courier ?? 'chưa chọn');
  if (o.trackingCode) w.barcode(o.trackingCode, 26, `Mã vận đơn: ${o.trackingCode}`);
  if (o.note) w.text(`Ghi chú: ${o.note}`, { size: 7 });
  w.gap(4);
  const box = w.qr(o.id, w.size === 'A5' ? 80 : 56);
  w.y = box.y + box.side;
  w.text('Quét mã để mở đơn', { size: 6, align: 'center' });
}

export function packingSlipPdf(order: PackingOrder, sender: Sender, size: LabelSize): Promise<Buffer> {
  return render(size, `Phiếu đóng gói ${order.id}`, [(w) => drawSlip(w, order, sender)]);
}

/** One label per page, in the order given. */
export function labelsPdf(orders: PackingOrder[], sender: Sender, size: LabelSize): Promise<Buffer> {
  const title = orders.length === 1 ? `Nhãn vận chuyển ${orders[0]!.id}` : `Nhãn vận chuyển (${orders.length} đơn)`;
  return render(
    size,
    title,
    orders.map((o) => (w) => drawLabel(w, o, sender)),
  );
}

/** One SKU over the batch: how many to take from the shelf, for which orders. */
export interface PickLine {
  sku: string;
  name: string | null;
  qty: number;
  orders: string[];
}

/** The batch's lines summed per SKU, most picked first (lines without a SKU under their name). */
export function pickLines(orders: PackingOrder[]): PickLine[] {
  const by = new Map<string, PickLine>();
  for (const o of orders)
    for (const i of o.items) {
      const key = i.sku ?? `name:${i.name ?? '?'}`;
      const line = by.get(key) ?? { sku: i.sku ?? '—', name: i.name, qty: 0, orders: [] };
      line.qty += i.qty ?? 0;
      if (!line.orders.includes(o.id)) line.orders.push(o.id);
      by.set(key, line);
    }
  return [...by.values()].sort((a, b) => b.qty - a.qty || a.sku.localeCompare(b.sku));
}

/** The pick list: every SKU of the batch with its total, then each order's lines to sort them into boxes. */
export function pickListPdf(orders: PackingOrder[], sender: Sender, size: PickListSize, now = new Date()): Promise<Buffer> {
  const lines = pickLines(orders);
  return render(size, `Danh sách lấy hàng (${orders.length} đơn)`, [
    (w) => {
      w.text(sender.name, { size: 10, bold: true });
      w.text('DANH SÁCH LẤY HÀNG', { size: 11, bold: true });
      w.text(`${orders.length} đơn · ${lines.reduce((n, l) => n + l.qty, 0)} sản phẩm · in lúc ${when(now, sender.timezone)}`, {
        size: 7,
      });
      w.rule();
      w.row(
        [
          { text: 'SKU', share: 0.25, bold: true },
          { text: 'Tên sản phẩm', share: 0.45, bold: true },
          { text: 'SL', share: 0.12, align: 'right', bold: true },
          { text: 'Số đơn', share: 0.18, align: 'right', bold: true },
        ],
        7,
      );
      for (const l of lines)
        w.row(
          [
            { text: l.sku, share: 0.25 },
            { text: l.name ?? '—', share: 0.45 },
            { text: String(l.qty), share: 0.12, align: 'right', bold: true },
            { text: String(l.orders.length), share: 0.18, align: 'right' },
          ],
          7,
        );
      w.rule();
      w.text('Theo đơn', { size: 8, bold: true });
      for (const o of orders) {
        w.text(`${o.id} — ${o.customerName ?? ''}${o.courier ? ` · ${o.courier}` : ''}`, { size: 7, bold: true });
        for (const i of o.items) w.text(`   ${i.qty ?? '?'} × ${itemLabel(i)}`, { size: 7 });
      }
    },
  ]);
}
