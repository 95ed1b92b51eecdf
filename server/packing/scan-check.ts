/**
 * Scan to pack: what the scans on a pack task say against the order's items. Pure, so the task
 * API (which enforces it when "Đã đóng gói" is sent) and the scan answer read the same check.
 */

/** A line the order agreed: the SKU and how many go in the box. */
export interface ExpectedLine {
  sku: string;
  name: string | null;
  qty: number;
}

/** One scan still in the box (removed scans are left out): what was typed, and the SKU it resolved to. */
export interface ScanInBox {
  id: number;
  barcode: string;
  /** Null: no product has this barcode or SKU. */
  sku: string | null;
}

/** What is wrong with the box, in the packer's words. */
export type PackProblem =
  | { kind: 'wrong-item'; barcode: string; sku: string | null; scanIds: number[]; message: string }
  | { kind: 'too-many'; sku: string; expected: number; scanned: number; scanIds: number[]; message: string }
  | { kind: 'missing'; sku: string; expected: number; scanned: number; message: string };

export interface PackCheck {
  lines: Array<ExpectedLine & { scanned: number }>;
  problems: PackProblem[];
  /** Every item scanned in its quantity and nothing else: "Đã đóng gói" may be sent. */
  matched: boolean;
}

/** The result a single new scan gets, given the scans before it (for its row and the packer's beep). */
export type ScanResult = 'ok' | 'wrong-item' | 'too-many';

/** Lines of the same SKU are one line (an order may list a SKU twice); lines without a SKU cannot be scanned and are left out. */
export function expectedLines(items: Array<{ sku: string | null; name: string | null; qty: number | null }>): ExpectedLine[] {
  const by = new Map<string, ExpectedLine>();
  for (const item of items) {
    if (!item.sku || !item.qty || item.qty < 1) continue;
    const line = by.get(item.sku);
    if (line) line.qty += item.qty;
    else by.set(item.sku, { sku: item.sku, name: item.name, qty: item.qty });
  }
  return [...by.values()];
}

/** What one more scan of `sku` would be, with `scans` already in the box. */
export function classifyScan(expected: readonly ExpectedLine[], scans: readonly ScanInBox[], sku: string | null): ScanResult {
  const line = sku === null ? undefined : expected.find((l) => l.sku === sku);
  if (!line) return 'wrong-item';
  const already = scans.filter((s) => s.sku === sku).length;
  return already < line.qty ? 'ok' : 'too-many';
}

/** The box against the order: per line how many were scanned, and every wrong item, surplus and shortfall. */
export function checkPack(expected: readonly ExpectedLine[], scans: readonly ScanInBox[]): PackCheck {
  const problems: PackProblem[] = [];
  const lines = expected.map((l) => ({ ...l, scanned: scans.filter((s) => s.sku === l.sku).length }));
  const wrong = new Map<string, ScanInBox[]>();
  for (const s of scans) {
    if (s.sku !== null && expected.some((l) => l.sku === s.sku)) continue;
    const key = s.sku ?? `barcode:${s.barcode}`;
    wrong.set(key, [...(wrong.get(key) ?? []), s]);
  }
  for (const group of wrong.values()) {
    const first = group[0]!;
    problems.push({
      kind: 'wrong-item',
      barcode: first.barcode,
      sku: first.sku,
      scanIds: group.map((s) => s.id),
      message: first.sku
        ? `${first.sku} không có trong đơn (${group.length} cái) — lấy ra khỏi hộp`
        : `mã vạch ${first.barcode} không thuộc sản phẩm nào (${group.length} lần quét) — lấy ra khỏi hộp`,
    });
  }
  for (const l of lines) {
    const label = l.name ? `${l.sku} (${l.name})` : l.sku;
    if (l.scanned > l.qty) {
      problems.push({
        kind: 'too-many',
        sku: l.sku,
        expected: l.qty,
        scanned: l.scanned,
        scanIds: scans
          .filter((s) => s.sku === l.sku)
          .map((s) => s.id)
          .slice(l.qty),
        message: `${label}: thừa ${l.scanned - l.qty} (đơn cần ${l.qty}, đã quét ${l.scanned})`,
      });
    } else if (l.scanned < l.qty) {
      problems.push({
        kind: 'missing',
        sku: l.sku,
        expected: l.qty,
        scanned: l.scanned,
        message: `${label}: còn thiếu ${l.qty - l.scanned} (đơn cần ${l.qty}, đã quét ${l.scanned})`,
      });
    }
  }
  return { lines, problems, matched: problems.length === 0 };
}
