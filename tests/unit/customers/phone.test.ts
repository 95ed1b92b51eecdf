import { normalizePhone } from '../../../definitions/rules/phone';
import { withOneDefault } from '../../../server/customers/customers';
import { classifyCustomer } from '../../../definitions/rules/conditions';
import { customerFlags, segmentMetrics } from '../../../definitions/rules/customer-metrics';
import { shippedShop } from '../definitions/helpers';

describe('phone numbers: one stored form per customer', () => {
  test.each([
    ['0912345678', '0912345678'],
    ['0912 345 678', '0912345678'],
    ['0912.345.678', '0912345678'],
    ['0912-345-678', '0912345678'],
    ['(0912) 345 678', '0912345678'],
    ['+84912345678', '0912345678'],
    ['+84 912 345 678', '0912345678'],
    ['+84-912-345-678', '0912345678'],
    ['84912345678', '0912345678'],
    ['84 912 345 678', '0912345678'],
    ['02838123456', '02838123456'], // landline with an 11-digit area form
    ['+842838123456', '02838123456'],
  ])('When %s is given, then it is stored as %s', (raw, stored) => {
    expect(normalizePhone(raw)).toBe(stored);
  });

  test.each([
    ['912345678'], // no leading 0 or country code
    ['0012345678'], // 0 then 0
    ['091234567'], // too short
    ['091234567890'], // too long
    ['+1 650 555 0100'], // not Vietnamese
    ['0912abc678'],
    [''],
  ])('When %s is given, then it is not a Vietnamese number', (raw) => {
    expect(normalizePhone(raw)).toBeUndefined();
  });

  test('When the same number is written every accepted way, then all of them dedupe to one customer key', () => {
    const ways = ['0987654321', '098 765 4321', '098.765.4321', '+84987654321', '+84 98 765 43 21', '84987654321', '(098) 765-4321'];
    expect(new Set(ways.map(normalizePhone))).toEqual(new Set(['0987654321']));
  });
});

describe('customer addresses: exactly one default', () => {
  const hanoi = { street: '12 Hàng Bạc', ward: 'Hàng Bạc', province: 'Hà Nội' };
  const hcm = { street: '1 Lê Lợi', ward: 'Bến Nghé', district: 'Quận 1', province: 'TP. Hồ Chí Minh' };

  test('When no address is marked default, then the first one is', () => {
    expect(withOneDefault([hanoi, hcm]).map((a) => a.isDefault)).toEqual([true, false]);
  });

  test('When one address is marked default, then only it is', () => {
    expect(withOneDefault([hanoi, { ...hcm, isDefault: true }]).map((a) => a.isDefault)).toEqual([false, true]);
  });

  test('When two addresses are marked default, then it is an input error naming the field', () => {
    expect(() =>
      withOneDefault([
        { ...hanoi, isDefault: true },
        { ...hcm, isDefault: true },
      ]),
    ).toThrow(
      expect.objectContaining({ status: 422, details: { fields: [{ field: 'addresses', message: '2 addresses have isDefault: true' }] } }),
    );
  });
});

describe('segments from the shipped shop rules', () => {
  const shop = shippedShop();
  const history = (delivered: number, returned: number, value: number) => ({
    orders: delivered + returned,
    delivered,
    returned,
    deliveredValue12m: value,
    returnRate: delivered + returned ? returned / (delivered + returned) : 0,
  });
  const segment = (h: ReturnType<typeof history>, flags: string[] = [], orderValue?: number) =>
    classifyCustomer(shop.segments, segmentMetrics(h, flags, orderValue));

  test('When a customer has few small deliveries, then they are new; with 3 they are loyal; with 20 million VND in 12 months, VIP', () => {
    expect(segment(history(1, 0, 300_000))).toBe('new');
    expect(segment(history(3, 1, 900_000))).toBe('loyal');
    expect(segment(history(4, 0, 20_000_000))).toBe('vip');
  });

  test('When a customer is flagged wholesale or the delivered order is 10 million VND or more, then they are wholesale', () => {
    expect(customerFlags({ tags: ['zalo-group'], wholesale: true })).toEqual(['zalo-group', 'wholesale']);
    expect(segment(history(1, 0, 500_000), customerFlags({ tags: [], wholesale: true }))).toBe('wholesale');
    expect(segment(history(1, 0, 12_000_000), [], 12_000_000)).toBe('wholesale');
    expect(segment(history(1, 0, 12_000_000), [])).toBe('new'); // a return is not an order value
  });
});
