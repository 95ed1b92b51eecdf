/**
 * Delivery to the channels staff use, on the real stack: an escalation of an SLA of seconds goes
 * out by e-mail (to an SMTP server this test starts, the `smtp-server` package) and Telegram (the
 * channel simulator, speaking the Bot API) with the deep link; a provider answering 500 is retried
 * and then recorded as given up with its answer, the inbox row kept; Telegram's 429 retry_after is
 * honoured; quiet hours hold a normal item and let an urgent one through; the daily digest sends
 * one message for several low items; two relays on one database never send a row twice; a row left
 * `sending` by a dead worker is sent again.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { createChannels } from '../../activities/notifications/channels';
import { startDeliveryRelay, type DeliveryRelay, type RelaySettings } from '../../activities/notifications/delivery';
import { recordNotification } from '../../db/notifications/outbox';
import { messageAttempts, messageDeliveries, notificationRecipients, tasks } from '../../db/schema';
import type { DeliveryConfig } from '../../server/platform/config';
import { createChannelSimulator, type ChannelSimulator, type ReceivedMessage } from '../../scripts/channel-sim';
import { apiClient, eventually, fixture, openTestStack, testLog, uniqueId, type TestStack } from '../support/stack';

const PUBLIC_URL = 'https://shop.example.vn';
const BOT_TOKEN = '123456:test-bot-token';
const ZALO_TOKEN = 'test-zalo-access-token';

let stack: TestStack;
let base: string;
let sim: ChannelSimulator;
let delivery: DeliveryConfig;
const relays: DeliveryRelay[] = [];
const previousPublicUrl = process.env.PUBLIC_URL;

beforeAll(async () => {
  process.env.PUBLIC_URL = PUBLIC_URL;
  stack = await openTestStack({ PUBLIC_URL });
  sim = await createChannelSimulator({ port: 0, smtpPort: 0, telegramBotToken: BOT_TOKEN, zaloAccessToken: ZALO_TOKEN, log: testLog });
  delivery = {
    ...stack.config.delivery,
    smtpUrl: sim.smtpUrl,
    telegramBotToken: BOT_TOKEN,
    telegramApiUrl: sim.url,
    zaloOaAccessToken: ZALO_TOKEN,
    zaloOaApiUrl: sim.url,
  };
  base = await stack.startApp();
});
afterAll(async () => {
  for (const r of relays) await r.stop();
  await sim?.close();
  await stack?.close();
  if (previousPublicUrl === undefined) delete process.env.PUBLIC_URL;
  else process.env.PUBLIC_URL = previousPublicUrl;
});

/** A relay of this test's own, as a worker process runs it (fast retries for the test). */
function startRelay(settings: Partial<RelaySettings> = {}, database = stack.database): DeliveryRelay {
  const relay = startDeliveryRelay({
    db: database.db,
    log: testLog,
    channels: createChannels({ db: database.db, log: testLog, settings: delivery }),
    settings: { maxAttempts: 4, baseMs: 100, maxMs: 400, leaseMs: 30_000, pollMs: 100, ...settings },
    listener: database.listener,
  });
  relays.push(relay);
  return relay;
}
async function stopRelay(relay: DeliveryRelay) {
  relays.splice(relays.indexOf(relay), 1);
  await relay.stop();
}

/** A member of staff with their own token and the preferences given through the API. */
async function person(roles: string[], preferences: Record<string, unknown>) {
  const member = await stack.createStaff(roles);
  const res = await apiClient(base, member.token).patch('/api/v1/me/preferences', preferences);
  expect(res.status).toBe(200);
  return member;
}

const telegramChat = () => String(100_000_000 + Math.floor(Math.random() * 800_000_000));
const received = async (channel: ReceivedMessage['channel'], to: string) =>
  (await sim.store.all()).filter((m) => m.channel === channel && m.to === to);

const deliveriesOf = (staffId: string) =>
  stack.database.db.select().from(messageDeliveries).where(eq(messageDeliveries.staffId, staffId)).orderBy(asc(messageDeliveries.id));
const attemptsOf = (deliveryId: number) =>
  stack.database.db.select().from(messageAttempts).where(eq(messageAttempts.deliveryId, deliveryId)).orderBy(asc(messageAttempts.id));

async function notifyStaff(staffId: string, input: { message: string; priority: 'low' | 'normal' | 'urgent'; link?: string }) {
  const recorded = await recordNotification(stack.database.db, null, {
    roles: [],
    staffIds: [staffId],
    message: input.message,
    dedupeKey: uniqueId('delivery-test'),
    priority: input.priority,
    kind: 'notify',
    link: input.link ?? '/tasks/tsk_test',
  });
  expect(recorded.created).toBe(true);
  return recorded;
}

