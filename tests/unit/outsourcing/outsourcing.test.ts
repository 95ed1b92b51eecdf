/** Outsourced roles: shop.yaml checks and compile, whose contract a member works under, and the phone mask. */
import { loadShopText } from '../../../definitions/loading/loader';
import { contractEnded, memberContract } from '../../../definitions/shop/outsourcing';
import { maskPhone, maskPhonesIn } from '../../../server/outsourcing/phones';
import { isExportPath } from '../../../server/outsourcing/limits';
import { errorAt, errorsOf } from '../definitions/helpers';

const FILE = 'shop.yaml';
const shopWithRoles = (roles: string) => `apiVersion: shopflow/v1
kind: Shop
metadata: { name: test-shop, title: "Shop thử" }
spec:
  profile: { name: "Shop thử", currency: VND, timezone: Asia/Ho_Chi_Minh, workingHours: { mon: "08:00-17:30" } }
  roles:
    sales: { title: "NV", permissions: [tasks.read, tasks.complete], scope: own }
    viewer: { title: "Xem", permissions: [orders.read], scope: all }
${roles}
  channels: { website: { title: "Website" } }
  couriers: { simulator: { title: "Giả lập", api: simulator, enabled: true, baseUrl: "http://127.0.0.1:4010" } }
  segments: { new: { title: "Mới", rule: otherwise } }
`;

describe('outsourced roles in shop.yaml', () => {
  it('When a role is outsourced with a firm end, then it compiles with the instant it ends (the local midnight after the day) and commission-only pay', () => {
    const result = loadShopText(
      shopWithRoles(
        '    ctv: { title: "CTV", permissions: [tasks.read], scope: own, outsourced: { contractEnds: "2026-12-31", handBackTo: sales } }',
      ),
      FILE,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.value.roles.ctv!.outsourced).toEqual({
      contractEnds: '2026-12-31',
      contractEndsAt: '2026-12-31T17:00:00.000Z', // 2027-01-01 00:00 in Asia/Ho_Chi_Minh
      handBackTo: 'sales',
      pay: 'commission-only',
    });
    expect(result.value.roles.sales!.outsourced).toBeUndefined();
  });

  it('When an outsourced role sees all, holds *, hands back to itself, to a missing, outsourced or task-less role, or ends on no real day, then each is reported at its path', () => {
    const scope = errorsOf(
      loadShopText(shopWithRoles('    ctv: { title: "CTV", permissions: ["*"], scope: all, outsourced: { handBackTo: sales } }'), FILE),
    );
    expect(errorAt(scope, 'spec.roles.ctv.scope').message).toMatch(/must have scope: own/);
    expect(errorAt(scope, 'spec.roles.ctv.permissions').message).toMatch(/cannot hold "\*"/);
    const self = errorsOf(
      loadShopText(shopWithRoles('    ctv: { title: "CTV", permissions: [], scope: own, outsourced: { handBackTo: ctv } }'), FILE),
    );
    expect(errorAt(self, 'spec.roles.ctv.outsourced.handBackTo').message).toMatch(/back to itself/);
    const missing = errorsOf(
      loadShopText(shopWithRoles('    ctv: { title: "CTV", permissions: [], scope: own, outsourced: { handBackTo: sale } }'), FILE),
    );
    expect(errorAt(missing, 'spec.roles.ctv.outsourced.handBackTo').message).toMatch(/"sale" is not defined under roles/);
    const viewer = errorsOf(
      loadShopText(shopWithRoles('    ctv: { title: "CTV", permissions: [], scope: own, outsourced: { handBackTo: viewer } }'), FILE),
    );
    expect(errorAt(viewer, 'spec.roles.ctv.outsourced.handBackTo').message).toMatch(/cannot complete tasks/);
    const chain = errorsOf(
      loadShopText(
        shopWithRoles(`    ctv: { title: "CTV", permissions: [], scope: own, outsourced: { handBackTo: ctv2 } }
    ctv2: { title: "CTV 2", permissions: [tasks.complete], scope: own, outsourced: { handBackTo: sales } }`),
        FILE,
      ),
    );
    expect(errorAt(chain, 'spec.roles.ctv.outsourced.handBackTo').message).toMatch(/itself outsourced/);
    const day = errorsOf(
      loadShopText(
        shopWithRoles(
          '    ctv: { title: "CTV", permissions: [], scope: own, outsourced: { contractEnds: "2026-02-30", handBackTo: sales } }',
        ),
        FILE,
      ),
    );
    expect(errorAt(day, 'spec.roles.ctv.outsourced.contractEnds').message).toMatch(/not a calendar date/);
    const pay = errorsOf(
      loadShopText(
        shopWithRoles('    ctv: { title: "CTV", permissions: [], scope: own, outsourced: { handBackTo: sales, pay: salary } }'),
        FILE,
      ),
    );
    expect(pay.some((e) => e.path === 'spec.roles.ctv.outsourced.pay')).toBe(true);
  });

  it('When a member has their own end and the firm has one, then the earlier counts, and the contract is over from that instant', () => {
    const shop = {
      roles: {
        sales: { id: 'sales', title: 'NV', permissions: [], scope: 'own' as const },
        ctv: {
          id: 'ctv',
          title: 'CTV',
          permissions: [],
          scope: 'own' as const,
          outsourced: {
            contractEnds: '2026-12-31',
            contractEndsAt: '2026-12-31T17:00:00.000Z',
            handBackTo: 'sales',
            pay: 'commission-only' as const,
          },
        },
      },
    };
    expect(memberContract({ roles: ['sales'] }, shop)).toBeUndefined();
    expect(memberContract({ roles: ['sales', 'ctv'] }, shop)?.endsAt).toBe('2026-12-31T17:00:00.000Z');
    const early = { roles: ['sales', 'ctv'], contractEnds: new Date('2026-06-30T17:00:00Z') };
    const contract = memberContract(early, shop)!;
    expect(contract).toEqual({ role: 'ctv', handBackTo: 'sales', pay: 'commission-only', endsAt: '2026-06-30T17:00:00.000Z' });
    expect(contractEnded(early, contract, Date.parse('2026-06-30T16:59:59Z'))).toBe(false);
    expect(contractEnded(early, contract, Date.parse('2026-06-30T17:00:00Z'))).toBe(true);
    expect(contractEnded({ ...early, contractEndedAt: new Date() }, contract, 0)).toBe(true);
    expect(memberContract({ roles: ['ctv'], contractEnds: new Date('2030-01-01T00:00:00Z') }, shop)?.endsAt).toBe(
      '2026-12-31T17:00:00.000Z',
    );
    // A prototype name is no role.
    expect(memberContract({ roles: ['constructor'] }, shop)).toBeUndefined();
  });
});

