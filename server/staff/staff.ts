import crypto from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { apiTokens, staff } from '../../db/schema';

export type StaffRow = typeof staff.$inferSelect;

/** What a staff member is, as the API shows it (never token hashes). */
export interface StaffView {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  roles: string[];
  channels: string[];
  /** The sales team (free text) leaderboards group by; null: none. */
  team: string | null;
  active: boolean;
  createdAt: string;
}

export const toStaffView = (row: StaffRow): StaffView => ({
  id: row.id,
  name: row.name,
  phone: row.phone,
  email: row.email,
  roles: row.roles,
  channels: row.channels,
  team: row.team ?? null,
  active: row.active,
  createdAt: row.createdAt.toISOString(),
});

/** Tokens are random, prefixed so they are recognisable in leaked-secret scans, and stored hashed. */
export function newToken(): string {
  return `sf_${crypto.randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** A team name as stored: trimmed, and blank means no team. */
const teamOf = (team: string | null | undefined): string | null => team?.trim() || null;

export function newStaffId(): string {
  return `stf_${crypto.randomBytes(6).toString('hex')}`;
}

/**
 * How long a resolved token is trusted without asking the database again. Every API request
 * authenticates, and a join on every request is the most frequent query the API runs; revoking,
 * deactivating or changing a member through any store of this process clears the cache at once,
 * so this bound only applies to changes made by another API replica (or by SQL by hand).
 */
export const TOKEN_CACHE_TTL_MS = 5_000;

interface CachedToken {
  member: StaffRow;
  tokenId: string;
  /** When `last_used_at` was last written (or read), so it is written at most once a minute. */
  lastUsedAt: number;
  cachedAt: number;
}

/** One token cache per database, shared by every store on it, so any store's change clears it. */
const tokenCaches = new WeakMap<object, { tokens: Map<string, CachedToken>; changes: number }>();
function tokenCacheOf(db: Db) {
  let cache = tokenCaches.get(db);
  if (!cache) tokenCaches.set(db, (cache = { tokens: new Map(), changes: 0 }));
  return cache;
}

/** Staff and API tokens in the database. */
export function createStaffStore(db: Db) {
  const cache = tokenCacheOf(db);
  /**
   * Every change to staff or tokens forgets all resolved tokens (changes are rare; lookups are
   * not). Called before and after the write, so a lookup that overlaps the write is not kept.
   */
  const forgetTokens = () => {
    cache.changes += 1;
    cache.tokens.clear();
  };
  return {
    async create(input: {
      id?: string;
      name: string;
      phone?: string;
      email?: string;
      roles: string[];
      channels?: string[];
      team?: string | null;
      /** An outsourced member's own contract end. */
      contractEnds?: Date | null;
    }): Promise<StaffRow> {
      const [row] = await db
        .insert(staff)
        .values({
          id: input.id ?? newStaffId(),
          name: input.name,
          phone: input.phone ?? null,
          email: input.email ?? null,
          roles: input.roles,
          channels: input.channels ?? [],
          team: teamOf(input.team),
          contractEnds: input.contractEnds ?? null,
        })
        .returning();
      return row!;
    },

    async get(id: string): Promise<StaffRow | undefined> {
      return (await db.select().from(staff).where(eq(staff.id, id)))[0];
    },

    async list(filter: { role?: string; active?: boolean } = {}): Promise<StaffRow[]> {
      const conditions = [
        ...(filter.role ? [sql`${filter.role} = any(${staff.roles})`] : []),
        ...(filter.active !== undefined ? [eq(staff.active, filter.active)] : []),
      ];
      return db
        .select()
        .from(staff)
        .where(conditions.length ? and(...conditions) : undefined)
        .orderBy(asc(staff.createdAt), asc(staff.id));
    },

    async update(
      id: string,
      patch: Partial<Pick<StaffRow, 'name' | 'phone' | 'email' | 'roles' | 'channels' | 'team' | 'contractEnds' | 'contractEndedAt'>>,
    ): Promise<StaffRow | undefined> {
      forgetTokens();
      const set = patch.team === undefined ? patch : { ...patch, team: teamOf(patch.team) };
      const [row] = await db.update(staff).set(set).where(eq(staff.id, id)).returning();
      forgetTokens();
      return row;
    },

    /** Deactivation is immediate: token lookups join on `active`, so no token of theirs works after this. */
    async deactivate(id: string): Promise<StaffRow | undefined> {
      forgetTokens();
      const [changed] = await db
        .update(staff)
        .set({ active: false, deactivatedAt: sql`now()` })
        .where(and(eq(staff.id, id), eq(staff.active, true)))
        .returning();
      forgetTokens();
      return changed ?? (await db.select().from(staff).where(eq(staff.id, id)))[0]; // already inactive: unchanged
    },

    /** Issues a token; the clear text is returned here once and never stored. */
    async issueToken(staffId: string, label?: string, token = newToken()): Promise<{ id: string; token: string }> {
      const id = `tok_${crypto.randomBytes(6).toString('hex')}`;
      await db.insert(apiTokens).values({ id, staffId, tokenHash: hashToken(token), label: label ?? null });
      return { id, token };
    },

    async listTokens(staffId: string) {
      return db
        .select({
          id: apiTokens.id,
          label: apiTokens.label,
          createdAt: apiTokens.createdAt,
          lastUsedAt: apiTokens.lastUsedAt,
          revokedAt: apiTokens.revokedAt,
        })
        .from(apiTokens)
        .where(eq(apiTokens.staffId, staffId))
        .orderBy(asc(apiTokens.createdAt));
    },

    async revokeToken(staffId: string, tokenId: string): Promise<boolean> {
      forgetTokens();
      const rows = await db
        .update(apiTokens)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.staffId, staffId), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      forgetTokens();
      return rows.length > 0;
    },

    /**
     * The active staff member owning this unrevoked token, if any. Answers from the token cache
     * for up to TOKEN_CACHE_TTL_MS; unknown tokens are never cached (failed logins are rate-limited
     * instead), so a token issued a moment ago works at once.
     */
    async findByToken(token: string): Promise<StaffRow | undefined> {
      const hash = hashToken(token);
      const now = Date.now();
      let hit = cache.tokens.get(hash);
      if (!hit || now - hit.cachedAt > TOKEN_CACHE_TTL_MS) {
        const changesBefore = cache.changes;
        const rows = await db
          .select({ staff, tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt })
          .from(apiTokens)
          .innerJoin(staff, eq(staff.id, apiTokens.staffId))
          .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt), eq(staff.active, true)));
        const row = rows[0];
        if (!row) {
          cache.tokens.delete(hash);
          return undefined;
        }
        hit = { member: row.staff, tokenId: row.tokenId, lastUsedAt: row.lastUsedAt?.getTime() ?? 0, cachedAt: now };
        // A change that happened while this lookup ran may not be in `row`: answer, but do not keep it.
        if (cache.changes === changesBefore) {
          if (cache.tokens.size >= 10_000) cache.tokens.clear();
          cache.tokens.set(hash, hit);
        }
      }
      // Best effort, off the request's path, and at most once a minute per token: a write on every
      // request would cost more than the request itself.
      if (now - hit.lastUsedAt > 60_000) {
        hit.lastUsedAt = now;
        void db
          .update(apiTokens)
          .set({ lastUsedAt: sql`now()` })
          .where(eq(apiTokens.id, hit.tokenId))
          .catch(() => undefined);
      }
      return hit.member;
    },

    /**
     * Makes sure someone can administer a new install: with SHOPFLOW_ADMIN_TOKEN, that token
     * belongs to the `admin` staff member; without it, the first start creates an admin and
     * returns a fresh token to print once. Returns the token only when it was just created.
     */
    async ensureBootstrapAdmin(configuredToken?: string): Promise<string | undefined> {
      forgetTokens(); // it may replace the admin's token
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(74657202)`);
        const [existing] = await tx.select().from(staff).where(eq(staff.id, 'admin'));
        if (!existing) {
          await tx.insert(staff).values({ id: 'admin', name: 'Administrator', roles: ['admin'], channels: [] });
        }
        if (configuredToken) {
          // Changing the variable replaces the old token rather than adding a second one.
          await tx
            .insert(apiTokens)
            .values({ id: 'tok_bootstrap_env', staffId: 'admin', tokenHash: hashToken(configuredToken), label: 'SHOPFLOW_ADMIN_TOKEN' })
            .onConflictDoUpdate({ target: apiTokens.id, set: { tokenHash: hashToken(configuredToken), revokedAt: null } });
          return undefined;
        }
        if (existing) return undefined;
        const token = newToken();
        await tx.insert(apiTokens).values({ id: 'tok_bootstrap', staffId: 'admin', tokenHash: hashToken(token), label: 'bootstrap' });
        return token;
      });
    },
  };
}

export type StaffStore = ReturnType<typeof createStaffStore>;
