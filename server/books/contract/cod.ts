/** The books' contract: COD reconciliation (đối soát COD). */
import { Type, type Static } from '@sinclair/typebox';
import {
  apiOperation,
  answer,
  csv,
  failure,
  nullable,
  object,
  pathParam,
  schema,
  type JsonSchema,
  type PathItem,
} from '../../http/contract';
import { pageQuery } from '../../http/pagination';
import { int, str, ts } from './shared';

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

/** `GET /cod/remittances`: the page. */
export const RemittancesQuery = Type.Object(pageQuery);
/** `POST /cod/remittances`: what a CSV body cannot say (a JSON body carries both itself). */
export const RemittanceImportQuery = Type.Object({
  courier: Type.Optional(Type.String({ description: 'Courier id (CSV body only).' })),
  reference: Type.Optional(Type.String({ description: 'Remittance reference (CSV body only).' })),
});
/** `GET /cod/mismatches` and its CSV. */
export const MismatchesQuery = Type.Object({
  remittance: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Only what this batch touches.' })),
});
/** `GET /cod/unpaid`. */
export const UnpaidQuery = Type.Object({ courier: Type.Optional(Type.String({ description: 'One courier.' })) });
const remittanceIdParam = pathParam('id', 'Remittance id.', 'integer');

export const schemas: Record<string, JsonSchema> = {
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

export const paths: Record<string, PathItem> = {
  '/api/v1/cod/remittances': {
    get: apiOperation({
      operationId: 'listCodRemittances',
      tags: ['books'],
      permission: 'books.manage',
      summary: 'COD remittance batches, newest first',
      query: RemittancesQuery,
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
      query: RemittanceImportQuery,
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
      query: MismatchesQuery,
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
      query: MismatchesQuery,
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
      query: UnpaidQuery,
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
