import { sql } from 'drizzle-orm';
import { bigserial, boolean, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** The shop's definitions: versioned YAML processes, one active per name. */

/**
 * Immutable, content-hashed versions of YAML process definitions. At most one version of a
 * name is active; new orders snapshot the active one.
 */
export const definitionVersions = pgTable(
  'definition_versions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    version: integer('version').notNull(),
    hash: text('hash').notNull(),
    yaml: text('yaml').notNull(),
    compiled: jsonb('compiled').notNull(),
    source: text('source'),
    author: text('author'),
    active: boolean('active').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('definition_versions_name_version_uq').on(t.name, t.version),
    uniqueIndex('definition_versions_name_hash_uq').on(t.name, t.hash),
    uniqueIndex('definition_versions_one_active_uq')
      .on(t.name)
      .where(sql`${t.active}`),
  ],
);
