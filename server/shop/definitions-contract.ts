/**
 * Definitions: upload, validate, versions and activation of the shop's YAML.
 */
import {
  schema,
  shared,
  json,
  answer,
  failure,
  object,
  nullable,
  timestamp,
  strings,
  pathParam,
  apiOperation,
  type DomainContract,
  type PathItem,
  type JsonSchema,
  type RequestBody,
  jsonBody,
} from '../http/contract';
import { SimulateBody, SimulateQuery } from './simulate';

const yamlBody: RequestBody = {
  required: true,
  description:
    'The YAML definition (a Shop or an OrderProcess). Also accepted as `application/x-yaml`, `text/yaml`, `text/x-yaml`, `text/plain`; at most 1 MB.',
  content: {
    'application/yaml': {
      schema: { type: 'string' },
      example: 'apiVersion: shopflow/v1\nkind: OrderProcess\nmetadata:\n  name: standard-order\n…',
    },
  },
};
const yamlFailures = {
  400: failure('The body is empty.'),
  413: shared('TooLarge'),
  415: failure('The body is not YAML: send it with `Content-Type: application/yaml` (code `unsupported_media_type`).'),
};
const definitionName = pathParam('name', "The definition's `metadata.name`.");
const definitionVersion = pathParam('version', 'A version number (1, 2, …).', 'integer');
const badVersion = failure('`version` is not a whole number ≥ 1.');

