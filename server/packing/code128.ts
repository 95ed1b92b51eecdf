/**
 * Code 128 (ISO/IEC 15417) for the order code and the courier's tracking code on slips and
 * labels. Pure: text in, symbol values and bar widths out; server/packing/pdf-draw.ts draws them.
 * Digit runs of 4 or more go in code set C (two digits a symbol, so long tracking numbers stay
 * short enough to scan on an 80 mm receipt); everything else in code set B (ASCII 32–126).
 */

/** Bar/space widths in modules of symbol values 0–106 (106 is the stop, with its final bar). */
export const PATTERNS: readonly string[] = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
]; // prettier-ignore

export const START_B = 104;
export const START_C = 105;
export const CODE_B = 100;
export const CODE_C = 99;
export const STOP = 106;

/** Why a text cannot be a Code 128 symbol here (outside ASCII 32–126, or empty). */
export class Code128Error extends Error {}

/** The symbol values of `text`: start, data (with code-set switches), check symbol, stop. */
export function code128Values(text: string): number[] {
  if (!text) throw new Code128Error('nothing to encode');
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 32 || c > 126) throw new Code128Error(`"${ch}" cannot be written in Code 128 set B or C`);
  }
  const digitsAt = (i: number) => {
    let n = 0;
    while (i + n < text.length && text[i + n]! >= '0' && text[i + n]! <= '9') n++;
    return n;
  };
  const values: number[] = [];
  let set: 'B' | 'C';
  const lead = digitsAt(0);
  // Start in C for a text that opens with 4+ digits (or is 2 digits exactly).
  if (lead >= 4 || (lead === text.length && lead % 2 === 0)) {
    set = 'C';
    values.push(START_C);
  } else {
    set = 'B';
    values.push(START_B);
  }
  let i = 0;
  while (i < text.length) {
    if (set === 'C') {
      const run = digitsAt(i);
      if (run >= 2) {
        values.push(Number(text.slice(i, i + 2)));
        i += 2;
        continue;
      }
      values.push(CODE_B);
      set = 'B';
      continue;
    }
    const run = digitsAt(i);
    // Switch to C for an inner run of 4+ digits, or 4+ that ends the text; an odd run keeps its first digit in B.
    if (run >= 4 && (i + run === text.length || run >= 6 || i === 0)) {
      if (run % 2 === 1) {
        values.push(text.charCodeAt(i) - 32);
        i += 1;
      }
      values.push(CODE_C);
      set = 'C';
      continue;
    }
    values.push(text.charCodeAt(i) - 32);
    i += 1;
  }
  values.push(checkSymbol(values), STOP);
  return values;
}

/** The check symbol: the start value plus each data value times its position, modulo 103. */
export function checkSymbol(startAndData: readonly number[]): number {
  return startAndData.reduce((sum, v, i) => sum + v * Math.max(i, 1), 0) % 103;
}

/** Bar and space widths (in modules), starting with a bar, of the whole symbol (no quiet zones). */
export function code128Widths(text: string): number[] {
  return code128Values(text).flatMap((v) => [...PATTERNS[v]!].map(Number));
}

/** The text a list of symbol values stands for (inverse of code128Values; throws on a bad check symbol). */
export function decodeCode128Values(values: readonly number[]): string {
  if (values.length < 3 || values[values.length - 1] !== STOP) throw new Code128Error('no stop symbol');
  const body = values.slice(0, -2);
  if (checkSymbol(body) !== values[values.length - 2]) throw new Code128Error('check symbol does not match');
  let set = body[0] === START_C ? 'C' : body[0] === START_B ? 'B' : undefined;
  if (!set) throw new Code128Error('starts neither in set B nor C');
  let text = '';
  for (const v of body.slice(1)) {
    if (set === 'C' && v === CODE_B) set = 'B';
    else if (set === 'B' && v === CODE_C) set = 'C';
    else if (set === 'C') text += String(v).padStart(2, '0');
    else text += String.fromCharCode(v + 32);
  }
  return text;
}
