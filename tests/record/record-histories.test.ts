/**
 * `npm run histories:record`: runs the shipped processes (definitions/processes/*.yaml, as
 * `npm start` activates them) on the real stack — HTTP app, worker, dev server, PostgreSQL,
 * courier simulator — and writes each workflow's history to tests/histories/, which `npm test`
 * replays (tests/integration/replay.test.ts). Only for a change that is versioned or that no
 * running workflow can notice; the diff of tests/histories/ shows what was re-recorded.
 */
import { stockMovements } from '../../db/schema';
import { recordHistory } from '../support/histories';
import { ghtkPickupEnv } from '../../activities/shipping/couriers/requirements';
import { apiClient, courierEnv, eventually, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
const token: Record<string, string> = {};
const api = (role: string) => apiClient(base, token[role]);

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  await stack.startCourierSimulator({ timeScale: 1 });
  for (const role of ['admin', 'marketing', 'sales', 'cskh', 'warehouse', 'accounting', 'manager'])
    token[role] = (await stack.createStaff([role], { channels: role === 'sales' ? ['facebook'] : [] })).token;
  await stack.database.db
    .insert(stockMovements)
    .values({ sku: 'KEM-CHONG-NANG-50ML', qty: 100, kind: 'receipt', reason: 'opening stock', dedupeKey: 'record:receipt' });
}, 180_000);
afterAll(() => stack?.close());

