import { validateFormData } from '../../../definitions/forms';
import { loadDefinitionText } from '../../../definitions/loader';
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
