/**
 * `npm run demo`: a working shop in one command. Starts the whole stack exactly as `npm start`
 * does (its own data directory, `data/demo` unless DATA_DIR says otherwise), seeds a demo shop
 * through the public API — staff of every role with their own tokens, products with barcodes and
 * stock, a week's worth of orders — and keeps it alive: simulated staff move the demo orders on,
 * the courier simulator delivers, returns and fails parcels, and a new lead arrives every
 * DEMO_LEAD_EVERY seconds (45). Orders you create yourself are never touched by it.
 *
 * Ctrl-C stops it all; the next `npm run demo` resumes the same shop (delete the data directory
 * to start over).
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_STAFF } from '../../scripts/demo/catalogue';
import { createShopLife, demoApi, loadDemoState, PLANS, WEEK, type Plan } from '../../scripts/demo/shop-life';
import { projectRoot } from '../platform/paths';

const env = { ...process.env };
const dataDir = path.resolve(projectRoot(), env.DATA_DIR?.trim() || path.join('data', 'demo'));
const stateFile = path.join(dataDir, 'demo-shop.json');
const port = Number(env.PORT?.trim() || 3000);
const host = env.HOST?.trim() || '127.0.0.1';
const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
const base = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
const secondsFrom = (name: string, fallback: number) => {
  const raw = env[name]?.trim();
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!(Number.isFinite(value) && value > 0)) {
    process.stderr.write(`${name}="${raw}" must be a positive number of seconds\n`);
    process.exit(2);
  }
  return value;
};
const leadEverySeconds = secondsFrom('DEMO_LEAD_EVERY', 45);
const tickSeconds = secondsFrom('DEMO_TICK', 3);

const say = (line: string) => process.stdout.write(`[demo] ${line}\n`);

/** The demo's admin token: chosen once and kept in the demo's state file (mode 0600). */
function adminToken(): string {
  fs.mkdirSync(dataDir, { recursive: true });
  const tokenFile = path.join(dataDir, 'demo-admin-token.txt');
  if (env.SHOPFLOW_ADMIN_TOKEN?.trim()) return env.SHOPFLOW_ADMIN_TOKEN.trim();
  if (fs.existsSync(tokenFile)) return fs.readFileSync(tokenFile, 'utf8').trim();
  const token = `sf_demo_${crypto.randomBytes(18).toString('hex')}`;
  fs.writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  return token;
}

async function main(): Promise<void> {
  const token = adminToken();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot(), 'server', 'main', 'start.ts')], {
    cwd: projectRoot(),
    env: { ...env, DATA_DIR: dataDir, SHOPFLOW_ADMIN_TOKEN: token },
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  // Its output is shown as it is; the courier simulator's address is read from it (the demo fails a parcel there).
  let started = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (started.length < 20_000) started += chunk.toString();
  });
  const courierSimUrl = () => /Couriers\s+simulator at (http:\/\/\S+)/.exec(started)?.[1];
  let stopping = false;
  const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      stopping = true;
      child.kill(signal);
    });
  void exited.then((code) => process.exit(stopping ? 0 : code || 1));

  // Up when /healthz says so (the first start may build the Temporal CLI: minutes).
  for (;;) {
    if (child.exitCode !== null) return;
    const res = await fetch(`${base}/healthz`).catch(() => undefined);
    if (res?.status === 200) break;
    await new Promise((r) => setTimeout(r, 1000));
  }

  const api = demoApi(base, token);
  const life = createShopLife({ api, stateFile, courierSimUrl, log: say });
  const fresh = !loadDemoState(stateFile).seeded;
  await life.seed();
  if (fresh) say(`sending a week of orders (${WEEK.reduce((n, [, c]) => n + c, 0)})…`);
  await life.seedWeek();

  const lines = [
    '',
    `The demo shop is ready: open http://${shownHost}:${port} and sign in with one of these tokens`,
    `(each person sees what their role sees; all kept in ${stateFile.startsWith(process.cwd()) ? path.relative(process.cwd(), stateFile) : stateFile}):`,
    ...DEMO_STAFF.map(
      (p) => `  ${p.roles.join(', ').padEnd(15)} ${p.name.padEnd(22)} ${life.state.staff[p.key]?.token ?? '(not created)'}`,
    ),
    `Orders move on by themselves; those left waiting at a step are yours to do. A new lead every ${leadEverySeconds} s.`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const livePlans = WEEK.flatMap(([plan, count]) => Array.from({ length: count }, () => plan as Plan));
  let nextLeadAt = Date.now() + leadEverySeconds * 1000;
  let lastCensus = 0;
  while (!stopping && child.exitCode === null) {
    try {
      await life.tick();
      if (Date.now() >= nextLeadAt) {
        const plan = livePlans[life.state.nextLead % livePlans.length]!;
        const orderId = await life.addLead(plan);
        say(`new lead ${orderId} (${PLANS[plan].title})`);
        nextLeadAt = Date.now() + leadEverySeconds * 1000;
      }
      if (Date.now() - lastCensus > 60_000) {
        lastCensus = Date.now();
        const counts = await life.census();
        say(
          `orders: ${Object.entries(counts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
        );
      }
    } catch (err) {
      // The server restarting or busy: the next round tries again.
      if (!stopping) say(`(${err instanceof Error ? err.message : String(err)}; trying again)`);
    }
    await new Promise((r) => setTimeout(r, tickSeconds * 1000));
  }
  await exited;
}

main().catch((err) => {
  process.stderr.write(`npm run demo failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
