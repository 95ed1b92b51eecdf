/**
 * The website's lead form on the real stack: `POST /api/v1/public/leads` with no token from an
 * allowed origin (CORS), its refusals (origin, rate limit, honeypot, fill time, fields) naming
 * what is wrong and storing nothing, a double submit being one lead, and the embeddable snippet.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { inboundEvents } from '../../db/schema';
import { eventsOf, leadsOf, newPhone, orderedLead } from '../support/inbound';
import { openTestStack, type TestStack } from '../support/stack';

const ORIGIN = 'https://shop.example.vn';

let stack: TestStack;
let base: string;

beforeAll(async () => {
  stack = await openTestStack({
    PUBLIC_LEAD_ORIGINS: `${ORIGIN}, https://www.shop.example.vn`,
    PUBLIC_LEAD_PER_MINUTE: '100',
    PUBLIC_LEAD_MIN_FILL: '2s',
  });
  await stack.startWorker();
  base = await stack.startApp();
});
afterAll(() => stack?.close());

const db = () => stack.database.db;
const form = (over: Record<string, unknown> = {}) => ({
  name: 'Phạm Thị D',
  phone: newPhone(),
  note: 'Tư vấn giúp mình bộ chăn ga',
  product: 'Chăn ga cotton',
  campaign: 'tet-2027',
  page: `${ORIGIN}/chan-ga`,
  submissionId: crypto.randomUUID(),
  startedAt: Date.now() - 8_000,
  homepage: '',
  ...over,
});
const post = (at: string, body: unknown, origin: string | null = ORIGIN) =>
  fetch(`${at}/api/v1/public/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
    body: JSON.stringify(body),
  });
const allEvents = async () =>
  Number(
    (
      await db()
        .select({ n: sql<number>`count(*)` })
        .from(inboundEvents)
    )[0]!.n,
  );

describe('the website lead form', () => {
  test('When a browser on an allowed origin asks first (CORS preflight), then it may post JSON; another origin may not', async () => {
    const ok = await fetch(`${base}/api/v1/public/leads`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    expect(ok.headers.get('access-control-allow-headers')).toContain('content-type');
    const other = await fetch(`${base}/api/v1/public/leads`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('When a customer sends the form, then it is accepted without a token and becomes an order on channel website; a double submit is one lead', async () => {
    const body = form();
    const res = await post(base, body);
    expect(res.status).toBe(202);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(await res.json()).toMatchObject({ received: true, duplicate: false });
    const again = await post(base, body);
    expect(await again.json()).toMatchObject({ received: true, duplicate: true });
    const { order, lead } = await orderedLead(db(), `phone:${body.phone}`);
    expect(order).toMatchObject({ channel: 'website', customerPhone: body.phone, customerName: 'Phạm Thị D', campaign: 'tet-2027' });
    expect(lead).toMatchObject({ channel: 'website', campaign: 'tet-2027' });
    expect(await eventsOf(db(), `website:${body.submissionId}`)).toHaveLength(1);
    expect(await leadsOf(db(), `phone:${body.phone}`)).toHaveLength(1);
  });

  // Bodies are built when each test runs (startedAt is a time).
  test.each([
    ['a page of another origin', () => form(), 'https://evil.example', 403, 'Origin'],
    ['no Origin (not a browser)', () => form(), null, 422, 'Origin'],
    ['the honeypot filled in', () => form({ homepage: 'http://spam.example' }), ORIGIN, 422, 'homepage'],
    ['a form sent faster than a person types', () => form({ startedAt: Date.now() }), ORIGIN, 422, 'startedAt'],
    ['a form opened more than a day ago', () => form({ startedAt: Date.now() - 2 * 86_400_000 }), ORIGIN, 422, 'startedAt'],
    ['a phone that is not Vietnamese', () => form({ phone: '+1 650 555 0100' }), ORIGIN, 422, 'phone'],
    ['no name', () => form({ name: undefined }), ORIGIN, 422, 'name'],
    ['a field the form does not have', () => form({ admin: true }), ORIGIN, 422, 'admin'],
    ['a bad submission id', () => form({ submissionId: 'x' }), ORIGIN, 422, 'submissionId'],
  ] as const)(
    'When the form comes with %s, then it is refused naming the field and nothing is stored',
    async (_what, body, origin, status, field) => {
      const before = await allEvents();
      const res = await post(base, body(), origin);
      expect(res.status).toBe(status);
      const answer = (await res.json()) as { error: { details: { fields: Array<{ field: string }> } } };
      expect(answer.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(await allEvents()).toBe(before);
    },
  );

  test('When one address sends more forms a minute than allowed, then the next is 429 with Retry-After and not stored', async () => {
    const limit = stack.config.inbound.publicLeadPerMinute;
    stack.config.inbound.publicLeadPerMinute = 3;
    const limited = await stack.startApp(); // its limiter counts from zero, at 3 a minute
    stack.config.inbound.publicLeadPerMinute = limit;
    for (let i = 0; i < 3; i++) expect((await post(limited, form())).status).toBe(202);
    const before = await allEvents();
    const refused = await post(limited, form());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('too_many_requests');
    expect(await allEvents()).toBe(before);
  });

  test('When a shop page loads the snippet, then the server gives the script cross-origin, posting to the public endpoint', async () => {
    const res = await fetch(`${base}/embed/lead-form.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const script = await res.text();
    expect(script).toContain('/api/v1/public/leads');
    expect(script).toContain('homepage');
    expect(script).toContain('submissionId');
  });
});
