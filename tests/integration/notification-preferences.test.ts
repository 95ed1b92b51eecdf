/**
 * Preferences and Web Push on the real stack: the preferences API refuses every bad field with a
 * 422 naming it and changes nothing; a browser's subscription is registered through the API, and
 * a notification reaches a local HTTP endpoint standing in for the push service as a VAPID-signed
 * (RFC 8292), aes128gcm-encrypted (RFC 8291) request that this test verifies and decrypts; the
 * push service answering 410 deactivates the subscription.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { asc, eq } from 'drizzle-orm';
import webpush from 'web-push';
import { createChannels } from '../../activities/notifications/channels';
import { startDeliveryRelay, type DeliveryRelay } from '../../activities/notifications/delivery';
import { deepLink } from '../../db/notifications/deliveries';
import { recordNotification } from '../../db/notifications/outbox';
import { messageAttempts, messageDeliveries, pushSubscriptions } from '../../db/schema';
import { apiClient, eventually, openTestStack, testLog, uniqueId, type TestStack } from '../support/stack';

const vapid = webpush.generateVAPIDKeys();
let stack: TestStack;
let base: string;
let relay: DeliveryRelay;

/** A stand-in push service on loopback: records each request and answers what the test says. */
const pushed: Array<{ path: string; headers: http.IncomingHttpHeaders; body: Buffer }> = [];
let answer = 201;
const pushService = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    pushed.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(answer, answer === 201 ? { location: `/messages/${pushed.length}` } : {});
    res.end(answer === 201 ? '' : 'push subscription has unsubscribed or expired');
  });
});
let pushUrl: string;

beforeAll(async () => {
  stack = await openTestStack({
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    VAPID_SUBJECT: 'mailto:ops@shop.example.vn',
  });
  base = await stack.startApp();
  await new Promise<void>((resolve) => pushService.listen(0, '127.0.0.1', resolve));
  pushUrl = `http://127.0.0.1:${(pushService.address() as AddressInfo).port}`;
  relay = startDeliveryRelay({
    db: stack.database.db,
    log: testLog,
    channels: createChannels({ db: stack.database.db, log: testLog, settings: stack.config.delivery }),
    settings: { maxAttempts: 3, baseMs: 100, maxMs: 200, leaseMs: 30_000, pollMs: 100 },
    listener: stack.database.listener,
  });
});
afterAll(async () => {
  await relay?.stop();
  await new Promise((r) => pushService.close(r));
  await stack?.close();
});

/** A browser's subscription: its P-256 key pair and auth secret, as PushSubscription.toJSON() gives them. */
function browserSubscription(endpoint: string) {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = crypto.randomBytes(16);
  return {
    ecdh,
    auth,
    json: { endpoint, expirationTime: null, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } },
  };
}

const hmac = (key: Buffer, data: Buffer) => crypto.createHmac('sha256', key).update(data).digest();

/** Decrypts an aes128gcm Web Push body (RFC 8291 §3.4, RFC 8188) as the browser does. */
function decryptPush(body: Buffer, ecdh: crypto.ECDH, auth: Buffer): string {
  const salt = body.subarray(0, 16);
  const idLength = body[20]!;
  const serverKey = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  const shared = ecdh.computeSecret(serverKey);
  const ikm = hmac(hmac(auth, shared), Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), serverKey, Buffer.from([1])]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
  const decipher = crypto.createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  return padded.subarray(0, padded.lastIndexOf(2)).toString('utf8');
}

