/**
 * CSV for the books: writing the spreadsheets accounting exports, and reading a courier's COD
 * remittance file. Pure functions (unit-tested).
 */
import type { RemittanceLineInput } from '../../db/books/cod';
import { toCsvText } from '../http/csv';

/** Lines to CSV text with a BOM, so Excel opens UTF-8 Vietnamese text correctly (the one writer: ./csv). */
export function toCsv(header: string[], rows: unknown[][]): string {
  return toCsvText([header, ...rows]);
}

/** RFC 4180 records (quoted fields may hold commas, quotes and newlines). Throws on an unclosed quote. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',' || c === ';') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new CsvError('a quoted field is never closed', records.length + 1);
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => r.some((f) => f.trim() !== ''));
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line ? `line ${line}: ${message}` : message);
  }
}

/** Header names couriers and shops use for each column (compared without case, spaces, _ or -). */
const COLUMNS: Record<keyof Omit<RemittanceLineInput, never>, string[]> = {
  orderCode: ['ordercode', 'clientordercode', 'madonhang', 'madon', 'partnerid', 'order'],
  trackingCode: ['trackingcode', 'mavandon', 'label', 'labelid', 'tracking'],
  codCollected: ['codcollected', 'cod', 'codamount', 'tienthuho', 'collected'],
  fee: ['fee', 'fees', 'phi', 'shippingfee', 'totalfee'],
  transferredAt: ['transferredat', 'codtransferdate', 'ngaychuyen', 'transferdate'],
};
const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[\s_\-.]/g, '');

/** A VND amount: 300000, 300.000, 300,000 or "300 000"; never negative. */
export function parseAmount(raw: string): number | undefined {
  const text = raw.trim();
  if (text === '') return 0;
  const plain = /^\d{1,3}([.,\s]\d{3})+$/.test(text) ? text.replace(/[.,\s]/g, '') : text;
  if (!/^\d+$/.test(plain)) return undefined;
  return Number(plain);
}

/**
 * A courier remittance file: a header row naming the columns (order code and/or tracking code,
 * COD collected, fee, optional transfer date), then one row per parcel. Every bad row is
 * reported with its line number; nothing is returned unless all rows are good.
 */
export function parseRemittanceCsv(text: string): RemittanceLineInput[] {
  const records = parseCsv(text);
  if (records.length < 2) throw new CsvError('expected a header row and at least one line', records.length + 1);
  const header = records[0]!.map(norm);
  const index = Object.fromEntries(
    Object.entries(COLUMNS).map(([key, names]) => [key, header.findIndex((h) => names.includes(h))]),
  ) as Record<keyof RemittanceLineInput, number>;
  if (index.orderCode < 0 && index.trackingCode < 0)
    throw new CsvError('the header names no order code (order_code) or tracking code (tracking_code) column', 1);
  if (index.codCollected < 0) throw new CsvError('the header names no COD column (cod_collected)', 1);
  const problems: string[] = [];
  const lines: RemittanceLineInput[] = [];
  records.slice(1).forEach((r, i) => {
    const line = i + 2;
    const cell = (k: keyof RemittanceLineInput) => (index[k] >= 0 ? (r[index[k]] ?? '').trim() : '');
    const cod = parseAmount(cell('codCollected'));
    const fee = parseAmount(cell('fee'));
    const transferred = cell('transferredAt');
    if (!cell('orderCode') && !cell('trackingCode')) problems.push(`line ${line}: no order code or tracking code`);
    if (cod === undefined) problems.push(`line ${line}: COD "${cell('codCollected')}" is not an amount in VND`);
    if (fee === undefined) problems.push(`line ${line}: fee "${cell('fee')}" is not an amount in VND`);
    if (transferred && Number.isNaN(Date.parse(transferred))) problems.push(`line ${line}: transfer date "${transferred}" is not a date`);
    lines.push({
      ...(cell('orderCode') ? { orderCode: cell('orderCode') } : {}),
      ...(cell('trackingCode') ? { trackingCode: cell('trackingCode') } : {}),
      codCollected: cod ?? 0,
      fee: fee ?? 0,
      ...(transferred ? { transferredAt: new Date(transferred).toISOString() } : {}),
    });
  });
  if (problems.length) throw new CsvError(problems.join('; '));
  return lines;
}
