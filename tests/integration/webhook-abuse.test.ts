/**
 * Courier webhooks that are malformed, of the wrong content type, oversized, forged, about an
 * order nobody knows, duplicated or out of order — for GHN (JSON, `Token` header) and GHTK (form,
 * `hash` field): each gets a clear 4xx (or is recorded without effect), and none changes the
 * state of a shipment or an order. A checksum of the tables webhooks write proves "no change";
 * a valid webhook per courier proves the checksum notices one.
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import { eq, sql } from 'drizzle-orm';
import { courierEvents, orders, shipments } from '../../db/schema';
import { courierEnv, openTestStack, uniqueId, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
const secret = `abuse-secret-${crypto.randomUUID()}`;

/** The tables a webhook may write, as row counts and an order-independent checksum each. */
const WRITTEN_BY_WEBHOOKS = ['courier_events', 'shipments', 'orders', 'order_events', 'notifications', 'stock_movements'] as const;
async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of WRITTEN_BY_WEBHOOKS) {
    const { rows } = (await stack.database.db.execute(
      sql.raw(`select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as sum from "${table}" t`),
    )) as unknown as { rows: Array<{ n: number; sum: string }> };
    out[table] = `${rows[0]!.n}:${rows[0]!.sum}`;
  }
  return out;
}

interface Parcel {
  orderId: string;
  trackingCode: string;
}
/** An order with a shipment at `courier`, last heard "picked" at 10:00 (+07:00). */
async function parcel(courier: 'ghn' | 'ghtk'): Promise<Parcel> {
  const orderId = uniqueId('ABUSE');
  const trackingCode = `${courier.toUpperCase()}-${crypto.randomUUID().slice(0, 8)}`;
  await stack.database.db
    .insert(orders)
    .values({ id: orderId, workflowId: `order:${orderId}`, status: 'open', stage: 'ship', courier, trackingCode });
  await stack.database.db.insert(shipments).values({
    orderId,
    courier,
    trackingCode,
    state: 'picked',
    rawStatus: courier === 'ghn' ? 'picked' : '3',
    lastEventAt: new Date('2030-01-01T03:00:00Z'),
  });
  return { orderId, trackingCode };
}

/** A status report in each courier's real format; `time` is local Vietnamese time. */
const formats = {
  ghn: {
    status: { delivering: 'delivering', delivered: 'delivered', picking: 'picking' },
    fields: (p: Parcel, status: string, time: string): Record<string, unknown> => ({
      Type: 'switch_status',
      OrderCode: p.trackingCode,
      ClientOrderCode: p.orderId,
      Status: status,
      Time: `${time}+07:00`,
      CODAmount: 300000,
    }),
    /** GHN posts JSON and carries the secret in the `Token` header. */
    request: (fields: Record<string, unknown>, sign: string | null = secret) => ({
      headers: { 'content-type': 'application/json', ...(sign !== null ? { token: sign } : {}) },
      body: JSON.stringify(fields),
    }),
  },
  ghtk: {
    status: { delivering: '4', delivered: '5', picking: '12' },
    fields: (p: Parcel, status: string, time: string): Record<string, unknown> => ({
      partner_id: p.orderId,
      label_id: p.trackingCode,
      status_id: status,
      action_time: `${time}+07:00`,
      pick_money: '300000',
      reason_code: '',
      reason: '',
    }),
    /** GHTK posts a form and carries the secret as its `hash` field. */
    request: (fields: Record<string, unknown>, sign: string | null = secret) => ({
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(
        Object.entries({ ...fields, ...(sign !== null ? { hash: sign } : {}) }).map(([k, v]): [string, string] => [k, String(v)]),
      ).toString(),
    }),
  },
} as const;

async function post(courier: string, req: { headers: Record<string, string>; body: string }) {
  const res = await fetch(`${base}/webhooks/couriers/${courier}`, { method: 'POST', headers: req.headers, body: req.body });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

/** A refusal: the given status, the one error shape, and not a row changed. */
async function expectRefused(send: () => Promise<{ status: number; body: any }>, status: number, code: string) {
  const before = await snapshot();
  const res = await send();
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.body).toEqual({
    error: { code, message: expect.any(String), ...(res.body.error.details ? { details: expect.anything() } : {}) },
  });
  expect(await snapshot()).toEqual(before);
  return res;
}

