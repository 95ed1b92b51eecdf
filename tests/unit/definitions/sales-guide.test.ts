/** SalesGuide: scripts and checklists attached to stages, checked against the shop, chosen per channel and segment. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinitionText } from '../../../definitions/loading/loader';
import { chooseGuide, missingRequired } from '../../../definitions/guides/choose';
import type { CompiledSalesGuide } from '../../../definitions/guides/types';
import { DEFINITIONS_DIR, errorAt, errorsOf, positionOf, shippedShop } from './helpers';

const FILE = 'guide.yaml';
const guideYaml = (guides: string) => `apiVersion: shopflow/v1
kind: SalesGuide
metadata: { name: guide, title: "Kịch bản" }
spec:
  guides:
${guides}
`;
const load = (text: string) => {
  const result = loadDefinitionText(text, FILE, shippedShop());
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value as CompiledSalesGuide;
};

describe('the SalesGuide kind', () => {
  it('When the shipped sales-guide.yaml is loaded, then every script is for the close or confirm step and has a version', () => {
    const guide = load(readFileSync(join(DEFINITIONS_DIR, 'processes', 'sales-guide.yaml'), 'utf8'));
    expect(guide.guides.map((g) => [g.id, g.version, g.stages])).toEqual([
      ['close-social-new', 1, ['close']],
      ['close-returning', 1, ['close']],
      ['close-default', 1, ['close']],
      ['confirm-call', 1, ['confirm']],
    ]);
    // Shipped: advice only, so no existing step is blocked; the templates require the address and COD checks.
    expect(guide.guides.flatMap((g) => g.checklist).filter((i) => i.required)).toEqual([]);
    const small = load(readFileSync(join(DEFINITIONS_DIR, 'templates', 'small', 'processes', 'sales-guide.yaml'), 'utf8'));
    expect(small.guides[0]!.checklist.filter((i) => i.required).map((i) => i.id)).toEqual(['confirm-address', 'confirm-cod']);
  });

  it('When guides are matched, then the first whose stage, process, channel and segment all hold wins', () => {
    const guide = load(
      guideYaml(`    - { id: fb-new, title: "FB mới", version: 2, stages: [close], channels: [facebook], segments: [new], script: "a" }
    - { id: wholesale, title: "Sỉ", version: 1, stages: [close], processes: [wholesale-order], script: "b" }
    - { id: any-close, title: "Chốt", version: 1, stages: [close], script: "c", checklist: [{ id: x, text: "X", required: true }, { id: y, text: "Y" }] }`),
    );
    const ctx = { stage: 'close', process: 'standard-order', channel: 'facebook', segment: 'new' };
    expect(chooseGuide(guide, ctx)?.id).toBe('fb-new');
    expect(chooseGuide(guide, { ...ctx, segment: 'vip' })?.id).toBe('any-close');
    expect(chooseGuide(guide, { ...ctx, segment: 'vip', process: 'wholesale-order' })?.id).toBe('wholesale');
    expect(chooseGuide(guide, { ...ctx, channel: null })?.id).toBe('any-close');
    expect(chooseGuide(guide, { ...ctx, stage: 'pack' })).toBeUndefined();
    expect(chooseGuide(undefined, ctx)).toBeUndefined();
    const anyClose = guide.guides[2]!;
    expect(missingRequired(anyClose, ['y']).map((i) => i.id)).toEqual(['x']);
    expect(missingRequired(anyClose, ['x'])).toEqual([]);
  });

  it('When a guide names an unknown channel or segment, repeats a script id or a checklist id, then each is reported at its position', () => {
    const text =
      guideYaml(`    - { id: a, title: "A", version: 1, stages: [close], channels: [facebok], segments: [vipp], script: "a", checklist: [{ id: x, text: "X" }, { id: x, text: "X2" }] }
    - { id: a, title: "A again", version: 2, stages: [close], script: "b" }`);
    const errors = errorsOf(loadDefinitionText(text, FILE, shippedShop()));
    expect(errorAt(errors, 'spec.guides[0].channels[0]')).toMatchObject({
      ...positionOf(text, 'facebok'),
      message: expect.stringContaining('unknown channel "facebok"'),
    });
    expect(errorAt(errors, 'spec.guides[0].segments[0]').message).toContain('unknown segment "vipp"');
    expect(errorAt(errors, 'spec.guides[0].checklist[1].id').message).toContain('listed twice');
    expect(errorAt(errors, 'spec.guides[1].id').message).toContain('raise its version instead');
  });

  it('When a guide lacks its version or stages, or has an unknown key, then the schema refuses it', () => {
    const errors = errorsOf(loadDefinitionText(guideYaml(`    - { id: a, title: "A", script: "a", requried: true }`), FILE, shippedShop()));
    const paths = errors.map((e) => `${e.path}: ${e.message}`).join('\n');
    expect(paths).toMatch(/version/);
    expect(paths).toMatch(/stages/);
    expect(paths).toMatch(/requried/);
  });
});
