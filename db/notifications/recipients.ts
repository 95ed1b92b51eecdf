/**
 * Who a notification is for: the active staff holding any of its roles at send time (or the role
 * doing that role's work, shop.yaml `handledBy`), less outsourced members whose contract ended, the people
 * it names, and the task's assignee — less anyone whose scope is `own` when its subject is
 * outside what they may see. The same rule (`ownScopeSees`) filters each person's inbox when it
 * is read, so a notification never shows once its task or order has left the person's scope.
 */
import { and, arrayOverlaps, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { CompiledShop } from '../../definitions/types';
import { workingRole } from '../../definitions/shop/handled-by';
import { holdsOutsourcedRole } from '../../definitions/shop/outsourcing';
import type { Db } from '../client';
import { activeShop } from '../active-shop';
import { notificationRecipients, notifications, staff, tasks } from '../schema';

/**
 * The live stream's channel: a payload names the new inbox rows, `staffId:rowId,…` (`*` when too
 * many: every stream looks). Rows are named because ids are taken at insert and transactions
 * commit in any order: a row may commit after a later id was already sent, and a stream reading
 * only "after the last id" would skip it.
 */
export const INBOX_CHANNEL = 'shopflow_inbox';
/** The channel the `tasks` trigger notifies on (migration 0011): one task row that changed, as JSON. */
export const TASKS_CHANNEL = 'shopflow_tasks';

/** pg_notify payloads must stay under 8,000 bytes; beyond this every stream looks. */
const MAX_PAYLOAD = 7_000;

/** The NOTIFY payload naming these inbox rows. */
export function inboxPayload(rows: Array<{ id: number; staffId: string }>): string {
  const payload = rows.map((r) => `${r.staffId}:${r.id}`).join(',');
  return payload.length <= MAX_PAYLOAD ? payload : '*';
}

/** The rows a payload names, per person; undefined for `*` (anyone's). */
export function parseInboxPayload(payload: string): Map<string, number[]> | undefined {
  if (payload === '*') return undefined;
  const rows = new Map<string, number[]>();
  for (const pair of payload.split(',')) {
    const at = pair.lastIndexOf(':');
    const id = Number(pair.slice(at + 1));
    if (at <= 0 || !Number.isSafeInteger(id)) continue;
    const staffId = pair.slice(0, at);
    rows.set(staffId, [...(rows.get(staffId) ?? []), id]);
  }
  return rows;
}

/** Subject types whose records scope `own` narrows when the notification names no task. */
const SCOPED_SUBJECTS = ['order', 'complaint'];

/**
 * Whether a person of scope `own` (`who`, holding `roles`) may see a notification: its task must
 * be theirs or unassigned in one of their roles (as the task list shows it); without a task, an
 * order or complaint must have a task they hold (as the order list shows it). Other subjects (a
 * KPI period, a product's stock) go to whoever they are addressed to.
 */
export function ownScopeSees(who: SQL | string, roles: SQL | string[]): SQL {
  const rolesSql = Array.isArray(roles) ? sql`${sql.param(roles)}::text[]` : roles;
  return sql`(
    case when ${notifications.taskId} is not null then exists (
      select 1 from ${tasks} t where t.id = ${notifications.taskId}
        and (t.assignee_id = ${who} or (t.assignee_id is null and t.role = any(${rolesSql}))))
    when ${notifications.subjectType} in (${sql.join(
      SCOPED_SUBJECTS.map((s) => sql`${s}`),
      sql`, `,
    )}) then exists (
      select 1 from ${tasks} t where t.subject_id = ${notifications.subjectId} and t.assignee_id = ${who})
    else true end)`;
}

/** Whether a member holding these roles sees only their own records (no role of scope `all`, no `*`). */
export function scopeIsOwn(roles: string[], shop: CompiledShop | undefined): boolean {
  if (!shop) return false;
  if (holdsOutsourcedRole(roles, shop)) return true; // outside staff see only their own, whatever else they hold
  for (const id of roles) {
    const role = Object.hasOwn(shop.roles, id) ? shop.roles[id] : undefined;
    if (role && (role.scope === 'all' || (role.permissions as readonly string[]).includes('*'))) return false;
  }
  return true;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Recipient = typeof notificationRecipients.$inferSelect;

/** The shop's roles change rarely; every notification needs them (like the task activities' 2 s cache). */
const SHOP_TTL_MS = 2_000;
let shopCache: { shop: CompiledShop | undefined; at: number } | undefined;
async function shopOf(tx: Tx): Promise<CompiledShop | undefined> {
  if (shopCache && Date.now() - shopCache.at < SHOP_TTL_MS) return shopCache.shop;
  const shop = await activeShop(tx as unknown as Db);
  shopCache = { shop, at: Date.now() };
  return shop;
}

/** Writes one inbox row per person the notification `id` is for (in the caller's transaction) and returns them. */
export async function addressNotification(
  tx: Tx,
  notification: { id: number; roles: string[]; staffIds: string[]; taskId: string | null },
  /** The task's assignee when the caller has just read or set it (saves reading it again). */
  knownAssigneeId?: string | null,
): Promise<Recipient[]> {
  // Only a task has an assignee; the caller may already hold it.
  let assigneeId: string | null = notification.taskId ? (knownAssigneeId ?? null) : null;
  if (notification.taskId && knownAssigneeId === undefined) {
    const [task] = await tx.select({ assigneeId: tasks.assigneeId }).from(tasks).where(eq(tasks.id, notification.taskId));
    assigneeId = task?.assigneeId ?? null;
  }
  const named = [...new Set([...notification.staffIds, ...(assigneeId ? [assigneeId] : [])])];
  const shop = await shopOf(tx);
  // A role handled by another (shop.yaml handledBy: cskh handled by sales) is told through the role doing its work.
  const roles = [...new Set(notification.roles.flatMap((r) => [r, workingRole(shop, r)]))];
  const who: SQL[] = [];
  if (roles.length) who.push(arrayOverlaps(staff.roles, roles));
  if (named.length) who.push(inArray(staff.id, named));
  if (!who.length) return [];
  const candidates = await tx
    .select({ id: staff.id, roles: staff.roles })
    .from(staff)
    // An outsourced member whose contract ended hears nothing more (their work went back in-house).
    .where(and(eq(staff.active, true), isNull(staff.contractEndedAt), or(...who)));
  if (!candidates.length) return [];
  const reasonOf = (c: { id: string; roles: string[] }) =>
    c.id === assigneeId
      ? 'assignee'
      : notification.staffIds.includes(c.id)
        ? 'staff'
        : `role:${c.roles.find((r) => notification.roles.includes(r)) ?? c.roles.find((r) => roles.includes(r))}`;
  const ids = candidates.map((c) => c.id);
  const reasons = candidates.map(reasonOf);
  const own = candidates.map((c) => scopeIsOwn(c.roles, shop));
  // One statement: each candidate with its reason, those of scope `own` only where they may see the subject.
  const result = await tx.execute(sql`
    insert into ${notificationRecipients} (notification_id, staff_id, reason)
    select ${notifications.id}, c.staff_id, c.reason
    from ${notifications}
    cross join unnest(${sql.param(ids)}::text[], ${sql.param(reasons)}::text[], ${sql.param(own)}::boolean[]) as c(staff_id, reason, own)
    join ${staff} s on s.id = c.staff_id
    where ${notifications.id} = ${notification.id} and (not c.own or ${ownScopeSees(sql`c.staff_id`, sql`s.roles`)})
    on conflict do nothing
    returning id, notification_id, staff_id, reason, read_at, at`);
  const rows = (result as unknown as { rows: Array<Record<string, unknown>> }).rows;
  return rows.map((r) => ({
    id: Number(r.id),
    notificationId: Number(r.notification_id),
    staffId: String(r.staff_id),
    reason: String(r.reason),
    readAt: r.read_at ? new Date(r.read_at as string) : null,
    at: new Date(r.at as string),
  }));
}
