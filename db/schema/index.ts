/**
 * The database schema, one file per domain (the same names as the other layers). drizzle-kit
 * reads this index (drizzle.config.ts) and generates db/migrations from it; code imports `db/schema`.
 */
export * from './orders';
export * from './customers';
export * from './complaints';
export * from './shipping';
export * from './tasks';
export * from './staff';
export * from './notifications';
export * from './kpi';
export * from './books';
export * from './shop';
export * from './idempotency';
export * from './packing';
export * from './inbound';
export * from './guides';
export * from './suppliers';
export * from './store';
