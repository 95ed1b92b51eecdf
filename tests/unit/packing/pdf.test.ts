import { labelsPdf, packingSlipPdf, pickLines, pickListPdf, type PackingOrder } from '../../../server/packing/pdf';
import { code128InPdf, readPdf } from '../../support/pdf';

const order: PackingOrder = {
  id: 'DH261204-1A2B3C4D',
  createdAt: new Date('2026-12-04T03:00:00Z'),
  customerName: 'Nguyễn Thị Hồng Nhung',
  customerPhone: '0912345678',
  address: '12 Lê Lợi, Phường Bến Nghé, Thành phố Hồ Chí Minh',
  items: [
    { sku: 'AO-01', name: 'Áo thun cổ tròn màu đỏ', qty: 2, price: 150000, amount: 300000 },
    { sku: 'QUAN-02', name: 'Quần jean ống đứng', qty: 1, price: 420000, amount: 420000 },
  ],
  total: 720000,
  codAmount: 750000,
  shippingFee: 30000,
  note: 'Giao giờ hành chính, gọi trước khi đến',
  courier: 'Giao Hàng Nhanh',
  trackingCode: 'GHN123456789012',
  weightGrams: 800,
};
const sender = { name: 'Cửa hàng Thời trang Mộc', timezone: 'Asia/Ho_Chi_Minh' };

describe('packing PDFs', () => {
  test('When a label is drawn on A6, then the page is 298×420 pt and every Vietnamese word copies out as written', async () => {
    const bytes = await labelsPdf([order], sender, 'A6');
    const [page, ...more] = await readPdf(bytes);
    expect(more).toEqual([]);
    expect(page!.box.map(Math.round)).toEqual([0, 0, 298, 420]);
    for (const text of [
      'Giao Hàng Nhanh',
      'Mã vận đơn: GHN123456789012',
      'Người gửi: Cửa hàng Thời trang Mộc',
      'Nguyễn Thị Hồng Nhung', // ị: Noto's ccmp would split it into i + a mark that copies out wrong
      '12 Lê Lợi, Phường Bến Nghé, Thành phố Hồ Chí Minh',
      'Thu hộ (COD): 750.000 ₫',
      '2 × AO-01 · Áo thun cổ tròn màu đỏ',
      'Ghi chú: Giao giờ hành chính, gọi trước khi đến',
      'Mã đơn: DH261204-1A2B3C4D',
    ])
      expect(page!.text).toContain(text);
    expect(code128InPdf(bytes)).toEqual(['GHN123456789012', 'DH261204-1A2B3C4D']);
  });

  test('When the order has no tracking code yet, then the label says so and carries only the order code', async () => {
    const bytes = await labelsPdf([{ ...order, trackingCode: null }], sender, 'A5');
    const [page] = await readPdf(bytes);
    expect(page!.box.map(Math.round)).toEqual([0, 0, 420, 595]);
    expect(page!.text).toContain('Chưa có mã vận đơn');
    expect(code128InPdf(bytes)).toEqual(['DH261204-1A2B3C4D']);
  });

  test('When a slip is drawn on K80, then it is 80 mm wide and as tall as its content, longer with more items', async () => {
    const short = (await readPdf(await packingSlipPdf(order, sender, 'K80')))[0]!;
    expect(short.box[2]).toBeCloseTo((80 / 25.4) * 72, 2);
    const many = { ...order, items: Array.from({ length: 12 }, (_, i) => ({ ...order.items[0]!, sku: `AO-${i}` })) };
    const long = (await readPdf(await packingSlipPdf(many, sender, 'K80')))[0]!;
    expect(long.box[3]).toBeGreaterThan(short.box[3]! + 100);
    expect(short.text).toContain('PHIẾU ĐÓNG GÓI');
    expect(short.text).toContain('Tổng tiền hàng: 720.000 ₫');
    expect(short.text).toContain('Số lượng: 3 sản phẩm');
  });

  test('When a batch is picked, then each SKU is summed over the orders, most first, with how many orders need it', async () => {
    const second = { ...order, id: 'DH2', items: [{ sku: 'QUAN-02', name: 'Quần jean ống đứng', qty: 3, price: 1, amount: 3 }] };
    expect(pickLines([order, second]).map((l) => [l.sku, l.qty, l.orders])).toEqual([
      ['QUAN-02', 4, ['DH261204-1A2B3C4D', 'DH2']],
      ['AO-01', 2, ['DH261204-1A2B3C4D']],
    ]);
    const [page] = await readPdf(await pickListPdf([order, second], sender, 'A4'));
    expect(page!.box.map(Math.round)).toEqual([0, 0, 595, 842]);
    expect(page!.text).toContain('QUAN-02 Quần jean ống đứng 4 2');
    expect(page!.text).toContain('2 đơn · 6 sản phẩm');
  });
});
