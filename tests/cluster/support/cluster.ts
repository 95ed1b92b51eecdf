/**
 * A real Temporal cluster for the cluster tests and `npm run bench:cluster`: the Temporal server
 * built from its Go module (`npm run temporal-server:install`) with the frontend, history,
 * matching and worker services, on PostgreSQL for persistence and visibility — a fresh database
 * pair set up with `temporal-sql-tool` from the schema files the module ships. Loopback only;
 * `destroy()` stops the server and drops both databases.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { installTemporalServer, TEMPORAL_SERVER_VERSION } from '../../../scripts/temporal-server-install';
import { resolveTemporalCli } from '../../../server/platform/temporal-cli';
import { registerSearchAttributes } from '../../../server/platform/search-attributes';

/** A running cluster, owned by the caller. */
export interface TemporalCluster {
  /** host:port of the frontend (what TEMPORAL_ADDRESS points at). */
  address: string;
  namespace: string;
  /** The server's config file (the same one on every restart). */
  configFile: string;
  /** Process id of the running server, undefined while it is stopped. */
  serverPid(): number | undefined;
  /** Graceful stop (SIGTERM), then the same server on the same ports and databases; resolves when the frontend answers again. */
  restart(): Promise<void>;
  /** Graceful stop (SIGTERM, SIGKILL after 60 s). */
  stop(): Promise<void>;
  /** Stops the server, drops both databases and removes the config directory. */
  destroy(): Promise<void>;
  /** The server's recent output, for a failing test's report. */
  log(): string;
}

export interface ClusterOptions {
  /** The namespace to create (default `default`, what shopflow uses unless TEMPORAL_NAMESPACE says otherwise). */
  namespace?: string;
  /** PostgreSQL server to put the database pair on (default DATABASE_URL's server, or postgres://postgres@127.0.0.1:5432). */
  postgresUrl?: string;
  progress?: (message: string) => void;
  /** How long start-up and each restart may take until the frontend answers (default 180 s: a busy 2-core machine). */
  readyTimeoutMs?: number;
}

const SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;

