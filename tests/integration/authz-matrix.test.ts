/**
 * The authorization matrix: every operation of the OpenAPI document × every role of the shipped
 * shop.yaml, generated from those two sources — each operation's `x-permission` (all of),
 * `x-permissions` (any of) and `x-scope` against each role's permissions and scope — so a new
 * route or a new role is covered without writing a test. A staff member with exactly that role
 * calls each operation: 403 exactly where the role lacks what the operation declares, never 403
 * where it holds it, never a 500, and 401 without a token. Scope `own` (and "only yourself")
 * is checked on real records: an order, task and customer of the member's own and of someone
 * else's, started through the real API on the real dev server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadShopText } from '../../definitions/loading/loader';
import { PERMISSIONS, type CompiledRole, type CompiledShop } from '../../definitions/types';
import { HTTP_METHODS, openApiDocument, type JsonSchema, type Operation, type ScopeNote } from '../../server/http/openapi';
import { apiClient, eventually, openTestStack, type TestStack } from '../support/stack';

const shopFile = path.join(__dirname, '..', '..', 'definitions', 'shop.yaml');
const loaded = loadShopText(fs.readFileSync(shopFile, 'utf8'), shopFile);
if (!loaded.ok) throw new Error(`the shipped shop.yaml does not load: ${JSON.stringify(loaded.errors)}`);
const shop: CompiledShop = loaded.value;
const roles: CompiledRole[] = Object.values(shop.roles);

interface Op {
  method: string;
  path: string;
  op: Operation;
  name: string;
}
const ops: Op[] = Object.entries(openApiDocument.paths).flatMap(([p, item]) =>
  HTTP_METHODS.flatMap((m) => (item[m] ? [{ method: m, path: p, op: item[m]!, name: `${m.toUpperCase()} ${p}` }] : [])),
);
const isPublic = (o: Op) => o.op.security?.length === 0;

/** Whether a role holds what an operation declares (`*` holds everything). */
function holds(role: CompiledRole, op: Operation): boolean {
  const has = (p: string) => role.permissions.includes('*' as never) || role.permissions.includes(p as never);
  const anyOf = op['x-permissions'] ?? [];
  return (op['x-permission'] ?? []).every(has) && (anyOf.length === 0 || anyOf.some(has));
}

/** Whether an operation's `x-scope` narrows what this role sees. */
function narrowed(role: CompiledRole, scope: ScopeNote): boolean {
  if (scope.unless && (role.permissions.includes('*' as never) || role.permissions.includes(scope.unless as never))) return false;
  if (role.permissions.includes('*' as never)) return false;
  return scope.who === 'self' || role.scope === 'own';
}

/**
 * The one extra rule of task reassignment that is not a permission: the caller must lead the
 * task's role (shop.yaml `leads`), so a role that leads nobody may be refused with 403.
 */
const mayRefuseAsNoLead = (role: CompiledRole, o: Op) => o.op['x-permission'].includes('tasks.reassign') && !role.leads?.length;

/** The path with every parameter filled: the named ids where given, else a dummy that names nothing. */
function fill(p: string, ids: Record<string, string> = {}): string {
  return p.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(ids[name] ?? (name === 'version' ? '999999' : name === 'courier' ? 'ghn' : 'authz-nothing')),
  );
}

/** Resolves `#/components/schemas/X` in the document. */
function deref(s: JsonSchema): JsonSchema {
  const ref = s.$ref;
  if (typeof ref !== 'string') return s;
  return deref(openApiDocument.components.schemas[ref.split('/').pop()!]!);
}

/** The smallest value a JSON Schema accepts in shape (required fields only), for bodies that must get past validation. */
function minimalValue(input: JsonSchema): unknown {
  const s = deref(input);
  if (Array.isArray(s.allOf)) return Object.assign({}, ...(s.allOf as JsonSchema[]).map(minimalValue));
  if (Array.isArray(s.enum)) return s.enum[0];
  if ('const' in s) return s.const;
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'object' || s.properties) {
    const props = (s.properties ?? {}) as Record<string, JsonSchema>;
    return Object.fromEntries(((s.required ?? []) as string[]).map((k) => [k, minimalValue(props[k] ?? {})]));
  }
  if (type === 'array') return Array.from({ length: Number(s.minItems ?? 0) }, () => minimalValue((s.items ?? {}) as JsonSchema));
  if (type === 'integer' || type === 'number') return Number(s.minimum ?? 1);
  if (type === 'boolean') return false;
  return 'x'.repeat(Math.max(1, Number(s.minLength ?? 1)));
}
function minimalBody(o: Op): unknown {
  const media = o.op.requestBody?.content['application/json'];
  return media ? minimalValue(media.schema as JsonSchema) : {};
}

