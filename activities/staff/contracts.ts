/**
 * Outsourced contracts ending: what the contract-end workflow reads (when a member's contract
 * ends) and what it does then (their open work goes back to the in-house role, once).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import { activeShop } from '../../db/active-shop';
import { recordNotification, taskAssigned } from '../../db/notifications/outbox';
import { staff, taskEvents, tasks } from '../../db/schema';
import { contractEnded, memberContract } from '../../definitions/shop/outsourcing';
import { ownEntry } from '../../definitions/rules/own';
import { pickAssignee } from '../tasks/assignment';

/** A member's contract as the workflow waits on it. */
export interface ContractState {
  /** False: not (or no longer) an active outsourced member, so there is nothing to wait for. */
  outsourced: boolean;
  /** When it ends (epoch ms); null: no end set yet. */
  endsAtMs: number | null;
  /** Their work was already handed back. */
  handedBack: boolean;
}

/** What a hand-back did. */
export interface HandBackResult {
  /** False when the contract had not ended after all (it was extended meanwhile). */
  ended: boolean;
  handBackTo?: string;
  /** Open tasks moved to the in-house role. */
  tasks: string[];
}

export function createContractActivities(deps: { db: Db; log: Logger }) {
  return {
    async contractState(input: { staffId: string }): Promise<ContractState> {
      const [member] = await deps.db.select().from(staff).where(eq(staff.id, input.staffId));
      const contract = member?.active ? memberContract(member, await activeShop(deps.db)) : undefined;
      if (!member || !contract) return { outsourced: false, endsAtMs: null, handedBack: false };
      return {
        outsourced: true,
        endsAtMs: contract.endsAt ? Date.parse(contract.endsAt) : null,
        handedBack: member.contractEndedAt !== null,
      };
    },

    /**
     * Once the contract is over: marks the member's contract ended (auto-assignment skips them from
     * now on) and moves each of their open tasks to the in-house role — to the person its
     * autoAssign picks, else its queue — with a `reassigned` event and notifications. Safe to
     * retry: a second run finds the contract already marked and nothing open in their name.
     */
    async handBackContractorWork(input: { staffId: string }): Promise<HandBackResult> {
      const shop = await activeShop(deps.db);
      return deps.db.transaction(async (tx) => {
        const [member] = await tx.select().from(staff).where(eq(staff.id, input.staffId)).for('update');
        const contract = member ? memberContract(member, shop) : undefined;
        if (!member || !contract || !contractEnded(member, contract, Date.now())) return { ended: false, tasks: [] };
        if (member.contractEndedAt === null) {
          await tx
            .update(staff)
            .set({ contractEndedAt: sql`now()` })
            .where(eq(staff.id, member.id));
        }
        const target = contract.handBackTo;
        const open = await tx
          .select()
          .from(tasks)
          .where(and(eq(tasks.assigneeId, member.id), eq(tasks.status, 'open')))
          .orderBy(tasks.createdAt, tasks.id)
          .for('update');
        const moved: string[] = [];
        for (const task of open) {
          const summary = task.summary ?? {};
          const assigneeId = await pickAssignee(tx, ownEntry(shop?.roles, target), {
            roleId: target,
            channel: typeof summary.channel === 'string' ? summary.channel : undefined,
          });
          await tx.update(tasks).set({ role: target, assigneeId, claimedAt: null }).where(eq(tasks.id, task.id));
          await tx
            .insert(taskEvents)
            .values({
              taskId: task.id,
              type: 'reassigned',
              actor: null,
              dedupeKey: `${task.id}:contract-ended:${member.id}`,
              data: {
                reason: 'contract-ended',
                from: { role: task.role, assigneeId: member.id },
                to: { role: target, assigneeId },
              },
            })
            .onConflictDoNothing();
          if (assigneeId)
            await recordNotification(tx, deps.log, taskAssigned(task, assigneeId, `${task.id}:contract-ended:${member.id}:assigned`));
          moved.push(task.id);
        }
        const targetTitle = ownEntry(shop?.roles, target)?.title ?? target;
        await recordNotification(tx, deps.log, {
          roles: [target],
          message: `Hợp đồng cộng tác của ${member.name} đã kết thúc: ${moved.length} việc đang mở được chuyển lại cho ${targetTitle}.`,
          data: { staffId: member.id, tasks: moved },
          kind: 'notify',
          dedupeKey: `contract-ended:${member.id}:${contract.endsAt ?? 'handed-back'}`,
        });
        deps.log.info({ staffId: member.id, handBackTo: target, tasks: moved.length }, 'outsourced contract ended; open work handed back');
        return { ended: true, handBackTo: target, tasks: moved };
      });
    },
  };
}

export type ContractActivities = ReturnType<typeof createContractActivities>;
