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
import { projectRoot } from '../../server/paths';
import { freePort } from '../../server/temporal-dev-server';
import { closeLeadSignal, orderWorkflow, statusQuery } from '../../workflows/order';
import { eventually, uniqueId } from '../support/stack';

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startShopflow(env: Record<string, string>): Started {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/start.ts'], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function healthy(base: string, started: Started): Promise<Record<string, unknown>> {
  return eventually(async () => {
    if (started.child.exitCode !== null) throw new Error(`shopflow exited: ${started.output()}`);
    const res = await fetch(`${base}/healthz`).catch(() => undefined);
    return res?.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
  }, 120_000, 'GET /healthz 200');
}

const portOpen = (port: number) => new Promise<boolean>((resolve) => {
  const s = net.connect({ host: '127.0.0.1', port });
  s.once('connect', () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
});

test('When shopflow is started, stopped with SIGTERM and started again, then it is healthy each time and the waiting order resumes', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-start-'));
  const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir,
    TEMPORAL_DEV_PORT: String(temporalPort), TEMPORAL_UI_PORT: String(uiPort),
    TEMPORAL_CLI: process.env.SHOPFLOW_TEST_TEMPORAL_CLI!,
  };
  const base = `http://127.0.0.1:${port}`;
  const orderId = uniqueId('ord');

  // First run: healthy, with its own dev server and PGlite; an order starts and waits.
  const first = startShopflow(env);
  expect(await healthy(base, first)).toMatchObject({ status: 'ok', temporal: 'ok', db: 'ok', dbDriver: 'pglite' });
  expect(first.output()).toContain(`Web UI     http://127.0.0.1:${uiPort}`);
  expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);
  let connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
  let client = new Client({ connection });
  const handle = await client.workflow.start(orderWorkflow, { workflowId: `order:${orderId}`, taskQueue: 'shopflow', args: [{ orderId, channel: 'tiktok' }] });
  await eventually(async () => (await handle.query(statusQuery)).stage === 'lead', 30_000, 'order at stage lead');
  await connection.close();

  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  expect(await portOpen(temporalPort)).toBe(false); // the dev server went down with it
  expect(await portOpen(port)).toBe(false);
  expect(fs.existsSync(path.join(dataDir, 'temporal.db'))).toBe(true);

  // Second run: same data dir; the order is still there and finishes when the lead is closed.
  const second = startShopflow(env);
  await healthy(base, second);
  connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
  client = new Client({ connection });
  const resumed = client.workflow.getHandle(`order:${orderId}`);
  await resumed.signal(closeLeadSignal, { actor: 'sales-1' });
  expect(await resumed.result()).toMatchObject({ stage: 'closed', status: 'done' });
  await connection.close();
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);

  const database = await openDatabase({ dataDir });
  const [row] = await database.db.select().from(orders).where(eq(orders.id, orderId));
  expect(row).toMatchObject({ channel: 'tiktok', stage: 'closed', status: 'done' });
  await database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
