import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { openDatabase, type Database } from '../../db/client';
import { liveCourierProblems } from '../../activities/shipping/couriers/requirements';
import { activeShop } from '../../db/active-shop';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger, type Logger } from './logger';
import { createDefinitionsStore } from '../shop/definitions';
import { createStaffStore } from '../staff/staff';
import { ensureKpiSchedules } from '../kpi/schedule';
import { ensureContractTimers } from '../outsourcing/contract-timers';
import { connectClient } from './temporal';
import { resolveTemporalCli } from './temporal-cli';
import { startDevServer, type DevServer } from './temporal-dev-server';

/** Which half (or both) of shopflow this process runs. */
export type ProcessRole = 'all' | 'api' | 'worker';

/** The shared parts every entry point starts with, and how to close them in order. */
export interface Runtime {
  config: Config;
  log: Logger;
  database: Database;
  temporal: Client;
  temporalAddress: string;
  devServer?: DevServer;
  /**
   * Where the admin token created on the very first start was written (readable by its owner
   * only), if it was just created. The token itself never goes to the log or the console.
   */
  bootstrapTokenFile?: string;
  /** Closes what this module opened (Temporal client, database, dev server), in reverse order. */
  close(): Promise<void>;
}

/** Reads the config or exits with a message naming each bad variable. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`shopflow: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * Brings up Temporal (a local dev server for `npm start` when TEMPORAL_ADDRESS is unset) and
 * the database with its migrations. Progress is logged because first runs can take minutes.
 */
export async function startRuntime(role: ProcessRole, config: Config, log: Logger = createLogger(config.logLevel)): Promise<Runtime> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const fn of closers.reverse()) await fn().catch((err) => log.warn({ err }, 'error while shutting down'));
  };
  try {
    if (role !== 'all' && !config.databaseUrl) {
      throw new Error(
        `\`npm run ${role}\` needs DATABASE_URL (PostgreSQL): the embedded PGlite database can be opened by one process only. Use \`npm start\` to run everything in one process on PGlite.`,
      );
    }
    let devServer: DevServer | undefined;
    let temporalAddress = config.temporal.address;
    if (!temporalAddress && role === 'all') {
      const cli = await resolveTemporalCli({ explicitPath: config.temporal.dev.cliPath, progress: (m) => log.info(m) });
      log.info({ cli: cli.path, source: cli.source }, 'starting the Temporal dev server…');
      const devLog = log.child({ component: 'temporal-dev-server' });
      devServer = await startDevServer({
        cliPath: cli.path,
        ip: config.temporal.dev.ip,
        port: config.temporal.dev.port,
        uiPort: config.temporal.dev.uiPort,
        dbFile: path.join(config.dataDir, 'temporal.db'),
        namespace: config.temporal.namespace,
        // JSON lines are the server's own warnings; the rest is its start-up banner.
        onLog: (line) => (line.startsWith('{') ? devLog.warn(line) : devLog.debug(line)),
      });
      if (devServer.reused) log.warn(`reusing the Temporal server already listening on ${devServer.address}`);
      closers.push(() => devServer!.stop());
      temporalAddress = devServer.address;
    }
    temporalAddress ??= 'localhost:7233';

    log.info({ address: temporalAddress, namespace: config.temporal.namespace }, 'connecting to Temporal…');
    const temporal = await connectClient(config.temporal, temporalAddress);
    closers.push(() => temporal.connection.close());

    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    closers.push(() => database.close());
    log.info({ driver: database.driver, location: database.location }, 'applying database migrations…');
    await database.migrate();

    await createDefinitionsStore(database.db).syncFromDir(config.definitionsDir, log);
    if (config.couriers === 'live') {
      // Every enabled courier's missing setting at once, before any order is sent to it.
      const problems = liveCourierProblems((await activeShop(database.db))?.couriers ?? {}, process.env);
      if (problems.length) throw new ConfigError(problems);
    }
    // KPI periods start from Temporal Schedules, kept in step with the active kpi.yaml.
    await ensureKpiSchedules({ db: database.db, temporal, taskQueue: config.temporal.taskQueue, log });
    // Outsourced members' contract ends: one durable timer each (server/outsourcing).
    await ensureContractTimers({ db: database.db, temporal, taskQueue: config.temporal.taskQueue, log });
    const bootstrapToken = role === 'worker' ? undefined : await createStaffStore(database.db).ensureBootstrapAdmin(config.adminToken);
    const bootstrapTokenFile = bootstrapToken ? await writeBootstrapToken(config.dataDir, bootstrapToken) : undefined;

    return { config, log, database, temporal, temporalAddress, devServer, bootstrapTokenFile, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The file the first start's admin token is written to, under DATA_DIR. */
export const ADMIN_TOKEN_FILE = 'admin-token.txt';

/**
 * Writes the first start's admin token to `<dataDir>/admin-token.txt`, mode 0600: a log line is
 * copied to log shippers, terminals' scrollback and CI artefacts; a file readable by the
 * installing user only is not. Returns the file's path.
 */
export async function writeBootstrapToken(dataDir: string, token: string): Promise<string> {
  const file = path.join(dataDir, ADMIN_TOKEN_FILE);
  await mkdir(dataDir, { recursive: true });
  // An older file (from a database that was since reset) is replaced; chmod covers one created by hand with wider rights.
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}

/** What the first start tells the person who installed shopflow: where the admin token is, never the token. */
export function bootstrapTokenNotice(file: string | undefined): string[] {
  if (!file) return [];
  return [
    '',
    `  Admin API token: written to ${file} (readable by you only; only its hash is stored).`,
    '  Read it, store it somewhere safe, then delete the file. Use it as: Authorization: Bearer <token>',
    '  (or set SHOPFLOW_ADMIN_TOKEN to choose your own).',
  ];
}

/**
 * Runs `stop` once on the first SIGINT/SIGTERM; a second signal exits at once, for the
 * operator who does not want to wait for in-flight work.
 */
export function onShutdownSignal(log: Logger, stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        log.warn(`${signal} again: exiting now`);
        process.exit(130);
      }
      stopping = true;
      log.info(`${signal}: shutting down gracefully (send it again to exit at once)…`);
      stop(signal).then(
        () => process.exit(0),
        (err) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
