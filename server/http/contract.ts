/**
 * The route contract: how a domain writes its part of the HTTP API once. Each domain's
 * `contract.ts` declares its shapes (TypeBox schemas, which are JSON Schemas the shared Ajv
 * compiles) and its operations; routes bind the same schemas with `body()`/`queryOf()`, and
 * server/http/openapi.ts collects every domain into the OpenAPI 3.1 document.
 */
import type { Request, RequestHandler } from 'express';
import { Type, type Static, type TObject, type TOptional, type TSchema } from '@sinclair/typebox';
import { queryValidator, validateBody } from './validate';
import { requestLang } from './lang';

/** A JSON Schema (OpenAPI 3.1 uses JSON Schema 2020-12); TypeBox schemas are ones too. */
export type JsonSchema = { readonly [keyword: string]: unknown };

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

export interface Ref {
  $ref: string;
}
interface MediaType {
  schema: JsonSchema | Ref;
  example?: unknown;
}
interface Header {
  description: string;
  schema: JsonSchema;
}
export interface ResponseObject {
  description: string;
  headers?: Record<string, Header>;
  content?: Record<string, MediaType>;
}
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  description: string;
  schema: JsonSchema;
}
export interface RequestBody {
  required: boolean;
  description?: string;
  content: Record<string, MediaType>;
}
type SecurityRequirement = Record<string, string[]>;

/**
 * `x-scope` of an operation: how it narrows what a caller sees beyond the permissions, so API
 * users (and the authorization matrix test) know when a record that exists answers 404 or 403.
 */
export interface ScopeNote {
  /** What the path's `{id}` names (`record`), or what each row of the answer is (`list`). */
  record: 'order' | 'task' | 'customer' | 'staff';
  /** `record`: one record, answered `denied` when it is not the caller's; `list`: rows are filtered to the caller's. */
  kind: 'record' | 'list';
  /** `own`: callers whose roles all have scope `own`; `self`: every caller, for records other than themselves. */
  who: 'own' | 'self';
  /** The status for a record the caller may not see (kind `record`). */
  denied?: 403 | 404;
  /** A permission that lifts the narrowing (e.g. `kpi.manage` sees everyone's figures). */
  unless?: string;
  description: string;
}

export interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  /** `[]` marks a public operation; absent means the document's global bearer token. */
  security?: SecurityRequirement[];
  /**
   * Every permission the caller's roles must hold (or `*`), as the route enforces them; `[]`:
   * any active staff member's token (or, with `security: []`, nobody's). Every operation has it.
   */
  'x-permission': string[];
  /** At least one of these is needed as well (any-of), when the route accepts alternatives. */
  'x-permissions'?: string[];
  'x-scope'?: ScopeNote;
  parameters?: Parameter[];
  requestBody?: RequestBody;
  responses: Record<string, ResponseObject | Ref>;
}

/**
 * An operation as a contract declares it: `query` is the TypeBox object of its query parameters
 * (each property one parameter, with its `description`), the schema the route checks them with
 * (`queryOf`); server/http/openapi.ts turns it into the document's `parameters` (`in: query`).
 */
export interface DeclaredOperation extends Operation {
  query?: TObject;
}

/** What an `/api/v1` operation is written as: its permissions are given once and become the `x-` extensions and the 403. */
export type ApiOperationInput = Omit<DeclaredOperation, 'x-permission' | 'x-permissions' | 'x-scope'> & {
  /** All of these (the router's and the route's own `requirePermission`s). */
  permission?: string | string[];
  /** Any one of these. */
  anyPermission?: string[];
  scope?: ScopeNote;
  bodyIsJson?: boolean;
};

/** A path's operations as a contract declares them. */
export type PathItem = Partial<Record<HttpMethod, DeclaredOperation>>;
/** A path's operations in the document (query parameters in `parameters`). */
export type DocumentPathItem = Partial<Record<HttpMethod, Operation>>;

/** The subset of OpenAPI 3.1 this document uses. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: Array<{ name: string; description: string }>;
  security: SecurityRequirement[];
  paths: Record<string, DocumentPathItem>;
  components: {
    securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; description: string }>;
    schemas: Record<string, JsonSchema>;
    responses: Record<string, ResponseObject>;
  };
}

/** One domain's part of the API: its tags, its named shapes (components.schemas) and its operations by path. */
export interface DomainContract {
  tags: Array<{ name: string; description: string }>;
  schemas: Record<string, JsonSchema>;
  paths: Record<string, PathItem>;
}

// ─── Building blocks of operations ─────────────────────────────────────────

export const schema = (name: string): Ref => ({ $ref: `#/components/schemas/${name}` });
export const shared = (name: string): Ref => ({ $ref: `#/components/responses/${name}` });
export const json = (body: JsonSchema | Ref): Record<string, MediaType> => ({ 'application/json': { schema: body } });
export const answer = (description: string, body: JsonSchema | Ref): ResponseObject => ({ description, content: json(body) });
export const failure = (description: string): ResponseObject => answer(description, schema('Error'));
export const csv = (description: string): ResponseObject => ({
  description: `${description} UTF-8 with BOM, one line per row.`,
  content: { 'text/csv': { schema: { type: 'string' } } },
});
export const object = (required: string[], properties: Record<string, JsonSchema | Ref>, description?: string): JsonSchema => ({
  type: 'object',
  ...(description ? { description } : {}),
  required,
  properties,
});
export const nullable = (type: string, extra: JsonSchema = {}): JsonSchema => ({ type: [type, 'null'], ...extra });
export const timestamp: JsonSchema = { type: 'string', format: 'date-time' };
export const strings: JsonSchema = { type: 'array', items: { type: 'string' } };

