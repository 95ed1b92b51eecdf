/**
 * The one CSV writer every export uses (books, purchases, COD mismatches, KPI periods), so a
 * spreadsheet never runs text staff or customers typed as a formula (OWASP "CSV injection").
 */

/**
 * Characters a spreadsheet reads as the start of a formula (or that Excel strips before looking
 * again): `=`, `+`, `-`, `@`, tab and carriage return.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell. A value of type number (a real figure) is written as the number, `-5` included; any
 * text that starts like a formula — `-2+3+cmd|' /C calc'!A0` as much as `=1+1` — is prefixed with
 * `'` and quoted, so it is shown as the text it is. RFC 4180 quoting for commas, quotes and line
 * breaks.
 */
export function csvCell(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint') return String(value);
  const text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(text)) return `"'${text.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line of cells, comma-separated, without its line break. */
export function csvLine(cells: readonly unknown[]): string {
  return cells.map(csvCell).join(',');
}

/**
 * Lines to CSV text, CRLF-terminated (RFC 4180). `bom` (default on) prefixes a UTF-8 BOM so
 * Excel opens Vietnamese text correctly.
 */
export function toCsvText(lines: readonly (readonly unknown[])[], options: { bom?: boolean } = {}): string {
  return `${options.bom === false ? '' : '\uFEFF'}${lines.map(csvLine).join('\r\n')}\r\n`;
}
