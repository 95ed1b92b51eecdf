import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WHEN_FIELDS } from '../../../definitions/rules/conditions';
import { loadDefinitionsDir, loadDefinitionText, loadShopText } from '../../../definitions/loading/loader';
import { PERMISSIONS, type CompiledOrderProcess, type CompiledStage } from '../../../definitions/types';
import { DEFINITIONS_DIR, ORDER_FILE, orderText, SHOP_FILE, shippedShop, shopText } from './helpers';

describe('the shipped definitions', () => {
  it('When definitions/ is loaded, then shop.yaml, processes/complaint.yaml, kpi.yaml and order.yaml load without errors', async () => {
    const loaded = await loadDefinitionsDir(DEFINITIONS_DIR);
    expect(loaded.errors).toEqual([]);
    expect(loaded.shop?.name).toBe('default-shop');
    expect(loaded.definitions.map((d) => d.summary.name)).toEqual([
      'standard-complaint',
      'shop-kpi',
      'standard-order',
      'sales-guide',
      'store-sale',
    ]);
  });

  it('When shop.yaml is loaded, then it has the roles, channels, couriers and segments the process relies on', () => {
    const result = loadShopText(shopText(), SHOP_FILE);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const shop = result.value;
    expect(Object.keys(shop.roles).sort()).toEqual([
      'accounting',
      'admin',
      'cskh',
      'manager',
      'marketing',
      'sales',
      'sales-lead',
      'store-sales',
      'warehouse',
      'warehouse-lead',
    ]);
    expect(shop.roles.admin.permissions).toEqual(['*']);
    expect(shop.roles.sales).toMatchObject({
      title: 'Nhân viên kinh doanh',
      scope: 'own',
      autoAssign: { strategy: 'round-robin', returningCustomer: 'last-rep' },
    });
    expect(Object.keys(shop.channels)).toEqual(['facebook', 'zalo', 'tiktok', 'shopee', 'website', 'store', 'shopify', 'haravan']);
    expect(shop.couriers.ghn).toMatchObject({ api: 'ghn', enabled: true, tokenEnv: 'GHN_TOKEN', shopIdEnv: 'GHN_SHOP_ID' });
    expect(shop.couriers.viettelpost).toMatchObject({
      api: 'viettelpost',
      tokenEnv: 'VIETTELPOST_TOKEN',
      service: { orderService: 'VCN' },
    });
    expect(shop.segments.map((s) => s.id)).toEqual(['vip', 'wholesale', 'loyal', 'new']);
    expect(shop.workingHours).toMatchObject({ timezone: 'Asia/Ho_Chi_Minh', utcOffsetMinutes: 420 });
    expect(shop.workingHours.weekly.mon).toEqual([{ fromMinute: 480, toMinute: 1050 }]);
    expect(shop.workingHours.weekly.sun).toEqual([]);
    expect(shop.workingHours.daysOff).toContain('2026-02-17'); // inside the Tết range
    expect(result.summary.text).toMatch(/^Shop default-shop .*10 roles, 8 channels, 4 couriers, 4 segments/);
  });

  describe('processes/order.yaml', () => {
    const load = () => {
      const result = loadDefinitionText(orderText(), ORDER_FILE, shippedShop());
      if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
      return result;
    };
    const process = (): CompiledOrderProcess => load().value as CompiledOrderProcess;
    const stage = <K extends CompiledStage['kind']>(id: string, kind: K) => {
      const found = process().stages[id];
      expect(found?.kind).toBe(kind);
      return found as Extract<CompiledStage, { kind: K }>;
    };

    it('When it is loaded, then the summary names it and the roles it uses', () => {
      const { summary } = load();
      expect(summary).toMatchObject({ kind: 'OrderProcess', name: 'standard-order', title: 'Quy trình đơn hàng chuẩn' });
      expect(summary.roles).toEqual(expect.arrayContaining(['sales', 'cskh', 'warehouse', 'manager']));
      expect(summary.stageCount).toBe(Object.keys(process().stages).length);
    });

    it('When it is compiled, then closing is a sales task with a 30m SLA, a form and an escalation ladder', () => {
      const close = stage('close', 'human');
      expect(process().start).toBe('close');
      expect(close).toMatchObject({ role: 'sales', title: 'Chốt đơn', slaMs: 30 * 60_000, clock: 'calendar' });
      expect(close.form).toMatchObject({ type: 'object', required: expect.arrayContaining(['items', 'shippingAddress', 'codAmount']) });
      expect(close.escalate.map((s) => s.afterMs)).toEqual([30 * 60_000, 2 * 3_600_000, 86_400_000]);
      expect(close.escalate[1]).toMatchObject({ reassign: 'sales-lead', priority: 'high' });
      expect(close.outcomes.map((o) => [o.name, o.to])).toEqual([
        ['closed', 'confirm'],
        ['lost', 'lost'],
      ]);
      // The forward outcome carries the stage form; "lost" only asks for a reason.
      expect(close.outcomes[0].form).toBe(close.form);
      expect(close.outcomes[1].form).toMatchObject({ required: ['reason'] });
    });

    it('When it is compiled, then confirmation only runs for risky orders and otherwise goes to packing', () => {
      const confirm = stage('confirm', 'human');
      expect(confirm).toMatchObject({ role: 'cskh', clock: 'business', otherwise: 'pack' });
      expect(confirm.when?.any).toHaveLength(3);
    });

    it('When it is compiled, then packing collects weight and package size', () => {
      const pack = stage('pack', 'human');
      expect(pack.role).toBe('warehouse');
      expect(Object.keys(pack.form.properties as object)).toEqual(
        expect.arrayContaining(['weightGrams', 'lengthCm', 'widthCm', 'heightCm']),
      );
    });

    it('When it is compiled, then shipping has a 3-day delivery SLA, a late-delivery task for CSKH and courier rules', () => {
      const ship = stage('ship', 'courier');
      expect(ship.deliverySlaMs).toBe(3 * 86_400_000);
      expect(ship.escalate[0]).toMatchObject({ afterMs: 3 * 86_400_000, task: { role: 'cskh' } });
      expect(ship.on).toEqual({ delivered: 'care-vip', failed: 'call-customer', returned: 'receive-return' });
      expect(ship.courier.rules.map((r) => r.courier)).toEqual(['ghtk', 'ghn']);
      expect(ship.courier.default).toBe('ghtk');
    });

    it('When a delivery fails, then CSKH can redeliver or return, and returns end after restocking', () => {
      expect(stage('call-customer', 'human').outcomes.map((o) => o.to)).toEqual(['ship', 'receive-return']);
      expect(stage('receive-return', 'human').outcomes.map((o) => o.to)).toEqual(['returned']);
      expect(stage('returned', 'end').result).toBe('returned');
    });

    it('When an order is delivered, then care is chosen by segment: vip, then wholesale, then loyal, then the rest', () => {
      const chain: string[] = [];
      let id: string | undefined = 'care-vip';
      while (id) {
        const current: CompiledStage = process().stages[id];
        chain.push(current.id);
        id = 'otherwise' in current ? current.otherwise : undefined;
      }
      expect(chain).toEqual(['care-vip', 'care-wholesale-wait', 'care-loyal', 'care-standard']);
      expect(stage('care-wholesale-wait', 'wait')).toMatchObject({ durationMs: 10 * 86_400_000, next: 'care-wholesale' });
    });

    it('When it is compiled, then every human stage has a Vietnamese title, a form with type object, an SLA and escalations', () => {
      const humans = Object.values(process().stages).filter((s) => s.kind === 'human');
      expect(humans.length).toBeGreaterThanOrEqual(7);
      for (const human of humans) {
        expect(human.title).not.toBe('');
        expect(human.form.type).toBe('object');
        expect(human.slaMs).toBeGreaterThan(0);
        expect(human.escalate.length).toBeGreaterThan(0);
      }
    });

    it('When it is compiled, then it ends in done, lost, cancelled and returned', () => {
      const ends = Object.values(process().stages).filter((s) => s.kind === 'end');
      expect(ends.map((e) => e.id).sort()).toEqual(['cancelled', 'done', 'lost', 'returned']);
    });

    it('When the compiled process goes through JSON, then nothing is lost (it can be workflow input)', () => {
      const value = process();
      expect(JSON.parse(JSON.stringify(value))).toEqual(value);
    });
  });

  it('When the YAML files are opened in an editor, then each names its schema by a relative path that exists', () => {
    for (const file of [SHOP_FILE, ORDER_FILE]) {
      const first = readFileSync(file, 'utf8').split('\n')[0];
      const match = /^# yaml-language-server: \$schema=(.+)$/.exec(first);
      expect(match).not.toBeNull();
      expect(() => readFileSync(join(file, '..', match![1]))).not.toThrow();
    }
  });
});