export const schemas: Record<string, JsonSchema> = {
  DefinitionSummary: object(['name', 'kind', 'latestVersion', 'activeVersion', 'title'], {
    name: { type: 'string' },
    kind: { type: 'string', examples: ['Shop', 'OrderProcess'] },
    latestVersion: { type: 'integer' },
    activeVersion: nullable('integer'),
    title: { type: 'string', description: 'Of the active version, else of the latest.' },
  }),
  DefinitionVersion: object(['name', 'kind', 'version', 'hash', 'active', 'author', 'source', 'createdAt', 'activatedAt'], {
    name: { type: 'string' },
    kind: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    hash: { type: 'string', description: '`sha256:<hex>` of the YAML.' },
    active: { type: 'boolean' },
    author: nullable('string', { description: 'Staff id, or `system` for files loaded at start-up.' }),
    source: nullable('string', { description: '`api`, or the file it was loaded from.' }),
    createdAt: timestamp,
    activatedAt: nullable('string', { format: 'date-time' }),
  }),
  DefinitionVersionDetail: {
    allOf: [
      schema('DefinitionVersion'),
      object(['yaml', 'compiled'], {
        yaml: { type: 'string' },
        compiled: { type: 'object', description: 'The compiled definition, as workflows run it.' },
      }),
    ],
  },
  Definition: object(['name', 'kind', 'latestVersion', 'activeVersion', 'active'], {
    name: { type: 'string' },
    kind: { type: 'string' },
    latestVersion: { type: 'integer' },
    activeVersion: nullable('integer'),
    active: { oneOf: [schema('DefinitionVersionDetail'), { type: 'null' }] },
  }),
  LoadSummary: object(['kind', 'name', 'title', 'roles', 'text'], {
    kind: { type: 'string' },
    name: { type: 'string' },
    title: { type: 'string' },
    stageCount: { type: 'integer', description: 'Process definitions only.' },
    roles: strings,
    text: { type: 'string', examples: ['OrderProcess standard-order (Quy trình đơn hàng chuẩn): 14 stages; roles: cskh, sales'] },
  }),
  DefinitionError: object(['path', 'line', 'col', 'message'], {
    path: { type: 'string', description: 'Where in the document, e.g. `spec.stages.close.sla`.' },
    line: { type: 'integer' },
    col: { type: 'integer' },
    message: { type: 'string' },
  }),
  SimulationRequest: SimulateBody,
  SimulationVersionReport: object(
    [
      'label',
      'name',
      'version',
      'title',
      'orders',
      'finished',
      'byResult',
      'stuck',
      'timeToDeliveryHours',
      'slaBreaches',
      'escalations',
      'workload',
      'courierMix',
      'codAtRisk',
    ],
    {
      label: { type: 'string', enum: ['candidate', 'active'] },
      name: { type: 'string' },
      version: nullable('integer', { description: 'null for the candidate (not stored).' }),
      title: { type: 'string' },
      orders: { type: 'integer', description: 'Arrivals simulated.' },
      finished: { type: 'integer', description: 'Orders that reached an end stage by the end of the window.' },
      byResult: {
        type: 'object',
        additionalProperties: { type: 'integer' },
        description: 'Orders per end result (completed, lost, cancelled, returned).',
      },
      stuck: { type: 'integer', description: 'Walks cut after 200 visits (a loop the drawn outcomes kept going round).' },
      timeToDeliveryHours: object(['median', 'p90', 'delivered'], {
        median: nullable('number'),
        p90: nullable('number'),
        delivered: { type: 'integer' },
      }),
      slaBreaches: {
        type: 'array',
        items: object(['stage', 'title', 'tasks', 'breaches'], {
          stage: { type: 'string' },
          title: { type: 'string' },
          tasks: { type: 'integer', description: 'Tasks (human stage) or parcels (courier stage).' },
          breaches: { type: 'integer' },
        }),
      },
      escalations: {
        type: 'array',
        items: object(['stage', 'title', 'rung', 'count'], {
          stage: { type: 'string' },
          title: { type: 'string' },
          rung: { type: 'integer', minimum: 1 },
          count: { type: 'integer' },
        }),
      },
      workload: {
        type: 'array',
        items: object(['role', 'title', 'tasksPerDay', 'byHour', 'queueByHour', 'overloaded'], {
          role: { type: 'string' },
          title: { type: 'string' },
          tasksPerDay: { type: 'number' },
          byHour: { type: 'array', items: { type: 'number' }, description: '24 entries: tasks opened per day in each local hour.' },
          queueByHour: {
            type: 'array',
            items: { type: 'number' },
            description: 'Mean tasks still waiting at the end of each local hour with the staffing as it was.',
          },
          overloaded: { ...strings, examples: [['10:00–12:00']] },
        }),
      },
      courierMix: {
        type: 'array',
        items: object(['courier', 'shipments'], { courier: { type: 'string' }, shipments: { type: 'integer' } }),
      },
      codAtRisk: object(['amount', 'orders'], {
        amount: { type: 'integer', description: 'VND of COD on parcels returned, failed or still on their way at the end of the window.' },
        orders: { type: 'integer' },
      }),
    },
  ),
  SimulationReport: object(['seed', 'window', 'basis', 'basisNote', 'notes', 'candidate', 'active', 'differences', 'summary'], {
    seed: { type: 'integer' },
    window: object(['from', 'to', 'days'], { from: timestamp, to: timestamp, days: { type: 'integer' } }),
    basis: { type: 'string', enum: ['history', 'assumptions'] },
    basisNote: { type: 'string', description: 'What the simulation rests on, in Vietnamese (says so when it used assumptions).' },
    assumptions: { type: 'object' },
    notes: { ...strings, description: 'Where the history was thin and what was assumed instead.' },
    candidate: schema('SimulationVersionReport'),
    active: schema('SimulationVersionReport'),
    differences: {
      type: 'array',
      items: object(['metric', 'active', 'candidate', 'delta', 'text'], {
        metric: { type: 'string', examples: ['tasksPerDay.cskh'] },
        active: nullable('number'),
        candidate: nullable('number'),
        delta: nullable('number'),
        text: { type: 'string', examples: ['+41 việc CSKH/ngày'] },
      }),
    },
    summary: {
      ...strings,
      description: 'The plain-language summary (Vietnamese).',
      examples: [['thêm bước xác nhận đơn cho đơn COD ≥ 3 triệu: +41 việc CSKH/ngày, CSKH quá tải 10:00–12:00']],
    },
  }),
  DefinitionSaved: object(['name', 'kind', 'version', 'hash', 'created', 'active', 'summary'], {
    name: { type: 'string' },
    kind: { type: 'string' },
    version: { type: 'integer' },
    hash: { type: 'string' },
    created: { type: 'boolean', description: 'false when identical YAML was already stored (that version is returned).' },
    active: { type: 'boolean' },
    summary: schema('LoadSummary'),
  }),
};