beforeAll(async () => {
  stack = await openTestStack();
  // The app's courier directory reads this environment (no simulator needed: we are the courier).
  Object.assign(courierEnv, {
    GHN_WEBHOOK_SECRET: secret,
    GHN_TOKEN: 'test',
    GHN_SHOP_ID: '1',
    GHTK_WEBHOOK_SECRET: secret,
    GHTK_TOKEN: 'test',
  });
  base = await stack.startApp();
});
afterAll(() => stack?.close());

describe.each(['ghn', 'ghtk'] as const)('%s webhooks', (courier) => {
  const f = formats[courier];
  let p: Parcel;
  beforeAll(async () => {
    p = await parcel(courier);
  });
  const valid = (status: string, time: string) => f.request(f.fields(p, status, time));

  test('When the body is malformed JSON, then it is 400 and nothing is recorded', async () => {
    const res = await expectRefused(
      () => post(courier, { headers: { 'content-type': 'application/json', token: secret }, body: '{"OrderCode": "x", "Status": ' }),
      400,
      'bad_request',
    );
    expect(res.body.error.message).toMatch(/malformed request body/);
  });

  test('When the body is JSON but not the courier’s fields (an array, operators, nested junk), then it is refused and nothing is recorded', async () => {
    // GHN's secret rides in a header, GHTK's in the body: an array body has no hash (401), junk fields with it are unreadable (400).
    const sign: Record<string, string> = courier === 'ghn' ? { token: secret } : {};
    const hash = courier === 'ghtk' ? { hash: secret } : {};
    const cases: Array<[unknown, number, string]> = [
      [
        [f.fields(p, f.status.delivered, '2030-01-01T12:00:00')],
        courier === 'ghn' ? 400 : 401,
        courier === 'ghn' ? 'bad_webhook' : 'forged_webhook',
      ],
      [{ ...hash, OrderCode: { $ne: null }, label_id: { a: 1 }, Status: ['delivered'], status_id: [5] }, 400, 'bad_webhook'],
      [{ ...hash, deep: { deeper: [[[{ x: '🚚' }]]] } }, 400, 'bad_webhook'],
    ];
    for (const [junk, status, code] of cases) {
      await expectRefused(
        () => post(courier, { headers: { 'content-type': 'application/json', ...sign }, body: JSON.stringify(junk) }),
        status,
        code,
      );
    }
    // A bare JSON string is not a body Express accepts (strict JSON: objects and arrays only).
    await expectRefused(
      () => post(courier, { headers: { 'content-type': 'application/json', ...sign }, body: '"delivered"' }),
      400,
      'bad_request',
    );
  });

  test('When a valid report comes with the wrong content type, then it is refused and nothing is recorded', async () => {
    const report = valid(f.status.delivered, '2030-01-01T12:00:00');
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      // The body is not read: GHN (secret in a header) finds no fields, GHTK (secret in the body) finds no hash.
      await expectRefused(
        () => post(courier, { headers: { ...report.headers, 'content-type': type }, body: report.body }),
        courier === 'ghn' ? 400 : 401,
        courier === 'ghn' ? 'bad_webhook' : 'forged_webhook',
      );
    }
  });

  test('When the body is larger than 64 kB, then it is 413 and nothing is recorded', async () => {
    const huge = f.request({ ...f.fields(p, f.status.delivered, '2030-01-01T12:00:00'), note: 'x'.repeat(70_000) });
    const res = await expectRefused(() => post(courier, huge), 413, 'too_large');
    expect(res.body.error.message).toMatch(/larger than the limit/);
  });

  test('When the secret is missing, wrong or empty, then it is 401 forged_webhook and nothing is recorded', async () => {
    const fields = f.fields(p, f.status.delivered, '2030-01-01T12:00:00');
    for (const sign of [null, 'wrong-secret', '', secret.slice(0, -1), `${secret}x`]) {
      await expectRefused(() => post(courier, f.request(fields, sign)), 401, 'forged_webhook');
    }
  });

  test('When a signed report has no parcel code or status, then it is 400 bad_webhook and nothing is recorded', async () => {
    const fields = f.fields(p, f.status.delivered, '2030-01-01T12:00:00');
    const withoutCode = Object.fromEntries(Object.entries(fields).filter(([k]) => k !== 'OrderCode' && k !== 'label_id'));
    const withoutStatus = Object.fromEntries(Object.entries(fields).filter(([k]) => k !== 'Status' && k !== 'status_id'));
    for (const bad of [withoutCode, withoutStatus, {}]) await expectRefused(() => post(courier, f.request(bad)), 400, 'bad_webhook');
  });

  test('When a courier nobody enabled is named, then it is 404 and nothing is recorded', async () => {
    await expectRefused(() => post(`${courier}-impostor`, valid(f.status.delivered, '2030-01-01T12:00:00')), 404, 'not_found');
  });

  test('When a signed report is about a parcel and order nobody knows, then it is kept unapplied and no shipment or order changes', async () => {
    const stranger: Parcel = { orderId: uniqueId('NOBODY'), trackingCode: `${courier}-unknown-${crypto.randomUUID().slice(0, 8)}` };
    const before = await snapshot();
    const res = await post(courier, f.request(f.fields(stranger, f.status.delivered, '2030-01-01T12:00:00')));
    expect(res).toEqual({ status: 200, body: { ok: true, received: 1, applied: 0, duplicates: 0 } });
    const after = await snapshot();
    for (const table of ['shipments', 'orders', 'order_events', 'stock_movements'] as const) expect(after[table]).toBe(before[table]);
    // Kept (a courier may report before our shipment row is written), but applied to nothing.
    const kept = await stack.database.db.select().from(courierEvents).where(eq(courierEvents.trackingCode, stranger.trackingCode));
    expect(kept).toEqual([expect.objectContaining({ applied: false, signalled: false, orderId: stranger.orderId })]);
  });

  test('When a signed report carries NUL characters, absurd times or huge numbers, then it never fails with 500 and never moves the shipment back', async () => {
    const shipmentBefore = (await stack.database.db.select().from(shipments).where(eq(shipments.orderId, p.orderId)))[0];
    const odd = [
      {
        ...f.fields(p, f.status.picking, '2030-01-01T12:00:00'),
        ...(courier === 'ghn' ? { Status: 'deliv\u0000ered', Reason: 'a\u0000b' } : { status_id: '5\u0000', reason: 'a\u0000b' }),
      },
      {
        ...f.fields(p, f.status.picking, '2030-01-01T12:00:00'),
        ...(courier === 'ghn' ? { Time: '-200000-01-01T00:00:00Z' } : { action_time: '-200000-01-01T00:00:00Z' }),
      },
      {
        ...f.fields(p, f.status.picking, '2030-01-01T12:00:00'),
        ...(courier === 'ghn' ? { Time: '0000-01-01T00:00:00Z' } : { action_time: '99999' }),
      },
      { ...f.fields(p, f.status.picking, '2030-01-01T12:00:00'), ...(courier === 'ghn' ? { CODAmount: 1e300 } : { pick_money: '1e300' }) },
    ];
    for (const fields of odd) {
      const res = await post(courier, f.request(fields));
      if (res.status >= 500) throw new Error(`${JSON.stringify(fields)} → ${res.status} ${JSON.stringify(res.body)}`);
      if (res.status >= 400) expect(res.body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    // An absurd time is no time at all (then "when we heard it"): it never makes a report newer than the parcel's last one.
    const shipmentAfter = (await stack.database.db.select().from(shipments).where(eq(shipments.orderId, p.orderId)))[0];
    expect(shipmentAfter!.lastEventAt!.getTime()).toBeGreaterThanOrEqual(shipmentBefore!.lastEventAt!.getTime());
  });

  test('When signed reports carry fuzzed fields (junk types, odd text, absurd times and amounts), then none is a 500 and a refused one records nothing', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('\u0000', '\ud800', '🚚', '-200000-01-01T00:00:00Z', '2030-13-45', '1e309', '-1', '', ' '),
    );
    const junk = fc.oneof(
      text,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(text, { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 4 }), text, { maxKeys: 2 }),
    );
    const fieldNames = Object.keys(f.fields(p, f.status.delivered, '2030-01-01T12:00:00'));
    const report = fc.record(Object.fromEntries(fieldNames.map((k) => [k, junk])), { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(report, fc.boolean(), async (fields, aboutOurParcel) => {
        const sent = aboutOurParcel
          ? { ...fields, ...(courier === 'ghn' ? { OrderCode: p.trackingCode } : { label_id: p.trackingCode }) }
          : fields;
        // GHTK's form carries text only; GHN's JSON carries the junk as it is.
        const req =
          courier === 'ghn'
            ? f.request(sent)
            : f.request(Object.fromEntries(Object.entries(sent).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])));
        const before = await snapshot();
        const res = await post(courier, req);
        if (res.status >= 500) throw new Error(`${JSON.stringify(sent)} → ${res.status} ${JSON.stringify(res.body)}`);
        if (res.status >= 400) {
          expect(res.body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
          expect(await snapshot()).toEqual(before);
        }
      }),
      {
        numRuns: Number(process.env.FUZZ_RUNS ?? 40),
        endOnFailure: true,
        ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}),
      },
    );
  });

  test('When a valid report arrives, then it is applied once; its duplicate and an older report change nothing', async () => {
    // A parcel of its own, so nothing the fuzzing above applied can make these reports stale.
    const own = await parcel(courier);
    const report = (status: string, time: string) => f.request(f.fields(own, status, time));
    const before = await snapshot();
    const first = await post(courier, report(f.status.delivering, '2030-01-02T10:00:00'));
    expect(first).toEqual({ status: 200, body: { ok: true, received: 1, applied: 1, duplicates: 0 } });
    // The control: a real change is seen by the checksum.
    const afterFirst = await snapshot();
    expect(afterFirst.shipments).not.toBe(before.shipments);
    expect(afterFirst.courier_events).not.toBe(before.courier_events);
    expect((await stack.database.db.select().from(shipments).where(eq(shipments.orderId, own.orderId)))[0]).toMatchObject({
      state: 'delivering',
      rawStatus: f.status.delivering,
    });

    const again = await post(courier, report(f.status.delivering, '2030-01-02T10:00:00'));
    expect(again).toEqual({ status: 200, body: { ok: true, received: 1, applied: 0, duplicates: 1 } });
    expect(await snapshot()).toEqual(afterFirst);

    // Older news (picking, before the delivering report) is recorded for the timeline, never applied.
    const stale = await post(courier, report(f.status.picking, '2030-01-02T08:00:00'));
    expect(stale).toEqual({ status: 200, body: { ok: true, received: 1, applied: 0, duplicates: 0 } });
    const afterStale = await snapshot();
    for (const table of ['shipments', 'orders', 'order_events'] as const) expect(afterStale[table]).toBe(afterFirst[table]);
    expect((await stack.database.db.select().from(shipments).where(eq(shipments.orderId, own.orderId)))[0]).toMatchObject({
      state: 'delivering',
      rawStatus: f.status.delivering,
    });

    // Once delivered, a report of the way out (a retried webhook, equal or later time) never moves it back.
    expect(await post(courier, report(f.status.delivered, '2030-01-02T11:00:00'))).toMatchObject({ status: 200, body: { applied: 1 } });
    const late = await post(courier, report(f.status.delivering, '2030-01-02T11:00:00'));
    expect(late).toEqual({ status: 200, body: { ok: true, received: 1, applied: 0, duplicates: 0 } });
    expect((await stack.database.db.select().from(shipments).where(eq(shipments.orderId, own.orderId)))[0]).toMatchObject({
      state: 'delivered',
    });
  });
});
