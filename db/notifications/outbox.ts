/**
 * The notification outbox: messages for roles and people (escalations, alerts, a courier's
 * unknown status, a task handed to someone), written once per dedupe key, each addressed to the
 * people it is for (their inbox rows, db/notifications/recipients.ts) in the same transaction,
 * which then wakes the live streams with pg_notify (delivered at commit, to every API replica).
 * Written by activities (a `notify` stage, escalation rungs, pacing alerts, low stock, task
 * assignment) and by routes (courier webhooks, reassignment), in the caller's transaction when it
 * passes one.
 */
import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Logger } from 'pino';
import type { Db } from '../client';
import { notifications } from '../schema';
import { addressNotification, INBOX_CHANNEL, inboxPayload, type Recipient } from './recipients';
import { enqueueStaffDeliveries } from './deliveries';

/** `low` (may wait for the daily digest), `normal`, `urgent` (toasts in the console; goes through quiet hours). */
export type NotificationPriority = 'low' | 'normal' | 'urgent';

/** A message for roles and/or people about a subject (an order, a task, a KPI period). */
export interface NotificationInput {
  roles: string[];
  staffIds?: string[];
  message: string;
  subject?: { type: string; id: string };
  taskId?: string | null;
  data?: Record<string, unknown>;
  /** Stable per notification, so a retried activity does not notify twice. */
  dedupeKey: string;
  /** Default `normal`. */
  priority?: NotificationPriority;
  /** What it is, for the console's icon: `escalation`, `assigned`, `notify`, `kpi`, `stock`, `courier`. Default `notify`. */
  kind?: string;
  /** The console path it opens (`/tasks/<id>`, `/orders/<id>`); default: the task's, else the subject's. */
  link?: string | null;
  /** The task's assignee (null: nobody) when the caller holds the task row already; else it is read. */
  taskAssigneeId?: string | null;
}

export type NotificationRow = typeof notifications.$inferSelect;

/** What was written: nothing when the dedupe key was already recorded (a retry). */
export interface RecordedNotification {
  created: boolean;
  notification?: NotificationRow;
  recipients: Recipient[];
}

/** The console path of a subject: the task when there is one, else the order, complaint, KPI period or product. */
export function linkOf(input: { taskId?: string | null; subject?: { type: string; id: string } }): string | null {
  if (input.taskId) return `/tasks/${encodeURIComponent(input.taskId)}`;
  const s = input.subject;
  if (!s) return null;
  if (s.type === 'order') return `/orders/${encodeURIComponent(s.id)}`;
  if (s.type === 'complaint') return `/complaints/${encodeURIComponent(s.id)}`;
  if (s.type === 'kpi_period') return '/dashboard';
  if (s.type === 'product') return '/stock';
  return null;
}

/** How a notification names what a task is about. */
export const subjectWord = (type: string) => (type === 'order' ? 'đơn' : type === 'complaint' ? 'khiếu nại' : type);

/** "A task was handed to you": at its opening (auto-assignment) and when it is reassigned to a person. */
export function taskAssigned(
  task: { id: string; title: string; subjectType: string; subjectId: string; priority: string },
  assigneeId: string,
  dedupeKey: string,
): NotificationInput {
  return {
    roles: [],
    staffIds: [assigneeId],
    message: `Bạn được giao việc “${task.title}” — ${subjectWord(task.subjectType)} ${task.subjectId}`,
    subject: { type: task.subjectType, id: task.subjectId },
    taskId: task.id,
    kind: 'assigned',
    priority: task.priority === 'urgent' ? 'urgent' : 'normal',
    dedupeKey,
    taskAssigneeId: assigneeId,
  };
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type DbOrTx = Pick<Db, 'transaction'>;

/**
 * Records a notification and its inbox rows and wakes the live streams; written once per dedupe
 * key (a retry writes nothing and answers `created: false`). Given a transaction, it writes in
 * it, so the rows commit or roll back with the caller's writes; given the database, in one of its own.
 */
export async function recordNotification(
  db: DbOrTx,
  log: Pick<Logger, 'info'> | null,
  input: NotificationInput,
): Promise<RecordedNotification> {
  // Inside the caller's transaction already: write there (a savepoint would cost two round trips).
  const within = <T>(work: (tx: Tx) => Promise<T>) => (db instanceof PgTransaction ? work(db as Tx) : db.transaction(work));
  const recorded = await within(async (tx) => {
    const [notification] = await tx
      .insert(notifications)
      .values({
        roles: input.roles,
        staffIds: input.staffIds ?? [],
        message: input.message,
        subjectType: input.subject?.type ?? null,
        subjectId: input.subject?.id ?? null,
        taskId: input.taskId ?? null,
        data: input.data ?? null,
        dedupeKey: input.dedupeKey,
        priority: input.priority ?? 'normal',
        kind: input.kind ?? 'notify',
        link: input.link === undefined ? linkOf(input) : input.link,
      })
      .onConflictDoNothing()
      .returning();
    if (!notification) return { created: false, recipients: [] } satisfies RecordedNotification;
    const recipients = await addressNotification(tx, notification, input.taskAssigneeId);
    if (recipients.length) await tx.execute(sql`select pg_notify(${INBOX_CHANNEL}, ${inboxPayload(recipients)})`);
    // Each person's chosen channels (push, e-mail, Telegram, Zalo): outbox rows the relays send off the workflows' path.
    await enqueueStaffDeliveries(tx, notification, recipients);
    return { created: true, notification, recipients } satisfies RecordedNotification;
  });
  if (recorded.created)
    log?.info(
      {
        notify: input.roles,
        staff: input.staffIds,
        subject: input.subject,
        taskId: input.taskId,
        kind: input.kind,
        recipients: recorded.recipients.length,
      },
      input.message,
    );
  return recorded;
}
