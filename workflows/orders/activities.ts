/**
 * The activities the order workflow calls, with their timeouts and retries. Guarded ones turn a
 * failure for good into a fix-it task (retry, skip, cancel) instead of failing the order.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { guardedActivities, guardedLocalActivities, type Guarded } from '../tasks/fix-it';

const retried = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
} as const;

export const orderActivities = guardedActivities<Activities>(retried);
/** The same database writes as local activities: one marker each in the history (orders started since lean histories). */
export const localOrderActivities = guardedLocalActivities<Activities>(retried);
export type OrderActivities = Guarded<Activities>;

/**
 * Couriers can be slow or down for a while: retried for up to a day (settings.courierRetryForMs),
 * but never on a 4xx (non-retryable). Their failures open the courier's own fix-it task.
 */
export const courierActivities = (retryForMs = 86_400_000) =>
  proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: '5 minutes',
      nonRetryableErrorTypes: ['CourierRejected'],
    },
    scheduleToCloseTimeout: retryForMs,
  });

/** Read-only look-ups of a fix-it task (who fixes, which couriers are left) and the problem's timeline entry; retried until they answer. */
export const lookups = proxyActivities<Activities>(retried);
export const localLookups = proxyLocalActivities<Activities>(retried);
export type OrderLookups = typeof lookups;
