/** The books' contract: stock levels, the stock ledger, adjustments. */
import { Type, type Static } from '@sinclair/typebox';
import {
  apiOperation,
  answer,
  failure,
  jsonBody,
  nullable,
  object,
  schema,
  stringEnum,
  type JsonSchema,
  type PathItem,
} from '../../http/contract';
import { pageQuery } from '../../http/pagination';
import { idempotencyKey, int, invalidBody, level, str, ts } from './shared';

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

/** The kinds of stock movement. */
export const MOVEMENT_KINDS = ['receipt', 'reserve', 'release', 'issue', 'restock', 'adjust'] as const;

/** `GET /stock/levels`. */
export const StockLevelsQuery = Type.Object({
  sku: Type.Optional(Type.String({ description: 'Comma-separated SKUs.' })),
  warehouse: Type.Optional(Type.String({ description: 'One warehouse.' })),
  low: Type.Optional(Type.Boolean({ description: '`true`: only SKUs below their threshold.' })),
});

/** `GET /stock/movements`: the filters and the page. */
export const StockMovementsQuery = Type.Object({
  sku: Type.Optional(Type.String({ description: 'One SKU.' })),
  warehouse: Type.Optional(Type.String({ description: 'One warehouse.' })),
  order: Type.Optional(Type.String({ description: 'One order id.' })),
  kind: Type.Optional(stringEnum(MOVEMENT_KINDS, { description: 'One kind of movement.' })),
  ...pageQuery,
});

export const schemas: Record<string, JsonSchema> = {
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
};

export const paths: Record<string, PathItem> = {
  '/api/v1/stock/levels': {
    get: apiOperation({
      operationId: 'listStockLevels',
      tags: ['books'],
      permission: 'orders.read',
      summary: 'Stock per SKU and warehouse, derived from the ledger',
      query: StockLevelsQuery,
      responses: { 200: answer('Levels.', object(['levels'], { levels: { type: 'array', items: schema('StockLevel') } })) },
    }),
  },
  '/api/v1/stock/movements': {
    get: apiOperation({
      operationId: 'listStockMovements',
      tags: ['books'],
      permission: 'stock.manage',
      summary: 'The stock ledger (sổ kho), newest first',
      query: StockMovementsQuery,
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
};
