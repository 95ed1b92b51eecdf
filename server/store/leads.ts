/**
 * A lead on a channel whose process is a StoreSaleProcess (shop.yaml `channels.store.process`):
 * the customer is at (or coming to) the counter, so the lead opens a sale there — a cart on the
 * order row, which store staff fill and take payment for on the point of sale. No workflow runs a
 * counter sale (server/store/store.ts says why); the order row names the process it runs.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { storeSales } from '../../db/schema';
import type { CompiledStoreSaleProcess } from '../../definitions/store/types';
import type { CustomersStore } from '../customers/customers';
import { openStoreSaleIn, storeSaleRef } from './store';

export async function openStoreSaleForLead(
  db: Db,
  customers: CustomersStore,
  input: {
    orderId: string;
    lead: { channel: string; campaign?: string; cost?: number; customer: { name: string; phone: string; address?: string } };
    process: { name: string; version: number; compiled: CompiledStoreSaleProcess };
    actor: string;
  },
): Promise<{
  orderId: string;
  workflowId: string;
  created: boolean;
  definition: { name: string; version: number };
  kind: 'StoreSaleProcess';
}> {
  const [existing] = await db.select().from(storeSales).where(eq(storeSales.orderId, input.orderId));
  const definition = existing
    ? { name: existing.definitionName, version: existing.definitionVersion }
    : { name: input.process.name, version: input.process.version };
  if (!existing) {
    const name = input.lead.customer.name.trim();
    const customer = await customers.upsertByPhone({
      phone: input.lead.customer.phone,
      name,
      channel: input.lead.channel,
      address: input.lead.customer.address,
    });
    await db.transaction((tx) =>
      openStoreSaleIn(tx, {
        orderId: input.orderId,
        process: input.process,
        actor: input.actor,
        customer: { id: customer.id, name, phone: input.lead.customer.phone },
        campaign: input.lead.campaign,
        leadCost: input.lead.cost,
        source: 'lead',
        channel: input.lead.channel,
      }),
    );
  }
  return { orderId: input.orderId, workflowId: storeSaleRef(input.orderId), created: !existing, definition, kind: 'StoreSaleProcess' };
}
