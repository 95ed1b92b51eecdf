/**
 * Leads from the shop's Zalo Official Account on the real stack: the customer simulator posts
 * Zalo's signed `user_send_text` webhook; a user no order confirmation awaits becomes a lead on
 * channel `zalo` (one open lead per Zalo user, the phone in the text picked up), while the OA's
 * MAC verification and the confirmation replies stay as they were.
 */
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { createChannels } from '../../activities/notifications/channels';
import { startDeliveryRelay, type DeliveryRelay } from '../../activities/notifications/delivery';
import { customerReplies, messageDeliveries } from '../../db/schema';
import { createCustomerSimulator, simulatedZaloUserId, type CustomerSimulator } from '../../scripts/customer-sim';
import { eventsOf, handled, leadsOf, newPhone, orderedLead } from '../support/inbound';
import { apiClient, eventually, fixture, openTestStack, testLog, type TestStack } from '../support/stack';

const ZALO = { appId: '5544332211009988111', oaId: '4097311281936189049', oaSecret: 'test-oa-secret-leads', token: 'test-zns-token' };

let stack: TestStack;
let base: string;
let sim: CustomerSimulator;
let relay: DeliveryRelay;
let withMessages: string;
let admin: { id: string; token: string };

beforeAll(async () => {
  sim = await createCustomerSimulator({
    port: 0,
    zaloAccessToken: ZALO.token,
    esms: { apiKey: 'k', secretKey: 's', brandname: 'B' },
    log: testLog,
  });
  stack = await openTestStack({ ZALO_APP_ID: ZALO.appId, ZALO_OA_SECRET: ZALO.oaSecret });
  await stack.startWorker();
  base = await stack.startApp();
  sim.setWebhooks({ zalo: { url: `${base}/webhooks/zalo`, appId: ZALO.appId, oaId: ZALO.oaId, oaSecret: ZALO.oaSecret } });
  // Order confirmations go out by ZNS (to the simulator), so a Zalo user becomes known to an order.
  relay = startDeliveryRelay({
    db: stack.database.db,
    log: testLog,
    channels: createChannels({
      db: stack.database.db,
      log: testLog,
      settings: { ...stack.config.delivery, zaloOaAccessToken: ZALO.token, znsApiUrl: sim.url, maxAttempts: 3 },
    }),
    settings: { maxAttempts: 3, baseMs: 100, maxMs: 300, leaseMs: 30_000, pollMs: 100 },
    listenUrl: stack.config.databaseUrl,
  });
  ({ name: withMessages } = await stack.activateProcess(fixture('customer-messages.yaml')));
  admin = await stack.createStaff(['admin']);
});
afterAll(async () => {
  await relay?.stop();
  await stack?.close();
  await sim?.close();
});

