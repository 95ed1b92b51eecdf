/**
 * Access on the real HTTP app: nobody acts on a member holding permissions they lack, nobody
 * grants them; reassigning stays within the roles a lead leads and keeps the task's role; scope
 * `own` reads KPI totals and its own row only; X-Forwarded-For counts only behind a trusted
 * proxy (TRUST_PROXY); forged courier webhooks are limited per client address.
 */
import crypto from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { apiTokens, courierEvents, orders, shipments, staff, taskEvents, tasks } from '../../db/schema';
import { apiClient, courierEnv, eventually, fixture, openTestStack, uniqueId, type TestStack } from '../support/stack';

type Member = { id: string; token: string };
let stack: TestStack;
let base: string;
let admin: Member;
let manager: Member;

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  [admin, manager] = await Promise.all([stack.createStaff(['admin']), stack.createStaff(['manager'])]);
});
afterAll(() => stack?.close());

const memberRow = async (id: string) => (await stack.database.db.select().from(staff).where(eq(staff.id, id)))[0]!;
const tokensOf = async (id: string) => stack.database.db.select().from(apiTokens).where(eq(apiTokens.staffId, id));

describe('staff: nobody acts on, or grants, powers they lack', () => {
  test('When a manager mints a token for, revokes, demotes, renames or deactivates the admin, then 403 names "*" and the admin is unchanged', async () => {
    const api = apiClient(base, manager.token);
    const before = await memberRow(admin.id);
    const tokensBefore = await tokensOf(admin.id);

    const minted = await api.post(`/api/v1/staff/${admin.id}/tokens`, { label: 'takeover' });
    expect(minted.status).toBe(403);
    expect(minted.body.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('(*)'), details: { missing: ['*'] } });
    expect(minted.body.token).toBeUndefined();

    const revoked = await api.delete(`/api/v1/staff/${admin.id}/tokens/${tokensBefore[0]!.id}`);
    expect(revoked.status).toBe(403);
    expect(revoked.body.error.message).toMatch(/cannot revoke tokens of .*\(\*\)/);
    for (const change of [{ roles: ['sales'] }, { name: 'Không còn là admin' }]) {
      const patched = await api.patch(`/api/v1/staff/${admin.id}`, change);
      expect(patched.status).toBe(403);
      expect(patched.body.error.details).toEqual({ missing: ['*'] });
    }
    const off = await api.post(`/api/v1/staff/${admin.id}/deactivate`);
    expect(off.status).toBe(403);
    expect(off.body.error.message).toMatch(/cannot deactivate .*\(\*\)/);

    expect(await memberRow(admin.id)).toEqual(before);
    expect(await tokensOf(admin.id)).toEqual(tokensBefore);
    expect((await apiClient(base, admin.token).get('/api/v1/me')).body).toMatchObject({ staffId: admin.id, permissions: ['*'] });
  });

  test('When a manager acts on a member whose roles carry a permission the manager lacks, then 403 names exactly those permissions', async () => {
    const keeper = await stack.createStaff(['warehouse']); // stock.manage, which the manager does not hold
    const api = apiClient(base, manager.token);
    const minted = await api.post(`/api/v1/staff/${keeper.id}/tokens`, {});
    expect(minted.status).toBe(403);
    expect(minted.body.error.details).toEqual({ missing: ['stock.manage'] });
    expect((await api.post(`/api/v1/staff/${keeper.id}/deactivate`)).status).toBe(403);
    expect((await memberRow(keeper.id)).active).toBe(true);
    // The admin holds everything and may.
    expect((await apiClient(base, admin.token).post(`/api/v1/staff/${keeper.id}/tokens`, {})).status).toBe(201);
  });

  test('When a manager grants the admin role or a role with permissions they lack, to someone else or to themselves, then 403 and no roles change', async () => {
    const api = apiClient(base, manager.token);
    const rep = await stack.createStaff(['cskh']);
    for (const [id, roles, missing] of [
      [rep.id, ['admin'], ['*']],
      [rep.id, ['cskh', 'accounting'], ['books.manage', 'stock.manage']],
      [manager.id, ['manager', 'admin'], ['*']],
    ] as const) {
      const res = await api.patch(`/api/v1/staff/${id}`, { roles });
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ message: expect.stringContaining('cannot grant roles'), details: { missing } });
    }
    const created = await api.post('/api/v1/staff', { name: 'Admin mới', roles: ['admin'] });
    expect(created.status).toBe(403);
    expect((await memberRow(rep.id)).roles).toEqual(['cskh']);
    expect((await memberRow(manager.id)).roles).toEqual(['manager']);
    expect(await stack.database.db.select().from(staff).where(eq(staff.name, 'Admin mới'))).toEqual([]);
  });

  test('When a manager manages someone holding no more than they do, or themselves, and an admin manages themself, then it works', async () => {
    const api = apiClient(base, manager.token);
    const rep = await stack.createStaff(['sales']);
    expect((await api.patch(`/api/v1/staff/${rep.id}`, { roles: ['sales', 'cskh'] })).status).toBe(200);
    const token = await api.post(`/api/v1/staff/${rep.id}/tokens`, { label: 'điện thoại' });
    expect(token.status).toBe(201);
    expect((await api.delete(`/api/v1/staff/${rep.id}/tokens/${token.body.tokenId}`)).status).toBe(204);
    expect((await api.post(`/api/v1/staff/${rep.id}/deactivate`)).status).toBe(200);
    // Themselves: a token of their own, a name, fewer roles than they hold are all within their powers.
    const own = await api.post(`/api/v1/staff/${manager.id}/tokens`, { label: 'laptop' });
    expect(own.status).toBe(201);
    expect((await apiClient(base, own.body.token).get('/api/v1/me')).body.staffId).toBe(manager.id);
    expect((await api.patch(`/api/v1/staff/${manager.id}`, { name: 'Quản lý ca sáng' })).status).toBe(200);
    const adminApi = apiClient(base, admin.token);
    expect((await adminApi.post(`/api/v1/staff/${admin.id}/tokens`, { label: 'spare' })).status).toBe(201);
    expect((await adminApi.patch(`/api/v1/staff/${admin.id}`, { name: 'Quản trị' })).status).toBe(200);
  });
});