/** HH:MM in the shop's time zone (UTC+7), `minutes` from now. */
const localTime = (minutes: number) => new Date(Date.now() + (7 * 60 + minutes) * 60_000).toISOString().slice(11, 16);

describe('delivery to staff channels', () => {
  test('When a task of an SLA of seconds escalates, then the manager gets an e-mail at the SMTP server and a Telegram message, each with the deep link to the task', async () => {
    const worker = await stack.startWorker();
    const relay = startRelay();
    const chat = telegramChat();
    const manager = await person(['manager'], {
      email: 'quanly@shop.example.vn',
      telegramChatId: chat,
      quietHours: { mode: 'off' },
      channels: { urgent: ['email', 'telegram'], normal: ['email', 'telegram'], low: [] },
    });
    const marketing = await stack.createStaff(['marketing']);
    const { name } = await stack.activateProcess(fixture('notify-order.yaml'));
    const lead = await apiClient(base, marketing.token).post('/api/v1/leads', {
      channel: 'facebook',
      process: name,
      customer: { name: 'Lê Thị Khách', phone: `09${String(Date.now()).slice(-8)}` },
    });
    expect(lead.status).toBe(201);
    const task = await eventually(
      async () => (await stack.database.db.select().from(tasks).where(eq(tasks.subjectId, lead.body.orderId)))[0],
      20_000,
      'the close task',
    );
    const link = `${PUBLIC_URL}/tasks/${task.id}`;

    const mail = await eventually(async () => (await received('email', 'quanly@shop.example.vn'))[0], 30_000, 'the e-mail');
    expect(mail.text).toContain(link);
    expect((mail.body as { subject: string }).subject).toBeTruthy();
    const telegram = await eventually(async () => (await received('telegram', chat))[0], 30_000, 'the Telegram message');
    expect(telegram.text).toContain(link);
    expect((telegram.body as any).reply_markup.inline_keyboard[0][0].url).toBe(link);

    // The record: each delivery sent once, with the provider's id and a `sent` attempt.
    const rows = await eventually(async () => {
      const r = (await deliveriesOf(manager.id)).filter((d) => d.status === 'sent');
      return r.length >= 2 && r;
    });
    const email = rows.find((r) => r.channel === 'email')!;
    expect(email.providerMessageId).toBe(`<delivery-${email.id}@shop.example.vn>`);
    expect((await attemptsOf(email.id)).map((a) => a.outcome)).toEqual(['sent']);
    expect(rows.find((r) => r.channel === 'telegram')!.providerMessageId).toBe(telegram.messageId);

    // The manager reads what became of it.
    const notificationId = (email.payload as { notificationId: number }).notificationId;
    const seen = await apiClient(base, manager.token).get(`/api/v1/notifications/${notificationId}/deliveries`);
    expect(seen.status).toBe(200);
    expect(
      seen.body.deliveries.filter((d: any) => d.staffId === manager.id).map((d: any) => [d.channel, d.status, d.history[0].outcome]),
    ).toEqual(
      expect.arrayContaining([
        ['email', 'sent', 'sent'],
        ['telegram', 'sent', 'sent'],
      ]),
    );
    // A rep (scope own) who is not a recipient may not read them; an unknown id is 404 too.
    const outsider = await stack.createStaff(['sales']);
    expect((await apiClient(base, outsider.token).get(`/api/v1/notifications/${notificationId}/deliveries`)).status).toBe(404);
    expect((await apiClient(base, manager.token).get('/api/v1/notifications/not-a-number/deliveries')).status).toBe(404);
    await stopRelay(relay);
    await worker.stop();
  });

  test('When Telegram answers 500 every time, then the message is retried, recorded as given up with the provider’s answer, and the inbox row stays', async () => {
    const relay = startRelay({ maxAttempts: 3 });
    const chat = telegramChat();
    const rep = await person(['sales'], { telegramChatId: chat, quietHours: { mode: 'off' }, channels: { urgent: ['telegram'] } });
    await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'telegram', status: 500, count: 3 }),
    });
    const recorded = await notifyStaff(rep.id, { message: 'Đơn DH1 trễ giao', priority: 'urgent' });
    const [row] = await eventually(
      async () => {
        const r = await deliveriesOf(rep.id);
        return r[0]?.status === 'given_up' && r;
      },
      20_000,
      'the delivery given up',
    );
    expect(row!.attempts).toBe(3);
    const attempts = await attemptsOf(row!.id);
    expect(attempts.map((a) => [a.outcome, a.providerStatus])).toEqual([
      ['failed', '500'],
      ['failed', '500'],
      ['given_up', '500'],
    ]);
    expect(attempts[2]!.providerAnswer).toBe('500 Internal Server Error');
    expect(row!.lastError).toBe('500 Internal Server Error');
    // Backoff: the retries were spread out, not immediate.
    expect(attempts[2]!.at.getTime() - attempts[0]!.at.getTime()).toBeGreaterThanOrEqual(100);
    expect(await received('telegram', chat)).toEqual([]);
    // The inbox row is there all the same.
    const inbox = await stack.database.db
      .select()
      .from(notificationRecipients)
      .where(eq(notificationRecipients.id, recorded.recipients[0]!.id));
    expect(inbox).toHaveLength(1);
    const listed = await apiClient(base, rep.token).get('/api/v1/me/notifications');
    expect(listed.body.notifications.map((i: any) => i.message)).toContain('Đơn DH1 trễ giao');
    await stopRelay(relay);
  });

  test('When Telegram answers 429 with retry_after, then the relay waits that long and the next try is sent', async () => {
    const relay = startRelay({ baseMs: 50, maxMs: 50 });
    const chat = telegramChat();
    const rep = await person(['sales'], { telegramChatId: chat, quietHours: { mode: 'off' }, channels: { urgent: ['telegram'] } });
    await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'telegram', status: 429, count: 1, retryAfter: 2 }),
    });
    await notifyStaff(rep.id, { message: 'Khách gọi lại gấp', priority: 'urgent' });
    const message = await eventually(async () => (await received('telegram', chat))[0], 20_000, 'the message after the wait');
    const [row] = await deliveriesOf(rep.id);
    const attempts = await attemptsOf(row!.id);
    expect(attempts.map((a) => [a.outcome, a.providerStatus])).toEqual([
      ['failed', '429'],
      ['sent', '200'],
    ]);
    expect(attempts[0]!.providerAnswer).toContain('Too Many Requests: retry after 2');
    expect(new Date(message.at).getTime() - attempts[0]!.at.getTime()).toBeGreaterThanOrEqual(1900);
    await stopRelay(relay);
  });

  test('When it is within a person’s quiet hours, then a normal item is held until they end and an urgent one goes through', async () => {
    const relay = startRelay();
    const chat = telegramChat();
    const rep = await person(['sales'], {
      telegramChatId: chat,
      quietHours: { mode: 'custom', from: localTime(-60), to: localTime(60) },
      channels: { urgent: ['telegram'], normal: ['telegram'] },
    });
    await notifyStaff(rep.id, { message: 'Việc bình thường', priority: 'normal' });
    await notifyStaff(rep.id, { message: 'Việc khẩn', priority: 'urgent' });
    const urgent = await eventually(async () => (await received('telegram', chat))[0], 20_000, 'the urgent message');
    expect(urgent.text).toContain('Việc khẩn');
    await relay.runOnce();
    expect((await received('telegram', chat)).map((m) => m.text.includes('Việc bình thường'))).toEqual([false]);
    const held = (await deliveriesOf(rep.id)).find((d) => d.priority === 'normal')!;
    expect(held.status).toBe('held');
    // Held until the end of the quiet hours (to the minute).
    const until = held.nextAttemptAt.getTime() - Date.now();
    expect(until).toBeGreaterThan(58 * 60_000);
    expect(until).toBeLessThanOrEqual(61 * 60_000);
    await stopRelay(relay);
  });

  test('When several low-priority items wait for the digest, then at the digest time ONE message lists them all', async () => {
    const relay = startRelay();
    const chat = telegramChat();
    const rep = await person(['sales'], { telegramChatId: chat, digestAt: '07:30', channels: { low: ['telegram'] } });
    for (const n of [1, 2, 3]) await notifyStaff(rep.id, { message: `Tin ít gấp số ${n}`, priority: 'low', link: `/orders/DH${n}` });
    const rows = await deliveriesOf(rep.id);
    expect(rows.map((r) => r.status)).toEqual(['held', 'held', 'held']);
    expect(new Set(rows.map((r) => r.nextAttemptAt.getTime())).size).toBe(1);
    expect(new Date(rows[0]!.nextAttemptAt.getTime() + 7 * 3600_000).toISOString().slice(11, 16)).toBe('07:30');
    await relay.runOnce();
    expect(await received('telegram', chat)).toEqual([]);
    // The digest time comes.
    await stack.database.db
      .update(messageDeliveries)
      .set({ nextAttemptAt: new Date(Date.now() - 1000) })
      .where(
        inArray(
          messageDeliveries.id,
          rows.map((r) => r.id),
        ),
      );
    const digest = await eventually(async () => (await received('telegram', chat))[0], 20_000, 'the digest');
    await relay.runOnce();
    expect(await received('telegram', chat)).toHaveLength(1);
    for (const n of [1, 2, 3]) expect(digest.text).toContain(`Tin ít gấp số ${n} — ${PUBLIC_URL}/orders/DH${n}`);
    const after = await deliveriesOf(rep.id);
    expect(after.map((r) => [r.status, r.providerMessageId])).toEqual([
      ['sent', digest.messageId],
      ['sent', digest.messageId],
      ['sent', digest.messageId],
    ]);
    await stopRelay(relay);
  });

  test('When two relays share one database, then every row is sent exactly once', async () => {
    const chat = telegramChat();
    const rep = await person(['sales'], { telegramChatId: chat, quietHours: { mode: 'off' }, channels: { urgent: ['telegram'] } });
    const other = await (
      await import('../../db/client')
    ).openDatabase({ databaseUrl: stack.config.databaseUrl, dataDir: stack.config.dataDir, poolSize: 4 });
    try {
      for (let n = 0; n < 40; n++) await notifyStaff(rep.id, { message: `Tin ${n}`, priority: 'urgent' });
      const one = startRelay({ batchSize: 5 });
      const two = startRelay({ batchSize: 5 }, other);
      const rows = await eventually(
        async () => {
          const r = await deliveriesOf(rep.id);
          return r.length === 40 && r.every((d) => d.status === 'sent') && r;
        },
        30_000,
        'all 40 sent',
      );
      await Promise.all([stopRelay(one), stopRelay(two)]);
      const messages = await received('telegram', chat);
      expect(messages).toHaveLength(40);
      expect(new Set(messages.map((m) => m.text)).size).toBe(40);
      for (const row of rows) expect((await attemptsOf(row.id)).map((a) => a.outcome)).toEqual(['sent']);
    } finally {
      await other.close();
    }
  });

  test('When a worker died while sending (the row stays `sending`), then after the lease another relay sends it and the lost attempt is recorded', async () => {
    const chat = telegramChat();
    const rep = await person(['sales'], { telegramChatId: chat, quietHours: { mode: 'off' }, channels: { urgent: ['telegram'] } });
    await notifyStaff(rep.id, { message: 'Tin bị bỏ dở', priority: 'urgent' });
    const [row] = await deliveriesOf(rep.id);
    // As a claim by a worker that then died: sending, one attempt, the lease already over.
    await stack.database.db
      .update(messageDeliveries)
      .set({ status: 'sending', attempts: 1, nextAttemptAt: new Date(Date.now() - 1000) })
      .where(and(eq(messageDeliveries.id, row!.id), eq(messageDeliveries.status, 'pending')));
    const relay = startRelay();
    await eventually(async () => (await received('telegram', chat))[0], 20_000, 'the message sent again');
    const attempts = await eventually(async () => {
      const a = await attemptsOf(row!.id);
      return a.length === 2 && a;
    });
    expect(attempts.map((a) => a.outcome)).toEqual(['failed', 'sent']);
    expect(attempts[0]!.providerAnswer).toContain('lease expired');
    await stopRelay(relay);
  });

  test('When a notification is recorded twice with one dedupe key, then each channel gets one delivery', async () => {
    const chat = telegramChat();
    const rep = await person(['sales'], {
      telegramChatId: chat,
      zaloUserId: '123456789012',
      quietHours: { mode: 'off' },
      channels: { urgent: ['telegram', 'zalo'] },
    });
    const input = { roles: [], staffIds: [rep.id], message: 'Một lần thôi', dedupeKey: uniqueId('dup'), priority: 'urgent' as const };
    await recordNotification(stack.database.db, null, input);
    await recordNotification(stack.database.db, null, input);
    const rows = await deliveriesOf(rep.id);
    expect(rows.map((r) => r.channel).sort()).toEqual(['telegram', 'zalo']);
    const relay = startRelay();
    const zalo = await eventually(async () => (await received('zalo', '123456789012'))[0], 20_000, 'the Zalo message');
    expect(zalo.text).toContain('Một lần thôi');
    expect((zalo.body as any).recipient).toEqual({ user_id: '123456789012' });
    const sent = await eventually(async () => {
      const r = await deliveriesOf(rep.id);
      return r.every((d) => d.status === 'sent') && r;
    });
    expect(sent.find((r) => r.channel === 'zalo')!.providerMessageId).toBe(zalo.messageId);
    await stopRelay(relay);
  });
});
