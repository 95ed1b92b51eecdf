import { loadDefinitionText, loadShopText } from '../../../definitions/loading/loader';
import { hasOwnEntry, isPrototypeName, ownEntry } from '../../../definitions/rules/own';
import { evaluateWhen } from '../../../definitions/rules/conditions';
import { CLOSE_AND_DONE, errorsOf, positionOf, processYaml, shippedShop, shopText } from './helpers';

const PROTOTYPE_IDS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

describe('own-property lookups', () => {
  test.each(PROTOTYPE_IDS)('When "%s" is looked up in a record, then it is no entry', (id) => {
    const shop = shippedShop();
    for (const record of [shop.roles, shop.channels, shop.couriers, {}, JSON.parse('{"a":1}')]) {
      expect(ownEntry(record, id)).toBeUndefined();
      expect(hasOwnEntry(record, id)).toBe(false);
    }
  });

  test('When an id is the record’s own, then it is found; non-text ids never are', () => {
    const shop = shippedShop();
    expect(ownEntry(shop.roles, 'sales')?.title).toBeTruthy();
    expect(hasOwnEntry(shop.channels, 'website')).toBe(true);
    expect(ownEntry(shop.roles, ['sales'])).toBeUndefined();
    expect(ownEntry(null, 'sales')).toBeUndefined();
    // A record that went through JSON with a "__proto__" key keeps it as its own key.
    expect(ownEntry(JSON.parse('{"__proto__":{"x":1}}'), '__proto__')).toEqual({ x: 1 });
  });

  test('When a condition’s fact is a prototype name, then it is no fact', () => {
    expect(
      evaluateWhen({ all: [{ field: 'order.constructor' as never, op: 'eq', value: 'x' }], any: [] }, { order: { codAmount: 1 } } as never),
    ).toBe(false);
    expect(isPrototypeName('constructor')).toBe(true);
    expect(isPrototypeName('sales')).toBe(false);
  });
});

describe('definitions with prototype names as ids', () => {
  test.each(PROTOTYPE_IDS)('When shop.yaml names a role "%s", then it is refused at that key', (id) => {
    const text = shopText().replace(/^  roles:\n/m, `  roles:\n    ${id}: { title: "X", permissions: ["*"], scope: all }\n`);
    const errors = errorsOf(loadShopText(text, 'shop.yaml'));
    expect(errors).toEqual([
      expect.objectContaining({
        path: `spec.roles.${id}`,
        ...positionOf(text, `${id}: { title: "X"`),
        message: expect.stringContaining(`"${id}" is a reserved name`),
      }),
    ]);
  });

  test('When shop.yaml names a channel "constructor", then it is refused', () => {
    const text = shopText().replace(/^  channels:\n/m, '  channels:\n    constructor: { title: "X" }\n');
    expect(errorsOf(loadShopText(text, 'shop.yaml')).map((e) => e.path)).toEqual(['spec.channels.constructor']);
  });

  test('When a stage id is "toString", then it is refused at the id', () => {
    const text = processYaml(`${CLOSE_AND_DONE}
    - id: toString
      kind: end
      title: "Lạ"
`);
    const errors = errorsOf(loadDefinitionText(text, 'order.yaml', shippedShop()));
    expect(errors).toEqual([
      expect.objectContaining({
        path: expect.stringMatching(/^spec\.stages\[\d+\]\.id$/),
        ...positionOf(text, 'toString'),
        message: expect.stringContaining('"toString" is a reserved name'),
      }),
    ]);
  });

  test('When a stage names a role "constructor", then it is an unknown role, not Object', () => {
    const text = processYaml(CLOSE_AND_DONE.replace('role: sales', 'role: constructor'));
    const errors = errorsOf(loadDefinitionText(text, 'order.yaml', shippedShop()));
    expect(errors.map((e) => e.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^unknown role "constructor"/)]));
  });
});
