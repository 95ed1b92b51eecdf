import {
  chooseCourier,
  classifyCustomer,
  evaluateWhen,
  type CompiledCondition,
  type CompiledCourierRule,
  type WhenField,
} from '../../../definitions/rules/conditions';
import { shippedShop } from './helpers';

type When = CompiledCondition<WhenField>;
const when = (all: When['all'], any: When[] = []): When => ({ all, any });

describe('evaluateWhen', () => {
  const newCustomer = when([{ field: 'customer.segment', op: 'in', value: ['new'] }]);

  it('When the segment is in the list, then the condition holds', () => {
    expect(evaluateWhen(newCustomer, { customer: { segment: 'new' } })).toBe(true);
    expect(evaluateWhen(newCustomer, { customer: { segment: 'vip' } })).toBe(false);
  });

  it('When numbers are compared, then gt/gte/lt/lte behave as written', () => {
    const cod = (op: 'gt' | 'gte' | 'lt' | 'lte') => when([{ field: 'order.codAmount', op, value: 5_000_000 }]);
    const facts = { order: { codAmount: 5_000_000 } };
    expect([
      evaluateWhen(cod('gt'), facts),
      evaluateWhen(cod('gte'), facts),
      evaluateWhen(cod('lt'), facts),
      evaluateWhen(cod('lte'), facts),
    ]).toEqual([false, true, false, true]);
  });

  it('When several tests are listed, then all must hold', () => {
    const both = when([
      { field: 'order.channel', op: 'eq', value: 'facebook' },
      { field: 'order.total', op: 'gte', value: 1_000_000 },
    ]);
    expect(evaluateWhen(both, { order: { channel: 'facebook', total: 2_000_000 } })).toBe(true);
    expect(evaluateWhen(both, { order: { channel: 'facebook', total: 500_000 } })).toBe(false);
  });

  it('When any is given, then one of its conditions is enough', () => {
    const risky = when([], [newCustomer, when([{ field: 'customer.returnRate', op: 'gte', value: 0.3 }])]);
    expect(evaluateWhen(risky, { customer: { segment: 'loyal', returnRate: 0.5 } })).toBe(true);
    expect(evaluateWhen(risky, { customer: { segment: 'new', returnRate: 0 } })).toBe(true);
    expect(evaluateWhen(risky, { customer: { segment: 'loyal', returnRate: 0.1 } })).toBe(false);
  });

  it('When a fact is missing, then only ne and notIn hold', () => {
    const facts = {};
    expect(evaluateWhen(when([{ field: 'order.province', op: 'eq', value: 'Hà Nội' }]), facts)).toBe(false);
    expect(evaluateWhen(when([{ field: 'order.total', op: 'gt', value: 0 }]), facts)).toBe(false);
    expect(evaluateWhen(when([{ field: 'order.province', op: 'ne', value: 'Hà Nội' }]), facts)).toBe(true);
    expect(evaluateWhen(when([{ field: 'order.channel', op: 'notIn', value: ['zalo'] }]), facts)).toBe(true);
  });

  it('When text differs only in case, spacing or Unicode form, then it still matches', () => {
    const hanoi = when([{ field: 'order.province', op: 'in', value: ['Hà Nội'] }]);
    const decomposed = 'Hà Nội'.normalize('NFD');
    expect(evaluateWhen(hanoi, { order: { province: '  hà  nội ' } })).toBe(true);
    expect(evaluateWhen(hanoi, { order: { province: decomposed } })).toBe(true);
    expect(evaluateWhen(hanoi, { order: { province: 'Hải Phòng' } })).toBe(false);
  });

  it('When a boolean fact is compared, then eq and ne work', () => {
    expect(evaluateWhen(when([{ field: 'customer.isReturning', op: 'eq', value: true }]), { customer: { isReturning: true } })).toBe(true);
    expect(evaluateWhen(when([{ field: 'customer.isReturning', op: 'ne', value: true }]), { customer: { isReturning: true } })).toBe(false);
  });

  it('When the condition is empty, then it holds', () => {
    expect(evaluateWhen(when([]), {})).toBe(true);
  });
});

describe('chooseCourier', () => {
  const rule: CompiledCourierRule = {
    rules: [
      { when: when([{ field: 'order.weightGrams', op: 'gt', value: 20_000 }]), courier: 'ghtk' },
      { when: when([{ field: 'order.province', op: 'in', value: ['Hà Nội', 'Hồ Chí Minh'] }]), courier: 'ghn' },
    ],
    default: 'simulator',
  };

  it('When the first matching rule is found, then its courier is used', () => {
    expect(chooseCourier(rule, { order: { province: 'Hà Nội', weightGrams: 25_000 } })).toBe('ghtk');
    expect(chooseCourier(rule, { order: { province: 'Hà Nội', weightGrams: 500 } })).toBe('ghn');
  });

  it('When no rule matches, then the default courier is used', () => {
    expect(chooseCourier(rule, { order: { province: 'Cần Thơ', weightGrams: 500 } })).toBe('simulator');
  });
});

describe('classifyCustomer with the shipped segments', () => {
  const { segments } = shippedShop();

  it('When a customer received 20 million in 12 months, then they are vip', () => {
    expect(classifyCustomer(segments, { deliveredValue12m: 25_000_000, deliveredOrders: 5 })).toBe('vip');
  });

  it('When a customer is flagged wholesale or orders 10 million at once, then they are wholesale', () => {
    expect(classifyCustomer(segments, { flags: ['wholesale'] })).toBe('wholesale');
    expect(classifyCustomer(segments, { orderValue: 12_000_000 })).toBe('wholesale');
  });

  it('When a customer has 3 delivered orders, then they are loyal', () => {
    expect(classifyCustomer(segments, { deliveredOrders: 3, deliveredValue12m: 1_000_000, flags: [] })).toBe('loyal');
  });

  it('When nothing else matches, then the customer is new', () => {
    expect(classifyCustomer(segments, {})).toBe('new');
  });
});