describe('the phone mask', () => {
  it('When a phone is masked, then its first and last two digits stay, in any spelling', () => {
    expect(maskPhone('0912345678')).toBe('09******78');
    expect(maskPhone('+84 912 345 678')).toBe('09******78');
    expect(maskPhone('02838123456')).toBe('02*******56');
  });

  it('When an answer is masked, then phone fields and phones in text are masked except those visible, and nothing else changes', () => {
    const body = {
      orders: [
        { id: 'ord_0912345678', customer: { name: 'Chị Hoa', phone: '0912345678' }, codAmount: 250000, createdAt: '2026-12-07T10:00:00Z' },
        { id: 'ord_2', customer: { name: 'Anh Nam', phone: '0987 654 321' }, customerPhone: '0987654321' },
      ],
      message: 'Khách 0912.345.678 gọi lại; đơn của 0987654321',
      phoneLabel: 'Số điện thoại',
      phones: ['0912345678', '0987654321'],
      at: new Date('2026-12-07T10:00:00Z'),
    };
    const masked = maskPhonesIn(body, new Set(['0987654321'])) as typeof body;
    expect(masked.orders[0]!.customer.phone).toBe('09******78');
    expect(masked.orders[0]!.id).toBe('ord_0912345678'); // an id is not a phone
    expect(masked.orders[0]!.codAmount).toBe(250000);
    expect(masked.orders[1]!.customer.phone).toBe('0987 654 321');
    expect(masked.orders[1]!.customerPhone).toBe('0987654321');
    expect(masked.message).toBe('Khách 09******78 gọi lại; đơn của 0987654321');
    expect(masked.phoneLabel).toBe('Số điện thoại');
    expect(masked.phones).toEqual(['09******78', '0987654321']);
    expect(masked.at).toEqual(body.at);
    expect(JSON.stringify(maskPhonesIn(body, new Set()))).not.toMatch(/(?<!_)0912345678|0987654321|0987 654 321/);
  });

  it('When a path hands data out as a file, then it is an export', () => {
    for (const p of [
      '/books/sales/export.csv',
      '/orders/ord_1/label.pdf',
      '/orders/pick-list.pdf',
      '/kpi/periods/x/export.csv',
      '/exports/orders',
    ])
      expect(isExportPath(p)).toBe(true);
    for (const p of ['/orders', '/orders/ord_1', '/customers', '/tasks/tsk_1']) expect(isExportPath(p)).toBe(false);
  });
});
