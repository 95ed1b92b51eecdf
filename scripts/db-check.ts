/**
 * `npm run db:check`: fails when db/schema/ and the committed migrations in db/migrations
 * drift apart, by letting drizzle-kit generate into a scratch copy and seeing whether it had
 * anything to write. Fix a failure with `npm run db:generate` and commit the new migration.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../server/platform/paths';

export function findSchemaDrift(): { drift: boolean; newFiles: string[]; output: string } {
  const root = projectRoot();
  // drizzle-kit reads --out relative to the working directory, so the scratch copy lives in .cache/.
  fs.mkdirSync(path.join(root, '.cache'), { recursive: true });
  const scratch = fs.mkdtempSync(path.join(root, '.cache', 'db-check-'));
  try {
    fs.cpSync(path.join(root, 'db', 'migrations'), scratch, { recursive: true });
    const before = new Set(fs.readdirSync(scratch));
    const kit = path.join(root, 'node_modules', 'drizzle-kit', 'bin.cjs');
    const run = spawnSync(
      process.execPath,
      [kit, 'generate', '--dialect=postgresql', '--schema=./db/schema/index.ts', `--out=${path.relative(root, scratch)}`],
      { cwd: root, encoding: 'utf8' },
    );
    const output = `${run.stdout}${run.stderr}`;
    const newFiles = fs.readdirSync(scratch).filter((f) => f.endsWith('.sql') && !before.has(f));
    // drizzle-kit can exit 0 after an error, so success must be positively recognised.
    if (run.status !== 0 || (newFiles.length === 0 && !/No schema changes/i.test(output))) {
      throw new Error(`drizzle-kit generate failed:\n${output}`);
    }
    return { drift: newFiles.length > 0, newFiles, output };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const { drift, output } = findSchemaDrift();
  if (drift) {
    console.error(
      `db/schema/ has changes that no committed migration covers:\n${output}\nRun \`npm run db:generate\` and commit db/migrations.`,
    );
    process.exit(1);
  }
  console.log('db/schema/ and db/migrations agree.');
}
