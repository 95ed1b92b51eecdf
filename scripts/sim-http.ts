/**
 * How the local simulators (channels, customers, Facebook) take their port: the one asked for, or
 * — when `anyPortIfTaken` (npm start) and it is taken — any free one, said in the log.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

/** Runs `start` on `port`; when that port is in use and `anyPort` allows, on a free one instead. */
export async function retryOnFreePort<T>(
  start: (port: number) => Promise<T>,
  port: number,
  anyPort: boolean | undefined,
  log: Pick<Logger, 'warn'>,
  what: string,
): Promise<T> {
  try {
    return await start(port);
  } catch (err) {
    if (!anyPort || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    log.warn(`${what}: port ${port} is in use; using a free port instead`);
    return start(0);
  }
}

/** `server.listen` as a promise that fails on the listen error (a taken port) instead of throwing later. */
export function listenOn(server: http.Server, host: string): (port: number) => Promise<void> {
  return (port) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
}

/** Listens a simulator's server (see retryOnFreePort); its base URL. */
export async function listenSimulator(
  server: http.Server,
  options: { port: number; host?: string; anyPortIfTaken?: boolean },
  log: Pick<Logger, 'warn'>,
  what: string,
): Promise<string> {
  await retryOnFreePort(listenOn(server, options.host ?? '127.0.0.1'), options.port, options.anyPortIfTaken, log, what);
  const address = server.address() as AddressInfo;
  return `http://${address.address}:${address.port}`;
}
