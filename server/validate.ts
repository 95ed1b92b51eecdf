import type { RequestHandler } from 'express';
import type { ValidateFunction } from 'ajv';
import { ajv } from '../definitions/ajv';
import { unprocessable } from './errors';

const compiled = new WeakMap<object, ValidateFunction>();

/** Field errors in the API's words: `[{field, message}]`, `field` as a JSON pointer-ish path. */
export function fieldErrors(validate: ValidateFunction): Array<{ field: string; message: string }> {
  return (validate.errors ?? []).map((e) => {
    const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    if (e.keyword === 'required') return { field: [base, e.params.missingProperty].filter(Boolean).join('.'), message: 'is required' };
    if (e.keyword === 'additionalProperties') return { field: [base, e.params.additionalProperty].filter(Boolean).join('.'), message: 'is not a known field' };
    if (e.keyword === 'enum') return { field: base || '(body)', message: `must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}` };
    return { field: base || '(body)', message: e.message ?? 'is invalid' };
  });
}

/**
 * Where a body holds the NUL character (a key or a text value), which PostgreSQL text and jsonb
 * cannot store: found at the edge, the request is refused before anything starts.
 */
export function nulCharacterAt(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(body)' : undefined;
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const at = `${path ? `${path}.` : ''}${key}`;
    if (key.includes('\u0000')) return at;
    const found = nulCharacterAt(child, at);
    if (found) return found;
  }
  return undefined;
}

/** Validates `req.body` against a JSON Schema (compiled once, with the one shared Ajv); 422 with field errors. */
export function validateBody(schema: object): RequestHandler {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  const check = validate;
  return (req, _res, next) => {
    const nul = nulCharacterAt(req.body);
    if (nul) return next(unprocessable('the request body is invalid', { fields: [{ field: nul, message: 'must not contain the NUL character (\\u0000)' }] }));
    if (check(req.body ?? {})) return next();
    next(unprocessable('the request body is invalid', { fields: fieldErrors(check) }));
  };
}
