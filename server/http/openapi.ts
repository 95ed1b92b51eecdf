/**
 * The OpenAPI 3.1 description of shopflow's whole HTTP API, built in code so it can reuse the
 * JSON Schemas the routes validate bodies with. `tests/integration/openapi.test.ts` keeps it
 * true: every route the app registers is documented here, and everything documented exists.
 */
import { leadSchema } from '../orders/leads-routes';
import { createStaffSchema, patchStaffSchema, tokenSchema } from '../staff/routes';
import { completeSchema, reassignSchema } from '../tasks/routes';
import { cancelSchema } from '../orders/routes';
import { reviseTargetSchema, startPeriodSchema } from '../kpi/routes';
import { createCustomerSchema, mergeCustomerSchema, patchCustomerSchema } from '../customers/routes';
import { complaintSchema } from '../complaints/routes';
import { booksOpenApi } from '../books/openapi';

const version: string = require('../../package.json').version;

/** A JSON Schema (OpenAPI 3.1 uses JSON Schema 2020-12); the routes' Ajv schemas are ones too. */
export type JsonSchema = { readonly [keyword: string]: unknown };

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

interface Ref { $ref: string }
interface MediaType { schema: JsonSchema | Ref; example?: unknown }
interface Header { description: string; schema: JsonSchema }
export interface ResponseObject { description: string; headers?: Record<string, Header>; content?: Record<string, MediaType> }
export interface Parameter { name: string; in: 'path' | 'query' | 'header'; required?: boolean; description: string; schema: JsonSchema }
interface RequestBody { required: boolean; description?: string; content: Record<string, MediaType> }
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

// ─── Helpers ────────────────────────────────────────────────────────────────

const schema = (name: string): Ref => ({ $ref: `#/components/schemas/${name}` });
const shared = (name: string): Ref => ({ $ref: `#/components/responses/${name}` });
const json = (body: JsonSchema | Ref): Record<string, MediaType> => ({ 'application/json': { schema: body } });
const answer = (description: string, body: JsonSchema | Ref): ResponseObject => ({ description, content: json(body) });
const failure = (description: string): ResponseObject => answer(description, schema('Error'));
const object = (required: string[], properties: Record<string, JsonSchema | Ref>, description?: string): JsonSchema =>
  ({ type: 'object', ...(description ? { description } : {}), required, properties });
const nullable = (type: string, extra: JsonSchema = {}): JsonSchema => ({ type: [type, 'null'], ...extra });
const timestamp: JsonSchema = { type: 'string', format: 'date-time' };
const strings: JsonSchema = { type: 'array', items: { type: 'string' } };

const pathParam = (name: string, description: string, type = 'string'): Parameter => ({ name, in: 'path', required: true, description, schema: { type } });
const query = (name: string, description: string, schemaOf: JsonSchema): Parameter => ({ name, in: 'query', description, schema: schemaOf });

/**
 * An operation under `/api/v1`: every one needs the bearer token (401, or 429 after too many
 * failed tries), and most need a permission of the caller's roles (403).
 */
