/**
 * No order dies silently: a courier that is not set up, a courier that refuses the parcel and an
 * activity that crashes each end as a warehouse-lead task and an `activity_failed` order event,
 * with the workflow still running; a workflow failing anyway (a bug) shows up as stuck on
 * /healthz and the dashboard; the current KPI period exists from the first start.
 */
import { and, eq } from 'drizzle-orm';
import { createCourierDirectory } from '../../activities/shipping/couriers/directory';
import { ghtkPickupEnv } from '../../activities/shipping/couriers/requirements';
import type { CourierAdapter } from '../../activities/shipping/couriers/types';
import { orderEvents, shipments, stockMovements, tasks } from '../../db/schema';
import { ensureKpiSchedules, kpiScheduleId, startCurrentKpiPeriod } from '../../server/kpi/schedule';
import { connectWorker } from '../../server/platform/temporal';
import { createShopflowWorker } from '../../server/platform/worker';
import { createDefinitionsStore } from '../../server/shop/definitions';
import type { CompiledKpiPlan } from '../../definitions/kpi/types';
import {
  apiClient,
  courierEnv,
  eventually,
  fixture,
  openTestStack,
  shippedKpiPlan,
  testLog,
  uniqueId,
  type TestStack,
} from '../support/stack';

let stack: TestStack;
let base: string;
let admin: { id: string; token: string };
let lead: { id: string; token: string };
let processName: string;
let stopWorker: () => Promise<void>;
const SKU = 'SP-NEVER-DIE';

/** Holds a hand-over open (an address containing SLOW) until the test releases it. */
const handOver = (() => {
  let entered!: () => void;
  let release!: () => void;
  return {
    entered: () => entered(),
    hasEntered: new Promise<void>((r) => (entered = r)),
    release: () => release(),
    released: new Promise<void>((r) => (release = r)),
  };
})();

/**
 * The real courier directory, except that an address containing CRASH makes the adapter throw a
 * plain TypeError (a bug in an adapter): Temporal retries it until COURIER_RETRY_FOR runs out,
 * and one containing SLOW waits for the test before the courier is asked.
 */
function crashingDirectory(): ReturnType<typeof createCourierDirectory> {
  const real = createCourierDirectory(stack.database.db, courierEnv);
  return {
    async get(id) {
      const adapter = await real.get(id);
      const crashing: CourierAdapter = {
        ...adapter,
        async createShipment(request) {
          if (request.to.address.includes('CRASH')) throw new TypeError("Cannot read properties of undefined (reading 'label')");
          if (request.to.address.includes('SLOW')) {
            handOver.entered();
            await handOver.released;
          }
          return adapter.createShipment(request);
        },
      };
      return crashing;
    },
  };
}

beforeAll(async () => {
  stack = await openTestStack({ COURIER_RETRY_FOR: '3s' });
  base = await stack.startApp();
  await stack.startCourierSimulator({ timeScale: 0.2 });
  // GHTK's pick-up address is not configured: the misconfiguration the shipped rules used to die on.
  for (const f of ghtkPickupEnv('ghtk').fields) delete courierEnv[f.env];
  const connection = await connectWorker(stack.config.temporal, stack.config.temporal.address!, testLog);
  const worker = await createShopflowWorker({
    connection,
    temporal: stack.config.temporal,
    workflowBundlePath: process.env.SHOPFLOW_TEST_WORKFLOW_BUNDLE,
    deps: { db: stack.database.db, log: testLog, couriers: crashingDirectory() },
  });
  const running = worker.run();
  stopWorker = async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    await connection.close();
  };
  admin = await stack.createStaff(['admin']);
  lead = await stack.createStaff(['warehouse-lead']);
  processName = (await stack.activateProcess(fixture('courier-rules.yaml'))).name;
  const api = apiClient(base, admin.token);
  expect((await api.post('/api/v1/products', { sku: SKU, name: 'Kem chống nắng' })).status).toBe(201);
  expect((await api.post('/api/v1/stock/adjustments', { sku: SKU, qty: 50, reason: 'kiểm kho đầu kỳ' })).status).toBeLessThan(300);
});
afterAll(async () => {
  await stopWorker?.();
  await stack?.close();
});

const api = () => apiClient(base, admin.token);

