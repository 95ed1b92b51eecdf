/**
 * Packing: packing slips, shipping labels, pick lists (PDF) and scan to pack on the pack task.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  answer,
  apiOperation,
  failure,
  jsonBody,
  nullable,
  object,
  pathParam,
  schema,
  stringEnum,
  timestamp,
  withDefault,
  type DomainContract,
  type JsonSchema,
  type PathItem,
  type ResponseObject,
  type ScopeNote,
} from '../http/contract';
import { LABEL_SIZES, PICK_LIST_SIZES } from './pdf';

const sizeHelp = '`A6` (105×148 mm), `A5` (148×210 mm) or `K80` (80 mm receipt roll, as long as the content).';
/** `?size=` of a slip or label. */
export const LabelQuery = Type.Object({ size: withDefault(stringEnum(LABEL_SIZES, { description: `Paper: ${sizeHelp}` }), 'A6') });
export type LabelQuery = Static<typeof LabelQuery>;

const orderIds = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  minItems: 1,
  maxItems: 200,
  uniqueItems: true,
  description: 'The orders of the batch, in the order their pages print (at most 200).',
});
/** A batch of orders to print: their labels in one PDF. */
export const LabelsBody = Type.Object(
  { orderIds, size: Type.Optional(stringEnum(LABEL_SIZES, { description: `Paper (default A6): ${sizeHelp}` })) },
  { additionalProperties: false },
);
export type LabelsBody = Static<typeof LabelsBody>;
/** A batch of orders to pick: one list of SKUs and quantities over all of them. */
export const PickListBody = Type.Object(
  {
    orderIds,
    size: Type.Optional(stringEnum(PICK_LIST_SIZES, { description: 'Paper (default A4): `A4`, `A5` or `K80` (80 mm receipt roll).' })),
  },
  { additionalProperties: false },
);
export type PickListBody = Static<typeof PickListBody>;

export const ScanBody = Type.Object(
  {
    barcode: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[!-~]+$',
      description: "What the scanner typed: a product's barcode, or its SKU.",
    }),
  },
  { additionalProperties: false },
);
export type ScanBody = Static<typeof ScanBody>;

export const OverrideBody = Type.Object(
  { reason: Type.String({ minLength: 3, maxLength: 500, description: 'Why the parcel may go as it is (kept with the override).' }) },
  { additionalProperties: false },
);
export type OverrideBody = Static<typeof OverrideBody>;

const pdf = (description: string): ResponseObject => ({ description, content: { 'application/pdf': { schema: { type: 'string' } } } });
const orderId = pathParam('id', 'Order id.');
const taskId = pathParam('id', 'Task id (the pack task).');
const ownOrder: ScopeNote = {
  record: 'order',
  kind: 'record',
  who: 'own',
  denied: 404,
  description: 'Scope `own`: only orders whose tasks they hold or held; any other order answers 404.',
};
const ownTask: ScopeNote = {
  record: 'task',
  kind: 'record',
  who: 'own',
  denied: 404,
  description: 'Scope `own`: only their tasks and the unassigned tasks of their roles; any other task answers 404.',
};
const noOrder = failure('No such order, or not one the caller may see.');
const noTask = failure('No such task, or not one the caller may see.');
const badBatch = failure(
  'The body is invalid, or names an order that does not exist or the caller may not see (`details.fields`, e.g. `orderIds.2`).',
);

const line = object(['sku', 'name', 'qty', 'scanned'], {
  sku: { type: 'string' },
  name: nullable('string'),
  qty: { type: 'integer', description: 'How many the order needs in the box.' },
  scanned: { type: 'integer', description: 'How many were scanned (and not taken back out).' },
});
const problem = object(['kind', 'message'], {
  kind: { type: 'string', enum: ['wrong-item', 'too-many', 'missing'] },
  message: { type: 'string', description: 'What to do, in Vietnamese.' },
  sku: nullable('string'),
  barcode: { type: 'string' },
  expected: { type: 'integer' },
  scanned: { type: 'integer' },
  scanIds: { type: 'array', items: { type: 'integer' } },
});

export const schemas: Record<string, JsonSchema> = {
  PackingScan: object(['id', 'barcode', 'sku', 'result', 'actor', 'at', 'removedAt'], {
    id: { type: 'integer' },
    barcode: { type: 'string' },
    sku: nullable('string', { description: 'The product the barcode (or SKU) named; null when none.' }),
    name: nullable('string'),
    result: { type: 'string', enum: ['ok', 'wrong-item', 'too-many'], description: 'What the scan was when it was taken.' },
    actor: { type: 'string' },
    at: timestamp,
    removedAt: nullable('string', { format: 'date-time', description: 'When it was taken back out of the box.' }),
  }),
  PackingState: object(['taskId', 'orderId', 'required', 'outcome', 'lines', 'scans', 'problems', 'matched', 'override', 'canComplete'], {
    taskId: { type: 'string' },
    orderId: { type: 'string' },
    required: {
      type: 'boolean',
      description: 'Whether the task needs its items scanned (the stage declares `scanItems` in the order process).',
    },
    outcome: nullable('string', { description: 'The outcome the scans gate (e.g. `packed`, "Đã đóng gói").' }),
    lines: { type: 'array', items: line },
    scans: { type: 'array', items: schema('PackingScan') },
    problems: { type: 'array', items: problem },
    matched: { type: 'boolean', description: 'Every item scanned in its quantity, nothing else in the box.' },
    override: nullable('object', {
      description: "The warehouse lead's override in force (no scan since), if any.",
      required: ['reason', 'actor', 'at'],
      properties: { reason: { type: 'string' }, actor: { type: 'string' }, at: timestamp },
    }),
    canComplete: { type: 'boolean', description: 'Matched, or overridden: the gated outcome will be accepted.' },
  }),
  PackingScanAnswer: object(['scan', 'state'], { scan: schema('PackingScan'), state: schema('PackingState') }),
  PackingScanRequest: ScanBody,
  PackingOverrideRequest: OverrideBody,
  LabelBatch: LabelsBody,
  PickListBatch: PickListBody,
};

