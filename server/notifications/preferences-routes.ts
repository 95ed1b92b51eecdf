/**
 * `/me/preferences`, `/me/push/public-key`, `/me/push-subscriptions` (any staff member, for
 * themselves) and `/notifications/{id}/deliveries` (its recipients, and managers who may read its
 * subject). Bodies are checked by their contract schemas; the checks a schema cannot say (custom
 * quiet hours need both times, a Telegram channel needs a chat id, the push keys' sizes) answer
 * 422 naming the field, and nothing is saved.
 */
import { Router, type Request } from 'express';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { messageAttempts, messageDeliveries, notificationRecipients, notifications, pushSubscriptions, staff } from '../../db/schema';
import {
  NOTIFICATION_PRIORITIES,
  preferencesOfStaff,
  savePreferences,
  type StaffChannel,
  type StaffPreferences,
} from '../../db/notifications/preferences';
import type { Permission } from '../../definitions/types';
import { can } from '../http/auth';
import { body } from '../http/contract';
import { notFound, unprocessable } from '../http/errors';
import { PreferencesBody, PushSubscriptionBody } from './preferences-contract';

type FieldError = { field: string; message: string };

const hostOf = (endpoint: string) => {
  try {
    return new URL(endpoint).host;
  } catch {
    return '';
  }
};

const subscriptionView = (s: typeof pushSubscriptions.$inferSelect) => ({
  id: String(s.id),
  endpointHost: hostOf(s.endpoint),
  userAgent: s.userAgent,
  active: s.active,
  createdAt: s.createdAt.toISOString(),
});

/** The permission that reads a notification's subject, for callers who are not its recipients. */
function subjectPermission(subjectType: string | null): Permission {
  const bySubject: Record<string, string> = {
    order: 'orders.read',
    complaint: 'complaints.read',
    kpi_period: 'kpi.read',
    product: 'stock.manage',
  };
  return (bySubject[subjectType ?? ''] ?? 'reports.read') as Permission;
}

/** The merged preferences' problems no schema can see. */
function semanticProblems(p: StaffPreferences): FieldError[] {
  const problems: FieldError[] = [];
  if (p.quietHours.mode === 'custom') {
    if (!p.quietHours.from) problems.push({ field: 'quietHours.from', message: 'custom quiet hours need a start time (HH:MM)' });
    if (!p.quietHours.to) problems.push({ field: 'quietHours.to', message: 'custom quiet hours need an end time (HH:MM)' });
    if (p.quietHours.from && p.quietHours.from === p.quietHours.to)
      problems.push({ field: 'quietHours.to', message: 'the end of quiet hours must differ from their start' });
  }
  const needs: Partial<Record<StaffChannel, { has: boolean; what: string }>> = {
    telegram: { has: Boolean(p.telegramChatId), what: 'telegramChatId (the chat id the bot writes to)' },
    zalo: { has: Boolean(p.zaloUserId), what: 'zaloUserId (your user id for the shop’s Zalo OA)' },
  };
  for (const priority of NOTIFICATION_PRIORITIES) {
    for (const channel of p.channels[priority]) {
      const need = needs[channel];
      if (need && !need.has) problems.push({ field: `channels.${priority}`, message: `${channel} needs ${need.what}` });
    }
  }
  return problems;
}

/** A push endpoint must be a push service's https URL (plain http only on this machine, for local push services). */
function endpointProblem(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'must be a URL';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname)) return undefined;
  return 'must be an https URL of a push service';
}

const base64urlBytes = (text: string) => Buffer.from(text.replace(/=+$/, ''), 'base64url').length;