describe('reassigning stays within the roles a lead leads', () => {
  let salesLead: Member;
  let warehouseLead: Member;
  let repA: Member;
  let repB: Member;
  let cskh: Member;

  beforeAll(async () => {
    [salesLead, warehouseLead, repA, repB, cskh] = await Promise.all([
      stack.createStaff(['sales-lead']),
      stack.createStaff(['warehouse-lead']),
      stack.createStaff(['sales'], { channels: ['facebook'] }),
      stack.createStaff(['sales'], { channels: ['facebook'] }),
      stack.createStaff(['cskh']),
    ]);
  });

  /** A lead on the shipped process: its close task is for role `sales`. */
  async function closeTask() {
    const lead = await apiClient(base, manager.token).post('/api/v1/leads', {
      channel: 'facebook',
      customer: { name: 'Lê Văn C', phone: `09${crypto.randomInt(10_000_000, 99_999_999)}` },
    });
    expect(lead.status).toBe(201);
    const task = await eventually(
      async () =>
        (
          await stack.database.db
            .select()
            .from(tasks)
            .where(and(eq(tasks.subjectId, lead.body.orderId), eq(tasks.stage, 'close'), eq(tasks.status, 'open')))
        )[0],
      30_000,
      'the close task',
    );
    expect(task.role).toBe('sales');
    return task;
  }
  const taskRow = async (id: string) => (await stack.database.db.select().from(tasks).where(eq(tasks.id, id)))[0]!;

  test('When a warehouse lead reassigns a sales close task (to themselves, to their team, or unclaims it), then 403 and the task stays with sales', async () => {
    const task = await closeTask();
    const api = apiClient(base, warehouseLead.token);
    for (const to of [warehouseLead.id, 'warehouse', repB.id]) {
      const res = await api.post(`/api/v1/tasks/${task.id}/reassign`, { to });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/you do not lead role "sales".*lead: warehouse-lead, warehouse/);
    }
    // Nor may they take it over by completing it at 1 VND.
    const done = await api.post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'closed', data: { codAmount: 1 } });
    expect(done.status).toBe(403);
    if (task.assigneeId) expect((await api.post(`/api/v1/tasks/${task.id}/unclaim`)).status).toBe(403);
    const after = await taskRow(task.id);
    expect({ role: after.role, assigneeId: after.assigneeId, status: after.status }).toEqual({
      role: 'sales',
      assigneeId: task.assigneeId,
      status: 'open',
    });
    expect(
      await stack.database.db
        .select()
        .from(taskEvents)
        .where(and(eq(taskEvents.taskId, task.id), eq(taskEvents.type, 'reassigned'))),
    ).toEqual([]);
  });

  test('When a sales lead reassigns a close task to another sales rep, then it keeps role sales; to someone without the role it is 422; to a role they do not lead 403', async () => {
    const task = await closeTask();
    const api = apiClient(base, salesLead.token);
    const target = task.assigneeId === repB.id ? repA : repB;
    const moved = await api.post(`/api/v1/tasks/${task.id}/reassign`, { to: target.id });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ role: 'sales', assigneeId: target.id });

    const noRole = await api.post(`/api/v1/tasks/${task.id}/reassign`, { to: cskh.id });
    expect(noRole.status).toBe(422);
    expect(noRole.body.error.details.fields).toEqual([{ field: 'to', message: expect.stringContaining('must hold role "sales"') }]);
    expect((await api.post(`/api/v1/tasks/${task.id}/reassign`, { to: 'cskh' })).status).toBe(403);
    expect((await api.post(`/api/v1/tasks/${task.id}/reassign`, { to: cskh.id, role: 'cskh' })).status).toBe(403);
    const unknownRole = await api.post(`/api/v1/tasks/${task.id}/reassign`, { to: repA.id, role: 'constructor' });
    expect(unknownRole.status).toBe(422);
    expect(unknownRole.body.error.details.fields[0].field).toBe('role');

    expect(await taskRow(task.id)).toMatchObject({ role: 'sales', assigneeId: target.id });
    // The new holder can work it; the one it was taken from no longer can.
    const other = target === repA ? repB : repA;
    expect((await apiClient(base, other.token).post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'closed', data: {} })).status).toBe(
      404,
    );
    const events = await stack.database.db
      .select()
      .from(taskEvents)
      .where(and(eq(taskEvents.taskId, task.id), eq(taskEvents.type, 'reassigned')))
      .orderBy(asc(taskEvents.id));
    expect(events.map((e) => [e.actor, e.data])).toEqual([
      [salesLead.id, { from: { role: 'sales', assigneeId: task.assigneeId }, to: { role: 'sales', assigneeId: target.id } }],
    ]);
  });

  test("When a manager moves a task to the sales leads' queue, then a sales lead can hand it back to a rep as a sales task", async () => {
    const task = await closeTask();
    const toLeads = await apiClient(base, manager.token).post(`/api/v1/tasks/${task.id}/reassign`, { to: 'sales-lead' });
    expect(toLeads.body).toMatchObject({ role: 'sales-lead', assigneeId: null });
    const api = apiClient(base, salesLead.token);
    // A rep does not hold sales-lead: handing it as it is would be 422; with role sales, the lead leads both.
    expect((await api.post(`/api/v1/tasks/${task.id}/reassign`, { to: repA.id })).status).toBe(422);
    const back = await api.post(`/api/v1/tasks/${task.id}/reassign`, { to: repA.id, role: 'sales' });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ role: 'sales', assigneeId: repA.id });
  });
});

