/**
 * Messages to customers on the real stack: leads through the HTTP app, the courier simulator
 * handing over and delivering with real-format webhooks, the delivery relay sending the outbox's
 * customer rows through the ZNS and SMS channels to the customer simulator (Zalo ZNS and eSMS API
 * shapes), and customers' replies coming back as Zalo's signed `user_send_text` webhook or eSMS's
 * signed inbound SMS.
 */
import crypto from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { createChannels } from '../../activities/notifications/channels';
import { startDeliveryRelay, type DeliveryRelay } from '../../activities/notifications/delivery';
import { customerReplies, messageAttempts, messageDeliveries, orderEvents, tasks } from '../../db/schema';
import { createCustomerSimulator, type CustomerSimulator, type SimulatedMessage } from '../../scripts/customer-sim';
import type { DeliveryConfig } from '../../server/platform/config';
import { apiClient, eventually, fixture, openTestStack, testLog, type TestStack } from '../support/stack';

const ZALO = { appId: '5544332211009988776', oaId: '4097311281936189049', oaSecret: 'test-oa-secret', token: 'test-zns-access-token' };
const ESMS = { apiKey: 'test-esms-key', secretKey: 'test-esms-secret', brandname: 'SHOPTEST' };
const MO = { cpId: 'test-cp', privateKey: 'test-mo-private-key', keyword: 'XN' };

let stack: TestStack;
let base: string;
let sim: CustomerSimulator;
let relay: DeliveryRelay;
let withMessages: string;
let withoutMessages: string;
let admin: { id: string; token: string };
let marketing: { id: string; token: string };

beforeAll(async () => {
  sim = await createCustomerSimulator({ port: 0, zaloAccessToken: ZALO.token, esms: ESMS, log: testLog });
  stack = await openTestStack({
    ZALO_APP_ID: ZALO.appId,
    ZALO_OA_SECRET: ZALO.oaSecret,
    SMS_MO_CPID: MO.cpId,
    SMS_MO_PRIVATE_KEY: MO.privateKey,
  });
  await stack.startWorker();
  base = await stack.startApp();
  await stack.startCourierSimulator({ timeScale: 1 });
  sim.setWebhooks({
    zalo: { url: `${base}/webhooks/zalo`, appId: ZALO.appId, oaId: ZALO.oaId, oaSecret: ZALO.oaSecret },
    sms: { url: `${base}/webhooks/sms/esms`, cpId: MO.cpId, privateKey: MO.privateKey, keyword: MO.keyword },
  });
  const delivery: DeliveryConfig = {
    ...stack.config.delivery,
    zaloOaAccessToken: ZALO.token,
    znsApiUrl: sim.url,
    smsApiUrl: sim.url,
    smsApiKey: ESMS.apiKey,
    smsSecretKey: ESMS.secretKey,
    smsBrandname: ESMS.brandname,
    maxAttempts: 3,
  };
  relay = startDeliveryRelay({
    db: stack.database.db,
    log: testLog,
    channels: createChannels({ db: stack.database.db, log: testLog, settings: delivery }),
    settings: { maxAttempts: 3, baseMs: 100, maxMs: 300, leaseMs: 30_000, pollMs: 100 },
    listenUrl: stack.config.databaseUrl,
  });
  ({ name: withMessages } = await stack.activateProcess(fixture('customer-messages.yaml')));
  ({ name: withoutMessages } = await stack.activateProcess(fixture('fast-ship.yaml')));
  [admin, marketing] = await Promise.all([stack.createStaff(['admin']), stack.createStaff(['marketing'])]);
});
afterAll(async () => {
  await relay?.stop();
  await stack?.close();
  await sim?.close();
});

const api = () => apiClient(base, admin.token);
let phoneSeq = 0;
/** A fresh Vietnamese mobile number per order, so the simulator's messages are told apart. */
const newPhone = () => `09${String(Date.now() % 1_000_000).padStart(6, '0')}${String(++phoneSeq).padStart(2, '0')}`;
const intl = (phone: string) => `84${phone.slice(1)}`;

