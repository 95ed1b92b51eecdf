import { checkPack, classifyScan, expectedLines, type ScanInBox } from '../../../server/packing/scan-check';

const order = expectedLines([
  { sku: 'AO-01', name: 'Áo thun', qty: 2 },
  { sku: 'QUAN-02', name: 'Quần jean', qty: 1 },
  { sku: 'AO-01', name: 'Áo thun', qty: 1 }, // the same SKU on a second line
  { sku: null, name: 'Quà tặng', qty: 1 }, // no SKU: cannot be scanned
]);
let nextId = 1;
const scan = (sku: string | null, barcode = sku ?? 'UNKNOWN'): ScanInBox => ({ id: nextId++, sku, barcode });

describe('scan to pack', () => {
  test('When the order lists a SKU twice and a line without SKU, then the box needs the SKU once with both quantities and skips the other', () => {
    expect(order).toEqual([
      { sku: 'AO-01', name: 'Áo thun', qty: 3 },
      { sku: 'QUAN-02', name: 'Quần jean', qty: 1 },
    ]);
  });

  test('When every item is scanned in its quantity, then the box matches', () => {
    const result = checkPack(order, [scan('AO-01'), scan('QUAN-02'), scan('AO-01'), scan('AO-01')]);
    expect(result.matched).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.lines.map((l) => [l.sku, l.scanned])).toEqual([
      ['AO-01', 3],
      ['QUAN-02', 1],
    ]);
  });

  test('When nothing is scanned yet, then every line is missing, in the packer’s words', () => {
    const result = checkPack(order, []);
    expect(result.matched).toBe(false);
    expect(result.problems.map((p) => [p.kind, p.message])).toEqual([
      ['missing', 'AO-01 (Áo thun): còn thiếu 3 (đơn cần 3, đã quét 0)'],
      ['missing', 'QUAN-02 (Quần jean): còn thiếu 1 (đơn cần 1, đã quét 0)'],
    ]);
  });

  test('When a product not in the order and an unknown barcode are scanned, then each is a wrong item with its scans', () => {
    const wrong = scan('MU-09');
    const unknown = scan(null, '8930000000017');
    const result = checkPack(order, [scan('AO-01'), scan('AO-01'), scan('AO-01'), scan('QUAN-02'), wrong, unknown]);
    expect(result.matched).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({
        kind: 'wrong-item',
        sku: 'MU-09',
        scanIds: [wrong.id],
        message: 'MU-09 không có trong đơn (1 cái) — lấy ra khỏi hộp',
      }),
      expect.objectContaining({
        kind: 'wrong-item',
        sku: null,
        barcode: '8930000000017',
        scanIds: [unknown.id],
        message: 'mã vạch 8930000000017 không thuộc sản phẩm nào (1 lần quét) — lấy ra khỏi hộp',
      }),
    ]);
  });

  test('When an item is scanned more times than ordered, then the surplus scans are named', () => {
    const scans = [scan('QUAN-02'), scan('QUAN-02'), scan('AO-01'), scan('AO-01'), scan('AO-01')];
    const result = checkPack(order, scans);
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'too-many', sku: 'QUAN-02', expected: 1, scanned: 2, scanIds: [scans[1]!.id] }),
    ]);
    expect(result.problems[0]!.message).toBe('QUAN-02 (Quần jean): thừa 1 (đơn cần 1, đã quét 2)');
  });

  test('When one more scan comes, then it is ok while the line has room, too-many after, wrong-item for anything else', () => {
    expect(classifyScan(order, [], 'QUAN-02')).toBe('ok');
    expect(classifyScan(order, [scan('QUAN-02')], 'QUAN-02')).toBe('too-many');
    expect(classifyScan(order, [scan('AO-01'), scan('AO-01')], 'AO-01')).toBe('ok');
    expect(classifyScan(order, [], 'MU-09')).toBe('wrong-item');
    expect(classifyScan(order, [], null)).toBe('wrong-item');
  });
});
