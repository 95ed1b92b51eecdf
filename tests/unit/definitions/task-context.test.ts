/**
 * What a task shows and suggests (`x-shopflow: { show, suggest }` on a form's root), a field shown
 * only with a checkbox ticked (`when`), a fee computed from the shop's rules (`fee`, shop.yaml
 * `shippingFee`), and a sum that takes a field off (`-prepaid`): checked at their paths when a
 * definition loads, and applied when data is validated.
 */
import { loadDefinitionText } from '../../../definitions/loading/loader';
import { validateFormData } from '../../../definitions/tasks/forms';
import { contextSpecOf, CONTEXT_FACT_NAMES, suggestedOutcome } from '../../../definitions/tasks/context';
import { shippingFeeFor } from '../../../definitions/rules/shipping-fee';
import type { CompiledHumanStage, CompiledOrderProcess, CompiledShop } from '../../../definitions/types';
import orderProcessSchema from '../../../definitions/schema/order-process.schema.json';
import { errorAt, errorsOf, orderText, ORDER_FILE, processYaml, shippedShop } from './helpers';

const shop = shippedShop();
const shipped = loadDefinitionText(orderText(), ORDER_FILE, shop);
if (!shipped.ok) throw new Error(JSON.stringify(shipped.errors));
const stage = (id: string) => (shipped.value as CompiledOrderProcess).stages[id] as CompiledHumanStage;

/** A human stage with a form root binding and properties, two outcomes. */
const withRoot = (root: string, properties = '          note: { type: string }') =>
  processYaml(`    - id: call
      kind: human
      role: cskh
      title: "Gọi khách"
      sla: 2s
      form:
        type: object
        x-shopflow: ${root}
        properties:
${properties}
      on:
        redeliver: done
        return: done
    - { id: done, kind: end, title: "Xong", result: completed }
`);

describe('what the shipped stages show', () => {
  test('When the shipped process is loaded, then confirm, pack and the failed-delivery call show what their person needs, and the call suggests from the courier state', () => {
    expect(contextSpecOf(stage('confirm').form)?.show).toEqual(
      expect.arrayContaining(['order.items', 'order.shippingAddress', 'order.codAmount', 'customer.name', 'customer.phone']),
    );
    expect(contextSpecOf(stage('pack').form)?.show).toContain('order.items');
    const call = contextSpecOf(stage('call-customer').form)!;
    expect(call.show).toEqual(expect.arrayContaining(['shipment.state', 'shipment.reason']));
    const outcomes = stage('call-customer').outcomes.map((o) => o.name);
    expect(suggestedOutcome(call, outcomes, { 'shipment.state': 'returned' })).toBe('return');
    expect(suggestedOutcome(call, outcomes, { 'shipment.state': 'returning' })).toBe('return');
    expect(suggestedOutcome(call, outcomes, { 'shipment.state': 'delivery_failed' })).toBe('redeliver');
    expect(suggestedOutcome(call, outcomes, { 'shipment.state': 'lost' })).toBeNull();
    expect(suggestedOutcome(call, outcomes, {})).toBeNull();
    // A stage that suggests nothing preselects its forward outcome.
    expect(suggestedOutcome(contextSpecOf(stage('confirm').form), ['confirmed', 'cancelled'], {})).toBe('confirmed');
  });

  test('When the definition schema lists the facts a task shows, then they are the ones the loader knows', () => {
    expect(orderProcessSchema.definitions.fieldBinding.properties.show.items.enum).toEqual([...CONTEXT_FACT_NAMES]);
  });
});

