/**
 * How each member of staff wants to be told (`staff_preferences`), with the defaults for a person
 * who never chose, and their browsers' Web Push subscriptions. Read by the delivery enqueue (in
 * the notification's transaction) and by the preferences API.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { pushSubscriptions, staff, staffPreferences } from '../schema';
import type { QuietHours } from './quiet-hours';

/** Channels a member of staff can be reached on, beyond the inbox and the live stream. */
export const STAFF_CHANNELS = ['push', 'email', 'telegram', 'zalo'] as const;
export type StaffChannel = (typeof STAFF_CHANNELS)[number];

/** Notification priorities: `urgent` goes through quiet hours, `low` waits for the daily digest. */
export const NOTIFICATION_PRIORITIES = ['urgent', 'normal', 'low'] as const;
export type NotificationPriority = (typeof NOTIFICATION_PRIORITIES)[number];

/** A person's delivery preferences, complete (defaults filled in). */
export interface StaffPreferences {
  /** Channels per priority; `low` ones are sent as one daily digest per channel. */
  channels: Record<NotificationPriority, StaffChannel[]>;
  quietHours: QuietHours;
  /** Local `HH:MM` of the daily digest. */
  digestAt: string;
  telegramChatId: string | null;
  zaloUserId: string | null;
  /** Where e-mail goes when set; else the staff record's e-mail. */
  email: string | null;
  language: string;
}

/** What a person who never chose gets: push for everything, e-mail too when urgent, low items in a morning e-mail digest, quiet outside working hours. */
export const DEFAULT_PREFERENCES: StaffPreferences = {
  channels: { urgent: ['push', 'email'], normal: ['push'], low: ['email'] },
  quietHours: { mode: 'outside-working-hours' },
  digestAt: '08:00',
  telegramChatId: null,
  zaloUserId: null,
  email: null,
  language: 'vi',
};

type Reader = Pick<Db, 'select'>;

/** The stored row as complete preferences (an unknown priority or channel in the row is dropped). */
function fromRow(row: typeof staffPreferences.$inferSelect | undefined): StaffPreferences {
  if (!row) return structuredClone(DEFAULT_PREFERENCES);
  const channels = { ...DEFAULT_PREFERENCES.channels };
  for (const priority of NOTIFICATION_PRIORITIES) {
    const chosen = row.channels?.[priority];
    if (Array.isArray(chosen))
      channels[priority] = chosen.filter((c): c is StaffChannel => (STAFF_CHANNELS as readonly string[]).includes(c));
  }
  return {
    channels,
    quietHours: row.quietHours ?? DEFAULT_PREFERENCES.quietHours,
    digestAt: row.digestAt,
    telegramChatId: row.telegramChatId,
    zaloUserId: row.zaloUserId,
    email: row.email,
    language: row.language,
  };
}

/** One person's preferences, with whether they ever saved any. */
export async function preferencesOfStaff(db: Reader, staffId: string): Promise<{ preferences: StaffPreferences; saved: boolean }> {
  const [row] = await db.select().from(staffPreferences).where(eq(staffPreferences.staffId, staffId));
  return { preferences: fromRow(row), saved: Boolean(row) };
}

/** Stores a person's complete preferences (insert or replace). */
export async function savePreferences(db: Pick<Db, 'insert'>, staffId: string, p: StaffPreferences): Promise<void> {
  const values = {
    channels: p.channels,
    quietHours: p.quietHours,
    digestAt: p.digestAt,
    telegramChatId: p.telegramChatId,
    zaloUserId: p.zaloUserId,
    email: p.email,
    language: p.language,
    updatedAt: new Date(),
  };
  await db
    .insert(staffPreferences)
    .values({ staffId, ...values })
    .onConflictDoUpdate({ target: staffPreferences.staffId, set: values });
}

/** What the delivery enqueue needs of each person: preferences, the staff record's e-mail, active push subscriptions. */
export interface DeliveryContacts {
  preferences: Map<string, StaffPreferences>;
  emails: Map<string, string | null>;
  subscriptions: Array<{ id: number; staffId: string; endpoint: string }>;
}

/**
 * Preferences (defaults for a person who never chose), e-mail and push subscriptions in one
 * statement: the enqueue runs in every escalation's and assignment's transaction, where each round
 * trip is paid in the burst.
 */
export async function deliveryContactsOf(db: Reader, staffIds: string[]): Promise<DeliveryContacts> {
  const rows = staffIds.length
    ? await db
        .select({
          id: staff.id,
          email: staff.email,
          saved: staffPreferences,
          subscriptions: sql<Array<{ id: number; endpoint: string }>>`coalesce((
            select json_agg(json_build_object('id', ps.id, 'endpoint', ps.endpoint) order by ps.id)
            from ${pushSubscriptions} ps where ps.staff_id = ${staff.id} and ps.active), '[]'::json)`,
        })
        .from(staff)
        .leftJoin(staffPreferences, eq(staffPreferences.staffId, staff.id))
        .where(inArray(staff.id, staffIds))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    preferences: new Map(staffIds.map((id) => [id, fromRow(byId.get(id)?.saved ?? undefined)])),
    emails: new Map(rows.map((r) => [r.id, r.email])),
    subscriptions: rows.flatMap((r) => r.subscriptions.map((s) => ({ id: Number(s.id), staffId: r.id, endpoint: s.endpoint }))),
  };
}
