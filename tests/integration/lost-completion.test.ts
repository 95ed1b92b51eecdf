/**
 * A completion the database recorded but the workflow never kept: the task's row is written by a
 * local activity inside the workflow task that carries the completeTask update, so a worker that
 * dies before Temporal commits that task leaves the row `done` while the workflow still waits on
 * it (seen on the cluster test: worker and API process killed mid-load). The client's retry — the
 * same person, the same outcome — gives the workflow the recorded completion again, and the order
 * moves on; a plain duplicate is still a 409.
 */
import { and, eq } from 'drizzle-orm';
import { tasks } from '../../db/schema';
import { statusQuery } from '../../workflows/orders/order';
import { apiClient, eventually, fixture, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let admin: { id: string; token: string };

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  admin = await stack.createStaff(['admin']);
});
afterAll(() => stack?.close());

test('When a task row is done but its workflow never got the completion, then the same completion sent again reaches the workflow, and a further duplicate is 409', async () => {
  const { name } = await stack.activateProcess(fixture('fast-order.yaml'));
  const api = apiClient(base, admin.token);
  const lead = await api.post('/api/v1/leads', { channel: 'facebook', process: name, customer: { name: 'Khách', phone: '0913 777 888' } });
  expect(lead.status).toBe(201);
  const { workflowId } = lead.body as { workflowId: string };
  const task = await eventually(async () => (await api.get(lead.body.firstTask.href)).body.tasks?.[0], 20_000, 'the close task');

  // What the lost workflow task left behind: the row says done, the workflow still waits.
  await stack.database.db
    .update(tasks)
    .set({ status: 'done', outcome: 'closed', data: { codAmount: 150000 }, completedBy: admin.id, completedAt: new Date() })
    .where(and(eq(tasks.id, task.id), eq(tasks.status, 'open')));
  const handle = stack.temporal.workflow.getHandle(workflowId);
  expect((await handle.query(statusQuery)).stage).toBe('close');

  const again = await api.post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'closed', data: { codAmount: 150000 } });
  expect([again.status, again.body.nextStage]).toEqual([200, 'confirm']);
  await eventually(async () => (await handle.query(statusQuery)).stage === 'confirm', 20_000, 'the order at confirm');

  const duplicate = await api.post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'closed', data: { codAmount: 150000 } });
  expect(duplicate.status).toBe(409);
  // Someone else, or another outcome, never re-sends a recorded completion.
  const other = await api.post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'lost', data: { reason: 'price' } });
  expect(other.status).toBe(409);
}, 90_000);
