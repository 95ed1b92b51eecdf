/**
 * Keeps one `contract-end:<staffId>` workflow waiting for each outsourced member's contract end:
 * started (or woken, when running) whenever a member's contract or roles change through the staff
 * API, and for every outsourced member at start-up (members added by SQL, a shop.yaml that made a
 * role outsourced). Signal-with-start: starting twice is a wake-up, never a second timer.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { activeShop } from '../../db/active-shop';
import { staff } from '../../db/schema';
import { holdsOutsourcedRole } from '../../definitions/shop/outsourcing';
import { contractChangedSignal, contractEndWorkflowId, type contractEndWorkflow } from '../../workflows/staff/contract-end';
import type { Logger } from '../platform/logger';

/** Starts the member's contract-end workflow, or tells the running one to read the contract again. */
export async function watchContract(deps: { temporal: Client; taskQueue: string }, staffId: string): Promise<void> {
  await deps.temporal.workflow.signalWithStart<typeof contractEndWorkflow>('contractEndWorkflow', {
    workflowId: contractEndWorkflowId(staffId),
    taskQueue: deps.taskQueue,
    args: [{ staffId }],
    signal: contractChangedSignal,
    signalArgs: [],
  });
}

/** At start-up: a contract-end workflow for every active outsourced member whose work was not handed back yet. */
export async function ensureContractTimers(deps: { db: Db; temporal: Client; taskQueue: string; log: Logger }): Promise<number> {
  const shop = await activeShop(deps.db);
  const members = await deps.db
    .select({ id: staff.id, roles: staff.roles })
    .from(staff)
    .where(and(eq(staff.active, true), isNull(staff.contractEndedAt)));
  const outsourced = members.filter((m) => holdsOutsourcedRole(m.roles, shop));
  for (const member of outsourced) await watchContract(deps, member.id);
  if (outsourced.length) deps.log.info({ members: outsourced.length }, 'outsourced contracts watched');
  return outsourced.length;
}