let stack: TestStack;
let base: string;
let admin: { id: string; token: string };
const members = new Map<string, { id: string; token: string }>();

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  admin = await stack.createStaff(['admin'], { name: 'Quản trị (ma trận)' });
  for (const role of roles) members.set(role.id, await stack.createStaff([role.id], { name: `Ma trận ${role.id}` }));
}, 120_000);
afterAll(() => stack?.close());

type Answer = { status: number; body: unknown };
function call(token: string | undefined, o: Op, pathIds: Record<string, string> = {}, body: unknown = {}, at = base): Promise<Answer> {
  const api = apiClient(at, token);
  const url = fill(o.path, pathIds);
  if (o.method === 'get') return api.get(url);
  if (o.method === 'delete') return api.delete(url);
  if (o.method === 'patch') return api.patch(url, body);
  return api.post(url, body);
}
const show = (a: Answer) => `${a.status} ${JSON.stringify(a.body)?.slice(0, 200)}`;

describe('the permission declarations of the OpenAPI document', () => {
  test("When the document is read, then every operation declares x-permission with permissions of the shop's language, and x-scope only where a record id or a list is", async () => {
    const served = await apiClient(base).get('/api/v1/openapi.json');
    expect(served.status).toBe(200);
    const known = new Set<string>(PERMISSIONS);
    const problems: string[] = [];
    for (const o of ops) {
      const declared = (served.body.paths[o.path][o.method] as Operation)['x-permission'];
      if (!Array.isArray(declared)) {
        problems.push(`${o.name}: no x-permission`);
        continue;
      }
      for (const p of [...declared, ...(o.op['x-permissions'] ?? [])])
        if (!known.has(p) || p === '*') problems.push(`${o.name}: unknown permission "${p}"`);
      if (isPublic(o) && declared.length) problems.push(`${o.name}: public but declares ${declared.join(', ')}`);
      const scope = o.op['x-scope'];
      if (scope) {
        const params = [...o.path.matchAll(/\{(\w+)\}/g)];
        if (scope.kind === 'record' && (params.length !== 1 || !scope.denied))
          problems.push(`${o.name}: x-scope record needs one path id and a denied status`);
        if (scope.kind === 'list' && (params.length !== 0 || o.method !== 'get'))
          problems.push(`${o.name}: x-scope list on something that is not a list`);
        if (scope.unless && !known.has(scope.unless)) problems.push(`${o.name}: x-scope unless "${scope.unless}" is no permission`);
      }
    }
    expect(problems).toEqual([]);
    expect(served.body.info.description).toContain('x-permission');
    // The shipped shop has both kinds of scope, so both halves of the matrix run.
    expect(new Set(roles.map((r) => r.scope))).toEqual(new Set(['own', 'all']));
  });
});

