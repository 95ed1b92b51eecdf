/**
 * Customers (CRM) through the real HTTP app, with orders driven through the real order
 * workflow on the dev server: search by every phone format, create/409, changes, own scope,
 * merging duplicates with their history, and segments moving up and down as orders end.
 */
import { eq } from 'drizzle-orm';
import { complaints, customerContacts, orders } from '../../db/schema';
import { createCustomerActivities } from '../../activities/customers/customers';
import { createDefinitionsStore } from '../../server/shop/definitions';
import { expectDocumented } from '../support/documented';
import { apiClient, eventually, openTestStack, testLog, type TestStack } from '../support/stack';

type Api = ReturnType<typeof apiClient>;

/** A small order process: sales close with a total, the warehouse reports delivered or returned, CSKH cares. */
const CRM_ORDER = `apiVersion: shopflow/v1
kind: OrderProcess
metadata:
  name: crm-order
  title: "Test: CRM order"
spec:
  start: close
  stages:
    - id: close
      kind: human
      role: sales
      title: "Chốt đơn"
      sla: 1h
      form:
        type: object
        required: [total, codAmount]
        properties:
          total: { type: integer, minimum: 0 }
          codAmount: { type: integer, minimum: 0 }
      sets: { total: total, codAmount: codAmount } # which fields change the order's figures is declared
      on:
        closed: { to: deliver, title: "Đã chốt" }
        lost: { to: lost, title: "Không mua", form: { type: object } }
    - id: deliver
      kind: human
      role: warehouse
      title: "Kết quả giao hàng"
      sla: 1h
      on:
        delivered: care
        returned: returned
    - id: care
      kind: human
      role: cskh
      title: "Chăm sóc sau giao hàng"
      sla: 1h
      on: { cared: done }
    - { id: done, kind: end, title: "Hoàn tất", result: completed }
    - { id: lost, kind: end, title: "Không chốt được", result: lost }
    - { id: returned, kind: end, title: "Đã hoàn hàng", result: returned }
`;

let stack: TestStack;
let base: string;
let admin: Api;
let adminId: string;
let processName: string;
const staff: Record<string, { id: string; token: string; api: Api }> = {};

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  const adminMember = await stack.createStaff(['admin']);
  admin = apiClient(base, adminMember.token);
  adminId = adminMember.id;
  ({ name: processName } = await stack.activateProcess(CRM_ORDER));
  const people: Array<[string, string[], string[]]> = [
    ['salesA', ['sales'], []],
    ['salesB', ['sales'], ['zalo']],
    ['cskh', ['cskh'], []],
    ['manager', ['manager'], []],
    ['warehouse', ['warehouse'], []],
  ];
  for (const [key, roles, channels] of people) {
    const member = await stack.createStaff(roles, { name: `Test ${key}`, channels });
    staff[key] = { ...member, api: apiClient(base, member.token) };
  }
});
afterAll(() => stack?.close());

