/** The books' contract: the sales book (sổ bán hàng) and the day/month summaries. */
import { Type, type Static } from '@sinclair/typebox';
import {
  apiOperation,
  answer,
  csv,
  failure,
  jsonBody,
  nullable,
  object,
  pathParam,
  schema,
  stringEnum,
  withDefault,
  type JsonSchema,
  type PathItem,
} from '../../http/contract';
import { pageQuery } from '../../http/pagination';
import { badRange, int, rangeQuery, str, ts } from './shared';

export const SalesReturnBody = Type.Object(
  {
    reason: Type.String({ minLength: 3, maxLength: 500, description: 'Why the delivered goods came back (complaint, exchange…).' }),
  },
  { additionalProperties: false },
);
export type SalesReturnBody = Static<typeof SalesReturnBody>;

/** `GET /books/sales`: the local days, the kind and the page. */
export const SalesQuery = Type.Object({
  ...rangeQuery,
  kind: Type.Optional(stringEnum(['sale', 'return', 'refund'], { description: '`sale`, `return` or `refund`.' })),
  ...pageQuery,
});
/** `GET /books/sales/export.csv`: the local days. */
export const SalesExportQuery = Type.Object(rangeQuery);
/** `GET /books/summary` and its CSV: the local days and the period length. */
export const SummaryQuery = Type.Object({
  ...rangeQuery,
  granularity: withDefault(stringEnum(['day', 'month'], { description: '`day` (default) or `month`.' }), 'day'),
});

export const schemas: Record<string, JsonSchema> = {
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
};

export const paths: Record<string, PathItem> = {
  '/api/v1/books/sales': {
    get: apiOperation({
      operationId: 'listSalesDocuments',
      tags: ['books'],
      permission: 'books.manage',
      summary: 'The sales book: sales (HD), returns (TH) and complaint refunds (HT) of a range',
      description:
        'A sale is recorded once per delivered order, dated at delivery. A return reverses a sale whose goods came back after delivery. A refund is written once per complaint when accounting finishes its refund task.',
      query: SalesQuery,
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
      query: SalesExportQuery,
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
      query: SummaryQuery,
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
      query: SummaryQuery,
      responses: {
        200: csv(
          '`period,sales_documents,return_documents,sales_goods,returned_goods,net_sales,shipping_fees,cod_amount,purchase_documents,purchases_total,refund_documents,refunded`, then a `total` line.',
        ),
        400: failure('A filter is invalid.'),
      },
    }),
  },
};