describe('checks at their paths', () => {
  test('When show names an unknown fact, or a field carries show, then each is refused with a sentence', () => {
    const errors = errorsOf(loadDefinitionText(withRoot('{ show: [order.itmes] }'), 'bad.yaml', shop));
    expect(errorAt(errors, 'spec.stages[0].form.x-shopflow.show[0]').message).toContain('order.items');
    const onField = errorsOf(
      loadDefinitionText(
        withRoot('{ show: [order.items] }', '          note: { type: string, x-shopflow: { show: [order.items] } }'),
        'bad.yaml',
        shop,
      ),
    );
    expect(errorAt(onField, 'spec.stages[0].form.properties.note.x-shopflow.show').message).toContain('belongs on the form itself');
  });

  test('When suggest names an outcome the stage lacks or a fact it cannot test, then both are refused', () => {
    const errors = errorsOf(
      loadDefinitionText(
        withRoot('{ suggest: { retrun: { shipment.state: [returned] }, return: { order.items: [x] } } }'),
        'bad.yaml',
        shop,
      ),
    );
    expect(errorAt(errors, 'spec.stages[0].form.x-shopflow.suggest.retrun').message).toContain('"retrun" is not an outcome');
    expect(errorAt(errors, 'spec.stages[0].form.x-shopflow.suggest.return["order.items"]').message).toContain('cannot suggest');
  });

  test('When `when` names no checkbox or `fee` names no address, then each is refused', () => {
    const errors = errorsOf(
      loadDefinitionText(
        withRoot(
          '{ show: [order.items] }',
          `          flag: { type: string }
          newAddress: { type: string, x-shopflow: { when: flag } }
          fee: { type: integer, x-shopflow: { fee: { address: nowhere, total: fee } } }`,
        ),
        'bad.yaml',
        shop,
      ),
    );
    expect(errorAt(errors, 'spec.stages[0].form.properties.newAddress.x-shopflow.when').message).toContain('checkbox');
    expect(errorAt(errors, 'spec.stages[0].form.properties.fee.x-shopflow.fee.address').message).toContain('address field');
  });
});

describe('a field shown only with its checkbox ticked', () => {
  const form = stage('confirm').outcomes[0]!.form;
  const address = { street: '12 Lê Lợi', ward: 'Phường Sài Gòn', province: 'Hồ Chí Minh' };
  test('When "Khách đổi địa chỉ" is ticked without an address, then the address is required; given without the tick, it is refused', () => {
    expect(validateFormData(form, { confirmedVia: 'phone', addressChanged: true })).toEqual([
      expect.stringMatching(/^newShippingAddress: required when "Khách đổi địa chỉ"/),
    ]);
    expect(validateFormData(form, { confirmedVia: 'phone', newShippingAddress: address })).toEqual([
      expect.stringMatching(/^newShippingAddress: only with/),
    ]);
    expect(validateFormData(form, { confirmedVia: 'phone', addressChanged: true, newShippingAddress: address })).toEqual([]);
    expect(validateFormData(form, { confirmedVia: 'phone' })).toEqual([]);
  });

  test('When the confirm outcome completes, then the new address is the order figure it sets', () => {
    expect(stage('confirm').outcomes[0]!.sets).toMatchObject({ shippingAddress: 'newShippingAddress' });
  });
});

describe("the shop's shipping fee", () => {
  const rules = (shop as CompiledShop).shippingFee!;
  test('When the shipped shop.yaml is compiled, then it carries the fee rules: flat, by province, free over a total', () => {
    expect(rules).toEqual({ flat: 35000, provinces: { 'Hà Nội': 25000, 'Hồ Chí Minh': 25000, 'Đà Nẵng': 30000 }, freeOver: 1000000 });
  });
  test('When the fee is computed, then a province rule wins over flat (TP. prefix aside), and a total from freeOver up ships free', () => {
    expect(shippingFeeFor(rules, 'Hà Nội', 300000)).toBe(25000);
    expect(shippingFeeFor(rules, 'TP. Hồ Chí Minh', 300000)).toBe(25000);
    expect(shippingFeeFor(rules, 'Cần Thơ', 300000)).toBe(35000);
    expect(shippingFeeFor(rules, undefined, undefined)).toBe(35000);
    expect(shippingFeeFor(rules, 'Cần Thơ', 1000000)).toBe(0);
  });
  test('When the close form is compiled, then the fee field is computed from the address and items, and COD takes off what was paid ahead', () => {
    const props = stage('close').outcomes[0]!.form.properties as Record<string, Record<string, unknown>>;
    expect(props.shippingFee!['x-shopflow']).toEqual({ widget: 'money', fee: { address: 'shippingAddress', total: 'items' } });
    expect(props.codAmount!['x-shopflow']).toEqual({ widget: 'money', sum: ['items', 'shippingFee', '-prepaid'] });
  });
});
