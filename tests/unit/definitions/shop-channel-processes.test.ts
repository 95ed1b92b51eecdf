/** shop.yaml `channels.<id>.process`, `defaultProcess` and `handledBy`: checked, compiled, and chosen from. */
import { join } from 'node:path';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadDefinitionsDir, loadShopText } from '../../../definitions/loading/loader';
import { chooseProcess, processSettingProblems } from '../../../definitions/shop/processes';
import { DEFINITIONS_DIR, errorAt, errorsOf, ORDER_FILE, positionOf } from './helpers';

const FILE = 'shop.yaml';
const shop = (channels: string, extra = '', roles = '') => `apiVersion: shopflow/v1
kind: Shop
metadata: { name: test-shop, title: "Shop thử" }
spec:
  profile: { name: "Shop thử", currency: VND, timezone: Asia/Ho_Chi_Minh, workingHours: { mon: "08:00-17:30" } }
  roles:
    sales: { title: "NV", permissions: [tasks.read, tasks.complete], scope: own }
${roles}
  channels:
${channels}
  couriers: { simulator: { title: "Giả lập", api: simulator, enabled: true, baseUrl: "http://127.0.0.1:4010" } }
  segments: { new: { title: "Mới", rule: otherwise } }
${extra}`;

const compiled = (text: string) => {
  const result = loadShopText(text, FILE);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
};

describe('which order process a channel runs', () => {
  const text = shop(
    `    store: { title: "Cửa hàng", process: store-sale }
    wholesale: { title: "Khách sỉ", process: wholesale-order }
    facebook: { title: "Facebook" }`,
    '  defaultProcess: standard-order',
  );

  it('When channels name processes and the shop a default, then they compile and a lead picks request > channel > default', () => {
    const s = compiled(text);
    expect(s.channels.store).toEqual({ id: 'store', title: 'Cửa hàng', process: 'store-sale' });
    expect(s.channels.facebook).toEqual({ id: 'facebook', title: 'Facebook' });
    expect(s.defaultProcess).toBe('standard-order');
    expect(chooseProcess(s, 'store')).toEqual({ name: 'store-sale', from: 'channel', setting: 'spec.channels.store.process' });
    expect(chooseProcess(s, 'facebook')).toEqual({ name: 'standard-order', from: 'default', setting: 'spec.defaultProcess' });
    expect(chooseProcess(s, 'store', 'light-order')).toEqual({ name: 'light-order', from: 'request' });
    // An id the prototype answers to is no channel of the shop: the default, never Object.prototype's.
    expect(chooseProcess(s, 'constructor').name).toBe('standard-order');
  });

  it('When neither the channel nor the shop names one, then the lead takes the latest activated process', () => {
    const s = compiled(shop('    facebook: { title: "Facebook" }'));
    expect(s.defaultProcess).toBeUndefined();
    expect(chooseProcess(s, 'facebook')).toEqual({ name: null, from: 'latest' });
  });

  it('When a channel names a process that is not active, then activation is told which setting names which process', () => {
    const problems = processSettingProblems(compiled(text), new Set(['standard-order', 'store-sale']));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('spec.channels.wholesale.process');
    expect(problems[0]!.message).toContain('"wholesale-order"');
    expect(problems[0]!.message).toContain('standard-order, store-sale');
    expect(processSettingProblems(compiled(text), new Set(['standard-order', 'store-sale', 'wholesale-order']))).toEqual([]);
  });

  it('When process is not an id (or not text), then the schema refuses it at its position', () => {
    const bad = shop(
      `    store: { title: "Cửa hàng", process: "Store Sale" }\n    zalo: { title: "Zalo", process: 3 }`,
      '  defaultProcess: ""',
    );
    const errors = errorsOf(loadShopText(bad, FILE));
    expect(errorAt(errors, 'spec.channels.store.process')).toMatchObject(positionOf(bad, '"Store Sale"'));
    errorAt(errors, 'spec.channels.zalo.process');
    errorAt(errors, 'spec.defaultProcess');
  });

  it('When a definitions folder maps a channel to a process it does not hold, then loading it reports the channel at its line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shopflow-channels-'));
    mkdirSync(join(dir, 'processes'));
    const withMap = shop(
      '    facebook: { title: "Facebook", process: wholesale-order }',
      '',
      `    cskh: { title: "CSKH", permissions: [tasks.read, tasks.complete], scope: all }
    manager: { title: "QL", permissions: [tasks.read, tasks.complete], scope: all }
    sales-lead: { title: "TN", permissions: [tasks.read, tasks.complete], scope: all }
    warehouse: { title: "Kho", permissions: [tasks.read, tasks.complete], scope: all }
    warehouse-lead: { title: "TK", permissions: [tasks.read, tasks.complete], scope: all }`,
    );
    writeFileSync(join(dir, 'shop.yaml'), withMap);
    writeFileSync(join(dir, 'processes', 'order.yaml'), readFileSync(ORDER_FILE, 'utf8'));
    const loaded = await loadDefinitionsDir(dir);
    const error = loaded.errors.find((e) => e.path === 'spec.channels.facebook.process');
    expect(error).toMatchObject({ file: join(dir, 'shop.yaml'), ...positionOf(withMap, 'wholesale-order') });
    expect(error!.message).toContain('"wholesale-order"');
  });
});