/** Sets up the database pair and the config, starts the server, waits for it and creates the namespace. */
export async function startTemporalCluster(opts: ClusterOptions = {}): Promise<TemporalCluster> {
  const progress = opts.progress ?? (() => undefined);
  const namespace = opts.namespace ?? 'default';
  const readyTimeoutMs = opts.readyTimeoutMs ?? 180_000;
  const binaries = await installTemporalServer(progress);
  const pg = new URL(opts.postgresUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const tag = `temporal_cluster_${Date.now()}_${process.pid}`;
  const databases = { persistence: tag, visibility: `${tag}_visibility` };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-temporal-cluster-'));

  const sqlTool = (database: string, args: string[]) => {
    const conn = [
      '--plugin',
      'postgres12',
      '--endpoint',
      pg.hostname,
      '--port',
      pg.port || '5432',
      '--user',
      decodeURIComponent(pg.username || 'postgres'),
      ...(pg.password ? ['--password', decodeURIComponent(pg.password)] : []),
      '--database',
      database,
    ];
    const res = spawnSync(binaries.sqlTool, [...conn, ...args], { encoding: 'utf8' });
    if (res.status !== 0)
      throw new Error(
        `temporal-sql-tool --database ${database} ${args.join(' ')} failed: ${(res.stderr || res.stdout).trim().slice(-1500)}`,
      );
  };
  progress(
    `setting up the Temporal schema (temporal-sql-tool, postgres12) in databases ${databases.persistence} and ${databases.visibility}…`,
  );
  const created: string[] = [];
  try {
    for (const [database, schema] of [
      [databases.persistence, 'temporal'],
      [databases.visibility, 'visibility'],
    ] as const) {
      sqlTool(database, ['create-database']);
      created.push(database);
      sqlTool(database, ['setup-schema', '-v', '0.0']);
      sqlTool(database, ['update-schema', '--schema-dir', path.join(binaries.postgresSchemaDir, schema, 'versioned')]);
    }
  } catch (err) {
    await dropDatabases(pg, created);
    throw err;
  }

  const ports = await distinctFreePorts(2 * SERVICES.length + 1);
  const grpc = Object.fromEntries(SERVICES.map((s, i) => [s, ports[2 * i]!])) as Record<(typeof SERVICES)[number], number>;
  const membership = Object.fromEntries(SERVICES.map((s, i) => [s, ports[2 * i + 1]!])) as Record<(typeof SERVICES)[number], number>;
  const address = `127.0.0.1:${grpc.frontend}`;
  const configFile = path.join(dir, 'temporal.yaml');
  const dynamicConfigFile = path.join(dir, 'dynamic-config.yaml');
  fs.writeFileSync(dynamicConfigFile, DYNAMIC_CONFIG);
  fs.writeFileSync(
    configFile,
    serverConfig({ pg, databases, grpc, membership, httpPort: ports[ports.length - 1]!, address, dynamicConfigFile }),
  );

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let recent = '';
  const logFile = path.join(dir, 'server.log');
  const launch = async () => {
    const out = fs.openSync(logFile, 'a');
    const started = spawn(binaries.server, ['--config-file', configFile, '--allow-no-auth', 'start'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    const onOutput = (chunk: Buffer) => {
      recent = (recent + chunk.toString()).slice(-20_000);
      fs.writeSync(out, chunk);
    };
    started.stdout!.on('data', onOutput);
    started.stderr!.on('data', onOutput);
    exited = new Promise<void>((resolve) =>
      started.once('exit', () => {
        fs.closeSync(out);
        if (child === started) child = undefined;
        resolve();
      }),
    );
    const deadline = Date.now() + readyTimeoutMs;
    while (!(await frontendAnswers(address))) {
      if (started.exitCode !== null || started.signalCode !== null)
        throw new Error(`the Temporal server exited during start-up (code ${started.exitCode}): ${recent.trim().slice(-2000)}`);
      if (Date.now() > deadline)
        throw new Error(
          `the Temporal server did not answer on ${address} within ${readyTimeoutMs / 1000} s: ${recent.trim().slice(-2000)}`,
        );
      await sleep(500);
    }
  };
  const stop = async () => {
    const running = child;
    if (!running) return;
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 60_000);
    await exited;
    clearTimeout(timer);
  };
  const destroy = async () => {
    await stop();
    await dropDatabases(pg, [databases.persistence, databases.visibility]);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    progress(`starting the Temporal server ${TEMPORAL_SERVER_VERSION} (${SERVICES.join(', ')}) on ${address}…`);
    const t0 = Date.now();
    await launch();
    const cli = await resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI, progress });
    await until(
      () => {
        const res = spawnSync(
          cli.path,
          ['operator', 'namespace', 'create', '--address', address, '--namespace', namespace, '--retention', '1d'],
          { encoding: 'utf8' },
        );
        return res.status === 0 || /already (exists|registered)/i.test(res.stderr);
      },
      readyTimeoutMs,
      `namespace ${namespace} to be created on ${address}`,
    );
    // The frontend learns new namespaces on its registry's refresh (10 s): wait until it serves this one.
    await until(() => namespaceServed(address, namespace), readyTimeoutMs, `namespace ${namespace} to be served on ${address}`);
    // The order search attributes, registered as shopflow's start-up does (PostgreSQL visibility
    // maps them onto its pre-allocated Keyword/Int columns; the dynamic config makes them usable at once).
    const registered = await registerOrderSearchAttributes(address, namespace);
    progress(`search attributes registered in ${namespace}: ${registered.join(', ')}`);
    progress(`Temporal cluster ready on ${address} in ${((Date.now() - t0) / 1000).toFixed(1)} s (namespace ${namespace})`);
  } catch (err) {
    await destroy().catch(() => undefined);
    throw err;
  }

  return {
    address,
    namespace,
    configFile,
    serverPid: () => child?.pid,
    async restart() {
      await stop();
      await launch();
      await until(() => namespaceServed(address, namespace), readyTimeoutMs, `namespace ${namespace} after the restart`);
    },
    stop,
    destroy,
    log: () => recent,
  };
}

