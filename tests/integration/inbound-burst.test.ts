/**
 * Nothing a channel delivers is lost: a delivery that arrives while Temporal is unreachable is
 * kept and started by a relay later; a burst of 500 Facebook webhooks while no worker runs is
 * answered and stored at once, accepted by Temporal, and becomes 500 leads — each exactly once,
 * replays included — when the worker is back.
 */
import crypto from 'node:crypto';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { eq, like, sql } from 'drizzle-orm';
import { createCourierDirectory } from '../../activities/shipping/couriers/directory';
import { channelLeads, inboundEvents, tasks } from '../../db/schema';
import { facebookSignature } from '../../scripts/facebook-sim';
import { createApp } from '../../server/http/app';
import { handled } from '../support/inbound';
import { eventually, openTestStack, testLog, type TestStack } from '../support/stack';

const FB = { appSecret: 'burst-app-secret', verifyToken: 'burst-verify', pageAccessToken: 'burst-page-token' };
const PAGE = '108000000000001';

let stack: TestStack;
const servers: Server[] = [];

beforeAll(async () => {
  stack = await openTestStack({
    FACEBOOK_APP_SECRET: FB.appSecret,
    FACEBOOK_VERIFY_TOKEN: FB.verifyToken,
    FACEBOOK_PAGE_ACCESS_TOKEN: FB.pageAccessToken,
  });
});
afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  await stack?.close();
});

const db = () => stack.database.db;

/** One customer's Messenger message as Facebook posts it, signed with the app secret. */
function delivery(psid: string, text: string) {
  const mid = `m_${crypto.randomBytes(18).toString('base64url')}`;
  const body = JSON.stringify({
    object: 'page',
    entry: [
      {
        id: PAGE,
        time: Date.now(),
        messaging: [{ sender: { id: psid }, recipient: { id: PAGE }, timestamp: Date.now(), message: { mid, text } }],
      },
    ],
  });
  return { mid, psid, body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': facebookSignature(body, FB.appSecret) } };
}
const send = (base: string, d: ReturnType<typeof delivery>) =>
  fetch(`${base}/webhooks/facebook`, { method: 'POST', headers: d.headers, body: d.body });

async function listenApp(temporal: Client): Promise<string> {
  const app = createApp({
    config: stack.config,
    database: stack.database,
    temporal,
    log: testLog,
    couriers: createCourierDirectory(stack.database.db),
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

const count = async (where: ReturnType<typeof sql>) =>
  Number(
    (
      await db()
        .select({ n: sql<number>`count(*)` })
        .from(inboundEvents)
        .where(where)
    )[0]!.n,
  );

describe('deliveries survive Temporal and the worker being away', () => {
  const early = delivery('24000000000001', 'shop ơi còn hàng không');

  test('When a webhook arrives while Temporal is unreachable, then it is answered and kept, and a relay that reaches Temporal starts it later', async () => {
    // An API process whose Temporal is unreachable: its relay cannot start the workflow.
    const away = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }), namespace: stack.config.temporal.namespace });
    const awayBase = await listenApp(away);
    const answered = await send(awayBase, early);
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({ stored: 1 });
    const failed = await eventually(
      async () => {
        const [row] = await db()
          .select()
          .from(inboundEvents)
          .where(eq(inboundEvents.dedupeKey, `facebook:mid:${early.mid}`));
        return row?.lastError ? row : undefined;
      },
      60_000,
      'a failed start kept for a retry',
    );
    expect(failed.startedAt).toBeNull();
    // Another API process (or the same one once Temporal is back) reaches Temporal: its relay starts it.
    await stack.startApp();
    await eventually(
      async () => {
        const [row] = await db()
          .select()
          .from(inboundEvents)
          .where(eq(inboundEvents.dedupeKey, `facebook:mid:${early.mid}`));
        return row?.startedAt ? row : undefined;
      },
      60_000,
      'the start retried',
    );
  }, 150_000);

  test('When 500 webhooks (and 50 replays) arrive while the worker is stopped, then all are answered and stored once, and become 500 leads exactly once after the worker is back', async () => {
    const base = await stack.startApp();
    const burst = Array.from({ length: 500 }, (_, i) => delivery(`25${String(i).padStart(12, '0')}`, `tin nhắn số ${i}: tư vấn giúp em`));
    const replays = burst.slice(0, 50);
    const statuses: number[] = [];
    const queue = [...burst, ...replays];
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        for (let d = queue.shift(); d; d = queue.shift()) statuses.push((await send(base, d)).status);
      }),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(statuses).toHaveLength(550);
    const ours = like(inboundEvents.dedupeKey, 'facebook:mid:%');
    expect(await count(ours)).toBe(501); // the burst and the early one
    // Temporal accepts every start with no worker running. How fast is the machine's business
    // (CI on a busy machine took over 120 s for the 500 starts): the test waits for all of them.
    await eventually(
      async () => (await count(sql`${ours} and ${inboundEvents.startedAt} is null`)) === 0,
      360_000,
      'every workflow start accepted',
    );
    expect(
      Number(
        (
          await db()
            .select({ n: sql<number>`count(*)` })
            .from(channelLeads)
        )[0]!.n,
      ),
    ).toBe(0);

    await stack.startWorker();
    await eventually(async () => (await count(sql`${ours} and ${inboundEvents.result} is null`)) === 0, 240_000, 'every delivery handled');
    const leads = await db().select().from(channelLeads);
    expect(leads).toHaveLength(501);
    expect(new Set(leads.map((l) => l.contact)).size).toBe(501);
    expect(leads.every((l) => l.channel === 'facebook' && l.status === 'open')).toBe(true);
    expect(await count(sql`${ours} and ${inboundEvents.result} <> 'new-lead'`)).toBe(0);
    // Each lead waits for its phone on one sales task.
    await eventually(
      async () =>
        Number(
          (
            await db()
              .select({ n: sql<number>`count(*)` })
              .from(tasks)
              .where(eq(tasks.stage, 'lead-ask-phone'))
          )[0]!.n,
        ) === 501,
      120_000,
      'one ask-phone task per lead',
    );
    expect((await handled(db(), `facebook:mid:${burst[499]!.mid}`)).result).toBe('new-lead');
  }, 900_000);
});
