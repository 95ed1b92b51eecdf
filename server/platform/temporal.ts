import fs from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogEntry } from '@temporalio/worker';
import type { TemporalConfig } from './config';
import type { Logger } from './logger';

/** Connection options shared by the client (API) and the worker, from the typed config. */
function connectionOptions(cfg: TemporalConfig, address: string): Pick<ConnectionOptions, 'address' | 'tls' | 'apiKey'> {
  const read = (file: string) => fs.readFileSync(file);
  const tls = cfg.tls
    ? {
        ...(cfg.tlsCertPath && cfg.tlsKeyPath ? { clientCertPair: { crt: read(cfg.tlsCertPath), key: read(cfg.tlsKeyPath) } } : {}),
        ...(cfg.tlsCaPath ? { serverRootCACertificate: read(cfg.tlsCaPath) } : {}),
        ...(cfg.tlsServerName ? { serverNameOverride: cfg.tlsServerName } : {}),
      }
    : undefined;
  return { address, ...(tls ? { tls } : {}), ...(cfg.apiKey ? { apiKey: cfg.apiKey } : {}) };
}

/**
 * How long the client's gRPC channel waits at most between attempts to reconnect to a Temporal
 * frontend it lost. grpc-js backs off up to 120 s by default, growing with the outage, while each
 * call's own retries give up after about 20 s: after Temporal had been away for 77 s, a request
 * made when it was back still got UNAVAILABLE (503) for 23 s (measured; 1 s with this cap).
 * The Go SDK caps it for the same reason.
 */
export const CLIENT_MAX_RECONNECT_BACKOFF_MS = 5_000;

/** A Temporal client for starting, signalling, updating and querying workflows. */
export async function connectClient(cfg: TemporalConfig, address: string): Promise<Client> {
  const connection = await Connection.connect({
    ...connectionOptions(cfg, address),
    connectTimeout: 10_000,
    channelArgs: { 'grpc.max_reconnect_backoff_ms': CLIENT_MAX_RECONNECT_BACKOFF_MS },
  });
  return new Client({ connection, namespace: cfg.namespace });
}

/** The native connection a worker polls with (installs the SDK runtime with our logger first). */
export function connectWorker(cfg: TemporalConfig, address: string, log: Logger): Promise<NativeConnection> {
  installTemporalRuntime(log);
  return NativeConnection.connect(connectionOptions(cfg, address) as Parameters<typeof NativeConnection.connect>[0]);
}

/**
 * Routes the Temporal SDK's own logs into our logger (warnings and errors only: the SDK's info
 * lines are noise to a shop's operator). Once per process; later calls are no-ops.
 */
export function installTemporalRuntime(log: Logger): void {
  if (Runtime._instance) return;
  const levels = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;
  const temporalLog = log.child({ component: 'temporal-sdk' });
  Runtime.install({
    // Our entry points own SIGINT/SIGTERM and drain workers in order; the SDK must not race them.
    shutdownSignals: [],
    logger: new DefaultLogger('WARN', (entry: LogEntry) => {
      temporalLog[levels[entry.level]]({ ...entry.meta }, entry.message);
    }),
  });
}
