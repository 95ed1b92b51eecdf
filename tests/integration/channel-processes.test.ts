/**
 * A process per channel on the real stack: shop.yaml says which order process each channel's
 * leads run (`channels.<id>.process`, `defaultProcess`); leads pick it when they name none,
 * running orders keep the process they started with when the map changes, and a channel naming
 * a process that is not active is refused at activation and at the lead (naming the setting).
 */
import { eq, sql } from 'drizzle-orm';
import { definitionVersions, orders } from '../../db/schema';
import { apiClient, eventually, fixture, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let fastName: string;
let admin: { id: string; token: string };
let shopYaml: string;

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  ({ name: fastName } = await stack.activateProcess(fixture('fast-order.yaml')));
  admin = await stack.createStaff(['admin']);
  shopYaml = (await api().get('/api/v1/definitions/default-shop')).body.active.yaml;
});
afterAll(() => stack?.close());

const api = () => apiClient(base, admin.token);

/** The shipped shop with zalo's leads running `zaloProcess` (none: no map) and standard-order as the default. */
function shopWith(zaloProcess: string | null): string {
  const zalo = zaloProcess ? `zalo: { title: "Zalo", process: ${zaloProcess} }` : 'zalo: { title: "Zalo" }';
  const text = shopYaml.replace('zalo: { title: "Zalo" }', zalo).replace(/^  channels:$/m, '  defaultProcess: standard-order\n  channels:');
  expect(text).toContain(zalo);
  return text;
}
async function activateShop(yaml: string) {
  const saved = await api().post('/api/v1/definitions', yaml, { 'content-type': 'application/yaml' });
  expect([200, 201]).toContain(saved.status);
  return api().post(`/api/v1/definitions/${saved.body.name}/versions/${saved.body.version}/activate`);
}
let seq = 0;
async function lead(channel: string, extra: Record<string, unknown> = {}) {
  seq += 1;
  return api().post('/api/v1/leads', {
    channel,
    customer: { name: `Khách kênh ${seq}`, phone: `08${String(Date.now()).slice(-7)}${seq % 10}` },
    ...extra,
  });
}
const openTask = (orderId: string) =>
  eventually(async () => (await api().get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks[0], 20_000, `a task of ${orderId}`);

describe('which order process each channel runs', () => {
  test('When a channel names a process that is not active, then the shop version is refused at activation naming the setting, and nothing changes', async () => {
    const refused = await activateShop(shopWith('wholesale-order'));
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.errors).toEqual([
      expect.objectContaining({ path: 'spec.channels.zalo.process', message: expect.stringContaining('"wholesale-order"') }),
    ]);
    const before = await lead('zalo');
    expect(before.status).toBe(201);
    // No map and no default in the shop in use: the most recently activated process.
    expect(before.body.definition.name).toBe(fastName);
  });

  test('When zalo is mapped to another process, then its leads run it while others take the default, and a request naming a process wins', async () => {
    expect((await activateShop(shopWith(fastName))).status).toBe(200);
    const zalo = await lead('zalo');
    expect(zalo.status).toBe(201);
    expect(zalo.body.definition.name).toBe(fastName);
    expect(await openTask(zalo.body.orderId)).toMatchObject({ stage: 'close', role: 'sales-lead' }); // fast-order's close step
    const facebook = await lead('facebook');
    expect(facebook.body.definition.name).toBe('standard-order');
    expect(await openTask(facebook.body.orderId)).toMatchObject({ stage: 'close', role: 'sales' });
    const named = await lead('zalo', { process: 'standard-order' });
    expect(named.body.definition.name).toBe('standard-order');
    const [row] = await stack.database.db.select().from(orders).where(eq(orders.id, zalo.body.orderId));
    expect(row).toMatchObject({ channel: 'zalo', definitionName: fastName });
  });

  test('When the map changes, then a running order keeps the process it started with and new leads take the new one', async () => {
    const running = await lead('zalo');
    expect(running.body.definition.name).toBe(fastName);
    const close = await openTask(running.body.orderId);
    expect((await activateShop(shopWith(null))).status).toBe(200); // zalo → the default, standard-order
    const after = await lead('zalo');
    expect(after.body.definition.name).toBe('standard-order');

    const done = await api().post(`/api/v1/tasks/${close.id}/complete`, { outcome: 'closed', data: { codAmount: 120000 } });
    expect(done.status).toBe(200);
    // fast-order's next step, not standard-order's ("Xác nhận đơn hàng").
    const next = await eventually(
      async () =>
        (await api().get(`/api/v1/tasks?order=${running.body.orderId}&status=open`)).body.tasks.find(
          (t: { stage: string }) => t.stage === 'confirm',
        ),
      20_000,
      'the confirm task',
    );
    expect(next).toMatchObject({ title: 'Xác nhận đơn', role: 'cskh' });
    const status = await stack.temporal.workflow.getHandle(`order:${running.body.orderId}`).query('status');
    expect(status).toMatchObject({ definition: { name: fastName } });
  });

  test('When the process a channel runs is no longer active, then its leads are refused with 409 naming the channel and the setting', async () => {
    expect((await activateShop(shopWith(fastName))).status).toBe(200);
    await stack.database.db
      .update(definitionVersions)
      .set({ active: false })
      .where(sql`${definitionVersions.name} = ${fastName}`);
    const refused = await lead('zalo');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('no_active_process');
    expect(refused.body.error.message).toContain('spec.channels.zalo.process');
    expect(refused.body.error.details.fields).toEqual([expect.objectContaining({ field: 'channel' })]);
    const other = await lead('facebook');
    expect(other.status).toBe(201);
  });
});
