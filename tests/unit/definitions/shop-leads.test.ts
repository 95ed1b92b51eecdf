/** `leads` in shop.yaml: which roles' tasks a role may reassign — checked, compiled, and seeded sensibly. */
import { loadShopText } from '../../../definitions/loading/loader';
import { errorAt, errorsOf, positionOf, shippedShop } from './helpers';

const FILE = 'shop.yaml';

const shopWithRoles = (roles: string) => `apiVersion: shopflow/v1
kind: Shop
metadata: { name: test-shop, title: "Shop thử" }
spec:
  profile: { name: "Shop thử", currency: VND, timezone: Asia/Ho_Chi_Minh, workingHours: { mon: "08:00-17:30" } }
  roles:
${roles}
  channels: { website: { title: "Website" } }
  couriers: { simulator: { title: "Giả lập", api: simulator, enabled: true, baseUrl: "http://127.0.0.1:4010" } }
  segments: { new: { title: "Mới", rule: otherwise } }
`;

describe('roles that lead roles', () => {
  it('When a role leads roles that exist, then it compiles with them; a role without leads leads none', () => {
    const result = loadShopText(
      shopWithRoles(`    lead: { title: "Trưởng", permissions: [tasks.reassign], scope: all, leads: [lead, rep] }
    rep: { title: "NV", permissions: [tasks.read], scope: own }`),
      FILE,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.value.roles.lead!.leads).toEqual(['lead', 'rep']);
    expect(result.value.roles.rep!.leads).toEqual([]);
  });

  it('When a role leads a role that does not exist (or a prototype name), then each is reported at its position with the known roles', () => {
    const text =
      shopWithRoles(`    lead: { title: "Trưởng", permissions: [tasks.reassign], scope: all, leads: [rep, warehous, constructor] }
    rep: { title: "NV", permissions: [tasks.read], scope: own }`);
    const errors = errorsOf(loadShopText(text, FILE));
    const typo = errorAt(errors, 'spec.roles.lead.leads[1]');
    expect(typo).toMatchObject(positionOf(text, 'warehous'));
    expect(typo.message).toBe('role "warehous" is not defined under roles — known roles: lead, rep');
    expect(errors.some((e) => e.message.includes('"constructor"'))).toBe(true);
  });

  it('When leads is not a list of role ids, then the schema refuses it', () => {
    const errors = errorsOf(
      loadShopText(shopWithRoles('    lead: { title: "Trưởng", permissions: [], scope: all, leads: [Sales Team] }'), FILE),
    );
    expect(errorAt(errors, 'spec.roles.lead.leads[0]').message).toMatch(/"Sales Team" has the wrong form/);
  });

  it('When the shipped shop is loaded, then the manager leads every role but admin, and the team leads lead their teams', () => {
    const { roles } = shippedShop();
    expect(new Set(roles.manager!.leads)).toEqual(new Set(Object.keys(roles).filter((r) => r !== 'admin')));
    expect(roles['sales-lead']!.leads).toEqual(['sales-lead', 'sales', 'store-sales']);
    expect(roles['warehouse-lead']!.leads).toEqual(['warehouse-lead', 'warehouse']);
    for (const id of ['sales', 'store-sales', 'marketing', 'cskh', 'warehouse', 'accounting']) expect(roles[id]!.leads).toEqual([]);
  });
});