let phoneSeq = 0;
async function lead(scenario: string) {
  phoneSeq += 1;
  const res = await api('marketing').post('/api/v1/leads', {
    channel: 'facebook',
    note: `[sim:${scenario}]`,
    customer: { name: `Khách ${scenario}`, phone: `09${String(Date.now()).slice(-7)}${phoneSeq}`.slice(0, 10) },
  });
  expect(res.status).toBe(201);
  return res.body.orderId as string;
}
async function openTask(subjectId: string, stage: string) {
  return eventually(
    async () =>
      (await api('admin').get(`/api/v1/tasks?order=${subjectId}&status=open`)).body.tasks?.find(
        (t: { stage: string }) => t.stage === stage,
      ),
    30_000,
    `open ${stage} task of ${subjectId}`,
  );
}
async function complete(subjectId: string, stage: string, outcome: string, data: Record<string, unknown> = {}) {
  const task = await openTask(subjectId, stage);
  const res = await api('admin').post(`/api/v1/tasks/${task.id}/complete`, { outcome, data });
  expect(res.status).toBe(200);
}
async function close(
  orderId: string,
  phone = '0912345678',
  shippingAddress: Record<string, string> = { street: '12 Lê Lợi', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
) {
  await complete(orderId, 'close', 'closed', {
    customerName: 'Nguyễn Thị Lan',
    phone,
    items: [{ sku: 'KEM-CHONG-NANG-50ML', name: 'Kem chống nắng 50ml', qty: 2, price: 185000 }],
    shippingAddress,
    codAmount: 370000,
    shippingFee: 30000,
  });
}
/** Scan to pack: both items of `close` scanned, then "Đã đóng gói". */
async function pack(orderId: string) {
  const task = await openTask(orderId, 'pack');
  for (let n = 0; n < 2; n++)
    expect((await api('admin').post(`/api/v1/tasks/${task.id}/scans`, { barcode: 'KEM-CHONG-NANG-50ML' })).status).toBe(201);
  await complete(orderId, 'pack', 'packed', { weightGrams: 400, lengthCm: 20, widthCm: 15, heightCm: 8 });
}
const ended = (orderId: string) => stack.temporal.workflow.getHandle(`order:${orderId}`).result();

describe('recording the shipped processes', () => {
  test('When an order is closed, confirmed, packed and delivered, then its history is recorded', async () => {
    const id = await lead('normal');
    await close(id);
    await complete(id, 'confirm', 'confirmed', { confirmedVia: 'phone' });
    await pack(id);
    expect(await ended(id)).toMatchObject({ result: 'completed' });
    await recordHistory(
      stack.temporal,
      `order:${id}`,
      'order-delivered',
      'standard-order: close → confirm → pack → ship (delivered) → care (standard notify) → done',
    );
  });

  test('When the parcel is returned, then the return history is recorded', async () => {
    const id = await lead('return');
    await close(id);
    await complete(id, 'confirm', 'confirmed', { confirmedVia: 'zalo' });
    await pack(id);
    // The courier reports the refusal first (a failed delivery); CSKH lets the parcel come back.
    await complete(id, 'call-customer', 'return', { reachedCustomer: true, reason: 'refused' });
    await complete(id, 'receive-return', 'restocked', {
      condition: 'intact',
      returnedItems: [{ sku: 'KEM-CHONG-NANG-50ML', qty: 2 }],
      restockedItems: [{ sku: 'KEM-CHONG-NANG-50ML', qty: 2 }],
    });
    expect(await ended(id)).toMatchObject({ result: 'returned' });
    await recordHistory(
      stack.temporal,
      `order:${id}`,
      'order-returned',
      'standard-order: … → ship (failed: refused) → call-customer (return) → receive-return → returned',
    );
  });

  test('When a delivery fails and CSKH arranges a redelivery, then that history is recorded', async () => {
    const id = await lead('fail-then-deliver');
    await close(id);
    await complete(id, 'confirm', 'confirmed', { confirmedVia: 'phone' });
    await pack(id);
    await complete(id, 'call-customer', 'redeliver', { reachedCustomer: true, reason: 'not-home' });
    expect(await ended(id)).toMatchObject({ result: 'completed' });
    await recordHistory(
      stack.temporal,
      `order:${id}`,
      'order-failed-redelivered',
      'standard-order: … → ship (failed) → call-customer (redeliver) → ship (delivered) → done',
    );
  });

  test('When an order is cancelled after packing, then the cancellation history is recorded', async () => {
    const id = await lead('slow');
    await close(id);
    await complete(id, 'confirm', 'confirmed', { confirmedVia: 'phone' });
    await openTask(id, 'pack');
    const res = await api('admin').post(`/api/v1/orders/${id}/cancel`, { reason: 'Khách đổi ý' });
    expect(res.status).toBe(200);
    expect(await ended(id)).toMatchObject({ result: 'cancelled' });
    await recordHistory(
      stack.temporal,
      `order:${id}`,
      'order-cancelled',
      'standard-order: close → confirm → pack (cancelled by a manager) → cancelled',
    );
  });

  test('When the customer does not buy, then the lost-lead history is recorded', async () => {
    const id = await lead('lost');
    await complete(id, 'close', 'lost', { reason: 'price' });
    expect(await ended(id)).toMatchObject({ result: 'lost' });
    await recordHistory(stack.temporal, `order:${id}`, 'order-lost', 'standard-order: close (lost) → lost');
  });

  test('When the courier the rules pick is not set up, then the fix-it history (warehouse lead chooses another courier) is recorded', async () => {
    const saved = Object.fromEntries(ghtkPickupEnv('ghtk').fields.map((f) => [f.env, courierEnv[f.env]]));
    for (const f of ghtkPickupEnv('ghtk').fields) delete courierEnv[f.env];
    try {
      const id = await lead('normal');
      await close(id, '0912345679', { street: '5 Quang Trung', ward: 'Hưng Bình', province: 'Nghệ An' }); // GHTK by the shipped rules
      await complete(id, 'confirm', 'confirmed', { confirmedVia: 'phone' });
      await pack(id);
      await complete(id, 'ship', 'other-courier', { courier: 'ghn' });
      expect(await ended(id)).toMatchObject({ result: 'completed', shipment: { courier: 'ghn' } });
      await recordHistory(
        stack.temporal,
        `order:${id}`,
        'order-courier-fix-it',
        'standard-order: … → ship (GHTK not set up → warehouse-lead task, another courier: GHN) → delivered → done',
      );
    } finally {
      Object.assign(courierEnv, saved);
    }
  });

  test('When a complaint is refunded, then the complaint history is recorded', async () => {
    const customer = await api('admin').post('/api/v1/customers', { phone: '0905111222', name: 'Lê Văn Khiếu' });
    expect(customer.status).toBe(201);
    const filed = await api('cskh').post('/api/v1/complaints', {
      customerId: customer.body.id,
      category: 'damaged',
      description: 'Bình gốm bị vỡ khi nhận',
    });
    expect(filed.status).toBe(201);
    const id = filed.body.complaintId as string;
    await complete(id, 'complaint-intake', 'refund', {
      summary: 'Ảnh cho thấy hàng vỡ',
      amount: 150000,
      method: 'bank-transfer',
      bankAccount: 'VCB 0123456789',
    });
    const followUp = await eventually(
      async () =>
        (await api('admin').get(`/api/v1/tasks?order=${id}&status=open`)).body.tasks?.find(
          (t: { role: string }) => t.role === 'accounting',
        ),
      30_000,
      'the refund task',
    );
    expect(
      (
        await api('admin').post(`/api/v1/tasks/${followUp.id}/complete`, {
          outcome: 'done',
          data: { paidAmount: 150000, reference: 'PC-0001' },
        })
      ).status,
    ).toBe(200);
    await stack.temporal.workflow.getHandle(`complaint:${id}`).result();
    await recordHistory(
      stack.temporal,
      `complaint:${id}`,
      'complaint-refund',
      'standard complaint: intake (refund) → accounting refund task → resolved',
    );
  });

  test('When a KPI period of the shipped plan starts and computes, then its (open) history is recorded', async () => {
    const started = await api('admin').post('/api/v1/kpi/periods', { plan: 'shop-kpi', period: '2026-01' });
    expect([200, 201]).toContain(started.status);
    const workflowId: string = started.body.workflowId ?? `kpi:${started.body.id}`;
    await eventually(
      async () =>
        (await stack.temporal.workflow.getHandle(workflowId).fetchHistory()).events!.some((e) => e.activityTaskCompletedEventAttributes),
      30_000,
      'a first KPI computation',
    );
    await recordHistory(
      stack.temporal,
      workflowId,
      'kpi-period',
      'shipped KPI plan: a period started, its actuals computed once (still open)',
    );
  });
});
