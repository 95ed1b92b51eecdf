/**
 * `npm run bench:memory -- --orders N`: the RSS of `npm run worker` (its own process, read from
 * /proc) idle, then with N open orders each waiting on its `close` task (started through the
 * same service POST /leads uses), and the growth per open order (RSS per open order, KiB).
 * `--maxCachedWorkflows N` (or WORKER_MAX_CACHED_WORKFLOWS in the environment) sets the worker's
 * workflow cache; the size used is printed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { createCustomersStore } from '../../server/customers/customers';
import { createDefinitionsStore } from '../../server/shop/definitions';
import { createOrdersService } from '../../server/orders/orders';
import { projectRoot } from '../../server/platform/paths';
import { createShopCache } from '../../server/shop/shop-cache';
import {
  benchPhone,
  machine,
  mib,
  note,
  numericFlags,
  pool,
  progress,
  runBench,
  sdkDefaultMaxCachedWorkflows,
  sleep,
  startBenchStack,
  takeWordFlag,
  workerCache,
  writeResult,
} from './support';

// --process standard-order: the shipped process (definitions/processes/order.yaml) instead of the fast-ship fixture.
const argv = process.argv.slice(2);
const processFlag = takeWordFlag(argv, 'process', 'fast-ship', ['fast-ship', 'standard-order']);
const flags = { process: processFlag, ...numericFlags({ orders: 2000, concurrency: 20, maxCachedWorkflows: 0 }, argv) };
const cache = workerCache(flags.maxCachedWorkflows);

runBench(async () => {
  const info = machine();
  const stack = await startBenchStack('memory');
  try {
    const taskQueue = 'bench-memory';
    const name =
      flags.process === 'standard-order'
        ? 'standard-order' // shipped, synced and active at stack start
        : (await stack.activateProcess(fs.readFileSync(path.join(projectRoot(), 'tests/fixtures/fast-ship.yaml'), 'utf8'), 'bench-memory'))
            .name;
    const worker = await stack.startShopflowWorker(taskQueue, cache.env);
    const definitions = createDefinitionsStore(stack.database.db);
    const orders = createOrdersService({
      db: stack.database.db,
      temporal: stack.temporal,
      config: stack.config(taskQueue),
      definitions,
      shop: createShopCache(definitions),
      customers: createCustomersStore(stack.database.db),
    });
    await sleep(3000);
    const idle = worker.stats();
    note(`worker idle: RSS ${mib(idle.rssKb)} MiB`);

    // The SDK's default workflow cache (maxCachedWorkflows) from the heap limit, as the worker computes
    // it (reuseV8Context): beyond this many open orders, least recently used ones leave memory and
    // are replayed from history when they next have work.
    const defaultCache = sdkDefaultMaxCachedWorkflows();
    note(`SDK default maxCachedWorkflows for this heap limit: ${defaultCache}; used: ${cache.size} (${cache.label})`);
    /** Worker RSS against orders started, every 5 s: shows where the cache stops the growth. */
    const curve: Array<{ seconds: number; started: number; rssMiB: number }> = [];
    let startedCount = 0;
    const started = Date.now();
    const sampler = setInterval(() => {
      try {
        curve.push({ seconds: Math.round((Date.now() - started) / 1000), started: startedCount, rssMiB: mib(worker.stats().rssKb) });
      } catch {
        /* worker gone */
      }
    }, 5000);
    const bar = progress('starting orders', flags.orders);
    await pool(
      flags.orders,
      flags.concurrency,
      async (i) => {
        await orders.startFromLead(
          { channel: 'facebook', process: name, customer: { name: `Khách ${i}`, phone: benchPhone(i) } },
          { actor: 'bench' },
        );
      },
      (done) => {
        startedCount = done;
        bar.update(done, `worker RSS ${mib(worker.stats().rssKb)} MiB`);
      },
    );
    bar.end();
    const openBar = progress('tasks open', flags.orders);
    let open = 0;
    while (open < flags.orders && Date.now() - started < 600_000) {
      open = Number(
        (
          (await stack.database.db.execute(sql`select count(*) as n from tasks where status = 'open'`)) as unknown as {
            rows: Array<{ n: string }>;
          }
        ).rows[0]!.n,
      );
      openBar.update(open, `worker RSS ${mib(worker.stats().rssKb)} MiB`);
      if (open < flags.orders) await sleep(500);
    }
    openBar.end(open);
    const openSeconds = (Date.now() - started) / 1000;
    await sleep(5000); // let the worker settle (GC, sticky caches)
    const loaded = worker.stats();
    clearInterval(sampler);
    await worker.stop();

    const perOrderKb = (loaded.rssKb - idle.rssKb) / Math.max(1, open);
    const result = {
      bench: 'memory',
      flags,
      machine: info,
      openOrders: open,
      secondsToOpenAll: Math.round(openSeconds * 10) / 10,
      rssIdleMiB: mib(idle.rssKb),
      rssWithOpenOrdersMiB: mib(loaded.rssKb),
      peakRssMiB: mib(Math.max(loaded.peakRssKb, worker.sampledPeakKb())),
      perOpenOrderKiB: Math.round(perOrderKb * 10) / 10,
      workerCpuSeconds: Math.round(loaded.cpuMs - idle.cpuMs) / 1000,
      sdkDefaultMaxCachedWorkflows: defaultCache,
      workerMaxCachedWorkflows: { size: cache.size, from: cache.label },
      rssCurve: curve,
    };
    const step = Math.max(1, Math.ceil(curve.length / 12));
    const file = writeResult('memory', result);
    process.stdout.write(
      [
        '',
        `bench:memory — ${open} open ${flags.process} orders waiting on their close task (node ${info.node}, ${info.cpus} CPUs, load ${info.loadavg.join(' ')})`,
        `  worker RSS idle ${result.rssIdleMiB} MiB → ${result.rssWithOpenOrdersMiB} MiB with ${open} open orders (peak ${result.peakRssMiB} MiB)`,
        `  RSS by orders started: ${curve
          .filter((_, i) => i % step === 0 || i === curve.length - 1)
          .map((c) => `${c.started}→${c.rssMiB}`)
          .join(' · ')} MiB (worker cache ${cache.size} workflows, ${cache.label}; SDK default ${defaultCache})`,
        `  RSS per open order: ${result.perOpenOrderKiB} KiB ((RSS with − RSS idle) ÷ ${open} open orders${open < flags.orders ? ` of ${flags.orders} started` : ''})`,
        `  all open after ${result.secondsToOpenAll} s (${Math.round(open / openSeconds)} orders/s), worker CPU ${result.workerCpuSeconds} s`,
        `results: ${file}`,
        '',
      ].join('\n'),
    );
  } finally {
    await stack.close();
  }
});
