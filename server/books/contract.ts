/**
 * The books' part of the contract: products, stock, purchases, the sales book, summaries and
 * COD reconciliation.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  apiOperation,
  answer,
  csv,
  failure,
  jsonBody,
  nullable,
  object,
  pageParams,
  pathParam,
  query,
  schema,
  type DomainContract,
  type JsonSchema,
  type Parameter,
  type PathItem,
} from '../http/contract';

const sku = Type.String({ minLength: 1, maxLength: 60, pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$' });
const productFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  unit: Type.String({ minLength: 1, maxLength: 30, description: 'Unit of sale: cái, hộp, kg…' }),
  price: Type.Integer({ minimum: 0, description: 'List price, VND.' }),
  lowStockThreshold: Type.Integer({
    minimum: 0,
    description: 'Alert warehouse and accounting when available stock falls below this (0: never).',
  }),
  active: Type.Boolean(),
};
const { name: productName, ...otherProductFields } = productFields;
export const CreateProductBody = Type.Object(
  { sku, name: productName, ...Type.Partial(Type.Object(otherProductFields)).properties },
  { additionalProperties: false },
);
export type CreateProductBody = Static<typeof CreateProductBody>;
export const PatchProductBody = Type.Partial(Type.Object(productFields), { additionalProperties: false, minProperties: 1 });
export type PatchProductBody = Static<typeof PatchProductBody>;

export const AdjustmentBody = Type.Object(
  {
    sku: Type.String({ minLength: 1 }),
    warehouse: Type.Optional(Type.String({ minLength: 1, description: 'Default: the first warehouse of shop.yaml.' })),
    qty: Type.Integer({
      not: { const: 0 },
      minimum: -1_000_000,
      maximum: 1_000_000,
      description: 'Signed: + found or added, − lost, damaged, written off.',
    }),
    reason: Type.String({ minLength: 3, maxLength: 500, description: 'Why (stock count, damaged, gift…): required, kept in the ledger.' }),
  },
  { additionalProperties: false },
);
export type AdjustmentBody = Static<typeof AdjustmentBody>;

export const PurchaseBody = Type.Object(
  {
    supplier: Type.String({ minLength: 1, maxLength: 200 }),
    supplierInvoice: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: "The supplier's invoice or delivery note number; recording it twice is refused (409).",
      }),
    ),
    warehouse: Type.Optional(Type.String({ minLength: 1, description: 'Default: the first warehouse of shop.yaml.' })),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    lines: Type.Array(
      Type.Object(
        {
          sku: Type.String({ minLength: 1 }),
          qty: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
          unitCost: Type.Integer({ minimum: 0, description: 'VND per unit.' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);
export type PurchaseBody = Static<typeof PurchaseBody>;

export const SalesReturnBody = Type.Object(
  {
    reason: Type.String({ minLength: 3, maxLength: 500, description: 'Why the delivered goods came back (complaint, exchange…).' }),
  },
  { additionalProperties: false },
);
export type SalesReturnBody = Static<typeof SalesReturnBody>;

const remittanceId = Type.String({ minLength: 1, maxLength: 100 });
/** A courier's COD remittance (đối soát), as JSON; the CSV upload is checked with the same schema. */
export const RemittanceBody = Type.Object(
  {
    courier: Type.String({ minLength: 1, description: 'Courier id from shop.yaml.' }),
    reference: Type.String({
      minLength: 1,
      maxLength: 100,
      description: "The courier's remittance (đối soát) reference; importing the same one again is a no-op.",
    }),
    lines: Type.Array(
      Type.Object(
        {
          orderCode: Type.Optional(remittanceId),
          trackingCode: Type.Optional(remittanceId),
          codCollected: Type.Integer({ minimum: 0, description: 'COD the courier collected, VND.' }),
          fee: Type.Optional(Type.Integer({ minimum: 0, description: 'Fees the courier deducted, VND.' })),
          transferredAt: Type.Optional(Type.String({ format: 'date-time' })),
        },
        { additionalProperties: false, anyOf: [{ required: ['orderCode'] }, { required: ['trackingCode'] }] },
      ),
      { minItems: 1, maxItems: 20_000 },
    ),
  },
  { additionalProperties: false },
);
export type RemittanceBody = Static<typeof RemittanceBody>;

