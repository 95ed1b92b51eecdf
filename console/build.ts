/**
 * Builds the staff console (console/ → console/dist) when the built files are missing or older
 * than the sources. `npm start` runs it first (prestart), and the browser tests call
 * `ensureConsoleBuilt()`, so a fresh clone works even if install scripts were skipped.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const consoleDir = path.join(root, 'console');
/** Where the built console lives; the server serves it at `/`. */
export const consoleDist = path.join(consoleDir, 'dist');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** True when console/dist/index.html is missing or older than a source file. */
export function consoleIsStale(): boolean {
  const built = path.join(consoleDist, 'index.html');
  if (!fs.existsSync(built)) return true;
  return fs.statSync(built).mtimeMs < newestSource(consoleDir);
}

/**
 * Regenerates the console's API types from the server's contract (`npm run api:types`, in a
 * child process: it loads the server's code), then runs `vite build` (the same as `npm run
 * build:console`) if the console is stale. The types file is rewritten only when the contract
 * changed, and then the console is stale too.
 */
export function ensureConsoleBuilt(log: (message: string) => void = console.log): void {
  let vite: string;
  try {
    vite = path.join(path.dirname(require.resolve('vite/package.json', { paths: [root] })), 'bin', 'vite.js');
    require.resolve('openapi-typescript', { paths: [root] });
  } catch {
    // A production install without devDependencies: the API runs, the console page says it is not built.
    if (consoleIsStale()) log('the staff console is not built and Vite is not installed (dev dependency): skipping it');
    return;
  }
  execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'api-types.ts')], { cwd: root, stdio: 'inherit' });
  if (!consoleIsStale()) return;
  log('building the staff console (console/ → console/dist)…');
  execFileSync(process.execPath, [vite, 'build', '--config', 'console/vite.config.mts'], { cwd: root, stdio: 'inherit' });
}

if (require.main === module) {
  try {
    ensureConsoleBuilt();
  } catch (err) {
    console.error(`could not build the staff console: ${(err as Error).message}`);
    process.exit(1);
  }
}
