import { validateFormData } from '../../../definitions/tasks/forms';
import { loadDefinitionText } from '../../../definitions/loading/loader';
import type { CompiledHumanStage, CompiledOrderProcess } from '../../../definitions/types';
import { orderText, ORDER_FILE, shippedShop } from './helpers';

describe('validating the data staff submit for a task', () => {
  const result = loadDefinitionText(orderText(), ORDER_FILE, shippedShop());
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const close = (result.value as CompiledOrderProcess).stages.close as CompiledHumanStage;
  const closed = close.outcomes[0].form;
  const lost = close.outcomes[1].form;

  const goodOrder = {
    customerName: 'Nguyễn Văn A',
    phone: '0901234567',
    items: [{ sku: 'AO-01', name: 'Áo thun', qty: 2, price: 150000 }],
    shippingAddress: { street: '12 Lê Lợi', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
    codAmount: 300000,
  };

  it('When the closing form is filled in correctly, then there are no problems', () => {
    expect(validateFormData(closed, goodOrder)).toEqual([]);
  });

  it('When fields are missing or wrong, then each problem is a sentence with its field path', () => {
    const bad = { ...goodOrder, items: [{ sku: 'AO-01', name: 'Áo', qty: 0, price: 1 }], shippingAddress: { street: 'x', ward: 'y' } };
    delete (bad as Partial<typeof goodOrder>).codAmount;
    expect(validateFormData(closed, bad).sort()).toEqual([
      'codAmount: missing required key "codAmount"',
      'items[0].qty: must be at least 1, not 0',
      'shippingAddress.province: missing required key "province"',
    ]);
  });

  it('When the order is lost, then only a reason is needed', () => {
    expect(validateFormData(lost, { reason: 'price' })).toEqual([]);
    expect(validateFormData(lost, { reason: 'cheap' })[0]).toMatch(/^reason: "cheap" is not allowed here — allowed: price, no-answer/);
  });
});

describe('figures beyond what an order can hold', () => {
  const form = {
    type: 'object',
    properties: {
      codAmount: { type: 'number', minimum: 0 },
      items: {
        type: 'array',
        items: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'integer' }, price: { type: 'number' } } },
      },
    },
  } as const;

  test('When a number has a typo of extra zeros and the form sets no maximum, then it is refused with its path', () => {
    expect(validateFormData(form as never, { codAmount: 350_000_000_000_000 })).toEqual([
      'codAmount: must be between -2147483647 and 2147483647, not 350000000000000',
    ]);
    expect(validateFormData(form as never, { items: [{ sku: 'A', qty: 1, price: 1e300 }] })).toEqual([
      'items[0].price: must be between -2147483647 and 2147483647, not 1e+300',
    ]);
  });

  test('When each line is in range but the items add up beyond an order total, then the total is refused', () => {
    // 3 lines of 1,000 × 1,000,000 VND = 3,000,000,000 VND > 2,147,483,647.
    const items = [1, 2, 3].map((n) => ({ sku: `S${n}`, qty: 1000, price: 1_000_000 }));
    expect(validateFormData(form as never, { items })).toEqual([
      'items: the items add up to 3000000000 VND, more than the 2147483647 an order may hold',
    ]);
    expect(validateFormData(form as never, { items: items.slice(0, 2), codAmount: 2_000_000_000 })).toEqual([]);
  });
});
