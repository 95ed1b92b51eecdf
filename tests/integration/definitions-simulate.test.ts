/**
 * What-if simulation through the real admin API on real PostgreSQL and Temporal: a hand-built
 * history seeded straight into the tables (orders, tasks, shipments, courier events) where the
 * answer is known, determinism with a seed, bad input refused with its field, and one order run
 * both ways — the real workflow on the real stack and the simulator with the same outcomes —
 * walking the same path of stages.
 */
import { count } from 'drizzle-orm';
import { readSimulationHistory } from '../../db/simulate/history';
import { definitionVersions, stockMovements } from '../../db/schema';
import { measureDistributions } from '../../definitions/simulate/distributions';
import { simulateOrder } from '../../definitions/simulate/engine';
import { mulberry32 } from '../../definitions/simulate/prng';
import type { CompiledOrderProcess } from '../../definitions/types';
import { createDefinitionsStore } from '../../server/shop/definitions';
import { expectDocumented } from '../support/documented';
import { CODS_AT_14, CODS_AT_9, named, seedKnownWeek, WEEK, withConfirm } from '../support/simulate-history';
import { apiClient, eventually, fixture, openTestStack, uniqueId, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let admin: { id: string; token: string };
let sales: { id: string; token: string };
let processName: string;

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  await stack.startCourierSimulator({ timeScale: 1 });
  [admin, sales] = await Promise.all([stack.createStaff(['admin']), stack.createStaff(['sales'])]);
  ({ name: processName } = await stack.activateProcess(fixture('simulate-order.yaml')));
  await seedKnownWeek(stack.database.db, processName);
});
afterAll(() => stack?.close());

const simulate = (body: unknown, token = admin.token) => apiClient(base, token).post('/api/v1/definitions/simulate', body);
const candidate = (edit: (yaml: string) => string = (y) => y) => edit(named(fixture('simulate-order.yaml'), processName));