describe('preferences API', () => {
  test('When a person has never chosen, then GET answers the defaults: push (and e-mail when urgent), low items in the daily digest, quiet outside working hours', async () => {
    const rep = await stack.createStaff(['sales']);
    const res = await apiClient(base, rep.token).get('/api/v1/me/preferences');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      channels: { urgent: ['push', 'email'], normal: ['push'], low: ['email'] },
      quietHours: { mode: 'outside-working-hours' },
      digestAt: '08:00',
      saved: false,
      pushSubscriptions: [],
    });
  });

  test('When the body has bad fields, then 422 names each of them and nothing is saved', async () => {
    const rep = await stack.createStaff(['sales']);
    const api = apiClient(base, rep.token);
    const bad = await api.patch('/api/v1/me/preferences', {
      channels: { urgent: ['pigeon'] },
      quietHours: { mode: 'custom', from: '25:00', to: '07:00' },
      digestAt: '8h',
      telegramChatId: 'not-a-chat',
      email: 'not-an-email',
      colour: 'blue',
    });
    expect(bad.status).toBe(422);
    const fields = bad.body.error.details.fields.map((f: { field: string }) => f.field);
    expect([...new Set(fields)].sort()).toEqual(['channels.urgent.0', 'colour', 'digestAt', 'email', 'quietHours.from', 'telegramChatId']);
    // Custom quiet hours without their times; Telegram without a chat id.
    const semantic = await api.patch('/api/v1/me/preferences', {
      quietHours: { mode: 'custom', from: '21:00' },
      channels: { normal: ['telegram'] },
    });
    expect(semantic.status).toBe(422);
    expect(semantic.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['channels.normal', 'quietHours.to']);
    expect((await api.get('/api/v1/me/preferences')).body.saved).toBe(false);

    const good = await api.patch('/api/v1/me/preferences', {
      telegramChatId: '987654321',
      channels: { normal: ['telegram', 'push'] },
      quietHours: { mode: 'custom', from: '21:00', to: '07:00' },
      digestAt: '07:45',
    });
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({
      saved: true,
      telegramChatId: '987654321',
      channels: { urgent: ['push', 'email'], normal: ['telegram', 'push'], low: ['email'] },
      quietHours: { mode: 'custom', from: '21:00', to: '07:00' },
      digestAt: '07:45',
    });
    // Only the fields sent change.
    const later = await api.patch('/api/v1/me/preferences', { digestAt: '06:30' });
    expect(later.body).toMatchObject({ telegramChatId: '987654321', digestAt: '06:30', quietHours: { mode: 'custom' } });
  });

  test('When a push subscription is malformed or not a push service URL, then 422 names the field; another person’s subscription cannot be deleted', async () => {
    const [rep, other] = await Promise.all([stack.createStaff(['sales']), stack.createStaff(['sales'])]);
    const api = apiClient(base, rep.token);
    const sub = browserSubscription('https://push.example.net/send/abc').json;
    const shortKey = await api.post('/api/v1/me/push-subscriptions', {
      ...sub,
      keys: { ...sub.keys, p256dh: sub.keys.p256dh.slice(0, 60) },
    });
    expect(shortKey.status).toBe(422);
    expect(shortKey.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['keys.p256dh']);
    const plainHttp = await api.post('/api/v1/me/push-subscriptions', { ...sub, endpoint: 'http://push.example.net/send/abc' });
    expect(plainHttp.status).toBe(422);
    expect(plainHttp.body.error.details.fields).toEqual([{ field: 'endpoint', message: 'must be an https URL of a push service' }]);
    const created = await api.post('/api/v1/me/push-subscriptions', sub);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ endpointHost: 'push.example.net', active: true });
    expect((await apiClient(base, other.token).delete(`/api/v1/me/push-subscriptions/${created.body.id}`)).status).toBe(404);
    expect((await api.delete(`/api/v1/me/push-subscriptions/${created.body.id}`)).status).toBe(204);
    expect((await api.get('/api/v1/me/preferences')).body.pushSubscriptions).toEqual([]);
  });

  test('When push is set up, then GET /me/push/public-key answers the VAPID public key', async () => {
    const rep = await stack.createStaff(['sales']);
    expect((await apiClient(base, rep.token).get('/api/v1/me/push/public-key')).body).toEqual({ publicKey: vapid.publicKey });
  });
});

