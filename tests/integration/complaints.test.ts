/**
 * Complaints on the real parts: the HTTP app, the `complaint:<id>` workflow on a real dev
 * server with second-scale SLAs (escalations really fire), PostgreSQL as the read model.
 */
import { and, eq } from 'drizzle-orm';
import { customerContacts, notifications, salesDocuments } from '../../db/schema';
import { expectDocumented } from '../support/documented';
import { apiClient, eventually, fixture, openTestStack, type TestStack } from '../support/stack';

type Api = ReturnType<typeof apiClient>;

let stack: TestStack;
let base: string;
let admin: Api;
const staff: Record<string, { id: string; api: Api }> = {};
let customerId: string;
/** The fast process (2 s SLA) and a slow copy (1 h), for answers that must be within the SLA. */
const FAST = fixture('complaint-fast.yaml');
const SLOW = FAST.replace('    sla: 2s', '    sla: 1h')
  .replace('after: 2s, notify', 'after: 1h, notify')
  .replace('after: 3s, reassign', 'after: 2h, reassign');

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  admin = apiClient(base, (await stack.createStaff(['admin'])).token);
  for (const role of ['cskh', 'manager', 'warehouse', 'warehouse-lead', 'accounting', 'sales']) {
    const member = await stack.createStaff([role], { name: `Test ${role}` });
    staff[role] = { id: member.id, api: apiClient(base, member.token) };
  }
  const created = await admin.post('/api/v1/customers', { phone: '0905 111 222', name: 'Lê Văn Khiếu' });
  expect(created.status).toBe(201);
  customerId = created.body.id;
});
afterAll(() => stack?.close());

/** Files a complaint as CSKH and waits for its CSKH task. */
async function file(body: Record<string, unknown> = {}) {
  const res = await staff.cskh!.api.post('/api/v1/complaints', {
    customerId,
    category: 'damaged',
    description: 'Bình gốm bị vỡ khi nhận',
    ...body,
  });
  expect(res.status).toBe(201);
  const task = await openTaskOf(res.body.complaintId, 'complaint-intake');
  return { complaint: res.body.complaint, id: res.body.complaintId as string, task };
}

async function openTaskOf(complaintId: string, stage: string) {
  return eventually(
    async () => {
      const res = await admin.get(`/api/v1/tasks?order=${complaintId}&status=open`);
      return res.body.tasks?.find((t: { stage: string }) => t.stage === stage);
    },
    20_000,
    `the ${stage} task of ${complaintId}`,
  );
}

const complaintOf = async (id: string) => (await admin.get(`/api/v1/complaints/${id}`)).body;
/** The workflow records the decision right after the task Update answers. */
const decided = (id: string) =>
  eventually(
    async () => {
      const c = await complaintOf(id);
      return c.status !== 'open' ? c : undefined;
    },
    20_000,
    `the decision on ${id}`,
  );

describe('filing complaints', () => {
  test('When CSKH files a complaint by phone in any format with an Idempotency-Key, then one workflow starts and a retry returns the same complaint', async () => {
    await stack.activateProcess(SLOW);
    const body = { phone: '+84 905 111 222', category: 'wrong-item', description: 'Giao nhầm màu' };
    const first = await staff.cskh!.api.post('/api/v1/complaints', body, { 'Idempotency-Key': 'zalo-msg-1' });
    expect(first.status).toBe(201);
    expectDocumented('/api/v1/complaints', 'post', first);
    expect(first.body).toMatchObject({
      created: true,
      assignedTo: staff.cskh!.id,
      workflowId: `complaint:${first.body.complaintId}`,
      complaint: { customerId, status: 'open', category: 'wrong-item', resolvedAt: null, resolvedWithinSla: null },
    });
    expect(Date.parse(first.body.complaint.dueAt) - Date.parse(first.body.complaint.openedAt)).toBe(3_600_000);
    const again = await staff.cskh!.api.post('/api/v1/complaints', body, { 'Idempotency-Key': 'zalo-msg-1' });
    expect(again.status).toBe(200);
    expectDocumented('/api/v1/complaints', 'post', again);
    expect(again.body).toMatchObject({ created: false, complaintId: first.body.complaintId });
    const task = await openTaskOf(first.body.complaintId, 'complaint-intake');
    expect(task).toMatchObject({
      role: 'cskh',
      assigneeId: staff.cskh!.id,
      subject: { type: 'complaint', id: first.body.complaintId, customerId, category: 'wrong-item' },
    });
  });

  test('When the body is wrong (no customer, unknown phone, unknown category, unknown order) or the caller lacks the permission, then nothing is filed', async () => {
    const before = (await admin.get('/api/v1/complaints?limit=200')).body.complaints.length;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ category: 'damaged', description: 'x' }, 'customerId'],
      [{ phone: '0999999999', category: 'damaged', description: 'x' }, 'phone'],
      [{ customerId, category: 'smell', description: 'x' }, 'category'],
      [{ customerId, orderId: 'DH-NOPE', category: 'damaged', description: 'x' }, 'orderId'],
    ];
    for (const [body, field] of cases) {
      const res = await staff.cskh!.api.post('/api/v1/complaints', body);
      expect({ field, status: res.status }).toEqual({ field, status: 422 });
      expectDocumented('/api/v1/complaints', 'post', res);
      expect(res.body.error.details.fields[0].field).toBe(field);
    }
    expect((await staff.sales!.api.post('/api/v1/complaints', { customerId, category: 'damaged', description: 'x' })).status).toBe(403);
    expect((await staff.sales!.api.get('/api/v1/complaints')).status).toBe(403);
    expect((await admin.get('/api/v1/complaints?limit=200')).body.complaints.length).toBe(before);
  });
});

