/**
 * The order row and its `opened` event, written once: by the API when a lead starts its order
 * (so the order can be read as soon as the lead is answered) and by the order workflow's first
 * step (for orders started any other way). Running it again changes nothing.
 */
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

export async function recordOrderOpened(db: Db, input: OrderRecordInput): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(orders)
      .values({
        id: input.orderId,
        workflowId: input.workflowId,
        channel: input.channel,
        campaign: input.campaign,
        leadCost: input.leadCost,
        customerId: input.customer?.id,
        customerName: input.customer?.name,
        customerPhone: input.customer?.phone,
        definitionName: input.definition?.name,
        definitionVersion: input.definition?.version,
        status: 'open',
      })
      .onConflictDoNothing();
    await tx
      .insert(orderEvents)
      .values({
        orderId: input.orderId,
        dedupeKey: `${input.workflowId}:opened`,
        type: 'opened',
        data: { channel: input.channel ?? null, definition: input.definition ?? null },
      })
      .onConflictDoNothing();
  });
}