describe('every operation × every role', () => {
  test('When an operation is called without a token, then it is 401 (health, docs and webhooks are public)', async () => {
    const problems: string[] = [];
    const secured = ops.filter((o) => !isPublic(o));
    // 20 failed authentications a minute lock an address out: a fresh app (its own limiter) per 15 calls.
    for (let i = 0; i < secured.length; i += 15) {
      const at = await stack.startApp();
      for (const o of secured.slice(i, i + 15)) {
        const got = await call(undefined, o, {}, {}, at);
        if (got.status !== 401) problems.push(`${o.name}: ${show(got)}`);
      }
    }
    for (const o of ops.filter(isPublic)) {
      const got = await call(undefined, o);
      if ([401, 403].includes(got.status) && !o.path.startsWith('/webhooks/')) problems.push(`${o.name} (public): ${show(got)}`);
      if (got.status >= 500) problems.push(`${o.name} (public): ${show(got)}`);
    }
    expect(problems).toEqual([]);
  });

  test.each(roles.map((r) => [r.id, r] as const))(
    'When a member with only the role %s calls every operation, then it is 403 exactly where the role lacks the declared permission, and never 500',
    async (_id, role) => {
      const member = members.get(role.id)!;
      const problems: string[] = [];
      for (const o of ops) {
        // "Only yourself" operations are asked about the caller's own record here; others' come below.
        const ids: Record<string, string> = o.op['x-scope']?.who === 'self' ? { id: member.id } : {};
        const got = await call(member.token, o, ids);
        const expected = isPublic(o) || holds(role, o.op) ? 'allowed' : 'forbidden';
        // A public operation's 401 is its own authentication (a courier's secret), not the staff token's.
        if (got.status >= 500 || (got.status === 401 && !isPublic(o))) problems.push(`${o.name}: ${show(got)}`);
        else if (expected === 'forbidden' && got.status !== 403)
          problems.push(
            `${o.name}: expected 403 (lacks ${[...o.op['x-permission'], ...(o.op['x-permissions'] ?? [])].join(', ')}), got ${show(got)}`,
          );
        else if (expected === 'allowed' && got.status === 403 && !mayRefuseAsNoLead(role, o))
          problems.push(`${o.name}: holds ${o.op['x-permission'].join(', ') || 'a token'} but got ${show(got)}`);
      }
      expect(problems).toEqual([]);
    },
    300_000,
  );
});

