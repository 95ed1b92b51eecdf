/**
 * Forms that know the shop: the `x-shopflow` keyword (widget, default from a fact, sum) checked at
 * its path when a definition loads, resolved into a prefill from facts, and phone fields taking any
 * common spelling before the form validates them.
 */
import { loadDefinitionText } from '../../../definitions/loading/loader';
import { validateFormData } from '../../../definitions/tasks/forms';
import { FORM_FACT_NAMES, normalizeFormData, prefillSources, shapeFact, WIDGETS } from '../../../definitions/tasks/widgets';
import type { CompiledHumanStage, CompiledOrderProcess } from '../../../definitions/types';
import orderProcessSchema from '../../../definitions/schema/order-process.schema.json';
import { places } from '../../../server/places/places';
import { errorAt, errorsOf, orderText, ORDER_FILE, positionOf, processWithCloseForm, shippedShop } from './helpers';

const shop = shippedShop();
const shipped = loadDefinitionText(orderText(), ORDER_FILE, shop);
if (!shipped.ok) throw new Error(JSON.stringify(shipped.errors));
const close = (shipped.value as CompiledOrderProcess).stages.close as CompiledHumanStage;
const closeForm = close.outcomes[0]!.form;

/** A process whose close stage has the given form properties (YAML, indented for `properties:`). */
const withForm = processWithCloseForm;

describe('the x-shopflow keyword in a definition', () => {
  test('When the shipped order process is loaded, then its close form keeps the bindings: name and phone from the lead, the product picker, the address picker, COD as a sum', () => {
    const props = closeForm.properties as Record<string, Record<string, unknown>>;
    expect(props.customerName!['x-shopflow']).toEqual({ default: { from: 'lead.customer.name' } });
    expect(props.phone!['x-shopflow']).toEqual({ widget: 'phone', default: { from: 'lead.customer.phone' } });
    expect(props.items!['x-shopflow']).toEqual({ widget: 'product-picker' });
    expect(props.shippingAddress!['x-shopflow']).toEqual({ widget: 'address', default: { from: 'lead.customer.address' } });
    expect(props.codAmount!['x-shopflow']).toEqual({ widget: 'money', sum: ['items', 'shippingFee', '-prepaid'] });
    expect(prefillSources(closeForm).map((s) => `${s.field}←${s.from}`)).toEqual([
      'customerName←lead.customer.name',
      'phone←lead.customer.phone',
      'shippingAddress←lead.customer.address',
    ]);
  });

  test('When the definition schema lists widgets and facts, then they are the ones the loader knows', () => {
    const binding = orderProcessSchema.definitions.fieldBinding.properties;
    expect(binding.widget.enum).toEqual([...WIDGETS]);
    expect(binding.default.properties.from.enum).toEqual([...FORM_FACT_NAMES]);
  });

  test('When a binding names an unknown fact, then validation refuses it at its path and position', () => {
    const text = withForm('          phone: { type: string, x-shopflow: { widget: phone, default: { from: lead.customer.phnoe } } }');
    const errors = errorsOf(loadDefinitionText(text, 'bad.yaml', shop));
    const error = errorAt(errors, 'spec.stages[0].form.properties.phone.x-shopflow.default.from');
    expect(error.message).toContain('lead.customer.phone');
    expect({ line: error.line, col: error.col }).toEqual(positionOf(text, 'lead.customer.phnoe'));
  });

  test('When a widget does not fit its field, or a fact cannot fill it, then each is refused with a sentence at its path', () => {
    const text = withForm(`          codAmount: { type: string, x-shopflow: { widget: money } }
          phone: { type: integer, x-shopflow: { default: { from: lead.customer.phone } } }
          items: { type: array, items: { type: object, properties: { sku: { type: string }, qty: { type: integer } } } }
          total: { type: integer, x-shopflow: { sum: [items, shipingFee] } }`);
    const errors = errorsOf(loadDefinitionText(text, 'bad.yaml', shop));
    expect(errorAt(errors, 'spec.stages[0].form.properties.codAmount.x-shopflow.widget').message).toBe(
      'widget "money" does not fit this field: a money field must be type: integer (VND)',
    );
    expect(errorAt(errors, 'spec.stages[0].form.properties.phone.x-shopflow.default.from').message).toMatch(
      /^"lead.customer.phone" \(.*\) cannot fill this field: it is text, so the field must be type: string$/,
    );
    expect(errorAt(errors, 'spec.stages[0].form.properties.total.x-shopflow.sum[1]').message).toMatch(
      /^"shipingFee" is not a field beside this one — fields: /,
    );
    expect(errors.some((e) => e.path.includes('sum[0]'))).toBe(false); // items is a list of lines: it adds up
  });

  test('When x-shopflow has an unknown widget or part, then the schema refuses it at its path', () => {
    const text = withForm('          phone: { type: string, x-shopflow: { widget: telephone, prefill: yes } }');
    const errors = errorsOf(loadDefinitionText(text, 'bad.yaml', shop));
    expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(['spec.stages[0].form.properties.phone.x-shopflow.widget']));
    expect(
      errors.some((e) => e.path.startsWith('spec.stages[0].form.properties.phone.x-shopflow') && /prefill/.test(e.message + e.path)),
    ).toBe(true);
  });
});

