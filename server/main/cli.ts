/**
 * `npx shopflow …` — the admin's command line.
 *   shopflow definitions validate FILE...   print file:line:col: message per error; exit 1 if any file is invalid
 *   shopflow definitions apply FILE...      upload through the API and activate (SHOPFLOW_URL, SHOPFLOW_TOKEN)
 *   shopflow init --template small|medium|large   validate a shop-size template and make it the active set
 *                                           in the app's database (DATABASE_URL, else the embedded one under DATA_DIR)
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { formatDefinitionError } from '../../definitions/loading/errors';
import { loadDefinitionText, loadShopFile, loadShopText } from '../../definitions/loading/loader';
import type { CompiledShop, DefinitionError } from '../../definitions/types';
import { projectRoot } from '../platform/paths';
import { loadConfig } from '../platform/config';
import { openDatabase } from '../../db/client';
import { applyDefinitionSet, checkDefinitionSet } from '../shop/definition-set';
import { listTemplates, TEMPLATE_NAMES, templateFiles } from '../shop/templates';
import { processSettingProblems, runsLeads } from '../../definitions/shop/processes';

const USAGE = `usage:
  shopflow definitions validate [--shop shop.yaml] FILE...
  shopflow definitions apply FILE...      (env: SHOPFLOW_URL=http://localhost:3000, SHOPFLOW_TOKEN=<admin token>)
  shopflow init --template small|medium|large   (env: DATABASE_URL, else the embedded database under DATA_DIR)`;

function kindOf(text: string): string | undefined {
  try {
    const doc = parse(text) as { kind?: unknown } | null;
    return typeof doc?.kind === 'string' ? doc.kind : undefined;
  } catch {
    return undefined;
  }
}

/** Validates files locally with the one loader; processes are checked against --shop (default: DEFINITIONS_DIR/shop.yaml). */
export async function validateFiles(files: string[], shopPath: string, out: (line: string) => void): Promise<number> {
  let shop: CompiledShop | undefined;
  let invalid = 0;
  // Given together, a shop and its order processes are one set: the channels' processes must be among them.
  const shopsGiven: Array<{ file: string; shop: CompiledShop }> = [];
  const orderProcesses = new Set<string>();
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      out(`${file}:1:1: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      invalid++;
      continue;
    }
    let errors: DefinitionError[];
    if (kindOf(text) === 'Shop') {
      const result = loadShopText(text, file);
      errors = result.ok ? [] : result.errors;
      if (result.ok) {
        out(`${file}: ok — ${result.summary.text}`);
        shopsGiven.push({ file, shop: result.value });
      }
    } else {
      if (!shop) {
        const shopResult = await loadShopFile(shopPath);
        if (!shopResult.ok) {
          out(`${shopPath}: the shop definition is invalid, so processes cannot be checked against it:`);
          shopResult.errors.forEach((e) => out(formatDefinitionError(e)));
          return files.length;
        }
        shop = shopResult.value;
      }
      const result = loadDefinitionText(text, file, shop);
      errors = result.ok ? [] : result.errors;
      if (result.ok) out(`${file}: ok — ${result.summary.text}`);
      if (result.ok && runsLeads(result.value.kind)) orderProcesses.add(result.value.name);
    }
    errors.forEach((e) => out(formatDefinitionError(e)));
    if (errors.length) invalid++;
  }
  for (const given of orderProcesses.size ? shopsGiven : []) {
    const problems = processSettingProblems(given.shop, orderProcesses);
    problems.forEach((p) => out(`${given.file}: ${p.message} (at ${p.path})`));
    if (problems.length) invalid++;
  }
  return invalid;
}

async function apply(files: string[]): Promise<number> {
  const base = (process.env.SHOPFLOW_URL ?? 'http://localhost:3000').replace(/\/$/, '');
  const token = process.env.SHOPFLOW_TOKEN;
  if (!token) {
    console.error('set SHOPFLOW_TOKEN to an admin API token (printed by the first `npm start`, or SHOPFLOW_ADMIN_TOKEN)');
    return 2;
  }
  const headers = { authorization: `Bearer ${token}` };
  let failed = 0;
  for (const file of files) {
    const res = await fetch(`${base}/api/v1/definitions`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/yaml' },
      body: fs.readFileSync(file, 'utf8'),
    }).catch((err: Error) => {
      throw new Error(`cannot reach shopflow at ${base}: ${err.message}`);
    });
    const body = (await res.json().catch(() => ({}))) as Record<string, any>;
    if (res.status === 422) {
      for (const e of body.error?.details?.errors ?? [])
        console.log(`${file}:${e.line}:${e.col}: ${e.message}${e.path ? ` (at ${e.path})` : ''}`);
      failed++;
      continue;
    }
    if (!res.ok) {
      console.log(`${file}: ${res.status} ${body.error?.message ?? res.statusText}`);
      failed++;
      continue;
    }
    const activate = await fetch(`${base}/api/v1/definitions/${encodeURIComponent(body.name)}/versions/${body.version}/activate`, {
      method: 'POST',
      headers,
    });
    const activated = (await activate.json().catch(() => ({}))) as Record<string, any>;
    if (!activate.ok) {
      console.log(
        `${file}: stored ${body.name} v${body.version} but activation failed: ${activated.error?.message ?? activate.statusText}`,
      );
      failed++;
      continue;
    }
    console.log(
      `${file}: ${body.name} v${body.version} ${body.created ? 'stored and activated' : 'unchanged, activated'} (${body.hash.slice(0, 19)}…)`,
    );
  }
  return failed ? 1 : 0;
}

/** Runs a CLI command and exits with its status (0 ok, 1 invalid/failed, 2 usage or unreachable). */
export function runCli(argv: string[]): void {
  main(argv).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(2);
    },
  );
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'init') return initFromTemplate(argv.slice(1), (l) => console.log(l));
  const [group, command, ...rest] = argv;
  if (group !== 'definitions' || !command || !['validate', 'apply'].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  let shopPath = path.join(process.env.DEFINITIONS_DIR ?? path.join(projectRoot(), 'definitions'), 'shop.yaml');
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--shop') shopPath = rest[++i] ?? shopPath;
    else files.push(rest[i]!);
  }
  if (files.length === 0) {
    console.error(USAGE);
    return 2;
  }
  if (command === 'validate') return (await validateFiles(files, shopPath, (l) => console.log(l))) ? 1 : 0;
  return apply(files);
}

/**
 * `shopflow init --template <name>`: the template's shop and processes, checked as one set,
 * stored and activated in the database the app uses (migrated first). Running it again changes
 * nothing. Returns the exit status: 0 applied, 1 invalid template, 2 usage.
 */
export async function initFromTemplate(args: string[], out: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const at = args.indexOf('--template');
  const name = at >= 0 ? args[at + 1] : args.find((a) => a.startsWith('--template='))?.slice('--template='.length);
  const names = TEMPLATE_NAMES.join(' | ');
  if (!name) {
    out(`usage: shopflow init --template ${names}`);
    return 2;
  }
  const files = templateFiles(name);
  if (!files) {
    out(`không có mẫu "${name}" (no such template) — chọn một trong: ${names}`);
    return 2;
  }
  const checked = checkDefinitionSet(files);
  if (!checked.ok) {
    out(`mẫu "${name}" không hợp lệ (the template is invalid):`);
    checked.errors.forEach((e) => out(formatDefinitionError(e)));
    return 1;
  }
  const config = loadConfig(env);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await database.migrate();
    const applied = await applyDefinitionSet(database.db, files, { author: 'cli', source: `template:${name}` });
    const info = listTemplates().find((t) => t.name === name);
    out(`mẫu "${name}" — ${info?.title ?? name} (${database.location}):`);
    for (const d of applied)
      out(
        `  ${d.kind} ${d.name} v${d.version}: ${d.created ? 'đã lưu và kích hoạt (stored and activated)' : d.wasActive ? 'không đổi (unchanged)' : 'đã kích hoạt lại (activated)'}`,
      );
    out(
      applied.some((d) => d.created || !d.wasActive)
        ? 'xong: cửa hàng dùng mẫu này từ đơn tiếp theo'
        : 'không có gì thay đổi: mẫu này đang được dùng',
    );
    return 0;
  } finally {
    await database.close();
  }
}
