import { createGhnAdapter } from '../../../activities/shipping/couriers/ghn';
import { createGhtkAdapter } from '../../../activities/shipping/couriers/ghtk';
import { codMatch } from '../../../db/books/cod';
import { documentNumber } from '../../../db/books/documents';
import { localYear } from '../../../definitions/rules/local-day';
import { mergeLines } from '../../../db/books/stock-ledger';
import { CsvError, parseAmount, parseCsv, parseRemittanceCsv, toCsv } from '../../../server/books/csv-export';

describe('document numbers', () => {
  test('When numbers are made, then they carry the kind, the year and six digits', () => {
    expect(documentNumber('purchase', 2026, 1)).toBe('PN-2026-000001');
    expect(documentNumber('sale', 2026, 123456)).toBe('HD-2026-123456');
    expect(documentNumber('return', 2027, 42)).toBe('TH-2027-000042');
  });
  test('When an instant is late on 31 December UTC, then its year is the next one in Vietnam (UTC+7)', () => {
    expect(localYear(new Date('2026-12-31T17:30:00Z'), 420)).toBe(2027);
    expect(localYear(new Date('2026-12-31T16:59:59Z'), 420)).toBe(2026);
  });
});

describe('COD matching', () => {
  test.each([
    [{ orderFound: false, delivered: false, expected: 0, collected: 100 }, 'unknown_order'],
    [{ orderFound: true, delivered: false, expected: 300_000, collected: 300_000 }, 'not_delivered'],
    [{ orderFound: true, delivered: true, expected: 300_000, collected: 250_000 }, 'short'],
    [{ orderFound: true, delivered: true, expected: 300_000, collected: 310_000 }, 'over'],
    [{ orderFound: true, delivered: true, expected: 300_000, collected: 300_000 }, 'matched'],
  ])('When %o is reported, then the verdict is %s', (input, verdict) => {
    expect(codMatch(input)).toBe(verdict);
  });
});

describe('stock lines', () => {
  test('When an order lists a SKU twice and an empty line, then they are added up and the empty one dropped', () => {
    expect(
      mergeLines([
        { sku: 'A', qty: 1 },
        { sku: 'B', qty: 0 },
        { sku: 'A', qty: 2 },
        { sku: '', qty: 3 },
      ]),
    ).toEqual([{ sku: 'A', qty: 3 }]);
  });
});

describe('CSV', () => {
  test('When cells hold commas, quotes, newlines or formulas, then they are quoted and formulas neutralised, with a BOM for Excel', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['=1+1', -5],
          ['line\nbreak', null],
        ],
      ),
    ).toBe('\uFEFFa,b\r\n"x,y","say ""hi"""\r\n"\'=1+1",-5\r\n"line\nbreak",\r\n');
  });
  test('When a CSV is parsed, then quoted fields, CRLF and a BOM are handled and blank lines dropped', () => {
    expect(parseCsv('\uFEFFa,b\r\n"1,5","x""y"\r\n\r\n3;4\n')).toEqual([
      ['a', 'b'],
      ['1,5', 'x"y'],
      ['3', '4'],
    ]);
    expect(() => parseCsv('a,"b\n1,2')).toThrow(CsvError);
  });
  test.each([
    ['300000', 300_000],
    ['300.000', 300_000],
    ['1,250,000', 1_250_000],
    ['300 000', 300_000],
    ['', 0],
    ['-5', undefined],
    ['12.5', undefined],
    ['abc', undefined],
  ])('When the amount is "%s", then it reads as %s', (raw, amount) => {
    expect(parseAmount(raw)).toBe(amount);
  });
  test('When a remittance file has Vietnamese headers, then its lines are read', () => {
    expect(parseRemittanceCsv('Mã đơn hàng,Mã vận đơn,Tiền thu hộ,Phí\nord-1,GHN1,"300.000",15000\n,GHN2,0,0\n')).toEqual([
      { orderCode: 'ord-1', trackingCode: 'GHN1', codCollected: 300_000, fee: 15_000 },
      { trackingCode: 'GHN2', codCollected: 0, fee: 0 },
    ]);
  });
  test('When a remittance file is malformed, then every bad line is named and nothing is returned', () => {
    expect(() => parseRemittanceCsv('order_code,cod_collected\nord-1,abc\n,5\n')).toThrow(
      'line 2: COD "abc" is not an amount in VND; line 3: no order code or tracking code',
    );
    expect(() => parseRemittanceCsv('foo,bar\n1,2\n')).toThrow(/no order code/);
    expect(() => parseRemittanceCsv('order_code,cod\n')).toThrow(/at least one line/);
  });
});

describe('COD facts in courier webhooks', () => {
  test('When GHN sends CODTransferDate, then the event says when the COD was paid over; without it, nothing is said', () => {
    const adapter = createGhnAdapter({ id: 'ghn', baseUrl: 'http://127.0.0.1:9/shiip/public-api', webhookSecret: 's' });
    const body = {
      Type: 'switch_status',
      OrderCode: 'LK1',
      ClientOrderCode: 'SO-1',
      Status: 'delivered',
      Time: '2026-11-20T10:00:00+07:00',
      CODAmount: 300000,
    };
    const paid = adapter.parseWebhook({
      headers: { token: 's' },
      query: {},
      body: { ...body, CODTransferDate: '2026-11-22T09:00:00+07:00' },
    })[0]!;
    expect(paid).toMatchObject({ codAmount: 300000, codTransferredAt: '2026-11-22T02:00:00.000Z' });
    const notYet = adapter.parseWebhook({ headers: { token: 's' }, query: {}, body: { ...body, CODTransferDate: null } })[0]!;
    expect(notYet.codTransferredAt).toBeUndefined();
  });
  test('When GHTK reports status 6 (đã đối soát), then the COD is reconciled at that time; status 5 (delivered, not reconciled) is not', () => {
    const adapter = createGhtkAdapter({ id: 'ghtk', baseUrl: 'http://127.0.0.1:9', webhookSecret: 'h', pickup: {} });
    const form = (status: string) => ({
      partner_id: 'SO-2',
      label_id: 'S1.A1.1',
      status_id: status,
      action_time: '2026-11-21T16:30:00+07:00',
      pick_money: '470000',
      hash: 'h',
    });
    expect(adapter.parseWebhook({ headers: {}, query: {}, body: form('6') })[0]).toMatchObject({
      state: 'delivered',
      codAmount: 470000,
      codTransferredAt: '2026-11-21T09:30:00.000Z',
    });
    expect(adapter.parseWebhook({ headers: {}, query: {}, body: form('5') })[0]!.codTransferredAt).toBeUndefined();
  });
});
