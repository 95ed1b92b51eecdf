import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeForm, skusIn, validateFormData } from '../../../definitions/tasks/forms';
import { loadDefinitionText } from '../../../definitions/loading/loader';
import { bindingsOf, FIGURE_NAMES, figuresFrom } from '../../../definitions/orders/figures';
import type { CompiledHumanStage, CompiledOrderProcess, DefinitionError } from '../../../definitions/types';
import { DEFINITIONS_DIR, errorAt, errorsOf, orderText, ORDER_FILE, processYaml, shippedShop } from './helpers';

const shop = shippedShop();
const load = (text: string) => loadDefinitionText(text, 'test.yaml', shop);
const compiled = (text: string): CompiledOrderProcess => {
  const result = load(text);
  if (!result.ok) throw new Error(result.errors.map((e: DefinitionError) => `${e.path}: ${e.message}`).join('\n'));
  return result.value as CompiledOrderProcess;
};
const human = (process: CompiledOrderProcess, id: string) => process.stages[id] as CompiledHumanStage;

/** A process whose only task has the given form lines and `sets` (YAML at stage-key indentation). */
const withForm = (form: string, extra = '') =>
  processYaml(`    - id: close
      kind: human
      role: sales
      title: "Chốt đơn"
      sla: 1h
${form}${extra}      on: { closed: done }
    - { id: done, kind: end, title: "Xong", result: completed }
`);

describe('forms are closed', () => {
  it('When the YAML forgets additionalProperties, then the compiled form (nested objects and list items too) still refuses undeclared fields at their paths', () => {
    const process = compiled(
      withForm(`      form:
        type: object
        properties:
          weightGrams: { type: integer }
          box: { type: object, properties: { size: { type: string } } }
          lines: { type: array, items: { type: object, properties: { sku: { type: string } } } }
`),
    );
    const form = human(process, 'close').outcomes[0]!.form;
    expect(form.additionalProperties).toBe(false);
    expect(validateFormData(form, { weightGrams: 900 })).toEqual([]);
    expect(validateFormData(form, { weightGrams: 900, codAmount: 0, newAddress: '99 Trần Hưng Đạo' }).sort()).toEqual([
      expect.stringMatching(/^codAmount: unknown key "codAmount" .*allowed here: weightGrams, box(,| and) lines/),
      expect.stringMatching(/^newAddress: unknown key "newAddress"/),
    ]);
    expect(validateFormData(form, { box: { size: 'M', colour: 'red' } })).toEqual([expect.stringMatching(/^box\.colour: unknown key/)]);
    expect(validateFormData(form, { lines: [{ sku: 'A', price: 1 }] })).toEqual([expect.stringMatching(/^lines\[0\]\.price: unknown key/)]);
  });

  it('When a stage or outcome has no form, then its outcomes accept no fields at all', () => {
    const process = compiled(withForm(''));
    expect(validateFormData(human(process, 'close').outcomes[0]!.form, {})).toEqual([]);
    expect(validateFormData(human(process, 'close').outcomes[0]!.form, { codAmount: 1 })).toEqual([
      expect.stringMatching(/^codAmount: unknown key/),
    ]);
  });

  it('When a form stored before closing existed is validated, then it is treated as closed (running orders keep their snapshots)', () => {
    const old = { type: 'object', properties: { weightGrams: { type: 'integer' } } };
    expect(validateFormData(old, { weightGrams: 1, codAmount: 0 })).toEqual([expect.stringMatching(/^codAmount: unknown key/)]);
    expect(old).toEqual({ type: 'object', properties: { weightGrams: { type: 'integer' } } }); // not changed in place
  });

  it('When a field is declared only inside anyOf/allOf, then it still counts as declared; if/not are left as written', () => {
    const form = closeForm({
      type: 'object',
      properties: { phone: { type: 'string' } },
      anyOf: [{ required: ['phone'] }, { properties: { zalo: { type: 'string' } }, required: ['zalo'] }],
      if: { required: ['phone'], properties: { phone: { const: 'x' } } },
      then: { required: ['phone'] },
    });
    expect(validateFormData(form, { zalo: 'z' })).toEqual([]);
    expect(validateFormData(form, { phone: '1', other: 1 })).toEqual([expect.stringMatching(/^other: unknown key/)]);
    expect((form.if as Record<string, unknown>).additionalProperties).toBeUndefined();
  });

  it('When a form says additionalProperties: true, then loading refuses it: a form is closed', () => {
    const text = withForm(`      form:
        type: object
        additionalProperties: true
        properties: { note: { type: string } }
`);
    expect(errorAt(errorsOf(load(text)), 'spec.stages[0].form.additionalProperties').message).toMatch(/^a form is closed/);
  });

  it('When the shipped processes are compiled, then every object in every outcome form is closed', () => {
    const open: string[] = [];
    const walk = (schema: unknown, at: string): void => {
      if (Array.isArray(schema)) return schema.forEach((s, i) => walk(s, `${at}[${i}]`));
      if (!schema || typeof schema !== 'object') return;
      const node = schema as Record<string, unknown>;
      if ((node.type === 'object' || node.properties) && node.additionalProperties !== false) open.push(at);
      for (const [k, v] of Object.entries(node)) if (!['enum', 'const', 'default', 'required'].includes(k)) walk(v, `${at}.${k}`);
    };
    for (const stage of Object.values(compiled(orderText()).stages)) {
      if (stage.kind === 'human') stage.outcomes.forEach((o) => walk(o.form, `${stage.id}.${o.name}`));
    }
    const complaint = loadDefinitionText(readFileSync(join(DEFINITIONS_DIR, 'processes/complaint.yaml'), 'utf8'), 'complaint.yaml', shop);
    if (!complaint.ok) throw new Error('the shipped complaint process does not load');
    const c = complaint.value as {
      intake: { form: unknown };
      outcomes: Array<{ name: string; form: unknown; followUp?: { form: unknown } }>;
    };
    walk(c.intake.form, 'intake');
    c.outcomes.forEach((o) => {
      walk(o.form, o.name);
      walk(o.followUp?.form, `${o.name}.followUp`);
    });
    expect(open).toEqual([]);
  });
});