describe('KPI under scope own', () => {
  let planName: string;
  let repA: Member;
  let repB: Member;

  beforeAll(async () => {
    ({ name: planName } = await stack.activateProcess(fixture('kpi-test.yaml'), uniqueId('kpi-own')));
    repA = await stack.createStaff(['sales'], { channels: ['facebook'], name: 'Rep KPI A' });
    repB = await stack.createStaff(['sales'], { channels: ['facebook'], name: 'Rep KPI B' });
    // One delivered order each this month, credited to the rep who closed it.
    const db = stack.database.db;
    for (const [rep, total] of [
      [repA, 2_000_000],
      [repB, 3_000_000],
    ] as const) {
      const id = uniqueId('kpi-own');
      const at = new Date(Date.now() - 60_000);
      await db.insert(orders).values({
        id,
        workflowId: `order:${id}`,
        channel: 'facebook',
        status: 'completed',
        customerId: uniqueId('c'),
        total,
        leadCost: 0,
        courier: 'ghn',
        createdAt: at,
      });
      await db.insert(tasks).values({
        id: `${id}-close`,
        workflowId: `order:${id}`,
        subjectType: 'order',
        subjectId: id,
        stage: 'close',
        role: 'sales',
        title: 'Chốt đơn',
        form: {},
        outcomes: [],
        status: 'done',
        completedBy: rep.id,
        completedAt: at,
        createdAt: at,
      });
      await db.insert(shipments).values({ orderId: id, courier: 'ghn', trackingCode: `T-${id}`, state: 'delivered', createdAt: at });
      await db.insert(courierEvents).values({
        courier: 'ghn',
        eventKey: `${id}-0`,
        orderId: id,
        trackingCode: `T-${id}`,
        rawStatus: 'delivered',
        state: 'delivered',
        at,
        applied: true,
        via: 'webhook',
      });
    }
  });

  test("When a rep reads the current period, a period, the list or the CSV, then they see the totals and their own row, not the other rep's; the manager sees both", async () => {
    const managerApi = apiClient(base, manager.token);
    const started = await managerApi.post('/api/v1/kpi/periods', { plan: planName });
    expect(started.status).toBe(201);
    const id: string = started.body.id;
    const full = await eventually(
      async () => {
        const res = await managerApi.get(`/api/v1/kpi/periods/${id}`);
        const revenue = res.body?.metrics?.find((m: { id: string }) => m.id === 'revenue');
        return revenue?.staff?.[repA.id]?.actual && revenue.staff[repB.id]?.actual ? res.body : undefined;
      },
      30_000,
      "the period's first actuals",
    );
    const revenue = full.metrics.find((m: { id: string }) => m.id === 'revenue');
    expect(revenue.staff[repA.id].actual).toBe(2_000_000);
    expect(revenue.staff[repB.id].actual).toBe(3_000_000);
    expect(revenue.actual).toBe(5_000_000);
    // A revision of rep B's target is B's business, not A's.
    expect(
      (
        await managerApi.post(`/api/v1/kpi/periods/${id}/targets`, {
          metric: 'revenue',
          scope: `rep:${repB.id}`,
          value: 9_000_000,
          reason: 'Tăng chỉ tiêu B',
        })
      ).status,
    ).toBe(200);

    const api = apiClient(base, repA.token);
    const current = await api.get('/api/v1/kpi/periods/current');
    expect(current.status).toBe(200);
    expect(current.body.id).toBe(id);
    const byId = await api.get(`/api/v1/kpi/periods/${id}`);
    const listed = (await api.get('/api/v1/kpi/periods')).body.periods.find((p: { id: string }) => p.id === id);
    for (const view of [current.body, byId.body, listed]) {
      const mine = view.metrics.find((m: { id: string }) => m.id === 'revenue');
      expect(mine.actual).toBe(5_000_000); // the shop's total
      expect(Object.keys(mine.staff)).toEqual([repA.id]);
      expect(mine.staff[repA.id].actual).toBe(2_000_000);
      for (const m of view.metrics) expect(Object.keys(m.staff ?? {}).filter((k) => k !== repA.id)).toEqual([]);
      expect(JSON.stringify(view)).not.toContain(repB.id);
    }
    expect((await managerApi.get(`/api/v1/kpi/periods/${id}`)).body.revisions).toEqual([
      expect.objectContaining({ scope: `rep:${repB.id}` }),
    ]);

    const csvOf = async (token: string) =>
      (await fetch(`${base}/api/v1/kpi/periods/${id}/export.csv`, { headers: { authorization: `Bearer ${token}` } })).text();
    const csv = await csvOf(repA.token);
    expect(csv).toContain('metric,revenue,total,,');
    expect(csv).toContain(`metric,revenue,staff,${repA.id},`);
    expect(csv).not.toContain(repB.id);
    expect(await csvOf(manager.token)).toContain(`metric,revenue,staff,${repB.id},`);

    expect((await api.get(`/api/v1/kpi/staff/${repA.id}`)).status).toBe(200);
    expect((await api.get(`/api/v1/kpi/staff/${repB.id}`)).status).toBe(403);
  });

  test("When a closed period's evaluation is read by a rep, then it holds their own evaluation only", async () => {
    const managerApi = apiClient(base, manager.token);
    const started = await managerApi.post('/api/v1/kpi/periods', { plan: planName, period: '2026-01' });
    expect(started.status).toBe(201);
    const closed = await eventually(
      async () => {
        const res = await managerApi.get(`/api/v1/kpi/periods/${started.body.id}`);
        return res.body.status === 'closed' ? res.body : undefined;
      },
      30_000,
      'the backfilled period to close',
    );
    expect(closed.evaluation.staff.map((s: { staffId: string }) => s.staffId)).toEqual(expect.arrayContaining([repA.id, repB.id]));
    const seen = (await apiClient(base, repA.token).get(`/api/v1/kpi/periods/${started.body.id}`)).body;
    expect(seen.evaluation.staff.map((s: { staffId: string }) => s.staffId)).toEqual([repA.id]);
    const csv = await (
      await fetch(`${base}/api/v1/kpi/periods/${started.body.id}/export.csv`, { headers: { authorization: `Bearer ${repA.token}` } })
    ).text();
    expect(csv.split('\r\n').filter((l) => l.startsWith('evaluation,'))).toEqual([
      expect.stringContaining(`evaluation,,staff,${repA.id},`),
    ]);
  });
});

