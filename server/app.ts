import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Client } from '@temporalio/client';
import type { Database } from '../db/client';
import type { Config } from './config';
import { errorHandler, notFoundRoute } from './errors';
import { healthRouter } from './health';
import type { Logger } from './logger';

/** What the HTTP app needs; built by the entry points, or by tests with real parts. */
export interface AppDeps {
  config: Config;
  database: Database;
  temporal: Client;
  log: Logger;
}

/** The Express app: health, and the /api/v1 routes. It does not listen; the caller does. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(helmet());
  app.use(pinoHttp({
    logger: deps.log.child({ component: 'http' }),
    // Health probes every few seconds would drown the log.
    autoLogging: { ignore: (req) => req.url === '/healthz' },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  }));
  app.use(healthRouter(deps));
  app.use(notFoundRoute);
  app.use(errorHandler);
  return app;
}
