/**
 * Leads and orders.
 */
import {
  schema,
  answer,
  failure,
  object,
  nullable,
  timestamp,
  pathParam,
  jsonBody,
  apiOperation,
  type DomainContract,
  type PathItem,
  type JsonSchema,
  type ScopeNote,
  stringEnum,
} from '../http/contract';
import { Type, type Static } from '@sinclair/typebox';
import { pageQuery } from '../http/pagination';

/** A lead from MKT or a channel hook; it starts an order. */
export const LeadBody = Type.Object(
  {
    channel: Type.String({ minLength: 1 }),
    campaign: Type.Optional(Type.String({ maxLength: 200 })),
    source: Type.Optional(Type.String({ maxLength: 200 })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    // Whole VND that fits the order row's integer column: a cost it cannot store would fail the
    // order's first activity forever, leaving an accepted lead with no order.
    cost: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
    process: Type.Optional(Type.String({ minLength: 1 })),
    customer: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 200 }),
        phone: Type.String({ minLength: 8, maxLength: 20 }),
        address: Type.Optional(Type.String({ maxLength: 500 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type LeadBody = Static<typeof LeadBody>;

/** A manual order (phone or walk-in): the customer, the items, where it goes and how it is paid; it starts closed. */
export const ManualOrderBody = Type.Object(
  {
    channel: Type.String({ minLength: 1, description: "One of the shop's channels (e.g. `store` for a walk-in, `zalo`, `facebook`)." }),
    process: Type.Optional(Type.String({ minLength: 1 })),
    customer: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 200 }),
        phone: Type.String({
          minLength: 8,
          maxLength: 20,
          description: 'Any common spelling of a Vietnamese number; stored as 0xxxxxxxxx.',
        }),
      },
      { additionalProperties: false },
    ),
    items: Type.Array(
      Type.Object(
        {
          sku: Type.String({ minLength: 1, maxLength: 100 }),
          qty: Type.Integer({ minimum: 1, maximum: 100_000 }),
          price: Type.Optional(
            Type.Integer({ minimum: 0, maximum: 2_147_483_647, description: "Unit price, VND; default: the catalogue's." }),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
    shippingAddress: Type.Object(
      {
        street: Type.String({ minLength: 1, maxLength: 300 }),
        ward: Type.String({ minLength: 1, maxLength: 200 }),
        district: Type.Optional(Type.String({ maxLength: 200 })),
        province: Type.String({ minLength: 1, maxLength: 200 }),
      },
      { additionalProperties: false },
    ),
    payment: stringEnum(['cod', 'prepaid'], { description: '`cod`: the courier collects; `prepaid`: already paid (nothing to collect).' }),
    codAmount: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 2_147_483_647,
        description: 'COD to collect, VND; default with `cod`: the items plus the shipping fee.',
      }),
    ),
    shippingFee: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 2_147_483_647, description: 'What the customer pays for shipping, VND.' }),
    ),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type ManualOrderBody = Static<typeof ManualOrderBody>;

export const CancelBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
export type CancelBody = Static<typeof CancelBody>;

const orderId = pathParam('id', 'Order id.');
const noSuchOrder = failure('No such order, or not one the caller may see.');
const ownOrder: ScopeNote = {
  record: 'order',
  kind: 'record',
  who: 'own',
  denied: 404,
  description: 'Scope `own`: only orders whose tasks they hold or held; any other order answers 404.',
};
const ownOrders: ScopeNote = {
  record: 'order',
  kind: 'list',
  who: 'own',
  description: 'Scope `own`: only orders whose tasks they hold or held.',
};