describe('client addresses: X-Forwarded-For only from a trusted proxy', () => {
  const wrongLogins = async (url: string, n: number, forwardedFor: (i: number) => string | undefined) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) {
      const xff = forwardedFor(i);
      statuses.push(
        (
          await fetch(`${url}/api/v1/me`, {
            headers: { authorization: `Bearer sf_guess_${i}`, ...(xff ? { 'x-forwarded-for': xff } : {}) },
          })
        ).status,
      );
    }
    return statuses;
  };

  test('When TRUST_PROXY is unset, then a new X-Forwarded-For on every guess does not reset the failed-login limit', async () => {
    const url = await stack.startApp(); // a limiter of its own
    const statuses = await wrongLogins(url, 20, (i) => `198.51.100.${i + 1}`);
    expect(new Set(statuses)).toEqual(new Set([401]));
    const limited = await apiClient(url, 'sf_guess_more').get('/api/v1/me');
    expect(limited.status).toBe(429);
    const spoofed = await fetch(`${url}/api/v1/me`, {
      headers: { authorization: `Bearer ${admin.token}`, 'x-forwarded-for': '203.0.113.77' },
    });
    expect(spoofed.status).toBe(429); // the connecting address is what counts
  });

  test('When TRUST_PROXY=loopback, then the address the proxy forwards is the client: one client is limited, another is not', async () => {
    const behindProxy = await openTestStack({ DATABASE_URL: stack.config.databaseUrl!, TRUST_PROXY: 'loopback' });
    try {
      expect(behindProxy.config.trustProxy).toEqual(['loopback']);
      const url = await behindProxy.startApp();
      expect(new Set(await wrongLogins(url, 20, () => '203.0.113.10'))).toEqual(new Set([401]));
      expect((await apiClient(url, 'sf_guess_more').get('/api/v1/me')).status).toBe(401); // no header: the proxy itself, another client
      const limited = await fetch(`${url}/api/v1/me`, { headers: { authorization: 'Bearer sf_again', 'x-forwarded-for': '203.0.113.10' } });
      expect(limited.status).toBe(429);
      const other = await fetch(`${url}/api/v1/me`, {
        headers: { authorization: `Bearer ${admin.token}`, 'x-forwarded-for': '203.0.113.11' },
      });
      expect(other.status).toBe(200);
    } finally {
      await behindProxy.close();
    }
  });
});

