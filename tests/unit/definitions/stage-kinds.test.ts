import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { effectsOf } from '../../../definitions/orders/figures';
import { ORDER_STAGE_KINDS } from '../../../definitions/orders/stages';
import { fillMessage } from '../../../definitions/orders/stages/notify';

const schema = JSON.parse(readFileSync(join(__dirname, '../../../definitions/schema/order-process.schema.json'), 'utf8')) as {
  definitions: { stage: { properties: { kind: { enum: string[] } }; allOf: Array<{ if: { properties: { kind: { const: string } } } }> } };
};

describe('order stage kinds: one registry', () => {
  test('When the JSON Schema lists stage kinds, then they are exactly the registry’s, in its order', () => {
    const registry = ORDER_STAGE_KINDS.map((k) => k.kind);
    expect(schema.definitions.stage.properties.kind.enum).toEqual(registry);
    expect(schema.definitions.stage.allOf.map((branch) => branch.if.properties.kind.const)).toEqual(registry);
  });

  test('When a kind is registered, then it is registered once', () => {
    const registry = ORDER_STAGE_KINDS.map((k) => k.kind);
    expect(new Set(registry).size).toBe(registry.length);
  });
});

describe('order stage kinds: one module each', () => {
  test('When a kind is registered, then its module brings its check, compile and run', () => {
    for (const kind of ORDER_STAGE_KINDS) {
      expect([kind.kind, typeof kind.check, typeof kind.compile, typeof kind.run]).toEqual([kind.kind, 'function', 'function', 'function']);
    }
  });

  test('When a task sets figures, then what they move is what ORDER_FIGURES declares, in FIGURE_EFFECTS order', () => {
    expect(effectsOf({ items: [], codAmount: 1 })).toEqual(['reserve-stock']);
    expect(effectsOf({ restockedItems: [], returnedItems: [] })).toEqual(['restock', 'returned-amount']);
    expect(effectsOf({ returnedItems: [] })).toEqual(['returned-amount']);
    expect(effectsOf({ codAmount: 0, shippingAddress: {}, note: 'x' })).toEqual([]);
    // A name that is not a figure (or one from the prototype) moves nothing.
    expect(effectsOf({ constructor: [], toString: [] } as never)).toEqual([]);
  });

  test('When a notify stage fills its message, then only the known placeholders are replaced', () => {
    const order = { orderId: 'DH1', customer: { name: 'Lan', phone: '0912345678' } };
    expect(fillMessage('{{order.code}}/{{ order.id }} {{customer.name}} {{customer.phone}} {{customer.address}}', order)).toBe(
      'DH1/DH1 Lan 0912345678 {{customer.address}}',
    );
  });

  test('When a wait stage runs, then it waits its duration on its clock and goes to next', async () => {
    const waits: unknown[] = [];
    const services = { waitFor: async (ms: number, clock: string) => void waits.push([ms, clock]) } as never;
    const wait = ORDER_STAGE_KINDS.find((k) => k.kind === 'wait')!;
    const next = await wait.run(
      { id: 'w', kind: 'wait', title: 'W', durationMs: 5000, clock: 'business', next: 'care' } as never,
      services,
      { seq: 1, record: {} },
    );
    expect([next, waits]).toEqual(['care', [[5000, 'business']]]);
  });
});
