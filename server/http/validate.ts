import type { Request, RequestHandler } from 'express';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { sharedAjv } from '../../definitions/loading/ajv';
import { badRequest, HttpError, unprocessable } from './errors';
import { fieldProblems, type WordsLang } from '../../definitions/rules/field-words';
import { requestLang } from './lang';

const compiled = new WeakMap<object, ValidateFunction>();

export interface FieldError {
  field: string;
  message: string;
}

/**
 * Field errors in the API's words: `[{field, message}]`, `field` the machine path joined by dots
 * (`lines.0.sku`; `root` names the whole value, for an error that is not about one field) and
 * `message` a sentence a clerk understands, in the caller's language (definitions/rules/field-words.ts).
 */
export function fieldErrors(validate: ValidateFunction, root = '(body)', lang: WordsLang = 'vi'): FieldError[] {
  return fieldProblems(validate.errors, lang).map((p) => ({ field: p.path.join('.') || root, message: p.message }));
}

/** NUL, or half of a UTF-16 surrogate pair: text PostgreSQL cannot store (text columns refuse NUL, jsonb both). */
const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Where a body holds text PostgreSQL cannot store (a key or a text value with a NUL character or
 * a lone surrogate): found at the edge, the request is refused before anything starts.
 */
export function unstorableTextAt(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return UNSTORABLE_TEXT.test(value) ? path || '(body)' : undefined;
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const at = `${path ? `${path}.` : ''}${key}`;
    if (UNSTORABLE_TEXT.test(key)) return at;
    const found = unstorableTextAt(child, at);
    if (found) return found;
  }
  return undefined;
}

/** The field error for such text. */
export const UNSTORABLE_TEXT_MESSAGE = 'must not contain a NUL character (\\u0000) or half of a surrogate pair';

/** Validates `req.body` against a JSON Schema (compiled once, with the one shared Ajv); 422 with field errors. */
export function validateBody(schema: object): RequestHandler {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = sharedAjv().compile(schema);
    compiled.set(schema, validate);
  }
  const check = validate;
  return (req, _res, next) => {
    // express.json() parses only JSON: a body sent as anything else is left unread, not an empty object.
    if (req.body === undefined && hasBody(req)) {
      return next(
        new HttpError(
          415,
          'unsupported_media_type',
          `send the body as JSON with Content-Type: application/json (got ${req.get('content-type') ?? 'no Content-Type'})`,
        ),
      );
    }
    req.body ??= {};
    const unstorable = unstorableTextAt(req.body);
    if (unstorable)
      return next(unprocessable('the request body is invalid', { fields: [{ field: unstorable, message: UNSTORABLE_TEXT_MESSAGE }] }));
    if (check(req.body ?? {})) return next();
    next(unprocessable('the request body is invalid', { fields: fieldErrors(check, '(body)', requestLang(req)) }));
  };
}

/** Whether the request carries a body at all (a POST without one is an empty JSON object to the routes). */
function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  return (length !== undefined && length !== '0') || req.get('transfer-encoding') !== undefined;
}

/**
 * Query parameters are single text values: `?q=a&q=b` (which the query parser turns into an
 * array) is refused with 400 naming the parameter, before any route reads it —
 * one place for every route instead of each route guessing what `req.query.q` holds.
 */
export function repeatedQueryParameter(query: Record<string, unknown>): HttpError | undefined {
  for (const [name, value] of Object.entries(query)) {
    if (typeof value !== 'string') {
      return new HttpError(400, 'bad_request', `query parameter "${name}" must be given once (it was repeated)`, {
        fields: [{ field: name, message: 'must be given once' }],
      });
    }
  }
  return undefined;
}

/** The app-wide guard (server/http/app.ts), for every route, documented parameter or not. */
export const singleQueryValues: RequestHandler = (req, _res, next) => {
  next(repeatedQueryParameter(req.query ?? {}));
};

/**
 * The Ajv of query parameters. Query values are text, so it converts them to the type the
 * parameter's schema names (`"20"` to 20 for an integer, `"true"`/`"false"` for a boolean; any
 * other text stays text and fails the type) and fills in a parameter's `default` when it is
 * left out. A separate instance: the shared one (definitions, bodies) must never coerce.
 */
const queryAjv = new Ajv({ allErrors: true, strict: true, coerceTypes: true, useDefaults: true });
addFormats(queryAjv);

/** What queryValidator checks: a JSON Schema object whose properties are the parameters. */
export interface QueryObjectSchema {
  type: 'object';
  properties: Record<string, object>;
  required?: string[];
}

const compiledQueries = new WeakMap<object, ValidateFunction>();

/** 400 `bad_request` naming each parameter in `details.fields`, the shape of the body's field errors. */
export function invalidQuery(fields: FieldError[]): HttpError {
  const said = fields.map((f) => `${f.field} ${f.message}`).join('; ');
  return badRequest(`invalid query parameter${fields.length > 1 ? 's' : ''}: ${said}`, { fields });
}

/**
 * The check of a route's query parameters, from the schema its operation documents: a repeated
 * parameter is refused (as everywhere), parameters the schema does not name are ignored (they
 * always were), the named ones are converted and checked, and the answer is a new object with
 * only them (defaults filled in) — never `req.query` itself. 400 with field errors otherwise.
 */
export function queryValidator(schema: QueryObjectSchema): (query: Record<string, unknown>, lang?: WordsLang) => Record<string, unknown> {
  let validate = compiledQueries.get(schema);
  if (!validate) {
    validate = queryAjv.compile(schema);
    compiledQueries.set(schema, validate);
  }
  const check = validate;
  const names = Object.keys(schema.properties);
  return (query, lang = 'vi') => {
    const repeated = repeatedQueryParameter(query);
    if (repeated) throw repeated;
    const values: Record<string, unknown> = {};
    for (const name of names) if (Object.hasOwn(query, name)) values[name] = query[name];
    const unstorable = names.filter((name) => unstorableTextAt(values[name]) !== undefined);
    if (unstorable.length) throw invalidQuery(unstorable.map((field) => ({ field, message: UNSTORABLE_TEXT_MESSAGE })));
    if (!check(values)) throw invalidQuery(fieldErrors(check, '(query)', lang));
    return values;
  };
}

/** How deep a JSON body may nest: far beyond any form or document the API takes, far below what recursion survives. */
export const MAX_BODY_DEPTH = 64;

/** Whether a parsed body nests deeper than `limit` (walked iteratively, so the check itself cannot overflow the stack). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) if (child && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * 400 for a body nested deeper than MAX_BODY_DEPTH (5,000 nested arrays overflowed the stack of
 * the validators and answered 500). Mounted right after the body parsers.
 */
export const limitBodyDepth: RequestHandler = (req, _res, next) => {
  if (nestsDeeperThan(req.body, MAX_BODY_DEPTH))
    return next(new HttpError(400, 'bad_request', `body nested too deeply (more than ${MAX_BODY_DEPTH} levels of objects or arrays)`));
  next();
};