describe('what-if simulation API', () => {
  test('When a confirm step for COD ≥ 3 million is simulated on a known week, then exactly the matching orders get a CSKH confirm task, and the summary says so', async () => {
    const res = await simulate({ definition: candidate(withConfirm), ...WEEK, seed: 7 });
    expectDocumented('/api/v1/definitions/simulate', 'post', res);
    expect(res.status).toBe(200);
    const matching = [...CODS_AT_9, ...CODS_AT_14].filter((c) => c >= 3_000_000).length;
    expect(res.body).toMatchObject({ basis: 'history', seed: 7, window: { days: 7 } });
    expect(res.body.active).toMatchObject({ name: processName, version: 1, orders: 10, finished: 10, byResult: { completed: 10 } });
    expect(res.body.candidate.slaBreaches).toEqual(
      expect.arrayContaining([expect.objectContaining({ stage: 'confirm', tasks: matching })]),
    );
    expect(res.body.active.workload.map((w: { role: string }) => w.role)).toEqual(['sales']);
    expect(res.body.candidate.workload.map((w: { role: string }) => w.role)).toEqual(['cskh', 'sales']);
    expect(res.body.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ metric: 'tasksPerDay.cskh', active: 0, candidate: Math.round((matching / 7) * 100) / 100 }),
      ]),
    );
    expect(res.body.summary[0]).toMatch(/^thêm bước xác nhận đơn cho đơn COD ≥ 3 triệu: \+0,9 việc .*CSKH.*\/ngày/);
    // Measured from the seeded rows: 24 h in transit after a 30- or 90-minute close, all by GHN.
    expect(res.body.active.timeToDeliveryHours).toEqual({ median: 24.5, p90: 25.5, delivered: 10 });
    expect(res.body.active.courierMix).toEqual([{ courier: 'ghn', shipments: 10 }]);
    expect(res.body.active.codAtRisk).toEqual({ amount: 0, orders: 0 });
  });

  test('When a shorter closing SLA is simulated, then the orders whose recorded closing took longer breach, and the same seed gives the same answer', async () => {
    const body = { definition: candidate((y) => y.replace('sla: 2h', 'sla: 1h')), ...WEEK, seed: 11 };
    const [first, again] = [await simulate(body), await simulate(body)];
    expect(first.status).toBe(200);
    const close = (report: { slaBreaches: Array<{ stage: string }> }) => report.slaBreaches.find((s) => s.stage === 'close');
    expect(close(first.body.active)).toMatchObject({ tasks: 10, breaches: 0 });
    expect(close(first.body.candidate)).toMatchObject({ tasks: 10, breaches: CODS_AT_14.length });
    expect(first.body.summary.join(' ')).toContain('SLA chốt đơn: 2 giờ → 1 giờ');
    expect(again.body).toEqual(first.body);
  });

  test("When the candidate is sent as the YAML body, as validate takes it, with the window and seed in the query, then the answer is the JSON form's; a bad query value is 400 naming it", async () => {
    const yaml = candidate((y) => y.replace('sla: 2h', 'sla: 1h'));
    const query = `from=${encodeURIComponent(WEEK.from)}&to=${encodeURIComponent(WEEK.to)}&seed=11`;
    const fromYaml = await apiClient(base, admin.token).yaml(`/api/v1/definitions/simulate?${query}`, yaml);
    expectDocumented('/api/v1/definitions/simulate', 'post', fromYaml);
    expect(fromYaml.status).toBe(200);
    const fromJson = await simulate({ definition: yaml, ...WEEK, seed: 11 });
    expect(fromYaml.body).toEqual(fromJson.body);
    const bad = await apiClient(base, admin.token).yaml('/api/v1/definitions/simulate?weeks=many', yaml);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('weeks');
    const invalid = await apiClient(base, admin.token).yaml(`/api/v1/definitions/simulate?${query}`, 'kind: [');
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.code).toBe('invalid_definition');
  });

  test('When the window holds no history, then assumptions are required, and with them the report says it rests on them', async () => {
    const empty = { from: '2025-03-03T00:00:00+07:00', to: '2025-03-10T00:00:00+07:00' };
    const refused = await simulate({ definition: candidate(withConfirm), ...empty });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.fields).toEqual([expect.objectContaining({ field: 'assumptions' })]);
    const assumed = await simulate({
      definition: candidate(withConfirm),
      ...empty,
      assumptions: { ordersPerDay: 30, minutesPerTask: 6, transitHours: 36 },
    });
    expectDocumented('/api/v1/definitions/simulate', 'post', assumed);
    expect(assumed.body).toMatchObject({ basis: 'assumptions', active: { orders: 6 * 30 } });
    expect(assumed.body.basisNote).toMatch(/^Chưa có lịch sử: mô phỏng theo giả định 30 đơn\/ngày, 6 phút\/việc, giao 36 giờ/);
  });

  test('When the request is wrong, then it is refused with 422 naming the field, a role without definitions.manage gets 403, and nothing is stored', async () => {
    const before = (await stack.database.db.select({ n: count() }).from(definitionVersions))[0]!.n;
    const cases: Array<[unknown, string]> = [
      [{ definition: candidate(), weeks: 2, ...WEEK }, 'weeks'],
      [{ definition: candidate(), from: WEEK.to, to: WEEK.from }, 'to'],
      [{ definition: candidate(), from: WEEK.from }, 'to'],
      [{ definition: candidate(), weeks: 0 }, 'weeks'],
      [{ definition: candidate(), weeks: 4, colour: 'red' }, 'colour'],
      [{ weeks: 4 }, 'definition'],
      [{ definition: candidate(), ...WEEK, assumptions: { ordersPerDay: -1, minutesPerTask: 5 } }, 'assumptions.ordersPerDay'],
      [
        { definition: candidate(), ...WEEK, assumptions: { ordersPerDay: 5, minutesPerTask: 5, staff: { nobody: 2 } } },
        'assumptions.staff.nobody',
      ],
      [{ definition: fixture('fast-order.yaml').replace('sla: 2s', 'sla: [2s]'), weeks: 4 }, 'definition'],
      [{ definition: 'apiVersion: shopflow/v1\nkind: Shop\n', weeks: 4 }, 'definition'],
      [{ definition: candidate(), weeks: 52, assumptions: { ordersPerDay: 100_000, minutesPerTask: 5 } }, 'assumptions.ordersPerDay'],
    ];
    for (const [body, field] of cases) {
      const res = await simulate(body);
      expectDocumented('/api/v1/definitions/simulate', 'post', res);
      expect([res.status, res.body.error.details.fields.map((f: { field: string }) => f.field)]).toEqual([422, [field]]);
    }
    const invalid = await simulate({ definition: fixture('fast-order.yaml').replace('sla: 2s', 'sla: [2s]'), weeks: 4 });
    expect(invalid.body.error).toMatchObject({
      code: 'invalid_definition',
      details: { errors: [expect.objectContaining({ path: 'spec.stages[0].sla' })] },
    });
    const forbidden = await simulate({ definition: candidate(), weeks: 4 }, sales.token);
    expect(forbidden.status).toBe(403);
    expect((await stack.database.db.select({ n: count() }).from(definitionVersions))[0]!.n).toBe(before);
  });
});

