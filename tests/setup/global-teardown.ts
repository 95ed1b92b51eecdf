/** Stops the run's dev server and drops its database (both made by global-setup). */
import fs from 'node:fs';
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__shopflowTest;
  if (!state) return;
  await state.devServer.stop();
  const admin = new Client({ connectionString: state.adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists "${state.dbName}" with (force)`);
  await admin.end();
  const bundle = process.env.SHOPFLOW_TEST_WORKFLOW_BUNDLE;
  if (bundle) fs.rmSync(bundle, { force: true });
}
