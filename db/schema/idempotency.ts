import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Idempotency-Key answers of the HTTP API's keyed writes. */

/**
 * The answer given to a write made with an `Idempotency-Key` (stock adjustments, purchases), per
 * caller: a retry with the same key and body gets this answer again and writes nothing; the same
 * key with another body is refused. Written in the transaction of the write it answers, so a
 * crash leaves both or neither.
 */
export const idempotentRequests = pgTable(
  'idempotent_requests',
  {
    /** Which operation: `stock.adjustment`, `purchase`. */
    scope: text('scope').notNull(),
    /** Staff id of the caller: keys are the caller's own. */
    actor: text('actor').notNull(),
    key: text('key').notNull(),
    /** sha256 of the request body (keys sorted), to tell a retry from a different request. */
    requestHash: text('request_hash').notNull(),
    status: integer('status').notNull(),
    response: jsonb('response').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.actor, t.key] })],
);
