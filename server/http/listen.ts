import type { Server } from 'node:http';
import { createApp } from './app';
import type { CourierDirectory } from '../../activities/shipping/couriers/directory';
import type { Logger } from '../platform/logger';
import type { Runtime } from '../platform/runtime';

/** A listening HTTP server whose close() waits for in-flight requests. */
export interface RunningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Builds the app from the runtime's parts (and the courier adapters the entry point built) and listens on HOST:PORT. */
export function listen(runtime: Runtime, log: Logger, couriers: CourierDirectory): Promise<RunningServer> {
  const app = createApp({ config: runtime.config, database: runtime.database, temporal: runtime.temporal, log, couriers });
  return new Promise((resolve, reject) => {
    const server = app.listen(runtime.config.port, runtime.config.host);
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${runtime.config.port} is already in use; set PORT to a free port`) : err);
    });
    server.once('listening', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : runtime.config.port;
      log.info({ port }, 'HTTP server listening');
      resolve({
        server,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
