/**
 * The API's own part of the contract: health, this document, the caller; the one error shape and the shared responses.
 */
import {
  schema,
  json,
  answer,
  failure,
  object,
  nullable,
  timestamp,
  strings,
  apiOperation,
  type DomainContract,
  type PathItem,
  type JsonSchema,
  type ResponseObject,
} from './contract';

export const schemas: Record<string, JsonSchema> = {
  Error: object(
    ['error'],
    {
      error: object(['code', 'message'], {
        code: {
          type: 'string',
          description:
            'Stable and machine-readable: `bad_request`, `unauthorized`, `forbidden`, `not_found`, `conflict`, `invalid`, `invalid_definition`, `no_active_process`, `unsupported_media_type`, `too_large`, `too_many_failed_logins`, `too_many_forged_webhooks`, `internal`.',
        },
        message: { type: 'string', description: 'For people; may change.' },
        details: { description: 'More about the error. For an invalid body (422 `invalid`): `{fields: [{field, message}]}`.' },
      }),
    },
    'The one error shape of the API.',
  ),
  FieldError: object(['field', 'message'], { field: { type: 'string', examples: ['customer.phone'] }, message: { type: 'string' } }),

  Health: object(['status', 'temporal', 'db', 'dbDriver', 'namespace', 'taskQueue', 'version', 'uptimeSeconds'], {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    temporal: { type: 'string', description: '`ok`, or `error: <reason>`.' },
    db: { type: 'string', description: '`ok`, or `error: <reason>`.' },
    dbDriver: { type: 'string', examples: ['postgres', 'pglite'] },
    namespace: { type: 'string' },
    taskQueue: { type: 'string' },
    version: { type: 'string' },
    uptimeSeconds: { type: 'integer' },
    stuck: schema('StuckWorkflows'),
  }),

  StuckWorkflows: object(
    ['count', 'workflows'],
    {
      count: { type: 'integer' },
      workflows: {
        type: 'array',
        items: object(['workflowId', 'kind', 'reason', 'since'], {
          workflowId: { type: 'string', examples: ['order:ord_abc'] },
          type: { type: 'string', examples: ['orderWorkflow'] },
          kind: { type: 'string', enum: ['workflow-task-failing', 'activity-retrying', 'ended-while-open'] },
          reason: { type: 'string', description: "What is wrong, in Vietnamese, with the failure's own message when there is one." },
          since: nullable('string', { format: 'date-time' }),
        }),
      },
      checkedAt: timestamp,
      error: { type: 'string', description: 'The scan could not finish (Temporal did not answer); the list is what it found.' },
    },
    'Workflows failing anyway (a bug, not a business error): a workflow task failing repeatedly, an activity retrying 10+ times, or a workflow that ended failed/terminated/timed out while its order, complaint or KPI period is still open. Scans the newest 200 running workflows of the task queue, cached 10 s.',
  ),

  Me: object(['staffId', 'name', 'roles', 'channels', 'scope', 'permissions'], {
    staffId: { type: 'string' },
    name: { type: 'string' },
    roles: strings,
    channels: strings,
    scope: { type: 'string', enum: ['own', 'all'], description: '`all` if any of the roles sees every record.' },
    permissions: { ...strings, description: "The union of the roles' permissions, sorted; `*` is all of them." },
    outsourced: object(
      ['role', 'handBackTo', 'pay', 'endsAt'],
      {
        role: { type: 'string' },
        handBackTo: { type: 'string' },
        pay: { type: 'string', enum: ['commission-only', 'base-and-commission'] },
        endsAt: nullable('string', { format: 'date-time' }),
      },
      "Present when one of the roles is outsourced: scope is own, customers' phones are masked unless the caller holds an open task for them, exports answer 403, and tokens stop at `endsAt` (401 `contract_ended`).",
    ),
  }),
};

export const paths: Record<string, PathItem> = {
  '/healthz': {
    get: {
      operationId: 'getHealth',
      tags: ['health'],
      security: [],
      'x-permission': [],
      summary: 'Health of the API and the parts it needs',
      description:
        'For load balancers: 200 when Temporal and the database answer within 3 s each; `stuck` lists the workflows failing anyway (still 200).',
      responses: {
        200: answer('Every part is ok.', schema('Health')),
        503: answer('A part is down; it is named, with the reason.', schema('Health')),
      },
    },
  },
  '/api/v1/openapi.json': {
    get: {
      operationId: 'getOpenApi',
      tags: ['docs'],
      security: [],
      'x-permission': [],
      summary: 'This OpenAPI document',
      responses: { 200: answer('The OpenAPI 3.1 document.', { type: 'object' }) },
    },
  },
  '/api/docs': {
    get: {
      operationId: 'getApiDocs',
      tags: ['docs'],
      security: [],
      'x-permission': [],
      summary: 'Browsable API docs (Swagger UI)',
      description: 'An HTML page showing this document; its assets are served under `/api/docs/`. Works offline.',
      responses: { 200: { description: 'The docs page.', content: { 'text/html': { schema: { type: 'string' } } } } },
    },
  },

  '/api/v1/me': {
    get: apiOperation({
      operationId: 'getMe',
      tags: ['me'],
      summary: 'Who the token belongs to',
      description: "The caller's roles, channels, scope and resolved permissions.",
      responses: { 200: answer('The caller.', schema('Me')) },
    }),
  },
};

/** The responses many operations share (components.responses). */
export const responses: Record<string, ResponseObject> = {
  Unauthorized: failure(
    'No `Authorization: Bearer <token>`, or the token is unknown, revoked, or of a deactivated staff member; or an outsourced member whose contract ended (code `contract_ended`).',
  ),
  Forbidden: failure("The caller's roles do not allow this."),
  Unavailable: {
    ...failure('PostgreSQL or Temporal is not answering (code `unavailable`); nothing was changed. Retry after `Retry-After` seconds.'),
    headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } },
  },
  TooManyFailedLogins: {
    description: 'Too many failed authentications from this address (20 a minute); code `too_many_failed_logins`.',
    headers: { 'Retry-After': { description: 'Seconds until the address may try again.', schema: { type: 'integer' } } },
    content: json(schema('Error')),
  },
  MalformedBody: failure('The body is not valid JSON.'),
  NotJson: failure(
    'The body was sent as something other than JSON; send it with `Content-Type: application/json` (code `unsupported_media_type`).',
  ),
  TooLarge: failure('The body is larger than the limit (JSON 256 kB, YAML 1 MB); code `too_large`.'),
  InvalidQuery: failure(
    'A query parameter is repeated or its value does not match its schema (code `bad_request`); `details.fields` names each parameter. Nothing is changed.',
  ),
  InvalidBody: answer('The body does not match the schema; `details.fields` names each field (code `invalid`).', {
    allOf: [
      schema('Error'),
      object(['error'], {
        error: object(['details'], { details: object(['fields'], { fields: { type: 'array', items: schema('FieldError') } }) }),
      }),
    ],
  }),
};

export const contract: DomainContract = {
  tags: [
    { name: 'health', description: 'Probes for load balancers.' },
    { name: 'docs', description: 'This document and its browsable page.' },
    { name: 'me', description: 'The caller.' },
  ],
  schemas,
  paths,
};
