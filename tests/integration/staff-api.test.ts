/** Staff and access through the real HTTP app: members, tokens (hashed, shown once, revocable), grants, limits. */
import { eq } from 'drizzle-orm';
import { apiTokens } from '../../db/schema';
import { hashToken } from '../../server/staff/staff';
import { apiClient, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let admin: { id: string; token: string };
let manager: { id: string; token: string };

beforeAll(async () => {
  stack = await openTestStack();
  base = await stack.startApp();
  admin = await stack.createStaff(['admin']);
  manager = await stack.createStaff(['manager']);
});
afterAll(() => stack?.close());

describe('staff API', () => {
  test('When a manager creates a member, then the token is shown once, stored only as a hash, and works until revoked', async () => {
    const res = await apiClient(base, manager.token).post('/api/v1/staff', {
      name: 'Phạm Thị D',
      phone: '0912 000 111',
      roles: ['cskh'],
      channels: ['zalo'],
    });
    expect(res.status).toBe(201);
    const { staff, token, tokenId } = res.body;
    expect(staff).toMatchObject({ name: 'Phạm Thị D', roles: ['cskh'], channels: ['zalo'], active: true });
    expect(token).toMatch(/^sf_[A-Za-z0-9_-]{43}$/);
    const [stored] = await stack.database.db.select().from(apiTokens).where(eq(apiTokens.id, tokenId));
    expect(stored!.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    const me = await apiClient(base, token).get('/api/v1/me');
    expect(me.body).toMatchObject({ staffId: staff.id, roles: ['cskh'], scope: 'all' });
    expect(me.body.permissions).toContain('tasks.complete');
    const detail = await apiClient(base, manager.token).get(`/api/v1/staff/${staff.id}`);
    expect(JSON.stringify(detail.body)).not.toContain(token);
    expect(detail.body.tokens).toEqual([expect.objectContaining({ id: tokenId, label: 'initial', revokedAt: null })]);

    const second = await apiClient(base, manager.token).post(`/api/v1/staff/${staff.id}/tokens`, { label: 'phone' });
    expect(second.status).toBe(201);
    // A body that is not JSON is refused as such (it used to reach the route unread and answer 500); no token is issued.
    const xml = await apiClient(base, manager.token).post(`/api/v1/staff/${staff.id}/tokens`, '<label>x</label>', {
      'content-type': 'application/xml',
    });
    expect(xml.status).toBe(415);
    expect(xml.body.error).toMatchObject({ code: 'unsupported_media_type', message: expect.stringContaining('application/json') });
    expect(await stack.database.db.select().from(apiTokens).where(eq(apiTokens.staffId, staff.id))).toHaveLength(2);
    expect((await apiClient(base, manager.token).delete(`/api/v1/staff/${staff.id}/tokens/${tokenId}`)).status).toBe(204);
    expect((await apiClient(base, token).get('/api/v1/me')).status).toBe(401);
    expect((await apiClient(base, second.body.token).get('/api/v1/me')).status).toBe(200);
    expect((await apiClient(base, manager.token).delete(`/api/v1/staff/${staff.id}/tokens/${tokenId}`)).status).toBe(404);
  });

  test('When roles or channels are unknown, or a manager grants powers they lack, then nothing is created', async () => {
    const client = apiClient(base, manager.token);
    const unknown = await client.post('/api/v1/staff', { name: 'X', roles: ['warehous'], channels: ['myspace'] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['roles.0', 'channels.0']);
    expect(unknown.body.error.details.fields[0].message).toMatch(/unknown role "warehous" — known roles: .*warehouse/);
    const escalation = await client.post('/api/v1/staff', { name: 'Y', roles: ['admin'] });
    expect(escalation.status).toBe(403);
    expect(escalation.body.error.message).toContain('(*)');
    const bad = await client.post('/api/v1/staff', { name: '', roles: [], extra: 1 });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['extra', 'name', 'roles']);
    const list = await apiClient(base, admin.token).get('/api/v1/staff');
    expect(list.body.staff.map((s: { name: string }) => s.name)).not.toEqual(expect.arrayContaining(['X', 'Y']));
    // An admin may grant admin.
    expect(
      (await apiClient(base, admin.token).post('/api/v1/staff', { name: 'Second admin', roles: ['admin'], issueToken: false })).status,
    ).toBe(201);
  });

  test('When a member is deactivated, then all their tokens stop at once and no new token can be issued', async () => {
    // cskh, not warehouse: a manager may only act on members holding no permission the manager lacks (warehouse holds stock.manage).
    const member = await stack.createStaff(['cskh']);
    expect((await apiClient(base, member.token).get('/api/v1/me')).status).toBe(200);
    const off = await apiClient(base, manager.token).post(`/api/v1/staff/${member.id}/deactivate`);
    expect(off.body.staff.active).toBe(false);
    expect((await apiClient(base, member.token).get('/api/v1/tasks')).status).toBe(401);
    expect((await apiClient(base, manager.token).post(`/api/v1/staff/${member.id}/tokens`, {})).status).toBe(409);
    expect((await apiClient(base, manager.token).post(`/api/v1/staff/${manager.id}/deactivate`)).status).toBe(403);
    expect((await apiClient(base, member.token).get('/api/v1/staff')).status).toBe(401);
    const sales = await stack.createStaff(['sales']);
    expect((await apiClient(base, sales.token).get('/api/v1/staff')).status).toBe(403);
  });

  test('When one address keeps sending wrong tokens, then it is slowed down with 429 and Retry-After', async () => {
    const fresh = await stack.startApp(); // its own limiter
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await apiClient(fresh, `sf_guess_${i}`).get('/api/v1/me')).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    const limited = await apiClient(fresh, 'sf_guess_last').get('/api/v1/me');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  test('When a body is larger than the limit, then 413 in the one error shape, with security headers set', async () => {
    const big = await apiClient(base, admin.token).post('/api/v1/staff', { name: 'x'.repeat(300 * 1024), roles: ['sales'] });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('too_large');
    expect(big.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });
});
