/**
 * Human tasks end to end: a lead through the real HTTP app starts `order:<id>` on the real dev
 * server; its tasks appear in PostgreSQL and the task API; staff complete them over HTTP;
 * second-scale SLAs make escalations really fire.
 */
import { and, asc, eq } from 'drizzle-orm';
import { notifications, staff, taskEvents, tasks } from '../../db/schema';
import { statusQuery } from '../../workflows/orders/order';
import { apiClient, eventually, fixture, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let processName: string;
let sales: { id: string; token: string };
let marketing: { id: string; token: string };
let cskh: { id: string; token: string };
let manager: { id: string; token: string };

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  ({ name: processName } = await stack.activateProcess(fixture('fast-order.yaml')));
  [sales, cskh, manager, marketing] = await Promise.all([
    stack.createStaff(['sales-lead']),
    stack.createStaff(['cskh']),
    stack.createStaff(['manager']),
    stack.createStaff(['marketing']),
  ]);
});
afterAll(() => stack?.close());

async function newLead(phone = '0912 345 678') {
  const res = await apiClient(base, marketing.token).post('/api/v1/leads', {
    channel: 'facebook',
    process: processName,
    customer: { name: 'Trần Thị B', phone },
  });
  expect(res.status).toBe(201);
  return res.body as { orderId: string; workflowId: string };
}

async function openTaskOf(orderId: string, stage: string) {
  return eventually(
    async () =>
      (
        await stack.database.db
          .select()
          .from(tasks)
          .where(and(eq(tasks.subjectId, orderId), eq(tasks.stage, stage), eq(tasks.status, 'open')))
      )[0],
    20_000,
    `open ${stage} task`,
  );
}

