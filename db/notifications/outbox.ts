/**
 * The notification outbox: messages for roles and people (escalations, alerts, a courier's
 * unknown status), written once per dedupe key. The inbox, the console and delivery channels read
 * the same table. Written by activities (a `notify` stage, pacing alerts, low stock) and by the
 * courier webhook route, in the caller's transaction when it passes one.
 */
import type { Logger } from 'pino';
import type { Db } from '../client';
import { notifications } from '../schema';

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
}

/**
 * Records a notification (the inbox staff and the console read) and logs it; written once per
 * dedupe key. Delivery channels beyond the log (Zalo, email…) read the same table.
 */
export async function recordNotification(db: Pick<Db, 'insert'>, log: Logger, input: NotificationInput): Promise<boolean> {
  const inserted = await db
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
    })
    .onConflictDoNothing()
    .returning({ id: notifications.id });
  if (inserted.length)
    log.info({ notify: input.roles, staff: input.staffIds, subject: input.subject, taskId: input.taskId }, input.message);
  return inserted.length > 0;
}
