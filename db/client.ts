import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';
import { pgliteListener, postgresListener, type Listener } from './notifications/listener';

/** The Drizzle database, whichever driver is underneath (node-postgres or PGlite). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A database connection with what start-up, health checks and shutdown need. */
export interface Database {
  db: Db;
  driver: 'postgres' | 'pglite';
  /** Where it is, safe to print (no password). */
  location: string;
  /** Applies the committed drizzle-kit migrations (idempotent; serialised across processes). */
  migrate(): Promise<void>;
  /** Cheap liveness probe used by /healthz. */
  ping(): Promise<void>;
  /** LISTEN/NOTIFY on one dedicated connection of this process (the live streams'); closed with the database. */
  listener: Listener;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

/** Opens PostgreSQL when `databaseUrl` is set, else the embedded PGlite under `dataDir`. */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; poolSize?: number }): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize) : openPglite(path.join(opts.dataDir, 'pglite'));
}

async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const pool = new Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
  // An idle client losing its server (restart, failover) must not crash the process.
  pool.on('error', () => undefined);
  // Nor may a checked-out one: pg-pool drops its own listener while a client is lent out, and a
  // client waiting between two statements of a transaction when the server goes away emits
  // 'error' with nobody listening (seen when PostgreSQL stopped mid-load). The statement in
  // flight fails anyway, and the pool discards the broken client when it comes back.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = drizzle(pool, { schema });
  const listener = postgresListener(url);
  return {
    db: db as unknown as Db,
    driver: 'postgres',
    listener,
    location: redactUrl(url),
    async migrate() {
      // Several workers and API replicas may start together: one migrates, the others wait.
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock(74657201)');
        await migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS_DIR });
      } finally {
        await client.query('select pg_advisory_unlock(74657201)').catch(() => undefined);
        client.release();
      }
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}

async function openPglite(dir: string): Promise<Database> {
  fs.mkdirSync(dir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const client = await PGlite.create(dir);
  const db = drizzle(client, { schema });
  const listener = pgliteListener(client);
  return {
    db: db as unknown as Db,
    driver: 'pglite',
    listener,
    location: dir,
    async migrate() {
      await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await listener.close();
      await client.close();
    },
  };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