describe('task API and human-task workflow', () => {
  test('When a lead arrives, then a task opens for the right role and completing it over HTTP moves the order on', async () => {
    const { orderId, workflowId } = await newLead();
    const task = await openTaskOf(orderId, 'close');
    expect(task).toMatchObject({ role: 'sales-lead', assigneeId: null, title: 'Chốt đơn', priority: 'normal', status: 'open' });
    expect(task.dueAt!.getTime() - task.createdAt.getTime()).toBe(2_000);

    const list = await apiClient(base, sales.token).get(`/api/v1/tasks?status=open&order=${orderId}`);
    expect(list.status).toBe(200);
    expect(list.body.tasks).toHaveLength(1);
    expect(list.body.tasks[0]).toMatchObject({
      id: task.id,
      stage: 'close',
      role: 'sales-lead',
      subject: { type: 'order', id: orderId, customer: 'Trần Thị B', phone: '0912345678' },
    });

    const detail = await apiClient(base, sales.token).get(`/api/v1/tasks/${task.id}`);
    expect(detail.body.outcomes.map((o: { name: string; forward: boolean }) => [o.name, o.forward])).toEqual([
      ['closed', true],
      ['lost', false],
    ]);
    expect(detail.body.form.required).toEqual(['codAmount']);
    expect(detail.body.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['opened', 'stage_entered', 'task_opened']),
    );

    const done = await apiClient(base, sales.token).post(`/api/v1/tasks/${task.id}/complete`, {
      outcome: 'closed',
      data: { codAmount: 350000 },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      nextStage: 'confirm',
      task: { id: task.id, status: 'done', outcome: 'closed', completedBy: sales.id },
    });
    const confirm = await openTaskOf(orderId, 'confirm');
    // CSKH auto-assigns (least-loaded) among every active CSKH member of the shared test database.
    expect(confirm.role).toBe('cskh');
    const [assignee] = await stack.database.db.select().from(staff).where(eq(staff.id, confirm.assigneeId!));
    expect(assignee!.roles).toContain('cskh');
    const status = await stack.temporal.workflow.getHandle(workflowId).query(statusQuery);
    expect(status).toMatchObject({ stage: 'confirm', status: 'open', waitingOn: [{ taskId: confirm.id, role: 'cskh' }] });

    const finisher = confirm.assigneeId === cskh.id ? cskh : await stack.createStaff(['admin']);
    // Lists page newest first with an opaque cursor; a forged cursor is a 400.
    const first = await apiClient(base, sales.token).get(`/api/v1/tasks?order=${orderId}&limit=1`);
    expect(first.body.tasks.map((t: { id: string }) => t.id)).toEqual([confirm.id]);
    const second = await apiClient(base, sales.token).get(`/api/v1/tasks?order=${orderId}&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ tasks: [{ id: task.id }], nextCursor: null });
    expect((await apiClient(base, sales.token).get('/api/v1/tasks?cursor=nonsense')).status).toBe(400);
    expect((await apiClient(base, sales.token).get('/api/v1/tasks?limit=500')).status).toBe(400);

    const finished = await apiClient(base, finisher.token).post(`/api/v1/tasks/${confirm.id}/complete`, { outcome: 'confirmed' });
    expect(finished.body.nextStage).toBe('done');
    expect(await stack.temporal.workflow.getHandle(workflowId).result()).toMatchObject({
      stage: 'done',
      status: 'done',
      result: 'completed',
    });
  });

  test('When the SLA passes, then the escalation ladder fires in order, reassigns, and the task stays open', async () => {
    const { orderId, workflowId } = await newLead('0987654321');
    const task = await openTaskOf(orderId, 'close');
    // Rung 1 (2 s): notify sales-lead. Rung 2 (4 s): reassign to manager, priority high, follow-up task for CSKH.
    const escalations = await eventually(
      async () => {
        const rows = await stack.database.db
          .select()
          .from(taskEvents)
          .where(and(eq(taskEvents.taskId, task.id), eq(taskEvents.type, 'escalated')))
          .orderBy(asc(taskEvents.id));
        return rows.length === 2 ? rows : undefined;
      },
      20_000,
      'two escalations',
    );
    expect(escalations.map((e) => e.data!.level)).toEqual([1, 2]);
    expect(escalations[1]!.at.getTime() - task.createdAt.getTime()).toBeGreaterThanOrEqual(4_000);

    const notes = await stack.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.taskId, task.id))
      .orderBy(asc(notifications.id));
    expect(notes.map((n) => [n.roles, n.data])).toEqual([
      [['manager'], { level: 1, stage: 'close' }],
      [['manager'], { level: 2, stage: 'close' }],
    ]);

    // The follow-up task is opened right after the rung is recorded.
    const managerView = await eventually(
      async () => {
        const view = await apiClient(base, manager.token).get(`/api/v1/tasks?order=${orderId}&status=open`);
        return view.body.tasks.length === 2 ? view : undefined;
      },
      20_000,
      'escalated task and its follow-up',
    );
    const byStage = Object.fromEntries(managerView.body.tasks.map((t: { title: string }) => [t.title, t]));
    expect(byStage['Chốt đơn']).toMatchObject({ id: task.id, role: 'manager', priority: 'high', escalationLevel: 2, overdue: true });
    expect(byStage['Gọi lại khách chưa được chốt']).toMatchObject({ role: 'cskh', followUpOf: task.id });
    // It is the manager's now: the sales lead it was first for may no longer complete it.
    expect(
      (await apiClient(base, sales.token).post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'closed', data: { codAmount: 1 } })).status,
    ).toBe(403);

    // The reminder closed nothing: the manager can still complete the original task.
    const done = await apiClient(base, manager.token).post(`/api/v1/tasks/${task.id}/complete`, {
      outcome: 'lost',
      data: { reason: 'no-answer' },
    });
    expect(done.status).toBe(200);
    expect(done.body.nextStage).toBe('lost');
    expect(await stack.temporal.workflow.getHandle(workflowId).result()).toMatchObject({ result: 'lost' });
    // The follow-up nobody finished is cancelled with the order.
    expect((await stack.database.db.select().from(tasks).where(eq(tasks.subjectId, orderId))).map((t) => t.status).sort()).toEqual([
      'cancelled',
      'done',
    ]);
  });

  test('When a completion is invalid, then it is rejected with field errors and nothing changes', async () => {
    const { orderId } = await newLead('0911111111');
    const task = await openTaskOf(orderId, 'close');
    const client = apiClient(base, sales.token);
    const badOutcome = await client.post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'shipped' });
    expect(badOutcome.status).toBe(422);
    expect(badOutcome.body.error.message).toMatch(/allowed: closed, lost/);
    const badData = await client.post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'closed', data: { codAmount: -5 } });
    expect(badData.status).toBe(422);
    expect(badData.body.error.details.fields[0].field).toBe('data.codAmount');
    const missing = await client.post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'lost', data: {} });
    expect(missing.status).toBe(422);
    const noOutcome = await client.post(`/api/v1/tasks/${task.id}/complete`, { data: {} });
    expect(noOutcome.status).toBe(422);
    expect(noOutcome.body.error.details.fields).toEqual([{ field: 'outcome', message: 'Cần điền «Kết quả»' }]);

    const [after] = await stack.database.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(after).toMatchObject({ status: 'open', outcome: null });
    expect((await stack.database.db.select().from(taskEvents).where(eq(taskEvents.taskId, task.id))).map((e) => e.type)).not.toContain(
      'completed',
    );
  });

  test('When two people claim the same task at once, then exactly one wins and the other gets 409', async () => {
    const { orderId } = await newLead('0922222222');
    const task = await openTaskOf(orderId, 'close');
    const other = await stack.createStaff(['sales-lead']);
    const [a, b] = await Promise.all([
      apiClient(base, sales.token).post(`/api/v1/tasks/${task.id}/claim`),
      apiClient(base, other.token).post(`/api/v1/tasks/${task.id}/claim`),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? sales : other;
    const loser = a.status === 200 ? other : sales;
    const [row] = await stack.database.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(row!.assigneeId).toBe(winner.id);
    // The loser may not complete it; the winner may unclaim it back to the queue.
    const blocked = await apiClient(base, loser.token).post(`/api/v1/tasks/${task.id}/complete`, {
      outcome: 'closed',
      data: { codAmount: 1 },
    });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.message).toContain(`assigned to ${winner.id}`);
    expect((await apiClient(base, winner.token).post(`/api/v1/tasks/${task.id}/unclaim`)).status).toBe(200);
    expect((await apiClient(base, loser.token).post(`/api/v1/tasks/${task.id}/claim`)).status).toBe(200);
  });

  test('When the caller lacks a token, the role, or an active account, then 401/403 and nothing changes; completing twice is 409', async () => {
    const { orderId } = await newLead('0933333333');
    const task = await openTaskOf(orderId, 'close');
    expect((await apiClient(base).get('/api/v1/tasks')).status).toBe(401);
    expect((await apiClient(base, 'sf_not-a-real-token').get('/api/v1/tasks')).status).toBe(401);
    const wrongRole = await apiClient(base, manager.token).post(`/api/v1/tasks/${task.id}/complete`, {
      outcome: 'closed',
      data: { codAmount: 1 },
    });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.error).toMatchObject({ code: 'forbidden' });

    const leaving = await stack.createStaff(['sales-lead']);
    expect((await apiClient(base, leaving.token).get('/api/v1/tasks')).status).toBe(200);
    const admin = await stack.createStaff(['admin']);
    expect((await apiClient(base, admin.token).post(`/api/v1/staff/${leaving.id}/deactivate`)).status).toBe(200);
    expect((await apiClient(base, leaving.token).get('/api/v1/tasks')).status).toBe(401);

    expect(
      (await apiClient(base, sales.token).post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'closed', data: { codAmount: 1 } })).status,
    ).toBe(200);
    const again = await apiClient(base, sales.token).post(`/api/v1/tasks/${task.id}/complete`, {
      outcome: 'closed',
      data: { codAmount: 1 },
    });
    expect(again.status).toBe(409);
  });

  test('When leads arrive for an auto-assigned role, then tasks go round-robin and a returning customer goes back to their rep', async () => {
    const reps = [await stack.createStaff(['sales'], { channels: ['zalo'] }), await stack.createStaff(['sales'], { channels: ['zalo'] })];
    const lead = async (phone: string) => {
      const res = await apiClient(base, marketing.token).post('/api/v1/leads', {
        channel: 'zalo',
        process: 'standard-order',
        customer: { name: 'Khách', phone },
      });
      expect(res.status).toBe(201);
      return (await openTaskOf(res.body.orderId, 'close')).assigneeId;
    };
    const first = await lead('0355000001');
    const second = await lead('0355000002');
    expect(new Set([first, second])).toEqual(new Set(reps.map((r) => r.id)));
    expect(await lead('+84 355 000 001')).toBe(first); // the same customer, written differently

    // Scope `own`: each rep lists only their own tasks (and their role's unassigned queue).
    const [repA, repB] = reps;
    const seen = async (rep: { token: string }) =>
      (await apiClient(base, rep.token).get('/api/v1/tasks?status=open')).body.tasks.map((t: { assigneeId: string }) => t.assigneeId);
    expect(new Set(await seen(repA!))).toEqual(new Set([repA!.id]));
    expect(new Set(await seen(repB!))).toEqual(new Set([repB!.id]));
  });

  test('When a manager reassigns a task to a role or to a person, then it moves, the event is recorded, and others cannot reassign', async () => {
    const { orderId } = await newLead('0966666666');
    const task = await openTaskOf(orderId, 'close');
    const toRole = await apiClient(base, manager.token).post(`/api/v1/tasks/${task.id}/reassign`, { to: 'cskh' });
    expect(toRole.status).toBe(200);
    expect(toRole.body).toMatchObject({ role: 'cskh', assigneeId: null });
    const toPerson = await apiClient(base, manager.token).post(`/api/v1/tasks/${task.id}/reassign`, { to: cskh.id });
    expect(toPerson.body).toMatchObject({ role: 'cskh', assigneeId: cskh.id });
    const unknown = await apiClient(base, manager.token).post(`/api/v1/tasks/${task.id}/reassign`, { to: 'nobody' });
    expect(unknown.status).toBe(422);
    expect((await apiClient(base, cskh.token).post(`/api/v1/tasks/${task.id}/reassign`, { to: 'manager' })).status).toBe(403);
    const events = await stack.database.db
      .select()
      .from(taskEvents)
      .where(and(eq(taskEvents.taskId, task.id), eq(taskEvents.type, 'reassigned')))
      .orderBy(asc(taskEvents.id));
    expect(events.map((e) => [e.actor, (e.data as { to: { role: string } }).to.role])).toEqual([
      [manager.id, 'cskh'],
      [manager.id, 'cskh'],
    ]);
    // The new holder completes it and the order moves on.
    const done = await apiClient(base, cskh.token).post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'closed', data: { codAmount: 5 } });
    expect(done.body.nextStage).toBe('confirm');
  });

  test('When the worker restarts while a task is open, then the task survives and completing it still moves the order', async () => {
    const { orderId } = await newLead('0944444444');
    const task = await openTaskOf(orderId, 'close');
    const separate = await openTestStack({ TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue, DATABASE_URL: stack.config.databaseUrl! });
    try {
      // Stop every worker of this queue, then bring a fresh one up.
      await stack.close();
      stack = separate;
      await stack.startWorker();
      base = await stack.startApp();
      const done = await apiClient(base, sales.token).post(`/api/v1/tasks/${task.id}/complete`, {
        outcome: 'closed',
        data: { codAmount: 10 },
      });
      expect([done.status, done.body.error]).toEqual([200, undefined]);
      expect(done.body.nextStage).toBe('confirm');
      await openTaskOf(orderId, 'confirm');
    } finally {
      // afterAll closes `stack`, which is now `separate`.
    }
  });
});
