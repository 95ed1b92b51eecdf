import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ORDER_STAGE_KINDS } from '../../../definitions/orders/stages';

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
