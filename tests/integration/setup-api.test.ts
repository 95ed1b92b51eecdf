/**
 * A new shop's first-run checklist (`GET /api/v1/setup`) on the real app and database: each step
 * is read from the shop's data and turns done as the shop does it; and `GET /api/v1/staff/roles`,
 * what the staff form offers (roles with whether the caller may grant them, channels).
 */
import { apiClient, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let admin: { id: string; token: string };

beforeAll(async () => {
  // As `npm start` runs by default: parcels go to the courier simulator.
  stack = await openTestStack({ COURIERS: 'simulator' });
  base = await stack.startApp();
  admin = await stack.createStaff(['admin'], { name: 'Chủ Shop' });
});
afterAll(async () => {
  await stack?.close();
});

type Steps = Array<{ id: string; done: boolean; detail: string; href: string; title: string }>;
const stepsOf = async (token: string) => {
  const res = await apiClient(base, token).get('/api/v1/setup');
  expect(res.status).toBe(200);
  return res.body as { done: boolean; completed: number; total: number; steps: Steps };
};
const step = (steps: Steps, id: string) => steps.find((s) => s.id === id)!;

test('When someone without definitions.manage asks for the checklist, then it is 403 and names the permission', async () => {
  const sales = await stack.createStaff(['sales'], { channels: ['facebook'] });
  const res = await apiClient(base, sales.token).get('/api/v1/setup');
  expect(res.status).toBe(403);
  expect(res.body.error.message).toContain('definitions.manage');
  expect((await apiClient(base).get('/api/v1/setup')).status).toBe(401);
});

test("When a manager opens the staff form, then the shop's roles and channels are offered with titles, and roles beyond the manager's powers are not grantable", async () => {
  const manager = await stack.createStaff(['manager']);
  const res = await apiClient(base, manager.token).get('/api/v1/staff/roles');
  expect(res.status).toBe(200);
  const roles = new Map((res.body.roles as Array<{ id: string; title: string; grantable: boolean }>).map((r) => [r.id, r]));
  expect(roles.get('admin')).toMatchObject({ grantable: false });
  expect(roles.get('sales')).toMatchObject({ grantable: true });
  expect(roles.get('sales')!.title).toBeTruthy();
  expect(res.body.channels).toEqual(expect.arrayContaining([{ id: 'facebook', title: 'Facebook' }]));
  // What is offered as grantable is what POST /staff accepts.
  const granted = await apiClient(base, manager.token).post('/api/v1/staff', {
    name: 'Người Mới',
    roles: ['sales'],
    channels: ['facebook'],
  });
  expect(granted.status).toBe(201);
  const refused = await apiClient(base, manager.token).post('/api/v1/staff', { name: 'Người Khác', roles: ['admin'] });
  expect(refused.status).toBe(403);
  const sales = await stack.createStaff(['sales'], { channels: ['facebook'] });
  expect((await apiClient(base, sales.token).get('/api/v1/staff/roles')).status).toBe(403);
});

// Last: it applies the small template, which changes the shop's roles for what follows.
test('When a new shop is set up step by step, then the checklist reads each step from its data until every step is done', async () => {
  const api = apiClient(base, admin.token);
  const first = await stepsOf(admin.token);
  expect(first.steps.map((s) => s.id)).toEqual(['profile', 'staff', 'products', 'couriers', 'first-order']);
  expect(first.total).toBe(5);
  // The shipped shop.yaml, one person (the owner), nothing sold, couriers simulated.
  expect(step(first.steps, 'profile')).toMatchObject({ done: false, href: '/definitions' });
  expect(step(first.steps, 'profile').detail).toMatch(/cấu hình mẫu/);
  expect(step(first.steps, 'staff')).toMatchObject({ done: true, href: '/staff' });
  expect(step(first.steps, 'products')).toMatchObject({ done: false, href: '/products' });
  expect(step(first.steps, 'couriers').done).toBe(false);
  expect(step(first.steps, 'couriers').detail).toMatch(/COURIERS=live/);
  expect(step(first.steps, 'first-order')).toMatchObject({ done: false, href: '/orders' });
  expect(first).toMatchObject({ done: false, completed: 1 });

  expect((await api.post('/api/v1/products', { sku: 'SETUP-01', name: 'Áo mẫu', price: 150000 })).status).toBe(201);
  const lead = await api.post('/api/v1/leads', { channel: 'facebook', customer: { name: 'Khách Đầu Tiên', phone: '0912 345 678' } });
  expect(lead.status).toBe(201);
  const applied = await api.post('/api/v1/definitions/templates/small/apply');
  expect(applied.status).toBe(200);

  const later = await stepsOf(admin.token);
  expect(step(later.steps, 'products')).toMatchObject({ done: true });
  expect(step(later.steps, 'products').detail).toMatch(/^1 sản phẩm/);
  expect(step(later.steps, 'first-order')).toMatchObject({ done: true });
  expect(step(later.steps, 'profile')).toMatchObject({ done: true });
  expect(later).toMatchObject({ done: false, completed: 4 }); // couriers: still the simulator

  // Live couriers (the server refuses to start live while an enabled courier lacks a setting): the last step is done.
  const live = await openTestStack({ DATABASE_URL: stack.config.databaseUrl!, COURIERS: 'live' });
  try {
    const liveBase = await live.startApp();
    const res = await apiClient(liveBase, admin.token).get('/api/v1/setup');
    expect(res.status).toBe(200);
    expect(step(res.body.steps, 'couriers').done).toBe(true);
    expect(step(res.body.steps, 'couriers').detail).toMatch(/^Đang giao thật qua /);
    expect(res.body).toMatchObject({ done: true, completed: 5 });
  } finally {
    await live.close();
  }
});
