/** Stops the run's dev server and drops its databases (the template and each test file's copy). */
import fs from 'node:fs';
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__shopflowTest;
  if (!state) return;
  await state.devServer.stop();
  const admin = new Client({ connectionString: state.adminUrl });
  await admin.connect();
  // The template and every per-file copy share its name as prefix.
  const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${state.dbName}%`]);
  for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
  await admin.end();
  const bundle = process.env.SHOPFLOW_TEST_WORKFLOW_BUNDLE;
  if (bundle) fs.rmSync(bundle, { force: true });
}