const int: JsonSchema = { type: 'integer' };
const str: JsonSchema = { type: 'string' };
const ts: JsonSchema = { type: 'string', format: 'date-time' };
const range = [
  query('from', 'First local day (YYYY-MM-DD, shop time zone); default the first day of this month.', { type: 'string', format: 'date' }),
  query('to', 'Last local day, inclusive; default today.', { type: 'string', format: 'date' }),
];
const badRange = failure('A filter is invalid (from, to, limit, cursor).');
const level = object(['warehouse', 'onHand', 'reserved', 'available', 'lowStockThreshold', 'low'], {
  warehouse: str,
  onHand: { ...int, description: 'Physically there: receipts + restocks − issues ± adjustments.' },
  reserved: { ...int, description: 'Promised to open orders not yet handed over.' },
  available: { ...int, description: 'onHand − reserved: what can still be sold.' },
  lowStockThreshold: int,
  low: { type: 'boolean' },
});
const noProduct = failure('No product of that SKU.');
const invalidBody = failure('The body is invalid, or names an unknown SKU or warehouse (`details.fields`). Nothing is changed.');
const idempotencyKey: Parameter = {
  name: 'Idempotency-Key',
  in: 'header',
  description:
    'Any string unique to this request from the caller (1–200 visible ASCII characters); a retry reuses it. The same key with the same body answers as the first time (header `Idempotent-Replayed: true`) and writes nothing; with a different body, 409 `idempotency_conflict`. Keys are per caller; refused requests are not kept.',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
};

