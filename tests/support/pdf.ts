/**
 * Reading the PDFs the API prints: text through pdf.js (Mozilla's parser, as a browser shows the
 * file), page boxes, and the Code 128 symbols read back from the bars drawn in the page content.
 */
import zlib from 'node:zlib';
// pdf.js 3's legacy build: CommonJS, so jest's CommonJS tests can load it (pdf.js 4+ is ES modules only).
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.js';
import { PATTERNS, decodeCode128Values } from '../../server/packing/code128';

export interface PdfPage {
  /** [x0, y0, x1, y1] in points. */
  box: number[];
  text: string;
}

/** Every page's box and text (text items joined by spaces, whitespace collapsed). */
export async function readPdf(bytes: Uint8Array): Promise<PdfPage[]> {
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: PdfPage[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    const text = content.items
      .map((i: object) => ('str' in i ? String(i.str) : ''))
      .join(' ')
      .replace(/\s+/g, ' ');
    pages.push({ box: [...page.view], text });
  }
  await doc.destroy();
  return pages;
}

/**
 * The Code 128 texts drawn in the file: the filled rectangles of each content stream, grouped
 * into rows of equal top and height (a barcode's bars), measured in modules (the narrowest bar)
 * and decoded symbol by symbol. Rows that are not Code 128 (QR modules) are left out.
 */
export function code128InPdf(bytes: Uint8Array): string[] {
  const raw = Buffer.from(bytes).toString('latin1');
  const found: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index! + m[0].length;
    const end = raw.indexOf('endstream', start);
    let content: string;
    try {
      content = zlib.inflateSync(Buffer.from(raw.slice(start, end), 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    const rows = new Map<string, Array<{ x: number; w: number }>>();
    for (const r of content.matchAll(/(-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+) re/g)) {
      const [x, y, w, h] = r.slice(1, 5).map(Number) as [number, number, number, number];
      if (h < 10) continue; // QR modules and rules
      const key = `${y.toFixed(2)}:${h.toFixed(2)}`;
      rows.set(key, [...(rows.get(key) ?? []), { x, w }]);
    }
    for (const bars of rows.values()) {
      const text = decodeRow(bars.sort((a, b) => a.x - b.x));
      if (text !== undefined) found.push(text);
    }
  }
  return found;
}

function decodeRow(bars: Array<{ x: number; w: number }>): string | undefined {
  if (bars.length < 10) return undefined;
  const module = Math.min(...bars.map((b) => b.w));
  const widths: number[] = [];
  bars.forEach((b, i) => {
    if (i > 0) widths.push(Math.round((b.x - (bars[i - 1]!.x + bars[i - 1]!.w)) / module));
    widths.push(Math.round(b.w / module));
  });
  const symbols: number[] = [];
  for (let i = 0; i + 6 <= widths.length; i += 6) {
    const rest = widths.slice(i).join('');
    if (rest === PATTERNS[106]) {
      symbols.push(106);
      break;
    }
    const value = PATTERNS.indexOf(widths.slice(i, i + 6).join(''));
    if (value < 0) return undefined;
    symbols.push(value);
  }
  try {
    return decodeCode128Values(symbols);
  } catch {
    return undefined;
  }
}