describe('a role whose work another role does (handledBy)', () => {
  const roles = (cskh: string) => `    cskh: { title: "CSKH", permissions: [tasks.read], scope: all, ${cskh} }
    viewer: { title: "Xem", permissions: [orders.read], scope: all }`;

  it('When cskh is handled by sales, then it compiles with handledBy', () => {
    const s = compiled(shop('    facebook: { title: "Facebook" }', '', roles('handledBy: sales')));
    expect(s.roles.cskh!.handledBy).toBe('sales');
    expect(s.roles.sales!.handledBy).toBeUndefined();
  });

  it.each([
    ['handledBy: salse', 'role "salse" is not defined under roles'],
    ['handledBy: cskh', 'cannot be handled by itself'],
    ['handledBy: viewer', 'role "viewer" cannot complete tasks'],
  ])('When %s, then it is refused at spec.roles.cskh.handledBy', (setting, message) => {
    const text = shop('    facebook: { title: "Facebook" }', '', roles(setting));
    expect(errorAt(errorsOf(loadShopText(text, FILE)), 'spec.roles.cskh.handledBy').message).toContain(message);
  });

  it('When the handling role is itself handled by another, then the chain is refused', () => {
    const text = shop(
      '    facebook: { title: "Facebook" }',
      '',
      `${roles('handledBy: viewer')}\n    helper: { title: "H", permissions: [tasks.complete], scope: all, handledBy: sales }`,
    );
    const chained = shop(
      '    facebook: { title: "Facebook" }',
      '',
      `    cskh: { title: "CSKH", permissions: [tasks.read], scope: all, handledBy: helper }\n    helper: { title: "H", permissions: [tasks.complete], scope: all, handledBy: sales }`,
    );
    expect(errorsOf(loadShopText(text, FILE)).length).toBeGreaterThan(0);
    expect(errorAt(errorsOf(loadShopText(chained, FILE)), 'spec.roles.cskh.handledBy').message).toContain('is itself handled by "sales"');
  });
});

describe('shopflow definitions validate with a shop and its processes', () => {
  it('When shop.yaml names a default process none of the given files define, then it is an error and the exit status says so', async () => {
    const { validateFiles } = await import('../../../server/main/cli');
    const dir = mkdtempSync(join(tmpdir(), 'shopflow-cli-'));
    const templates = join(DEFINITIONS_DIR, 'templates', 'small');
    const bad = join(dir, 'shop.yaml');
    writeFileSync(
      bad,
      readFileSync(join(templates, 'shop.yaml'), 'utf8').replace('defaultProcess: standard-order', 'defaultProcess: wholesale-order'),
    );
    const lines: string[] = [];
    const order = join(templates, 'processes', 'order.yaml');
    expect(await validateFiles([bad, order], join(templates, 'shop.yaml'), (l) => lines.push(l))).toBe(1);
    expect(lines.at(-1)).toBe(
      `${bad}: quy trình mặc định là "wholesale-order" nhưng không có quy trình bán hàng (OrderProcess hoặc StoreSaleProcess) nào tên này đang hoạt động — các quy trình đang hoạt động: standard-order (at spec.defaultProcess)`,
    );
    const fine: string[] = [];
    expect(await validateFiles([join(templates, 'shop.yaml'), order], join(templates, 'shop.yaml'), (l) => fine.push(l))).toBe(0);
  });
});