describe('settling complaints through the task API', () => {
  test('When CSKH rejects without a reason, then it is 422 and nothing changes; with a reason the complaint is rejected within its SLA and closed', async () => {
    await stack.activateProcess(SLOW);
    const { id, task } = await file();
    const noReason = await staff.cskh!.api.post(`/api/v1/tasks/${task.id}/complete`, {
      outcome: 'reject',
      data: { summary: 'Khách tự làm vỡ' },
    });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.details.fields).toEqual([{ field: 'data.reason', message: 'Cần điền «Lý do»' }]); // untitled in the fixture: the shop's word for the key
    expect(await complaintOf(id)).toMatchObject({ status: 'open', outcome: null, resolvedAt: null });
    expect((await admin.get(`/api/v1/tasks/${task.id}`)).body.status).toBe('open');

    const rejected = await staff.cskh!.api.post(`/api/v1/tasks/${task.id}/complete`, {
      outcome: 'reject',
      data: { summary: 'Video mở hàng cho thấy hàng nguyên vẹn', reason: 'Hàng nguyên vẹn khi giao' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body.nextStage).toBe('closed');
    const after = await eventually(
      async () => {
        const c = await complaintOf(id);
        return c.closedAt ? c : undefined;
      },
      20_000,
      'the rejected complaint to close',
    );
    expect(after).toMatchObject({
      status: 'rejected',
      outcome: 'reject',
      resolvedBy: staff.cskh!.id,
      resolvedWithinSla: true,
      resolution: { decision: { reason: 'Hàng nguyên vẹn khi giao' } },
    });
    expect(after.closedAt).not.toBeNull();
    expect(after.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['opened', 'task_opened', 'task_completed', 'rejected']),
    );
  });

  test.each([
    // A refund with no amount on its follow-up form pays what CSKH decided; no order named: none on the document.
    ['refund', { summary: 'Hoàn 200k', amount: 200_000 }, 'accounting', { reference: 'PC-0001' }, [['refund', null, -200_000]]],
    ['resend', { summary: 'Gửi lại bình mới' }, 'warehouse', { trackingCode: 'GHN123' }, []],
    ['exchange', { summary: 'Đổi màu khác' }, 'warehouse', {}, []],
    ['courier-claim', { summary: 'Hãng làm vỡ' }, 'warehouse-lead', { claimReference: 'CLM-9' }, []],
  ])(
    'When CSKH settles with %s, then its follow-up task goes to the right role, finishing it closes the complaint, and only a refund reaches the sales book',
    async (outcome, data, role, followUpData, salesBook) => {
      await stack.activateProcess(SLOW);
      const { id, task } = await file();
      const done = await staff.cskh!.api.post(`/api/v1/tasks/${task.id}/complete`, { outcome, data });
      expect(done.status).toBe(200);
      expect(done.body.nextStage).toBe(`complaint-${outcome}`);
      expect(await decided(id)).toMatchObject({
        status: 'resolved',
        outcome,
        resolvedWithinSla: true,
        closedAt: null,
        resolution: { decision: data },
      });

      const followUp = await openTaskOf(id, `complaint-${outcome}`);
      expect(followUp).toMatchObject({ role, subject: { type: 'complaint', id } });
      // Only the follow-up's role may finish it.
      expect((await staff.cskh!.api.post(`/api/v1/tasks/${followUp.id}/complete`, { outcome: 'done', data: followUpData })).status).toBe(
        403,
      );
      const finished = await staff[role]!.api.post(`/api/v1/tasks/${followUp.id}/complete`, { outcome: 'done', data: followUpData });
      expect(finished.status).toBe(200);
      const closed = await eventually(
        async () => {
          const c = await complaintOf(id);
          return c.closedAt ? c : undefined;
        },
        20_000,
        'the complaint to close',
      );
      expect(closed).toMatchObject({
        followUpTaskId: followUp.id,
        resolution: { decision: data, followUp: { taskId: followUp.id, by: staff[role]!.id, ...followUpData } },
      });
      expect(closed.tasks.map((t: { stage: string; status: string }) => [t.stage, t.status])).toEqual([
        ['complaint-intake', 'done'],
        [`complaint-${outcome}`, 'done'],
      ]);
      const documents = await stack.database.db.select().from(salesDocuments).where(eq(salesDocuments.complaintId, id));
      expect(documents.map((d) => [d.kind, d.orderId, d.goodsTotal])).toEqual(salesBook);
    },
  );

  test('When nobody answers within the 2-second SLA, then the ladder notifies, reassigns to the manager with a follow-up, and the late decision is not within the SLA', async () => {
    await stack.activateProcess(FAST);
    const { id, task } = await file();
    const escalated = await eventually(
      async () => {
        const t = (await admin.get(`/api/v1/tasks/${task.id}`)).body;
        return t.escalationLevel === 2 ? t : undefined;
      },
      30_000,
      'the second escalation',
    );
    expect(escalated).toMatchObject({ role: 'manager', assigneeId: null, priority: 'urgent', overdue: true });
    expect(
      escalated.timeline.filter((e: { type: string }) => e.type === 'task_escalated').map((e: { data: { level: number } }) => e.data.level),
    ).toEqual([1, 2]);
    const managerNotes = await stack.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.subjectId, id), eq(notifications.taskId, task.id)));
    expect(managerNotes.map((n) => n.roles)).toEqual(expect.arrayContaining([['manager']]));
    const callBack = await eventually(
      async () => {
        const res = await admin.get(`/api/v1/tasks?order=${id}&status=open&role=cskh`);
        return res.body.tasks.find((t: { followUpOf: string | null }) => t.followUpOf === task.id);
      },
      20_000,
      'the escalation follow-up',
    );
    expect(callBack).toMatchObject({ title: 'Gọi lại khách khiếu nại quá hạn', priority: 'high' });

    // CSKH no longer holds it; the manager decides, late.
    expect(
      (await staff.cskh!.api.post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'refund', data: { summary: 'x', amount: 1 } })).status,
    ).toBe(403);
    const late = await staff.manager!.api.post(`/api/v1/tasks/${task.id}/complete`, {
      outcome: 'refund',
      data: { summary: 'Hoàn tiền do giao vỡ', amount: 350_000 },
    });
    expect(late.status).toBe(200);
    const resolved = await decided(id);
    expect(resolved).toMatchObject({ status: 'resolved', outcome: 'refund', resolvedBy: staff.manager!.id, resolvedWithinSla: false });
    expect(Date.parse(resolved.resolvedAt)).toBeGreaterThan(Date.parse(resolved.dueAt));

    const refund = await openTaskOf(id, 'complaint-refund');
    expect((await staff.accounting!.api.post(`/api/v1/tasks/${refund.id}/complete`, { outcome: 'done', data: {} })).status).toBe(422); // the reference is required
    expect(
      (await staff.accounting!.api.post(`/api/v1/tasks/${refund.id}/complete`, { outcome: 'done', data: { reference: 'UNC-77' } })).status,
    ).toBe(200);
    // The escalation's call-back was left open: closing the complaint cancels it.
    await eventually(
      async () => (await admin.get(`/api/v1/tasks/${callBack.id}`)).body.status === 'cancelled',
      20_000,
      'the call-back to be cancelled',
    );
  });

  test("When complaints are listed and read, then filters, pages, the customer's history and the contacts CSKH made agree with what happened", async () => {
    const listed = await admin.get(`/api/v1/complaints?customer=${customerId}&limit=200`);
    expectDocumented('/api/v1/complaints', 'get', listed);
    const all = listed.body.complaints;
    expect(all.length).toBeGreaterThanOrEqual(7);
    const rejected = (await admin.get('/api/v1/complaints?status=rejected')).body.complaints;
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((c: { status: string }) => c.status === 'rejected')).toBe(true);
    const page1 = await admin.get(`/api/v1/complaints?customer=${customerId}&limit=3`);
    const page2 = await admin.get(`/api/v1/complaints?customer=${customerId}&limit=3&cursor=${page1.body.nextCursor}`);
    expect([...page1.body.complaints, ...page2.body.complaints].map((c: { id: string }) => c.id)).toEqual(
      all.slice(0, 6).map((c: { id: string }) => c.id),
    );
    expect((await admin.get('/api/v1/complaints?status=late')).status).toBe(400);
    expect((await admin.get('/api/v1/complaints/KN-NOPE')).status).toBe(404);
    for (const c of all) expectDocumented('/api/v1/complaints/{id}', 'get', await admin.get(`/api/v1/complaints/${c.id}`));

    const customer = (await admin.get(`/api/v1/customers/${customerId}`)).body;
    const settled = all.filter((c: { status: string }) => c.status !== 'open');
    expect(customer.complaints.map((c: { id: string }) => c.id).sort()).toEqual(all.map((c: { id: string }) => c.id).sort());
    // Each decision is a contact with the customer, kept for the care KPI.
    const contacts = await stack.database.db.select().from(customerContacts).where(eq(customerContacts.customerId, customerId));
    expect(
      contacts
        .filter((c) => c.kind === 'complaint')
        .map((c) => c.complaintId)
        .sort(),
    ).toEqual(settled.map((c: { id: string }) => c.id).sort());
    expect(customer.contacts.filter((c: { kind: string }) => c.kind === 'complaint')).toHaveLength(settled.length);
  });
});
