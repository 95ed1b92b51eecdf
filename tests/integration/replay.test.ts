/**
 * Running workflows survive upgrades: every history recorded under tests/histories/ (orders
 * delivered, returned, failed then redelivered, cancelled, lost, saved by a fix-it task; a
 * complaint; a KPI period) is
 * replayed against the current workflow code with the run's bundle. A non-determinism error
 * here means a change would break workflows that are running in shops: version it.
 * Re-record with `npm run histories:record` only when the change is versioned.
 */
import { Worker } from '@temporalio/worker';
import { loadRecordedHistories } from '../support/histories';

const histories = loadRecordedHistories();
const expectedScenarios = [
  'order-delivered',
  'order-returned',
  'order-failed-redelivered',
  'order-cancelled',
  'order-lost',
  'order-courier-fix-it',
  'complaint-refund',
  'kpi-period',
];

describe('recorded histories replay on the current workflow code', () => {
  test('When the fixtures are listed, then every shipped process has its recorded scenarios', () => {
    expect(histories.map((h) => h.scenario)).toEqual(expect.arrayContaining(expectedScenarios));
    for (const h of histories) expect(h.message.events.length).toBe(h.events);
  });

  test('When each history is replayed, then none raises a non-determinism or other workflow error', async () => {
    const results: Array<{ scenario: string; error?: string }> = [];
    const byId = new Map(histories.map((h) => [h.workflowId, h.scenario]));
    const replays = Worker.runReplayHistories(
      { workflowBundle: { codePath: process.env.SHOPFLOW_TEST_WORKFLOW_BUNDLE! }, replayName: 'shopflow-recorded-histories' },
      histories.map((h) => ({ workflowId: h.workflowId, history: h.message })),
    );
    for await (const result of replays) {
      results.push({
        scenario: byId.get(result.workflowId) ?? result.workflowId,
        ...(result.error ? { error: String(result.error) } : {}),
      });
    }
    expect(results.map((r) => r.scenario).sort()).toEqual(histories.map((h) => h.scenario).sort());
    expect(results.filter((r) => r.error)).toEqual([]);
  });
});
