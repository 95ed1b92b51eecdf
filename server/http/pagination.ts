import { and, eq, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { Type } from '@sinclair/typebox';
import { withDefault } from './contract';
import { badRequest } from './errors';

/**
 * The one way lists page: newest first by (created_at, id), an opaque cursor naming the last row
 * of the previous page, `limit` from 1 to 200 (default 50). A list's query schema spreads these
 * in (`Type.Object({ ...filters, ...pageQuery })`); `queryOf` checks them.
 */
export const pageQuery = {
  limit: withDefault(Type.Integer({ minimum: 1, maximum: 200, description: 'Page size.' }), 50),
  cursor: Type.Optional(Type.String({ description: '`nextCursor` of the previous page.' })),
};

/** The 400 for a cursor this API did not hand out (or that was changed), naming the parameter. */
export const badCursor = () =>
  badRequest('cursor is not one this API returned', { fields: [{ field: 'cursor', message: 'is not one this API returned' }] });

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

/** The condition "older than the cursor's row", for a list ordered by (createdAt desc, id desc). */
export function afterCursor(cursor: string | undefined, createdAt: PgColumn, id: PgColumn): SQL | undefined {
  if (!cursor) return undefined;
  let at: Date;
  let lastId: string;
  try {
    const [rawAt, rawId] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    at = new Date(rawAt);
    lastId = rawId;
    if (Number.isNaN(at.getTime()) || typeof lastId !== 'string') throw new Error('bad cursor');
  } catch {
    throw badCursor();
  }
  return or(lt(createdAt, at), and(eq(createdAt, at), lt(id, lastId)));
}

/** Splits the `limit + 1` rows a query fetched into the page and the next cursor. */
export function pageOf<T extends { createdAt: Date; id: string }>(rows: T[], limit: number): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { page, nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null };
}
