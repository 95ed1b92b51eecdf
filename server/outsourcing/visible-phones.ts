/**
 * Which customers' phones an outsourced person may read in clear: those of the customers they
 * hold an open task for (an order's, a lead's, a complaint's, a customer's care task), now.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';

/** The normalised phones (`0xxxxxxxxx`) of the customers `staffId` holds an open task for. */
export async function phonesVisibleTo(db: Db, staffId: string): Promise<Set<string>> {
  const result = await db.execute(sql`
    with mine as (
      select subject_type, subject_id from tasks where assignee_id = ${staffId} and status = 'open'
    )
    select o.customer_phone as phone from mine m join orders o on o.id = m.subject_id where m.subject_type = 'order'
    union select c.phone from mine m join orders o on o.id = m.subject_id join customers c on c.id = o.customer_id
      where m.subject_type = 'order'
    union select c.phone from mine m join customers c on c.id = m.subject_id where m.subject_type = 'customer'
    union select c.phone from mine m join complaints k on k.id = m.subject_id join customers c on c.id = k.customer_id
      where m.subject_type = 'complaint'
    union select l.phone from mine m join channel_leads l on l.id = m.subject_id where m.subject_type = 'lead'`);
  const rows = (result as unknown as { rows: Array<{ phone: string | null }> }).rows;
  return new Set(rows.map((r) => r.phone).filter((p): p is string => Boolean(p)));
}
