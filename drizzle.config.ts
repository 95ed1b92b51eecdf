import { defineConfig } from 'drizzle-kit';

/** drizzle-kit generates SQL migrations from db/schema/ (one file per domain, re-exported by its index) into db/migrations (committed). */
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
});
