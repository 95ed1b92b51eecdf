/**
 * `npm run bench:kpi`: seeds 1,000,000 orders over twelve months (with shipments, courier
 * events and tasks) into a PostgreSQL database of its own, then times a full period report:
 * every metric of the shipped KpiPlan for one month, as the period workflow computes it.
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/shopflow_bench_kpi) is dropped
 * and recreated; BENCH_ORDERS changes the count; BENCH_REUSE=1 keeps a database seeded by an
 * earlier run (migrations still apply); BENCH_RUNS (default 7) timed runs, the median is reported
 * (the machine is shared, so single runs are noisy). Not a test: nothing is asserted.
 */
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import pino from 'pino';
import { computeActuals } from '../activities/kpi/kpi';
import { openDatabase } from '../db/client';
import { periodFromKey } from '../definitions/kpi/period';
import type { CompiledKpiPlan } from '../definitions/kpi/types';
import { loadDefinitionsDir } from '../definitions/loading/loader';
import { projectRoot } from '../server/platform/paths';

const url = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/shopflow_bench_kpi');
const count = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const reuse = process.env.BENCH_REUSE === '1';
const runCount = Number(process.env.BENCH_RUNS ?? 7);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const name = url.pathname.slice(1);
  const admin = new Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  const seed = !(reuse && exists);
  if (seed) {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
  }
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

  if (seed) await seedOrders();
  else process.stdout.write(`reusing the orders seeded earlier in ${name}\n`);
  await time('vacuum analyze', () => db.execute(sql`vacuum analyze`));

  const period = periodFromKey(plan.period, plan.utcOffsetMinutes, '2026-06')!;
  await computeActuals(db, plan, period.startsAt, period.endsAt); // warm the cache once
  const runs: number[] = [];
  for (let i = 0; i < runCount; i++)
    runs.push(
      await time(`full period report ${period.key} (run ${i + 1})`, () => computeActuals(db, plan, period.startsAt, period.endsAt)),
    );
  const actuals = await computeActuals(db, plan, period.startsAt, period.endsAt);
  const packers = actuals['orders-per-packer'];
  process.stdout.write(
    `\nrevenue ${actuals['sales-revenue']?.value?.toLocaleString('en')} VND, return rate ${((actuals['return-rate']?.value ?? 0) * 100).toFixed(2)}%, leads ${actuals.leads?.value}, close rate ${((actuals['close-rate']?.value ?? 0) * 100).toFixed(2)}%, orders per packer per day ${packers?.value?.toFixed(1) ?? '-'}\n`,
  );
  process.stdout.write(
    `full period report (${plan.metrics.length} metrics, ${count.toLocaleString('en')} orders): median ${(median(runs) / 1000).toFixed(2)} s, best ${(Math.min(...runs) / 1000).toFixed(2)} s of ${runs.length} runs\n`,
  );
  await database.close();

  async function seedOrders(): Promise<void> {
    process.stdout.write(`seeding ${count.toLocaleString('en')} orders into ${name}…\n`);
    const customerCount = Math.max(1, Math.floor(count / 3));
    // Orders spread evenly over 1 Dec 2025 … 30 Nov 2026 (local time); 60% closed, of those 10% returned
    // (half of those partly: half the total came back), 3% cancelled.
    await time('orders', () =>
      db.execute(sql`
      insert into orders (id, workflow_id, channel, status, customer_id, campaign, lead_cost, total, cod_amount, returned_amount, courier, created_at, updated_at)
      select 'o' || g, 'order:o' || g,
        (array['facebook','zalo','tiktok','shopee','website','store'])[1 + g % 6],
        case when g % 10 >= 6 then (case when g % 2 = 0 then 'lost' else 'open' end)
             when g % 100 < 3 then 'cancelled' when g % 10 = 0 then 'returned' else 'completed' end,
        'c' || (g % ${customerCount}), 'camp' || (g % 20), 15000 + (g % 7) * 5000,
        case when g % 10 < 6 then 200000 + (g % 50) * 20000 end,
        case when g % 10 < 6 then 200000 + (g % 50) * 20000 end,
        case when g % 20 = 10 then (200000 + (g % 50) * 20000) / 2 end,
        case when g % 10 < 6 then (array['ghn','ghtk'])[1 + g % 2] end,
        timestamptz '2025-11-30 17:00:00+00' + (g::float8 / ${count}) * interval '365 days',
        now()
      from generate_series(1, ${count}) g`),
    );
    await time('shipments (closed, not cancelled)', () =>
      db.execute(sql`
      insert into shipments (order_id, courier, tracking_code, state, created_at)
      select id, courier, 'T' || id, case when status = 'returned' then 'returned' else 'delivered' end, created_at + interval '1 day'
      from orders where total is not null and status <> 'cancelled'`),
    );
    await time('courier events (delivered, returned)', () =>
      db.execute(sql`
      insert into courier_events (courier, event_key, order_id, tracking_code, raw_status, state, at, applied, via)
      select s.courier, s.order_id || ':d', s.order_id, s.tracking_code, 'delivered', 'delivered', s.created_at + interval '2 days', true, 'webhook'
      from shipments s join orders o on o.id = s.order_id where o.id::text like '%0' or o.status = 'completed'
      union all
      select s.courier, s.order_id || ':r', s.order_id, s.tracking_code, 'returned', 'returned', s.created_at + interval '9 days', true, 'webhook'
      from shipments s where s.state = 'returned'`),
    );
    await time('staff + tasks (close/lost by sales, confirm, pack)', async () => {
      await db.execute(
        sql`insert into staff (id, name, roles, channels) select 's' || g, 'Rep ' || g, array['sales'], array[(array['facebook','zalo','tiktok','shopee','website','store'])[1 + g % 6]] from generate_series(1, 30) g`,
      );
      await db.execute(
        sql`insert into staff (id, name, roles) select 'w' || g, 'Packer ' || g, array['warehouse'] from generate_series(1, 8) g`,
      );
      // Closed orders: close (30 reps), confirm, pack (8 packers); lost leads: the rep's close task only.
      await db.execute(sql`
        insert into tasks (id, workflow_id, subject_type, subject_id, stage, role, title, form, outcomes, status, created_at, due_at, completed_at, completed_by)
        select o.id || ':' || st.stage, o.workflow_id, 'order', o.id, st.stage, st.role, st.stage, '{}'::jsonb, '[]'::jsonb, 'done',
          o.created_at, o.created_at + interval '30 minutes', o.created_at + (10 + (hashtext(o.id) & 31)) * interval '1 minute',
          case when st.role = 'sales' then 's' || (1 + abs(hashtext(o.id)) % 30) when st.role = 'warehouse' then 'w' || (1 + abs(hashtext(o.id)) % 8) else st.role || '1' end
        from orders o cross join (values ('close', 'sales'), ('confirm', 'cskh'), ('pack', 'warehouse')) st(stage, role)
        where o.total is not null or (o.status = 'lost' and st.stage = 'close')`);
      // The order workflow writes who finished the close step on the order.
      await db.execute(
        sql`update orders o set closed_by = t.completed_by, closed_by_role = 'sales' from tasks t where t.id = o.id || ':close'`,
      );
    });
    await time('customers, care contacts, complaints', async () => {
      // 5% VIP, 15% loyal; their delivered orders get a care contact three days later; one complaint per 100 orders.
      await db.execute(sql`
        insert into customers (id, phone, name, segment)
        select 'c' || g, '09' || lpad(g::text, 8, '0'), 'Khách ' || g, case when g % 20 = 0 then 'vip' when g % 20 <= 3 then 'loyal' end
        from generate_series(0, ${customerCount - 1}) g`);
      await db.execute(sql`
        insert into customer_contacts (customer_id, kind, task_id, order_id, stage, staff_id, segment, at)
        select o.customer_id, 'care', o.id || ':care', o.id, 'care', 'cskh1', c.segment, o.created_at + interval '3 days'
        from orders o join customers c on c.id = o.customer_id
        where o.status = 'completed' and c.segment in ('vip', 'loyal') and o.id like '%1'`);
      await db.execute(sql`
        insert into complaints (id, workflow_id, customer_id, order_id, category, description, status, opened_at, due_at, resolved_at, resolved_within_sla, resolved_by, definition_name, definition_version)
        select 'k' || o.id, 'complaint:k' || o.id, o.customer_id, o.id, 'late-delivery', 'Giao trễ', 'resolved',
          o.created_at + interval '3 days', o.created_at + interval '5 days', o.created_at + interval '3 days' + (abs(hashtext(o.id)) % 72) * interval '1 hour',
          (abs(hashtext(o.id)) % 72) <= 48, 'cskh' || (1 + abs(hashtext(o.id)) % 5), 'complaint', 1
        from orders o where o.id like '%00'`);
    });
  }
}

main().catch((err) => {
  pino().error(err);
  process.exit(1);
});
