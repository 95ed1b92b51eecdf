/**
 * The medium and large shop templates on the real stack: each applied through the console's API
 * (validated as one set, stored, activated), then one order from lead to delivered — sales closes,
 * CSKH confirms a new customer's order, the packer scans every item and packs, the courier
 * delivers. And `handledBy` (the small template: cskh handled by sales) also routes
 * notifications: those for cskh reach the sales team.
 */
import { and, eq } from 'drizzle-orm';
import { definitionVersions, stockMovements } from '../../db/schema';
import { recordNotification } from '../../db/notifications/outbox';
import { apiClient, eventually, openTestStack, testLog, type TestStack } from '../support/stack';

const stacks: TestStack[] = [];
afterAll(async () => {
  for (const s of stacks) await s.close();
});

/** A stack of its own (its own database) with the template applied by an admin over HTTP. */
async function shopFromTemplate(template: string) {
  const stack = await openTestStack();
  stacks.push(stack);
  await stack.startWorker();
  const base = await stack.startApp();
  const admin = await stack.createStaff(['admin'], { name: 'Chủ shop' });
  const applied = await apiClient(base, admin.token).post(`/api/v1/definitions/templates/${template}/apply`);
  expect(applied.status).toBe(200);
  const active = await stack.database.db
    .select({ kind: definitionVersions.kind, name: definitionVersions.name, source: definitionVersions.source })
    .from(definitionVersions)
    .where(eq(definitionVersions.active, true));
  expect(
    active
      .filter((d) => d.source === `template:${template}`)
      .map((d) => d.kind)
      .sort(),
  ).toEqual(['ComplaintProcess', 'KpiPlan', 'OrderProcess', 'SalesGuide', 'Shop'].sort());
  expect(active.find((d) => d.kind === 'Shop')).toMatchObject({ name: `${template}-shop` });
  return { stack, base, admin };
}

describe.each(['medium', 'large'])('the %s shop template', (template) => {
  test('When it is applied and a lead comes in, then sales closes, CSKH confirms, the packer scans and packs, and the order ends delivered', async () => {
    const { stack, base } = await shopFromTemplate(template);
    await stack.startCourierSimulator({ timeScale: 1 });
    const [sales, cskh, packer] = await Promise.all([
      stack.createStaff(['sales'], { name: 'Lan (kinh doanh)' }),
      stack.createStaff(['cskh'], { name: 'Mai (CSKH)' }),
      stack.createStaff(['warehouse'], { name: 'Minh (kho)' }),
    ]);
    await stack.database.db
      .insert(stockMovements)
      .values({ sku: 'TUI-01', qty: 50, kind: 'receipt', reason: 'opening stock', dedupeKey: `test:receipt:${template}:TUI-01` });
    const as = (member: { token: string }) => apiClient(base, member.token);
    const task = (member: { token: string }, orderId: string, stage: string) =>
      eventually(
        async () =>
          (await as(member).get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find((t: { stage: string }) => t.stage === stage),
        30_000,
        `the ${stage} task`,
      );

    const lead = await as(sales).post('/api/v1/leads', {
      channel: 'facebook',
      note: '[sim:normal]',
      customer: { name: 'Chị Hoa', phone: '0912345678' },
    });
    expect(lead.status).toBe(201);
    expect(lead.body.definition).toMatchObject({ name: 'standard-order' }); // the template's defaultProcess
    const orderId: string = lead.body.orderId;

    const close = await task(sales, orderId, 'close');
    expect(close).toMatchObject({ role: 'sales', assigneeId: sales.id });
    const closed = await as(sales).post(`/api/v1/tasks/${close.id}/complete`, {
      outcome: 'closed',
      data: {
        customerName: 'Chị Hoa',
        phone: '0912345678',
        items: [{ sku: 'TUI-01', name: 'Túi vải', qty: 2, price: 180000 }],
        shippingAddress: { street: '5 Nguyễn Huệ', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
        codAmount: 360000,
      },
      checklist: ['confirm-address', 'confirm-cod'], // the template's sales script for a new Facebook customer
    });
    expect(closed.body).toMatchObject({ nextStage: 'confirm' }); // a new customer's order is confirmed first

    const confirm = await task(cskh, orderId, 'confirm');
    expect(confirm).toMatchObject({ role: 'cskh', assigneeId: cskh.id });
    const confirmed = await as(cskh).post(`/api/v1/tasks/${confirm.id}/complete`, {
      outcome: 'confirmed',
      data: { confirmedVia: 'phone' },
      checklist: ['confirm-items'],
    });
    expect(confirmed.body).toMatchObject({ nextStage: 'pack' });

    // Scan to pack: "packed" waits until both bags are scanned.
    const pack = await task(packer, orderId, 'pack');
    expect(pack).toMatchObject({ role: 'warehouse', assigneeId: packer.id });
    const parcel = { weightGrams: 400, lengthCm: 30, widthCm: 20, heightCm: 5 };
    const early = await as(packer).post(`/api/v1/tasks/${pack.id}/complete`, { outcome: 'packed', data: parcel });
    expect(early.status).toBe(422);
    expect(early.body.error.details.fields[0].field).toBe('scans');
    for (let i = 0; i < 2; i++) expect((await as(packer).post(`/api/v1/tasks/${pack.id}/scans`, { barcode: 'TUI-01' })).status).toBe(201);
    const packed = await as(packer).post(`/api/v1/tasks/${pack.id}/complete`, { outcome: 'packed', data: parcel });
    expect(packed.body).toMatchObject({ nextStage: 'ship' });

    const result = await stack.temporal.workflow.getHandle(`order:${orderId}`).result();
    expect(result).toMatchObject({ result: 'completed', stage: 'done', shipment: { courier: 'ghn', state: 'delivered' } });
    const stages = result.path.map((v: { stage: string }) => v.stage);
    expect(stages.slice(0, 4)).toEqual(['close', 'confirm', 'pack', 'ship']);
    expect(stages.at(-1)).toBe('done');
  }, 300_000);
});

describe('handledBy and notifications', () => {
  test('When a notification is for a role handled by another (small: cskh by sales), then the holders of the other role receive it', async () => {
    const { stack, base } = await shopFromTemplate('small');
    const sales = await stack.createStaff(['sales'], { name: 'Lan (bán hàng kiêm CSKH)' });
    const warehouse = await stack.createStaff(['warehouse'], { name: 'Minh (đóng gói)' });
    const recorded = await recordNotification(stack.database.db, testLog, {
      roles: ['cskh'],
      message: 'Khách cần được gọi lại hôm nay',
      dedupeKey: `test:handled-by:${Date.now()}`,
    });
    expect(recorded.recipients.map((r) => r.staffId)).toContain(sales.id);
    const inbox = await eventually(
      async () => {
        const res = await apiClient(base, sales.token).get('/api/v1/me/notifications');
        return res.body.notifications?.length ? res.body : undefined;
      },
      20_000,
      "the sales member's inbox row",
    );
    expect(JSON.stringify(inbox)).toContain('Khách cần được gọi lại hôm nay');
    // Nobody else: the warehouse does not do cskh's work.
    expect((await apiClient(base, warehouse.token).get('/api/v1/me/notifications')).body.notifications).toEqual([]);
    const [shop] = await stack.database.db
      .select({ name: definitionVersions.name })
      .from(definitionVersions)
      .where(and(eq(definitionVersions.kind, 'Shop'), eq(definitionVersions.active, true)));
    expect(shop).toEqual({ name: 'small-shop' });
  }, 120_000);
});
