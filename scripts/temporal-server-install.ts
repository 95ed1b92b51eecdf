/**
 * `npm run temporal-server:install`: builds the real Temporal server (frontend, history, matching
 * and worker services in one binary) and its SQL schema tool from the Go module, once, into
 * `.cache/bin` — the cluster shape `npm run test:cluster` and `npm run bench:cluster` run on.
 * Needs Go ≥ 1.25 and the Go module proxy; the first build takes several minutes, later runs
 * find the binaries and return at once.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir } from '../server/platform/paths';
import { goInstallWithProgress } from '../server/platform/temporal-cli';

/** The server release built here; its `go.mod` has no `replace` directives, so `go install` works. */
export const TEMPORAL_SERVER_VERSION = 'v1.30.4';
const MODULE = 'go.temporal.io/server';
/** Go package → the name the binary gets in `.cache/bin` (the names Temporal's own Makefile gives them). */
const BINARIES = { 'cmd/server': 'temporal-server', 'cmd/tools/sql': 'temporal-sql-tool' } as const;

/** The built binaries and the schema files shipped in the module's source. */
export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
  /** `<module>/schema/postgresql/v12`: `temporal/versioned` and `visibility/versioned` under it. */
  postgresSchemaDir: string;
}

type Progress = (message: string) => void;

/** Finds the cached build or builds it with Go (minutes, once); throws with Go's own error when it fails. */
export async function installTemporalServer(progress: Progress = () => undefined): Promise<TemporalServerBinaries> {
  const go = findGo();
  if (!go)
    throw new Error(
      'Go is not installed (looked for `go` on PATH and /usr/local/go/bin/go): the Temporal server is built from source with Go ≥ 1.25',
    );
  const bin = path.join(cacheDir(), 'bin');
  const server = path.join(bin, BINARIES['cmd/server']);
  const sqlTool = path.join(bin, BINARIES['cmd/tools/sql']);
  if (!isExecutable(server) || !isExecutable(sqlTool)) await goInstall(go, bin, progress);
  return { server, sqlTool, postgresSchemaDir: path.join(moduleDir(go), 'schema', 'postgresql', 'v12') };
}

/** Where Go keeps the module's source (downloaded by the build, or now): the schema files are there. */
function moduleDir(go: string): string {
  const res = spawnSync(go, ['mod', 'download', '-json', `${MODULE}@${TEMPORAL_SERVER_VERSION}`], { encoding: 'utf8', env: goEnv() });
  if (res.status !== 0)
    throw new Error(`go mod download ${MODULE}@${TEMPORAL_SERVER_VERSION} failed: ${(res.stderr || res.stdout).trim()}`);
  const dir = (JSON.parse(res.stdout) as { Dir?: string }).Dir;
  if (!dir || !fs.existsSync(path.join(dir, 'schema')))
    throw new Error(`go mod download named no module directory with schema files (got ${dir})`);
  return dir;
}

/**
 * `go install` names binaries after their package (`server`, `sql`), so it builds into a staging
 * directory and the binaries are then renamed into `.cache/bin`; a build cut short leaves no
 * half-written binary under the final name.
 */
async function goInstall(go: string, bin: string, progress: Progress): Promise<void> {
  const staging = path.join(cacheDir(), 'temporal-server-build');
  fs.mkdirSync(bin, { recursive: true });
  const packages = Object.keys(BINARIES).map((pkg) => `${MODULE}/${pkg}@${TEMPORAL_SERVER_VERSION}`);
  progress(
    `building the Temporal server with Go (${MODULE} ${TEMPORAL_SERVER_VERSION}: server and SQL schema tool); the first build takes several minutes…`,
  );
  let seconds: number;
  try {
    seconds = await goInstallWithProgress(go, packages, { gobin: staging, what: 'the Temporal server', progress, env: goEnv() });
  } catch (err) {
    throw new Error(`go install ${packages.join(' ')} failed: ${(err as Error).message}`);
  }
  for (const [pkg, name] of Object.entries(BINARIES)) fs.renameSync(path.join(staging, path.basename(pkg)), path.join(bin, name));
  progress(
    `built the Temporal server in ${seconds}s → ${path.join(bin, BINARIES['cmd/server'])}, ${path.join(bin, BINARIES['cmd/tools/sql'])}`,
  );
}

/** Go's own settings, with its bin directory on PATH (CI adds /usr/local/go/bin only for some steps). */
function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${process.env.PATH ?? ''}${path.delimiter}/usr/local/go/bin` };
}

function findGo(): string | undefined {
  const onPath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'go'));
  return [...onPath, '/usr/local/go/bin/go'].find((c) => isExecutable(c) && spawnSync(c, ['version']).status === 0);
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

if (require.main === module) {
  installTemporalServer((m) => console.log(m)).then(
    (b) =>
      console.log(
        `Temporal server ${TEMPORAL_SERVER_VERSION}: ${b.server}\nSQL schema tool: ${b.sqlTool}\nPostgreSQL schema: ${b.postgresSchemaDir}`,
      ),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
