/**
 * Complaint book-keeping for `complaint:<id>`: the complaint row (the read model lists, detail
 * pages and KPI queries read), its timeline events, and the customer contact its CSKH task made.
 * Every write is idempotent (Temporal retries activities).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { complaintEvents, complaints, customerContacts, customers } from '../../db/schema';

/** What the workflow knows when a complaint opens; times come from the workflow, so retries agree. */
export interface ComplaintOpenedInput {
  complaintId: string;
  workflowId: string;
  customerId: string;
  orderId: string | null;
  category: string;
  description: string;
  openedBy: string;
  openedAt: string;
  dueAt: string;
  definition: { name: string; version: number };
}

export function createComplaintActivities(deps: { db: Db }) {
  const { db } = deps;

  const event = (tx: Pick<Db, 'insert'>, complaintId: string, type: string, actor: string | null, data: Record<string, unknown>) =>
    tx
      .insert(complaintEvents)
      .values({ complaintId, type, actor, data, dedupeKey: `${complaintId}:${type}` })
      .onConflictDoNothing();

  return {
    /** Creates the complaint row and its `opened` event; running twice changes nothing. */
    async recordComplaintOpened(input: ComplaintOpenedInput): Promise<void> {
      await db.transaction(async (tx) => {
        await tx
          .insert(complaints)
          .values({
            id: input.complaintId,
            workflowId: input.workflowId,
            customerId: input.customerId,
            orderId: input.orderId,
            category: input.category,
            description: input.description,
            status: 'open',
            openedBy: input.openedBy,
            openedAt: new Date(input.openedAt),
            dueAt: new Date(input.dueAt),
            definitionName: input.definition.name,
            definitionVersion: input.definition.version,
          })
          .onConflictDoNothing();
        await event(tx, input.complaintId, 'opened', input.openedBy, {
          category: input.category,
          orderId: input.orderId,
          dueAt: input.dueAt,
        });
      });
    },

    /**
     * CSKH settled the complaint: status, outcome, what they entered, when (database time) and
     * whether that was within the SLA. Also records the contact with the customer. Only an open
     * complaint changes, so a retry keeps the first answer.
     */
    async recordComplaintDecision(input: {
      complaintId: string;
      taskId: string;
      stage: string;
      outcome: string;
      status: 'resolved' | 'rejected';
      data: Record<string, unknown>;
      actor: string;
      followUp: boolean;
    }): Promise<{ resolvedAt: string; resolvedWithinSla: boolean | null }> {
      return db.transaction(async (tx) => {
        await tx
          .update(complaints)
          .set({
            status: input.status,
            outcome: input.outcome,
            resolution: { decision: input.data },
            resolvedBy: input.actor,
            resolvedAt: sql`now()`,
            resolvedWithinSla: sql`now() <= ${complaints.dueAt}`,
            ...(input.followUp ? {} : { closedAt: sql`now()` }),
          })
          .where(and(eq(complaints.id, input.complaintId), eq(complaints.status, 'open')));
        const [row] = await tx.select().from(complaints).where(eq(complaints.id, input.complaintId));
        if (!row) throw new Error(`complaint ${input.complaintId} does not exist`);
        await event(tx, input.complaintId, input.status, input.actor, {
          outcome: input.outcome,
          resolvedWithinSla: row.resolvedWithinSla,
          ...input.data,
        });
        const [customer] = await tx.select({ segment: customers.segment }).from(customers).where(eq(customers.id, row.customerId));
        await tx
          .insert(customerContacts)
          .values({
            customerId: row.customerId,
            kind: 'complaint',
            taskId: input.taskId,
            orderId: row.orderId,
            complaintId: row.id,
            stage: input.stage,
            staffId: input.actor,
            outcome: input.outcome,
            segment: customer?.segment ?? null,
            at: row.resolvedAt ?? new Date(),
          })
          .onConflictDoNothing();
        return { resolvedAt: row.resolvedAt!.toISOString(), resolvedWithinSla: row.resolvedWithinSla };
      });
    },

    /** The outcome's follow-up task (resend, refund, courier claim) is done: the complaint is closed. */
    async recordComplaintFollowUpDone(input: {
      complaintId: string;
      taskId: string;
      data: Record<string, unknown>;
      actor: string;
    }): Promise<void> {
      await db.transaction(async (tx) => {
        await tx
          .update(complaints)
          .set({
            followUpTaskId: input.taskId,
            followUpDoneAt: sql`now()`,
            closedAt: sql`now()`,
            resolution: sql`coalesce(${complaints.resolution}, '{}'::jsonb) || ${JSON.stringify({ followUp: { taskId: input.taskId, by: input.actor, ...input.data } })}::jsonb`,
          })
          .where(and(eq(complaints.id, input.complaintId), sql`${complaints.followUpDoneAt} is null`));
        await event(tx, input.complaintId, 'follow_up_done', input.actor, { taskId: input.taskId, ...input.data });
      });
    },
  };
}
