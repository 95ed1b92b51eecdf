import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir } from './paths';

/** The Temporal CLI release whose module still installs with `go install`. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** Where a found CLI came from, for the start-up banner. */
export type CliSource = 'TEMPORAL_CLI' | 'PATH' | 'cache' | 'go install' | 'download';

export interface ResolvedCli {
  path: string;
  source: CliSource;
}

export class TemporalCliNotFound extends Error {
  constructor(detail: string[]) {
    super(
      [
        'the Temporal CLI (needed for the local dev server) could not be found or installed.',
        ...detail.map((d) => `  - ${d}`),
        'Fix one of these:',
        '  1. set TEMPORAL_CLI=/path/to/temporal (a Temporal CLI binary you already have), or',
        '  2. put `temporal` on PATH (https://docs.temporal.io/cli), or',
        `  3. install Go 1.22+ and run \`npm run temporal:install\` (builds ${TEMPORAL_CLI_MODULE} into .cache/bin), or`,
        '  4. set TEMPORAL_ADDRESS to use an existing Temporal cluster instead of a local dev server.',
      ].join('\n'),
    );
    this.name = 'TemporalCliNotFound';
  }
}

type Progress = (message: string) => void;

/**
 * Finds the Temporal CLI in the documented order: TEMPORAL_CLI → `temporal` on PATH → the
 * project's cache → `go install` into the cache (minutes, once) → @temporalio/testing's own
 * download (needs internet) → a clear error naming the options.
 */
export async function resolveTemporalCli(opts: { explicitPath?: string; progress?: Progress } = {}): Promise<ResolvedCli> {
  const progress = opts.progress ?? (() => undefined);
  const tried: string[] = [];
  if (opts.explicitPath) {
    if (isExecutable(opts.explicitPath)) return { path: path.resolve(opts.explicitPath), source: 'TEMPORAL_CLI' };
    throw new TemporalCliNotFound([`TEMPORAL_CLI=${opts.explicitPath} is not an executable file`]);
  }
  const onPath = findOnPath('temporal');
  if (onPath) return { path: onPath, source: 'PATH' };
  tried.push('no `temporal` on PATH');

  const cached = cachedCliPath();
  if (isExecutable(cached)) return { path: cached, source: 'cache' };
  tried.push(`no cached build at ${cached}`);

  const go = findGo();
  if (go) {
    try {
      await goInstall(go, progress);
      if (isExecutable(cached)) return { path: cached, source: 'go install' };
      tried.push(`go install finished but ${cached} is missing`);
    } catch (err) {
      tried.push(`go install ${TEMPORAL_CLI_MODULE} failed: ${(err as Error).message}`);
    }
  } else {
    tried.push('Go is not installed, so the CLI cannot be built from source');
  }

  try {
    const downloaded = await downloadWithTestingPackage(progress);
    if (downloaded) return { path: downloaded, source: 'download' };
    tried.push('@temporalio/testing downloaded nothing usable');
  } catch (err) {
    tried.push(`@temporalio/testing could not download the dev server (offline?): ${firstLine((err as Error).message)}`);
  }
  throw new TemporalCliNotFound(tried);
}

/** Where `go install` puts the CLI (GOBIN=.cache/bin). */
export function cachedCliPath(): string {
  return path.join(cacheDir(), 'bin', 'temporal');
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

function findGo(): string | undefined {
  const candidates = [findOnPath('go'), '/usr/local/go/bin/go'].filter((c): c is string => Boolean(c));
  return candidates.find((c) => isExecutable(c) && spawnSync(c, ['version']).status === 0);
}

/** Builds the CLI with Go, printing a heartbeat because the first build takes minutes. */
async function goInstall(go: string, progress: Progress): Promise<void> {
  const gobin = path.dirname(cachedCliPath());
  progress(`building the Temporal CLI with Go (${TEMPORAL_CLI_MODULE}); the first build takes a few minutes…`);
  const seconds = await goInstallWithProgress(go, [TEMPORAL_CLI_MODULE], { gobin, what: 'the Temporal CLI', progress });
  progress(`built the Temporal CLI in ${seconds}s → ${cachedCliPath()}`);
}

/**
 * `go install <packages>` into `gobin`, with a heartbeat every 15 s (modules downloaded so far),
 * since a cold build takes minutes; resolves with the seconds it took, rejects with Go's last lines.
 */
export function goInstallWithProgress(
  go: string,
  packages: string[],
  opts: { gobin: string; what: string; progress: Progress; env?: NodeJS.ProcessEnv },
): Promise<number> {
  fs.mkdirSync(opts.gobin, { recursive: true });
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(go, ['install', ...packages], {
      env: { ...(opts.env ?? process.env), GOBIN: opts.gobin },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    let downloads = 0;
    const onOutput = (chunk: Buffer) => {
      const text = chunk.toString();
      downloads += (text.match(/go: downloading/g) ?? []).length;
      tail = (tail + text).slice(-4000);
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    const heartbeat = setInterval(() => {
      opts.progress(
        `  still building ${opts.what}… ${Math.round((Date.now() - started) / 1000)}s (${downloads} modules downloaded so far)`,
      );
    }, 15_000);
    child.on('error', (err) => {
      clearInterval(heartbeat);
      reject(err);
    });
    child.on('close', (code) => {
      clearInterval(heartbeat);
      if (code === 0) resolve(Math.round((Date.now() - started) / 1000));
      else reject(new Error(`exit code ${code}: ${tail.trim().split('\n').slice(-15).join(' | ')}`));
    });
  });
}

/** Last resort: let the Temporal SDK download its pinned dev server, then keep the binary in our cache. */
async function downloadWithTestingPackage(progress: Progress): Promise<string | undefined> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const downloadDir = path.join(cacheDir(), 'temporal-download');
  fs.mkdirSync(downloadDir, { recursive: true });
  progress('downloading the Temporal dev server through @temporalio/testing…');
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'cached-download', downloadDir }, ui: false },
  });
  await env.teardown();
  const files = fs
    .readdirSync(downloadDir)
    .map((f) => path.join(downloadDir, f))
    .filter((f) => isExecutable(f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  return files[0];
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
