/**
 * The one Idempotency-Key mechanism of the API (stock adjustments, purchases, leads, complaints):
 * per (operation, caller, key) the request's hash and the answer it got are kept in
 * `idempotent_requests`. The same key with the same body is a retry; the same key with another
 * body is refused with 409 `idempotency_conflict` before anything is written, so the second body
 * changes nothing.
 */
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { idempotentRequests } from '../../db/schema';
import { badRequest, HttpError } from './errors';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The answer a write gives, kept for its Idempotency-Key. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

/** What identifies a keyed request: the operation, the caller (keys are the caller's own), the key and the body. */
export interface KeyedRequest {
  scope: string;
  actor: string;
  key?: string;
  body: unknown;
}

/** JSON with object keys sorted, so two bodies that mean the same hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The `Idempotency-Key` header: absent, or 1–200 visible characters (400 otherwise). */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  if (header.length > 200 || !/^[\x21-\x7e]+$/.test(header))
    throw badRequest('Idempotency-Key must be 1–200 visible ASCII characters', {
      fields: [{ field: 'Idempotency-Key', message: 'must be 1–200 visible ASCII characters' }],
    });
  return header;
}

/**
 * How a start-once write (a lead's order, a complaint) answers a retry of its first request:
 * 200 with the first answer marked `created: false`, as a second start of the same workflow does.
 */
export function replayAsRetry(first: StoredAnswer): StoredAnswer {
  return {
    status: first.status === 201 ? 200 : first.status,
    body: first.body && typeof first.body === 'object' ? { ...first.body, created: false } : first.body,
  };
}

/** `status` of a claimed key whose write has not answered yet. */
const PENDING = 0;

const reused = (key: string) =>
  new HttpError(
    409,
    'idempotency_conflict',
    `Idempotency-Key "${key}" was already used for a different request; use a new key for a new request`,
    { fields: [{ field: 'Idempotency-Key', message: 'was already used for a different request' }] },
  );

const hashOf = (body: unknown) => createHash('sha256').update(canonicalJson(body)).digest('hex');

/** Keyed writes over one database; see the two ways below. */
export function createIdempotency(db: Db) {
  const whereKey = (req: KeyedRequest) =>
    and(eq(idempotentRequests.scope, req.scope), eq(idempotentRequests.actor, req.actor), eq(idempotentRequests.key, req.key!));
  const lock = (tx: Tx, req: KeyedRequest) =>
    tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`idempotency:${req.scope}:${req.actor}:${req.key}`}))`);

  return {
    /**
     * For writes that are all database: the write and the answer it gave are committed in one
     * transaction; a retry with the same body gets that answer (`replayed`) and writes nothing.
     * Refusals (4xx thrown by the write) are not kept: nothing was written, so a retry tries again.
     * Without a key the write simply runs in a transaction.
     */
    async inTransaction(req: KeyedRequest, write: (tx: Tx) => Promise<StoredAnswer>): Promise<StoredAnswer & { replayed: boolean }> {
      if (!req.key) return { ...(await db.transaction(write)), replayed: false };
      const hash = hashOf(req.body);
      return db.transaction(async (tx) => {
        // Two requests with the same key at once: the second waits here and then finds the first's answer.
        await lock(tx, req);
        const [seen] = await tx.select().from(idempotentRequests).where(whereKey(req));
        if (seen) {
          if (seen.requestHash !== hash) throw reused(req.key!);
          if (seen.status !== PENDING) return { status: seen.status, body: seen.response, replayed: true };
        }
        const answer = await write(tx);
        await tx
          .insert(idempotentRequests)
          .values({
            scope: req.scope,
            actor: req.actor,
            key: req.key!,
            requestHash: hash,
            status: answer.status,
            response: answer.body as object,
          })
          .onConflictDoUpdate({
            target: [idempotentRequests.scope, idempotentRequests.actor, idempotentRequests.key],
            set: { status: answer.status, response: answer.body as object },
          });
        return { ...answer, replayed: false };
      });
    },

    /**
     * For writes that leave the database (starting a workflow, whose id the key derives, so it is
     * itself started once): the key is claimed with the body's hash first, in a short transaction —
     * another body under it is refused right there — then the write runs and its answer is kept.
     * A retry with the same body gets `replay(first answer)`; one that finds the claim still
     * unanswered (the first is in flight, or crashed midway) runs the write again, which is safe
     * because the write is idempotent by its derived id. A refusal (4xx) releases the claim.
     */
    async claimed(
      req: KeyedRequest,
      write: () => Promise<StoredAnswer>,
      replay: (first: StoredAnswer) => StoredAnswer = (first) => first,
    ): Promise<StoredAnswer & { replayed: boolean }> {
      if (!req.key) return { ...(await write()), replayed: false };
      const hash = hashOf(req.body);
      const seen = await db.transaction(async (tx) => {
        await lock(tx, req);
        const [row] = await tx.select().from(idempotentRequests).where(whereKey(req));
        if (!row)
          await tx
            .insert(idempotentRequests)
            .values({ scope: req.scope, actor: req.actor, key: req.key!, requestHash: hash, status: PENDING, response: {} });
        return row;
      });
      if (seen && seen.requestHash !== hash) throw reused(req.key);
      if (seen && seen.status !== PENDING) return { ...replay({ status: seen.status, body: seen.response }), replayed: true };
      let answer: StoredAnswer;
      try {
        answer = await write();
      } catch (err) {
        if (!seen && err instanceof HttpError && err.status < 500) {
          await db.delete(idempotentRequests).where(and(whereKey(req), eq(idempotentRequests.status, PENDING)));
        }
        throw err;
      }
      await db
        .update(idempotentRequests)
        .set({ status: answer.status, response: answer.body as object })
        .where(and(whereKey(req), eq(idempotentRequests.requestHash, hash)));
      return { ...answer, replayed: false };
    },
  };
}

export type Idempotency = ReturnType<typeof createIdempotency>;
