/**
 * Leads from Facebook on the real stack: the Facebook simulator signs Messenger and lead-ads
 * webhooks with the app secret and serves the Graph API's lead read; the HTTP app verifies and
 * stores them; the relay starts `inbound:<delivery>` workflows on the real dev server; the worker
 * routes them into leads, tasks and orders in PostgreSQL.
 */
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { tasks } from '../../db/schema';
import { createFacebookSimulator, facebookSignature, type FacebookSimulator } from '../../scripts/facebook-sim';
import { askPhoneTask, eventsOf, handled, leadsOf, newPhone, orderedLead } from '../support/inbound';
import { apiClient, eventually, openTestStack, testLog, type TestStack } from '../support/stack';

const FB = { appSecret: 'test-facebook-app-secret', verifyToken: 'test-verify-token', pageAccessToken: 'test-page-token' };

let stack: TestStack;
let base: string;
let sim: FacebookSimulator;
let admin: { id: string; token: string };
let sales: { id: string; token: string };

beforeAll(async () => {
  sim = await createFacebookSimulator({ port: 0, ...FB, log: testLog });
  stack = await openTestStack({
    FACEBOOK_APP_SECRET: FB.appSecret,
    FACEBOOK_VERIFY_TOKEN: FB.verifyToken,
    FACEBOOK_PAGE_ACCESS_TOKEN: FB.pageAccessToken,
    FACEBOOK_GRAPH_URL: sim.graphUrl,
  });
  await stack.startWorker();
  base = await stack.startApp();
  sim.setWebhookUrl(`${base}/webhooks/facebook`);
  [admin, sales] = await Promise.all([stack.createStaff(['admin']), stack.createStaff(['sales'], { channels: ['facebook'] })]);
});
afterAll(async () => {
  await stack?.close();
  await sim?.close();
});

const db = () => stack.database.db;
const contactOf = (psid: string) => `facebook:${sim.pageId}:${psid}`;
const psid = () => `77${crypto.randomInt(10 ** 13, 10 ** 14 - 1)}`;
const orderTimeline = async (orderId: string) =>
  (
    (await apiClient(base, admin.token).get(`/api/v1/orders/${orderId}`)).body.timeline as Array<{
      type: string;
      data: Record<string, unknown>;
    }>
  ).filter((e) => e.type === 'customer_message');

describe('the subscription handshake', () => {
  test('When Facebook subscribes with the verify token, then the challenge is echoed; with another token or mode, 403', async () => {
    const ok = await sim.verify();
    expect(ok).toMatchObject({ status: 200, answer: ok.challenge });
    expect((await sim.verify('wrong-token')).status).toBe(403);
    const wrongMode = await fetch(`${base}/webhooks/facebook?hub.mode=unsubscribe&hub.verify_token=${FB.verifyToken}&hub.challenge=1`);
    expect(wrongMode.status).toBe(403);
  });
});

