import { and, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { orders, staff, tasks } from '../../db/schema';
import type { CompiledRole } from '../../definitions/types';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Picks who gets a new task of `role`, by the role's `autoAssign` in shop.yaml: a returning
 * customer's lead goes back to the rep who served them last (if still active); otherwise
 * round-robin or least-loaded among active staff of the role (and of the lead's channel, when
 * staff are tied to channels). No autoAssign → null: the task waits in the role's queue.
 * Runs inside the task-opening transaction, serialised per role so two tasks never race.
 */
export async function pickAssignee(
  tx: Tx,
  role: CompiledRole | undefined,
  ctx: { roleId: string; channel?: string; customerPhone?: string },
): Promise<string | null> {
  if (!role?.autoAssign) return null;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`assign:${ctx.roleId}`}))`);
  const candidates = (
    await tx
      .select({ id: staff.id, channels: staff.channels })
      .from(staff)
      // An outsourced member whose contract ended (and whose work was handed back) gets no new work.
      .where(and(eq(staff.active, true), isNull(staff.contractEndedAt), sql`${ctx.roleId} = any(${staff.roles})`))
      .orderBy(staff.id)
  )
    .filter((s) => !ctx.channel || s.channels.length === 0 || s.channels.includes(ctx.channel))
    .map((s) => s.id);
  if (candidates.length === 0) return null;

  if (role.autoAssign.returningCustomer === 'last-rep' && ctx.customerPhone) {
    const [last] = await tx
      .select({ assigneeId: tasks.assigneeId })
      .from(tasks)
      .innerJoin(orders, eq(orders.id, tasks.subjectId))
      .where(and(eq(orders.customerPhone, ctx.customerPhone), eq(tasks.role, ctx.roleId), isNotNull(tasks.assigneeId)))
      .orderBy(desc(tasks.createdAt))
      .limit(1);
    if (last?.assigneeId && candidates.includes(last.assigneeId)) return last.assigneeId;
  }

  if (role.autoAssign.strategy === 'least-loaded') {
    const loads = await tx
      .select({ assigneeId: tasks.assigneeId, open: sql<number>`count(*)::int` })
      .from(tasks)
      .where(and(eq(tasks.status, 'open'), sql`${tasks.assigneeId} in ${candidates}`))
      .groupBy(tasks.assigneeId);
    const load = new Map(loads.map((l) => [l.assigneeId, l.open]));
    return [...candidates].sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || a.localeCompare(b))[0]!;
  }
  // Round-robin: the candidate after whoever got this role's previous task.
  const [previous] = await tx
    .select({ assigneeId: tasks.assigneeId })
    .from(tasks)
    .where(and(eq(tasks.role, ctx.roleId), isNotNull(tasks.assigneeId)))
    .orderBy(desc(tasks.createdAt), desc(tasks.id))
    .limit(1);
  const index = previous?.assigneeId ? candidates.indexOf(previous.assigneeId) : -1;
  return candidates[(index + 1) % candidates.length]!;
}
