/**
 * `npm run demo` end to end: the real entry point starts its own stack (dev server, PGlite, worker,
 * HTTP server, simulators), seeds the demo shop through the API and keeps it moving. The shop then
 * has staff of every role, products with stock, and orders in every state (waiting at each human
 * step, at the courier, delivered, returned, lost, cancelled); its people sign in to the console
 * on a desktop and on a phone and see them. SIGTERM stops it all cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { ensureConsoleBuilt } from '../../console/build';
import { projectRoot } from '../../server/platform/paths';
import { freePort } from '../../server/platform/temporal-dev-server';
import { DEMO_PRODUCTS, DEMO_STAFF } from '../../scripts/demo/catalogue';
import { createShopLife, demoApi, loadDemoState, WEEK } from '../../scripts/demo/shop-life';
import { eventually } from '../support/stack';
import { launchBrowser, newContext, screenshot, signIn, watchErrors } from './support/browser';

let child: ChildProcess | undefined;
let output = '';
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => {
      child!.once('exit', resolve);
      setTimeout(resolve, 20_000).unref();
    });
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

test('When a newcomer runs npm run demo, then a living demo shop comes up: every role, products with stock, orders in every state, visible in the console on desktop and phone', async () => {
  ensureConsoleBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-demo-'));
  const ports = await Promise.all(Array.from({ length: 8 }, () => freePort()));
  const [port, temporalPort, uiPort, courierPort, channelPort, customerPort, facebookPort, smtpPort] = ports;
  const base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['--import', 'tsx', 'server/main/demo.ts'], {
    cwd: projectRoot(),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      COURIER_SIM_PORT: String(courierPort),
      CHANNEL_SIM_PORT: String(channelPort),
      CUSTOMER_SIM_PORT: String(customerPort),
      FACEBOOK_SIM_PORT: String(facebookPort),
      CHANNEL_SIM_SMTP_PORT: String(smtpPort),
      TEMPORAL_CLI: process.env.SHOPFLOW_TEST_TEMPORAL_CLI!,
      // Quick for the test: a simulated courier day per second, the staff act every second.
      COURIER_SIM_TIME_SCALE: '1',
      DEMO_TICK: '1',
      DEMO_LEAD_EVERY: '5',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));

  await eventually(
    async () => {
      if (child!.exitCode !== null) throw new Error(`npm run demo exited: ${output}`);
      return output.includes('The demo shop is ready');
    },
    180_000,
    'the demo shop ready line',
  );
  const state = loadDemoState(path.join(dataDir, 'demo-shop.json'));
  expect(fs.statSync(path.join(dataDir, 'demo-shop.json')).mode & 0o077).toBe(0); // tokens: owner only
  // Every person of the demo has a token that signs in as them, with their role.
  expect(Object.keys(state.staff).sort()).toEqual(DEMO_STAFF.map((p) => p.key).sort());
  for (const person of DEMO_STAFF) {
    const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${state.staff[person.key]!.token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { roles: string[] }).roles).toEqual(person.roles);
    expect(output).toContain(state.staff[person.key]!.token); // printed for the newcomer
  }
  const owner = demoApi(base, state.staff.owner!.token);
  const products = await owner('GET', '/api/v1/products?limit=100');
  expect(products.status).toBe(200);
  const skus = new Map((products.body.products as Array<{ sku: string; barcode: string | null }>).map((p) => [p.sku, p]));
  for (const p of DEMO_PRODUCTS) expect(skus.get(p.sku)?.barcode).toBe(p.barcode);
  const levels = await owner('GET', `/api/v1/stock/levels?sku=${DEMO_PRODUCTS.map((p) => p.sku).join(',')}`);
  expect(levels.status).toBe(200);
  expect(JSON.stringify(levels.body)).toContain(DEMO_PRODUCTS[0]!.sku);

  // The week's orders reach every state the plans name, moved by the simulated staff and couriers.
  const week = WEEK.reduce((n, [, c]) => n + c, 0);
  expect(Object.keys(state.orders).length).toBeGreaterThanOrEqual(week);
  const life = createShopLife({ api: owner, stateFile: path.join(dataDir, 'demo-shop.json') });
  const reached = ['close', 'confirm', 'pack', 'ship', 'call-customer', 'receive-return', 'completed', 'returned', 'lost', 'cancelled'];
  let counts: Record<string, number> = {};
  const census = await eventually(
    async () => {
      counts = await life.census();
      return reached.every((k) => (counts[k] ?? 0) > 0) ? counts : undefined;
    },
    240_000,
    'demo orders in every state',
  ).catch((err: Error) => {
    const demoLines = output.split('\n').filter((l) => l.startsWith('[demo]'));
    throw new Error(`${err.message}; last census ${JSON.stringify(counts)}; demo said:\n${demoLines.slice(-20).join('\n')}`);
  });
  expect(census.completed).toBeGreaterThanOrEqual(1);

  // It lives: new leads keep arriving after the seed.
  await eventually(async () => loadDemoState(path.join(dataDir, 'demo-shop.json')).nextLead > week, 30_000, 'a live lead after the week');

  // The console shows the shop to its people: the manager's orders on a desktop, the sales rep's tasks on a phone.
  browser = await launchBrowser();
  for (const size of ['desktop', 'phone'] as const) {
    const context = await newContext(browser, size);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, state.staff.manager!.token, '/orders');
    await page
      .getByRole('link', { name: /^DH\d{6}-/ })
      .first()
      .waitFor();
    expect(await page.getByRole('link', { name: /^DH\d{6}-/ }).count()).toBeGreaterThan(5);
    await screenshot(page, `demo-orders-${size}`);
    expect(errors).toEqual([]);
    await context.close();
    // The sales rep's own tasks, in a browser of their own.
    const salesContext = await newContext(browser, size);
    const salesPage = await salesContext.newPage();
    const salesErrors = watchErrors(salesPage);
    await signIn(salesPage, base, state.staff['sales-1']!.token, '/');
    await salesPage.getByRole('heading').first().waitFor();
    await screenshot(salesPage, `demo-sales-home-${size}`);
    expect(salesErrors).toEqual([]);
    await salesContext.close();
  }

  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child!.once('exit', (c) => resolve(c)));
  expect(code).toBe(0);
}, 600_000);