describe('phone fields in any common spelling', () => {
  const good = {
    customerName: 'Nguyễn Văn A',
    items: [{ sku: 'AO-01', name: 'Áo thun', qty: 1, price: 150000 }],
    shippingAddress: { street: '12 Lê Lợi', ward: 'Phường Sài Gòn', province: 'Hồ Chí Minh' },
    codAmount: 150000,
  };

  test.each(['0912 345 678', '0912.345.678', '0912-345-678', '+84 912 345 678', '84912345678', '(+84) 912-345-678'])(
    'When the rep types "%s", then it is stored as 0912345678 and the close form accepts it',
    (typed) => {
      const data = normalizeFormData(closeForm, { ...good, phone: typed }) as Record<string, unknown>;
      expect(data.phone).toBe('0912345678');
      expect(validateFormData(closeForm, data)).toEqual([]);
    },
  );

  test('When the phone is no Vietnamese number, then it is left as typed and the form refuses it at its field', () => {
    const data = normalizeFormData(closeForm, { ...good, phone: '12 34' });
    expect((data as { phone: string }).phone).toBe('12 34');
    expect(validateFormData(closeForm, data)).toEqual([expect.stringMatching(/^phone: /)]);
  });

  test('When a field has no phone widget, then its text is not touched', () => {
    const data = normalizeFormData(closeForm, { ...good, phone: '0912 345 678', customerName: '0912 345 678' });
    expect((data as { customerName: string }).customerName).toBe('0912 345 678');
  });
});

describe('resolving a prefill from facts', () => {
  const parse = (text: string) => places().parseAddress(text);
  const props = closeForm.properties as Record<string, Record<string, unknown>>;

  test('When the lead wrote its address on one line, then the address picker gets the street, the ward and the province it names', () => {
    expect(shapeFact(props.shippingAddress!, '12 Lê Lợi, Phường Sài Gòn, TP Hồ Chí Minh', parse)).toEqual({
      street: '12 Lê Lợi',
      ward: 'Phường Sài Gòn',
      province: 'Hồ Chí Minh',
    });
    // Without tone marks, with an old district in between (no longer a level): the district is dropped.
    expect(shapeFact(props.shippingAddress!, '5 Kim Mã, phuong Ba Dinh, Quận Ba Đình, Ha Noi', parse)).toEqual({
      street: '5 Kim Mã',
      ward: 'Phường Ba Đình',
      province: 'Hà Nội',
    });
    expect(shapeFact(props.shippingAddress!, 'gần chợ', parse)).toBeUndefined(); // names no province: shown, not guessed
  });

  test('When the lead wrote an address from before the 2025 reform, then its ward and province are read as what they became, and an ambiguous ward is left in the street', () => {
    expect(parse('12 Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh')).toEqual({
      street: '12 Lê Lợi',
      ward: 'Phường Sài Gòn',
      province: 'Hồ Chí Minh',
    });
    // "Phường 12" is in many old districts: Quận 10 says which.
    expect(parse('1 Đường 3/2, Phường 12, Quận 10, Hồ Chí Minh')).toEqual({
      street: '1 Đường 3/2',
      ward: 'Phường Hòa Hưng',
      province: 'Hồ Chí Minh',
    });
    expect(parse('1 Đường 3/2, Phường 12, Hồ Chí Minh')).toEqual({ street: '1 Đường 3/2, Phường 12', province: 'Hồ Chí Minh' });
    // Sóc Trăng is part of Cần Thơ now; a district is never taken for a ward.
    expect(parse('ấp 3, xã Tuân Tức, huyện Thạnh Trị, Sóc Trăng')).toEqual({ street: 'ấp 3', ward: 'Xã Lâm Tân', province: 'Cần Thơ' });
  });

  test("When a phone fact fills a phone field, then it is in the stored form; an order's items keep only the form's fields", () => {
    expect(shapeFact(props.phone!, '+84 912 345 678', parse)).toBe('0912345678');
    expect(shapeFact(props.items!, [{ sku: 'AO-01', name: 'Áo thun', qty: 2, price: 150000, amount: 300000, extra: true }], parse)).toEqual(
      [{ sku: 'AO-01', name: 'Áo thun', qty: 2, price: 150000 }],
    );
    expect(shapeFact(props.codAmount!, 'many', parse)).toBeUndefined();
    expect(shapeFact({ type: 'string' }, { street: '1 A', ward: 'Phường B', province: 'Huế' }, parse)).toBe('1 A, Phường B, Huế');
  });
});
