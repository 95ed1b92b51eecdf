import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The one logger. JSON lines in production (for log shippers); human-readable when a person
 * watches a terminal and pino-pretty (a dev dependency) is installed.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  const wantPretty = process.stdout.isTTY && process.env.NODE_ENV !== 'production' && canResolve('pino-pretty');
  return pino({
    level,
    base: { app: 'shopflow' },
    redact: { paths: ['req.headers.authorization', 'req.headers.token', '*.token', '*.apiKey'], censor: '***' },
    ...(wantPretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname,app' } } } : {}),
  });
}

function canResolve(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}
