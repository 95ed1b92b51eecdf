/**
 * `npx tsx scripts/bench/task-list.ts`: where a task-list request's time goes, without HTTP.
 * Seeds the same 100,000 tasks as `bench:api` into a fresh database, prints
 * `EXPLAIN (ANALYZE, BUFFERS)` of the exact SQL the store sends for a sales rep (scope own) and a
 * manager (scope all), then the Node CPU and wall time per `list()` call over `--calls` calls.
 */
import os from 'node:os';
import { Client as PgClient } from 'pg';
import { openDatabase } from '../../db/client';
import type { Principal } from '../../server/http/auth';
import { createTasksStore } from '../../server/tasks/tasks';
import { machine, note, numericFlags, runBench, seedTasks, writeResult } from './support';

const flags = numericFlags({ rows: 100_000, calls: 1000 });

runBench(async () => {
  const info = machine();
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const adminUrl = new URL(base);
  adminUrl.pathname = '/postgres';
  const name = `shopflow_bench_task_list_${Date.now()}`;
  const admin = new PgClient({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: os.tmpdir(), poolSize: 2 });
  const pg = new PgClient({ connectionString: url.toString() });
  try {
    await database.migrate();
    const sales = Array.from({ length: 20 }, (_, i) => `stf_sales${i}`);
    const cskh = Array.from({ length: 5 }, (_, i) => `stf_cskh${i}`);
    note(`inserting ${flags.rows} task rows…`);
    await seedTasks(url.toString(), flags.rows, sales, cskh);
    await pg.connect();

    // The exact statements the store sends, captured at the pool.
    const captured: Array<{ text: string; values: unknown[] }> = [];
    const pool = (database.db as unknown as { session: { client: { query: (...args: unknown[]) => unknown } } }).session.client;
    const query = pool.query.bind(pool);
    pool.query = (q: unknown, v?: unknown) => {
      const text = (q as { text?: string }).text ?? String(q);
      if (/from "tasks"/.test(text)) captured.push({ text, values: (v ?? (q as { values?: unknown[] }).values ?? []) as unknown[] });
      return query(q, v);
    };
    const store = createTasksStore(database.db);
    const rep: Principal = {
      staffId: sales[0]!,
      name: 'Sales 0',
      roles: ['sales'],
      channels: [],
      permissions: new Set(['tasks.read']),
      scope: 'own',
    };
    const manager: Principal = { ...rep, staffId: 'stf_manager', name: 'Manager', roles: ['manager'], scope: 'all' };
    const who = [
      ['sales rep (scope own)', rep],
      ['manager (scope all)', manager],
    ] as const;
    for (const [, p] of who) await store.list(p, { status: 'open', limit: 50 });
    pool.query = query;

    const plans: string[] = [];
    for (const c of captured) {
      for (let i = 0; i < 3; i++) await pg.query({ text: `explain (analyze, buffers) ${c.text}`, values: c.values }); // warm
      const r = await pg.query({ text: `explain (analyze, buffers) ${c.text}`, values: c.values });
      plans.push(r.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n'));
    }
    const timings = [];
    for (const [label, p] of who) {
      for (let i = 0; i < 50; i++) await store.list(p, { status: 'open', limit: 50 }); // warm
      const wall = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      for (let i = 0; i < flags.calls; i++) await store.list(p, { status: 'open', limit: 50 });
      const used = process.cpuUsage(cpu);
      timings.push({
        label,
        wallMsPerCall: Math.round((Number(process.hrtime.bigint() - wall) / 1e6 / flags.calls) * 100) / 100,
        nodeCpuMsPerCall: Math.round(((used.user + used.system) / 1000 / flags.calls) * 100) / 100,
      });
    }
    const file = writeResult('task-list', {
      bench: 'task-list',
      flags,
      machine: info,
      statements: captured.map((c) => c.text),
      plans,
      timings,
    });
    process.stdout.write(
      [
        '',
        `task-list — ${flags.rows} task rows, ${flags.calls} list() calls each (node ${info.node}, ${info.cpus} CPUs, load ${info.loadavg.join(' ')})`,
        ...captured.flatMap((c, i) => [
          `  ${who[i]?.[0] ?? ''}: ${c.text.replace(/\s+/g, ' ').trim()}`,
          ...plans[i]!.split('\n').map((l) => `      ${l}`),
        ]),
        ...timings.map((t) => `  ${t.label}: Node CPU ${t.nodeCpuMsPerCall} ms per list() call, wall ${t.wallMsPerCall} ms`),
        `results: ${file}`,
        '',
      ].join('\n'),
    );
  } finally {
    await pg.end().catch(() => undefined);
    await database.close();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
});