export const schemas: Record<string, JsonSchema> = {
  Product: object(['sku', 'name', 'unit', 'price', 'lowStockThreshold', 'active', 'createdAt', 'updatedAt', 'stock'], {
    sku: str,
    name: str,
    unit: str,
    price: { ...int, description: 'VND.' },
    lowStockThreshold: int,
    active: { type: 'boolean' },
    createdAt: ts,
    updatedAt: ts,
    stock: { type: 'array', items: level, description: 'Per warehouse that has ever held it.' },
  }),
  ProductCreation: CreateProductBody,
  ProductPatch: PatchProductBody,
  StockLevel: {
    allOf: [
      level,
      object(['sku', 'name'], { sku: str, name: nullable('string', { description: 'null: not in the catalogue (not stock-checked).' }) }),
    ],
  },
  StockMovement: object(['id', 'sku', 'warehouse', 'qty', 'kind', 'orderId', 'reason', 'actor', 'at'], {
    id: int,
    sku: str,
    warehouse: str,
    qty: { ...int, description: 'Signed.' },
    kind: { type: 'string', enum: ['receipt', 'reserve', 'release', 'issue', 'restock', 'adjust'] },
    orderId: nullable('string'),
    reason: nullable('string'),
    actor: nullable('string'),
    at: ts,
  }),
  StockAdjustment: AdjustmentBody,
  Purchase: object(['number', 'supplier', 'supplierInvoice', 'warehouse', 'total', 'note', 'actor', 'createdAt', 'lines'], {
    number: { type: 'string', examples: ['PN-2026-000001'] },
    supplier: str,
    supplierInvoice: nullable('string'),
    warehouse: str,
    total: int,
    note: nullable('string'),
    actor: str,
    createdAt: ts,
    lines: { type: 'array', items: object(['sku', 'qty', 'unitCost', 'amount'], { sku: str, qty: int, unitCost: int, amount: int }) },
  }),
  PurchaseCreation: PurchaseBody,
  SalesDocument: object(
    [
      'number',
      'kind',
      'orderId',
      'complaintId',
      'reverses',
      'channel',
      'customerName',
      'customerPhone',
      'courier',
      'goodsTotal',
      'shippingFee',
      'codAmount',
      'reason',
      'at',
      'createdAt',
      'lines',
    ],
    {
      number: { type: 'string', examples: ['HD-2026-000001', 'TH-2026-000001', 'HT-2026-000001'] },
      kind: {
        type: 'string',
        enum: ['sale', 'return', 'refund'],
        description:
          '`return` reverses a sale: its amounts and quantities are negative. `refund` is money paid back on a complaint: `goodsTotal` is minus the amount, no lines.',
      },
      orderId: nullable('string', { description: 'null only for a refund on a complaint that names no order.' }),
      complaintId: nullable('string', { description: 'For a refund: the complaint it pays back.' }),
      reverses: nullable('string', { description: "For a return: the sale it reverses; for a refund: the order's sale, if delivered." }),
      channel: nullable('string'),
      customerName: nullable('string'),
      customerPhone: nullable('string'),
      courier: nullable('string'),
      goodsTotal: int,
      shippingFee: int,
      codAmount: int,
      reason: nullable('string'),
      at: { ...ts, description: "Delivery time (sale) or when the return was recorded: the document's day in the books." },
      createdAt: ts,
      lines: {
        type: 'array',
        items: object(['sku', 'name', 'qty', 'price', 'amount'], { sku: str, name: nullable('string'), qty: int, price: int, amount: int }),
      },
    },
  ),
  SalesReturn: SalesReturnBody,
  BooksSummaryRow: object(
    [
      'salesDocuments',
      'returnDocuments',
      'refundDocuments',
      'salesGoods',
      'returnedGoods',
      'refunded',
      'netSales',
      'shippingFees',
      'codAmount',
      'purchaseDocuments',
      'purchasesTotal',
    ],
    {
      period: { type: 'string', examples: ['2026-11-26', '2026-11'] },
      salesDocuments: int,
      returnDocuments: int,
      refundDocuments: int,
      salesGoods: int,
      returnedGoods: int,
      refunded: { ...int, description: 'Money paid back on complaints (refund documents), VND.' },
      netSales: { ...int, description: 'salesGoods − returnedGoods − refunded.' },
      shippingFees: int,
      codAmount: int,
      purchaseDocuments: int,
      purchasesTotal: int,
    },
  ),
  CodRemittance: object(
    [
      'id',
      'courier',
      'reference',
      'source',
      'status',
      'lines',
      'codCollected',
      'fees',
      'net',
      'importedBy',
      'createdAt',
      'settledAt',
      'settledBy',
    ],
    {
      id: int,
      courier: str,
      reference: str,
      source: { type: 'string', enum: ['import', 'webhook'] },
      status: { type: 'string', enum: ['open', 'settled'] },
      lines: int,
      codCollected: int,
      fees: int,
      net: { ...int, description: 'codCollected − fees: what the courier pays over.' },
      importedBy: nullable('string'),
      createdAt: ts,
      settledAt: nullable('string', { format: 'date-time' }),
      settledBy: nullable('string'),
    },
  ),
  CodRemittanceImport: RemittanceBody,
  CodMismatch: object(
    ['kind', 'orderId', 'orderCode', 'trackingCode', 'courier', 'expectedCod', 'collected', 'difference', 'remittances'],
    {
      kind: {
        type: 'string',
        enum: ['short', 'over', 'unknown_order', 'not_delivered'],
        description:
          "short: paid less than the order's COD; over: more; unknown_order: no order of that code; not_delivered: COD paid for a parcel that is not delivered.",
      },
      orderId: nullable('string'),
      orderCode: nullable('string'),
      trackingCode: nullable('string'),
      courier: str,
      expectedCod: nullable('integer'),
      collected: int,
      difference: nullable('integer', { description: 'expected − collected.' }),
      remittances: { type: 'array', items: str, description: '`courier:reference` of the batches involved.' },
    },
  ),
};