describe('one interpreter', () => {
  test('When one order runs on the real workflow and in the simulator with the same outcomes chosen, then both walk the same path of stages', async () => {
    const yaml = withConfirm(fixture('fast-ship.yaml'));
    const { name } = await stack.activateProcess(yaml, uniqueId('both-ways'));
    await stack.database.db
      .insert(stockMovements)
      .values({ sku: 'AO-01', qty: 100, kind: 'receipt', reason: 'opening stock', dedupeKey: `test:receipt:${name}` });
    const marketing = await stack.createStaff(['marketing']);
    const api = apiClient(base, admin.token);
    const openTask = (orderId: string, stage: string) =>
      eventually(
        async () =>
          (await api.get(`/api/v1/tasks?order=${orderId}&status=open`)).body.tasks.find((t: { stage: string }) => t.stage === stage),
        20_000,
        `open ${stage} task`,
      );
    const startedAt = Date.now() - 1000;

    /** A lead closed with this COD; the scenario tag tells the courier simulator how the parcel goes. */
    const runReal = async (cod: number, scenario: string, choices: Record<string, string[]>) => {
      const lead = await apiClient(base, marketing.token).post('/api/v1/leads', {
        channel: 'facebook',
        process: name,
        note: `[sim:${scenario}]`,
        customer: { name: `Khách ${scenario}`, phone: `0389${String(cod).slice(0, 3)}${String(Date.now() % 1000).padStart(3, '0')}` },
      });
      expect(lead.status).toBe(201);
      const orderId: string = lead.body.orderId;
      const close = await openTask(orderId, 'close');
      await api.post(`/api/v1/tasks/${close.id}/complete`, {
        outcome: 'closed',
        data: {
          items: [{ sku: 'AO-01', name: 'Áo thun', qty: 1, price: cod }],
          shippingAddress: { street: '12 Lê Lợi', ward: 'Bến Nghé', province: 'Hồ Chí Minh' },
          codAmount: cod,
          note: `[sim:${scenario}]`,
        },
      });
      for (const [stage, outcomes] of Object.entries(choices)) {
        for (const outcome of outcomes) {
          const task = await openTask(orderId, stage);
          expect((await api.post(`/api/v1/tasks/${task.id}/complete`, { outcome })).status).toBe(200);
        }
      }
      const result = await stack.temporal.workflow.getHandle(`order:${orderId}`).result();
      return { orderId, path: result.path.map((v: { stage: string; outcome?: string }) => [v.stage, v.outcome ?? null]) };
    };
    const small = await runReal(300_000, 'fail-then-deliver', { 'call-customer': ['redeliver'] });
    const large = await runReal(5_000_000, 'normal', { confirm: ['confirmed'] });
    expect(small.path).toEqual([
      ['close', 'closed'],
      ['confirm', 'skipped'],
      ['ship', 'failed'],
      ['call-customer', 'redeliver'],
      ['ship', 'delivered'],
      ['done', null],
    ]);
    expect(large.path.map((p: string[]) => p[0])).toEqual(['close', 'confirm', 'ship', 'done']);

    // The simulator reads the same orders back from the tables and walks the stored version.
    const process = (await createDefinitionsStore(stack.database.db).activeNamed<CompiledOrderProcess>(name, 'OrderProcess'))!.compiled;
    const history = await readSimulationHistory(stack.database.db, { from: startedAt, to: Date.now() + 1000 }, process.workingHours);
    const distributions = measureDistributions(history);
    const courierOutcomes = { [small.orderId]: ['failed', 'delivered'] as const, [large.orderId]: ['delivered'] as const };
    for (const real of [small, large]) {
      const arrival = history.arrivals.find((a) => a.orderId === real.orderId)!;
      expect(arrival.figures).toMatchObject({ codAmount: real === small ? 300_000 : 5_000_000 });
      const simulated = await simulateOrder({
        process,
        arrival,
        distributions,
        random: mulberry32(1),
        horizon: Date.now(),
        courierOutcomes: courierOutcomes[real.orderId],
      });
      expect(simulated.path.map((v) => [v.stage, v.outcome ?? null])).toEqual(real.path);
    }
  });
});
