/**
 * `npm run bench:webhooks`: GHN-format courier webhooks (JSON, `Token` header with the right
 * secret) at rising rates against `POST /webhooks/couriers/simulator`, for real shipments of
 * real orders waiting in their courier stage. Every webhook is a new in-transit status with a
 * newer time, so each one is recorded, moves the shipment and is signalled to the workflow.
 */
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { and, count, eq, gte, inArray } from 'drizzle-orm';
import { courierEvents, shipments } from '../../db/schema';
import { projectRoot } from '../../server/platform/paths';
import {
  apiClient,
  benchPhone,
  machine,
  machineCpu,
  note,
  numericFlags,
  pool,
  progress,
  runBench,
  startBenchStack,
  until,
  writeResult,
} from './support';

const flags = numericFlags({ orders: 100, seconds: 5 });
const RATES = [50, 100, 200, 400];
const IN_TRANSIT = ['picking', 'picked', 'storing', 'transporting', 'sorting', 'delivering'];

runBench(async () => {
  const info = machine();
  const stack = await startBenchStack('webhooks');
  try {
    const taskQueue = 'bench-webhooks';
    const appUrl = await stack.startApp(taskQueue);
    await stack.startSimulator(appUrl, { scenario: 'manual' });
    const { name } = await stack.activateProcess(
      fs.readFileSync(path.join(projectRoot(), 'tests/fixtures/fast-ship.yaml'), 'utf8'),
      'bench-webhooks',
    );
    const admin = await stack.createStaff(['admin'], 'Bench admin');
    const worker = await stack.startShopflowWorker(taskQueue);
    const api = apiClient(appUrl, admin.token);

    const orderIds: string[] = [];
    const bar = progress('orders to the courier stage', flags.orders);
    await pool(
      flags.orders,
      10,
      async (i) => {
        const lead = await api.post('/api/v1/leads', {
          channel: 'facebook',
          process: name,
          note: '[sim:manual]',
          customer: { name: `Khách ${i}`, phone: benchPhone(i) },
        });
        const orderId: string = lead.body.orderId;
        const task = await until(
          async () => (await api.get(`/api/v1/tasks?order=${orderId}&status=open`)).body?.tasks?.[0],
          30_000,
          `close task of ${orderId}`,
          50,
        );
        const done = await api.post(`/api/v1/tasks/${task.id}/complete`, {
          outcome: 'closed',
          data: {
            items: [{ sku: 'S', name: 'Sản phẩm', qty: 1, price: 200000 }],
            shippingAddress: { street: '5 Trần Phú', ward: 'Điện Biên', province: 'Hà Nội' },
            codAmount: 200000,
          },
        });
        if (done.status !== 200) throw new Error(`complete: HTTP ${done.status}`);
        orderIds.push(orderId);
      },
      (done) => bar.update(done),
    );
    bar.end();
    const shipped = () =>
      stack.database.db
        .select({ orderId: shipments.orderId, trackingCode: shipments.trackingCode })
        .from(shipments)
        .where(inArray(shipments.orderId, orderIds));
    await until(async () => (await shipped()).length === orderIds.length, 30_000, 'every shipment created').catch(() => undefined);
    const parcels = await shipped();
    if (parcels.length < orderIds.length)
      note(`only ${parcels.length} of ${orderIds.length} orders have a shipment after 30 s; sending webhooks for those`);
    if (!parcels.length) {
      const described = await stack.temporal.workflow.getHandle(`order:${orderIds[0]}`).describe();
      throw new Error(
        `no shipment was created; order:${orderIds[0]} is ${described.status.name}, pending activities: ${JSON.stringify(described.raw.pendingActivities?.map((a) => ({ type: a.activityType?.name, attempt: a.attempt, failure: a.lastFailure?.message })))}`,
      );
    }

    const secret = stack.courierEnv.COURIER_SIM_SECRET!;
    let seq = 0;
    const base = Date.now() + 60_000;
    const webhook = () => {
      const parcel = parcels[seq % parcels.length]!;
      const status = IN_TRANSIT[Math.floor(seq / parcels.length) % IN_TRANSIT.length]!;
      const at = new Date(base + seq * 1000).toISOString();
      seq++;
      return JSON.stringify({
        CODAmount: 200000,
        CODTransferDate: null,
        ClientOrderCode: parcel.orderId,
        ConvertedWeight: 500,
        Description: status,
        Fee: {
          CODFailedFee: 0,
          CODFee: 0,
          Coupon: 0,
          MainService: 16500,
          Insurance: 0,
          Return: 0,
          StationDO: 0,
          StationPU: 0,
          Total: 16500,
        },
        Height: 10,
        IsPartialReturn: false,
        Length: 20,
        OrderCode: parcel.trackingCode,
        PartialReturnCode: '',
        PaymentType: 1,
        Reason: '',
        ReasonCode: '',
        ShopID: 1,
        Status: status,
        Time: at,
        TotalFee: 16500,
        Type: 'switch_status',
        Warehouse: 'Bưu cục (bench)',
        Weight: 500,
        Width: 15,
      });
    };

    const results = [];
    for (const rate of RATES) {
      note(`${rate} webhooks/s for ${flags.seconds} s…`);
      const since = new Date();
      const cpu = machineCpu();
      const r = await autocannon({
        url: `${appUrl}/webhooks/couriers/simulator`,
        connections: Math.max(10, rate / 4),
        overallRate: rate,
        duration: flags.seconds,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', token: secret },
            setupRequest: (req) => ({ ...req, body: webhook() }),
          },
        ],
      });
      const [applied] = await stack.database.db
        .select({ n: count() })
        .from(courierEvents)
        .where(and(gte(courierEvents.receivedAt, since), eq(courierEvents.signalled, true)));
      results.push({
        offeredPerSecond: rate,
        acceptedPerSecond: Math.round((r['2xx'] / r.duration) * 10) / 10,
        sent: r.requests.total,
        accepted: r['2xx'],
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        signalledToWorkflows: applied?.n ?? 0,
        latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
        machineCpuBusyPercent: cpu.busyPercent(),
      });
    }
    await worker.stop();

    const file = writeResult('webhooks', { bench: 'webhooks', flags, machine: info, shipments: parcels.length, results });
    process.stdout.write(
      [
        '',
        `bench:webhooks — ${parcels.length} shipments in their courier stage, ${flags.seconds} s per rate (node ${info.node}, ${info.cpus} CPUs, load ${info.loadavg.join(' ')})`,
        ...results.map(
          (r) =>
            `  offered ${String(r.offeredPerSecond).padStart(3)}/s → accepted ${r.acceptedPerSecond}/s (${r.accepted}/${r.sent}, non-2xx ${r.non2xx}, errors ${r.errors}, signalled ${r.signalledToWorkflows}) · p50 ${r.latencyMs.p50} ms · p99 ${r.latencyMs.p99} ms · max ${r.latencyMs.max} ms · machine CPU ${r.machineCpuBusyPercent}%`,
        ),
        `results: ${file}`,
        '',
      ].join('\n'),
    );
  } finally {
    await stack.close();
  }
});
