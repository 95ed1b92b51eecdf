import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import { recordNotification, type NotificationInput } from '../../db/notifications/outbox';

export function createNotifyActivities(deps: { db: Db; log: Logger }) {
  return {
    /** Notifies roles (a `notify` stage, a pacing alert). */
    async notify(input: NotificationInput): Promise<void> {
      await recordNotification(deps.db, deps.log, { kind: 'notify', priority: 'normal', ...input });
    },
  };
}
