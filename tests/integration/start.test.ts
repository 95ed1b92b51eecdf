/**
 * `npm start` end to end: the real entry point brings up its own dev server (SQLite file under
 * DATA_DIR), PGlite, the worker and the HTTP server; SIGTERM stops it all; a second start
 * resumes the order the first one left waiting.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../db/client';
import { orders } from '../../db/schema';
import { projectRoot } from '../../server/platform/paths';
import { freePort } from '../../server/platform/temporal-dev-server';
import { apiClient, eventually, uniqueId } from '../support/stack';

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Every shopflow started here: stopped after the test even when an assertion failed midway (else it outlives jest). */
const running = new Set<ChildProcess>();
afterAll(async () => {
  for (const child of running) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGTERM');
    await new Promise((resolve) => {
      child.once('exit', resolve);
      setTimeout(resolve, 15_000).unref();
    });
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

function startShopflow(env: Record<string, string>): Started {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main/start.ts'], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function healthy(base: string, started: Started): Promise<Record<string, unknown>> {
  return eventually(
    async () => {
      if (started.child.exitCode !== null) throw new Error(`shopflow exited: ${started.output()}`);
      const res = await fetch(`${base}/healthz`).catch(() => undefined);
      return res?.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
    },
    120_000,
    'GET /healthz 200',
  );
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

test('When shopflow is started, stopped with SIGTERM and started again, then it is healthy each time and the waiting order resumes', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-start-'));
  const [port, temporalPort, uiPort, simPort, facebookSimPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const adminToken = `sf_test_${uniqueId('admin')}_0123456789abcdef`;
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SHOPFLOW_ADMIN_TOKEN: adminToken,
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    COURIER_SIM_PORT: String(simPort),
    FACEBOOK_SIM_PORT: String(facebookSimPort),
    TEMPORAL_CLI: process.env.SHOPFLOW_TEST_TEMPORAL_CLI!,
  };
  const base = `http://127.0.0.1:${port}`;
  const api = apiClient(base, adminToken);

  // First run: healthy, with its own dev server and PGlite; the shipped definitions are active.
  const first = startShopflow(env);
  expect(await healthy(base, first)).toMatchObject({ status: 'ok', temporal: 'ok', db: 'ok', dbDriver: 'pglite' });
  expect(first.output()).toContain(`Web UI     http://127.0.0.1:${uiPort}`);
  expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);
  expect(first.output()).toContain(`Couriers   simulator at http://127.0.0.1:${simPort}`);
  expect((await fetch(`http://127.0.0.1:${simPort}/__sim/shipments`)).status).toBe(200);
  expect(
    (await api.get('/api/v1/definitions')).body.definitions.map((d: { name: string; activeVersion: number }) => [d.name, d.activeVersion]),
  ).toEqual([
    ['default-shop', 1],
    ['sales-guide', 1],
    ['shop-kpi', 1],
    ['standard-complaint', 1],
    ['standard-order', 1],
    ['store-sale', 1],
  ]);
  const lead = await api.post('/api/v1/leads', { channel: 'tiktok', customer: { name: 'Lê Văn C', phone: '0901234567' } });
  expect(lead.status).toBe(201);
  const { orderId, workflowId } = lead.body;
  const task = await eventually(
    async () => (await api.get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks[0],
    30_000,
    'close task',
  );
  expect(task).toMatchObject({ stage: 'close', role: 'sales' });
  // Facebook is simulated: a customer's Messenger message with a phone becomes an order on channel facebook.
  expect(first.output()).toContain(`Facebook   simulator at http://127.0.0.1:${facebookSimPort}`);
  const messaged = await fetch(`http://127.0.0.1:${facebookSimPort}/__sim/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'Shop ơi em đặt 1 cái, sđt 0912 555 111' }),
  });
  expect(JSON.parse(((await messaged.json()) as { answer: string }).answer)).toMatchObject({ ok: true, stored: 1 });
  await eventually(
    async () =>
      (await api.get('/api/v1/orders?channel=facebook')).body.orders?.find(
        (o: { customer: { phone: string } }) => o.customer.phone === '0912555111',
      ),
    30_000,
    'the Messenger lead’s order',
  );

  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  expect(await portOpen(temporalPort)).toBe(false); // the dev server went down with it
  expect(await portOpen(port)).toBe(false);
  expect(fs.existsSync(path.join(dataDir, 'temporal.db'))).toBe(true);

  // Second run: same data dir; the order waits where it was, and completing its task moves it on.
  const second = startShopflow(env);
  await healthy(base, second);
  const done = await api.post(`/api/v1/tasks/${task.id}/complete`, {
    outcome: 'lost',
    data: { reason: 'no-answer' },
  });
  expect(done.status).toBe(200);
  expect(done.body.nextStage).toBe('lost');
  const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
  const result = await new Client({ connection }).workflow.getHandle(workflowId).result();
  expect(result).toMatchObject({ stage: 'lost', status: 'done', result: 'lost' });
  await connection.close();
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);

  const database = await openDatabase({ dataDir });
  const [row] = await database.db.select().from(orders).where(eq(orders.id, orderId));
  expect(row).toMatchObject({
    channel: 'tiktok',
    customerPhone: '0901234567',
    stage: 'lost',
    status: 'lost',
    definitionName: 'standard-order',
    definitionVersion: 1,
  });
  await database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  // Two whole start-ups (dev server, PGlite migrations, worker, console check) and two graceful
  // stops: ~50 s on a quiet machine, over 120 s (jest's default here) with two CI runs at once.
}, 300_000);