/** The server's static config: PostgreSQL 12 plugin for both stores, four services on loopback. */
function serverConfig(c: {
  pg: URL;
  databases: { persistence: string; visibility: string };
  grpc: Record<string, number>;
  membership: Record<string, number>;
  httpPort: number;
  address: string;
  dynamicConfigFile: string;
}): string {
  const store = (database: string, maxConns: number) => [
    '      sql:',
    '        pluginName: "postgres12"',
    `        databaseName: "${database}"`,
    `        connectAddr: "${c.pg.hostname}:${c.pg.port || '5432'}"`,
    '        connectProtocol: "tcp"',
    `        user: "${decodeURIComponent(c.pg.username || 'postgres')}"`,
    `        password: "${decodeURIComponent(c.pg.password)}"`,
    `        maxConns: ${maxConns}`,
    `        maxIdleConns: ${maxConns}`,
    '        maxConnLifetime: "1h"',
  ];
  const service = (name: string) => [
    `  ${name}:`,
    '    rpc:',
    `      grpcPort: ${c.grpc[name]}`,
    `      membershipPort: ${c.membership[name]}`,
    '      bindOnLocalHost: true',
    ...(name === 'frontend' ? [`      httpPort: ${c.httpPort}`] : []),
  ];
  return [
    '# Written by tests/cluster/support/cluster.ts: one Temporal server process running all four services.',
    'log:',
    '  stdout: true',
    '  level: warn',
    'persistence:',
    '  defaultStore: postgres-default',
    '  visibilityStore: postgres-visibility',
    '  numHistoryShards: 4',
    '  datastores:',
    '    postgres-default:',
    ...store(c.databases.persistence, 20),
    '    postgres-visibility:',
    ...store(c.databases.visibility, 10),
    'global:',
    '  membership:',
    '    maxJoinDuration: 30s',
    '    broadcastAddress: "127.0.0.1"',
    'services:',
    ...SERVICES.flatMap(service),
    'clusterMetadata:',
    '  enableGlobalNamespace: false',
    '  failoverVersionIncrement: 10',
    '  masterClusterName: "active"',
    '  currentClusterName: "active"',
    '  clusterInformation:',
    '    active:',
    '      enabled: true',
    '      initialFailoverVersion: 1',
    '      rpcName: "frontend"',
    `      rpcAddress: "${c.address}"`,
    'dcRedirectionPolicy:',
    '  policy: "noop"',
    'dynamicConfigClient:',
    `  filepath: "${c.dynamicConfigFile}"`,
    '  pollInterval: "10s"',
    '',
  ].join('\n');
}

/**
 * Dynamic config: the server's defaults, except that search attributes registered by shopflow's
 * start-up are usable at once (a shop registers them once; the cluster would otherwise take up to
 * a minute to see them).
 */
const DYNAMIC_CONFIG = ['system.forceSearchAttributesCacheRefreshOnRead:', '  - value: true', '    constraints: {}', ''].join('\n');

/** The frontend answers gRPC health and lists workflows for the system namespace. */
async function frontendAnswers(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 2_000 });
    await connection.workflowService.getSystemInfo({});
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

async function registerOrderSearchAttributes(address: string, namespace: string): Promise<string[]> {
  const connection = await Connection.connect({ address, connectTimeout: 10_000 });
  try {
    const done = await registerSearchAttributes(connection, namespace);
    return [...done.added, ...done.existing];
  } finally {
    await connection.close().catch(() => undefined);
  }
}

async function namespaceServed(address: string, namespace: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 2_000 });
    await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

/**
 * Free loopback ports below 32768: the server stores membership ports in a `smallint` column
 * (a port from the kernel's ephemeral range fails its start-up with "out of range for type smallint").
 */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!ports.has(port) && (await canListen(port))) ports.add(port);
  }
  return [...ports];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function dropDatabases(pg: URL, names: string[]): Promise<void> {
  if (!names.length) return;
  const admin = new URL(pg);
  admin.pathname = '/postgres';
  const client = new PgClient({ connectionString: admin.toString() });
  await client.connect();
  try {
    for (const name of names) await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(1_000);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
