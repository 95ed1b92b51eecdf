/** The words of the staffing report: each role's and stage's task title as staff saw it. */
import { sql } from 'drizzle-orm';
import type { Db } from '../client';

/** Finished tasks' titles per role and stage in a window (the newest title of each), for the staffing report's words. */
export async function stageTitles(db: Db, from: Date, to: Date): Promise<Map<string, string>> {
  const result = await db.execute(sql`
    select distinct on (t.role, t.stage) t.role, t.stage, t.title
    from tasks t join orders o on o.id = t.subject_id
    where t.subject_type = 'order' and t.status = 'done' and o.created_at >= ${from.toISOString()} and o.created_at < ${to.toISOString()}
    order by t.role, t.stage, t.created_at desc`);
  const rows = (result as unknown as { rows: Array<{ role: string; stage: string; title: string }> }).rows;
  return new Map(rows.map((r) => [`${r.role}\u0000${r.stage}`, r.title]));
}