export const paths: Record<string, PathItem> = {
  '/api/v1/definitions': {
    get: apiOperation({
      operationId: 'listDefinitions',
      tags: ['definitions'],
      permission: 'definitions.manage',
      summary: 'List definitions',
      description: 'One entry per name, with its latest and active version.',
      responses: {
        200: answer('The definitions.', object(['definitions'], { definitions: { type: 'array', items: schema('DefinitionSummary') } })),
      },
    }),
    post: apiOperation({
      operationId: 'uploadDefinition',
      tags: ['definitions'],
      permission: 'definitions.manage',
      summary: 'Upload a definition version',
      description:
        'Validates the YAML and stores it as a new immutable version; it is not activated. Identical YAML returns the existing version (200).',
      requestBody: yamlBody,
      responses: {
        201: answer('A new version was stored.', schema('DefinitionSaved')),
        200: answer('This exact YAML was already stored; that version.', schema('DefinitionSaved')),
        ...yamlFailures,
        409: failure('The name is already used by a definition of another kind.'),
        422: answer('The YAML is invalid: code `invalid_definition`, every error in `details.errors`.', {
          allOf: [
            schema('Error'),
            object(['error'], {
              error: object(['details'], { details: object(['errors'], { errors: { type: 'array', items: schema('DefinitionError') } }) }),
            }),
          ],
        }),
      },
    }),
  },
  '/api/v1/definitions/validate': {
    post: apiOperation({
      operationId: 'validateDefinition',
      tags: ['definitions'],
      permission: 'definitions.manage',
      summary: 'Validate a definition without storing it',
      description: 'A process is validated against the active shop.',
      requestBody: yamlBody,
      responses: {
        200: answer('The YAML is valid.', object(['valid', 'summary'], { valid: { const: true }, summary: schema('LoadSummary') })),
        ...yamlFailures,
        422: answer(
          'The YAML is invalid (this body is not the error shape).',
          object(['valid', 'errors'], { valid: { const: false }, errors: { type: 'array', items: schema('DefinitionError') } }),
        ),
      },
    }),
  },
  '/api/v1/definitions/simulate': {
    post: apiOperation({
      operationId: 'simulateDefinition',
      tags: ['definitions'],
      permission: 'definitions.manage',
      bodyIsJson: true,
      summary: 'What-if: a candidate order process on the shop’s own history',
      description:
        'Replays the window’s real order arrivals through the candidate and through the active version side by side: task durations and outcomes drawn from the shop’s measured distributions per role, stage and hour, courier transit times per courier and province, the staffing as it was, the working hours and days off. Deterministic for a seed. A shop without history states `assumptions` (orders per day, minutes per task) and the report says so. Nothing is stored.',
      query: SimulateQuery,
      requestBody: {
        required: true,
        description:
          'JSON (`SimulationRequest`), or the candidate YAML itself as the body (`application/yaml`, as `POST /definitions/validate` takes it) with `weeks` or `from`/`to` and `seed` as query parameters.',
        content: { ...jsonBody(schema('SimulationRequest')).content, 'application/yaml': { schema: { type: 'string' } } },
      },
      responses: {
        200: answer('Both versions’ reports, the differences and a plain-language summary.', schema('SimulationReport')),
        422: failure(
          'The body is invalid (`details.fields`: weeks with from/to, to before from, a role in `assumptions.staff` the shop does not have, no history and no assumptions), or the candidate YAML is (code `invalid_definition`, `details.fields` and every error in `details.errors`).',
        ),
      },
    }),
  },
  '/api/v1/definitions/{name}': {
    get: apiOperation({
      operationId: 'getDefinition',
      tags: ['definitions'],
      permission: 'definitions.manage',
      summary: 'Read a definition and its active version',
      parameters: [definitionName],
      responses: { 200: answer('The definition.', schema('Definition')), 404: failure('No definition of that name.') },
    }),
  },
  '/api/v1/definitions/{name}/versions': {
    get: apiOperation({
      operationId: 'listDefinitionVersions',
      tags: ['definitions'],
      permission: 'definitions.manage',
      summary: 'List the versions of a definition',
      description: 'Newest first.',
      parameters: [definitionName],
      responses: {
        200: answer('The versions.', object(['versions'], { versions: { type: 'array', items: schema('DefinitionVersion') } })),
        404: failure('No definition of that name.'),
      },
    }),
  },
  '/api/v1/definitions/{name}/versions/{version}': {
    get: apiOperation({
      operationId: 'getDefinitionVersion',
      tags: ['definitions'],
      permission: 'definitions.manage',
      summary: 'Read one version',
      description: 'JSON with the YAML and compiled form; the YAML alone with `Accept: application/yaml`.',
      parameters: [definitionName, definitionVersion],
      responses: {
        200: {
          description: 'The version.',
          content: { ...json(schema('DefinitionVersionDetail')), 'application/yaml': { schema: { type: 'string' } } },
        },
        400: badVersion,
        404: failure('No such definition or version.'),
      },
    }),
  },
  '/api/v1/definitions/{name}/versions/{version}/activate': {
    post: apiOperation({
      operationId: 'activateDefinitionVersion',
      tags: ['definitions'],
      permission: 'definitions.manage',
      summary: 'Make a version the active one',
      description:
        'New orders take the active process version; running orders keep theirs. A shop version is refused if an active process would no longer validate against it.',
      parameters: [definitionName, definitionVersion],
      responses: {
        200: answer('The version, now active.', schema('DefinitionVersion')),
        400: badVersion,
        404: failure('No such definition or version.'),
        422: failure(
          'The shop version would break active processes: `details.errors` lists `{definition, path, line, col, message}` (code `invalid`).',
        ),
      },
    }),
  },
};

export const contract: DomainContract = {
  tags: [{ name: 'definitions', description: 'Shop and process definitions (YAML): versions and activation.' }],
  schemas,
  paths,
};