export function preferencesRouter(deps: { db: Db; vapidPublicKey: () => string | undefined }): Router {
  const router = Router();
  const { db } = deps;

  const view = async (staffId: string) => {
    const [{ preferences, saved }, [member], subs] = await Promise.all([
      preferencesOfStaff(db, staffId),
      db.select({ email: staff.email }).from(staff).where(eq(staff.id, staffId)),
      db.select().from(pushSubscriptions).where(eq(pushSubscriptions.staffId, staffId)).orderBy(asc(pushSubscriptions.id)),
    ]);
    return { ...preferences, staffEmail: member?.email ?? null, saved, pushSubscriptions: subs.map(subscriptionView) };
  };

  router.get('/me/preferences', async (req, res) => {
    res.json(await view(req.principal!.staffId));
  });

  router.patch('/me/preferences', body(PreferencesBody), async (req, res) => {
    const staffId = req.principal!.staffId;
    const change = req.body;
    const { preferences: current } = await preferencesOfStaff(db, staffId);
    const next: StaffPreferences = {
      ...current,
      channels: { ...current.channels, ...change.channels },
      quietHours:
        change.quietHours === undefined
          ? current.quietHours
          : change.quietHours.mode === 'custom'
            ? { mode: 'custom', from: change.quietHours.from, to: change.quietHours.to }
            : { mode: change.quietHours.mode },
      digestAt: change.digestAt ?? current.digestAt,
      telegramChatId: change.telegramChatId === undefined ? current.telegramChatId : change.telegramChatId,
      zaloUserId: change.zaloUserId === undefined ? current.zaloUserId : change.zaloUserId,
      email: change.email === undefined ? current.email : change.email,
      language: change.language ?? current.language,
    };
    const problems = semanticProblems(next);
    if (problems.length) throw unprocessable('the preferences are invalid', { fields: problems });
    await savePreferences(db, staffId, next);
    res.json(await view(staffId));
  });

  router.get('/me/push/public-key', (_req, res) => {
    res.json({ publicKey: deps.vapidPublicKey() ?? null });
  });

  router.post('/me/push-subscriptions', body(PushSubscriptionBody), async (req: Request, res) => {
    const sub = req.body as PushSubscriptionBody;
    const problems: FieldError[] = [];
    const endpoint = endpointProblem(sub.endpoint);
    if (endpoint) problems.push({ field: 'endpoint', message: endpoint });
    if (base64urlBytes(sub.keys.p256dh) !== 65)
      problems.push({ field: 'keys.p256dh', message: 'must be a 65-byte P-256 public key (base64url)' });
    if (base64urlBytes(sub.keys.auth) !== 16) problems.push({ field: 'keys.auth', message: 'must be a 16-byte auth secret (base64url)' });
    if (problems.length) throw unprocessable('the push subscription is invalid', { fields: problems });
    const values = {
      staffId: req.principal!.staffId,
      p256dh: sub.keys.p256dh,
      auth: sub.keys.auth,
      userAgent: req.get('user-agent')?.slice(0, 300) ?? null,
      active: true,
    };
    const [row] = await db
      .insert(pushSubscriptions)
      .values({ endpoint: sub.endpoint, ...values })
      .onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: values })
      .returning();
    res.status(201).json(subscriptionView(row!));
  });

  router.delete('/me/push-subscriptions/:id', async (req, res) => {
    const id = String(req.params.id);
    const removed = /^\d{1,15}$/.test(id)
      ? await db
          .delete(pushSubscriptions)
          .where(and(eq(pushSubscriptions.id, Number(id)), eq(pushSubscriptions.staffId, req.principal!.staffId)))
          .returning({ id: pushSubscriptions.id })
      : [];
    if (!removed.length) throw notFound(`you have no push subscription "${id}"`);
    res.status(204).end();
  });

  router.get('/notifications/:id/deliveries', async (req, res) => {
    const id = String(req.params.id);
    const p = req.principal!;
    const [notification] = /^\d{1,15}$/.test(id)
      ? await db
          .select()
          .from(notifications)
          .where(eq(notifications.id, Number(id)))
      : [];
    if (!notification) throw notFound(`no notification "${id}"`);
    const everyone = p.scope === 'all' && can(p, subjectPermission(notification.subjectType));
    if (!everyone) {
      const [mine] = await db
        .select({ id: notificationRecipients.id })
        .from(notificationRecipients)
        .where(and(eq(notificationRecipients.notificationId, notification.id), eq(notificationRecipients.staffId, p.staffId)));
      if (!mine) throw notFound(`no notification "${id}"`);
    }
    const recipients = db
      .select({ id: notificationRecipients.id })
      .from(notificationRecipients)
      .where(
        everyone
          ? eq(notificationRecipients.notificationId, notification.id)
          : and(eq(notificationRecipients.notificationId, notification.id), eq(notificationRecipients.staffId, p.staffId)),
      );
    const rows = await db
      .select()
      .from(messageDeliveries)
      .where(inArray(messageDeliveries.recipientId, recipients))
      .orderBy(asc(messageDeliveries.id));
    const attempts = rows.length
      ? await db
          .select()
          .from(messageAttempts)
          .where(
            inArray(
              messageAttempts.deliveryId,
              rows.map((r) => r.id),
            ),
          )
          .orderBy(asc(messageAttempts.id))
      : [];
    res.json({
      notification: {
        id: String(notification.id),
        message: notification.message,
        priority: notification.priority,
        kind: notification.kind,
        link: notification.link,
        at: notification.at.toISOString(),
      },
      deliveries: rows.map((r) => ({
        id: String(r.id),
        staffId: r.staffId,
        channel: r.channel,
        address: r.channel === 'push' ? hostOf(r.address) : r.address,
        status: r.status,
        attempts: r.attempts,
        nextAttemptAt: r.nextAttemptAt.toISOString(),
        sentAt: r.sentAt?.toISOString() ?? null,
        lastError: r.lastError,
        providerMessageId: r.providerMessageId,
        history: attempts
          .filter((a) => a.deliveryId === r.id)
          .map((a) => ({ outcome: a.outcome, providerStatus: a.providerStatus, providerAnswer: a.providerAnswer, at: a.at.toISOString() })),
      })),
    });
  });

  return router;
}