const db = () => stack.database.db;
const intl = (phone: string) => `84${phone.slice(1)}`;
/** The Zalo user the simulator plays for a phone (what Zalo's sender.id would be). */
const zaloUser = (phone: string) => simulatedZaloUserId(intl(phone));
interface Sent {
  request: { url: string; headers: Record<string, string>; body: string };
  status: number;
  answer: string;
}
async function zaloWrites(phone: string, text: string): Promise<Sent> {
  const res = await fetch(`${sim.url}/__sim/replies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, text, via: 'zalo' }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Sent;
}
const msgIdOf = (sent: Sent) => (JSON.parse(sent.request.body) as { message: { msg_id: string } }).message.msg_id;

describe('Zalo OA messages become leads', () => {
  test('When a Zalo user no confirmation awaits writes with their phone, then it is a lead on channel zalo whose order starts; a replay is one lead', async () => {
    const phone = newPhone();
    const sent = await zaloWrites(phone, `Mình muốn đặt 1 hộp, số mình ${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`);
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.answer)).toMatchObject({ ok: true, lead: true, duplicate: false });
    const { order, lead } = await orderedLead(db(), `zalo:${zaloUser(phone)}`);
    expect(order).toMatchObject({ channel: 'zalo', customerPhone: phone });
    expect(lead.channel).toBe('zalo');

    const replay = await fetch(sent.request.url, { method: 'POST', headers: sent.request.headers, body: sent.request.body });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ ok: true, lead: true, duplicate: true });
    expect(await eventsOf(db(), `zalo:msg:${msgIdOf(sent)}`)).toHaveLength(1);
    expect(await leadsOf(db(), `zalo:${zaloUser(phone)}`)).toHaveLength(1);

    // Their next message while the order is open goes on its timeline.
    const next = await zaloWrites(phone, 'khi nào giao vậy shop');
    const row = await handled(db(), `zalo:msg:${msgIdOf(next)}`);
    expect(row).toMatchObject({ result: 'order-timeline', orderId: order.id });
    expect(await leadsOf(db(), `zalo:${zaloUser(phone)}`)).toHaveLength(1);
  });

  test('When a Zalo user writes without a phone twice, then it is one open lead waiting on a sales task', async () => {
    const phone = newPhone();
    const first = await zaloWrites(phone, 'shop còn màu đỏ không');
    const second = await zaloWrites(phone, 'ship về Đà Nẵng bao lâu');
    await handled(db(), `zalo:msg:${msgIdOf(first)}`);
    expect((await handled(db(), `zalo:msg:${msgIdOf(second)}`)).result).toBe('lead-timeline');
    const leads = await leadsOf(db(), `zalo:${zaloUser(phone)}`);
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({ status: 'open', phone: null });
  });

  test('When a Zalo webhook is signed wrongly, then it is 401 and nothing is stored (no reply, no lead)', async () => {
    const msgId = crypto.randomBytes(16).toString('hex');
    const timestamp = String(Date.now());
    const body = JSON.stringify({
      app_id: ZALO.appId,
      timestamp,
      event_name: 'user_send_text',
      sender: { id: '1234567890' },
      recipient: { id: ZALO.oaId },
      message: { text: 'sdt 0912345678', msg_id: msgId },
    });
    const wrongMac = crypto.createHash('sha256').update(`${ZALO.appId}${body}${timestamp}not-the-secret`).digest('hex');
    for (const signature of [`mac=${wrongMac}`, '', `mac=${wrongMac.slice(2)}`]) {
      const res = await fetch(`${base}/webhooks/zalo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-zevent-signature': signature },
        body,
      });
      expect(res.status).toBe(401);
    }
    expect(await eventsOf(db(), `zalo:msg:${msgId}`)).toEqual([]);
    expect(await db().select().from(customerReplies).where(eq(customerReplies.eventId, msgId))).toEqual([]);
    // The same body with Zalo's own MAC is taken.
    const mac = crypto.createHash('sha256').update(`${ZALO.appId}${body}${timestamp}${ZALO.oaSecret}`).digest('hex');
    const ok = await fetch(`${base}/webhooks/zalo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` },
      body,
    });
    expect(ok.status).toBe(200);
    await eventually(async () => (await eventsOf(db(), `zalo:msg:${msgId}`)).length === 1, 10_000, 'the signed message stored');
  });

  test('When a customer whose order was confirmed by Zalo writes after that order is over, then it is a new lead; a reply to a pending confirmation still completes it', async () => {
    const phone = newPhone();
    const api = apiClient(base, admin.token);
    const lead = await api.post('/api/v1/leads', { channel: 'website', process: withMessages, customer: { name: 'Khách cũ', phone } });
    expect(lead.status).toBe(201);
    const orderId: string = lead.body.orderId;
    const openTask = (stage: string) =>
      eventually(
        async () =>
          (await api.get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find((t: { stage: string }) => t.stage === stage),
        20_000,
        `open ${stage} task`,
      );
    const close = await openTask('close');
    const closed = await api.post(`/api/v1/tasks/${close.id}/complete`, {
      outcome: 'closed',
      data: {
        items: [{ sku: 'AO-01', name: 'Áo', qty: 1, price: 2000000 }],
        shippingAddress: { street: '1 Lê Lợi', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
        codAmount: 2000000,
      },
    });
    expect(closed.status).toBe(200);
    await openTask('confirm');
    // The confirmation reached the customer's Zalo: Zalo's receipt names the user.
    await eventually(
      async () =>
        (
          await db()
            .select()
            .from(customerReplies)
            .where(eq(customerReplies.zaloUserId, zaloUser(phone)))
        ).find((r) => r.kind === 'received'),
      30_000,
      'the ZNS receipt',
    );
    expect((await db().select().from(messageDeliveries).where(eq(messageDeliveries.orderId, orderId))).length).toBeGreaterThan(0);
    // A text that is no reply while the confirmation is pending stays on the order, no lead.
    const chat = await zaloWrites(phone, 'shop ơi khi nào giao');
    expect(JSON.parse(chat.answer)).toMatchObject({ result: 'not-a-reply', orderId });
    expect(await eventsOf(db(), `zalo:msg:${msgIdOf(chat)}`)).toEqual([]);
    const cancelled = await api.post(`/api/v1/orders/${orderId}/cancel`, { reason: 'khách đổi ý' });
    expect(cancelled.status).toBeLessThan(300);
    await eventually(async () => (await api.get(`/api/v1/orders/${orderId}`)).body.status === 'cancelled', 20_000, 'the order cancelled');

    const again = await zaloWrites(phone, `mình đặt lại nhé, sđt ${phone}`);
    expect(JSON.parse(again.answer)).toMatchObject({ ok: true, lead: true });
    const { order } = await orderedLead(db(), `zalo:${zaloUser(phone)}`);
    expect(order).toMatchObject({ channel: 'zalo', customerPhone: phone });
    expect(order.id).not.toBe(orderId);
  }, 90_000);
});