function apiOperation(op: ApiOperationInput): Operation {
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

/** A JSON request body validated with one of the routes' schemas (422 with field errors). */
const jsonBody = (body: JsonSchema | Ref, description?: string): RequestBody => ({ required: true, ...(description ? { description } : {}), content: json(body) });
const yamlBody: RequestBody = {
  required: true,
  description: 'The YAML definition (a Shop or an OrderProcess). Also accepted as `application/x-yaml`, `text/yaml`, `text/x-yaml`, `text/plain`; at most 1 MB.',
  content: { 'application/yaml': { schema: { type: 'string' }, example: 'apiVersion: shopflow/v1\nkind: OrderProcess\nmetadata:\n  name: standard-order\n…' } },
};
const yamlFailures = {
  400: failure('The body is empty.'),
  413: shared('TooLarge'),
  415: failure('The body is not YAML: send it with `Content-Type: application/yaml` (code `unsupported_media_type`).'),
};

// ─── Shapes ─────────────────────────────────────────────────────────────────

const schemas: Record<string, JsonSchema> = {
  Error: object(['error'], {
    error: object(['code', 'message'], {
      code: { type: 'string', description: 'Stable and machine-readable: `bad_request`, `unauthorized`, `forbidden`, `not_found`, `conflict`, `invalid`, `invalid_definition`, `no_active_process`, `unsupported_media_type`, `too_large`, `too_many_failed_logins`, `too_many_forged_webhooks`, `internal`.' },
      message: { type: 'string', description: 'For people; may change.' },
      details: { description: 'More about the error. For an invalid body (422 `invalid`): `{fields: [{field, message}]}`.' },
    }),
  }, 'The one error shape of the API.'),
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

  StuckWorkflows: object(['count', 'workflows'], {
    count: { type: 'integer' },
    workflows: { type: 'array', items: object(['workflowId', 'kind', 'reason', 'since'], {
      workflowId: { type: 'string', examples: ['order:ord_abc'] },
      type: { type: 'string', examples: ['orderWorkflow'] },
      kind: { type: 'string', enum: ['workflow-task-failing', 'activity-retrying', 'ended-while-open'] },
      reason: { type: 'string', description: 'What is wrong, in Vietnamese, with the failure\'s own message when there is one.' },
      since: nullable('string', { format: 'date-time' }),
    }) },
    checkedAt: timestamp,
    error: { type: 'string', description: 'The scan could not finish (Temporal did not answer); the list is what it found.' },
  }, 'Workflows failing anyway (a bug, not a business error): a workflow task failing repeatedly, an activity retrying 10+ times, or a workflow that ended failed/terminated/timed out while its order, complaint or KPI period is still open. Scans the newest 200 running workflows of the task queue, cached 10 s.'),

  Me: object(['staffId', 'name', 'roles', 'channels', 'scope', 'permissions'], {
    staffId: { type: 'string' },
    name: { type: 'string' },
    roles: strings,
    channels: strings,
    scope: { type: 'string', enum: ['own', 'all'], description: '`all` if any of the roles sees every record.' },
    permissions: { ...strings, description: 'The union of the roles\' permissions, sorted; `*` is all of them.' },
  }),

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
    allOf: [schema('DefinitionVersion'), object(['yaml', 'compiled'], {
      yaml: { type: 'string' },
      compiled: { type: 'object', description: 'The compiled definition, as workflows run it.' },
    })],
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
  DefinitionSaved: object(['name', 'kind', 'version', 'hash', 'created', 'active', 'summary'], {
    name: { type: 'string' },
    kind: { type: 'string' },
    version: { type: 'integer' },
    hash: { type: 'string' },
    created: { type: 'boolean', description: 'false when identical YAML was already stored (that version is returned).' },
    active: { type: 'boolean' },
    summary: schema('LoadSummary'),
  }),

  Staff: object(['id', 'name', 'phone', 'email', 'roles', 'channels', 'active', 'createdAt'], {
    id: { type: 'string', examples: ['stf_1a2b3c4d5e6f'] },
    name: { type: 'string' },
    phone: nullable('string'),
    email: nullable('string'),
    roles: strings,
    channels: strings,
    active: { type: 'boolean' },
    createdAt: timestamp,
  }),
  ApiToken: object(['id', 'label', 'createdAt', 'lastUsedAt', 'revokedAt'], {
    id: { type: 'string', examples: ['tok_1a2b3c4d5e6f'] },
    label: nullable('string'),
    createdAt: timestamp,
    lastUsedAt: nullable('string', { format: 'date-time' }),
    revokedAt: nullable('string', { format: 'date-time' }),
  }, 'A token as listed: never its secret.'),
  IssuedToken: object(['tokenId', 'token'], {
    tokenId: { type: 'string' },
    token: { type: 'string', description: 'The secret (`sf_…`), shown this once; only its hash is stored.' },
  }),

  Task: object(['id', 'stage', 'title', 'role', 'assigneeId', 'priority', 'status', 'subject', 'createdAt', 'dueAt', 'timeLeftSeconds', 'overdue', 'escalationLevel', 'followUpOf'], {
    id: { type: 'string' },
    stage: { type: 'string' },
    title: { type: 'string' },
    role: { type: 'string' },
    assigneeId: nullable('string', { description: 'null: in the queue of the role.' }),
    priority: { type: 'string', enum: ['low', 'normal', 'high', 'urgent'] },
    status: { type: 'string', enum: ['open', 'done', 'cancelled'] },
    subject: {
      type: 'object', required: ['type', 'id'],
      properties: { type: { type: 'string', examples: ['order'] }, id: { type: 'string', examples: ['DH250301-1A2B3C4D'] } },
      description: 'What the task is about, plus summary fields for lists (customer, phone, channel, …).',
    },
    createdAt: timestamp,
    dueAt: nullable('string', { format: 'date-time' }),
    timeLeftSeconds: nullable('integer', { description: 'Negative when overdue; null when not open or without SLA.' }),
    overdue: { type: 'boolean' },
    escalationLevel: { type: 'integer' },
    followUpOf: nullable('string', { description: 'The task whose escalation opened this one.' }),
    outcome: nullable('string', { description: 'Only when not open.' }),
    completedBy: nullable('string', { description: 'Only when not open.' }),
    completedAt: nullable('string', { format: 'date-time', description: 'Only when not open.' }),
  }),
  TaskOutcome: object(['name', 'title', 'form', 'forward'], {
    name: { type: 'string' },
    title: { type: 'string' },
    form: { type: 'object', description: 'JSON Schema of the data this outcome needs.' },
    forward: { type: 'boolean', description: 'true for the first outcome: the one that moves the process on.' },
  }),
  TimelineEvent: object(['at', 'type', 'actor', 'data'], {
    at: timestamp,
    type: { type: 'string', description: 'An order event (`opened`, `stage_entered`, …) or a task event prefixed `task_` (`task_opened`, `task_claimed`, `task_escalated`, …).' },
    actor: nullable('string'),
    data: nullable('object'),
    from: nullable('string', { description: 'Order events: the stage left.' }),
    to: nullable('string', { description: 'Order events: the stage entered.' }),
    taskId: { type: 'string', description: 'Task events only.' },
    task: { type: 'string', description: 'Task events only: the task\'s title.' },
  }),
  TaskDetail: {
    allOf: [schema('Task'), object(['description', 'form', 'outcomes', 'timeline'], {
      description: nullable('string'),
      form: { type: 'object', description: 'JSON Schema of the data the task asks for.' },
      outcomes: { type: 'array', items: schema('TaskOutcome') },
      timeline: { type: 'array', items: schema('TimelineEvent'), description: 'The order\'s events and its tasks\' events, oldest first.' },
    })],
  },
  TaskPage: object(['tasks', 'nextCursor'], {
    tasks: { type: 'array', items: schema('Task') },
    nextCursor: nullable('string', { description: 'Pass as `cursor` for the next page; null on the last page.' }),
  }),

  NewStaff: { ...createStaffSchema, description: 'Roles and channels must exist in the active shop; `issueToken` defaults to true.' },
  StaffChange: { ...patchStaffSchema, description: 'At least one field.' },
  TokenRequest: { ...tokenSchema, description: 'The body may be omitted.' },
  TaskCompletion: { ...completeSchema, description: '`outcome` is one of the task\'s outcomes; `data` must match that outcome\'s form.' },
  TaskReassignment: reassignSchema,
  Lead: { ...leadSchema, description: '`customer.phone` must be a Vietnamese number (0xxxxxxxxx or +84xxxxxxxxx); `channel` one of the shop\'s channels; `process` an active OrderProcess (default: the most recently activated one).' },
  LeadStarted: object(['leadId', 'orderId', 'workflowId', 'definition', 'assignedTo', 'created'], {
    leadId: { type: 'string', description: 'Same as `orderId`.' },
    orderId: { type: 'string', examples: ['DH250301-1A2B3C4D'] },
    workflowId: { type: 'string', examples: ['order:DH250301-1A2B3C4D'] },
    definition: object(['name', 'version'], { name: { type: 'string' }, version: { type: 'integer' } }),
    assignedTo: nullable('string', { description: 'Who the first task went to, if it opened within ~2 s and was auto-assigned.' }),
    created: { type: 'boolean' },
  }),

  Order: object(['id', 'status', 'stage', 'channel', 'customer', 'total', 'codAmount', 'courier', 'trackingCode', 'definition', 'createdAt', 'updatedAt'], {
    id: { type: 'string', examples: ['DH250301-1A2B3C4D'] },
    status: { type: 'string', description: '`open` while it runs; then the end stage\'s result: `completed`, `lost`, `cancelled`, `returned`.' },
    stage: nullable('string', { description: 'Current (or final) stage id.' }),
    channel: nullable('string'),
    campaign: nullable('string'),
    customer: object(['id', 'name', 'phone'], { id: nullable('string'), name: nullable('string'), phone: nullable('string', { description: 'Normalised: 0xxxxxxxxx.' }) }),
    total: nullable('integer', { description: 'VND, known once the lead is closed.' }),
    codAmount: nullable('integer', { description: 'Cash to collect on delivery, VND.' }),
    courier: nullable('string'),
    trackingCode: nullable('string'),
    definition: { oneOf: [{ type: 'null' }, object(['name', 'version'], { name: { type: 'string' }, version: nullable('integer') })], description: 'The definition version the order runs (never changes).' },
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
  OrderPage: object(['orders', 'nextCursor'], {
    orders: { type: 'array', items: schema('Order') },
    nextCursor: nullable('string', { description: 'Pass as `cursor` for the next page; null on the last page.' }),
  }),
  OrderDetail: {
    allOf: [schema('Order'), object(['current', 'path', 'items', 'shippingAddress', 'shipment', 'timeline'], {
      current: {
        oneOf: [{ type: 'null' }, object(['stage', 'title', 'since', 'waitingOn', 'result'], {
          stage: { type: 'string' }, title: { type: 'string' }, since: timestamp,
          waitingOn: { type: 'array', items: { type: 'object' }, description: 'Open tasks: taskId, role, assigneeId, priority, dueAt, escalationLevel.' },
          result: nullable('string'),
        })],
        description: 'Where the order is, from its workflow; null if the workflow could not be asked.',
      },
      path: { oneOf: [{ type: 'null' }, { type: 'array', items: { type: 'object' } }], description: 'Stages visited with outcome and actor.' },
      items: {
        type: 'array', description: 'What staff agreed (the closing form, or a substitution when stock was short): the data of the order\'s finished steps, later ones winning. Empty until the lead is closed. `name` is the catalogue\'s when the SKU is a product, else as typed.',
        items: object(['sku', 'name', 'qty', 'price', 'amount'], {
          sku: nullable('string'), name: nullable('string'), qty: nullable('number'),
          price: nullable('number', { description: 'Unit price, VND, if entered.' }), amount: nullable('number', { description: 'qty × price, VND.' }),
        }),
      },
      shippingAddress: {
        oneOf: [{ type: 'null' }, object(['street', 'ward', 'district', 'province', 'text'], {
          street: nullable('string', { description: 'A new address typed by CSKH replaces the street, as in the courier request.' }), ward: nullable('string'), district: nullable('string'), province: nullable('string'),
          text: { type: 'string', description: 'The parts on one line.' },
        })],
        description: 'Where the parcel goes, from the same step data; null until entered.',
      },
      shipment: {
        oneOf: [{ type: 'null' }, object(['courier', 'trackingCode', 'state', 'status'], {
          courier: { type: 'string' }, trackingCode: { type: 'string' },
          state: { type: 'string', description: 'shopflow\'s state: created, picking, picked, in_transit, delivering, delivered, delivery_failed, returning, returned, cancelled, lost, …' },
          status: nullable('string', { description: 'The courier\'s own last status code.' }),
          deliveryDueAt: nullable('string', { format: 'date-time' }), expectedDeliveryAt: nullable('string', { format: 'date-time' }),
        })],
      },
      timeline: { type: 'array', items: schema('TimelineEvent') },
    })],
  },
  OrderCancellation: { ...cancelSchema, description: 'Why the order is cancelled (kept in its timeline).' },
  Dashboard: object(['asOf', 'timezone', 'day', 'scope', 'openOrders', 'ordersPerStage', 'today', 'lateDeliveries', 'overdueTasks', 'stuck'], {
    stuck: schema('StuckWorkflows'),
    asOf: timestamp,
    timezone: { type: 'string', examples: ['Asia/Ho_Chi_Minh'], description: 'The shop\'s; "today" is its local day.' },
    day: { type: 'string', format: 'date', description: 'Today in the shop\'s time zone.' },
    scope: { type: 'string', enum: ['own', 'all'], description: '`own`: orders whose tasks the caller holds or held, their own tasks and queues, and the value of orders they closed.' },
    openOrders: { type: 'integer' },
    ordersPerStage: { type: 'array', description: 'Open orders grouped by their current stage, most first.', items: object(['stage', 'title', 'kind', 'count'], {
      stage: { type: 'string' }, title: nullable('string', { description: 'From the process version the orders run.' }), kind: nullable('string', { description: 'human, courier, wait, notify.' }), count: { type: 'integer' },
    }) },
    today: object(['from', 'to', 'closed', 'delivered'], {
      from: timestamp, to: timestamp,
      closed: object(['orders', 'value'], { orders: { type: 'integer' }, value: { type: 'number', description: 'VND (total, else COD).' } }, 'Orders whose first step (closing the lead) finished today with a total, not lost.'),
      delivered: object(['revenue', 'orders', 'value', 'returned', 'returnedValue', 'byChannel'], {
        revenue: { type: 'number', description: 'VND: value delivered today − value returned today of earlier deliveries (the revenue KPI\'s rules).' },
        orders: { type: 'integer', description: 'First deliveries today.' }, value: { type: 'number' },
        returned: { type: 'integer', description: 'Returns today of delivered orders.' }, returnedValue: { type: 'number' },
        byChannel: { type: 'array', items: object(['channel', 'revenue', 'delivered', 'returned'], { channel: nullable('string'), revenue: { type: 'number' }, delivered: { type: 'integer' }, returned: { type: 'integer' } }) },
      }, 'Revenue recognised today by the courier\'s delivery and return times, as the revenue KPI counts it; scope `own`: orders credited to the caller.'),
    }),
    lateDeliveries: object(['count', 'orders'], {
      count: { type: 'integer' },
      orders: { type: 'array', description: 'Most overdue first; at most 100.', items: object(['orderId', 'customer', 'stage', 'courier', 'trackingCode', 'state', 'status', 'shippedAt', 'deliveryDueAt', 'expectedDeliveryAt', 'escalationLevel'], {
        orderId: { type: 'string' }, customer: object(['name', 'phone'], { name: nullable('string'), phone: nullable('string') }), stage: { type: 'string' },
        courier: { type: 'string' }, trackingCode: { type: 'string' }, state: { type: 'string' }, status: nullable('string'),
        shippedAt: { ...timestamp, description: 'When the SLA started: the hand-over on this visit of the stage.' },
        deliveryDueAt: { ...timestamp, description: 'shippedAt + the stage\'s `deliverySla` on its clock.' },
        expectedDeliveryAt: nullable('string', { format: 'date-time', description: 'What the courier promised, if it said.' }),
        escalationLevel: { type: 'integer', description: 'The highest rung of the stage\'s `escalate` ladder recorded on this visit (0: none yet).' },
      }) },
    }, 'Orders waiting at a courier stage past its delivery SLA.'),
    overdueTasks: object(['count', 'tasks'], { count: { type: 'integer' }, tasks: { type: 'array', items: schema('Task'), description: 'Open tasks past due, most overdue first; at most 100.' } }),
  }),
  CourierWebhookAnswer: object(['ok', 'received', 'applied', 'duplicates'], {
    ok: { type: 'boolean' }, received: { type: 'integer' }, applied: { type: 'integer' }, duplicates: { type: 'integer' },
  }),
  KpiSplit: { type: 'object', description: 'By key (channel id, staff id): target and actual; `detail` says what a staff member\'s rate is made of (leads/closed, orders/days, counted/onTime).', additionalProperties: object(['target', 'actual'], { target: nullable('number'), actual: nullable('number'), detail: { type: 'object', additionalProperties: { type: 'number' } } }) },
  KpiMetric: object(['id', 'title', 'type', 'owner', 'goal', 'weight', 'target', 'actual', 'pacing', 'detail', 'channels', 'staff', 'couriers', 'campaigns', 'unallocated'], {
    id: { type: 'string' }, title: { type: 'string' },
    type: { type: 'string', enum: ['revenue', 'returnRate', 'leads', 'costPerLead', 'closeRate', 'newCustomerRevenue', 'tasksOnTime', 'ordersPerPackerDay', 'complaintsOnTime', 'careCoverage'] },
    owner: { type: 'string', description: 'Role evaluated on the metric.' },
    goal: { type: 'string', enum: ['target', 'ceiling'], description: '`ceiling`: lower is better (return rate, cost per lead).' },
    weight: { type: 'number' },
    target: { type: 'number', description: 'VND, a count, or a share 0…1.' },
    actual: nullable('number', { description: 'null until something was counted (e.g. no parcel shipped yet).' }),
    pacing: { type: ['object', 'null'], description: '`{goal, target, expected, actual, onTrack}`: expected by now is target × elapsed share for cumulative metrics (revenue, leads), the target itself for rates.' },
    detail: { type: ['object', 'null'], description: 'What the figure is made of (delivered/returned counts and VND, shipped/returned parcels, leads/cost/closed, tasks done/on time).' },
    channels: { oneOf: [schema('KpiSplit'), { type: 'null' }] },
    staff: { oneOf: [schema('KpiSplit'), { type: 'null' }] },
    couriers: { type: ['object', 'null'], description: 'Return rate per courier: `{value, shipped, returned, shippedValue, returnedValue}`.' },
    campaigns: { type: ['object', 'null'], description: 'Leads per campaign: `{leads, leadCost, costPerLead, closed}`.' },
    segments: { type: ['object', 'null'], description: 'Care coverage per customer segment: `{customers, contacted, value}`.' },
    unallocated: nullable('number', { description: 'Revenue target of channels without an active rep.' }),
  }),
  KpiStaffEvaluation: object(['staffId', 'name', 'roles', 'metrics', 'score', 'grade', 'rank'], {
    staffId: { type: 'string' }, name: { type: 'string' }, roles: strings,
    metrics: { type: 'array', items: object(['metric', 'scope', 'target', 'actual', 'score', 'weight'], {
      metric: { type: 'string' }, scope: { type: 'string', enum: ['personal', 'role'] }, target: { type: 'number' }, actual: nullable('number'), score: nullable('number'), weight: { type: 'number' },
    }) },
    score: nullable('number', { description: 'Weighted score in percent (each metric capped at the plan\'s scoreCap).' }),
    grade: nullable('string'),
    rank: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Rank (1 = best) within each role.' },
  }),
  KpiPeriod: object(['id', 'plan', 'planVersion', 'period', 'workflowId', 'startsAt', 'endsAt', 'timezone', 'status', 'elapsed', 'actualsAt', 'metrics', 'alertsFired', 'evaluation', 'revisions'], {
    id: { type: 'string', examples: ['shop-kpi:2026-01'] }, plan: { type: 'string' }, planVersion: nullable('integer'), period: { type: 'string', examples: ['2026-01'] },
    workflowId: { type: 'string', examples: ['kpi:shop-kpi:2026-01'] }, startsAt: timestamp, endsAt: timestamp, timezone: { type: 'string' },
    status: { type: 'string', enum: ['running', 'closed'] }, elapsed: { type: 'number', description: 'Share of the period elapsed at the last recomputation.' },
    actualsAt: nullable('string', { format: 'date-time' }),
    metrics: { type: 'array', items: schema('KpiMetric') },
    alertsFired: strings,
    evaluation: { oneOf: [{ type: 'null' }, object(['staff', 'evaluatedAt'], { staff: { type: 'array', items: schema('KpiStaffEvaluation') }, evaluatedAt: timestamp })] },
    revisions: { type: 'array', items: object(['metric', 'scope', 'oldValue', 'newValue', 'actor', 'reason', 'at'], {
      metric: { type: 'string' }, scope: { type: 'string' }, oldValue: nullable('number'), newValue: { type: 'number' }, actor: { type: 'string' }, reason: { type: 'string' }, at: timestamp,
    }) },
  }),
  KpiPeriodStart: startPeriodSchema,
  KpiTargetRevision: reviseTargetSchema,
  KpiTargets: { type: 'object', description: 'By metric id: `{target, channels?, reps?, unallocated?}`.', additionalProperties: { type: 'object', required: ['target'], properties: { target: { type: 'number' } } } },
  // Customers (CRM) and complaints.
  CustomerAddress: object(['street', 'ward', 'province', 'isDefault'], {
    label: { type: 'string' }, street: { type: 'string' }, ward: { type: 'string' }, district: { type: 'string' }, province: { type: 'string' },
    isDefault: { type: 'boolean', description: 'Exactly one address of a customer is the default.' },
  }),
  Customer: object(['id', 'phone', 'name', 'channel', 'addresses', 'defaultAddress', 'notes', 'tags', 'wholesale', 'segment', 'segmentChangedAt', 'createdAt', 'updatedAt'], {
    id: { type: 'string', examples: ['cus_1a2b3c4d5e6f'] },
    phone: { type: 'string', description: 'Normalised: 0xxxxxxxxx.' },
    name: { type: 'string' },
    channel: nullable('string', { description: 'Channel of origin.' }),
    addresses: { type: 'array', items: schema('CustomerAddress') },
    defaultAddress: { oneOf: [{ type: 'null' }, schema('CustomerAddress')] },
    address: nullable('string', { description: 'Free-text address of the first lead.' }),
    notes: nullable('string'),
    tags: strings,
    wholesale: { type: 'boolean' },
    segment: { type: 'string', description: 'Segment id from shop.yaml, recomputed on every delivered or returned order (the fallback segment before the first).' },
    segmentChangedAt: nullable('string', { format: 'date-time' }),
    createdBy: nullable('string'),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
  CustomerPage: object(['customers', 'nextCursor'], {
    customers: { type: 'array', items: schema('Customer') },
    nextCursor: nullable('string', { description: 'Pass as `cursor` for the next page; null on the last page.' }),
  }),
  CustomerDetail: {
    allOf: [schema('Customer'), object(['reliability', 'orders', 'segmentHistory', 'complaints', 'care', 'contacts', 'mergedFrom'], {
      reliability: object(['orders', 'delivered', 'returned', 'deliveredValue12m', 'returnRate'], {
        orders: { type: 'integer' }, delivered: { type: 'integer' }, returned: { type: 'integer' },
        deliveredValue12m: { type: 'number', description: 'VND of delivered orders created in the last 12 months.' },
        returnRate: { type: 'number', description: 'returned ÷ (delivered + returned), 0…1.' },
      }),
      orders: { type: 'array', items: object(['id', 'status', 'createdAt'], { id: { type: 'string' }, status: { type: 'string' }, stage: nullable('string'), channel: nullable('string'), total: nullable('integer'), codAmount: nullable('integer'), courier: nullable('string'), createdAt: timestamp }) },
      segmentHistory: { type: 'array', items: object(['from', 'to', 'reason', 'orderId', 'at'], { from: nullable('string'), to: { type: 'string' }, reason: { type: 'string' }, orderId: nullable('string'), actor: nullable('string'), at: timestamp }), description: 'Oldest first.' },
      complaints: { type: 'array', items: object(['id', 'category', 'status', 'openedAt'], { id: { type: 'string' }, orderId: nullable('string'), category: { type: 'string' }, status: { type: 'string' }, outcome: nullable('string'), openedAt: timestamp, dueAt: nullable('string'), resolvedAt: nullable('string'), resolvedWithinSla: nullable('boolean') }) },
      care: { type: 'array', items: { type: 'object' }, description: 'Care tasks of the customer\'s orders (stages `care…`), open and done.' },
      contacts: { type: 'array', items: object(['kind', 'taskId', 'at'], { kind: { type: 'string', enum: ['care', 'complaint'] }, taskId: { type: 'string' }, orderId: nullable('string'), complaintId: nullable('string'), stage: nullable('string'), staffId: nullable('string'), outcome: nullable('string'), segment: nullable('string'), at: timestamp }), description: 'When staff contacted the customer: finished care tasks and complaint decisions.' },
      mergedFrom: { type: 'array', items: object(['id', 'actor', 'at'], { id: { type: 'string' }, actor: { type: 'string' }, at: timestamp }), description: 'Duplicates merged into this customer.' },
    })],
  },
  NewCustomer: { ...createCustomerSchema, description: '`phone` in any accepted format (normalised to 0xxxxxxxxx); `channel` a channel of the shop; at most one address with `isDefault`.' },
  CustomerChange: { ...patchCustomerSchema, description: 'At least one field. `addresses` and `tags` replace the lists. A change of `wholesale` or `tags` recomputes the segment.' },
  CustomerMerge: mergeCustomerSchema,
  NewComplaint: { ...complaintSchema, description: '`customerId` or `phone` names the customer; `category` is a category of the active ComplaintProcess.' },
  Complaint: object(['id', 'workflowId', 'customerId', 'orderId', 'category', 'description', 'status', 'outcome', 'resolution', 'openedAt', 'dueAt', 'resolvedAt', 'resolvedWithinSla', 'closedAt', 'definition'], {
    id: { type: 'string', examples: ['KN260301-1A2B3C4D'] },
    workflowId: { type: 'string', examples: ['complaint:KN260301-1A2B3C4D'] },
    customerId: { type: 'string' }, orderId: nullable('string'), category: { type: 'string' }, description: { type: 'string' },
    status: { type: 'string', enum: ['open', 'resolved', 'rejected'] },
    outcome: nullable('string', { description: 'The outcome CSKH chose (refund, resend, exchange, courier-claim, reject…).' }),
    resolution: nullable('object', { description: '`decision`: what CSKH entered; `followUp`: what the follow-up task recorded.' }),
    openedBy: nullable('string'), resolvedBy: nullable('string'),
    openedAt: timestamp,
    dueAt: nullable('string', { format: 'date-time', description: 'opened + the intake SLA (on its clock).' }),
    resolvedAt: nullable('string', { format: 'date-time' }),
    resolvedWithinSla: nullable('boolean', { description: 'resolvedAt ≤ dueAt; null while open.' }),
    followUpTaskId: nullable('string'), followUpDoneAt: nullable('string', { format: 'date-time' }),
    closedAt: nullable('string', { format: 'date-time', description: 'When nothing is left to do (decision taken, follow-up done).' }),
    definition: object(['name', 'version'], { name: { type: 'string' }, version: { type: 'integer' } }),
  }),
  ComplaintPage: object(['complaints', 'nextCursor'], {
    complaints: { type: 'array', items: schema('Complaint') },
    nextCursor: nullable('string', { description: 'Pass as `cursor` for the next page; null on the last page.' }),
  }),
  ComplaintDetail: {
    allOf: [schema('Complaint'), object(['customer', 'tasks', 'timeline'], {
      customer: { type: ['object', 'null'] },
      tasks: { type: 'array', items: schema('Task'), description: 'The CSKH task, the follow-up task and follow-ups opened by escalations.' },
      timeline: { type: 'array', items: object(['at', 'type'], { at: timestamp, type: { type: 'string', description: 'A complaint event (`opened`, `resolved`, `rejected`, `follow_up_done`) or a task event prefixed `task_`.' } }) },
    })],
  },
  ComplaintFiled: object(['complaintId', 'workflowId', 'created', 'complaint', 'assignedTo'], {
    complaintId: { type: 'string' }, workflowId: { type: 'string' }, created: { type: 'boolean' },
    assignedTo: nullable('string', { description: 'Who the CSKH task went to, if it opened within ~3 s and was auto-assigned.' }),
    complaint: { oneOf: [{ type: 'null' }, schema('Complaint')], description: 'null if the workflow had not written it within ~3 s.' },
  }),
};

const responses: Record<string, ResponseObject> = {
  Unauthorized: failure('No `Authorization: Bearer <token>`, or the token is unknown, revoked, or of a deactivated staff member.'),
  Forbidden: failure('The caller\'s roles do not allow this.'),
  Unavailable: { ...failure('PostgreSQL or Temporal is not answering (code `unavailable`); nothing was changed. Retry after `Retry-After` seconds.'), headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } } },
  TooManyFailedLogins: {
    description: 'Too many failed authentications from this address (20 a minute); code `too_many_failed_logins`.',
    headers: { 'Retry-After': { description: 'Seconds until the address may try again.', schema: { type: 'integer' } } },
    content: json(schema('Error')),
  },
  MalformedBody: failure('The body is not valid JSON.'),
  NotJson: failure('The body was sent as something other than JSON; send it with `Content-Type: application/json` (code `unsupported_media_type`).'),
  TooLarge: failure('The body is larger than the limit (JSON 256 kB, YAML 1 MB); code `too_large`.'),
  InvalidBody: answer('The body does not match the schema; `details.fields` names each field (code `invalid`).', {
    allOf: [schema('Error'), object(['error'], { error: object(['details'], { details: object(['fields'], { fields: { type: 'array', items: schema('FieldError') } }) }) })],
  }),
};

// ─── Operations ─────────────────────────────────────────────────────────────

const definitionName = pathParam('name', 'The definition\'s `metadata.name`.');
const definitionVersion = pathParam('version', 'A version number (1, 2, …).', 'integer');
const badVersion = failure('`version` is not a whole number ≥ 1.');
const staffId = pathParam('id', 'Staff id.');
const taskId = pathParam('id', 'Task id.');
const noSuchStaff = failure('No such staff member.');
const noSuchTask = failure('No such task, or not one the caller may see.');

const orderId = pathParam('id', 'Order id.');
/** Lists page the same way (server/http/pagination.ts): newest first, an opaque cursor. */
const pageParams = [
  query('limit', 'Page size.', { type: 'integer', minimum: 1, maximum: 200, default: 50 }),
  query('cursor', '`nextCursor` of the previous page.', { type: 'string' }),
];
const noSuchOrder = failure('No such order, or not one the caller may see.');
const customerId = pathParam('id', 'Customer id.');
const noSuchCustomer = failure('No such customer, or not one the caller may see.');

/** The `x-scope` notes: what scope `own` (or being oneself) narrows, as the routes and stores enforce it. */
const ownTask: ScopeNote = { record: 'task', kind: 'record', who: 'own', denied: 404, description: 'Scope `own`: only their tasks and the unassigned tasks of their roles; any other task answers 404.' };
const ownTasks: ScopeNote = { record: 'task', kind: 'list', who: 'own', description: 'Scope `own`: only their tasks and the unassigned tasks of their roles.' };
const ownOrder: ScopeNote = { record: 'order', kind: 'record', who: 'own', denied: 404, description: 'Scope `own`: only orders whose tasks they hold or held; any other order answers 404.' };
const ownOrders: ScopeNote = { record: 'order', kind: 'list', who: 'own', description: 'Scope `own`: only orders whose tasks they hold or held.' };
const ownCustomer: ScopeNote = { record: 'customer', kind: 'record', who: 'own', denied: 404, description: 'Scope `own`: only customers of orders whose tasks they hold or held, and those they created; any other customer answers 404.' };
const ownCustomers: ScopeNote = { record: 'customer', kind: 'list', who: 'own', description: 'Scope `own`: only customers of orders whose tasks they hold or held, and those they created.' };

const paths: Record<string, PathItem> = {
  '/healthz': {
    get: {
      operationId: 'getHealth', tags: ['health'], security: [], 'x-permission': [],
      summary: 'Health of the API and the parts it needs',
      description: 'For load balancers: 200 when Temporal and the database answer within 3 s each; `stuck` lists the workflows failing anyway (still 200).',
      responses: { 200: answer('Every part is ok.', schema('Health')), 503: answer('A part is down; it is named, with the reason.', schema('Health')) },
    },
  },
  '/api/v1/openapi.json': {
    get: {
      operationId: 'getOpenApi', tags: ['docs'], security: [], 'x-permission': [],
      summary: 'This OpenAPI document',
      responses: { 200: answer('The OpenAPI 3.1 document.', { type: 'object' }) },
    },
  },
  '/api/docs': {
    get: {
      operationId: 'getApiDocs', tags: ['docs'], security: [], 'x-permission': [],
      summary: 'Browsable API docs (Swagger UI)',
      description: 'An HTML page showing this document; its assets are served under `/api/docs/`. Works offline.',
      responses: { 200: { description: 'The docs page.', content: { 'text/html': { schema: { type: 'string' } } } } },
    },
  },

  '/api/v1/me': {
    get: apiOperation({
      operationId: 'getMe', tags: ['me'],
      summary: 'Who the token belongs to',
      description: 'The caller\'s roles, channels, scope and resolved permissions.',
      responses: { 200: answer('The caller.', schema('Me')) },
    }),
  },

  '/api/v1/definitions': {
    get: apiOperation({
      operationId: 'listDefinitions', tags: ['definitions'], permission: 'definitions.manage',
      summary: 'List definitions',
      description: 'One entry per name, with its latest and active version.',
      responses: { 200: answer('The definitions.', object(['definitions'], { definitions: { type: 'array', items: schema('DefinitionSummary') } })) },
    }),
    post: apiOperation({
      operationId: 'uploadDefinition', tags: ['definitions'], permission: 'definitions.manage',
      summary: 'Upload a definition version',
      description: 'Validates the YAML and stores it as a new immutable version; it is not activated. Identical YAML returns the existing version (200).',
      requestBody: yamlBody,
      responses: {
        201: answer('A new version was stored.', schema('DefinitionSaved')),
        200: answer('This exact YAML was already stored; that version.', schema('DefinitionSaved')),
        ...yamlFailures,
        409: failure('The name is already used by a definition of another kind.'),
        422: answer('The YAML is invalid: code `invalid_definition`, every error in `details.errors`.', {
          allOf: [schema('Error'), object(['error'], { error: object(['details'], { details: object(['errors'], { errors: { type: 'array', items: schema('DefinitionError') } }) }) })],
        }),
      },
    }),
  },
  '/api/v1/definitions/validate': {
    post: apiOperation({
      operationId: 'validateDefinition', tags: ['definitions'], permission: 'definitions.manage',
      summary: 'Validate a definition without storing it',
      description: 'A process is validated against the active shop.',
      requestBody: yamlBody,
      responses: {
        200: answer('The YAML is valid.', object(['valid', 'summary'], { valid: { const: true }, summary: schema('LoadSummary') })),
        ...yamlFailures,
        422: answer('The YAML is invalid (this body is not the error shape).', object(['valid', 'errors'], { valid: { const: false }, errors: { type: 'array', items: schema('DefinitionError') } })),
      },
    }),
  },
  '/api/v1/definitions/{name}': {
    get: apiOperation({
      operationId: 'getDefinition', tags: ['definitions'], permission: 'definitions.manage',
      summary: 'Read a definition and its active version',
      parameters: [definitionName],
      responses: { 200: answer('The definition.', schema('Definition')), 404: failure('No definition of that name.') },
    }),
  },
  '/api/v1/definitions/{name}/versions': {
    get: apiOperation({
      operationId: 'listDefinitionVersions', tags: ['definitions'], permission: 'definitions.manage',
      summary: 'List the versions of a definition',
      description: 'Newest first.',
      parameters: [definitionName],
      responses: { 200: answer('The versions.', object(['versions'], { versions: { type: 'array', items: schema('DefinitionVersion') } })), 404: failure('No definition of that name.') },
    }),
  },
  '/api/v1/definitions/{name}/versions/{version}': {
    get: apiOperation({
      operationId: 'getDefinitionVersion', tags: ['definitions'], permission: 'definitions.manage',
      summary: 'Read one version',
      description: 'JSON with the YAML and compiled form; the YAML alone with `Accept: application/yaml`.',
      parameters: [definitionName, definitionVersion],
      responses: {
        200: { description: 'The version.', content: { ...json(schema('DefinitionVersionDetail')), 'application/yaml': { schema: { type: 'string' } } } },
        400: badVersion,
        404: failure('No such definition or version.'),
      },
    }),
  },
  '/api/v1/definitions/{name}/versions/{version}/activate': {
    post: apiOperation({
      operationId: 'activateDefinitionVersion', tags: ['definitions'], permission: 'definitions.manage',
      summary: 'Make a version the active one',
      description: 'New orders take the active process version; running orders keep theirs. A shop version is refused if an active process would no longer validate against it.',
      parameters: [definitionName, definitionVersion],
      responses: {
        200: answer('The version, now active.', schema('DefinitionVersion')),
        400: badVersion,
        404: failure('No such definition or version.'),
        422: failure('The shop version would break active processes: `details.errors` lists `{definition, path, line, col, message}` (code `invalid`).'),
      },
    }),
  },

  '/api/v1/staff': {
    get: apiOperation({
      operationId: 'listStaff', tags: ['staff'], permission: 'staff.manage',
      summary: 'List staff members',
      parameters: [
        query('role', 'Only members with this role.', { type: 'string' }),
        query('active', 'Only active (`true`) or deactivated (`false`) members; any other value is ignored.', { type: 'string', enum: ['true', 'false'] }),
      ],
      responses: { 200: answer('The members, oldest first.', object(['staff'], { staff: { type: 'array', items: schema('Staff') } })) },
    }),
    post: apiOperation({
      operationId: 'createStaff', tags: ['staff'], permission: 'staff.manage', bodyIsJson: true,
      summary: 'Add a staff member',
      description: 'Roles and channels must exist in the active shop. An API token is issued unless `issueToken` is false; its secret is returned this once.',
      requestBody: jsonBody(schema('NewStaff')),
      responses: {
        201: answer('The member (and token).', object(['staff'], { staff: schema('Staff'), token: { type: 'string' }, tokenId: { type: 'string' } })),
        403: failure('The caller\'s roles do not allow this, or the roles would grant permissions the caller does not hold.'),
        422: shared('InvalidBody'),
      },
    }),
  },
  '/api/v1/staff/{id}': {
    get: apiOperation({
      operationId: 'getStaff', tags: ['staff'], permission: 'staff.manage',
      summary: 'Read a staff member and their tokens',
      parameters: [staffId],
      responses: { 200: answer('The member.', object(['staff', 'tokens'], { staff: schema('Staff'), tokens: { type: 'array', items: schema('ApiToken') } })), 404: noSuchStaff },
    }),
    patch: apiOperation({
      operationId: 'updateStaff', tags: ['staff'], permission: 'staff.manage', bodyIsJson: true,
      summary: 'Change a staff member',
      description: 'Only the fields sent change; `roles` and `channels` replace the lists.',
      parameters: [staffId],
      requestBody: jsonBody(schema('StaffChange')),
      responses: {
        200: answer('The member.', object(['staff'], { staff: schema('Staff') })),
        403: failure('The caller\'s roles do not allow this, the member holds permissions the caller does not, or the roles would grant such permissions (`details.missing`).'),
        404: noSuchStaff,
        422: shared('InvalidBody'),
      },
    }),
  },
  '/api/v1/staff/{id}/deactivate': {
    post: apiOperation({
      operationId: 'deactivateStaff', tags: ['staff'], permission: 'staff.manage',
      summary: 'Deactivate a staff member',
      description: 'Immediate: none of their tokens works afterwards.',
      parameters: [staffId],
      responses: {
        200: answer('The member, deactivated.', object(['staff'], { staff: schema('Staff') })),
        403: failure('The caller\'s roles do not allow this, the member holds permissions the caller does not (`details.missing`), or the caller tried to deactivate themselves.'),
        404: noSuchStaff,
      },
    }),
  },
  '/api/v1/staff/{id}/tokens': {
    post: apiOperation({
      operationId: 'issueStaffToken', tags: ['staff'], permission: 'staff.manage', bodyIsJson: true,
      summary: 'Issue an API token',
      description: 'The secret is returned this once.',
      parameters: [staffId],
      requestBody: { ...jsonBody(schema('TokenRequest')), required: false },
      responses: {
        201: answer('The token.', schema('IssuedToken')),
        403: failure('The caller\'s roles do not allow this, or the member holds permissions the caller does not (`details.missing`): a token would act with them.'),
        404: noSuchStaff,
        409: failure('The member is deactivated: tokens are issued only to active staff.'),
        422: failure('The body is invalid (`details.fields`).'),
      },
    }),
  },
  '/api/v1/staff/{id}/tokens/{tokenId}': {
    delete: apiOperation({
      operationId: 'revokeStaffToken', tags: ['staff'], permission: 'staff.manage',
      summary: 'Revoke an API token',
      parameters: [staffId, pathParam('tokenId', 'Token id (`tok_…`).')],
      responses: { 204: { description: 'Revoked.' }, 403: failure('The caller\'s roles do not allow this, or the member holds permissions the caller does not (`details.missing`).'), 404: failure('No such member, or no active token of that id for them.') },
    }),
  },

  '/api/v1/tasks': {
    get: apiOperation({
      operationId: 'listTasks', tags: ['tasks'], permission: 'tasks.read', scope: ownTasks,
      summary: 'List tasks',
      description: 'Newest first. A caller with scope `own` sees their tasks and the unassigned tasks of their roles; scope `all` sees every task.',
      parameters: [
        query('status', 'Only tasks in this status.', { type: 'string', enum: ['open', 'done', 'cancelled'] }),
        query('role', 'Only tasks for this role.', { type: 'string' }),
        query('assignee', '`me`, or a staff id.', { type: 'string', examples: ['me', 'stf_1a2b3c4d5e6f'] }),
        query('overdue', '`true`: only open tasks past their due time (`false` does not filter).', { type: 'string', enum: ['true', 'false'] }),
        query('order', 'Only tasks about this order id.', { type: 'string' }),
        ...pageParams,
      ],
      responses: { 200: answer('A page of tasks.', schema('TaskPage')), 400: failure('A filter is invalid (status, limit, overdue, cursor).') },
    }),
  },
  '/api/v1/tasks/{id}': {
    get: apiOperation({
      operationId: 'getTask', tags: ['tasks'], permission: 'tasks.read', scope: ownTask,
      summary: 'Read a task with its form, outcomes and the order\'s timeline',
      parameters: [taskId],
      responses: { 200: answer('The task.', schema('TaskDetail')), 404: noSuchTask },
    }),
  },
  '/api/v1/tasks/{id}/claim': {
    post: apiOperation({
      operationId: 'claimTask', tags: ['tasks'], permission: 'tasks.read', scope: ownTask,
      summary: 'Take a task from the role\'s queue',
      description: 'Claiming a task one already holds is a no-op. Of two people claiming at once, one wins; the other gets 409.',
      parameters: [taskId],
      responses: {
        200: answer('The task, assigned to the caller.', schema('Task')),
        403: failure('The caller\'s roles do not allow this, or the task is for another role.'),
        404: noSuchTask,
        409: failure('The task is no longer open, or someone else holds it (`details.assigneeId`).'),
      },
    }),
  },
  '/api/v1/tasks/{id}/unclaim': {
    post: apiOperation({
      operationId: 'unclaimTask', tags: ['tasks'], permission: 'tasks.read', scope: ownTask,
      summary: 'Put a task back in the role\'s queue',
      description: 'By its holder, or by someone with `tasks.reassign`.',
      parameters: [taskId],
      responses: {
        200: answer('The task, unassigned.', schema('Task')),
        403: failure('The caller\'s roles do not allow this, or someone else holds the task.'),
        404: noSuchTask,
        409: failure('The task is not open, not claimed, or changed meanwhile.'),
      },
    }),
  },
  '/api/v1/tasks/{id}/complete': {
    post: apiOperation({
      operationId: 'completeTask', tags: ['tasks'], permission: ['tasks.read', 'tasks.complete'], scope: ownTask,
      summary: 'Finish a task with an outcome',
      description: 'The order\'s workflow checks the outcome and its data (the outcome\'s form) and moves on. Also needs the task\'s role and, if assigned, to be its assignee.',
      parameters: [taskId],
      requestBody: jsonBody(schema('TaskCompletion')),
      bodyIsJson: true,
      responses: {
        200: answer('The completed task and the stage the order moved to.', object(['task', 'nextStage'], {
          task: schema('Task'),
          nextStage: nullable('string', { description: 'null for a follow-up task that does not move the order.' }),
        })),
        403: failure('The caller may not complete this task (permission, role, or assignee).'),
        404: noSuchTask,
        409: failure('The task is no longer open, or its order has ended.'),
        422: failure('The body is invalid (`details.fields`), the outcome is not one of the task\'s (`details.allowed`), or the data does not match the outcome\'s form (`details.fields`).'),
      },
    }),
  },
  '/api/v1/tasks/{id}/reassign': {
    post: apiOperation({
      operationId: 'reassignTask', tags: ['tasks'], permission: ['tasks.read', 'tasks.reassign'], scope: ownTask, bodyIsJson: true,
      summary: 'Hand a task to a role\'s queue or to a person',
      description: 'The caller must lead the task\'s role (`leads` in shop.yaml). `to` is a role id (the task goes to that role\'s queue; the caller must lead that role too) or an active staff id (assigned to them, keeping the task\'s role, which they must hold). With a staff id, `role` also moves the task to that role (led by the caller, held by the person).',
      parameters: [taskId],
      requestBody: jsonBody(schema('TaskReassignment')),
      responses: {
        200: answer('The task.', schema('Task')),
        403: failure('The caller\'s roles do not allow `tasks.read` and `tasks.reassign`, or do not lead the task\'s role (or the role it would move to).'),
        404: noSuchTask,
        409: failure('The task is no longer open.'),
        422: failure('The body is invalid, `to` is neither a role nor an active staff member, or the person does not hold the task\'s role (`details.fields`).'),
      },
    }),
  },

  '/api/v1/orders': {
    get: apiOperation({
      operationId: 'listOrders', tags: ['orders'], permission: 'orders.read', scope: ownOrders,
      summary: 'List orders',
      description: 'Newest first, from the database projection. Scope `own` sees orders whose tasks the caller holds or held.',
      parameters: [
        query('stage', 'Only orders at this stage.', { type: 'string' }),
        query('status', '`open`, `completed`, `lost`, `cancelled` or `returned`.', { type: 'string' }),
        query('late', '`true`: only orders with an overdue task or a parcel past its expected delivery.', { type: 'string', enum: ['true', 'false'] }),
        query('channel', 'Only orders from this channel.', { type: 'string' }),
        query('assignee', 'Only orders with an open task held by `me` or this staff id.', { type: 'string' }),
        query('from', 'Created at or after (ISO 8601).', { type: 'string', format: 'date-time' }),
        query('to', 'Created at or before (ISO 8601).', { type: 'string', format: 'date-time' }),
        ...pageParams,
      ],
      responses: { 200: answer('A page of orders.', schema('OrderPage')), 400: failure('A filter is invalid (limit, from, to, cursor).') },
    }),
  },
  '/api/v1/orders/{id}': {
    get: apiOperation({
      operationId: 'getOrder', tags: ['orders'], permission: 'orders.read', scope: ownOrder,
      summary: 'Read an order: where it is, who it waits on, its shipment and full timeline',
      parameters: [orderId],
      responses: { 200: answer('The order.', schema('OrderDetail')), 404: noSuchOrder },
    }),
  },
  '/api/v1/orders/{id}/cancel': {
    post: apiOperation({
      operationId: 'cancelOrder', tags: ['orders'], permission: ['orders.read', 'orders.cancel'], scope: ownOrder, bodyIsJson: true,
      summary: 'Cancel an order',
      description: 'Before hand-over the order ends cancelled at once. After hand-over the courier is asked to cancel first; if it refuses (parcel picked up), 409 with its reason and the order goes on.',
      parameters: [orderId],
      requestBody: jsonBody(schema('OrderCancellation')),
      responses: {
        200: answer('Cancelled.', object(['id', 'cancelled', 'status', 'stage'], { id: { type: 'string' }, cancelled: { type: 'boolean', const: true }, status: { type: 'string' }, stage: nullable('string') })),
        404: noSuchOrder,
        409: failure('The order has ended, its process has no cancelled end stage, or the courier refused (`details.reason`).'),
        422: failure('The body is invalid (`details.fields`).'),
      },
    }),
  },

  '/api/v1/dashboard': {
    get: apiOperation({
      operationId: 'getDashboard', tags: ['dashboard'], permission: 'reports.read', scope: ownOrders,
      summary: 'What is late, and today\'s figures',
      description: 'Open orders per stage, today\'s closed and delivered value (the shop\'s local day; delivered by the revenue KPI\'s rules), orders at a courier stage past their delivery SLA with the escalation rung reached, and overdue tasks with theirs. From indexed database reads, not workflow queries. Scope `own` sees its own orders and tasks only.',
      responses: { 200: answer('The dashboard.', schema('Dashboard')) },
    }),
  },
  '/api/v1/kpi/periods': {
    get: apiOperation({
      operationId: 'listKpiPeriods', tags: ['kpi'], permission: 'kpi.read',
      summary: 'List KPI periods, newest first',
      description: 'Scope `own` without `kpi.manage` sees the totals and its own row only: other staff members\' figures, evaluations and rep target revisions are left out.',
      parameters: [query('plan', 'Only periods of this KpiPlan.', { type: 'string' })],
      responses: { 200: answer('The periods with targets vs actuals.', object(['periods'], { periods: { type: 'array', items: schema('KpiPeriod') } })) },
    }),
    post: apiOperation({
      operationId: 'startKpiPeriod', tags: ['kpi'], permission: ['kpi.read', 'kpi.manage'], bodyIsJson: true,
      summary: 'Start (or backfill) a KPI period',
      description: 'Starts the workflow `kpi:<plan>:<period>` on the active plan: the current period by default, or a past one (a backfill, evaluated at once). Starting a period twice is a no-op (200, `created: false`).',
      requestBody: jsonBody(schema('KpiPeriodStart')),
      responses: {
        201: answer('Started.', object(['id', 'workflowId', 'created'], { id: { type: 'string' }, workflowId: { type: 'string' }, created: { type: 'boolean' } })),
        200: answer('Already started.', object(['id', 'workflowId', 'created'], { id: { type: 'string' }, workflowId: { type: 'string' }, created: { type: 'boolean' } })),
        409: failure('No KpiPlan is active (code `no_active_plan`).'),
        422: failure('The body is invalid, the period key is not one of the plan, or the period has not started (`details.fields`).'),
      },
    }),
  },
  '/api/v1/kpi/periods/current': {
    get: apiOperation({
      operationId: 'getCurrentKpiPeriod', tags: ['kpi'], permission: 'kpi.read',
      summary: 'The running period of the active plan',
      description: 'Scope `own` without `kpi.manage` sees the totals and its own row only: other staff members\' figures, evaluations and rep target revisions are left out.',
      responses: { 200: answer('The period.', schema('KpiPeriod')), 404: failure('The current period has not started yet.'), 409: failure('No KpiPlan is active.') },
    }),
  },
  '/api/v1/kpi/periods/{id}': {
    get: apiOperation({
      operationId: 'getKpiPeriod', tags: ['kpi'], permission: 'kpi.read',
      summary: 'Targets vs actuals per metric, channel, staff and courier, with pacing, alerts, revisions and the evaluation',
      description: 'Scope `own` without `kpi.manage` sees the totals and its own row only: other staff members\' figures, evaluations and rep target revisions are left out.',
      parameters: [pathParam('id', 'Period id `<plan>:<period>`, e.g. `shop-kpi:2026-01`.')],
      responses: { 200: answer('The period.', schema('KpiPeriod')), 404: failure('No such period.') },
    }),
  },
  '/api/v1/kpi/periods/{id}/targets': {
    post: apiOperation({
      operationId: 'reviseKpiTarget', tags: ['kpi'], permission: ['kpi.read', 'kpi.manage'], bodyIsJson: true,
      summary: 'Revise a target mid-period',
      description: 'Sent to the period\'s workflow as an Update and recorded with who and why. A revenue total change re-splits channels and reps in proportion; `channel:<id>` changes one channel (the total follows); `rep:<staffId>` one rep.',
      parameters: [pathParam('id', 'Period id.')],
      requestBody: jsonBody(schema('KpiTargetRevision')),
      responses: {
        200: answer('The targets after the revision.', object(['id', 'targets'], { id: { type: 'string' }, targets: schema('KpiTargets') })),
        404: failure('No such period.'),
        409: failure('The period is closed.'),
        422: failure('The body is invalid, or the metric/scope is not one of the period (`details.fields`).'),
      },
    }),
  },
  '/api/v1/kpi/periods/{id}/export.csv': {
    get: apiOperation({
      operationId: 'exportKpiPeriod', tags: ['kpi'], permission: 'kpi.read',
      summary: 'The period as CSV (UTF-8 with BOM)',
      description: 'Scope `own` without `kpi.manage` sees the totals and its own row only: other staff members\' figures, evaluations and rep target revisions are left out.',
      parameters: [pathParam('id', 'Period id.')],
      responses: {
        200: { description: 'One line per figure (`section,metric,breakdown,key,target,actual,score,grade`).', content: { 'text/csv': { schema: { type: 'string' } } } },
        404: failure('No such period.'),
      },
    }),
  },
  '/api/v1/kpi/staff/{id}': {
    get: apiOperation({
      operationId: 'getStaffKpi', tags: ['kpi'], permission: 'kpi.read',
      scope: { record: 'staff', kind: 'record', who: 'self', denied: 403, unless: 'kpi.manage', description: 'Without `kpi.manage`, only the caller\'s own id; anyone else\'s answers 403.' },
      summary: 'A staff member\'s figures in the latest periods',
      description: 'Staff see their own figures; `kpi.manage` sees everyone\'s.',
      parameters: [pathParam('id', 'Staff id.')],
      responses: {
        200: answer('Per period: personal targets vs actuals, and the evaluation once closed.', object(['staffId', 'periods'], {
          staffId: { type: 'string' },
          periods: { type: 'array', items: object(['period', 'status', 'startsAt', 'endsAt', 'metrics', 'evaluation'], {
            period: { type: 'string' }, status: { type: 'string' }, startsAt: timestamp, endsAt: timestamp,
            metrics: { type: 'array', items: object(['metric', 'title', 'target', 'actual'], { metric: { type: 'string' }, title: { type: 'string' }, type: { type: 'string' }, target: nullable('number'), actual: nullable('number'), detail: { type: 'object', additionalProperties: { type: 'number' } } }) },
            evaluation: { oneOf: [{ type: 'null' }, schema('KpiStaffEvaluation')] },
          }) },
        })),
        403: failure('Only your own figures without `kpi.manage`.'),
      },
    }),
  },

  '/webhooks/couriers/{courier}': {
    post: {
      operationId: 'courierWebhook', tags: ['couriers'], security: [], 'x-permission': [],
      summary: 'Status reports from a courier',
      description: 'GHN and the simulator send JSON (`Type`, `OrderCode`, `ClientOrderCode`, `Status`, `Time`, …) with the shared secret in the `Token` header (or `?token=`); GHTK sends form fields (`partner_id`, `label_id`, `status_id`, `action_time`, `reason_code`, …) with the secret as `hash`. '
        + 'Each event is recorded once; stale events are kept but never move a shipment back; applied events are signalled to the order.',
      parameters: [pathParam('courier', 'Courier id from shop.yaml: `ghn`, `ghtk`, `simulator`.')],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } }, 'application/x-www-form-urlencoded': { schema: { type: 'object' } } } },
      responses: {
        200: answer('Received.', schema('CourierWebhookAnswer')),
        400: failure('The webhook could not be read (code `bad_webhook`).'),
        401: failure('The secret is missing or wrong (code `forged_webhook`): nothing is recorded.'),
        404: failure('No enabled courier of that id.'),
        413: shared('TooLarge'),
        429: { ...failure('Too many requests with a wrong secret from this address (20 a minute); code `too_many_forged_webhooks`.'), headers: { 'Retry-After': { description: 'Seconds until the address may try again.', schema: { type: 'integer' } } } },
        503: failure('Recorded, but the order could not be told yet: resend (the resend delivers it).'),
      },
    },
  },

  '/api/v1/leads': {
    post: apiOperation({
      operationId: 'createLead', tags: ['leads'], permission: 'leads.create', bodyIsJson: true,
      summary: 'A lead arrives: start its order',
      description: 'Starts the workflow `order:<orderId>` on the active order process. With an `Idempotency-Key`, a retry of the same request returns the same order (200, `created: false`).',
      parameters: [{ name: 'Idempotency-Key', in: 'header', description: 'Any string unique to this lead from the caller (1–200 visible ASCII characters); retries reuse it. The same key with another body is 409 `idempotency_conflict` and changes nothing.', schema: { type: 'string', minLength: 1, maxLength: 200 } }],
      requestBody: jsonBody(schema('Lead')),
      responses: {
        201: answer('The order started.', schema('LeadStarted')),
        200: answer('Already started with this Idempotency-Key.', schema('LeadStarted')),
        409: failure('No order process is active, or none of the name given (code `no_active_process`), or the Idempotency-Key was used for a different body (code `idempotency_conflict`; nothing is created or changed).'),
        422: failure('The body is invalid, the channel is unknown, or the phone is not a Vietnamese number (`details.fields`).'),
      },
    }),
  },
  '/api/v1/customers': {
    get: apiOperation({
      operationId: 'listCustomers', tags: ['customers'], permission: 'customers.read', scope: ownCustomers,
      summary: 'Search customers by phone or name',
      description: 'Newest first. `q` is a phone in any accepted format (0912 345 678, +84912345678, 84-912-345-678…; a merged duplicate\'s phone finds its survivor), digits of a phone, or part of a name. Merged duplicates are left out. Scope `own` sees customers of orders whose tasks the caller holds or held, and those the caller created.',
      parameters: [
        query('q', 'Phone (any format) or part of the name.', { type: 'string' }),
        query('segment', 'Only customers of this segment.', { type: 'string' }),
        ...pageParams,
      ],
      responses: { 200: answer('A page of customers.', schema('CustomerPage')), 400: failure('A filter is invalid (q empty, unknown segment, limit, cursor).') },
    }),
    post: apiOperation({
      operationId: 'createCustomer', tags: ['customers'], permission: ['customers.read', 'customers.manage'], bodyIsJson: true,
      summary: 'Create a customer',
      requestBody: jsonBody(schema('NewCustomer')),
      responses: {
        201: answer('The customer.', schema('Customer')),
        409: failure('A customer with this phone exists: `details.existingId`.'),
        422: failure('The body is invalid, the phone is not Vietnamese, the channel is unknown, or two addresses are default (`details.fields`).'),
      },
    }),
  },
  '/api/v1/customers/{id}': {
    get: apiOperation({
      operationId: 'getCustomer', tags: ['customers'], permission: 'customers.read', scope: ownCustomer,
      summary: 'A customer with reliability, orders, segment history, complaints and care history',
      description: 'A merged duplicate answers 301 with `Location` of its survivor.',
      parameters: [customerId],
      responses: {
        200: answer('The customer.', schema('CustomerDetail')),
        301: { description: 'The customer was merged; `Location` names the survivor.', headers: { Location: { description: 'The survivor.', schema: { type: 'string' } } }, content: json(object(['id', 'mergedInto', 'mergedAt'], { id: { type: 'string' }, mergedInto: { type: 'string' }, mergedAt: nullable('string', { format: 'date-time' }) })) },
        404: noSuchCustomer,
      },
    }),
    patch: apiOperation({
      operationId: 'updateCustomer', tags: ['customers'], permission: ['customers.read', 'customers.manage'], scope: ownCustomer, bodyIsJson: true,
      summary: 'Change a customer',
      parameters: [customerId],
      requestBody: jsonBody(schema('CustomerChange')),
      responses: {
        200: answer('The customer.', schema('Customer')),
        404: noSuchCustomer,
        409: failure('The new phone belongs to another customer (`details.existingId`).'),
        422: failure('The body is invalid (`details.fields`).'),
      },
    }),
  },
  '/api/v1/customers/{id}/merge': {
    post: apiOperation({
      operationId: 'mergeCustomer', tags: ['customers'], permission: ['customers.read', 'customers.merge'], bodyIsJson: true,
      summary: 'Merge a duplicate into this customer',
      description: 'Orders, complaints, segment history, contacts and customer tasks move to this customer; addresses and tags are united; the duplicate stays with `mergedInto` (left out of search; reading it points here). The segment is recomputed.',
      parameters: [customerId],
      requestBody: jsonBody(schema('CustomerMerge')),
      responses: {
        200: answer('The survivor and what moved.', object(['customer', 'mergedId', 'moved'], { customer: schema('Customer'), mergedId: { type: 'string' }, moved: { type: 'object', additionalProperties: { type: 'integer' } } })),
        404: noSuchCustomer,
        409: failure('One of the two was already merged (`details.mergedInto`).'),
        422: failure('The body is invalid, the duplicate does not exist, or it is the same customer (`details.fields`).'),
      },
    }),
  },

  '/api/v1/complaints': {
    get: apiOperation({
      operationId: 'listComplaints', tags: ['complaints'], permission: 'complaints.read',
      summary: 'List complaints, newest first',
      parameters: [
        query('status', '`open`, `resolved` or `rejected`.', { type: 'string', enum: ['open', 'resolved', 'rejected'] }),
        query('customer', 'Only complaints of this customer id.', { type: 'string' }),
        ...pageParams,
      ],
      responses: { 200: answer('A page of complaints.', schema('ComplaintPage')), 400: failure('A filter is invalid (status, limit, cursor).') },
    }),
    post: apiOperation({
      operationId: 'fileComplaint', tags: ['complaints'], permission: 'complaints.manage', bodyIsJson: true,
      summary: 'File a complaint: start its workflow',
      description: 'Starts `complaint:<id>` on the active ComplaintProcess: a CSKH task with the SLA and escalation ladder, then the outcome\'s follow-up task. Tasks are finished through `POST /api/v1/tasks/{id}/complete`. With an `Idempotency-Key`, a retry returns the same complaint (200, `created: false`).',
      parameters: [{ name: 'Idempotency-Key', in: 'header', description: 'Any string unique to this complaint from the caller (1–200 visible ASCII characters); retries reuse it. The same key with another body is 409 `idempotency_conflict` and files nothing.', schema: { type: 'string', minLength: 1, maxLength: 200 } }],
      requestBody: jsonBody(schema('NewComplaint')),
      responses: {
        201: answer('Filed.', schema('ComplaintFiled')),
        200: answer('Already filed with this Idempotency-Key.', schema('ComplaintFiled')),
        409: failure('No ComplaintProcess is active (code `no_active_process`), or the Idempotency-Key was used for a different body (code `idempotency_conflict`; nothing is filed).'),
        422: failure('The body is invalid, the customer or order is unknown, the order is another customer\'s, or the category is unknown (`details.fields`).'),
      },
    }),
  },
  '/api/v1/complaints/categories': {
    get: apiOperation({
      operationId: 'listComplaintCategories', tags: ['complaints'], permission: 'complaints.read',
      summary: 'What a complaint may be filed under',
      description: 'The categories of the active ComplaintProcess, in the order written; `process` is null and the list empty when none is active.',
      responses: {
        200: answer('The categories.', object(['process', 'categories'], {
          process: { oneOf: [{ type: 'null' }, object(['name', 'version'], { name: { type: 'string' }, version: { type: 'integer' } })] },
          categories: { type: 'array', items: object(['id', 'title'], { id: { type: 'string' }, title: { type: 'string' } }) },
        })),
      },
    }),
  },
  '/api/v1/complaints/{id}': {
    get: apiOperation({
      operationId: 'getComplaint', tags: ['complaints'], permission: 'complaints.read',
      summary: 'A complaint with its tasks and timeline',
      parameters: [pathParam('id', 'Complaint id.')],
      responses: { 200: answer('The complaint.', schema('ComplaintDetail')), 404: failure('No such complaint, or not one the caller may see.') },
    }),
  },
};

