/** The shop-size templates under definitions/templates/: each is a full valid set for the real loader. */
import { join } from 'node:path';
import { loadDefinitionsDir } from '../../../definitions/loading/loader';
import { formatDefinitionError } from '../../../definitions/loading/errors';
import { workingRole } from '../../../definitions/shop/handled-by';
import { checkDefinitionSet } from '../../../server/shop/definition-set';
import { listTemplates, templateFiles } from '../../../server/shop/templates';
import { DEFINITIONS_DIR } from './helpers';

const TEMPLATES = join(DEFINITIONS_DIR, 'templates');

describe.each(['small', 'medium', 'large'])('the %s shop template', (name) => {
  it('When its folder is loaded with the real loader, then the shop and every process load without errors', async () => {
    const loaded = await loadDefinitionsDir(join(TEMPLATES, name));
    expect(loaded.errors.map(formatDefinitionError)).toEqual([]);
    expect(loaded.shop?.name).toBe(`${name}-shop`);
    expect(loaded.definitions.map((d) => d.value.kind).sort()).toEqual(['ComplaintProcess', 'KpiPlan', 'OrderProcess', 'SalesGuide']);
    // New leads of every channel run the template's order process.
    expect(loaded.shop?.defaultProcess).toBe(loaded.definitions.find((d) => d.value.kind === 'OrderProcess')!.value.name);
  });

  it('When it is checked as one set (as init and the apply API do), then it is valid', () => {
    const checked = checkDefinitionSet(templateFiles(name)!);
    expect(checked.ok ? [] : checked.errors.map(formatDefinitionError)).toEqual([]);
  });
});

describe('what the templates say about a shop of each size', () => {
  it('When the small shop opens a customer-care task, then it goes to sales (cskh handled by sales); medium and large keep a CSKH team', async () => {
    const [small, medium, large] = await Promise.all(['small', 'medium', 'large'].map((t) => loadDefinitionsDir(join(TEMPLATES, t))));
    expect(workingRole(small!.shop, 'cskh')).toBe('sales');
    expect(workingRole(small!.shop, 'sales')).toBe('sales');
    expect(workingRole(medium!.shop, 'cskh')).toBe('cskh');
    expect(workingRole(large!.shop, 'cskh')).toBe('cskh');
    expect(Object.keys(small!.shop!.roles).sort()).toEqual(['admin', 'cskh', 'owner', 'sales', 'warehouse']);
    expect(Object.keys(medium!.shop!.roles)).not.toContain('sales-lead');
    expect(Object.keys(large!.shop!.roles)).toEqual(expect.arrayContaining(['sales-lead', 'warehouse-lead', 'cskh']));
  });

  it('When the templates are listed, then each has a Vietnamese title and names the definitions it applies', () => {
    const listed = listTemplates();
    expect(listed.map((t) => t.name)).toEqual(['small', 'medium', 'large']);
    for (const t of listed) {
      expect(t.title).toMatch(/^Mẫu cửa hàng quy mô/);
      expect(t.definitions[0]).toMatchObject({ kind: 'Shop', name: `${t.name}-shop`, file: `${t.name}/shop.yaml` });
    }
  });
});
