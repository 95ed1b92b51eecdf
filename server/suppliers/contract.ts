/**
 * Suppliers and purchase orders: the contract. A purchase order's receipt becomes a purchase
 * document (server/books, `Purchase`) and moves stock once.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  apiOperation,
  answer,
  failure,
  jsonBody,
  nullable,
  object,
  pathParam,
  schema,
  stringEnum,
  type DomainContract,
  type JsonSchema,
  type PathItem,
} from '../http/contract';
import { idempotencyKey, int, invalidBody, str, ts } from '../books/contract/shared';

export const PURCHASE_ORDER_STATUSES = ['draft', 'sent', 'received', 'cancelled'] as const;

const text = (max: number, extra: Record<string, unknown> = {}) => Type.String({ minLength: 1, maxLength: max, ...extra });
const phone = Type.String({ pattern: '^[0-9+][0-9 .()-]{5,19}$', description: 'Digits, spaces, + . ( ) -; 6–20 characters.' });
const email = Type.String({ format: 'email', maxLength: 200 });

export const SupplierContact = Type.Object(
  {
    name: text(200),
    phone: Type.Optional(phone),
    email: Type.Optional(email),
    role: Type.Optional(text(100, { description: 'What they handle: báo giá, giao hàng, công nợ…' })),
  },
  { additionalProperties: false },
);

const supplierFields = {
  name: text(200),
  taxCode: Type.Optional(
    Type.Union([Type.String({ pattern: '^[0-9]{10}(-[0-9]{3})?$', description: 'Mã số thuế: 10 digits, or 10-3.' }), Type.Null()]),
  ),
  phone: Type.Optional(Type.Union([phone, Type.Null()])),
  email: Type.Optional(Type.Union([email, Type.Null()])),
  address: Type.Optional(Type.Union([text(500), Type.Null()])),
  leadTimeDays: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 365, description: 'Days from ordering to the goods at the shop; default 0.' }),
  ),
  contacts: Type.Optional(Type.Array(SupplierContact, { maxItems: 20 })),
  note: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
  active: Type.Optional(Type.Boolean({ description: 'An inactive supplier keeps its history; no new purchase orders.' })),
};
export const SupplierBody = Type.Object(supplierFields, { additionalProperties: false });
export type SupplierBody = Static<typeof SupplierBody>;
export const SupplierPatch = Type.Object(
  { ...supplierFields, name: Type.Optional(supplierFields.name) },
  { additionalProperties: false, minProperties: 1 },
);
export type SupplierPatch = Static<typeof SupplierPatch>;

export const SuppliersQuery = Type.Object({
  active: Type.Optional(Type.Boolean({ description: 'Only active (true) or inactive (false) suppliers.' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name.' })),
});

export const PurchaseOrderBody = Type.Object(
  {
    supplierId: text(100),
    warehouse: Type.Optional(text(100, { description: 'Default: the first warehouse of shop.yaml.' })),
    orderDate: Type.Optional(Type.String({ format: 'date', description: 'Local day the order is placed; default today.' })),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    lines: Type.Array(
      Type.Object(
        {
          sku: text(100, { description: 'An active catalogue product, once per order.' }),
          qty: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
          unitCost: Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'VND per unit.' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);
export type PurchaseOrderBody = Static<typeof PurchaseOrderBody>;

export const ReceiptBody = Type.Object(
  {
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          { sku: text(100), qty: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'At most what is still outstanding.' }) },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 500, description: 'What arrived; leave out to receive everything outstanding.' },
      ),
    ),
    supplierInvoice: Type.Optional(
      text(100, { description: "The supplier's invoice or delivery note; recorded once per supplier (409)." }),
    ),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type ReceiptBody = Static<typeof ReceiptBody>;

export const PurchaseOrdersQuery = Type.Object({
  status: Type.Optional(stringEnum(PURCHASE_ORDER_STATUSES, { description: 'Only orders in this status.' })),
  supplierId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Only orders to this supplier.' })),
});

const contact = object(['name'], { name: str, phone: str, email: str, role: str });
export const schemas: Record<string, JsonSchema> = {
  Supplier: object(
    ['id', 'name', 'taxCode', 'phone', 'email', 'address', 'leadTimeDays', 'contacts', 'note', 'active', 'createdAt', 'updatedAt'],
    {
      id: { type: 'string', examples: ['sup_1a2b3c4d5e6f'] },
      name: str,
      taxCode: nullable('string'),
      phone: nullable('string'),
      email: nullable('string'),
      address: nullable('string'),
      leadTimeDays: int,
      contacts: { type: 'array', items: contact },
      note: nullable('string'),
      active: { type: 'boolean' },
      createdAt: ts,
      updatedAt: ts,
    },
  ),
  SupplierCreation: SupplierBody,
  SupplierChange: SupplierPatch,
  PurchaseOrder: object(
    [
      'id',
      'supplier',
      'status',
      'warehouse',
      'orderDate',
      'expectedDate',
      'note',
      'total',
      'createdBy',
      'createdAt',
      'updatedAt',
      'lines',
      'receipts',
    ],
    {
      id: { type: 'string', examples: ['po_1a2b3c4d5e6f'] },
      supplier: object(['id', 'name'], { id: str, name: str }),
      status: {
        type: 'string',
        enum: [...PURCHASE_ORDER_STATUSES],
        description: 'A partly received order stays `sent` until every line is in.',
      },
      warehouse: str,
      orderDate: { type: 'string', format: 'date' },
      expectedDate: { type: 'string', format: 'date', description: "orderDate + the supplier's lead time (days) when the order was made." },
      note: nullable('string'),
      total: { ...int, description: 'Σ qty × unitCost, VND.' },
      createdBy: str,
      createdAt: ts,
      updatedAt: ts,
      lines: {
        type: 'array',
        items: object(['sku', 'qty', 'unitCost', 'amount', 'receivedQty', 'outstandingQty'], {
          sku: str,
          qty: int,
          unitCost: int,
          amount: int,
          receivedQty: int,
          outstandingQty: int,
        }),
      },
      receipts: {
        type: 'array',
        description: 'Each delivery received, with the purchase document (phiếu nhập) it became.',
        items: object(['purchaseNumber', 'lines', 'actor', 'createdAt'], {
          purchaseNumber: { type: 'string', examples: ['PN-2026-000001'] },
          lines: { type: 'array', items: object(['sku', 'qty'], { sku: str, qty: int }) },
          actor: str,
          createdAt: ts,
        }),
      },
    },
  ),
  PurchaseOrderCreation: PurchaseOrderBody,
  PurchaseOrderReceipt: ReceiptBody,
};

const supplierId = pathParam('id', 'Supplier id, e.g. sup_1a2b3c4d5e6f.');
const orderId = pathParam('id', 'Purchase order id, e.g. po_1a2b3c4d5e6f.');
const statusChange = (operationId: string, summary: string, description: string) =>
  apiOperation({
    operationId,
    tags: ['suppliers'],
    permission: 'stock.manage',
    summary,
    description,
    parameters: [orderId],
    responses: {
      200: answer('The purchase order.', schema('PurchaseOrder')),
      404: failure('No such purchase order.'),
      409: failure('Not in a status this change starts from (`details.fields[0].field` is `status`).'),
    },
  });

export const paths: Record<string, PathItem> = {
  '/api/v1/suppliers': {
    get: apiOperation({
      operationId: 'listSuppliers',
      tags: ['suppliers'],
      permission: 'stock.manage',
      summary: 'Suppliers (nhà cung cấp) by name',
      query: SuppliersQuery,
      responses: { 200: answer('The suppliers.', object(['suppliers'], { suppliers: { type: 'array', items: schema('Supplier') } })) },
    }),
    post: apiOperation({
      operationId: 'createSupplier',
      tags: ['suppliers'],
      permission: 'stock.manage',
      bodyIsJson: true,
      summary: 'Add a supplier with its contacts and lead time',
      requestBody: jsonBody(schema('SupplierCreation')),
      responses: {
        201: answer('The supplier.', schema('Supplier')),
        409: failure('A supplier with this name (any letter case) exists (`details.fields`: `name`).'),
        422: invalidBody,
      },
    }),
  },
  '/api/v1/suppliers/{id}': {
    get: apiOperation({
      operationId: 'getSupplier',
      tags: ['suppliers'],
      permission: 'stock.manage',
      summary: 'A supplier',
      parameters: [supplierId],
      responses: { 200: answer('The supplier.', schema('Supplier')), 404: failure('No such supplier.') },
    }),
    patch: apiOperation({
      operationId: 'updateSupplier',
      tags: ['suppliers'],
      permission: 'stock.manage',
      bodyIsJson: true,
      summary: "Change a supplier's details (contacts are replaced as a whole)",
      description: 'A changed lead time applies to purchase orders made from now on; existing orders keep their expected day.',
      parameters: [supplierId],
      requestBody: jsonBody(schema('SupplierChange')),
      responses: {
        200: answer('The supplier.', schema('Supplier')),
        404: failure('No such supplier.'),
        409: failure('Another supplier has this name.'),
        422: invalidBody,
      },
    }),
    delete: apiOperation({
      operationId: 'deactivateSupplier',
      tags: ['suppliers'],
      permission: 'stock.manage',
      summary: 'Deactivate a supplier (its purchase orders and documents stay)',
      parameters: [supplierId],
      responses: { 200: answer('The supplier, inactive.', schema('Supplier')), 404: failure('No such supplier.') },
    }),
  },
  '/api/v1/purchase-orders': {
    get: apiOperation({
      operationId: 'listPurchaseOrders',
      tags: ['suppliers'],
      permission: 'stock.manage',
      summary: 'Purchase orders, newest first (at most 200)',
      query: PurchaseOrdersQuery,
      responses: {
        200: answer(
          'The purchase orders.',
          object(['purchaseOrders'], { purchaseOrders: { type: 'array', items: schema('PurchaseOrder') } }),
        ),
      },
    }),
    post: apiOperation({
      operationId: 'createPurchaseOrder',
      tags: ['suppliers'],
      permission: 'stock.manage',
      bodyIsJson: true,
      summary: 'Draft a purchase order to a supplier',
      description:
        "Catalogue SKUs only, each once. `expectedDate` = `orderDate` + the supplier's `leadTimeDays`. Nothing moves stock until it is received.",
      requestBody: jsonBody(schema('PurchaseOrderCreation')),
      responses: {
        201: answer('The draft purchase order.', schema('PurchaseOrder')),
        422: failure(
          'The body is invalid, or names an unknown or inactive supplier, SKU or warehouse (`details.fields`). Nothing is changed.',
        ),
      },
    }),
  },
  '/api/v1/purchase-orders/{id}': {
    get: apiOperation({
      operationId: 'getPurchaseOrder',
      tags: ['suppliers'],
      permission: 'stock.manage',
      summary: 'A purchase order with its lines and receipts',
      parameters: [orderId],
      responses: { 200: answer('The purchase order.', schema('PurchaseOrder')), 404: failure('No such purchase order.') },
    }),
  },
  '/api/v1/purchase-orders/{id}/send': {
    post: statusChange(
      'sendPurchaseOrder',
      'Mark a draft as sent to the supplier',
      'draft → sent; sending a sent order again changes nothing.',
    ),
  },
  '/api/v1/purchase-orders/{id}/cancel': {
    post: statusChange(
      'cancelPurchaseOrder',
      'Cancel a purchase order nothing has been received on',
      'draft or sent → cancelled; refused (409) once any goods were received.',
    ),
  },
  '/api/v1/purchase-orders/{id}/receive': {
    post: apiOperation({
      operationId: 'receivePurchaseOrder',
      tags: ['suppliers'],
      permission: 'stock.manage',
      bodyIsJson: true,
      summary: 'Receive goods of a sent purchase order: a purchase document (phiếu nhập) and its stock receipts',
      description:
        'Partial receipts are allowed: `lines` names what arrived (at most what is outstanding per SKU); without `lines`, everything outstanding. Each receipt is one purchase document (`PN-<year>-NNNNNN`, as `POST /purchases` makes) and one `receipt` movement per line, in one transaction with the order locked. When every line is in, the order becomes `received`; receiving a received order again without `lines` answers 200 with `purchase: null` and moves nothing. With an `Idempotency-Key`, a retry of a partial receipt gets the first answer.',
      parameters: [orderId, idempotencyKey],
      requestBody: jsonBody(schema('PurchaseOrderReceipt')),
      responses: {
        200: answer(
          'Nothing was outstanding: the order as it is.',
          object(['order', 'purchase'], { order: schema('PurchaseOrder'), purchase: { type: 'null' } }),
        ),
        201: answer(
          'Received: the order and the purchase document made.',
          object(['order', 'purchase'], { order: schema('PurchaseOrder'), purchase: schema('Purchase') }),
        ),
        400: failure('The Idempotency-Key header is malformed.'),
        404: failure('No such purchase order.'),
        409: failure(
          'The order is a draft or cancelled (`status`), the supplier invoice is already recorded (`supplierInvoice`), or the Idempotency-Key was used for a different body.',
        ),
        422: failure(
          'A SKU not on the order, named twice, or more than is outstanding (`details.fields`: `lines.<i>.sku` / `lines.<i>.qty`).',
        ),
      },
    }),
  },
};

export const contract: DomainContract = {
  tags: [
    { name: 'suppliers', description: 'Suppliers (nhà cung cấp) with contacts and lead times, and the purchase orders sent to them.' },
  ],
  schemas,
  paths,
};