describe('courier webhooks with a wrong secret', () => {
  const secret = `access-secret-${crypto.randomUUID()}`;
  beforeAll(() => {
    Object.assign(courierEnv, { GHN_WEBHOOK_SECRET: secret, GHN_TOKEN: 'test', GHN_SHOP_ID: '1' });
  });
  const report = (token: string, forwardedFor?: string) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', token, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({
      Type: 'switch_status',
      OrderCode: `GHN-${crypto.randomUUID().slice(0, 8)}`,
      ClientOrderCode: uniqueId('NOBODY'),
      Status: 'delivered',
      Time: new Date().toISOString(),
    }),
  });

  test('When one address keeps sending a wrong secret, then after 20 it gets 429 with Retry-After, even with the right one; another address is still heard', async () => {
    const behindProxy = await openTestStack({ DATABASE_URL: stack.config.databaseUrl!, TRUST_PROXY: 'loopback' });
    try {
      const url = await behindProxy.startApp();
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++)
        statuses.push((await fetch(`${url}/webhooks/couriers/ghn`, report(`guess-${i}`, '203.0.113.20'))).status);
      expect(new Set(statuses)).toEqual(new Set([401]));
      const limited = await fetch(`${url}/webhooks/couriers/ghn`, report(secret, '203.0.113.20'));
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('too_many_forged_webhooks');
      const heard = await fetch(`${url}/webhooks/couriers/ghn`, report(secret, '203.0.113.21'));
      expect(heard.status).toBe(200);
      expect(await heard.json()).toMatchObject({ ok: true, received: 1 });
    } finally {
      await behindProxy.close();
    }
  });
});