export const pathParam = (name: string, description: string, type = 'string'): Parameter => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type },
});

/** A JSON request body validated with the operation's schema (422 with field errors). */
export const jsonBody = (body: JsonSchema | Ref, description?: string): RequestBody => ({
  required: true,
  ...(description ? { description } : {}),
  content: json(body),
});

/**
 * An operation under `/api/v1`: every one needs the bearer token (401, or 429 after too many
 * failed tries), and most need a permission of the caller's roles (403).
 */
export function apiOperation(op: ApiOperationInput): DeclaredOperation {
  const { permission, anyPermission, scope, bodyIsJson, ...rest } = op;
  const needed = [permission ?? []].flat();
  const needs = needed.length ? `Needs the permission ${needed.map((p) => `\`${p}\``).join(' and ')} (or \`*\`).` : undefined;
  const anyOf = anyPermission?.length ? `Needs one of ${anyPermission.map((p) => `\`${p}\``).join(', ')} as well.` : undefined;
  return {
    ...rest,
    description: [rest.description, needs, anyOf, scope?.description].filter(Boolean).join('\n\n') || undefined,
    'x-permission': needed,
    ...(anyPermission?.length ? { 'x-permissions': anyPermission } : {}),
    ...(scope ? { 'x-scope': scope } : {}),
    responses: {
      ...rest.responses,
      ...(bodyIsJson ? { 400: shared('MalformedBody'), 413: shared('TooLarge'), 415: shared('NotJson') } : {}),
      ...(rest.query && !rest.responses[400] && !bodyIsJson ? { 400: shared('InvalidQuery') } : {}),
      401: shared('Unauthorized'),
      ...((needed.length || anyPermission?.length || scope?.denied === 403) && !rest.responses[403] ? { 403: shared('Forbidden') } : {}),
      ...(scope?.denied === 404 && !rest.responses[404] ? { 404: failure('No such record, or not one the caller may see.') } : {}),
      429: shared('TooManyFailedLogins'),
      503: shared('Unavailable'),
    },
  };
}

// ─── Binding a contract's schemas to routes ────────────────────────────────

/**
 * The route's body check, from the schema its operation documents: 415 for a body not sent as
 * JSON, 422 `{fields: [{field, message}]}` otherwise (server/http/validate.ts). The handler's
 * `req.body` is `Static<typeof schema>`.
 */
export function body<T extends TSchema>(bodySchema: T): RequestHandler<Record<string, string>, unknown, Static<T>> {
  return validateBody(bodySchema) as RequestHandler<Record<string, string>, unknown, Static<T>>;
}

/** A text that is one of `values`, written as JSON Schema writes it (`{type: 'string', enum}`; a Type.Union of literals would be an `anyOf`). */
export function stringEnum<const V extends readonly string[]>(values: V, options: JsonSchema = {}) {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values], ...options });
}

declare const hasDefault: unique symbol;
/** A query parameter with a default: optional for the caller, always there for the handler. */
export type TDefaulted<T extends TSchema> = TOptional<T> & { readonly [hasDefault]: true };

/** A query parameter that takes `value` when it is left out (documented as its `default`). */
export function withDefault<T extends TSchema>(parameter: T, value: Static<T>): TDefaulted<T> {
  return Type.Optional({ ...parameter, default: value }) as unknown as TDefaulted<T>;
}

type DefaultedNames<T extends TObject> = {
  [K in keyof T['properties']]: T['properties'][K] extends { readonly [hasDefault]: true } ? K : never;
}[keyof T['properties']];

/** What a handler reads from `queryValues`: the schema's static type, with defaulted parameters always present. */
export type QueryValues<T extends TObject> = Static<T> & { [K in DefaultedNames<T>]-?: Static<T['properties'][K]> };

/** Checked query values per request, where `queryValues` finds them (never on `req.query`, never on a prototype). */
const checkedQueries = new WeakMap<object, { schema: TObject; values: Record<string, unknown> }>();

/**
 * The route's query check, from the schema its operation documents as `query`: values are
 * converted to the parameters' types, defaults filled in, and a bad value is 400 `bad_request`
 * with `details.fields` naming each parameter (server/http/validate.ts). A repeated parameter is
 * refused as on every route; parameters the schema does not name are ignored. The handler reads
 * the result with `queryValues(req, schema)`.
 */
export function queryOf<T extends TObject>(querySchema: T): RequestHandler {
  const validate = queryValidator(querySchema);
  return (req, _res, next) => {
    try {
      checkedQueries.set(req, { schema: querySchema, values: validate(req.query ?? {}, requestLang(req)) });
    } catch (err) {
      return next(err);
    }
    next();
  };
}

/** The query values `queryOf(schema)` checked for this request; an error if the route did not mount it (a bug, not the caller's). */
export function queryValues<T extends TObject>(req: Request, querySchema: T): QueryValues<T> {
  const checked = checkedQueries.get(req);
  if (checked?.schema !== querySchema)
    throw new Error('the route reads query parameters it did not check: mount queryOf(schema) before it');
  return checked.values as QueryValues<T>;
}
