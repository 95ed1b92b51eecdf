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

/** Query parameters that carry secrets: courier webhook tokens and hashes, signatures, keys, passwords. */
const SECRET_PARAM = /token|hash|sig|secret|pass|key|auth|otp/i;
/** A phone number as it appears in a URL: 9–12 digits, maybe +84/%2B84, maybe split by dots, dashes or (encoded) spaces. */
const PHONE_IN_URL = /(?<![\dA-Za-z%])(?:%2B|\+)?\d(?:(?:[.-]|%20|\+)?\d){8,12}(?![\dA-Za-z])/gi;

/**
 * A request URL fit for the log: values of secret-looking query parameters (a courier webhook's
 * `token` or `hash`) become `***`, and phone numbers anywhere in the path or query become `***`
 * (a customer's phone is personal data; an order id or a date is not long enough to match).
 */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  const pathPart = at < 0 ? url : url.slice(0, at);
  const query = at < 0 ? undefined : url.slice(at + 1);
  const safeQuery = query
    ?.split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name);
      } catch {
        /* a malformed name is matched as sent */
      }
      return SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=***` : pair;
    })
    .join('&');
  return `${pathPart}${safeQuery === undefined ? '' : `?${safeQuery}`}`.replace(PHONE_IN_URL, '***');
}
