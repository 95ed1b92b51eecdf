import crypto from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { complaintEvents, complaints, customers, definitionVersions, orders, taskEvents, tasks } from '../../db/schema';
import { readableResolution } from './readable';
import type { CompiledComplaintProcess } from '../../definitions/types';
import type { ComplaintWorkflowInput } from '../../workflows/complaints/complaint';
import type { Principal } from '../http/auth';
import type { CustomersStore } from '../customers/customers';
import { customerVisibleTo } from '../customers/customers';
import type { DefinitionsStore } from '../shop/definitions';
import { HttpError, unprocessable } from '../http/errors';
import { createIdempotency, idempotencyKeyOf, replayAsRetry } from '../http/idempotency';
import { afterCursor, pageOf } from '../http/pagination';
import { toTaskView } from '../tasks/tasks';

/** A complaint as staff file it (schema-checked at the HTTP edge). */
export interface ComplaintInput {
  customerId?: string;
  phone?: string;
  orderId?: string;
  category: string;
  description: string;
}

/** Filters of `GET /complaints`. */
export interface ComplaintFilter {
  status?: 'open' | 'resolved' | 'rejected';
  customerId?: string;
  limit: number;
  cursor?: string;
}

type ComplaintRow = typeof complaints.$inferSelect;

/** Workflow id of a complaint: business-derived, so filing the same complaint twice is refused. */
export const complaintWorkflowId = (complaintId: string) => `complaint:${complaintId}`;

/** KN + date + 8 characters; derived from the Idempotency-Key when there is one (a retry maps to the same complaint). */
export function newComplaintId(now: Date, idempotencyKey?: string): string {
  const day = now.toISOString().slice(2, 10).replace(/-/g, '');
  const suffix = idempotencyKey
    ? crypto.createHash('sha256').update(`complaint:${idempotencyKey}`).digest('hex').slice(0, 8).toUpperCase()
    : crypto.randomBytes(4).toString('hex').toUpperCase();
  return `KN${day}-${suffix}`;
}

export function toComplaintView(row: ComplaintRow) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: row.id,
    workflowId: row.workflowId,
    customerId: row.customerId,
    orderId: row.orderId,
    category: row.category,
    description: row.description,
    status: row.status,
    outcome: row.outcome,
    resolution: row.resolution,
    openedBy: row.openedBy,
    resolvedBy: row.resolvedBy,
    openedAt: row.openedAt.toISOString(),
    dueAt: iso(row.dueAt),
    resolvedAt: iso(row.resolvedAt),
    resolvedWithinSla: row.resolvedWithinSla,
    followUpTaskId: row.followUpTaskId,
    followUpDoneAt: iso(row.followUpDoneAt),
    closedAt: iso(row.closedAt),
    definition: { name: row.definitionName, version: row.definitionVersion },
  };
}

/** What filing a complaint answers (also the answer kept for its Idempotency-Key). */
export interface FiledComplaint {
  complaint: ReturnType<typeof toComplaintView> | null;
  complaintId: string;
  workflowId: string;
  created: boolean;
  assignedTo: string | null;
}

