/**
 * The route contract: how a domain writes its part of the HTTP API once. Each domain's
 * `contract.ts` declares its shapes (TypeBox schemas, which are JSON Schemas the shared Ajv
 * compiles) and its operations; routes bind the same schemas with `body()`/`queryOf()`, and
 * server/http/openapi.ts collects every domain into the OpenAPI 3.1 document.
 */
import type { RequestHandler } from 'express';
import { type Static, type TSchema } from '@sinclair/typebox';
import { validateBody } from './validate';

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

/** What an `/api/v1` operation is written as: its permissions are given once and become the `x-` extensions and the 403. */
export type ApiOperationInput = Omit<Operation, 'x-permission' | 'x-permissions' | 'x-scope'> & {
  /** All of these (the router's and the route's own `requirePermission`s). */
  permission?: string | string[];
  /** Any one of these. */
  anyPermission?: string[];
  scope?: ScopeNote;
  bodyIsJson?: boolean;
};

export type PathItem = Partial<Record<HttpMethod, Operation>>;

/** The subset of OpenAPI 3.1 this document uses. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: Array<{ name: string; description: string }>;
  security: SecurityRequirement[];
  paths: Record<string, PathItem>;
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
export const query = (name: string, description: string, schemaOf: JsonSchema): Parameter => ({
  name,
  in: 'query',
  description,
  schema: schemaOf,
});

/** Lists page the same way (server/http/pagination.ts): newest first, an opaque cursor. */
export const pageParams = [
  query('limit', 'Page size.', { type: 'integer', minimum: 1, maximum: 200, default: 50 }),
  query('cursor', '`nextCursor` of the previous page.', { type: 'string' }),
];

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
export function apiOperation(op: ApiOperationInput): Operation {
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
