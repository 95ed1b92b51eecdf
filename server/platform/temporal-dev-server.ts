import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { devServerSearchAttributeFlags } from './search-attributes';

/** A local Temporal dev server (`temporal server start-dev`) owned by this process. */
export interface DevServer {
  address: string;
  uiUrl?: string;
  /** True when an already running server on that port was reused instead of starting one. */
  reused: boolean;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  cliPath: string;
  ip: string;
  port: number;
  /** undefined or 0 → headless (no Web UI). */
  uiPort?: number;
  /** SQLite file for persistence; undefined → in memory (tests). */
  dbFile?: string;
  namespace: string;
  /** Called with the server's own log lines (warn and above). */
  onLog?: (line: string) => void;
  readyTimeoutMs?: number;
}

/**
 * Starts the dev server and resolves once its frontend answers for the namespace. If something
 * Temporal already listens on the port (e.g. a dev server left by a crashed run), it is reused.
 */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const address = `${opts.ip}:${opts.port}`;
  const uiUrl = opts.uiPort ? `http://${opts.ip === '0.0.0.0' ? 'localhost' : opts.ip}:${opts.uiPort}` : undefined;
  if (await portIsOpen(opts.ip, opts.port)) {
    if (await answersTemporal(address, opts.namespace, 3_000)) {
      return { address, uiUrl, reused: true, stop: async () => undefined };
    }
    throw new Error(`port ${opts.port} on ${opts.ip} is taken by something that is not Temporal; set TEMPORAL_DEV_PORT to a free port`);
  }
  if (opts.dbFile) fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    opts.ip,
    '--port',
    String(opts.port),
    '--namespace',
    opts.namespace,
    '--log-format',
    'json',
    '--log-level',
    'warn',
  ];
  // The order search attributes exist from the dev server's start (start-up registers them on any other Temporal).
  args.push(...devServerSearchAttributeFlags());
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);

  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let recent = '';
  let stopping = false;
  const onOutput = (chunk: Buffer) => {
    const text = chunk.toString();
    recent = (recent + text).slice(-4000);
    // While it stops, the server complains about its own closing connections: not news.
    if (opts.onLog && !stopping) for (const line of text.split('\n')) if (line.trim()) opts.onLog(line);
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);
  const exitPromise = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  while (!(await answersTemporal(address, opts.namespace, 2_000))) {
    if (exited) {
      // A Go panic prints its cause first and a long stack after it: name the cause, then the tail.
      const cause = recent.split('\n').find((line) => /panic|fatal|error|address already in use/i.test(line));
      throw new DevServerStartError(
        `the Temporal dev server exited during start-up (code ${exited.code})${cause ? `: ${cause.trim().slice(0, 500)}` : ''}: ${recent.trim().slice(-1000)}`,
      );
    }
    if (Date.now() > deadline) {
      await stopChild(child, exitPromise);
      throw new Error(`the Temporal dev server did not become ready on ${address} within ${(opts.readyTimeoutMs ?? 60_000) / 1000}s`);
    }
    await sleep(250);
  }
  return {
    address,
    uiUrl,
    reused: false,
    stop: () => {
      stopping = true;
      return stopChild(child, exitPromise);
    },
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function answersTemporal(address: string, namespace: string, timeoutMs: number): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: timeoutMs });
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

function portIsOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The dev server process ended before it answered (a port taken meanwhile, a bad flag, a crash). */
export class DevServerStartError extends Error {}

/**
 * startDevServer on a free loopback port, tried again on another port when the server exits
 * during start-up: between freePort() and the server's bind (it also binds internal ports of its
 * own) another process on the machine may take a port. For tests and benchmarks.
 */
export async function startDevServerOnFreePort(
  opts: Omit<DevServerOptions, 'port'>,
  retry: { attempts?: number; onRetry?: (message: string) => void } = {},
): Promise<DevServer> {
  const attempts = retry.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServer({ ...opts, port: await freePort() });
    } catch (err) {
      if (!(err instanceof DevServerStartError) || attempt >= attempts) throw err;
      retry.onRetry?.(
        `the Temporal dev server did not start (attempt ${attempt} of ${attempts}), trying another port: ${err.message.slice(0, 300)}`,
      );
    }
  }
}

/** A free TCP port on the loopback interface (for tests and benchmarks). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
