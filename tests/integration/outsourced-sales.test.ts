/**
 * Outsourced sales on the real stack (dev server, PostgreSQL, worker, HTTP app): a shop whose
 * `ctv-sales` role is outsourced. The contractor reads a customer's phone only while holding an
 * open task for them, exports are refused, and at the contract's end (moved to a few seconds
 * ahead through the staff API) their token stops and their open lead goes back to in-house sales.
 */
import fs from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { taskEvents, tasks } from '../../db/schema';
import { projectRoot } from '../../server/platform/paths';
import { createDefinitionsStore } from '../../server/shop/definitions';
import { contractEndWorkflowId } from '../../workflows/staff/contract-end';
import { apiClient, eventually, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let admin: { id: string; token: string };
let inHouse: { id: string; token: string };
let contractor: { id: string; token: string };

/** The shipped shop with an outsourced sales role whose members each have their own contract end. */
function shopWithContractors(): string {
  const shipped = fs.readFileSync(path.join(projectRoot(), 'definitions', 'shop.yaml'), 'utf8');
  const role = [
    '    ctv-sales:',
    '      title: "Cộng tác viên bán hàng (thuê ngoài)"',
    '      permissions: [tasks.read, tasks.complete, orders.read, leads.read, customers.read, kpi.read, reports.read]',
    '      scope: own',
    '      outsourced: { handBackTo: sales, pay: commission-only }',
    '',
  ].join('\n');
  return shipped.replace(/^  roles:\n/m, (m) => `${m}${role}`);
}

const CLEAR = '0912345678';
const MASKED = '09******78';

async function openTask(orderId: string, stage: string) {
  return eventually(
    async () =>
      (
        await stack.database.db
          .select()
          .from(tasks)
          .where(and(eq(tasks.subjectId, orderId), eq(tasks.stage, stage), eq(tasks.status, 'open')))
      )[0],
    30_000,
    `the open ${stage} task of ${orderId}`,
  );
}

async function leadFor(phone: string, name: string): Promise<string> {
  const res = await apiClient(base, admin.token).post('/api/v1/leads', { channel: 'facebook', customer: { name, phone } });
  expect(res.status).toBe(201);
  return res.body.orderId as string;
}

beforeAll(async () => {
  stack = await openTestStack();
  const definitions = createDefinitionsStore(stack.database.db);
  const { row } = await definitions.save({ yaml: shopWithContractors(), file: 'shop.yaml', author: 'test' });
  await definitions.activate(row.name, row.version);
  await stack.startWorker();
  base = await stack.startApp();
  admin = await stack.createStaff(['admin'], { name: 'Chủ shop' });
  const asAdmin = apiClient(base, admin.token);
  const made = await asAdmin.post('/api/v1/staff', { name: 'Hà (kinh doanh)', roles: ['sales'] });
  expect(made.status).toBe(201);
  inHouse = { id: made.body.staff.id, token: made.body.token };
  const far = new Date(Date.now() + 2 * 86_400_000).toISOString();
  const ctv = await asAdmin.post('/api/v1/staff', { name: 'Tú (cộng tác viên)', roles: ['sales', 'ctv-sales'], contractEnds: far });
  expect(ctv.status).toBe(201);
  expect(ctv.body.staff.contract).toMatchObject({
    role: 'ctv-sales',
    handBackTo: 'sales',
    pay: 'commission-only',
    endsAt: far,
    ended: false,
  });
  contractor = { id: ctv.body.staff.id, token: ctv.body.token };
}, 120_000);
afterAll(() => stack?.close());

describe('outsourced sales', () => {
  test('When staff are given a contract end, then it must fit their roles (422 naming contractEnds)', async () => {
    const asAdmin = apiClient(base, admin.token);
    const inHouseEnd = await asAdmin.post('/api/v1/staff', { name: 'X', roles: ['sales'], contractEnds: '2030-01-01' });
    expect(inHouseEnd.status).toBe(422);
    expect(inHouseEnd.body.error.details.fields[0]).toMatchObject({ field: 'contractEnds' });
    expect(inHouseEnd.body.error.details.fields[0].message).toMatch(/only outsourced members/);
    const noEnd = await asAdmin.post('/api/v1/staff', { name: 'Y', roles: ['sales', 'ctv-sales'] });
    expect(noEnd.status).toBe(422);
    expect(noEnd.body.error.details.fields[0]).toMatchObject({ field: 'contractEnds' });
    const badDay = await asAdmin.post('/api/v1/staff', { name: 'Z', roles: ['ctv-sales'], contractEnds: '2030-02-30' });
    expect(badDay.status).toBe(422);
    expect(badDay.body.error.details.fields[0].message).toMatch(/not a calendar date/);
    const past = await asAdmin.post('/api/v1/staff', { name: 'W', roles: ['ctv-sales'], contractEnds: '2020-01-01' });
    expect(past.status).toBe(422);
    const wrongType = await asAdmin.post('/api/v1/staff', { name: 'V', roles: ['ctv-sales'], contractEnds: 20300101 });
    expect(wrongType.status).toBe(422);
    expect(JSON.stringify(wrongType.body.error.details)).toContain('contractEnds');
  });

  test('When an outsourced rep works a lead, then they read the phone only while their task is open; exports are refused', async () => {
    const asCtv = apiClient(base, contractor.token);
    const asAdmin = apiClient(base, admin.token);
    const me = await asCtv.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ scope: 'own', outsourced: { role: 'ctv-sales', pay: 'commission-only' } });

    const orderId = await leadFor('0912 345 678', 'Chị Hoa');
    const close = await openTask(orderId, 'close');
    if (close.assigneeId !== contractor.id) {
      expect((await asAdmin.post(`/api/v1/tasks/${close.id}/reassign`, { to: contractor.id })).status).toBe(200);
    }
    // Holding the open close task: the customer's number in clear, wherever it shows.
    const task = await asCtv.get(`/api/v1/tasks/${close.id}`);
    expect(task.status).toBe(200);
    expect(JSON.stringify(task.body)).toContain(CLEAR);
    const order = await asCtv.get(`/api/v1/orders/${orderId}`);
    expect(order.status).toBe(200);
    expect(JSON.stringify(order.body)).toContain(CLEAR);

    // Exports: refused with a reason in Vietnamese, whatever the route (the in-house rep prints the label).
    const label = await asCtv.get(`/api/v1/orders/${orderId}/label.pdf`);
    expect(label.status).toBe(403);
    expect(label.body.error.code).toBe('exports_not_allowed');
    expect(label.body.error.message).toMatch(/không được xuất dữ liệu/);
    const csv = await asCtv.get('/api/v1/books/sales/export.csv');
    expect(csv.status).toBe(403);
    expect(csv.body.error.code).toBe('exports_not_allowed');
    expect((await apiClient(base, inHouse.token).get(`/api/v1/orders/${orderId}/label.pdf`)).status).not.toBe(403);

    // The close is done: the order stays in their list, the number is masked everywhere now.
    const done = await asCtv.post(`/api/v1/tasks/${close.id}/complete`, {
      outcome: 'closed',
      data: {
        customerName: 'Chị Hoa',
        phone: CLEAR,
        items: [{ sku: 'AO-01', name: 'Áo thun', qty: 1, price: 250000 }],
        shippingAddress: { street: '5 Nguyễn Huệ', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
        codAmount: 250000,
      },
    });
    expect(done.body).toMatchObject({ nextStage: 'confirm' });
    await openTask(orderId, 'confirm');
    const after = await asCtv.get(`/api/v1/orders/${orderId}`);
    expect(after.status).toBe(200);
    expect(after.body.customer.phone).toBe(MASKED);
    expect(JSON.stringify(after.body)).not.toContain(CLEAR);
    const list = await asCtv.get('/api/v1/orders');
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).toContain(MASKED);
    expect(JSON.stringify(list.body)).not.toContain(CLEAR);
    const doneTasks = await asCtv.get('/api/v1/tasks?status=done');
    expect(JSON.stringify(doneTasks.body)).not.toContain(CLEAR);
    const customerId = (await asAdmin.get(`/api/v1/orders/${orderId}`)).body.customer.id as string;
    {
      const customer = await asCtv.get(`/api/v1/customers/${customerId}`);
      expect(customer.status).toBe(200);
      expect(JSON.stringify(customer.body)).not.toContain(CLEAR);
      expect(JSON.stringify(customer.body)).toContain(MASKED);
    }
    const inbox = await asCtv.get('/api/v1/me/notifications');
    expect(inbox.status).toBe(200);
    expect(JSON.stringify(inbox.body)).not.toContain(CLEAR);
    // In-house staff see the number as it is.
    expect(JSON.stringify((await asAdmin.get(`/api/v1/orders/${orderId}`)).body)).toContain(CLEAR);
  }, 120_000);

  test('When the contract ends, then the token is refused with the reason and the open lead goes back to in-house sales, once', async () => {
    const asCtv = apiClient(base, contractor.token);
    const asAdmin = apiClient(base, admin.token);
    const orderId = await leadFor('0987654321', 'Anh Nam');
    const close = await openTask(orderId, 'close');
    if (close.assigneeId !== contractor.id) {
      expect((await asAdmin.post(`/api/v1/tasks/${close.id}/reassign`, { to: contractor.id })).status).toBe(200);
    }

    // The manager moves the end to a few seconds from now: the waiting workflow reads it at once.
    const endsAt = new Date(Date.now() + 8_000).toISOString();
    const moved = await asAdmin.patch(`/api/v1/staff/${contractor.id}`, { contractEnds: endsAt });
    expect(moved.status).toBe(200);
    expect(moved.body.staff.contract).toMatchObject({ endsAt, ended: false });
    expect((await asCtv.get('/api/v1/me')).status).toBe(200);

    const refused = await eventually(
      async () => {
        const res = await asCtv.get('/api/v1/me');
        return res.status === 401 ? res : undefined;
      },
      30_000,
      'the token refused at the contract end',
    );
    expect(refused.body.error.code).toBe('contract_ended');
    expect(refused.body.error.message).toMatch(/Hợp đồng cộng tác đã kết thúc/);

    const result = await stack.temporal.workflow.getHandle(contractEndWorkflowId(contractor.id)).result();
    expect(result).toMatchObject({ ended: true, handBackTo: 'sales' });
    expect(result!.tasks).toContain(close.id);
    const stillTheirs = await stack.database.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.assigneeId, contractor.id), eq(tasks.status, 'open')));
    expect(stillTheirs).toEqual([]);
    const [handed] = await stack.database.db.select().from(tasks).where(eq(tasks.id, close.id));
    // Back in the in-house sales team: round-robin among those still under contract picks the in-house rep.
    expect(handed).toMatchObject({ status: 'open', role: 'sales', assigneeId: inHouse.id });
    const events = await stack.database.db.select().from(taskEvents).where(eq(taskEvents.taskId, close.id));
    expect(events.filter((e) => (e.data as { reason?: string } | null)?.reason === 'contract-ended')).toHaveLength(1);
    const member = await asAdmin.get(`/api/v1/staff/${contractor.id}`);
    expect(member.body.staff.contract).toMatchObject({ ended: true });
    expect(member.body.staff.contract.endedAt).toEqual(expect.any(String));

    // The in-house rep works the lead, phone in clear; the contractor gets no new leads.
    expect(JSON.stringify((await apiClient(base, inHouse.token).get(`/api/v1/tasks/${close.id}`)).body)).toContain('0987654321');
    const next = await openTask(await leadFor('0901111222', 'Chị Mai'), 'close');
    expect(next.assigneeId).toBe(inHouse.id);

    // A renewed contract (a new end ahead) lets the token work again.
    const renewed = await asAdmin.patch(`/api/v1/staff/${contractor.id}`, { contractEnds: '2099-12-31' });
    expect(renewed.status).toBe(200);
    expect(renewed.body.staff.contract).toMatchObject({ ended: false, endedAt: null });
    expect((await asCtv.get('/api/v1/me')).status).toBe(200);
  }, 180_000);
});
