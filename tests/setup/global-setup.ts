/**
 * Once per `npm test` run (integration project): a real Temporal dev server on free ports with
 * the resolved CLI, a fresh PostgreSQL template database (migrations applied, shipped definitions
 * active) from which each test file gets a database of its own, and the workflow bundle built
 * once. Test files find them through SHOPFLOW_TEST_* variables.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { openDatabase } from '../../db/client';
import { bundleWorkflows } from '../../scripts/bundle-workflows';
import pino from 'pino';
import { createDefinitionsStore } from '../../server/shop/definitions';
import { cacheDir, projectRoot } from '../../server/platform/paths';
import { resolveTemporalCli } from '../../server/platform/temporal-cli';
import { startDevServerOnFreePort, type DevServer } from '../../server/platform/temporal-dev-server';

declare global {
  var __shopflowTest: { devServer: DevServer; adminUrl: string; dbName: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const cli = await resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI, progress: (m) => console.log(`[test setup] ${m}`) });
  const [devServer, bundlePath, db] = await Promise.all([
    startDevServerOnFreePort(
      { cliPath: cli.path, ip: '127.0.0.1', namespace: 'default', readyTimeoutMs: 120_000 },
      { onRetry: (m) => console.log(`[test setup] ${m}`) },
    ),
    bundleWorkflows(path.join(cacheDir(), 'test', `workflow-bundle-${process.pid}.js`)),
    createTestDatabase(),
  ]);
  process.env.SHOPFLOW_TEST_TEMPORAL_ADDRESS = devServer.address;
  process.env.SHOPFLOW_TEST_TEMPORAL_CLI = cli.path;
  process.env.SHOPFLOW_TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.SHOPFLOW_TEST_DATABASE_URL = db.url;
  process.env.SHOPFLOW_TEST_ADMIN_DATABASE_URL = db.adminUrl;
  globalThis.__shopflowTest = { devServer, adminUrl: db.adminUrl, dbName: db.name };
  console.log(
    `\n[test setup] Temporal ${devServer.address} (${cli.source}), PostgreSQL database ${db.name}, ready in ${Date.now() - started} ms`,
  );
}

/** A fresh database per run on DATABASE_URL's server (default: local PostgreSQL, trust auth). */
async function createTestDatabase(): Promise<{ url: string; adminUrl: string; name: string }> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const adminUrl = new URL(base);
  adminUrl.pathname = '/postgres';
  const name = `shopflow_test_${Date.now()}_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl.toString() });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`tests need PostgreSQL at ${adminUrl.host} (set DATABASE_URL to another server): ${(err as Error).message}`);
  }
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: fs.mkdtempSync('/tmp/shopflow-unused-') });
  await database.migrate();
  // The shipped shop and processes, as `npm start` loads them: tests add their own processes.
  await createDefinitionsStore(database.db).syncFromDir(path.join(projectRoot(), 'definitions'), pino({ level: 'silent' }));
  await database.close();
  return { url: url.toString(), adminUrl: adminUrl.toString(), name };
}
