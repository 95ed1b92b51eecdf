/**
 * `handledBy` (shop.yaml roles): in a small shop one team does another's work, e.g. sales also
 * does customer care (cskh handled by sales). Processes keep naming the role the work belongs to;
 * the task opens in the queue of the role that does it.
 */
import { ownEntry } from '../rules/own';
import type { CompiledShop } from '../types';

/** The role whose members do `role`'s work: its `handledBy`, else itself. */
export function workingRole(shop: Pick<CompiledShop, 'roles'> | null | undefined, role: string): string {
  const handler = ownEntry(shop?.roles, role)?.handledBy;
  return handler && ownEntry(shop?.roles, handler) ? handler : role;
}