async function openTask(orderId: string, stage: string) {
  return eventually(
    async () =>
      (await api().get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find((t: { stage: string }) => t.stage === stage),
    20_000,
    `open ${stage} task`,
  );
}

/** A lead of `process`, closed with a COD amount; the courier simulator delivers it normally. */
async function closedOrder(process: string, phone: string, codAmount: number): Promise<string> {
  const lead = await apiClient(base, marketing.token).post('/api/v1/leads', {
    channel: 'facebook',
    process,
    note: '[sim:normal]',
    customer: { name: 'Nguyễn Thị Khách', phone },
  });
  expect(lead.status).toBe(201);
  const orderId: string = lead.body.orderId;
  const close = await openTask(orderId, 'close');
  const done = await api().post(`/api/v1/tasks/${close.id}/complete`, {
    outcome: 'closed',
    data: {
      items: [{ sku: 'AO-01', name: 'Áo thun', qty: 2, price: 750000 }],
      shippingAddress: { street: '12 Lê Lợi', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
      codAmount,
    },
  });
  expect(done.status).toBe(200);
  return orderId;
}

const messagesTo = (phone: string, channel?: 'zns' | 'sms') =>
  sim.messages(channel).filter((m) => m.phone === intl(phone) || m.phone === phone);
const waitForMessage = (phone: string, predicate: (m: SimulatedMessage) => boolean, what: string) =>
  eventually(async () => messagesTo(phone).find(predicate), 30_000, what);
const finalResult = (orderId: string) => stack.temporal.workflow.getHandle(`order:${orderId}`).result();
const deliveriesOf = (orderId: string) =>
  stack.database.db.select().from(messageDeliveries).where(eq(messageDeliveries.orderId, orderId)).orderBy(asc(messageDeliveries.id));
const timeline = (orderId: string, type: string) =>
  stack.database.db
    .select()
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, type)))
    .orderBy(asc(orderEvents.id));