describe('which fields change order figures is declared', () => {
  const process = compiled(orderText());

  it('When the shipped packing form is compiled, then it sets only the parcel figures; COD and address are not among them', () => {
    const packed = human(process, 'pack').outcomes[0]!;
    expect(packed.sets).toEqual({ weightGrams: 'weightGrams', lengthCm: 'lengthCm', widthCm: 'widthCm', heightCm: 'heightCm' });
    expect(
      figuresFrom(bindingsOf(packed), { weightGrams: 900, lengthCm: 20, widthCm: 15, heightCm: 10, codAmount: 0, newAddress: '99' }),
    ).toEqual({ weightGrams: 900, lengthCm: 20, widthCm: 15, heightCm: 10 });
  });

  it('When CSKH types a new address on a failed delivery, then it sets the street line of the parcel; blank sets nothing', () => {
    const redeliver = human(process, 'call-customer').outcomes.find((o) => o.name === 'redeliver')!;
    expect(figuresFrom(bindingsOf(redeliver), { reachedCustomer: true, reason: 'not-home', newAddress: '88 Nguyễn Huệ' })).toEqual({
      'shippingAddress.street': '88 Nguyễn Huệ',
    });
    expect(figuresFrom(bindingsOf(redeliver), { reachedCustomer: true, reason: 'not-home', newAddress: ' ' })).toEqual({});
  });

  it('When an outcome has its own form, then it sets nothing unless it says so ("lost" does not inherit the closing bindings)', () => {
    const [closed, lost] = human(process, 'close').outcomes;
    expect(closed!.sets).toMatchObject({ codAmount: 'codAmount', items: 'items', shippingAddress: 'shippingAddress' });
    expect(lost!.sets).toEqual({});
  });

  it('When a field named like a figure is in a form but not bound, then it changes nothing', () => {
    const p = compiled(
      withForm(
        `      form:
        type: object
        properties: { codAmount: { type: integer }, note: { type: string } }
`,
        `      sets: { note: note }
`,
      ),
    );
    expect(figuresFrom(bindingsOf(human(p, 'close').outcomes[0]!), { codAmount: 0, note: 'gọi trước' })).toEqual({ note: 'gọi trước' });
  });

  it('When a snapshot predates bindings, then only figure fields its own form declares count (never undeclared ones)', () => {
    const legacy = { form: { type: 'object', properties: { weightGrams: { type: 'integer' }, newAddress: { type: 'string' } } } };
    expect(bindingsOf(legacy)).toEqual({ weightGrams: 'weightGrams', 'shippingAddress.street': 'newAddress' });
  });

  it('When items are bound, then their sku is marked as a catalogue SKU and found in the data at its path', () => {
    const closed = human(process, 'close').outcomes[0]!;
    const data = {
      items: [
        { sku: 'AO-01', name: 'Áo', qty: 1, price: 1 },
        { sku: 'kem-chong-nang', name: 'Kem', qty: 1, price: 1 },
      ],
    };
    expect(skusIn(closed.form, data)).toEqual([
      { path: 'items[0].sku', sku: 'AO-01' },
      { path: 'items[1].sku', sku: 'kem-chong-nang' },
    ]);
    const restocked = human(process, 'receive-return').outcomes[0]!;
    expect(skusIn(restocked.form, { condition: 'intact', restockedItems: [{ sku: 'X', qty: 1 }] })).toEqual([
      { path: 'restockedItems[0].sku', sku: 'X' },
    ]);
    expect(skusIn(human(process, 'pack').outcomes[0]!.form, { weightGrams: 1 })).toEqual([]);
  });

  it('When a form marks another field format: sku, then it is a SKU too', () => {
    expect(
      skusIn(closeForm({ type: 'object', properties: { missing: { type: 'array', items: { type: 'string', format: 'sku' } } } }), {
        missing: ['A', 'B'],
      }),
    ).toEqual([
      { path: 'missing[0]', sku: 'A' },
      { path: 'missing[1]', sku: 'B' },
    ]);
  });

  it('When the JSON Schema lists the figures a form may set, then it lists exactly the ones the workflow knows', () => {
    const schema = JSON.parse(readFileSync(join(DEFINITIONS_DIR, 'schema/order-process.schema.json'), 'utf8'));
    expect(Object.keys(schema.definitions.sets.properties).sort()).toEqual([...FIGURE_NAMES].sort());
  });
});