async function openTask(orderId: string, stage: string) {
  return eventually(
    async () =>
      (await admin.get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find((t: { stage: string }) => t.stage === stage),
    20_000,
    `the ${stage} task of ${orderId}`,
  );
}

async function lead(phone: string, name = 'Khách test') {
  const res = await admin.post('/api/v1/leads', { channel: 'facebook', process: processName, customer: { name, phone } });
  expect(res.status).toBe(201);
  return res.body.orderId as string;
}

/** A lead walked through the real order workflow to its end: delivered (and cared for) or returned. */
async function orderEnding(phone: string, total: number, ending: 'delivered' | 'returned') {
  const orderId = await lead(phone);
  const close = await openTask(orderId, 'close');
  expect(
    (await staff.salesA!.api.post(`/api/v1/tasks/${close.id}/complete`, { outcome: 'closed', data: { total, codAmount: total } })).status,
  ).toBe(200);
  const deliver = await openTask(orderId, 'deliver');
  expect((await staff.warehouse!.api.post(`/api/v1/tasks/${deliver.id}/complete`, { outcome: ending })).status).toBe(200);
  if (ending === 'delivered') {
    const care = await openTask(orderId, 'care');
    expect((await staff.cskh!.api.post(`/api/v1/tasks/${care.id}/complete`, { outcome: 'cared' })).status).toBe(200);
  }
  // The customer is updated before the workflow returns.
  await stack.temporal.workflow.getHandle(`order:${orderId}`).result();
  return orderId;
}

const ids = (res: { body: { customers: Array<{ id: string }> } }) => res.body.customers.map((c) => c.id);

describe('finding and keeping customers', () => {
  let bich: string;

  test('When a customer is created, then every accepted way of writing the phone finds them, and so does part of the name', async () => {
    const created = await admin.post('/api/v1/customers', {
      phone: '0912 345 678',
      name: 'Trần Thị Bích',
      channel: 'zalo',
      tags: ['hay-mua-online'],
      addresses: [{ street: '12 Lê Lợi', ward: 'Bến Nghé', district: 'Quận 1', province: 'TP. Hồ Chí Minh' }],
    });
    expect(created.status).toBe(201);
    expectDocumented('/api/v1/customers', 'post', created);
    expect(created.body).toMatchObject({
      phone: '0912345678',
      name: 'Trần Thị Bích',
      channel: 'zalo',
      segment: 'new',
      wholesale: false,
      defaultAddress: { ward: 'Bến Nghé', isDefault: true },
    });
    bich = created.body.id;
    await admin.post('/api/v1/customers', { phone: '0987 654 321', name: 'Nguyễn Văn Khác' });

    for (const q of [
      '0912345678',
      '0912 345 678',
      '0912.345.678',
      '0912-345-678',
      '+84912345678',
      '+84 912 345 678',
      '84912345678',
      '(0912) 345 678',
    ]) {
      const res = await admin.get(`/api/v1/customers?q=${encodeURIComponent(q)}`);
      expectDocumented('/api/v1/customers', 'get', res);
      expect({ q, ids: ids(res) }).toEqual({ q, ids: [bich] });
    }
    for (const q of ['trần thị', 'Bích', 'TRẦN', '345 678']) {
      expect({ q, ids: ids(await admin.get(`/api/v1/customers?q=${encodeURIComponent(q)}`)) }).toEqual({ q, ids: [bich] });
    }
    expect(ids(await admin.get('/api/v1/customers?q=Không%20có%20ai'))).toEqual([]);
    const page1 = await admin.get('/api/v1/customers?limit=1');
    const page2 = await admin.get(`/api/v1/customers?limit=1&cursor=${page1.body.nextCursor}`);
    expect([...ids(page1), ...ids(page2)].sort()).toEqual(ids(await admin.get('/api/v1/customers?limit=2')).sort());
    expect((await admin.get('/api/v1/customers?segment=platinum')).status).toBe(400);
  });

  test('When the phone already has a customer (in any format), then creating is 409 naming them; bad input is 422 and creates nothing', async () => {
    const before = (await admin.get('/api/v1/customers?limit=200')).body.customers.length;
    const again = await admin.post('/api/v1/customers', { phone: '+84 912 345 678', name: 'Bích (trùng)' });
    expect(again.status).toBe(409);
    expectDocumented('/api/v1/customers', 'post', again);
    expectDocumented('/api/v1/customers', 'post', await admin.post('/api/v1/customers', { name: 'no phone' }));
    expect(again.body.error.details).toEqual({ existingId: bich });
    const badPhone = await admin.post('/api/v1/customers', { phone: '12345678', name: 'Sai số' });
    expect(badPhone.status).toBe(422);
    expect(badPhone.body.error.details.fields[0].field).toBe('phone');
    const twoDefaults = await admin.post('/api/v1/customers', {
      phone: '0933 222 111',
      name: 'Hai mặc định',
      addresses: [
        { street: 'a', ward: 'b', province: 'c', isDefault: true },
        { street: 'd', ward: 'e', province: 'f', isDefault: true },
      ],
    });
    expect(twoDefaults.status).toBe(422);
    expect((await admin.post('/api/v1/customers', { phone: '0933 222 111', name: 'X', channel: 'myspace' })).status).toBe(422);
    expect((await staff.salesA!.api.post('/api/v1/customers', { phone: '0933 222 111', name: 'X' })).status).toBe(403);
    expect((await admin.get('/api/v1/customers?limit=200')).body.customers.length).toBe(before);
  });

  test('When CSKH changes addresses, tags and the wholesale flag, then the default follows and the segment is recomputed with its history', async () => {
    const res = await staff.cskh!.api.patch(`/api/v1/customers/${bich}`, {
      addresses: [
        { street: '12 Lê Lợi', ward: 'Bến Nghé', province: 'TP. Hồ Chí Minh' },
        { label: 'Kho', street: '5 Trường Chinh', ward: 'Phường 12', district: 'Tân Bình', province: 'TP. Hồ Chí Minh', isDefault: true },
      ],
      tags: ['si-quan-ao'],
      wholesale: true,
      notes: 'Khách lấy sỉ theo đợt',
    });
    expect(res.status).toBe(200);
    expectDocumented('/api/v1/customers/{id}', 'patch', res);
    expect(res.body).toMatchObject({
      wholesale: true,
      tags: ['si-quan-ao'],
      segment: 'wholesale',
      notes: 'Khách lấy sỉ theo đợt',
      defaultAddress: { label: 'Kho', ward: 'Phường 12' },
    });
    const detail = (await admin.get(`/api/v1/customers/${bich}`)).body;
    expect(detail.segmentHistory).toEqual([
      expect.objectContaining({
        from: 'new',
        to: 'wholesale',
        orderId: null,
        actor: staff.cskh!.id,
        reason: expect.stringContaining('wholesale set'),
      }),
    ]);
    expect(ids(await admin.get('/api/v1/customers?segment=wholesale'))).toEqual([bich]);

    const taken = await staff.cskh!.api.patch(`/api/v1/customers/${bich}`, { phone: '0987.654.321' });
    expect(taken.status).toBe(409);
    expect((await staff.cskh!.api.patch(`/api/v1/customers/${bich}`, {})).status).toBe(422);
    expect((await staff.cskh!.api.patch('/api/v1/customers/cus_nope', { notes: 'x' })).status).toBe(404);
    expect((await staff.salesA!.api.patch(`/api/v1/customers/${bich}`, { notes: 'x' })).status).toBe(403);
    expect((await admin.get(`/api/v1/customers/${bich}`)).body.phone).toBe('0912345678');
  });

  test('When a sales rep has scope own, then they see only customers of orders whose tasks they hold', async () => {
    const orderId = await lead('0933 444 555', 'Khách của A');
    const close = await openTask(orderId, 'close');
    expect(close.assigneeId).toBe(staff.salesA!.id);
    const [order] = await stack.database.db.select({ customerId: orders.customerId }).from(orders).where(eq(orders.id, orderId));
    const mine = order!.customerId!;

    expect(ids(await staff.salesA!.api.get('/api/v1/customers?limit=200'))).toContain(mine);
    expect(ids(await staff.salesA!.api.get('/api/v1/customers?limit=200'))).not.toContain(bich);
    expect((await staff.salesA!.api.get(`/api/v1/customers/${mine}`)).status).toBe(200);
    expect((await staff.salesA!.api.get(`/api/v1/customers/${bich}`)).status).toBe(404);
    expect(ids(await staff.salesB!.api.get('/api/v1/customers?q=0933444555'))).toEqual([]);
    expect(ids(await staff.cskh!.api.get('/api/v1/customers?q=0933444555'))).toEqual([mine]); // scope all
  });
});

describe('merging duplicates', () => {
  test('When a manager merges a duplicate, then its orders, complaints and history move to the survivor, it leaves search, and its id points at the survivor', async () => {
    const survivor = (
      await admin.post('/api/v1/customers', {
        phone: '0911 000 222',
        name: 'Phạm Văn Sống',
        tags: ['zalo'],
        addresses: [{ street: '1 Hùng Vương', ward: 'Điện Biên', province: 'Hà Nội' }],
      })
    ).body;
    const duplicate = (
      await admin.post('/api/v1/customers', {
        phone: '0922 000 333',
        name: 'Pham Van Song',
        notes: 'Số thứ hai',
        wholesale: true,
        addresses: [{ street: '9 Kim Mã', ward: 'Ngọc Khánh', province: 'Hà Nội' }],
      })
    ).body;
    const dupOrder = await lead('0922000333', 'Pham Van Song');
    await openTask(dupOrder, 'close');
    const filed = await admin.post('/api/v1/complaints', {
      customerId: duplicate.id,
      orderId: dupOrder,
      category: 'damaged',
      description: 'Hàng vỡ',
    });
    expect(filed.status).toBe(201);
    const dupHistory = (await admin.get(`/api/v1/customers/${duplicate.id}`)).body.segmentHistory;
    expect(dupHistory).toHaveLength(1); // created wholesale

    expect((await staff.cskh!.api.post(`/api/v1/customers/${survivor.id}/merge`, { duplicateId: duplicate.id })).status).toBe(403);
    const merged = await staff.manager!.api.post(`/api/v1/customers/${survivor.id}/merge`, { duplicateId: duplicate.id });
    expect(merged.status).toBe(200);
    expectDocumented('/api/v1/customers/{id}/merge', 'post', merged);
    expect(merged.body).toMatchObject({
      mergedId: duplicate.id,
      moved: { orders: 1, complaints: 1, segmentChanges: 1 },
      customer: { id: survivor.id, wholesale: true, tags: ['zalo'], segment: 'wholesale' },
    });
    expect(merged.body.customer.addresses.map((a: { street: string; isDefault: boolean }) => [a.street, a.isDefault])).toEqual([
      ['1 Hùng Vương', true],
      ['9 Kim Mã', false],
    ]);

    expect(ids(await admin.get('/api/v1/customers?q=Pham%20Van%20Song'))).toEqual([]);
    expect(ids(await admin.get('/api/v1/customers?q=%2B84922000333'))).toEqual([survivor.id]);
    const pointer = await fetch(`${base}/api/v1/customers/${duplicate.id}`, {
      headers: { authorization: `Bearer ${staff.manager!.token}` },
      redirect: 'manual',
    });
    expect(pointer.status).toBe(301);
    expect(pointer.headers.get('location')).toBe(`/api/v1/customers/${survivor.id}`);
    const pointerBody = await pointer.json();
    expectDocumented('/api/v1/customers/{id}', 'get', { status: 301, body: pointerBody });
    expect(pointerBody).toMatchObject({ id: duplicate.id, mergedInto: survivor.id });

    const read = await admin.get(`/api/v1/customers/${survivor.id}`);
    expectDocumented('/api/v1/customers/{id}', 'get', read);
    const detail = read.body;
    expect(detail.orders.map((o: { id: string }) => o.id)).toEqual([dupOrder]);
    expect(detail.complaints.map((c: { id: string }) => c.id)).toEqual([filed.body.complaintId]);
    expect(detail.mergedFrom).toEqual([expect.objectContaining({ id: duplicate.id, actor: staff.manager!.id })]);
    expect(detail.notes).toContain('Số thứ hai');
    // The duplicate's history is kept, then the survivor's own change from the merge.
    expect(detail.segmentHistory.map((c: { from: string | null; to: string; reason: string }) => [c.from, c.to, c.reason])).toEqual([
      [null, 'wholesale', `created by ${adminId} as wholesale`],
      ['new', 'wholesale', `merged with ${duplicate.id} by ${staff.manager!.id}`],
    ]);
    const [complaint] = await stack.database.db.select().from(complaints).where(eq(complaints.id, filed.body.complaintId));
    expect(complaint!.customerId).toBe(survivor.id);

    expect((await staff.manager!.api.post(`/api/v1/customers/${survivor.id}/merge`, { duplicateId: duplicate.id })).status).toBe(409);
    expect((await staff.manager!.api.post(`/api/v1/customers/${survivor.id}/merge`, { duplicateId: survivor.id })).status).toBe(422);
    expect((await staff.manager!.api.post(`/api/v1/customers/${survivor.id}/merge`, { duplicateId: 'cus_nope' })).status).toBe(422);

    // The duplicate's number comes back as a lead: the order goes to the survivor.
    const later = await lead('+84 922 000 333', 'Song');
    // The workflow writes the order's row a moment after the lead's answer.
    const row = await eventually(
      async () => (await stack.database.db.select({ customerId: orders.customerId }).from(orders).where(eq(orders.id, later)))[0],
      20_000,
      `order ${later}`,
    );
    expect(row.customerId).toBe(survivor.id);
  });
});

describe('segments follow delivered and returned orders', () => {
  test('When orders of a customer end delivered, delivered, then returned, then the segment goes new → loyal → new with history rows, care contacts are kept, and the next lead shows the reliability', async () => {
    // This shop's loyal customers have 2 deliveries and a return rate under 30%.
    const definitions = createDefinitionsStore(stack.database.db);
    const shopYaml = (await definitions.active('default-shop'))!.yaml;
    expect(shopYaml).toContain('rule: { deliveredOrders: { gte: 3 } }');
    const { row } = await definitions.save({
      yaml: shopYaml.replace('rule: { deliveredOrders: { gte: 3 } }', 'rule: { deliveredOrders: { gte: 2 }, returnRate: { lt: 0.3 } }'),
      file: 'shop.yaml',
      author: 'test',
    });
    await definitions.activate(row.name, row.version);

    const phone = '0977 000 111';
    const first = await orderEnding(phone, 400_000, 'delivered');
    const customerId = (await stack.database.db.select({ customerId: orders.customerId }).from(orders).where(eq(orders.id, first)))[0]!
      .customerId!;
    const segmentOf = async () => (await admin.get(`/api/v1/customers/${customerId}`)).body.segment;
    expect(await segmentOf()).toBe('new');
    const second = await orderEnding(phone, 600_000, 'delivered');
    expect(await segmentOf()).toBe('loyal');
    expect(ids(await admin.get('/api/v1/customers?segment=loyal'))).toContain(customerId);
    const third = await orderEnding(phone, 500_000, 'returned');
    expect(await segmentOf()).toBe('new');
    expect(ids(await admin.get('/api/v1/customers?segment=loyal'))).not.toContain(customerId);

    const read = await admin.get(`/api/v1/customers/${customerId}`);
    expectDocumented('/api/v1/customers/{id}', 'get', read);
    const detail = read.body;
    expect(detail.segmentHistory.map((c: { from: string | null; to: string; orderId: string }) => [c.from, c.to, c.orderId])).toEqual([
      ['new', 'loyal', second],
      ['loyal', 'new', third],
    ]);
    expect(detail.segmentHistory[1].reason).toBe(
      `order ${third} returned: 2 delivered, 1 returned (return rate 33.3%), 1.000.000 VND delivered in 12 months`,
    );
    expect(detail.reliability).toEqual({ orders: 3, delivered: 2, returned: 1, deliveredValue12m: 1_000_000, returnRate: 1 / 3 });
    expect(detail.orders.map((o: { id: string; status: string }) => [o.id, o.status])).toEqual([
      [third, 'returned'],
      [second, 'completed'],
      [first, 'completed'],
    ]);
    expect(detail.care.map((t: { orderId: string; status: string }) => [t.orderId, t.status])).toEqual([
      [second, 'done'],
      [first, 'done'],
    ]);

    // Care contacts: one per finished care task, with the segment the customer had then.
    const contacts = await stack.database.db.select().from(customerContacts).where(eq(customerContacts.customerId, customerId));
    expect(contacts.map((c) => [c.kind, c.orderId, c.stage, c.staffId, c.segment]).sort()).toEqual(
      [
        ['care', first, 'care', staff.cskh!.id, null],
        ['care', second, 'care', staff.cskh!.id, 'new'],
      ].sort(),
    );

    // A retried activity (Temporal delivers at least once) records nothing twice.
    const activities = createCustomerActivities({ db: stack.database.db, log: testLog });
    expect(await activities.updateCustomerAfterOrder({ orderId: third, result: 'returned' })).toEqual({ segment: 'new', changed: false });
    expect(await activities.updateCustomerAfterOrder({ orderId: second, result: 'completed' })).toEqual({ segment: 'new', changed: false });
    expect((await admin.get(`/api/v1/customers/${customerId}`)).body.segmentHistory).toHaveLength(2);
    expect(await stack.database.db.select().from(customerContacts).where(eq(customerContacts.customerId, customerId))).toHaveLength(2);

    // Confirmation staff see the delivered/returned history on the next order's tasks.
    const next = await lead(phone);
    const task = await openTask(next, 'close');
    expect(task.subject.customerHistory).toEqual({ orders: 3, delivered: 2, returned: 1, returnRate: 1 / 3 });
  });
});