export const paths: Record<string, PathItem> = {
  '/api/v1/orders/{id}/packing-slip.pdf': {
    get: apiOperation({
      operationId: 'packingSlipPdf',
      tags: ['packing'],
      permission: 'orders.read',
      scope: ownOrder,
      summary: 'The packing slip of an order (PDF)',
      description:
        'Shop name, the order code as Code 128 and QR code, customer, address, items with quantities and amounts, total, COD, courier and its tracking code (Code 128) once the shipment exists. Vietnamese text is embedded in Noto Sans.',
      parameters: [orderId],
      query: LabelQuery,
      responses: { 200: pdf('The packing slip, one page.'), 404: noOrder },
    }),
  },
  '/api/v1/orders/{id}/label.pdf': {
    get: apiOperation({
      operationId: 'shippingLabelPdf',
      tags: ['packing'],
      permission: 'orders.read',
      scope: ownOrder,
      summary: 'The shipping label of an order (PDF)',
      description:
        'Courier, the tracking code as Code 128 (until the courier has the order: a line saying so), sender, receiver, COD, the items, the order code as Code 128 and a QR code of the tracking code (the order code before there is one).',
      parameters: [orderId],
      query: LabelQuery,
      responses: { 200: pdf('The label, one page.'), 404: noOrder },
    }),
  },
  '/api/v1/orders/labels.pdf': {
    post: apiOperation({
      operationId: 'shippingLabelsPdf',
      tags: ['packing'],
      permission: 'orders.read',
      bodyIsJson: true,
      summary: 'The labels of a batch of orders in one PDF (bulk print)',
      requestBody: jsonBody(schema('LabelBatch')),
      responses: { 200: pdf('One label per page, in the order given.'), 422: badBatch },
    }),
  },
  '/api/v1/orders/pick-list.pdf': {
    post: apiOperation({
      operationId: 'pickListPdf',
      tags: ['packing'],
      permission: 'orders.read',
      bodyIsJson: true,
      summary: 'The pick list of a batch of orders (PDF)',
      description: 'Every SKU of the batch with its total quantity and how many orders need it, then each order with its lines.',
      requestBody: jsonBody(schema('PickListBatch')),
      responses: { 200: pdf('The pick list.'), 422: badBatch },
    }),
  },
  '/api/v1/tasks/{id}/packing': {
    get: apiOperation({
      operationId: 'packingState',
      tags: ['packing'],
      permission: 'tasks.read',
      scope: ownTask,
      summary: 'Scan to pack: the items, the scans and what is wrong',
      parameters: [taskId],
      responses: { 200: answer('The box against the order.', schema('PackingState')), 404: noTask },
    }),
  },
  '/api/v1/tasks/{id}/scans': {
    post: apiOperation({
      operationId: 'scanItem',
      tags: ['packing'],
      permission: 'tasks.read',
      scope: ownTask,
      bodyIsJson: true,
      summary: 'Record one scan on the pack task',
      description:
        "The barcode is looked up as a product's barcode, then as a SKU, and checked against the order's items and quantities: `ok`, `wrong-item` or `too-many`. A wrong scan is also an order event. Needs the task's role (and being its assignee if it is assigned).",
      parameters: [taskId],
      requestBody: jsonBody(schema('PackingScanRequest')),
      responses: {
        201: answer('The scan and the box after it.', schema('PackingScanAnswer')),
        403: failure('The task is for another role, or assigned to someone else.'),
        404: noTask,
        409: failure('The task is no longer open, or does not check scans (`scanItems`).'),
        422: failure('The body is invalid (`details.fields`).'),
      },
    }),
  },
  '/api/v1/tasks/{id}/scans/{scanId}': {
    delete: apiOperation({
      operationId: 'removeScan',
      tags: ['packing'],
      permission: 'tasks.read',
      summary: 'Take a scanned item back out of the box',
      description:
        'The scan stays on record with when and by whom it was taken out; it no longer counts. Scope `own`: only on their tasks and the unassigned tasks of their roles; any other task answers 404.',
      parameters: [taskId, pathParam('scanId', 'Scan id.', 'integer')],
      responses: {
        200: answer('The box after it.', schema('PackingState')),
        403: failure('The task is for another role, or assigned to someone else.'),
        404: failure('No such task or scan, or not one the caller may see.'),
        409: failure('The task is no longer open, or the scan was already taken out.'),
      },
    }),
  },
  '/api/v1/tasks/{id}/packing-override': {
    post: apiOperation({
      operationId: 'overridePacking',
      tags: ['packing'],
      permission: ['tasks.read', 'packing.override'],
      scope: ownTask,
      bodyIsJson: true,
      summary: 'A warehouse lead lets the parcel go although the scans do not match',
      description:
        'Recorded with the reason and the problems at that moment (table and order event). It holds until the next scan; then the box is checked again.',
      parameters: [taskId],
      requestBody: jsonBody(schema('PackingOverrideRequest')),
      responses: {
        201: answer('The box with the override in force.', schema('PackingState')),
        404: noTask,
        409: failure('The task is no longer open, does not check scans, or its scans already match (nothing to override).'),
        422: failure('The body is invalid (`details.fields`).'),
      },
    }),
  },
};

export const contract: DomainContract = {
  tags: [{ name: 'packing', description: 'Packing slips, shipping labels, pick lists and scan to pack.' }],
  schemas,
  paths,
};
