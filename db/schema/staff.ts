import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Staff and their API tokens. */

/** A member of the shop's staff. Roles and channels refer to `shop.yaml`. */
export const staff = pgTable('staff', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  phone: text('phone'),
  email: text('email'),
  roles: text('roles').array().notNull(),
  channels: text('channels')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
  /** An outsourced member's own contract end (the instant their tokens stop); null: the role's end applies. */
  contractEnds: timestamp('contract_ends', { withTimezone: true }),
  /** When their contract ended and their open work was handed back (null: not yet). */
  contractEndedAt: timestamp('contract_ended_at', { withTimezone: true }),
  /** The sales team the member works in (free text, e.g. "Nhóm Hà Nội"); KPI leaderboards group by it. Null: no team. */
  team: text('team'),
});

/** API tokens are stored only as SHA-256 hashes; the clear token is shown once at creation. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id),
    tokenHash: text('token_hash').notNull(),
    label: text('label'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash), index('api_tokens_staff_idx').on(t.staffId)],
);