/** Complaints: filing one starts `complaint:<id>`; reads come from the `complaints` read model. */
export function createComplaintsStore(deps: {
  db: Db;
  temporal: Client;
  taskQueue: string;
  definitions: DefinitionsStore;
  customers: CustomersStore;
}) {
  const { db } = deps;
  const keyed = createIdempotency(db);
  const invalid = (field: string, message: string) => unprocessable('the complaint is invalid', { fields: [{ field, message }] });

  /** Checks the complaint against the customer, the order and the active ComplaintProcess, then starts its workflow (once per derived id). */
  async function fileOnce(input: ComplaintInput, opts: { actor: string; idempotencyKey?: string }): Promise<FiledComplaint> {
    if (!input.customerId && !input.phone) throw invalid('customerId', 'give customerId or phone');
    const customer = input.customerId ? await deps.customers.survivorOf(input.customerId) : await deps.customers.findByPhone(input.phone!);
    if (!customer)
      throw input.customerId
        ? invalid('customerId', `no customer "${input.customerId}"`)
        : invalid('phone', `no customer with phone "${input.phone}" — create the customer first (POST /api/v1/customers)`);
    if (input.orderId) {
      const [order] = await db.select({ customerId: orders.customerId }).from(orders).where(eq(orders.id, input.orderId));
      if (!order) throw invalid('orderId', `no order "${input.orderId}"`);
      if (order.customerId !== customer.id) throw invalid('orderId', `order ${input.orderId} is not an order of customer ${customer.id}`);
    }
    const definition = await deps.definitions.activeOfKind<CompiledComplaintProcess>('ComplaintProcess');
    if (!definition) throw new HttpError(409, 'no_active_process', 'no complaint process is active: activate a ComplaintProcess first');
    const categories = definition.compiled.categories.map((c) => c.id);
    if (!categories.includes(input.category))
      throw invalid('category', `unknown category "${input.category}" — categories: ${categories.join(', ')}`);

    const complaintId = newComplaintId(new Date(), opts.idempotencyKey ? `${opts.actor}:${opts.idempotencyKey}` : undefined);
    const workflowId = complaintWorkflowId(complaintId);
    const args: ComplaintWorkflowInput = {
      complaintId,
      definition: { name: definition.name, version: definition.version, process: definition.compiled },
      complaint: {
        customerId: customer.id,
        customerName: customer.name,
        customerPhone: customer.phone,
        orderId: input.orderId ?? null,
        category: input.category,
        description: input.description.trim(),
        openedBy: opts.actor,
      },
    };
    let created = true;
    try {
      await deps.temporal.workflow.start('complaintWorkflow', { workflowId, taskQueue: deps.taskQueue, args: [args] });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError && opts.idempotencyKey)) throw err;
      created = false;
    }
    // The workflow writes the row, then opens the CSKH task: wait briefly so the answer carries
    // the due time and who got the task (as POST /leads does).
    let row: ComplaintRow | undefined;
    let task: { assigneeId: string | null } | undefined;
    for (let i = 0; i < 30 && !(row && task); i++) {
      [row] = await db.select().from(complaints).where(eq(complaints.id, complaintId));
      [task] = await db
        .select({ assigneeId: tasks.assigneeId })
        .from(tasks)
        .where(and(eq(tasks.subjectType, 'complaint'), eq(tasks.subjectId, complaintId)))
        .limit(1);
      if (!(row && task)) await new Promise((r) => setTimeout(r, 100));
    }
    return { complaint: row ? toComplaintView(row) : null, complaintId, workflowId, created, assignedTo: task?.assigneeId ?? null };
  }

  return {
    /** The categories a complaint may be filed under: the active ComplaintProcess's (none when none is active). */
    async categories(): Promise<{ process: { name: string; version: number } | null; categories: Array<{ id: string; title: string }> }> {
      const definition = await deps.definitions.activeOfKind<CompiledComplaintProcess>('ComplaintProcess');
      if (!definition) return { process: null, categories: [] };
      return {
        process: { name: definition.name, version: definition.version },
        categories: definition.compiled.categories.map((c) => ({ id: c.id, title: c.title })),
      };
    },

    /** Validates the complaint against the customer, the order and the active ComplaintProcess, then starts its workflow. */
    async file(input: ComplaintInput, opts: { actor: string; idempotencyKey?: string }): Promise<FiledComplaint> {
      // The key is claimed with this body's hash first: another body under it is 409 and files nothing.
      const key = idempotencyKeyOf(opts.idempotencyKey);
      const answer = await keyed.claimed(
        { scope: 'complaint', actor: opts.actor, key, body: input },
        async () => {
          const filed = await fileOnce(input, { actor: opts.actor, idempotencyKey: key });
          return { status: filed.created ? 201 : 200, body: filed };
        },
        replayAsRetry,
      );
      return answer.body as FiledComplaint;
    },
    async list(p: Principal, f: ComplaintFilter) {
      const rows = await db
        .select()
        .from(complaints)
        .where(
          and(
            customerVisibleTo(p, sql`${complaints.customerId}`),
            f.status ? eq(complaints.status, f.status) : undefined,
            f.customerId ? eq(complaints.customerId, f.customerId) : undefined,
            afterCursor(f.cursor, complaints.openedAt, complaints.id),
          ),
        )
        .orderBy(desc(complaints.openedAt), desc(complaints.id))
        .limit(f.limit + 1);
      const { page, nextCursor } = pageOf(
        rows.map((r) => ({ ...r, createdAt: r.openedAt })),
        f.limit,
      );
      return { complaints: page.map(toComplaintView), nextCursor };
    },

    /** The complaint with its customer, tasks (intake, follow-up, escalation follow-ups) and timeline, if the caller may see it. */
    async detail(p: Principal, id: string) {
      const [row] = await db
        .select()
        .from(complaints)
        .where(and(eq(complaints.id, id), customerVisibleTo(p, sql`${complaints.customerId}`)));
      if (!row) return undefined;
      const [customerRows, taskRows, events] = await Promise.all([
        db
          .select({ id: customers.id, name: customers.name, phone: customers.phone, segment: customers.segment })
          .from(customers)
          .where(eq(customers.id, row.customerId)),
        db
          .select()
          .from(tasks)
          .where(and(eq(tasks.subjectType, 'complaint'), eq(tasks.subjectId, id)))
          .orderBy(asc(tasks.createdAt)),
        db.select().from(complaintEvents).where(eq(complaintEvents.complaintId, id)).orderBy(asc(complaintEvents.id)),
      ]);
      const titles = new Map(taskRows.map((t) => [t.id, t.title]));
      const taskEventRows = titles.size
        ? await db
            .select()
            .from(taskEvents)
            .where(inArray(taskEvents.taskId, [...titles.keys()]))
            .orderBy(asc(taskEvents.id))
        : [];
      const now = Date.now();
      // The outcome and what was entered with it, in the words of the process version the complaint runs.
      const [version] = await db
        .select({ compiled: definitionVersions.compiled })
        .from(definitionVersions)
        .where(and(eq(definitionVersions.name, row.definitionName), eq(definitionVersions.version, row.definitionVersion)));
      const process =
        (version?.compiled as CompiledComplaintProcess | undefined)?.kind === 'ComplaintProcess'
          ? (version!.compiled as CompiledComplaintProcess)
          : undefined;
      const readable = readableResolution(process, row.outcome, row.resolution as Record<string, unknown> | null);
      return {
        ...toComplaintView(row),
        outcomeTitle: readable.outcomeTitle,
        categoryTitle: Object.hasOwn(readable.categoryTitles, row.category) ? readable.categoryTitles[row.category]! : null,
        resolutionFields: readable.fields,
        customer: customerRows[0] ?? null,
        tasks: taskRows.map((t) => toTaskView(t, now)),
        timeline: [
          ...events.map((e) => ({ at: e.at.toISOString(), type: e.type, actor: e.actor, data: e.data })),
          ...taskEventRows.map((e) => ({
            at: e.at.toISOString(),
            type: `task_${e.type}`,
            taskId: e.taskId,
            task: titles.get(e.taskId),
            actor: e.actor,
            data: e.data,
          })),
        ].sort((a, b) => a.at.localeCompare(b.at)),
      };
    },
  };
}

export type ComplaintsStore = ReturnType<typeof createComplaintsStore>;