export const schemas: Record<string, JsonSchema> = {
  Lead: {
    ...LeadBody,
    description:
      "`customer.phone` must be a Vietnamese number (0xxxxxxxxx or +84xxxxxxxxx); `channel` one of the shop's channels; `process` an active OrderProcess (default: the channel's `process` in shop.yaml, else the shop's `defaultProcess`, else the most recently activated one).",
  },
  LeadStarted: object(
    ['leadId', 'orderId', 'workflowId', 'definition', 'assignedTo', 'firstTask', 'created'],
    {
      leadId: { type: 'string', description: 'Same as `orderId`.' },
      orderId: { type: 'string', examples: ['DH250301-1A2B3C4D'] },
      workflowId: { type: 'string', examples: ['order:DH250301-1A2B3C4D'] },
      definition: object(['name', 'version'], { name: { type: 'string' }, version: { type: 'integer' } }),
      assignedTo: nullable('string', {
        description:
          'Who the first task went to, if it was already open and auto-assigned when the lead was answered; usually null for a new order (the answer does not wait for the task): read `firstTask.href`.',
      }),
      firstTask: object(['href'], {
        href: {
          type: 'string',
          description:
            "The order's tasks (`GET /api/v1/tasks?order=<orderId>`): the first task is listed there once the workflow has opened it, a moment after the start.",
          examples: ['/api/v1/tasks?order=DH250301-1A2B3C4D'],
        },
      }),
      created: { type: 'boolean' },
    },
    'The order started (or, with the same Idempotency-Key, was started before). The answer does not wait for the first task: the workflow opens it a moment later, and it is read at `firstTask.href`.',
  ),

  Order: object(
    [
      'id',
      'status',
      'stage',
      'channel',
      'customer',
      'total',
      'codAmount',
      'courier',
      'trackingCode',
      'definition',
      'createdAt',
      'updatedAt',
    ],
    {
      id: { type: 'string', examples: ['DH250301-1A2B3C4D'] },
      status: {
        type: 'string',
        description: "`open` while it runs; then the end stage's result: `completed`, `lost`, `cancelled`, `returned`.",
      },
      stage: nullable('string', { description: 'Current (or final) stage id.' }),
      channel: nullable('string'),
      campaign: nullable('string'),
      customer: object(['id', 'name', 'phone'], {
        id: nullable('string'),
        name: nullable('string'),
        phone: nullable('string', { description: 'Normalised: 0xxxxxxxxx.' }),
      }),
      total: nullable('integer', { description: 'VND, known once the lead is closed.' }),
      codAmount: nullable('integer', { description: 'Cash to collect on delivery, VND.' }),
      courier: nullable('string'),
      trackingCode: nullable('string'),
      definition: {
        oneOf: [{ type: 'null' }, object(['name', 'version'], { name: { type: 'string' }, version: nullable('integer') })],
        description: 'The definition version the order runs (never changes).',
      },
      createdAt: timestamp,
      updatedAt: timestamp,
    },
  ),
  OrderPage: object(['orders', 'nextCursor'], {
    orders: { type: 'array', items: schema('Order') },
    nextCursor: nullable('string', { description: 'Pass as `cursor` for the next page; null on the last page.' }),
  }),
  OrderDetail: {
    allOf: [
      schema('Order'),
      object(['current', 'path', 'items', 'shippingAddress', 'shipment', 'timeline', 'people', 'stages', 'outcomes'], {
        current: {
          oneOf: [
            { type: 'null' },
            object(['stage', 'title', 'since', 'waitingOn', 'result'], {
              stage: { type: 'string' },
              title: { type: 'string' },
              since: timestamp,
              waitingOn: {
                type: 'array',
                items: { type: 'object' },
                description:
                  'Open tasks: taskId, role, assigneeId, priority, dueAt, escalationLevel (holder, role, priority and level as the tasks table has them now, reassignments included).',
              },
              result: nullable('string'),
            }),
          ],
          description: 'Where the order is, from its workflow; null if the workflow could not be asked.',
        },
        path: {
          oneOf: [{ type: 'null' }, { type: 'array', items: { type: 'object' } }],
          description: 'Stages visited with outcome and actor.',
        },
        items: {
          type: 'array',
          description:
            "What staff agreed (the closing form, or a substitution when stock was short): the data of the order's finished steps, later ones winning. Empty until the lead is closed. `name` is the catalogue's when the SKU is a product, else as typed.",
          items: object(['sku', 'name', 'qty', 'price', 'amount'], {
            sku: nullable('string'),
            name: nullable('string'),
            qty: nullable('number'),
            price: nullable('number', { description: 'Unit price, VND, if entered.' }),
            amount: nullable('number', { description: 'qty × price, VND.' }),
          }),
        },
        shippingAddress: {
          oneOf: [
            { type: 'null' },
            object(['street', 'ward', 'district', 'province', 'text'], {
              street: nullable('string', { description: 'A new address typed by CSKH replaces the street, as in the courier request.' }),
              ward: nullable('string'),
              district: nullable('string'),
              province: nullable('string'),
              text: { type: 'string', description: 'The parts on one line.' },
            }),
          ],
          description: 'Where the parcel goes, from the same step data; null until entered.',
        },
        shipment: {
          oneOf: [
            { type: 'null' },
            object(['courier', 'trackingCode', 'state', 'status'], {
              courier: { type: 'string' },
              trackingCode: { type: 'string' },
              state: {
                type: 'string',
                description:
                  "shopflow's state: created, picking, picked, in_transit, delivering, delivered, delivery_failed, returning, returned, cancelled, lost, …",
              },
              status: nullable('string', { description: "The courier's own last status code." }),
              deliveryDueAt: nullable('string', { format: 'date-time' }),
              expectedDeliveryAt: nullable('string', { format: 'date-time' }),
            }),
          ],
        },
        timeline: { type: 'array', items: schema('TimelineEvent') },
        people: {
          type: 'object',
          additionalProperties: { type: 'string' },
          description:
            "Staff names by id for the people this page mentions (the open tasks' holders, the timeline's actors), so the console shows names, not `stf_…` ids.",
        },
        stages: {
          type: 'object',
          additionalProperties: { type: 'string' },
          description:
            "The title of each stage of the order's process version (stage id → title), so the timeline shows the definition's words, never stage ids. Empty when the version is not stored.",
        },
        outcomes: {
          type: 'object',
          additionalProperties: { type: 'object', additionalProperties: { type: 'string' } },
          description:
            "The title of each outcome of each human stage (stage id → outcome name → title), for the timeline's finished steps.",
        },
      }),
    ],
  },
  ManualOrder: { ...ManualOrderBody, description: 'A phone or walk-in order as staff enter it.' },
  ManualOrderStarted: object(['orderId', 'workflowId', 'definition', 'created', 'href'], {
    orderId: { type: 'string', examples: ['DH250301-1A2B3C4D'] },
    workflowId: { type: 'string', examples: ['order:DH250301-1A2B3C4D'] },
    definition: object(['name', 'version'], { name: { type: 'string' }, version: { type: 'integer' } }),
    created: { type: 'boolean' },
    href: { type: 'string', description: 'The order (`GET /api/v1/orders/{id}`).' },
  }),
  OrderCancellation: { ...CancelBody, description: 'Why the order is cancelled (kept in its timeline).' },
};

