import fs from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/** The project's root folder (where package.json lives), whether run from sources or dist/. */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find shopflow's package.json above ${__dirname}`);
    dir = parent;
  }
  cached = dir;
  return dir;
}

/** The project's git-ignored cache folder (Temporal CLI binary, test bundles). */
export function cacheDir(): string {
  return path.join(projectRoot(), '.cache');
}
