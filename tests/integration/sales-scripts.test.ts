/**
 * Sales scripts on the real stack: the task shows the active SalesGuide's script and checklist,
 * a required item not ticked blocks closing (422 naming it, nothing changes), and the close rate
 * per script version follows from the tasks finished with each version.
 */
import { eq } from 'drizzle-orm';
import { taskGuides } from '../../db/schema';
import { apiClient, eventually, fixture, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let processName: string;
let guideName: string;
let admin: { id: string; token: string };
let reporter: { id: string; token: string };

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  ({ name: processName } = await stack.activateProcess(fixture('fast-order.yaml')));
  ({ name: guideName } = await stack.activateProcess(fixture('sales-guide-test.yaml')));
  [admin, reporter] = await Promise.all([stack.createStaff(['admin']), stack.createStaff(['marketing'])]);
});
afterAll(() => stack?.close());

const api = () => apiClient(base, admin.token);
let seq = 0;

async function closeTask(channel: string) {
  seq += 1;
  const lead = await api().post('/api/v1/leads', {
    channel,
    process: processName,
    customer: { name: `Khách ${seq}`, phone: `09${String(Date.now()).slice(-7)}${seq % 10}` },
  });
  expect(lead.status).toBe(201);
  const orderId: string = lead.body.orderId;
  const task = await eventually(
    async () =>
      (await api().get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find(
        (t: { stage: string; followUpOf: string | null }) => t.stage === 'close' && !t.followUpOf,
      ),
    20_000,
    'the close task',
  );
  return { orderId, taskId: task.id as string };
}

const close = (taskId: string, checklist?: string[]) =>
  api().post(`/api/v1/tasks/${taskId}/complete`, { outcome: 'closed', data: { codAmount: 250000 }, ...(checklist && { checklist }) });
const lose = (taskId: string) => api().post(`/api/v1/tasks/${taskId}/complete`, { outcome: 'lost', data: { reason: 'price' } });

describe('sales scripts on tasks', () => {
  test('When a Facebook lead is to be closed, then its task shows the script and checklist, and closing without the required item is refused naming it', async () => {
    const { taskId } = await closeTask('facebook');
    const detail = await api().get(`/api/v1/tasks/${taskId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.guide).toMatchObject({
      script: { id: 'close-test', version: 1, title: 'Chốt đơn Facebook', text: '1. Chào khách.\n2. Đọc lại địa chỉ.\n' },
      checklist: [
        { id: 'greet', text: 'Chào khách', required: false },
        { id: 'confirm-address', text: 'Đọc lại địa chỉ giao hàng', required: true },
      ],
      definition: { name: guideName, version: 1 },
      for: { stage: 'close', process: processName, channel: 'facebook', segment: 'new' },
    });

    const refused = await close(taskId, ['greet']);
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.fields).toEqual([
      { field: 'checklist.confirm-address', message: 'bắt buộc trước khi hoàn thành: Đọc lại địa chỉ giao hàng' },
    ]);
    expect(refused.body.error.message).toContain('Đọc lại địa chỉ giao hàng');
    const unknownItem = await close(taskId, ['confirm-address', 'hug']);
    expect(unknownItem.status).toBe(422);
    expect(unknownItem.body.error.details.fields[0].field).toBe('checklist[1]');
    // Nothing changed: the task is still open and no script use was recorded.
    expect((await api().get(`/api/v1/tasks/${taskId}`)).body.status).toBe('open');
    expect(await stack.database.db.select().from(taskGuides).where(eq(taskGuides.taskId, taskId))).toEqual([]);

    const done = await close(taskId, ['greet', 'confirm-address']);
    expect(done.status).toBe(200);
    const [used] = await stack.database.db.select().from(taskGuides).where(eq(taskGuides.taskId, taskId));
    expect(used).toMatchObject({
      scriptId: 'close-test',
      scriptVersion: 1,
      outcome: 'closed',
      forward: true,
      checked: ['greet', 'confirm-address'],
      channel: 'facebook',
    });
  });

  test('When a lead is lost, then the required item is not asked for; a task with no script refuses a checklist', async () => {
    const { taskId } = await closeTask('facebook');
    expect((await lose(taskId)).status).toBe(200);
    const other = await closeTask('zalo'); // the guide is for Facebook only
    expect((await api().get(`/api/v1/tasks/${other.taskId}`)).body.guide).toBeNull();
    const refused = await close(other.taskId, ['greet']);
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.fields[0].field).toBe('checklist');
    expect((await close(other.taskId)).status).toBe(200);
  });

  test('When a new script version is activated, then the report gives each version its close rate and sample size', async () => {
    // Version 1 so far: closed (test 1), lost (test 2). One more closed: 3 tasks, 2 closed → 2/3.
    const third = await closeTask('facebook');
    expect((await close(third.taskId, ['confirm-address'])).status).toBe(200);

    const v2 = fixture('sales-guide-test.yaml').replace('version: 1', 'version: 2').replace('1. Chào khách.', '1. Chào khách, xưng tên.');
    await stack.activateProcess(v2, guideName);
    // Version 2: closed, closed, lost, closed → 3 of 4.
    for (const outcome of ['closed', 'closed', 'lost', 'closed']) {
      const { taskId } = await closeTask('facebook');
      expect((await api().get(`/api/v1/tasks/${taskId}`)).body.guide.script).toMatchObject({ id: 'close-test', version: 2 });
      expect((outcome === 'closed' ? await close(taskId, ['confirm-address']) : await lose(taskId)).status).toBe(200);
    }

    const report = await apiClient(base, reporter.token).get('/api/v1/reports/scripts?stage=close');
    expect(report.status).toBe(200);
    expect(report.body.scripts).toEqual([
      { script: 'close-test', version: 1, title: 'Chốt đơn Facebook', stages: ['close'], tasks: 3, closed: 2, closeRate: 0.6667 },
      { script: 'close-test', version: 2, title: 'Chốt đơn Facebook', stages: ['close'], tasks: 4, closed: 3, closeRate: 0.75 },
    ]);
    // Filters: another channel has no finished scripted task; a bad filter is a 400 naming it.
    expect((await api().get('/api/v1/reports/scripts?channel=zalo')).body.scripts).toEqual([]);
    const bad = await api().get('/api/v1/reports/scripts?from=yesterday');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('from');
  });
});