describe('signatures', () => {
  const message = (mid: string) =>
    JSON.stringify({
      object: 'page',
      entry: [
        {
          id: sim.pageId,
          time: Date.now(),
          messaging: [
            { sender: { id: psid() }, recipient: { id: sim.pageId }, timestamp: Date.now(), message: { mid, text: 'sdt 0912345678' } },
          ],
        },
      ],
    });
  const post = (body: string, signature?: string) =>
    fetch(`${base}/webhooks/facebook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature !== undefined ? { 'x-hub-signature-256': signature } : {}) },
      body,
    });

  test.each([
    ['no signature', (b: string): [string, string | undefined] => [b, undefined]],
    ['a signature made with another secret', (b: string): [string, string | undefined] => [b, facebookSignature(b, 'not-the-app-secret')]],
    [
      'a body changed after signing',
      (b: string): [string, string | undefined] => [b.replace('0912345678', '0987654321'), facebookSignature(b, FB.appSecret)],
    ],
    [
      'a sha1 signature',
      (b: string): [string, string | undefined] => [b, `sha1=${crypto.createHmac('sha1', FB.appSecret).update(b).digest('hex')}`],
    ],
  ])('When a webhook comes with %s, then it is 401 and nothing is stored', async (_what, forge) => {
    const mid = `m_forged_${crypto.randomUUID()}`;
    const [body, signature] = forge(message(mid));
    const res = await post(body, signature);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forged_webhook');
    expect(await eventsOf(db(), `facebook:mid:${mid}`)).toEqual([]);
  });

  test('When the same body is signed with the app secret, then it is stored', async () => {
    const mid = `m_signed_${crypto.randomUUID()}`;
    const body = message(mid);
    const res = await post(body, facebookSignature(body, FB.appSecret));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, stored: 1, duplicates: 0 });
    expect(await eventsOf(db(), `facebook:mid:${mid}`)).toHaveLength(1);
  });
});

describe('Messenger messages', () => {
  test.each([
    ['with spaces', (p: string) => `${p.slice(0, 4)} ${p.slice(4, 7)} ${p.slice(7)}`],
    ['as +84 with dots', (p: string) => `+84 ${p.slice(1, 4)}.${p.slice(4, 7)}.${p.slice(7)}`],
    ['as 84 with dashes', (p: string) => `84-${p.slice(1, 4)}-${p.slice(4, 7)}-${p.slice(7)}`],
    ['as (+84) with spaces', (p: string) => `(+84) ${p.slice(1, 4)} ${p.slice(4, 7)} ${p.slice(7)}`],
    ['glued to words', (p: string) => `sdt:${p}.`],
  ])(
    'When a customer writes their phone %s, then it is picked up and their lead becomes an order on channel facebook',
    async (_how, spell) => {
      const phone = newPhone();
      const written = spell(phone);
      const sent = await sim.sendMessages([{ text: `Shop ơi em lấy 2 áo size M, sđt ${written} nhé` }]);
      expect(sent.status).toBe(200);
      const { order, lead } = await orderedLead(db(), contactOf(sent.psids[0]!));
      expect(order).toMatchObject({ channel: 'facebook', customerPhone: phone, status: 'open' });
      expect(lead).toMatchObject({ channel: 'facebook', phone });
      const said = await eventually(async () => ((await orderTimeline(order.id)).length ? orderTimeline(order.id) : undefined));
      expect(said[0]!.data).toMatchObject({ channel: 'facebook', direction: 'in', text: expect.stringContaining(written) });
    },
  );

  test('When Facebook delivers the same webhook again, then it is stored and handled once', async () => {
    const sent = await sim.sendMessages([{ text: `đặt hàng, sđt ${newPhone()}` }]);
    const replay = await fetch(sent.request.url, { method: 'POST', headers: sent.request.headers, body: sent.request.body });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ stored: 0, duplicates: 1 });
    await orderedLead(db(), contactOf(sent.psids[0]!));
    // Delivered a third time after the work was done: still nothing new.
    await fetch(sent.request.url, { method: 'POST', headers: sent.request.headers, body: sent.request.body });
    expect(await eventsOf(db(), `facebook:mid:${sent.mids[0]}`)).toHaveLength(1);
    expect(await leadsOf(db(), contactOf(sent.psids[0]!))).toHaveLength(1);
  });

  test('When a customer without a phone writes several times and the page answers, then it is one lead whose task asks sales for the phone, and the phone written later starts its order with the whole conversation', async () => {
    const customer = psid();
    const first = await sim.sendMessages([{ psid: customer, text: 'Áo này còn size L không shop?' }]);
    const [lead] = await eventually(async () => {
      const leads = await leadsOf(db(), contactOf(customer));
      return leads.length ? leads : undefined;
    });
    expect(lead).toMatchObject({ status: 'open', phone: null, channel: 'facebook' });
    const task = await askPhoneTask(db(), lead!.id);
    expect(task).toMatchObject({ role: 'sales', subjectType: 'lead' });
    // What the customer asked is on the task, so sales can answer it in Messenger.
    expect(task.summary).toMatchObject({ channel: 'facebook', message: 'Áo này còn size L không shop?' });
    // Sales see it in their list.
    const listed = await apiClient(base, sales.token).get(`/api/v1/tasks?status=open&role=sales`);
    expect(listed.body.tasks.map((t: { id: string }) => t.id)).toContain(task.id);

    await sim.sendEcho(customer, 'Dạ còn ạ, chị cho em xin số điện thoại nhé');
    const second = await sim.sendMessages([{ psid: customer, text: 'giá bao nhiêu vậy' }]);
    await handled(db(), `facebook:mid:${second.mids[0]}`);
    expect(await leadsOf(db(), contactOf(customer))).toHaveLength(1);
    const openTasks = await db().select().from(tasks).where(eq(tasks.subjectId, lead!.id));
    expect(openTasks.filter((t) => t.status === 'open')).toHaveLength(1);

    const phone = newPhone();
    await sim.sendMessages([{ psid: customer, text: `sđt em ${phone.slice(0, 4)}.${phone.slice(4, 7)}.${phone.slice(7)}` }]);
    const { order } = await orderedLead(db(), contactOf(customer));
    expect(order).toMatchObject({ channel: 'facebook', customerPhone: phone });
    await eventually(
      async () => {
        const [row] = await db().select().from(tasks).where(eq(tasks.id, task.id));
        return row?.status === 'cancelled';
      },
      20_000,
      'the ask-phone task cancelled',
    );
    const said = await eventually(
      async () => {
        const t = await orderTimeline(order.id);
        return t.length === 4 ? t : undefined;
      },
      20_000,
      'the conversation on the order timeline',
    );
    expect(said.map((e) => e.data.direction)).toEqual(['in', 'out', 'in', 'in']);
    expect(said[0]!.data.text).toBe('Áo này còn size L không shop?');

    // While the order is open, the customer's next message goes on its timeline, not a new lead.
    const later = await sim.sendMessages([{ psid: customer, text: 'khi nào giao vậy shop' }]);
    expect((await handled(db(), `facebook:mid:${later.mids[0]}`)).result).toBe('order-timeline');
    expect(await leadsOf(db(), contactOf(customer))).toHaveLength(1);
    expect(first.status).toBe(200);
  });

  test('When sales enter the phone on the task, then the order starts; when they drop a lead, the customer’s next message is a new lead', async () => {
    const buyer = psid();
    await sim.sendMessages([{ psid: buyer, text: 'tư vấn giúp em' }]);
    const [lead] = await eventually(async () => {
      const l = await leadsOf(db(), contactOf(buyer));
      return l.length ? l : undefined;
    });
    const task = await askPhoneTask(db(), lead!.id);
    const phone = newPhone();
    const api = apiClient(base, admin.token);
    const badPhone = await api.post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'phone', data: { phone: 'không có' } });
    expect(badPhone.status).toBe(422);
    const done = await api.post(`/api/v1/tasks/${task.id}/complete`, { outcome: 'phone', data: { phone, customerName: 'Lê Văn C' } });
    expect(done.status).toBe(200);
    const { order } = await orderedLead(db(), contactOf(buyer));
    expect(order).toMatchObject({ customerPhone: phone, customerName: 'Lê Văn C', channel: 'facebook' });

    const spammer = psid();
    await sim.sendMessages([{ psid: spammer, text: 'click link nhận quà' }]);
    const [spam] = await eventually(async () => {
      const l = await leadsOf(db(), contactOf(spammer));
      return l.length ? l : undefined;
    });
    const spamTask = await askPhoneTask(db(), spam!.id);
    expect((await api.post(`/api/v1/tasks/${spamTask.id}/complete`, { outcome: 'lost', data: { reason: 'spam' } })).status).toBe(200);
    await eventually(async () => (await leadsOf(db(), contactOf(spammer)))[0]?.status === 'lost', 20_000, 'the lead dropped');
    await sim.sendMessages([{ psid: spammer, text: 'shop ơi' }]);
    const leads = await eventually(
      async () => {
        const l = await leadsOf(db(), contactOf(spammer));
        return l.length === 2 ? l : undefined;
      },
      20_000,
      'a new lead',
    );
    expect(leads.map((l) => l.status)).toEqual(['lost', 'open']);
  });
});

describe('lead ads', () => {
  test('When a customer submits a lead-ads form, then its answers are read from the Graph API and it becomes an order with their name and phone; a replay is one lead', async () => {
    const phone = newPhone();
    const sent = await sim.submitLeadForm({ full_name: 'Trần Thị B', phone_number: `+84 ${phone.slice(1)}`, email: 'b@example.vn' });
    expect(sent.status).toBe(200);
    const replay = await fetch(sent.request.url, { method: 'POST', headers: sent.request.headers, body: sent.request.body });
    expect(await replay.json()).toMatchObject({ duplicates: 1 });
    const { order, lead } = await orderedLead(db(), `phone:${phone}`);
    expect(order).toMatchObject({ channel: 'facebook', customerPhone: phone, customerName: 'Trần Thị B' });
    expect(lead.source).toBe('facebook-lead-ads');
    const [event] = await eventsOf(db(), `facebook:leadgen:${sent.leadgenId}`);
    expect(event!.payload).toMatchObject({ leadgenId: sent.leadgenId, fields: { full_name: 'Trần Thị B', email: 'b@example.vn' } });
    expect(await leadsOf(db(), `phone:${phone}`)).toHaveLength(1);
  });
});