/** `GET /orders`: the filters and the page. */
export const OrdersQuery = Type.Object({
  stage: Type.Optional(Type.String({ description: 'Only orders at this stage.' })),
  status: Type.Optional(Type.String({ description: '`open`, `completed`, `lost`, `cancelled` or `returned`.' })),
  late: Type.Optional(Type.Boolean({ description: '`true`: only orders with an overdue task or a parcel past its expected delivery.' })),
  channel: Type.Optional(Type.String({ description: 'Only orders from this channel.' })),
  courier: Type.Optional(Type.String({ description: 'Only orders with this courier (shop.yaml `couriers` id).' })),
  q: Type.Optional(
    Type.String({
      maxLength: 100,
      description:
        "One search box: a phone number in any spelling (0912 345 678, +84…; a part of it matches too), the customer's name (part of it, any case), the order code or the courier's tracking code (part of either).",
    }),
  ),
  assignee: Type.Optional(Type.String({ description: 'Only orders with an open task held by `me` or this staff id.' })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Created at or after (ISO 8601).' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Created at or before (ISO 8601).' })),
  ...pageQuery,
});

export const paths: Record<string, PathItem> = {
  '/api/v1/orders': {
    get: apiOperation({
      operationId: 'listOrders',
      tags: ['orders'],
      permission: 'orders.read',
      scope: ownOrders,
      summary: 'List orders',
      description: 'Newest first, from the database projection. Scope `own` sees orders whose tasks the caller holds or held.',
      query: OrdersQuery,
      responses: { 200: answer('A page of orders.', schema('OrderPage')), 400: failure('A filter is invalid (limit, from, to, cursor).') },
    }),
  },
  '/api/v1/orders/choices': {
    get: apiOperation({
      operationId: 'getOrderChoices',
      tags: ['orders'],
      permission: 'orders.read',
      summary: "The shop's channels and couriers (ids and titles), for order forms and filters",
      responses: {
        200: answer(
          'The choices.',
          object(['channels', 'couriers', 'statuses'], {
            channels: { type: 'array', items: object(['id', 'title'], { id: { type: 'string' }, title: { type: 'string' } }) },
            couriers: { type: 'array', items: object(['id', 'title'], { id: { type: 'string' }, title: { type: 'string' } }) },
            statuses: { type: 'array', items: { type: 'string' } },
          }),
        ),
      },
    }),
  },
  '/api/v1/orders/manual': {
    post: apiOperation({
      operationId: 'createManualOrder',
      tags: ['orders'],
      permission: 'orders.create',
      bodyIsJson: true,
      summary: 'A manual order (phone or walk-in): start it already closed',
      description:
        "The order starts on the channel's process with its first step (closing the sale) decided by the caller: the items (SKUs of the catalogue, its list price unless `price` is given), the address, and the payment (`cod` collects the items plus `shippingFee` unless `codAmount` says otherwise; `prepaid` collects nothing). The caller is recorded as the order's closer (sales KPIs, and scope `own` may read it). With an `Idempotency-Key`, a retry returns the same order (200, `created: false`).",
      parameters: [
        {
          name: 'Idempotency-Key',
          in: 'header',
          description: 'Any string unique to this order from the caller (1–200 visible ASCII characters); retries reuse it.',
          schema: { type: 'string', minLength: 1, maxLength: 200 },
        },
      ],
      requestBody: jsonBody(schema('ManualOrder')),
      responses: {
        201: answer('The order started, closed.', schema('ManualOrderStarted')),
        200: answer('Already started with this Idempotency-Key.', schema('ManualOrderStarted')),
        409: failure(
          'No order process is active for the channel (code `no_active_process`), or the Idempotency-Key was used for another body.',
        ),
        422: failure(
          'The body is invalid: an unknown channel, a phone that is not Vietnamese, a SKU not in the catalogue (`items[i].sku`), a missing ward… (`details.fields`).',
        ),
      },
    }),
  },
  '/api/v1/orders/{id}': {
    get: apiOperation({
      operationId: 'getOrder',
      tags: ['orders'],
      permission: 'orders.read',
      scope: ownOrder,
      summary: 'Read an order: where it is, who it waits on, its shipment and full timeline',
      parameters: [orderId],
      responses: { 200: answer('The order.', schema('OrderDetail')), 404: noSuchOrder },
    }),
  },
  '/api/v1/orders/{id}/cancel': {
    post: apiOperation({
      operationId: 'cancelOrder',
      tags: ['orders'],
      permission: ['orders.read', 'orders.cancel'],
      scope: ownOrder,
      bodyIsJson: true,
      summary: 'Cancel an order',
      description:
        'Before hand-over the order ends cancelled at once. After hand-over the courier is asked to cancel first; if it refuses (parcel picked up), 409 with its reason and the order goes on.',
      parameters: [orderId],
      requestBody: jsonBody(schema('OrderCancellation')),
      responses: {
        200: answer(
          'Cancelled.',
          object(['id', 'cancelled', 'status', 'stage'], {
            id: { type: 'string' },
            cancelled: { type: 'boolean', const: true },
            status: { type: 'string' },
            stage: nullable('string'),
          }),
        ),
        404: noSuchOrder,
        409: failure('The order has ended, its process has no cancelled end stage, or the courier refused (`details.reason`).'),
        422: failure('The body is invalid (`details.fields`).'),
      },
    }),
  },

  '/api/v1/leads': {
    post: apiOperation({
      operationId: 'createLead',
      tags: ['leads'],
      permission: 'leads.create',
      bodyIsJson: true,
      summary: 'A lead arrives: start its order',
      description:
        'Starts the workflow `order:<orderId>` on the active order process. With an `Idempotency-Key`, a retry of the same request returns the same order (200, `created: false`).',
      parameters: [
        {
          name: 'Idempotency-Key',
          in: 'header',
          description:
            'Any string unique to this lead from the caller (1–200 visible ASCII characters); retries reuse it. The same key with another body is 409 `idempotency_conflict` and changes nothing.',
          schema: { type: 'string', minLength: 1, maxLength: 200 },
        },
      ],
      requestBody: jsonBody(schema('Lead')),
      responses: {
        201: answer('The order started.', schema('LeadStarted')),
        200: answer('Already started with this Idempotency-Key.', schema('LeadStarted')),
        409: failure(
          'No order process is active, or none of the name given, or the one the channel runs (shop.yaml `channels.<id>.process` / `defaultProcess`) is not active — `details.fields` names `process` or `channel` (code `no_active_process`), or the Idempotency-Key was used for a different body (code `idempotency_conflict`; nothing is created or changed).',
        ),
        422: failure('The body is invalid, the channel is unknown, or the phone is not a Vietnamese number (`details.fields`).'),
      },
    }),
  },
};

export const contract: DomainContract = {
  tags: [
    { name: 'leads', description: 'Leads that start orders.' },
    { name: 'orders', description: 'Orders: lists, details with timeline, cancellation.' },
  ],
  schemas,
  paths,
};
