/**
 * The order row and its `opened` event, written once: by the API when a lead starts its order
 * (so the order can be read as soon as the lead is answered) and by the order workflow's first
 * step (for orders started any other way). Running it again changes nothing.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import { orderEvents, orders } from '../schema';

/** What is known about an order when it opens. */
export interface OrderRecordInput {
  orderId: string;
  workflowId: string;
  channel?: string;
  campaign?: string;
  leadCost?: number;
  customer?: { id?: string; name?: string; phone?: string };
  definition?: { name: string; version: number };
}

/** One statement (atomic, one round trip): the row, and its `opened` event, each written once. */
export async function recordOrderOpened(db: Db, input: OrderRecordInput): Promise<void> {
  const event = JSON.stringify({ channel: input.channel ?? null, definition: input.definition ?? null });
  await db.execute(sql`with opened as (
      insert into ${orders} (id, workflow_id, channel, campaign, lead_cost, customer_id, customer_name, customer_phone, definition_name, definition_version, status)
      values (${input.orderId}, ${input.workflowId}, ${input.channel ?? null}, ${input.campaign ?? null}, ${input.leadCost ?? null},
        ${input.customer?.id ?? null}, ${input.customer?.name ?? null}, ${input.customer?.phone ?? null},
        ${input.definition?.name ?? null}, ${input.definition?.version ?? null}, 'open')
      on conflict do nothing
    )
    insert into ${orderEvents} (order_id, dedupe_key, type, data)
    values (${input.orderId}, ${`${input.workflowId}:opened`}, 'opened', ${event}::jsonb)
    on conflict do nothing`);
}