describe('scope own and "only yourself" on real records', () => {
  /**
   * One order of a role's own (its task assigned to the role's member) and one of someone else's
   * (assigned to another member of the same role: a task only goes to people who hold its role).
   */
  interface Records {
    task?: string;
    order?: string;
    customer?: string;
    staff: string;
  }
  const own = new Map<string, Records>();
  const foreign = new Map<string, Records>();
  const adminApi = () => apiClient(base, admin.token);
  let phone = 0;

  /** A one-stage process whose task is for `role`, so its member can act on it as its role. */
  const processFor = (role: string) => `apiVersion: shopflow/v1
kind: OrderProcess
metadata:
  name: authz-${role}
  title: "Test: ma trận quyền"
spec:
  start: work
  stages:
    - id: work
      kind: human
      role: ${role}
      title: "Việc của ${role}"
      sla: 1h
      form: { type: object }
      on:
        done: { to: done, title: "Xong" }
    - { id: done, kind: end, title: "Hoàn tất", result: completed }
`;

  /** Makes sure the record's task is held by `assignee` (a matrix request may have unclaimed it). */
  async function holdTask(taskId: string, assignee: string): Promise<void> {
    const task = await adminApi().get(`/api/v1/tasks/${taskId}`);
    if (task.body.assigneeId === assignee) return;
    const moved = await adminApi().post(`/api/v1/tasks/${taskId}/reassign`, { to: assignee });
    expect([moved.status, moved.body.assigneeId]).toEqual([200, assignee]);
  }

  async function orderHeldBy(process: string, assignee: string): Promise<Records> {
    const lead = await adminApi().post('/api/v1/leads', {
      channel: 'facebook',
      process,
      customer: { name: `Khách ma trận ${phone}`, phone: `0977${String(100000 + phone++).slice(1)}0` },
    });
    expect(lead.status).toBe(201);
    const orderId: string = lead.body.orderId;
    const task = await eventually(
      async () => (await adminApi().get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks?.[0],
      60_000,
      `the first task of ${orderId}`,
    );
    await holdTask(task.id, assignee);
    const order = await adminApi().get(`/api/v1/orders/${orderId}`);
    expect(order.status).toBe(200);
    return { task: task.id, order: orderId, customer: order.body.customer.id, staff: assignee };
  }

  const idOf = (scope: ScopeNote, records: Records) => records[scope.record];
  const scopedOps = ops.filter((o) => o.op['x-scope']);

  beforeAll(async () => {
    const canHoldTasks = (r: CompiledRole) => r.permissions.includes('tasks.complete' as never);
    for (const role of [...roles.filter(canHoldTasks), ...roles.filter((r) => !canHoldTasks(r))]) {
      if (role.permissions.includes('*' as never)) continue;
      const member = members.get(role.id)!;
      const colleague = await stack.createStaff([role.id], { name: `Đồng nghiệp ${role.id}` });
      if (canHoldTasks(role)) {
        const { name } = await stack.activateProcess(processFor(role.id), `authz-${role.id}`);
        own.set(role.id, await orderHeldBy(name, member.id));
        foreign.set(role.id, await orderHeldBy(name, colleague.id));
      } else {
        // No task can be for this role (a definition refuses it), so it holds no order, task or
        // customer of its own: anyone's are someone else's to it.
        own.set(role.id, { staff: member.id });
        foreign.set(role.id, { ...[...foreign.values()][0]!, staff: colleague.id });
      }
    }
  }, 300_000);

  test.each(roles.filter((r) => !r.permissions.includes('*' as never)).map((r) => [r.id, r.scope, r] as const))(
    "When a member with only the role %s (scope %s) asks for records of their own and of someone else, then theirs answer and others' are denied exactly where x-scope says",
    async (_id, _scope, role) => {
      const member = members.get(role.id)!;
      const problems: string[] = [];
      const mine = own.get(role.id)!;
      const theirs = foreign.get(role.id)!;
      // Reading first, acting last: an action (unclaim) may move the member's own task, restored after each.
      const order = [...scopedOps].sort((a, b) => Number(a.method !== 'get') - Number(b.method !== 'get'));
      for (const o of order.filter((x) => x.op['x-scope']!.kind === 'record' && holds(role, x.op))) {
        const scope = o.op['x-scope']!;
        const body = minimalBody(o);
        const other = await call(member.token, o, { id: idOf(scope, theirs)! }, body);
        const expectDenied = narrowed(role, scope);
        if (other.status >= 500) problems.push(`${o.name} someone else's: ${show(other)}`);
        else if (expectDenied && other.status !== scope.denied)
          problems.push(`${o.name} someone else's: expected ${scope.denied}, got ${show(other)}`);
        else if (!expectDenied && (other.status === scope.denied || (o.method === 'get' && other.status >= 300 && other.status !== 301)))
          problems.push(`${o.name} someone else's (not narrowed): ${show(other)}`);

        if (!idOf(scope, mine)) continue;
        const self = await call(member.token, o, { id: idOf(scope, mine)! }, body);
        if (self.status >= 500 || self.status === scope.denied || (o.method === 'get' && self.status >= 300 && self.status !== 301))
          problems.push(`${o.name} their own: ${show(self)}`);
        if (o.method !== 'get') {
          await holdTask(mine.task!, member.id);
          await holdTask(theirs.task!, theirs.staff);
        }
      }
      for (const o of scopedOps.filter((x) => x.op['x-scope']!.kind === 'list' && holds(role, x.op))) {
        const scope = o.op['x-scope']!;
        const got = await call(member.token, o);
        if (got.status !== 200) problems.push(`${o.name}: ${show(got)}`);
        else if (narrowed(role, scope) && JSON.stringify(got.body).includes(idOf(scope, theirs)!))
          problems.push(`${o.name}: lists someone else's ${scope.record} ${idOf(scope, theirs)}`);
      }
      expect(problems).toEqual([]);
    },
    300_000,
  );

  test("When the admin lists, then others' records the narrowed lists leave out are there, so the list checks are not vacuous", async () => {
    const lists = scopedOps.filter((o) => o.op['x-scope']!.kind === 'list');
    const seen: string[] = [];
    for (const o of lists) {
      const got = await call(admin.token, o);
      expect([o.name, got.status]).toEqual([o.name, 200]);
      const text = JSON.stringify(got.body);
      if ([...foreign.values()].some((r) => text.includes(idOf(o.op['x-scope']!, r)!))) seen.push(o.name);
    }
    expect(seen).toEqual(expect.arrayContaining(['GET /api/v1/tasks', 'GET /api/v1/orders', 'GET /api/v1/customers']));
  });
});
