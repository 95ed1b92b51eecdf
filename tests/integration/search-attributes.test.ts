/**
 * Orders in Temporal's own tools: a lead's workflow starts with the order search attributes
 * (stage, result, channel, definition, version) and a one-line summary without personal data,
 * so `temporal workflow list --query 'OrderChannel="facebook" AND OrderResult="open"'` and the
 * Web UI's filters find it. Registration is idempotent (start-up runs it every time).
 */
import { registerSearchAttributes } from '../../server/platform/search-attributes';
import {
  ORDER_SEARCH_ATTRIBUTES,
  OrderChannel,
  OrderDefinition,
  OrderDefinitionVersion,
  OrderResult,
  OrderStage,
} from '../../workflows/orders/search-attributes';
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

/** The workflows a visibility query lists, once `workflowId` is among them (visibility is eventually consistent). */
function listedBy(query: string, workflowId: string): Promise<string[]> {
  return eventually(
    async () => {
      const ids: string[] = [];
      for await (const wf of stack.temporal.workflow.list({ query })) ids.push(wf.workflowId);
      return ids.includes(workflowId) ? ids : undefined;
    },
    20_000,
    `${workflowId} in ${query}`,
  );
}

test('When a lead starts an order (the dev server starts with the attributes; a namespace without them gets them at the first start), then a visibility query on its channel and result finds it, and its summary names the order without the customer', async () => {
  const { name, version } = await stack.activateProcess(fixture('fast-ship.yaml'));
  const api = apiClient(base, admin.token);
  const customer = { name: 'Phạm Thị Riêng Tư', phone: '0913 222 333' };
  const lead = await api.post('/api/v1/leads', { channel: 'facebook', process: name, customer });
  expect(lead.status).toBe(201);
  const { orderId, workflowId } = lead.body as { orderId: string; workflowId: string };
  // The answer does not wait for the first task; it says where to read it.
  expect(lead.body.firstTask).toEqual({ href: `/api/v1/tasks?order=${orderId}` });
  const task = await eventually(async () => (await api.get(lead.body.firstTask.href)).body.tasks?.[0], 20_000, 'the first task');
  expect(task).toMatchObject({ stage: 'close' });

  const query = `OrderChannel="facebook" AND OrderResult="open" AND OrderDefinition="${name}"`;
  expect(await listedBy(query, workflowId)).toEqual([workflowId]);

  const description = await stack.temporal.workflow.getHandle(workflowId).describe();
  const summary = await description.staticSummary();
  expect(summary).toBe(`Đơn ${orderId} · facebook · ${name} v${version}`);
  expect(summary).not.toContain('Phạm');
  expect(await description.staticDetails()).not.toMatch(/Phạm|0913|222 ?333/);
  const attributes = description.typedSearchAttributes;
  expect(attributes.get(OrderChannel)).toBe('facebook');
  expect(attributes.get(OrderResult)).toBe('open');
  expect(attributes.get(OrderDefinition)).toBe(name);
  expect(attributes.get(OrderDefinitionVersion)).toBe(version);
  // The process's start stage: the order waits there on the close task.
  expect(attributes.get(OrderStage)).toBe('close');
  // No attribute carries the customer.
  const values = attributes.getAll().map((p) => String(p.value));
  expect(values.join(' ')).not.toMatch(/Phạm|0913222333/);
}, 90_000);

test('When registration runs twice (as every start-up does), then the attributes exist once with their types and the second run adds nothing', async () => {
  const namespace = stack.config.temporal.namespace;
  await registerSearchAttributes(stack.temporal.connection, namespace);
  const again = await registerSearchAttributes(stack.temporal.connection, namespace);
  expect(again).toEqual({ added: [], existing: ORDER_SEARCH_ATTRIBUTES.map((a) => a.name) });
  const listed = await stack.temporal.connection.operatorService.listSearchAttributes({ namespace });
  expect(Object.keys(listed.customAttributes ?? {})).toEqual(expect.arrayContaining(ORDER_SEARCH_ATTRIBUTES.map((a) => a.name)));
});

test('When an order moves on and ends, then its workflow keeps OrderStage current and OrderResult says how it ended (lost, not just "Completed")', async () => {
  const { name } = await stack.activateProcess(fixture('fast-order.yaml'));
  const api = apiClient(base, admin.token);
  const lead = await api.post('/api/v1/leads', { channel: 'facebook', process: name, customer: { name: 'Khách', phone: '0913 444 555' } });
  expect(lead.status).toBe(201);
  const { workflowId } = lead.body as { workflowId: string };
  const task = await eventually(async () => (await api.get(lead.body.firstTask.href)).body.tasks?.[0], 20_000, 'the close task');
  expect((await api.post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'lost', data: { reason: 'no-answer' } })).status).toBe(200);
  await stack.temporal.workflow.getHandle(workflowId).result();

  const attributes = (await stack.temporal.workflow.getHandle(workflowId).describe()).typedSearchAttributes;
  expect([attributes.get(OrderStage), attributes.get(OrderResult)]).toEqual(['lost', 'lost']);
  const query = `OrderResult="lost" AND OrderDefinition="${name}"`;
  expect(await listedBy(query, workflowId)).toEqual([workflowId]);
}, 90_000);