/** A lead closed with this address (and simulator scenario): the order goes to its courier stage. */
async function closedOrder(
  address: { street: string; ward?: string; district?: string; province: string },
  scenario = 'normal',
): Promise<string> {
  const created = await api().post('/api/v1/leads', {
    channel: 'zalo',
    process: processName,
    note: `[sim:${scenario}]`,
    customer: { name: 'Nguyễn Văn Nghệ', phone: '0912345678' },
  });
  expect(created.status).toBe(201);
  const orderId: string = created.body.orderId;
  const close = await eventually(
    async () =>
      (await api().get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find((t: { stage: string }) => t.stage === 'close'),
    30_000,
    'close task',
  );
  const done = await api().post(`/api/v1/tasks/${close.id}/complete`, {
    outcome: 'closed',
    data: { items: [{ sku: SKU, name: 'Kem chống nắng', qty: 2, price: 150000 }], shippingAddress: address, codAmount: 300000 },
  });
  expect(done.status).toBe(200);
  return orderId;
}

/** The warehouse lead's courier task of an order, once it is open (seen through the lead's own token). */
async function courierTask(orderId: string) {
  const task = await eventually(
    async () =>
      (await apiClient(base, lead.token).get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find(
        (t: { stage: string }) => t.stage === 'ship',
      ),
    60_000,
    'the courier fix-it task',
  );
  const [row] = await stack.database.db.select().from(tasks).where(eq(tasks.id, task.id));
  return { task, row: row! };
}

async function failures(orderId: string) {
  return stack.database.db
    .select()
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, 'activity_failed')));
}

async function workflowStatus(orderId: string): Promise<string> {
  return (await stack.temporal.workflow.getHandle(`order:${orderId}`).describe()).status.name;
}

test('When an order is cancelled while its parcel is being handed to the courier, then the cancel waits for the hand-over and cancels the parcel at the courier', async () => {
  // `manual`: the simulator keeps the parcel at ready_to_pick, so the courier may still cancel it.
  const orderId = await closedOrder({ street: 'SLOW 12 Lê Lợi', ward: 'Bến Nghé', province: 'Hồ Chí Minh' }, 'manual');
  await handOver.hasEntered; // the courier call is under way and held open
  const cancel = api().post(`/api/v1/orders/${orderId}/cancel`, { reason: 'khách hủy khi đang bàn giao' });
  // The Update reaches the workflow while the hand-over is still held; then the courier answers.
  await new Promise((r) => setTimeout(r, 1_500));
  handOver.release();
  expect(await cancel).toMatchObject({ status: 200, body: { cancelled: true } });
  const [shipment] = await stack.database.db.select().from(shipments).where(eq(shipments.orderId, orderId));
  expect(shipment!.state).toBe('cancelled');
  expect(await stack.temporal.workflow.getHandle(`order:${orderId}`).result()).toMatchObject({ result: 'cancelled' });
});

describe('When the courier is not set up (GHTK without a pick-up address)', () => {
  test('then the warehouse lead gets a task with the courier\'s message, the timeline shows it, and "another courier" ships the order with GHN', async () => {
    const orderId = await closedOrder({ street: '12 Lê Lợi', ward: 'Hưng Bình', district: 'Vinh', province: 'Nghệ An' });
    const { task, row } = await courierTask(orderId);
    expect(task.role).toBe('warehouse-lead');
    expect(row.description).toContain('GHTK pick-up address is not configured');
    expect(row.outcomes.map((o: { name: string }) => o.name)).toEqual(['retry', 'other-courier', 'cancel']);
    const [event] = await failures(orderId);
    expect(event!.data).toMatchObject({ activity: 'createShipment', courier: 'ghtk', type: 'CourierRejected' });
    expect(await workflowStatus(orderId)).toBe('RUNNING');

    // Only enabled couriers other than GHTK may be chosen; the form refuses anything else.
    expect(
      (await apiClient(base, lead.token).post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'other-courier', data: { courier: 'ghtk' } }))
        .status,
    ).toBe(422);
    const chosen = await apiClient(base, lead.token).post(`/api/v1/tasks/${task.id}/complete`, {
      outcome: 'other-courier',
      data: { courier: 'ghn' },
    });
    expect(chosen.status).toBe(200);
    const result = await stack.temporal.workflow.getHandle(`order:${orderId}`).result();
    expect(result).toMatchObject({ result: 'completed', shipment: { courier: 'ghn', state: 'delivered' } });
  });

  test('then "cancel" ends the order cancelled and releases its reserved stock', async () => {
    const orderId = await closedOrder({ street: '5 Quang Trung', district: 'Vinh', province: 'Nghệ An' });
    const { task } = await courierTask(orderId);
    expect(
      (await apiClient(base, lead.token).post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'cancel', data: { note: 'khách đổi ý' } }))
        .status,
    ).toBe(200);
    const result = await stack.temporal.workflow.getHandle(`order:${orderId}`).result();
    expect(result).toMatchObject({ result: 'cancelled', cancellation: { actor: lead.id } });
    const moves = await stack.database.db.select().from(stockMovements).where(eq(stockMovements.orderId, orderId));
    expect(moves.filter((m) => m.kind === 'reserve').reduce((n, m) => n + m.qty, 0)).toBe(2);
    expect(moves.filter((m) => m.kind === 'release').reduce((n, m) => n + m.qty, 0)).toBe(-2);
    const order = await api().get(`/api/v1/orders/${orderId}`);
    expect(order.body.status).toBe('cancelled');
  });
});

