/**
 * What the parts of the books' contract share: plain schemas, the local-day range of the
 * reports, the Idempotency-Key header.
 */
import { Type } from '@sinclair/typebox';
import { failure, object, type JsonSchema, type Parameter } from '../../http/contract';

export const int: JsonSchema = { type: 'integer' };
export const str: JsonSchema = { type: 'string' };
export const ts: JsonSchema = { type: 'string', format: 'date-time' };
/** The local days a report or list covers (server/books/books.ts `localRange` turns them into instants). */
export const rangeQuery = {
  from: Type.Optional(
    Type.String({ format: 'date', description: 'First local day (YYYY-MM-DD, shop time zone); default the first day of this month.' }),
  ),
  to: Type.Optional(Type.String({ format: 'date', description: 'Last local day, inclusive; default today.' })),
};
export const badRange = failure('A filter is invalid (from, to, limit, cursor).');
export const level = object(['warehouse', 'onHand', 'reserved', 'available', 'lowStockThreshold', 'low'], {
  warehouse: str,
  onHand: { ...int, description: 'Physically there: receipts + restocks − issues ± adjustments.' },
  reserved: { ...int, description: 'Promised to open orders not yet handed over.' },
  available: { ...int, description: 'onHand − reserved: what can still be sold.' },
  lowStockThreshold: int,
  low: { type: 'boolean' },
});
export const invalidBody = failure('The body is invalid, or names an unknown SKU or warehouse (`details.fields`). Nothing is changed.');
export const idempotencyKey: Parameter = {
  name: 'Idempotency-Key',
  in: 'header',
  description:
    'Any string unique to this request from the caller (1–200 visible ASCII characters); a retry reuses it. The same key with the same body answers as the first time (header `Idempotent-Replayed: true`) and writes nothing; with a different body, 409 `idempotency_conflict`. Keys are per caller; refused requests are not kept.',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
};