const books = booksOpenApi({ apiOperation, schema, answer, failure, object, nullable, pathParam, query, jsonBody, pageParams });

/** The API as it is now; served at `/api/v1/openapi.json`. */
export const openApiDocument: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'shopflow API',
    version,
    description: 'Workflow automation for online shops: staff tasks, leads that start orders, process definitions, staff and tokens. '
      + 'Every `/api/v1` call needs `Authorization: Bearer <token>`. Every error has the shape `{"error": {"code", "message", "details"?}}`; '
      + 'an unexpected failure is 500 with code `internal`.\n\n'
      + 'Each operation names what it needs: `x-permission` lists the permissions the caller\'s roles must all hold (`*` holds every one; `[]`: any staff member\'s token), '
      + '`x-permissions` (when present) lists alternatives of which one is needed as well, and without them the answer is 403. '
      + '`x-scope` (when present) says how the answer is narrowed beyond permissions: `who: own` applies to callers whose roles all have scope `own` in shop.yaml '
      + '(they see only their records: orders whose tasks they hold or held, their tasks and their roles\' queues, customers of those orders and ones they created), '
      + '`who: self` to every caller for records other than themselves; `kind: record` answers `denied` (404 or 403) for such a record, `kind: list` leaves its rows out; `unless` names a permission that lifts it.',
  },
  tags: [
    { name: 'health', description: 'Probes for load balancers.' },
    { name: 'docs', description: 'This document and its browsable page.' },
    { name: 'me', description: 'The caller.' },
    { name: 'definitions', description: 'Shop and process definitions (YAML): versions and activation.' },
    { name: 'staff', description: 'Staff members and their API tokens.' },
    { name: 'tasks', description: 'Human steps of running orders.' },
    { name: 'leads', description: 'Leads that start orders.' },
    { name: 'orders', description: 'Orders: lists, details with timeline, cancellation.' },
    { name: 'couriers', description: 'Webhooks from couriers (GHN, GHTK, the simulator).' },
    { name: 'kpi', description: 'KPI periods: targets, actuals, pacing, evaluation.' },
    { name: 'dashboard', description: 'The manager\'s dashboard: what is late, orders per stage, today\'s revenue.' },
    { name: 'customers', description: 'Customers (CRM): search by phone, history, segments, merging duplicates.' },
    { name: 'complaints', description: 'Complaints (khiếu nại) run as workflows with SLA and escalation.' },
    ...books.tags,
  ],
  security: [{ bearerAuth: [] }],
  paths: { ...paths, ...books.paths },
  components: {
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', description: 'A staff member\'s API token (`sf_…`), issued by `POST /api/v1/staff` or `POST /api/v1/staff/{id}/tokens`.' },
    },
    schemas: { ...schemas, ...books.schemas },
    responses,
  },
};