const remittanceIdParam = pathParam('id', 'Remittance id.', 'integer');
export const paths: Record<string, PathItem> = {
  '/api/v1/products': {
    get: apiOperation({
      operationId: 'listProducts',
      tags: ['books'],
      permission: 'orders.read',
      summary: 'List products with their stock per warehouse',
      parameters: [
        query('active', 'Only active (`true`) or inactive (`false`) products.', { type: 'string', enum: ['true', 'false'] }),
        ...pageParams,
      ],
      responses: {
        200: answer(
          'A page of products, newest first.',
          object(['products', 'nextCursor'], { products: { type: 'array', items: schema('Product') }, nextCursor: nullable('string') }),
        ),
        400: badRange,
      },
    }),
    post: apiOperation({
      operationId: 'createProduct',
      tags: ['books'],
      permission: 'stock.manage',
      bodyIsJson: true,
      summary: 'Add a product (SKU) to the catalogue',
      description:
        'Stock is checked (reservations never oversell, adjustments never go below zero) and alerted on only for catalogue SKUs.',
      requestBody: jsonBody(schema('ProductCreation')),
      responses: {
        201: answer('The product.', schema('Product')),
        409: failure('A product of that SKU exists.'),
        422: failure('The body is invalid (`details.fields`).'),
      },
    }),
  },
  '/api/v1/products/{sku}': {
    get: apiOperation({
      operationId: 'getProduct',
      tags: ['books'],
      permission: 'orders.read',
      summary: 'A product with its stock per warehouse',
      parameters: [pathParam('sku', 'SKU.')],
      responses: { 200: answer('The product.', schema('Product')), 404: noProduct },
    }),
    patch: apiOperation({
      operationId: 'updateProduct',
      tags: ['books'],
      permission: 'stock.manage',
      bodyIsJson: true,
      summary: 'Change a product (name, unit, price, threshold, active)',
      parameters: [pathParam('sku', 'SKU.')],
      requestBody: jsonBody(schema('ProductPatch')),
      responses: {
        200: answer('The product.', schema('Product')),
        404: noProduct,
        422: failure('The body is invalid (`details.fields`).'),
      },
    }),
  },
  '/api/v1/stock/levels': {
    get: apiOperation({
      operationId: 'listStockLevels',
      tags: ['books'],
      permission: 'orders.read',
      summary: 'Stock per SKU and warehouse, derived from the ledger',
      parameters: [
        query('sku', 'Comma-separated SKUs.', str),
        query('warehouse', 'One warehouse.', str),
        query('low', '`true`: only SKUs below their threshold.', { type: 'string', enum: ['true', 'false'] }),
      ],
      responses: { 200: answer('Levels.', object(['levels'], { levels: { type: 'array', items: schema('StockLevel') } })) },
    }),
  },
  '/api/v1/stock/movements': {
    get: apiOperation({
      operationId: 'listStockMovements',
      tags: ['books'],
      permission: 'stock.manage',
      summary: 'The stock ledger (sổ kho), newest first',
      parameters: [
        query('sku', 'One SKU.', str),
        query('warehouse', 'One warehouse.', str),
        query('order', 'One order id.', str),
        query('kind', 'One kind of movement.', { type: 'string', enum: ['receipt', 'reserve', 'release', 'issue', 'restock', 'adjust'] }),
        ...pageParams,
      ],
      responses: {
        200: answer(
          'A page of movements.',
          object(['movements', 'nextCursor'], {
            movements: { type: 'array', items: schema('StockMovement') },
            nextCursor: nullable('string'),
          }),
        ),
        400: failure('A filter is invalid (kind, limit, cursor).'),
      },
    }),
  },
  '/api/v1/stock/adjustments': {
    post: apiOperation({
      operationId: 'adjustStock',
      tags: ['books'],
      permission: 'stock.manage',
      bodyIsJson: true,
      summary: 'Correct stock with a reason (count, damage, write-off)',
      description:
        'Appends an `adjust` movement; nothing is edited in place. With an `Idempotency-Key`, a retry gets the first answer and writes no second movement.',
      parameters: [idempotencyKey],
      requestBody: jsonBody(schema('StockAdjustment')),
      responses: {
        201: answer(
          'Recorded (or, with a replayed Idempotency-Key, the first answer).',
          object(['movementId', 'level'], { movementId: int, level: schema('StockLevel') }),
        ),
        400: failure('The Idempotency-Key header is malformed.'),
        409: failure(
          'It would take on-hand stock below zero and shop.yaml `stock.allowNegative` is false (code `insufficient_stock`, `details.short`), or the Idempotency-Key was used for a different body (code `idempotency_conflict`). Nothing is changed.',
        ),
        422: invalidBody,
      },
    }),
  },
  '/api/v1/purchases': {
    get: apiOperation({
      operationId: 'listPurchases',
      tags: ['books'],
      permission: 'stock.manage',
      summary: 'Purchase documents (phiếu nhập) of a range, newest first',
      parameters: [...range, ...pageParams],
      responses: {
        200: answer(
          'A page of purchases.',
          object(['purchases', 'nextCursor'], { purchases: { type: 'array', items: schema('Purchase') }, nextCursor: nullable('string') }),
        ),
        400: badRange,
      },
    }),
    post: apiOperation({
      operationId: 'createPurchase',
      tags: ['books'],
      permission: 'stock.manage',
      bodyIsJson: true,
      summary: 'Record goods received from a supplier',
      description:
        'One transaction: the document numbered `PN-<year>-NNNNNN` without gaps, and a `receipt` movement per line. With an `Idempotency-Key`, a retry gets the first answer and receives nothing twice.',
      parameters: [idempotencyKey],
      requestBody: jsonBody(schema('PurchaseCreation')),
      responses: {
        201: answer('The purchase (or, with a replayed Idempotency-Key, the first answer).', schema('Purchase')),
        400: failure('The Idempotency-Key header is malformed.'),
        409: failure(
          'This supplier invoice is already recorded (code `conflict`), or the Idempotency-Key was used for a different body (code `idempotency_conflict`).',
        ),
        422: invalidBody,
      },
    }),
  },
  '/api/v1/purchases/export.csv': {
    get: apiOperation({
      operationId: 'exportPurchases',
      tags: ['books'],
      permission: 'stock.manage',
      summary: 'Purchases of a range as CSV',
      parameters: range,
      responses: { 200: csv('`number,date,supplier,supplier_invoice,warehouse,sku,qty,unit_cost,amount`.'), 400: badRange },
    }),
  },
  '/api/v1/purchases/{number}': {
    get: apiOperation({
      operationId: 'getPurchase',
      tags: ['books'],
      permission: 'stock.manage',
      summary: 'A purchase document',
      parameters: [pathParam('number', 'Document number, e.g. PN-2026-000001.')],
      responses: { 200: answer('The purchase.', schema('Purchase')), 404: failure('No such purchase.') },
    }),
  },
  '/api/v1/books/sales': {
    get: apiOperation({
      operationId: 'listSalesDocuments',
      tags: ['books'],
      permission: 'books.manage',
      summary: 'The sales book: sales (HD), returns (TH) and complaint refunds (HT) of a range',
      description:
        'A sale is recorded once per delivered order, dated at delivery. A return reverses a sale whose goods came back after delivery. A refund is written once per complaint when accounting finishes its refund task.',
      parameters: [
        ...range,
        query('kind', '`sale`, `return` or `refund`.', { type: 'string', enum: ['sale', 'return', 'refund'] }),
        ...pageParams,
      ],
      responses: {
        200: answer(
          'A page of documents.',
          object(['documents', 'nextCursor'], {
            documents: { type: 'array', items: schema('SalesDocument') },
            nextCursor: nullable('string'),
          }),
        ),
        400: badRange,
      },
    }),
  },
  '/api/v1/books/sales/export.csv': {
    get: apiOperation({
      operationId: 'exportSalesBook',
      tags: ['books'],
      permission: 'books.manage',
      summary: 'The sales book of a range as CSV',
      parameters: range,
      responses: {
        200: csv(
          '`number,kind,date,order,reverses,customer,phone,channel,courier,sku,name,qty,price,amount,shipping_fee,cod_amount,complaint`; a refund is one line whose amount is the money paid back (negative).',
        ),
        400: badRange,
      },
    }),
  },
  '/api/v1/books/sales/{number}': {
    get: apiOperation({
      operationId: 'getSalesDocument',
      tags: ['books'],
      permission: 'books.manage',
      summary: 'A sales document',
      parameters: [pathParam('number', 'e.g. HD-2026-000001.')],
      responses: { 200: answer('The document.', schema('SalesDocument')), 404: failure('No such document.') },
    }),
  },
  '/api/v1/books/sales/{number}/return': {
    post: apiOperation({
      operationId: 'returnSale',
      tags: ['books'],
      permission: 'books.manage',
      bodyIsJson: true,
      summary: 'Reverse a sale whose goods came back after delivery',
      description:
        "Writes a return document `TH-<year>-NNNNNN` with the sale's amounts negated. Once per order: a second call returns the first (200). Restocking the goods is a separate stock movement.",
      parameters: [pathParam('number', 'The sale, e.g. HD-2026-000001.')],
      requestBody: jsonBody(schema('SalesReturn')),
      responses: {
        201: answer('The return document.', schema('SalesDocument')),
        200: answer('Already reversed: the return document.', schema('SalesDocument')),
        404: failure('No such sale.'),
        422: failure('The body is invalid (`details.fields`).'),
      },
    }),
  },
  '/api/v1/books/summary': {
    get: apiOperation({
      operationId: 'getBooksSummary',
      tags: ['books'],
      permission: 'books.manage',
      summary: 'Sales and purchases per local day or month',
      parameters: [...range, query('granularity', '`day` (default) or `month`.', { type: 'string', enum: ['day', 'month'] })],
      responses: {
        200: answer(
          'Rows per period with documents, and totals.',
          object(['from', 'to', 'granularity', 'timezone', 'rows', 'totals'], {
            from: str,
            to: str,
            granularity: { type: 'string', enum: ['day', 'month'] },
            timezone: str,
            rows: { type: 'array', items: schema('BooksSummaryRow') },
            totals: schema('BooksSummaryRow'),
          }),
        ),
        400: failure('A filter is invalid (from, to, granularity).'),
      },
    }),
  },
  '/api/v1/books/summary/export.csv': {
    get: apiOperation({
      operationId: 'exportBooksSummary',
      tags: ['books'],
      permission: 'books.manage',
      summary: 'The summary as CSV',
      parameters: [...range, query('granularity', '`day` (default) or `month`.', { type: 'string', enum: ['day', 'month'] })],
      responses: {
        200: csv(
          '`period,sales_documents,return_documents,sales_goods,returned_goods,net_sales,shipping_fees,cod_amount,purchase_documents,purchases_total,refund_documents,refunded`, then a `total` line.',
        ),
        400: failure('A filter is invalid.'),
      },
    }),
  },
  '/api/v1/cod/remittances': {
    get: apiOperation({
      operationId: 'listCodRemittances',
      tags: ['books'],
      permission: 'books.manage',
      summary: 'COD remittance batches, newest first',
      parameters: pageParams,
      responses: {
        200: answer(
          'A page of batches.',
          object(['remittances', 'nextCursor'], {
            remittances: { type: 'array', items: schema('CodRemittance') },
            nextCursor: nullable('string'),
          }),
        ),
        400: failure('limit or cursor is invalid.'),
      },
    }),
    post: apiOperation({
      operationId: 'importCodRemittance',
      tags: ['books'],
      permission: 'books.manage',
      bodyIsJson: true,
      summary: "Import a courier's COD remittance (JSON or CSV)",
      description:
        'JSON as documented, or `Content-Type: text/csv` with `?courier=&reference=` and a header row naming `order_code` and/or `tracking_code`, `cod_collected`, `fee`, optional `transferred_at` (amounts may be written 300000, 300.000 or 300,000). ' +
        'Lines are matched to orders by order code, else by tracking code. Idempotent by courier + reference: importing again returns the first batch (200). The answer lists the mismatches the batch touches.',
      parameters: [query('courier', 'Courier id (CSV body only).', str), query('reference', 'Remittance reference (CSV body only).', str)],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: schema('CodRemittanceImport') }, 'text/csv': { schema: { type: 'string' } } },
      },
      responses: {
        201: answer('Imported.', {
          allOf: [
            schema('CodRemittance'),
            object(['created', 'mismatches'], {
              created: { type: 'boolean' },
              mismatches: { type: 'array', items: schema('CodMismatch') },
            }),
          ],
        }),
        200: answer('Already imported: the first batch.', {
          allOf: [
            schema('CodRemittance'),
            object(['created', 'mismatches'], {
              created: { type: 'boolean' },
              mismatches: { type: 'array', items: schema('CodMismatch') },
            }),
          ],
        }),
        422: failure(
          'The body is invalid, the CSV is malformed (with line numbers), or the courier is unknown (`details.fields`). Nothing is imported.',
        ),
      },
    }),
  },
  '/api/v1/cod/remittances/{id}': {
    get: apiOperation({
      operationId: 'getCodRemittance',
      tags: ['books'],
      permission: 'books.manage',
      summary: 'A batch with each line matched against its order',
      parameters: [remittanceIdParam],
      responses: {
        200: answer('The batch.', {
          allOf: [
            schema('CodRemittance'),
            object(['parcels'], {
              parcels: {
                type: 'array',
                description: "The batch's lines, each matched against its order.",
                items: object(
                  ['lineNo', 'orderId', 'orderCode', 'trackingCode', 'codCollected', 'fee', 'expectedCod', 'orderCollected', 'match'],
                  {
                    lineNo: int,
                    orderId: nullable('string'),
                    orderCode: nullable('string'),
                    trackingCode: nullable('string'),
                    codCollected: int,
                    fee: int,
                    expectedCod: nullable('integer'),
                    orderCollected: nullable('integer', { description: 'COD reported for the order over all batches.' }),
                    match: { type: 'string', enum: ['matched', 'short', 'over', 'unknown_order', 'not_delivered'] },
                  },
                ),
              },
            }),
          ],
        }),
        404: failure('No such batch.'),
      },
    }),
  },
  '/api/v1/cod/remittances/{id}/settle': {
    post: apiOperation({
      operationId: 'settleCodRemittance',
      tags: ['books'],
      permission: 'books.manage',
      summary: 'Mark a batch settled (the money is in the bank)',
      parameters: [remittanceIdParam],
      responses: {
        200: answer('The batch, settled.', schema('CodRemittance')),
        404: failure('No such batch.'),
        409: failure('Already settled.'),
      },
    }),
  },
  '/api/v1/cod/mismatches': {
    get: apiOperation({
      operationId: 'listCodMismatches',
      tags: ['books'],
      permission: 'books.manage',
      summary: 'Short and over payments, COD for unknown or undelivered orders',
      parameters: [query('remittance', 'Only what this batch touches.', int)],
      responses: {
        200: answer('The mismatches.', object(['mismatches'], { mismatches: { type: 'array', items: schema('CodMismatch') } })),
        400: failure('remittance is not an id.'),
      },
    }),
  },
  '/api/v1/cod/mismatches/export.csv': {
    get: apiOperation({
      operationId: 'exportCodMismatches',
      tags: ['books'],
      permission: 'books.manage',
      summary: 'The mismatches as CSV',
      parameters: [query('remittance', 'Only what this batch touches.', int)],
      responses: {
        200: csv('`kind,order,order_code,tracking_code,courier,expected_cod,collected,difference,remittances`.'),
        400: failure('remittance is not an id.'),
      },
    }),
  },
  '/api/v1/cod/unpaid': {
    get: apiOperation({
      operationId: 'listUnpaidCodOrders',
      tags: ['books'],
      permission: 'books.manage',
      summary: 'Delivered COD orders no remittance has paid yet',
      parameters: [query('courier', 'One courier.', str)],
      responses: {
        200: answer(
          'Orders, oldest delivery first, and their total.',
          object(['orders', 'total'], {
            orders: {
              type: 'array',
              items: object(['orderId', 'courier', 'trackingCode', 'expectedCod', 'deliveredAt'], {
                orderId: str,
                courier: str,
                trackingCode: str,
                expectedCod: int,
                deliveredAt: nullable('string', { format: 'date-time' }),
              }),
            },
            total: int,
          }),
        ),
      },
    }),
  },
};
export const contract: DomainContract = {
  tags: [{ name: 'books', description: 'Products, stock ledger, purchase and sales documents, summaries, COD reconciliation.' }],
  schemas,
  paths,
};
