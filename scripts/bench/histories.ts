/**
 * What a finished workflow left in Temporal: events and encoded bytes per history, read with the
 * client (`fetchHistory()`), and a breakdown by event type of one of them (workflow tasks,
 * activities by name, local activities from their markers, timers, signals, updates).
 *
 * Bytes are the length of the history encoded as `temporal.api.history.v1.History` with the
 * protobufjs root @temporalio/proto uses (what the server stores and sends on replay, give or
 * take its own framing). The client's history objects are encoded directly: converting JSON with
 * `historyFromJSON` from @temporalio/common fails here because two protobufjs copies are installed.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { distribution, pool, type Distribution } from './support';

const { History, HistoryEvent } = temporal.api.history.v1;
const EventType = temporal.api.enums.v1.EventType;

export interface HistoryBreakdown {
  workflowId: string;
  events: number;
  bytes: number;
  /** Event count by type name (without the EVENT_TYPE_ prefix), most frequent first. */
  byType: Record<string, number>;
  workflowTasks: number;
  /** Scheduled activities by activity type. */
  activities: Record<string, number>;
  /** Local activities by activity type (from their markers). */
  localActivities: Record<string, number>;
  timers: number;
  markers: number;
  signals: number;
  updates: number;
  /** The largest events by encoded size: type, activity (if any), bytes. */
  largest: Array<{ type: string; name?: string; bytes: number }>;
}

export interface HistorySummary {
  sampled: number;
  events: Distribution;
  kib: Distribution;
  /** Median workflow tasks, scheduled activities and local activities per history. */
  medianWorkflowTasks: number;
  medianActivities: number;
  medianLocalActivities: number;
  /** The breakdown of the history with the median event count. */
  example?: HistoryBreakdown;
}

const typeName = (t: number | null | undefined) => (EventType[t ?? 0] ?? String(t)).replace(/^EVENT_TYPE_/, '');

function markerActivityType(event: temporal.api.history.v1.IHistoryEvent): string | undefined {
  const details = event.markerRecordedEventAttributes?.details;
  const data = details?.data?.payloads?.[0]?.data;
  if (!data) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string; activityType?: string };
    return parsed.activity_type ?? parsed.activityType;
  } catch {
    return undefined;
  }
}

const count = (into: Record<string, number>, key: string) => {
  into[key] = (into[key] ?? 0) + 1;
};
const sortedCounts = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).sort((a, b) => b[1] - a[1]));

/** Fetches one workflow's history and breaks it down. */
export async function historyBreakdown(client: Client, workflowId: string): Promise<HistoryBreakdown> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const bytes = History.encode(history as temporal.api.history.v1.IHistory).finish().length;
  const byType: Record<string, number> = {};
  const activities: Record<string, number> = {};
  const localActivities: Record<string, number> = {};
  const scheduledNames = new Map<string, string>();
  const sizes: Array<{ type: string; name?: string; bytes: number }> = [];
  let markers = 0;
  for (const event of events) {
    const type = typeName(event.eventType as number);
    count(byType, type);
    let name: string | undefined;
    if (event.activityTaskScheduledEventAttributes) {
      name = event.activityTaskScheduledEventAttributes.activityType?.name ?? '?';
      count(activities, name);
      scheduledNames.set(String(event.eventId), name);
    } else if (event.activityTaskCompletedEventAttributes) {
      name = scheduledNames.get(String(event.activityTaskCompletedEventAttributes.scheduledEventId));
    } else if (event.markerRecordedEventAttributes) {
      markers++;
      name = markerActivityType(event);
      if (name) count(localActivities, name);
    }
    sizes.push({ type, ...(name ? { name } : {}), bytes: HistoryEvent.encode(event).finish().length });
  }
  return {
    workflowId,
    events: events.length,
    bytes,
    byType: sortedCounts(byType),
    workflowTasks: byType.WORKFLOW_TASK_COMPLETED ?? 0,
    activities: sortedCounts(activities),
    localActivities: sortedCounts(localActivities),
    timers: byType.TIMER_STARTED ?? 0,
    markers,
    signals: byType.WORKFLOW_EXECUTION_SIGNALED ?? 0,
    updates: byType.WORKFLOW_EXECUTION_UPDATE_ACCEPTED ?? 0,
    largest: sizes.sort((a, b) => b.bytes - a.bytes).slice(0, 5),
  };
}

/** Events and KiB per history over (a sample of) finished workflows, with one history broken down. */
export async function summarizeHistories(client: Client, workflowIds: string[], sample: number): Promise<HistorySummary> {
  const step = Math.max(1, workflowIds.length / Math.max(1, sample));
  const picked = [...new Set(Array.from({ length: Math.min(sample, workflowIds.length) }, (_, i) => workflowIds[Math.floor(i * step)]!))];
  const all: HistoryBreakdown[] = [];
  await pool(picked.length, 10, async (i) => {
    all.push(await historyBreakdown(client, picked[i]!));
  });
  const sum = (r: Record<string, number>) => Object.values(r).reduce((s, v) => s + v, 0);
  const median = (values: number[]) => distribution(values).p50;
  const byEvents = [...all].sort((a, b) => a.events - b.events);
  return {
    sampled: all.length,
    events: distribution(all.map((h) => h.events)),
    kib: distribution(all.map((h) => h.bytes / 1024)),
    medianWorkflowTasks: median(all.map((h) => h.workflowTasks)),
    medianActivities: median(all.map((h) => sum(h.activities))),
    medianLocalActivities: median(all.map((h) => sum(h.localActivities))),
    example: byEvents[Math.floor((byEvents.length - 1) / 2)],
  };
}

/** Summary lines for a bench's stdout. */
export function printHistories(label: string, s: HistorySummary, goalEvents?: number): string[] {
  if (!s.sampled) return [`  history (${label}): no finished workflow to read`];
  const e = s.example;
  const names = (r: Record<string, number>) =>
    Object.entries(r)
      .map(([k, v]) => `${k}×${v}`)
      .join(', ') || '—';
  return [
    `  history per ${label} (${s.sampled} read): events median ${s.events.p50}, max ${s.events.max}; size median ${s.kib.p50.toFixed(1)} KiB, max ${s.kib.max.toFixed(1)} KiB${
      goalEvents ? ` (goal ≤ ${goalEvents} events: ${s.events.max <= goalEvents ? 'met' : 'MISSED'})` : ''
    }`,
    ...(e
      ? [
          `    ${e.workflowId}: ${e.events} events, ${(e.bytes / 1024).toFixed(1)} KiB — ${e.workflowTasks} workflow tasks, ${sumOf(e.activities)} activities, ${sumOf(e.localActivities)} local activities (${e.markers} markers), ${e.timers} timers, ${e.signals} signals, ${e.updates} updates`,
          `    activities: ${names(e.activities)}`,
          `    local activities: ${names(e.localActivities)}`,
          `    events by type: ${names(e.byType)}`,
          `    largest events: ${e.largest.map((l) => `${l.type}${l.name ? `(${l.name})` : ''} ${l.bytes} B`).join(', ')}`,
        ]
      : []),
  ];
}

const sumOf = (r: Record<string, number>) => Object.values(r).reduce((s, v) => s + v, 0);
