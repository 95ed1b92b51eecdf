/**
 * Dependency rules for `npm run lint` (the design's folder map as code): no import cycles;
 * workflows import only workflow-safe code; the HTTP server never runs activity code (it reads
 * the database through db/, the data access it shares with activities); activities never reach into
 * the server; db/ imports only drizzle, its drivers, db/ and pure definitions modules.
 * Violations that exist today and are scheduled for the reorganisation are listed in
 * .dependency-cruiser-known-violations.json (regenerate with `npm run lint:deps:baseline`);
 * anything new fails.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter and hide layering.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'workflows-are-deterministic',
      severity: 'error',
      comment:
        'Workflow code replays: it may import @temporalio/workflow, other workflow code, pure definitions modules, and activities as types only.',
      from: { path: '^workflows/' },
      to: { path: '^(db|server|scripts|tests)/|^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'workflows-no-node-builtins',
      severity: 'error',
      comment: 'No Node built-ins in workflow code (the workflow bundler refuses them in what it imports too).',
      from: { path: '^workflows/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'server-does-not-run-activities',
      severity: 'error',
      comment: 'server/ talks to workflows through the Temporal client and reads the database itself; activity code runs in the worker.',
      from: { path: '^server/', pathNot: '^server/(main/|platform/(worker|runtime)\\.ts$)' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'activities-do-not-import-server',
      severity: 'error',
      comment: 'Activities are the I/O layer under the server, not beside it.',
      from: { path: '^activities/' },
      to: { path: '^server/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'db-is-data-access',
      severity: 'error',
      comment:
        'db/ is the data access the server and activities share: tables, migrations, plain functions taking a Db. It imports db/ and pure definitions modules, never the layers above it.',
      from: { path: '^db/' },
      to: { path: '^(server|activities|workflows|scripts|tests|console)/' },
    },
    {
      name: 'db-npm-only-drivers',
      severity: 'error',
      comment: 'db/ runs on drizzle and its drivers (pg, PGlite); other packages only as types (the pino Logger).',
      from: { path: '^db/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev'],
        pathNot: '^node_modules/(drizzle-orm|pg|@electric-sql/pglite)/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'definitions-are-pure',
      severity: 'error',
      comment: 'definitions/ is the shop language: parse, check, compile; no database, server or activity code.',
      from: { path: '^definitions/' },
      to: { path: '^(db|server|activities|workflows)/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|console/dist|\\.cache|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