describe('Web Push', () => {
  test('When a notification is for a person with a push subscription, then the push service gets a VAPID-signed encrypted request with the deep link; a 410 then deactivates the subscription', async () => {
    const rep = await stack.createStaff(['sales']);
    const api = apiClient(base, rep.token);
    expect(
      (await api.patch('/api/v1/me/preferences', { quietHours: { mode: 'off' }, channels: { urgent: ['push'], normal: ['push'] } })).status,
    ).toBe(200);
    const browser = browserSubscription(`${pushUrl}/push/${uniqueId('device')}`);
    const created = await api.post('/api/v1/me/push-subscriptions', browser.json);
    expect(created.status).toBe(201);

    answer = 201;
    await recordNotification(stack.database.db, null, {
      roles: [],
      staffIds: [rep.id],
      message: 'Đơn DH9 cần gọi lại khách',
      dedupeKey: uniqueId('push'),
      priority: 'urgent',
      kind: 'escalation',
      link: '/orders/DH9',
    });
    const request = await eventually(
      async () => pushed.find((p) => p.path === new URL(browser.json.endpoint).pathname),
      20_000,
      'the push request',
    );

    // VAPID (RFC 8292): `vapid t=<JWT>, k=<public key>`, the JWT signed ES256 by the server's key for this push service's origin.
    const authorization = String(request.headers.authorization);
    const [, jwt, key] = /^vapid t=([^,]+), k=(.+)$/.exec(authorization) ?? [];
    expect(key).toBe(vapid.publicKey);
    const [header, claims, signature] = jwt!.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'ES256' });
    const payload = JSON.parse(Buffer.from(claims!, 'base64url').toString());
    expect(payload).toMatchObject({ aud: pushUrl, sub: 'mailto:ops@shop.example.vn' });
    expect(payload.exp * 1000).toBeGreaterThan(Date.now());
    const publicKey = crypto.createPublicKey({
      key: Buffer.concat([
        Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex'),
        Buffer.from(vapid.publicKey, 'base64url'),
      ]),
      format: 'der',
      type: 'spki',
    });
    expect(
      crypto.verify(
        'sha256',
        Buffer.from(`${header}.${claims}`),
        { key: publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(signature!, 'base64url'),
      ),
    ).toBe(true);

    // Encrypted (RFC 8291): aes128gcm, a TTL and urgency; the body decrypts with the browser's keys only.
    expect(request.headers['content-encoding']).toBe('aes128gcm');
    expect(Number(request.headers.ttl)).toBeGreaterThan(0);
    expect(request.headers.urgency).toBe('high');
    expect(request.body.toString('latin1')).not.toContain('DH9');
    const message = JSON.parse(decryptPush(request.body, browser.ecdh, browser.auth));
    expect(message).toMatchObject({ body: 'Đơn DH9 cần gọi lại khách', url: deepLink('/orders/DH9') });
    const [sent] = await eventually(async () => {
      const r = await stack.database.db.select().from(messageDeliveries).where(eq(messageDeliveries.staffId, rep.id));
      return r[0]?.status === 'sent' && r;
    });
    expect(sent!.providerMessageId).toMatch(/^\/messages\/\d+$/);

    // The browser unsubscribed: the push service answers 410 Gone.
    answer = 410;
    await recordNotification(stack.database.db, null, {
      roles: [],
      staffIds: [rep.id],
      message: 'Tin thứ hai',
      dedupeKey: uniqueId('push'),
      priority: 'normal',
      link: '/orders/DH9',
    });
    const gone = await eventually(
      async () => {
        const r = await stack.database.db
          .select()
          .from(messageDeliveries)
          .where(eq(messageDeliveries.staffId, rep.id))
          .orderBy(asc(messageDeliveries.id));
        return r[1]?.status === 'given_up' && r[1];
      },
      20_000,
      'the delivery given up on 410',
    );
    const attempts = await stack.database.db.select().from(messageAttempts).where(eq(messageAttempts.deliveryId, gone.id));
    expect(attempts.map((a) => [a.outcome, a.providerStatus])).toEqual([['given_up', '410']]);
    const [subscription] = await stack.database.db
      .select()
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.endpoint, browser.json.endpoint));
    expect(subscription!.active).toBe(false);
    expect((await api.get('/api/v1/me/preferences')).body.pushSubscriptions).toEqual([
      expect.objectContaining({ id: created.body.id, active: false }),
    ]);
  });
});
