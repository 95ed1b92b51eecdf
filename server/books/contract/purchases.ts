/** The books' contract: purchase documents (phiếu nhập). */
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
  type JsonSchema,
  type PathItem,
} from '../../http/contract';
import { pageQuery } from '../../http/pagination';
import { badRange, idempotencyKey, int, invalidBody, rangeQuery, str, ts } from './shared';

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

/** `GET /purchases`: the local days and the page. */
export const PurchasesQuery = Type.Object({ ...rangeQuery, ...pageQuery });
/** `GET /purchases/export.csv`: the local days. */
export const PurchasesExportQuery = Type.Object(rangeQuery);

export const schemas: Record<string, JsonSchema> = {
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
};

export const paths: Record<string, PathItem> = {
  '/api/v1/purchases': {
    get: apiOperation({
      operationId: 'listPurchases',
      tags: ['books'],
      permission: 'stock.manage',
      summary: 'Purchase documents (phiếu nhập) of a range, newest first',
      query: PurchasesQuery,
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
      query: PurchasesExportQuery,
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
};
