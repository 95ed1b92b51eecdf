/**
 * The order page's people on the real stack: who holds an open task is the tasks table's, so a
 * reassignment through the API shows at once (the workflow's own board keeps who it assigned),
 * and the answer names the people it mentions, so staff read names rather than `stf_…` ids.
 */
import { expectDocumented } from '../support/documented';
import { apiClient, eventually, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
});
afterAll(async () => {
  await stack?.close();
});

test('When a manager reassigns the close task to another rep, then the order shows the new holder by name at once, and the timeline its actors by name', async () => {
  const manager = await stack.createStaff(['manager'], { name: 'Trần Văn Quản Lý' });
  const first = await stack.createStaff(['sales'], { name: 'Phạm Minh Anh', channels: ['facebook'] });
  const lead = await apiClient(base, manager.token).post('/api/v1/leads', {
    channel: 'facebook',
    process: 'standard-order',
    customer: { name: 'Lê Thị Mua', phone: '0912 000 333' },
  });
  expect(lead.status).toBe(201);
  const orderId = lead.body.orderId as string;
  const task = await eventually(
    async () => (await apiClient(base, manager.token).get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks[0],
    20_000,
    'the close task',
  );
  expect(task.assigneeId).toBe(first.id); // the only rep of the channel
  const second = await stack.createStaff(['sales'], { name: 'Hoàng Thu Trang', channels: ['facebook'] });

  const moved = await apiClient(base, manager.token).post(`/api/v1/tasks/${task.id}/reassign`, { to: second.id });
  expect(moved.status).toBe(200);
  const res = await apiClient(base, manager.token).get(`/api/v1/orders/${orderId}`);
  expectDocumented('/api/v1/orders/{id}', 'get', res);
  expect(res.status).toBe(200);
  expect(res.body.current.waitingOn).toEqual([expect.objectContaining({ taskId: task.id, assigneeId: second.id, role: 'sales' })]);
  expect(res.body.people[second.id]).toBe('Hoàng Thu Trang');
  const reassigned = res.body.timeline.find((e: { type: string }) => e.type === 'task_reassigned');
  expect(reassigned?.actor).toBe(manager.id);
  expect(res.body.people[manager.id]).toBe('Trần Văn Quản Lý');
  expect(Object.keys(res.body.people)).not.toContain('system');

  // The new holder (scope own) sees the order and the names too; the former one no longer does.
  const mine = await apiClient(base, second.token).get(`/api/v1/orders/${orderId}`);
  expect(mine.status).toBe(200);
  expect(mine.body.people[second.id]).toBe('Hoàng Thu Trang');
});
