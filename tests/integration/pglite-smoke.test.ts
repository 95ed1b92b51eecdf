import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../db/client';
import { orderEvents, orders } from '../../db/schema';
import { closeLeadSignal, orderWorkflow } from '../../workflows/order';
import { startTestWorker, testConfig, uniqueId } from '../support/stack';
import { connectClient } from '../../server/temporal';

test('When DATABASE_URL is unset, then the embedded PGlite database is migrated, used by the worker, and keeps its data across a reopen', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-pglite-'));
  const config = testConfig();
  const database = await openDatabase({ dataDir });
  expect(database.driver).toBe('pglite');
  await database.migrate();
  await database.migrate(); // idempotent on restart

  const temporal = await connectClient(config.temporal, config.temporal.address!);
  const worker = await startTestWorker(config, database);
  const orderId = uniqueId('ord');
  const handle = await temporal.workflow.start(orderWorkflow, {
    workflowId: `order:${orderId}`, taskQueue: config.temporal.taskQueue, args: [{ orderId, channel: 'shopee' }],
  });
  await handle.signal(closeLeadSignal, { actor: 'sales-9' });
  await handle.result();
  await worker.stop();
  await temporal.connection.close();
  await database.close();

  const reopened = await openDatabase({ dataDir });
  const [row] = await reopened.db.select().from(orders).where(eq(orders.id, orderId));
  expect(row).toMatchObject({ channel: 'shopee', stage: 'closed', status: 'done' });
  expect(await reopened.db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId))).toHaveLength(3);
  await reopened.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
