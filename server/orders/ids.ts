/** Order ids: business-derived, shared by the order workflow's leads and the counter's sales (server/store). */
import crypto from 'node:crypto';

/**
 * Order ids read well on a phone call: DH + date + 6 characters. With an Idempotency-Key the id
 * is derived from the key, so a retried request maps to the same workflow instead of a new order.
 */
export function newOrderId(now: Date, idempotencyKey?: string): string {
  const day = now.toISOString().slice(2, 10).replace(/-/g, '');
  const suffix = idempotencyKey
    ? crypto.createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 8).toUpperCase()
    : crypto.randomBytes(4).toString('hex').toUpperCase();
  return `DH${day}-${suffix}`;
}