/** The confirmation ZNS reached the customer and Zalo said which Zalo user got it. */
async function confirmationReceived(orderId: string, phone: string) {
  await waitForMessage(phone, (m) => m.templateId === '301247', 'the order confirmation ZNS');
  await eventually(
    async () =>
      (await stack.database.db.select().from(customerReplies).where(eq(customerReplies.orderId, orderId))).find(
        (r) => r.kind === 'received',
      ),
    15_000,
    'the ZNS receipt',
  );
}
const reply = async (phone: string, text: string, via: 'zalo' | 'sms') => {
  const res = await fetch(`${sim.url}/__sim/replies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, text, via }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    request: { url: string; headers?: Record<string, string>; body?: string };
    status: number;
    answer: string;
  };
};

describe('customer messages', () => {
  test('When an order of a process declaring messages is handed over and delivered, then the customer gets the tracking ZNS with the tracking code and link, then the delivered ZNS', async () => {
    const phone = newPhone();
    const orderId = await closedOrder(withMessages, phone, 0); // no COD: not risky, no confirmation
    const tracking = await waitForMessage(phone, (m) => m.templateId === '301245', 'the tracking ZNS');
    const delivered = await waitForMessage(phone, (m) => m.templateId === '301246', 'the delivered ZNS');
    expect(await finalResult(orderId)).toMatchObject({ result: 'completed' });

    const code = (await stack.database.db.select().from(messageDeliveries).where(eq(messageDeliveries.orderId, orderId)))[0]!.payload as {
      zns: { params: Record<string, string> };
    };
    const shipment = (await api().get(`/api/v1/orders/${orderId}`)).body.shipment as { trackingCode: string };
    expect(tracking.params).toEqual({
      customer_name: 'Nguyễn Thị Khách',
      order_code: orderId,
      tracking_code: shipment.trackingCode,
      tracking_url: expect.stringContaining(`/tracking/${shipment.trackingCode}`),
    });
    expect(code.zns.params.tracking_code).toBe(shipment.trackingCode);
    expect(delivered.params).toEqual({ order_code: orderId, tracking_code: shipment.trackingCode });
    expect(tracking.trackingId).toMatch(/^\d+$/); // the delivery id, which Zalo's receipts carry back
    expect(messagesTo(phone, 'sms')).toEqual([]); // ZNS worked: no SMS
    expect(messagesTo(phone).some((m) => m.templateId === '301247')).toBe(false);

    const rows = await deliveriesOf(orderId);
    expect(rows.map((r) => [r.template, r.channel, r.status, r.audience, r.address])).toEqual([
      ['tracking', 'zns', 'sent', 'customer', phone],
      ['tracking', 'sms', 'standby', 'customer', phone],
      ['delivered', 'zns', 'sent', 'customer', phone],
      ['delivered', 'sms', 'standby', 'customer', phone],
    ]);
    expect(rows[0]!.providerMessageId).toBe(tracking.providerId);
  });

  test('When an order of a process without the declaration is delivered, then no message goes to the customer', async () => {
    const phone = newPhone();
    const orderId = await closedOrder(withoutMessages, phone, 300000);
    expect(await finalResult(orderId)).toMatchObject({ result: 'completed' });
    expect(await deliveriesOf(orderId)).toEqual([]);
    expect(messagesTo(phone)).toEqual([]);
  });

  test('When a risky COD order reaches the confirm step and the customer answers "1" on Zalo, then the confirm task is completed by the customer and the order ships; a forged webhook is 401 and a replayed one changes nothing', async () => {
    const phone = newPhone();
    const orderId = await closedOrder(withMessages, phone, 1500000);
    const confirm = await openTask(orderId, 'confirm');
    await confirmationReceived(orderId, phone);
    const asked = messagesTo(phone).find((m) => m.templateId === '301247')!;
    expect(asked.params).toEqual({ customer_name: 'Nguyễn Thị Khách', order_code: orderId, cod_amount: '1.500.000đ' });

    // A forged reply (wrong signature) changes nothing.
    const forgedBody = JSON.stringify({
      app_id: ZALO.appId,
      timestamp: String(Date.now()),
      event_name: 'user_send_text',
      sender: { id: '123' },
      recipient: { id: ZALO.oaId },
      message: { text: '1', msg_id: crypto.randomBytes(16).toString('hex') },
    });
    const forged = await fetch(`${base}/webhooks/zalo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${'0'.repeat(64)}` },
      body: forgedBody,
    });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('forged_webhook');
    expect((await api().get(`/api/v1/tasks/${confirm.id}`)).body.status).toBe('open');

    const sent = await reply(phone, '1', 'zalo');
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.answer)).toMatchObject({ ok: true, result: 'completed', outcome: 'confirmed', nextStage: 'ship' });
    const task = (await stack.database.db.select().from(tasks).where(eq(tasks.id, confirm.id)))[0]!;
    expect(task).toMatchObject({ status: 'done', outcome: 'confirmed', data: { confirmedVia: 'zalo' } });
    expect(task.completedBy).toMatch(/^customer:cus_/);
    expect(await finalResult(orderId)).toMatchObject({ result: 'completed' });

    // The same webhook delivered again is handled once.
    const again = await fetch(sent.request.url, { method: 'POST', headers: sent.request.headers, body: sent.request.body });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ ok: true, result: 'duplicate' });
    const replies = await timeline(orderId, 'customer_reply');
    expect(replies.map((e) => e.data)).toEqual([
      expect.objectContaining({ text: '1', channel: 'zalo', result: 'completed', outcome: 'confirmed' }),
    ]);
    const stagesLeft = (await timeline(orderId, 'stage_left')).filter((e) => e.fromStage === 'confirm');
    expect(stagesLeft).toHaveLength(1);
  });

  test('When the customer of a risky COD order answers something else and then "2" by SMS, then the first changes nothing but is on the timeline, and the order is cancelled', async () => {
    const phone = newPhone();
    const orderId = await closedOrder(withMessages, phone, 2000000);
    const confirm = await openTask(orderId, 'confirm');
    await confirmationReceived(orderId, phone);

    const other = await reply(phone, 'ok shop', 'zalo');
    expect(JSON.parse(other.answer)).toMatchObject({ result: 'not-a-reply', orderId });
    expect((await api().get(`/api/v1/tasks/${confirm.id}`)).body.status).toBe('open');

    const cancel = await reply(phone, '2', 'sms');
    expect(cancel.status).toBe(200);
    expect(cancel.answer).toMatch(/^<ClientResponse><Message>Đơn .* ghi nhận/);
    expect(await finalResult(orderId)).toMatchObject({ result: 'cancelled' });
    const task = (await stack.database.db.select().from(tasks).where(eq(tasks.id, confirm.id)))[0]!;
    expect(task).toMatchObject({ status: 'done', outcome: 'cancelled', data: { reason: 'changed-mind' } });

    // Nothing awaits an answer any more: a late "1" is recorded and changes nothing.
    const late = await reply(phone, '1', 'sms');
    expect(late.answer).toMatch(/không có đơn nào chờ xác nhận/);
    expect((await timeline(orderId, 'customer_reply')).map((e) => [e.data!.text, e.data!.channel, e.data!.result])).toEqual([
      ['ok shop', 'zalo', 'not-a-reply'],
      ['2', 'sms', 'completed'],
      ['1', 'sms', 'no-pending'],
    ]);
    expect(messagesTo(phone).some((m) => m.templateId === '301245')).toBe(false); // never handed over
  });

  test('When an inbound SMS is forged, then it is 401 and nothing is recorded', async () => {
    const before = (await stack.database.db.select().from(customerReplies)).length;
    const query = new URLSearchParams({
      sender: '84912345678',
      content: 'XN 1',
      keyword: 'XN',
      serviceNumber: '8079',
      smsid: 'forged-1',
      receiverTime: '20261203080000',
      cpid: MO.cpId,
      sign: 'bm90IHRoZSBzaWdu',
    });
    const res = await fetch(`${base}/webhooks/sms/esms?${query}`);
    expect(res.status).toBe(401);
    expect((await stack.database.db.select().from(customerReplies)).length).toBe(before);
  });

  test('When the phone has no Zalo account, then ZNS fails for good and the tracking goes by SMS in Vietnamese with the tracking code and link', async () => {
    const phone = newPhone();
    const noZalo = await fetch(`${sim.url}/__sim/no-zalo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone }),
    });
    expect(noZalo.status).toBe(200);
    const orderId = await closedOrder(withMessages, phone, 0);
    const sms = await waitForMessage(phone, (m) => m.channel === 'sms' && /mã vận đơn/.test(m.text ?? ''), 'the tracking SMS');
    const shipment = (await api().get(`/api/v1/orders/${orderId}`)).body.shipment as { trackingCode: string };
    expect(sms.text).toContain(`Đơn ${orderId} đã giao cho`);
    expect(sms.text).toContain(`mã vận đơn ${shipment.trackingCode}`);
    expect(sms.text).toMatch(new RegExp(`Theo dõi: http\\S+/tracking/${shipment.trackingCode}`));
    expect(messagesTo(phone, 'zns')).toEqual([]);

    const [zns, smsRow] = (await deliveriesOf(orderId)).filter((r) => r.template === 'tracking');
    expect(zns).toMatchObject({ channel: 'zns', status: 'given_up' });
    expect(smsRow).toMatchObject({ channel: 'sms', status: 'sent', providerMessageId: sms.providerId });
    const [attempt] = await stack.database.db.select().from(messageAttempts).where(eq(messageAttempts.deliveryId, zns!.id));
    expect(attempt).toMatchObject({ outcome: 'given_up', providerStatus: '200/-118' });
    expect(attempt!.providerAnswer).toMatch(/-118 Zalo account not existed/);
    expect(await finalResult(orderId)).toMatchObject({ result: 'completed' });
  });

  test('When Zalo keeps answering 500, then the ZNS is retried with backoff up to the attempt limit, given up with Zalo’s answer, and the SMS goes instead', async () => {
    const armed = await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'zns', status: 500, count: 3 }),
    });
    expect(armed.status).toBe(200);
    const phone = newPhone();
    const orderId = await closedOrder(withMessages, phone, 0);
    const sms = await waitForMessage(phone, (m) => m.channel === 'sms' && /mã vận đơn/.test(m.text ?? ''), 'the tracking SMS');
    const [zns, smsRow] = (await deliveriesOf(orderId)).filter((r) => r.template === 'tracking');
    expect(zns).toMatchObject({ channel: 'zns', status: 'given_up', attempts: 3 });
    expect(smsRow).toMatchObject({ channel: 'sms', status: 'sent', providerMessageId: sms.providerId });
    const attempts = await stack.database.db
      .select()
      .from(messageAttempts)
      .where(eq(messageAttempts.deliveryId, zns!.id))
      .orderBy(asc(messageAttempts.id));
    expect(attempts.map((a) => [a.outcome, a.providerStatus])).toEqual([
      ['failed', '500'],
      ['failed', '500'],
      ['given_up', '500'],
    ]);
    expect(attempts[2]!.providerAnswer).toMatch(/sent by the next channel instead/);
    expect(await finalResult(orderId)).toMatchObject({ result: 'completed' });
  });
});
