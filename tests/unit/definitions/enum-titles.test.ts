/**
 * Human words for a form's choices: `x-shopflow.titles` names what staff read for each value of a
 * field's enum (the value stored stays the enum's). The shipped process titles every choice; a
 * title for a value the enum lacks, or titles on a field without an enum, are refused at their path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadDefinitionText } from '../../../definitions/loading/loader';
import type { CompiledHumanStage, CompiledOrderProcess } from '../../../definitions/types';
import { DEFINITIONS_DIR, errorAt, errorsOf, orderText, ORDER_FILE, processWithCloseForm, shippedShop } from './helpers';

const shop = shippedShop();

const withForm = processWithCloseForm;

interface Field {
  enum?: unknown[];
  'x-shopflow'?: { titles?: Record<string, string> };
  properties?: Record<string, Field>;
  items?: Field;
}

/** Every field with an enum in a form, with where it is. */
function enumFields(form: Field, at: string, out: Array<[string, Field]> = []): Array<[string, Field]> {
  if (Array.isArray(form.enum)) out.push([at, form]);
  for (const [name, child] of Object.entries(form.properties ?? {})) enumFields(child, `${at}.${name}`, out);
  if (form.items) enumFields(form.items, `${at}[]`, out);
  return out;
}

test('When the shipped order process loads, then every choice of every form has a Vietnamese title', () => {
  const loaded = loadDefinitionText(orderText(), ORDER_FILE, shop);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const stages = Object.values((loaded.value as CompiledOrderProcess).stages).filter((s): s is CompiledHumanStage => s.kind === 'human');
  const fields = stages.flatMap((stage) => stage.outcomes.flatMap((o) => enumFields(o.form as Field, `${stage.id}.${o.name}`)));
  expect(fields.length).toBeGreaterThanOrEqual(5);
  for (const [where, field] of fields) {
    const titles = field['x-shopflow']?.titles ?? {};
    for (const value of field.enum!)
      expect([where, String(value), titles[String(value)] ?? null]).toEqual([where, String(value), expect.stringMatching(/\S/)]);
  }
  const lost = stages.find((s) => s.id === 'close')!.outcomes.find((o) => o.name === 'lost')!.form as Field;
  expect(lost.properties!.reason!['x-shopflow']!.titles!.price).toBe('Chê giá cao');
});

test('When titles name a value the enum lacks, are not texts, or sit on a field without an enum, then each is refused at its path', () => {
  const text = withForm(`          reason:
            type: string
            enum: [price, other]
            x-shopflow: { titles: { price: "Giá cao", pricey: "Đắt", other: "" } }
          note:
            type: string
            x-shopflow: { titles: { a: "A" } }
          via:
            type: string
            enum: [phone]
            x-shopflow: { titels: { phone: "Gọi" } }`);
  const errors = errorsOf(loadDefinitionText(text, 'bad.yaml', shop));
  expect(errorAt(errors, 'spec.stages[0].form.properties.reason.x-shopflow.titles.pricey').message).toMatch(
    /"pricey" is not a value of this field's enum.*price/,
  );
  expect(errorAt(errors, 'spec.stages[0].form.properties.note.x-shopflow.titles').message).toMatch(/field with an enum/);
  expect(errorAt(errors, 'spec.stages[0].form.properties.via.x-shopflow.titels').message).toMatch(/did you mean "titles"/);
});

test('When any shipped definition is read (processes and the shop-size templates), then every choice of every enum has a title', () => {
  const files = readdirSync(DEFINITIONS_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));
  expect(files.some((f) => f.startsWith('templates'))).toBe(true);
  const untitled: string[] = [];
  const walk = (node: unknown, at: string, file: string): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((child, i) => walk(child, `${at}.${i}`, file));
    const field = node as Field;
    if (Array.isArray(field.enum) && field.enum.every((v) => typeof v === 'string')) {
      const titles = field['x-shopflow']?.titles ?? {};
      for (const value of field.enum as string[]) if (!Object.hasOwn(titles, value)) untitled.push(`${file} ${at} ${value}`);
    }
    for (const [key, child] of Object.entries(node)) walk(child, `${at}.${key}`, file);
  };
  for (const file of files)
    for (const doc of parseAllDocuments(readFileSync(join(DEFINITIONS_DIR, file), 'utf8'))) walk(doc.toJSON(), '', file);
  expect(untitled).toEqual([]);
});
