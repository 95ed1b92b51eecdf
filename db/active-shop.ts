import { and, eq } from 'drizzle-orm';
import type { CompiledShop } from '../definitions/types';
import type { Db } from './client';
import { definitionVersions } from './schema';

/** The active shop definition (roles, couriers, segments…), or undefined before the first start. */
export async function activeShop(db: Db): Promise<CompiledShop | undefined> {
  const [row] = await db
    .select({ compiled: definitionVersions.compiled })
    .from(definitionVersions)
    .where(and(eq(definitionVersions.kind, 'Shop'), eq(definitionVersions.active, true)));
  return row?.compiled as CompiledShop | undefined;
}
