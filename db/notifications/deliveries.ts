/**
 * The delivery outbox's producer side: in the transaction that records a notification and its
 * recipients, one `message_deliveries` row per recipient × channel the person chose for the
 * notification's priority, with the absolute deep link. Quiet hours hold non-urgent rows
 * (`held` until they end); low-priority rows wait for the person's daily digest. A wake-up
 * (`pg_notify`, delivered at commit) tells the relays in the workers to look now.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import { activeShop } from '../active-shop';
import { messageDeliveries } from '../schema';
import { nextDigestAt, quietHoursEnd } from './quiet-hours';
import { deliveryContactsOf, type NotificationPriority, type StaffChannel, type StaffPreferences } from './preferences';
import type { CompiledWorkingHours } from '../../definitions/rules/business-time';

/** The PostgreSQL channel relays LISTEN on. */
export const DELIVERIES_WAKE_CHANNEL = 'shopflow_deliveries';

/** The part of a notification delivery needs. */
export interface DeliveryNotification {
  id: number;
  message: string;
  priority?: string | null;
  kind?: string | null;
  /** The console path (`/tasks/tsk_…`); made absolute with PUBLIC_URL. */
  link?: string | null;
}

/** One person's inbox row of it. */
export interface DeliveryRecipient {
  id: number;
  staffId: string;
}

/** Titles per notification kind, for the channels that show one (e-mail subject, push title). */
const TITLES: Record<string, string> = {
  escalation: 'Việc trễ hạn cần xử lý',
  alert: 'Cảnh báo',
  stock: 'Sắp hết hàng',
  courier: 'Tin từ hãng vận chuyển',
  task: 'Việc mới',
  assigned: 'Bạn được giao việc',
  kpi: 'KPI',
};

/** The console's public root (PUBLIC_URL, validated at start-up by server/platform/config.ts). */
export function publicUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.PUBLIC_URL?.trim() || `http://localhost:${env.PORT?.trim() || 3000}`).replace(/\/+$/, '');
}

/** The absolute deep link of a console path, or the console's root. */
export function deepLink(link: string | null | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return `${publicUrl(env)}${link && link.startsWith('/') ? link : '/'}`;
}

/** A priority as delivery reads it (an unknown one counts as normal). */
export function priorityOf(priority: string | null | undefined): NotificationPriority {
  return priority === 'urgent' || priority === 'low' ? priority : 'normal';
}

/** When a row of this person's may go out, and whether it waits for the digest. */
export function releaseOf(nowMs: number, priority: NotificationPriority, prefs: StaffPreferences, hours: CompiledWorkingHours) {
  if (priority === 'low') return { at: nextDigestAt(nowMs, prefs.digestAt, hours.utcOffsetMinutes), digest: true };
  return { at: quietHoursEnd(nowMs, priority, prefs.quietHours, hours), digest: false };
}

type Tx = Pick<Db, 'select' | 'insert' | 'execute'>;

/** The shop's working hours change rarely and every notification needs them (like the recipients' 2 s shop cache). */
const HOURS_TTL_MS = 2_000;
let hoursCache: { hours: CompiledWorkingHours; at: number } | undefined;
const FALLBACK_HOURS: CompiledWorkingHours = {
  timezone: 'Asia/Ho_Chi_Minh',
  utcOffsetMinutes: 420,
  weekly: { sun: [], mon: [], tue: [], wed: [], thu: [], fri: [], sat: [] },
  daysOff: [],
};
async function workingHoursOf(tx: Tx): Promise<CompiledWorkingHours> {
  if (hoursCache && Date.now() - hoursCache.at < HOURS_TTL_MS) return hoursCache.hours;
  const hours = (await activeShop(tx as Db))?.workingHours ?? FALLBACK_HOURS;
  hoursCache = { hours, at: Date.now() };
  return hours;
}

/**
 * Writes the deliveries of one notification for its recipients, in the caller's transaction.
 * Idempotent: the dedupe key is per (recipient row, channel[, push subscription]), so a producer
 * retried after a crash never queues a message twice. Channels the person has no address for
 * (no Telegram chat id, no push subscription…) are skipped. Returns the number of rows written.
 */
export async function enqueueStaffDeliveries(
  tx: Tx,
  notification: DeliveryNotification,
  recipients: DeliveryRecipient[],
  now: Date = new Date(),
): Promise<number> {
  if (!recipients.length) return 0;
  const staffIds = [...new Set(recipients.map((r) => r.staffId))];
  const { preferences: prefs, emails, subscriptions } = await deliveryContactsOf(tx, staffIds);
  const hours = await workingHoursOf(tx);
  const priority = priorityOf(notification.priority);
  const link = deepLink(notification.link);
  const title = TITLES[notification.kind ?? ''] ?? 'Thông báo';
  const rows: Array<typeof messageDeliveries.$inferInsert> = [];
  for (const recipient of recipients) {
    const p = prefs.get(recipient.staffId)!;
    const release = releaseOf(now.getTime(), priority, p, hours);
    const addresses = (channel: StaffChannel): Array<{ address: string; key: string; extra?: Record<string, unknown> }> => {
      switch (channel) {
        case 'email': {
          const email = p.email ?? emails.get(recipient.staffId);
          return email ? [{ address: email, key: 'email' }] : [];
        }
        case 'telegram':
          return p.telegramChatId ? [{ address: p.telegramChatId, key: 'telegram' }] : [];
        case 'zalo':
          return p.zaloUserId ? [{ address: p.zaloUserId, key: 'zalo' }] : [];
        case 'push':
          return subscriptions
            .filter((s) => s.staffId === recipient.staffId)
            .map((s) => ({ address: s.endpoint, key: `push:${s.id}`, extra: { subscriptionId: s.id } }));
      }
    };
    for (const channel of new Set(p.channels[priority])) {
      for (const { address, key, extra } of addresses(channel)) {
        rows.push({
          dedupeKey: `n:${recipient.id}:${key}`,
          audience: 'staff',
          recipientId: recipient.id,
          staffId: recipient.staffId,
          channel,
          address,
          payload: {
            title,
            text: notification.message,
            link,
            notificationId: notification.id,
            kind: notification.kind ?? 'notify',
            ...(release.digest ? { digest: true } : {}),
            ...extra,
          },
          priority,
          status: release.at > now.getTime() ? 'held' : 'pending',
          nextAttemptAt: new Date(release.at),
          createdAt: now,
        });
      }
    }
  }
  if (!rows.length) return 0;
  const written = await tx.insert(messageDeliveries).values(rows).onConflictDoNothing().returning({ id: messageDeliveries.id });
  if (rows.some((r) => r.status === 'pending')) await wakeDeliveryRelays(tx);
  return written.length;
}

/** Tells the relays listening (LISTEN shopflow_deliveries) that rows are due; sent when the caller's transaction commits. */
export async function wakeDeliveryRelays(tx: Pick<Db, 'execute'>): Promise<void> {
  await tx.execute(sql`select pg_notify(${DELIVERIES_WAKE_CHANNEL}, '')`);
}
