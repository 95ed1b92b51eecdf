/**
 * `npm run bench:kpi`: seeds 1,000,000 orders over twelve months (with shipments, courier
 * events and tasks) into a PostgreSQL database of its own, then times a full period report:
 * every metric of the shipped KpiPlan for one month, as the period workflow computes it.
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/shopflow_bench_kpi) is dropped
 * and recreated; BENCH_ORDERS changes the count. Not a test: nothing is asserted.
 */
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import pino from 'pino';
import { computeActuals } from '../activities/kpi';
import { openDatabase } from '../db/client';
import { periodFromKey } from '../definitions/kpi-period';
import type { CompiledKpiPlan } from '../definitions/kpi-types';
import { loadDefinitionsDir } from '../definitions/loader';
import { projectRoot } from '../server/paths';

const url = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/shopflow_bench_kpi');
const count = Number(process.env.BENCH_ORDERS ?? 1_000_000);

async function main(): Promise<void> {
  const name = url.pathname.slice(1);
  const admin = new Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  await admin.end();

  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '/tmp' });
  await database.migrate();
  const { db } = database;
  const loaded = await loadDefinitionsDir(path.join(projectRoot(), 'definitions'));
  const plan = loaded.definitions.find((d) => d.value.kind === 'KpiPlan')!.value as CompiledKpiPlan;

  const time = async (label: string, fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    const ms = performance.now() - t;
    process.stdout.write(`${label.padEnd(44)} ${(ms / 1000).toFixed(2)} s\n`);
    return ms;
  };

  process.stdout.write(`seeding ${count.toLocaleString('en')} orders into ${name}…\n`);
  // Orders spread evenly over 1 Dec 2025 … 30 Nov 2026 (local time); 60% closed, of those 10% returned, 3% cancelled.
  await time('orders', () => db.execute(sql`
    insert into orders (id, workflow_id, channel, status, customer_id, campaign, lead_cost, total, cod_amount, courier, created_at, updated_at)
    select 'o' || g, 'order:o' || g,
      (array['facebook','zalo','tiktok','shopee','website','store'])[1 + g % 6],
      case when g % 10 >= 6 then (case when g % 2 = 0 then 'lost' else 'open' end)
           when g % 100 < 3 then 'cancelled' when g % 10 = 0 then 'returned' else 'completed' end,
      'c' || (g % ${Math.max(1, Math.floor(count / 3))}), 'camp' || (g % 20), 15000 + (g % 7) * 5000,
      case when g % 10 < 6 then 200000 + (g % 50) * 20000 end,
      case when g % 10 < 6 then 200000 + (g % 50) * 20000 end,
      case when g % 10 < 6 then (array['ghn','ghtk'])[1 + g % 2] end,
      timestamptz '2025-11-30 17:00:00+00' + (g::float8 / ${count}) * interval '365 days',
      now()
    from generate_series(1, ${count}) g`));
  await time('shipments (closed, not cancelled)', () => db.execute(sql`
    insert into shipments (order_id, courier, tracking_code, state, created_at)
    select id, courier, 'T' || id, case when status = 'returned' then 'returned' else 'delivered' end, created_at + interval '1 day'
    from orders where total is not null and status <> 'cancelled'`));
  await time('courier events (delivered, returned)', () => db.execute(sql`
    insert into courier_events (courier, event_key, order_id, tracking_code, raw_status, state, at, applied, via)
    select s.courier, s.order_id || ':d', s.order_id, s.tracking_code, 'delivered', 'delivered', s.created_at + interval '2 days', true, 'webhook'
    from shipments s join orders o on o.id = s.order_id where o.id::text like '%0' or o.status = 'completed'
    union all
    select s.courier, s.order_id || ':r', s.order_id, s.tracking_code, 'returned', 'returned', s.created_at + interval '9 days', true, 'webhook'
    from shipments s where s.state = 'returned'`));
  await time('staff + tasks (close by sales, confirm, pack)', async () => {
    await db.execute(sql`insert into staff (id, name, roles, channels) select 's' || g, 'Rep ' || g, array['sales'], array[(array['facebook','zalo','tiktok','shopee','website','store'])[1 + g % 6]] from generate_series(1, 30) g`);
    await db.execute(sql`
      insert into tasks (id, workflow_id, subject_type, subject_id, stage, role, title, form, outcomes, status, created_at, due_at, completed_at, completed_by)
      select o.id || ':' || st.stage, o.workflow_id, 'order', o.id, st.stage, st.role, st.stage, '{}'::jsonb, '[]'::jsonb, 'done',
        o.created_at, o.created_at + interval '30 minutes', o.created_at + (10 + (hashtext(o.id) & 31)) * interval '1 minute',
        case when st.role = 'sales' then 's' || (1 + abs(hashtext(o.id)) % 30) else st.role || '1' end
      from orders o cross join (values ('close', 'sales'), ('confirm', 'cskh'), ('pack', 'warehouse')) st(stage, role)
      where o.total is not null`);
  });
  await time('analyze', () => db.execute(sql`analyze`));

  const period = periodFromKey(plan.period, plan.utcOffsetMinutes, '2026-06')!;
  await computeActuals(db, plan, period.startsAt, period.endsAt); // warm the cache once
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) runs.push(await time(`full period report ${period.key} (run ${i + 1})`, () => computeActuals(db, plan, period.startsAt, period.endsAt)));
  const actuals = await computeActuals(db, plan, period.startsAt, period.endsAt);
  process.stdout.write(`\nrevenue ${actuals['sales-revenue']?.value?.toLocaleString('en')} VND, return rate ${((actuals['return-rate']?.value ?? 0) * 100).toFixed(2)}%, leads ${actuals.leads?.value}\n`);
  process.stdout.write(`full period report (${plan.metrics.length} metrics, ${count.toLocaleString('en')} orders): best ${(Math.min(...runs) / 1000).toFixed(2)} s\n`);
  await database.close();
}

main().catch((err) => {
  pino().error(err);
  process.exit(1);
});
