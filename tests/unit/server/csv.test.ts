import { csvCell, csvLine, toCsvText } from '../../../server/http/csv';
import { parseCsv } from '../../../server/books/csv-export';

describe('the one CSV writer', () => {
  test.each([
    ['=1+1', `"'=1+1"`],
    ['+84912345678', `"'+84912345678"`],
    ["-2+3+cmd|' /C calc'!A0", `"'-2+3+cmd|' /C calc'!A0"`],
    ['-5', `"'-5"`],
    ['@SUM(A1:A2)', `"'@SUM(A1:A2)"`],
    ['\t=1+1', `"'\t=1+1"`],
    ['\r=1+1', `"'\r=1+1"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ])('When text starts like a formula (%j), then it is prefixed with a quote and quoted', (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  test('When a value is a real number, then it is written as that number, negative ones included', () => {
    expect(csvLine([-5, 0, 12.5, 300000, Number.NaN])).toBe('-5,0,12.5,300000,');
  });

  test('When text holds commas, quotes or line breaks, then it is quoted; plain text, null and undefined are left as they are', () => {
    expect(csvLine(['a,b', 'say "hi"', 'x\ny', 'Nguyễn Thị Ánh', null, undefined, 'a=b'])).toBe(
      '"a,b","say ""hi""","x\ny",Nguyễn Thị Ánh,,,a=b',
    );
  });

  test('When lines are written, then they end in CRLF with a BOM unless asked otherwise, and read back as the same text', () => {
    const text = toCsvText([
      ['name', 'note'],
      ['=cmd', 'ok, fine'],
    ]);
    expect(text).toBe('\uFEFFname,note\r\n"\'=cmd","ok, fine"\r\n');
    expect(toCsvText([['a']], { bom: false })).toBe('a\r\n');
    expect(parseCsv(text)).toEqual([
      ['name', 'note'],
      ["'=cmd", 'ok, fine'],
    ]);
  });
});
