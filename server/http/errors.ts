import type { ErrorRequestHandler, RequestHandler } from 'express';

/** An error with its HTTP status and a stable machine-readable code: the one error shape. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'bad_request', message, details);
export const unauthorized = (message = 'a valid API token is required (Authorization: Bearer <token>)') =>
  new HttpError(401, 'unauthorized', message);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
export const notFound = (message: string) => new HttpError(404, 'not_found', message);
export const conflict = (message: string, details?: unknown) => new HttpError(409, 'conflict', message, details);
export const unprocessable = (message: string, details?: unknown) => new HttpError(422, 'invalid', message, details);

/** 404 for routes that do not exist, in the same shape as every other error. */
export const notFoundRoute: RequestHandler = (req, _res, next) => {
  next(notFound(`no route ${req.method} ${req.path}`));
};

/** Renders every error as `{error:{code,message,details}}`; unexpected ones are logged and hidden. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof HttpError) {
    res
      .status(err.status)
      .json({ error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } });
    return;
  }
  // body-parser's errors carry a status and a type (too large, bad JSON, wrong charset).
  const status = typeof err?.status === 'number' ? err.status : typeof err?.statusCode === 'number' ? err.statusCode : 500;
  if (status === 413) {
    res.status(413).json({ error: { code: 'too_large', message: `request body is larger than the limit (${err.limit} bytes)` } });
    return;
  }
  if (status >= 400 && status < 500) {
    res.status(status).json({
      error: {
        code: 'bad_request',
        message: err.type === 'entity.parse.failed' ? `malformed request body: ${err.message}` : String(err.message),
      },
    });
    return;
  }
  // A value PostgreSQL refuses to store (a NUL character in a path parameter or YAML, a number beyond
  // its column): the client's input, refused by the statement, not a server fault.
  const refused = refusedValue(err);
  if (refused) {
    res.status(400).json({ error: { code: 'bad_request', message: refused } });
    return;
  }
  const down = unavailablePart(err);
  if (down) {
    // A dependency is down (restarting, failing over): say so and when to retry, not "internal error".
    req.log?.warn({ err: { message: err?.message, code: err?.code } }, `${down} unavailable`);
    res.setHeader('Retry-After', '5');
    res.status(503).json({
      error: {
        code: 'unavailable',
        message: `${down === 'database' ? 'the database' : 'Temporal'} is not answering right now; nothing was changed — retry in a few seconds`,
      },
    });
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  res.status(500).json({ error: { code: 'internal', message: 'internal error; the details are in the server log' } });
};

/** PostgreSQL data exceptions caused by a value from the request: text it cannot hold, numbers out of range, unreadable values. */
const REFUSED_VALUE_CODES = new Set(['22001', '22003', '22007', '22008', '22021', '22P02', '22P05']);

function refusedValue(err: any): string | undefined {
  const dbError = [err, err?.cause].find(
    (e) => typeof e?.code === 'string' && REFUSED_VALUE_CODES.has(e.code) && typeof e?.severity === 'string',
  );
  if (!dbError) return undefined;
  if (dbError.code === '22021' || dbError.code === '22P05')
    return 'the request holds text the database cannot store (a NUL character \\u0000, or half of a surrogate pair)';
  return `a value in the request cannot be stored: ${String(dbError.message)}`;
}

const DB_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** Which dependency an error says is unreachable, if any (PostgreSQL connection errors, gRPC UNAVAILABLE). */
function unavailablePart(err: any): 'database' | 'temporal' | undefined {
  const code = err?.code ?? err?.cause?.code;
  if (typeof code === 'string' && DB_DOWN_CODES.has(code)) return 'database';
  // Drizzle wraps driver errors ("Failed query: …") with the driver's error as the cause.
  const messages = `${String(err?.message)}\n${String(err?.cause?.message)}`;
  if (/Connection terminated|Cannot use a pool after calling end|timeout exceeded when trying to connect|ECONNREFUSED/i.test(messages))
    return 'database';
  // @temporalio/client surfaces gRPC status 14 (UNAVAILABLE) for a frontend it cannot reach.
  if (code === 14 || err?.cause?.code === 14 || /14 UNAVAILABLE/.test(String(err?.message))) return 'temporal';
  return undefined;
}
