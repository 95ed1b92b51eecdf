/**
 * The inbound inbox: a channel's deliveries stored once before the sender is answered, and the
 * relay's bookkeeping of starting each one's workflow (server/inbound/relay.ts).
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { inboundEvents, type InboundPayload } from '../schema';

/** A delivery as the webhook parsed it. */
export interface InboundDelivery {
  channel: 'facebook' | 'zalo' | 'website';
  dedupeKey: string;
  kind: 'message' | 'echo' | 'lead-form' | 'web-form';
  contact: string | null;
  payload: InboundPayload;
}

/** The workflow that handles one delivery: business-derived, so a second start of it is refused, not run twice. */
export const inboundWorkflowId = (dedupeKey: string) => `inbound:${dedupeKey}`;

/** Stores the deliveries in one statement; a delivery stored before (a replay) is left as it was. */
export async function storeInboundEvents(db: Db, deliveries: InboundDelivery[]): Promise<{ stored: number; duplicates: number }> {
  if (!deliveries.length) return { stored: 0, duplicates: 0 };
  const rows = await db
    .insert(inboundEvents)
    .values(deliveries.map((d) => ({ ...d, workflowId: inboundWorkflowId(d.dedupeKey) })))
    .onConflictDoNothing()
    .returning({ id: inboundEvents.id });
  return { stored: rows.length, duplicates: deliveries.length - rows.length };
}

/** A stored delivery whose workflow Temporal has not accepted yet. */
export interface UnstartedEvent {
  id: number;
  workflowId: string;
  startAttempts: number;
}

/**
 * Takes up to `limit` deliveries due for a start and leases them for `leaseMs` (another relay,
 * e.g. another API replica, skips them meanwhile; a relay that dies leaves them due again).
 */
export async function leaseUnstarted(db: Db, limit: number, leaseMs: number): Promise<UnstartedEvent[]> {
  const result = await db.execute(sql`
    update ${inboundEvents} set next_start_at = now() + ${`${leaseMs} milliseconds`}::interval, start_attempts = start_attempts + 1
    where id in (
      select id from ${inboundEvents}
      where started_at is null and next_start_at <= now()
      order by next_start_at, id
      limit ${limit}
      for update skip locked
    )
    returning id, workflow_id, start_attempts`);
  const rows = (result as unknown as { rows: Array<{ id: string | number; workflow_id: string; start_attempts: number }> }).rows;
  return rows.map((r) => ({ id: Number(r.id), workflowId: r.workflow_id, startAttempts: Number(r.start_attempts) }));
}

/** Temporal accepted these deliveries' workflows (or had them already). */
export async function markStarted(db: Db, ids: number[]): Promise<void> {
  if (!ids.length) return;
  await db
    .update(inboundEvents)
    .set({ startedAt: sql`now()`, lastError: null })
    .where(and(inArray(inboundEvents.id, ids), isNull(inboundEvents.startedAt)));
}

/** A start failed (Temporal unreachable): due again after `delayMs`. */
export async function markStartFailed(db: Db, id: number, error: string, delayMs: number): Promise<void> {
  await db
    .update(inboundEvents)
    .set({ lastError: error.slice(0, 500), nextStartAt: sql`now() + ${`${delayMs} milliseconds`}::interval` })
    .where(eq(inboundEvents.id, id));
}