describe('checking the bindings', () => {
  const form = `      form:
        type: object
        properties:
          cod: { type: string }
          amount: { type: integer }
          address: { type: object, properties: { street: { type: string }, province: { type: string } } }
          lines: { type: array, items: { type: object, required: [sku], properties: { sku: { type: string }, qty: { type: integer } } } }
`;

  it('When a binding names a field the form lacks, then the error points at it with a suggestion', () => {
    const errors = errorsOf(
      load(
        withForm(
          form,
          `      sets: { codAmount: amout }
`,
        ),
      ),
    );
    expect(errorAt(errors, 'spec.stages[0].sets.codAmount').message).toMatch(
      /set from field "amout", which this form does not have \(did you mean "amount"\?\)/,
    );
  });

  it('When a binding has the wrong type or shape, then it is refused with what the figure needs', () => {
    const errors = errorsOf(
      load(
        withForm(
          form,
          `      sets: { codAmount: cod, shippingAddress: amount, items: lines, shippingAddress.street: address }
`,
        ),
      ),
    );
    expect(errorAt(errors, 'spec.stages[0].sets.codAmount').message).toMatch(
      /field "cod" cannot set "codAmount" .*: it must be type: integer/,
    );
    expect(errorAt(errors, 'spec.stages[0].sets.shippingAddress').message).toMatch(/it must be type: object/);
    expect(errorAt(errors, 'spec.stages[0].sets.items').message).toMatch(/qty must be a required integer/);
    expect(errorAt(errors, 'spec.stages[0].sets["shippingAddress.street"]').message).toMatch(/it must be type: string/);
  });

  it('When a binding names an unknown figure, then the schema refuses it with the known ones', () => {
    const errors = errorsOf(
      load(
        withForm(
          form,
          `      sets: { codAmonut: amount }
`,
        ),
      ),
    );
    expect(errorAt(errors, 'spec.stages[0].sets.codAmonut').message).toMatch(
      /unknown key "codAmonut" \(did you mean "codAmount"\?\) — allowed here: codAmount/,
    );
  });

  it('When an outcome with its own form binds a field, then it is checked against that form', () => {
    const text = processYaml(`    - id: close
      kind: human
      role: sales
      title: "Chốt đơn"
      sla: 1h
      on:
        closed:
          to: done
          form: { type: object, properties: { cod: { type: integer } } }
          sets: { codAmount: cod, note: memo }
    - { id: done, kind: end, title: "Xong", result: completed }
`);
    expect(errorAt(errorsOf(load(text)), 'spec.stages[0].on.closed.sets.note').message).toMatch(
      /field "memo", which this form does not have/,
    );
  });

  it('When the shipped order process is loaded, then its bindings check out', () => {
    expect(load(orderText()).ok).toBe(true);
    expect(loadDefinitionText(orderText(), ORDER_FILE, shop).ok).toBe(true);
  });
});