test("When the courier refuses the parcel (GHN: no ward), then a task carries GHN's own words and the order waits on it, running", async () => {
  const orderId = await closedOrder({ street: '1 Tràng Tiền', province: 'Hà Nội' });
  const { task, row } = await courierTask(orderId);
  expect(row.description).toContain('Thiếu thông tin phường/xã');
  expect(row.title).toContain('Giao Hàng Nhanh');
  const [event] = await failures(orderId);
  expect(event!.data).toMatchObject({ activity: 'createShipment', courier: 'ghn', type: 'CourierRejected', retriesExhausted: false });
  expect(await workflowStatus(orderId)).toBe('RUNNING');
  // The address cannot be shipped as it is (the simulator courier speaks GHN too): the lead cancels.
  expect(
    (await apiClient(base, lead.token).post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'cancel', data: { note: 'thiếu phường' } }))
      .status,
  ).toBe(200);
  expect(await stack.temporal.workflow.getHandle(`order:${orderId}`).result()).toMatchObject({ result: 'cancelled' });
});

test('When the courier adapter crashes on every attempt, then after its retry window the warehouse lead gets a task and the order is not failed', async () => {
  const orderId = await closedOrder({ street: 'CRASH 9 Hàng Bài', ward: 'Hàng Bài', province: 'Hà Nội' });
  const { task, row } = await courierTask(orderId);
  expect(row.description).toContain("Cannot read properties of undefined (reading 'label')");
  const [event] = await failures(orderId);
  expect(event!.data).toMatchObject({ activity: 'createShipment', courier: 'ghn', type: 'TypeError', retriesExhausted: true });
  expect(await workflowStatus(orderId)).toBe('RUNNING');
  // Sending again hits the same bug: a second task, the order still running and open.
  expect((await apiClient(base, lead.token).post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'retry' })).status).toBe(200);
  const again = await eventually(
    async () => (await failures(orderId)).length >= 2 && (await courierTask(orderId)),
    60_000,
    'the second fix-it task',
  );
  expect(again.task.id).not.toBe(task.id);
  expect(again.row.title).toContain('lần 2');
  expect(await workflowStatus(orderId)).toBe('RUNNING');
  expect((await apiClient(base, lead.token).post(`/api/v1/tasks/${again.task.id}/complete`, { outcome: 'cancel' })).status).toBe(200);
  expect(await stack.temporal.workflow.getHandle(`order:${orderId}`).result()).toMatchObject({ result: 'cancelled' });
});

test("When a workflow's own code fails (a bug), then /healthz and the dashboard list it as stuck with its id, and health stays 200", async () => {
  const workflowId = `order:${uniqueId('stuck')}`;
  // An input the workflow code cannot read: its workflow task throws a TypeError on every attempt.
  const handle = await stack.temporal.workflow.start('orderWorkflow', {
    workflowId,
    taskQueue: stack.config.temporal.taskQueue,
    args: [{ orderId: 'x' }],
  });
  try {
    const health: any = await eventually(
      async () => {
        const res = await fetch(`${base}/healthz`);
        const body = (await res.json()) as any;
        return res.status === 200 && body.stuck?.workflows.some((w: { workflowId: string }) => w.workflowId === workflowId)
          ? body
          : undefined;
      },
      90_000,
      'the stuck workflow on /healthz',
    );
    expect(health.stuck.workflows.find((w: { workflowId: string }) => w.workflowId === workflowId)).toMatchObject({
      kind: 'workflow-task-failing',
      since: expect.any(String),
    });
    const dashboard = await api().get('/api/v1/dashboard');
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.stuck.workflows.map((w: { workflowId: string }) => w.workflowId)).toContain(workflowId);
    expect((await handle.describe()).status.name).toBe('RUNNING');
  } finally {
    await handle.terminate('test over');
  }
});

test('When shopflow starts mid-period, then the current KPI period exists at once, and starting again changes nothing', async () => {
  const { name: planName } = await stack.activateProcess(shippedKpiPlan(), uniqueId('shop-kpi'));
  const ids = await ensureKpiSchedules({
    db: stack.database.db,
    temporal: stack.temporal,
    taskQueue: stack.config.temporal.taskQueue,
    log: testLog,
  });
  try {
    expect(ids).toContain(kpiScheduleId(planName));
    const current = await eventually(
      async () => {
        const res = await api().get('/api/v1/kpi/periods/current');
        return res.status === 200 ? res.body : undefined;
      },
      60_000,
      'the current KPI period',
    );
    expect(current.status).toBe('running');
    const row = await createDefinitionsStore(stack.database.db).active(planName);
    expect(
      await startCurrentKpiPeriod(
        { temporal: stack.temporal, taskQueue: stack.config.temporal.taskQueue, log: testLog },
        row!.compiled as CompiledKpiPlan,
        row!.version,
      ),
    ).toBe(false);
  } finally {
    for (const id of ids)
      await stack.temporal.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
  }
});
