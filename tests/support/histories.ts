/**
 * Recorded workflow histories: what running orders, complaints and KPI periods look like in
 * Temporal today, kept under tests/histories/ so `npm test` replays them against the current
 * workflow code. A change that would break a running workflow fails that replay and must be
 * versioned (patched()/a new workflow type) before it ships.
 *
 * Histories are stored as the proto3 JSON of `temporal.api.history.v1.History`, converted with
 * the protobufjs root that @temporalio/proto itself uses: `historyFromJSON` from
 * @temporalio/common fails here ("type must be a Type") because another protobufjs copy is
 * installed beside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const History = temporal.api.history.v1.History;
type HistoryMessage = temporal.api.history.v1.History;

/** Where the recorded histories live, one JSON file per scenario. */
export const historiesDir = path.join(__dirname, '..', 'histories');

/** One recorded history file: what it shows, which workflow it came from, and the history. */
export interface RecordedHistory {
  scenario: string;
  description: string;
  workflowType: string;
  workflowId: string;
  recordedAt: string;
  events: number;
  history: unknown;
}

const jsonOptions = { longs: String, enums: String, bytes: String, defaults: false } as const;

/** Fetches a workflow's whole history through the client and writes it as a fixture. */
export async function recordHistory(client: Client, workflowId: string, scenario: string, description: string): Promise<RecordedHistory> {
  const handle = client.workflow.getHandle(workflowId);
  const [history, description_] = await Promise.all([handle.fetchHistory(), handle.describe()]);
  const message = History.fromObject(history as unknown as Record<string, unknown>);
  const recorded: RecordedHistory = {
    scenario,
    description,
    workflowType: description_.type,
    workflowId,
    recordedAt: new Date().toISOString(),
    events: message.events.length,
    history: History.toObject(message, jsonOptions),
  };
  fs.mkdirSync(historiesDir, { recursive: true });
  // A versioned change records its histories beside the earlier ones (SHOPFLOW_HISTORY_TAG=lean-history
  // → order-delivered.lean-history.json): running orders of both versions keep being replayed.
  const tag = process.env.SHOPFLOW_HISTORY_TAG ? `.${process.env.SHOPFLOW_HISTORY_TAG}` : '';
  fs.writeFileSync(path.join(historiesDir, `${scenario}${tag}.json`), `${JSON.stringify(recorded, null, 1)}\n`);
  return recorded;
}

/** Every recorded history, parsed back into History messages the replayer accepts. */
export function loadRecordedHistories(dir = historiesDir): Array<RecordedHistory & { message: HistoryMessage }> {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const recorded = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as RecordedHistory;
      return { ...recorded, message: History.fromObject(recorded.history as Record<string, unknown>) };
    });
}
