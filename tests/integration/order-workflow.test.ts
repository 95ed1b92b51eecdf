import { asc, eq } from 'drizzle-orm';
import { orderEvents, orders } from '../../db/schema';
import { closeLeadSignal, orderWorkflow, statusQuery } from '../../workflows/order';
import { eventually, openTestStack, uniqueId, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack();
});
afterAll(() => stack?.close());

const eventsOf = (orderId: string) =>
  stack.database.db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(asc(orderEvents.id));

describe('order workflow skeleton (real dev server, real PostgreSQL)', () => {
  test('When a lead arrives, then the order row and its events are written and the status query answers', async () => {
    const worker = await stack.startWorker();
    const orderId = uniqueId('ord');
    const handle = await stack.temporal.workflow.start(orderWorkflow, {
      workflowId: `order:${orderId}`,
      taskQueue: stack.config.temporal.taskQueue,
      args: [{ orderId, channel: 'facebook', customer: { name: 'Nguyễn Văn A', phone: '0912345678' } }],
    });
    const row = await eventually(async () => (await stack.database.db.select().from(orders).where(eq(orders.id, orderId)))[0]?.stage === 'lead' || undefined, 20_000, 'order row at stage lead');
    expect(row).toBe(true);
    expect(await handle.query(statusQuery)).toMatchObject({ orderId, stage: 'lead', status: 'open' });

    await handle.signal(closeLeadSignal, { actor: 'sales-1' });
    expect(await handle.result()).toMatchObject({ stage: 'closed', status: 'done' });
    const [order] = await stack.database.db.select().from(orders).where(eq(orders.id, orderId));
    expect(order).toMatchObject({ channel: 'facebook', customerName: 'Nguyễn Văn A', stage: 'closed', status: 'done' });
    expect((await eventsOf(orderId)).map((e) => [e.type, e.toStage, e.actor])).toEqual([
      ['opened', null, null],
      ['stage_entered', 'lead', null],
      ['stage_entered', 'closed', 'sales-1'],
    ]);
    await worker.stop();
  });

  test('When the worker stops mid-order and a new worker starts, then the order continues and finishes exactly once', async () => {
    const first = await stack.startWorker();
    const orderId = uniqueId('ord');
    const handle = await stack.temporal.workflow.start(orderWorkflow, {
      workflowId: `order:${orderId}`,
      taskQueue: stack.config.temporal.taskQueue,
      args: [{ orderId, channel: 'zalo' }],
    });
    await eventually(async () => (await eventsOf(orderId)).length === 2, 20_000, 'lead stage recorded');
    await first.stop();

    // With no worker, a signal is accepted by the server and waits in history.
    await handle.signal(closeLeadSignal, { actor: 'sales-2' });
    const second = await stack.startWorker();
    expect(await handle.result()).toMatchObject({ stage: 'closed', status: 'done' });
    const events = await eventsOf(orderId);
    expect(events.map((e) => e.type)).toEqual(['opened', 'stage_entered', 'stage_entered']);
    expect(events.filter((e) => e.toStage === 'closed')).toHaveLength(1);
    await second.stop();
  });

  test('When the same order is started twice, then the second start is refused and no second order appears', async () => {
    const worker = await stack.startWorker();
    const orderId = uniqueId('ord');
    const options = { workflowId: `order:${orderId}`, taskQueue: stack.config.temporal.taskQueue, args: [{ orderId }] as [{ orderId: string }] };
    await stack.temporal.workflow.start(orderWorkflow, options);
    await expect(stack.temporal.workflow.start(orderWorkflow, options)).rejects.toThrow(/already started/i);
    await eventually(async () => (await eventsOf(orderId)).length === 2, 20_000, 'lead stage recorded');
    expect(await stack.database.db.select().from(orders).where(eq(orders.id, orderId))).toHaveLength(1);
    await stack.temporal.workflow.getHandle(`order:${orderId}`).terminate('test done');
    await worker.stop();
  });
});
