/**
 * The relay's reads and writes of the outbox (`message_deliveries`) and its attempt log
 * (`message_attempts`). Rows are claimed with `for update skip locked` and marked `sending` in one
 * statement, so relays in several workers never take the same row; `next_attempt_at` of a
 * `sending` row is its lease: once it passes (the worker died mid-send), the row is due again.
 */
import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { messageAttempts, messageDeliveries } from '../../../db/schema';

export type DeliveryRow = typeof messageDeliveries.$inferSelect;

const isDigest = sql`(${messageDeliveries.payload} ->> 'digest') is not distinct from 'true'`;
const notDigest = sql`(${messageDeliveries.payload} ->> 'digest') is distinct from 'true'`;
const leaseUntil = (leaseMs: number) => sql`now() + (${leaseMs} * interval '1 millisecond')`;

/** Claims up to `limit` due single messages (pending, retries due, quiet hours over). */
export async function claimDue(db: Db, limit: number, leaseMs: number): Promise<DeliveryRow[]> {
  const due = db
    .select({ id: messageDeliveries.id })
    .from(messageDeliveries)
    .where(
      and(
        // Spelled as the due index's predicate, so the planner uses it.
        inArray(messageDeliveries.status, ['pending', 'held']),
        or(eq(messageDeliveries.status, 'pending'), notDigest),
        lte(messageDeliveries.nextAttemptAt, sql`now()`),
      ),
    )
    .orderBy(asc(messageDeliveries.nextAttemptAt), asc(messageDeliveries.id))
    .limit(limit)
    .for('update', { skipLocked: true });
  return db
    .update(messageDeliveries)
    .set({ status: 'sending', attempts: sql`${messageDeliveries.attempts} + 1`, nextAttemptAt: leaseUntil(leaseMs) })
    .where(inArray(messageDeliveries.id, due))
    .returning();
}

/** Up to `limit` (person, channel, address) groups whose held digest rows are due. */
export async function dueDigestGroups(db: Db, limit: number): Promise<Array<{ staffId: string | null; channel: string; address: string }>> {
  return db
    .selectDistinct({ staffId: messageDeliveries.staffId, channel: messageDeliveries.channel, address: messageDeliveries.address })
    .from(messageDeliveries)
    .where(
      and(
        inArray(messageDeliveries.status, ['pending', 'held']),
        eq(messageDeliveries.status, 'held'),
        isDigest,
        lte(messageDeliveries.nextAttemptAt, sql`now()`),
      ),
    )
    .limit(limit);
}

/** Claims the due held digest rows of one group (empty when another relay took them). */
export async function claimDigest(
  db: Db,
  group: { staffId: string | null; channel: string; address: string },
  leaseMs: number,
): Promise<DeliveryRow[]> {
  const due = db
    .select({ id: messageDeliveries.id })
    .from(messageDeliveries)
    .where(
      and(
        eq(messageDeliveries.status, 'held'),
        isDigest,
        group.staffId === null ? sql`${messageDeliveries.staffId} is null` : eq(messageDeliveries.staffId, group.staffId),
        eq(messageDeliveries.channel, group.channel),
        eq(messageDeliveries.address, group.address),
        lte(messageDeliveries.nextAttemptAt, sql`now()`),
      ),
    )
    .orderBy(asc(messageDeliveries.id))
    .limit(200)
    .for('update', { skipLocked: true });
  return db
    .update(messageDeliveries)
    .set({ status: 'sending', attempts: sql`${messageDeliveries.attempts} + 1`, nextAttemptAt: leaseUntil(leaseMs) })
    .where(inArray(messageDeliveries.id, due))
    .returning();
}

/**
 * Rows left `sending` past their lease (their worker stopped mid-send) go back to waiting, each with
 * an attempt saying so; those out of attempts are given up. Returns how many were recovered.
 */
export async function recoverExpiredLeases(db: Db, maxAttempts: number): Promise<number> {
  return db.transaction(async (tx) => {
    const stale = await tx
      .select({ id: messageDeliveries.id, attempts: messageDeliveries.attempts })
      .from(messageDeliveries)
      .where(and(eq(messageDeliveries.status, 'sending'), lte(messageDeliveries.nextAttemptAt, sql`now()`)))
      .limit(100)
      .for('update', { skipLocked: true });
    if (!stale.length) return 0;
    const answer = 'no answer: the worker sending it stopped before recording one (lease expired)';
    const outOf = stale.filter((r) => r.attempts >= maxAttempts).map((r) => r.id);
    const again = stale.filter((r) => r.attempts < maxAttempts).map((r) => r.id);
    if (again.length)
      await tx
        .update(messageDeliveries)
        .set({ status: sql`case when ${isDigest} then 'held' else 'pending' end`, nextAttemptAt: sql`now()`, lastError: answer })
        .where(inArray(messageDeliveries.id, again));
    if (outOf.length)
      await tx.update(messageDeliveries).set({ status: 'given_up', lastError: answer }).where(inArray(messageDeliveries.id, outOf));
    await tx
      .insert(messageAttempts)
      .values(stale.map((r) => ({ deliveryId: r.id, outcome: outOf.includes(r.id) ? 'given_up' : 'failed', providerAnswer: answer })));
    return stale.length;
  });
}

/** What became of one attempt at a set of rows (one message, or one digest of several). */
export type AttemptOutcome =
  | { outcome: 'sent'; providerMessageId?: string; providerStatus?: string; answer?: string }
  | { outcome: 'failed'; retryAt: Date; providerStatus?: string; answer: string }
  | { outcome: 'given_up'; providerStatus?: string; answer: string };

/** Records the attempt on every row and moves the rows on, in one transaction; rows no longer `sending` (lease lost) are left alone. */
export async function recordAttempt(db: Db, rows: DeliveryRow[], result: AttemptOutcome): Promise<void> {
  const ids = rows.map((r) => r.id);
  await db.transaction(async (tx) => {
    const mine = and(inArray(messageDeliveries.id, ids), eq(messageDeliveries.status, 'sending'));
    if (result.outcome === 'sent') {
      await tx
        .update(messageDeliveries)
        .set({ status: 'sent', sentAt: sql`now()`, providerMessageId: result.providerMessageId ?? null, lastError: null })
        .where(mine);
    } else if (result.outcome === 'failed') {
      await tx
        .update(messageDeliveries)
        .set({ status: sql`case when ${isDigest} then 'held' else 'pending' end`, nextAttemptAt: result.retryAt, lastError: result.answer })
        .where(mine);
    } else {
      await tx.update(messageDeliveries).set({ status: 'given_up', lastError: result.answer }).where(mine);
    }
    await tx.insert(messageAttempts).values(
      ids.map((deliveryId) => ({
        deliveryId,
        outcome: result.outcome,
        providerStatus: result.providerStatus ?? null,
        providerAnswer: result.answer ?? null,
      })),
    );
  });
}
