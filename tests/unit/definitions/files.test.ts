import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefinitionFile, loadDefinitionsDir, loadShopFile, MAX_DEFINITION_BYTES } from '../../../definitions/loading/loader';
import { parseYamlSource } from '../../../definitions/loading/yaml-source';
import { CLOSE_AND_DONE, DEFINITIONS_DIR, errorsOf, orderText, processYaml, shippedShop, shopText } from './helpers';

/** The shipped shop without its store channel's process (for sets that hold no store sale). */
const shopWithoutStoreSale = () => shopText().replace('store: { title: "Cửa hàng", process: store-sale }', 'store: { title: "Cửa hàng" }');

describe('loading definition files and folders', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shopflow-definitions-'));
    mkdirSync(join(dir, 'processes'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('When a folder holds a valid shop and processes, then all are compiled', async () => {
    write('shop.yaml', shopText());
    write('processes/order.yaml', orderText());
    write('processes/quick.yml', processYaml(CLOSE_AND_DONE));
    // The shipped shop's store channel runs the store sale, so the set holds it too.
    write('processes/store-sale.yaml', readFileSync(join(DEFINITIONS_DIR, 'processes/store-sale.yaml'), 'utf8'));
    write('processes/notes.txt', 'not a definition');
    const loaded = await loadDefinitionsDir(dir);
    expect(loaded.errors).toEqual([]);
    expect(loaded.definitions.map((d) => d.value.name).sort()).toEqual(['standard-order', 'store-sale', 'test-order']);
    expect(loaded.definitions[0].file).toBe(join(dir, 'processes/order.yaml'));
  });

  it('When two processes share a name, then the second is reported at its metadata.name', async () => {
    write('shop.yaml', shopWithoutStoreSale());
    write('processes/a.yaml', processYaml(CLOSE_AND_DONE));
    const second = write('processes/b.yaml', processYaml(CLOSE_AND_DONE));
    const loaded = await loadDefinitionsDir(dir);
    expect(loaded.definitions).toHaveLength(1);
    expect(loaded.errors).toEqual([
      {
        file: second,
        line: 3,
        col: 19,
        path: 'metadata.name',
        message: expect.stringMatching(/^OrderProcess "test-order" is already defined in .*a\.yaml/),
      },
    ]);
  });

  it('When shop.yaml is broken, then process files are still checked and all errors come back together', async () => {
    write('shop.yaml', shopText().replace('currency: VND', 'currency: dong'));
    const process = write('processes/order.yaml', processYaml(CLOSE_AND_DONE.replace('sla: 2s', 'sla: later')));
    const loaded = await loadDefinitionsDir(dir);
    expect(loaded.shop).toBeNull();
    expect(loaded.definitions).toEqual([]);
    expect(loaded.errors.map((e) => [e.file.endsWith('shop.yaml') ? 'shop' : e.file === process ? 'process' : e.file, e.path])).toEqual([
      ['process', 'spec.stages[0].sla'],
      ['shop', 'spec.profile.currency'],
    ]);
  });

  it('When shop.yaml is missing, then that is reported', async () => {
    const loaded = await loadDefinitionsDir(dir);
    expect(loaded.errors).toEqual([{ file: join(dir, 'shop.yaml'), line: 1, col: 1, path: '', message: 'file not found' }]);
  });

  it('When a file on disk is larger than 256 KiB, then it is refused before being read', async () => {
    const path = write('processes/huge.yaml', `# ${'x'.repeat(MAX_DEFINITION_BYTES)}\n`);
    const errors = errorsOf(await loadDefinitionFile(path, shippedShop()));
    expect(errors).toEqual([{ file: path, line: 1, col: 1, path: '', message: expect.stringMatching(/limited to 256 KiB/) }]);
  });

  it('When single files are loaded, then loadShopFile and loadDefinitionFile give the same results as the text loaders', async () => {
    const shop = await loadShopFile(write('shop.yaml', shopText()));
    if (!shop.ok) throw new Error(JSON.stringify(shop.errors));
    const order = await loadDefinitionFile(write('processes/order.yaml', orderText()), shop.value);
    expect(order.ok && order.value.name).toBe('standard-order');
  });
});

describe('YAML aliases', () => {
  it('When an alias sits inside the node its anchor names (a cycle), then the file is refused at the alias, and an ordinary shared anchor still loads', () => {
    for (const text of ['&a [*a, *a]', 'spec: &s\n  stages:\n    - next: *s\n']) {
      const parsed = parseYamlSource(text, 'loop.yaml');
      expect(parsed).toEqual({
        ok: false,
        errors: [
          expect.objectContaining({ file: 'loop.yaml', message: expect.stringMatching(/alias \*\w+ refers to the node it sits in/) }),
        ],
      });
    }
    const shared = parseYamlSource('form: &f { fields: [a] }\nother: *f\n', 'ok.yaml');
    expect(shared.ok && shared.source.data).toEqual({ form: { fields: ['a'] }, other: { fields: ['a'] } });
  });
});