describe('the schemas and the code agree', () => {
  const schema = (name: string) => JSON.parse(readFileSync(join(DEFINITIONS_DIR, 'schema', name), 'utf8'));

  it('When the shop schema lists permissions, then they are exactly PERMISSIONS', () => {
    expect(schema('shop.schema.json').definitions.role.properties.permissions.items.enum).toEqual([...PERMISSIONS]);
  });

  it('When the process schema lists when fields, then they are exactly WHEN_FIELDS (plus any)', () => {
    expect(Object.keys(schema('order-process.schema.json').definitions.when.properties)).toEqual([...Object.keys(WHEN_FIELDS), 'any']);
  });

  it('When any object in a schema lists properties, then it forbids unknown keys', () => {
    const open: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (Array.isArray(node)) node.forEach((child, i) => visit(child, `${path}/${i}`));
      else if (node && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        const isCondition = /\/if$/.test(path); // `if` only tests kind; `then` is closed
        if (record.properties && record.additionalProperties !== false && !isCondition && !path.endsWith('/stage')) open.push(path);
        for (const [key, child] of Object.entries(record)) visit(child, `${path}/${key}`);
      }
    };
    for (const name of ['shop.schema.json', 'order-process.schema.json']) visit(schema(name), name);
    expect(open).toEqual([]);
  });
});
