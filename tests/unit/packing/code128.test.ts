import fc from 'fast-check';
import {
  CODE_B,
  CODE_C,
  Code128Error,
  PATTERNS,
  START_B,
  START_C,
  STOP,
  checkSymbol,
  code128Values,
  code128Widths,
  decodeCode128Values,
} from '../../../server/packing/code128';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('Code 128 symbol table', () => {
  test('When the table is read, then it has the 107 symbols, each 11 modules (the stop 13) of 3 bars and 3 spaces, all different', () => {
    expect(PATTERNS).toHaveLength(107);
    expect(new Set(PATTERNS).size).toBe(107);
    PATTERNS.forEach((p, value) => {
      const widths = [...p].map(Number);
      expect(widths.every((w) => w >= 1 && w <= 4)).toBe(true);
      expect(widths).toHaveLength(value === STOP ? 7 : 6);
      expect(sum(widths)).toBe(value === STOP ? 13 : 11);
    });
  });

  test('When each symbol is split into bars and spaces, then its bars have an even and its spaces an odd number of modules (the parity scanners check)', () => {
    for (const p of PATTERNS.slice(0, STOP)) {
      const widths = [...p].map(Number);
      expect(sum(widths.filter((_, i) => i % 2 === 0)) % 2).toBe(0);
      expect(sum(widths.filter((_, i) => i % 2 === 1)) % 2).toBe(1);
    }
  });
});

describe('Code 128 payloads', () => {
  test('When an order code is encoded, then it is start B, each character as its value (ASCII − 32), the check symbol and stop', () => {
    // "PJJ123C": P=48 J=42 J=42 1=17 2=18 3=19 C=35 (a 3-digit run stays in set B).
    // Check: (104 + 48·1 + 42·2 + 42·3 + 17·4 + 18·5 + 19·6 + 35·7) mod 103 = 879 mod 103 = 55.
    expect(code128Values('PJJ123C')).toEqual([START_B, 48, 42, 42, 17, 18, 19, 35, 55, STOP]);
  });

  test('When the text is all digits, then it is written two digits a symbol in set C', () => {
    // (105 + 1·1 + 23·2 + 45·3 + 67·4 + 89·5) mod 103 = 1000 mod 103 = 73.
    expect(code128Values('0123456789')).toEqual([START_C, 1, 23, 45, 67, 89, 73, STOP]);
  });

  test('When a tracking code ends in a long run of digits, then the run switches to set C (shorter bars on an 80 mm label)', () => {
    const values = code128Values('GHN123456789012');
    expect(values.slice(0, 5)).toEqual([START_B, 'G'.charCodeAt(0) - 32, 'H'.charCodeAt(0) - 32, 'N'.charCodeAt(0) - 32, CODE_C]);
    expect(values.slice(5, 11)).toEqual([12, 34, 56, 78, 90, 12]);
    expect(values).toHaveLength(13);
    // An odd run puts its first digit in B, the rest in C.
    expect(code128Values('DH26120412345')).toEqual(expect.arrayContaining([CODE_C]));
    expect(decodeCode128Values(code128Values('DH26120412345'))).toBe('DH26120412345');
  });

  test('When a run of digits is followed by letters, then set C is left with CODE B', () => {
    const values = code128Values('123456AB');
    expect(values.slice(0, 5)).toEqual([START_C, 12, 34, 56, CODE_B]);
    expect(decodeCode128Values(values)).toBe('123456AB');
  });

  test('When any printable ASCII text is encoded, then decoding its symbols gives the same text and the check symbol holds', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ -~]{1,40}$/), (text) => {
        const values = code128Values(text);
        expect(values[values.length - 1]).toBe(STOP);
        expect(values[values.length - 2]).toBe(checkSymbol(values.slice(0, -2)));
        expect(decodeCode128Values(values)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  test('When the bar widths are drawn, then they are the symbols’ patterns: 11 modules a symbol plus the 13-module stop', () => {
    const text = 'DH261204-1A2B3C4D';
    const values = code128Values(text);
    const widths = code128Widths(text);
    expect(sum(widths)).toBe(11 * (values.length - 1) + 13);
    expect(widths.slice(0, 6).join('')).toBe(PATTERNS[START_B]);
    expect(widths.slice(-7).join('')).toBe('2331112');
  });

  test('When a check symbol is wrong, then decoding refuses it', () => {
    const values = code128Values('ABC');
    values[values.length - 2] = (values[values.length - 2]! + 1) % 103;
    expect(() => decodeCode128Values(values)).toThrow(/check symbol/);
  });

  test('When the text has Vietnamese letters or is empty, then it is refused (codes on labels are ASCII)', () => {
    expect(() => code128Values('Đơn-1')).toThrow(Code128Error);
    expect(() => code128Values('')).toThrow(Code128Error);
  });
});
