/**
 * The one definition loader, used by the server, the worker, the CLI and tests:
 * YAML text → parse (keeping positions) → JSON Schema check → semantic check → compiled plain object.
 * Every problem is reported at once, each with file, line, column, path and a plain sentence.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { definitionValidator } from './ajv';
import { didYouMean, listNames, sortErrors, type Issue } from './errors';
import { DEFINITION_KINDS, SHOP_KIND, type DefinitionKind } from './kinds';
import { hasOwnEntry, isPrototypeName } from '../rules/own';
import { recordOf } from './plain';
import { schemaIssues } from './schema-errors';
import type { CompiledDefinition, CompiledShop, DefinitionError, LoadResult, LoadSummary } from '../types';
import { locate, parseYamlSource, positionIssues, type YamlSource } from './yaml-source';
import { processSettingProblems, runsLeads } from '../shop/processes';

export type { CompiledDefinition, CompiledShop, DefinitionError, LoadResult, LoadSummary } from '../types';

/** Larger files are rejected before parsing: no real definition comes near it. */
export const MAX_DEFINITION_BYTES = 256 * 1024;

/** Loads shop.yaml text. `file` is only used in error positions. */
export function loadShopText(text: string, file: string): LoadResult<CompiledShop> {
  return toResult(loadWith(text, file, null, shopKind));
}

/** Loads a process definition (dispatching on its `kind`) and checks it against the shop. */
export function loadDefinitionText(text: string, file: string, shop: CompiledShop): LoadResult<CompiledDefinition> {
  return toResult(loadWith(text, file, shop, definitionKind));
}

export async function loadShopFile(path: string): Promise<LoadResult<CompiledShop>> {
  const read = await readDefinitionFile(path);
  return 'errors' in read ? { ok: false, errors: read.errors } : loadShopText(read.text, path);
}

export async function loadDefinitionFile(path: string, shop: CompiledShop): Promise<LoadResult<CompiledDefinition>> {
  const read = await readDefinitionFile(path);
  return 'errors' in read ? { ok: false, errors: read.errors } : loadDefinitionText(read.text, path, shop);
}

/** A process definition loaded from a definitions folder. */
export interface LoadedDefinition {
  file: string;
  value: CompiledDefinition;
  summary: LoadSummary;
}

/** Everything in a definitions folder; `errors` empty means every file is usable. */
export interface LoadedDefinitions {
  shop: CompiledShop | null;
  definitions: LoadedDefinition[];
  errors: DefinitionError[];
}

/**
 * Loads `<dir>/shop.yaml` and `<dir>/processes/*.yaml`. Process files are still checked when the
 * shop is broken (except against the shop), so one run shows every error. Only files without
 * errors appear in `definitions`; two processes of the same kind may not share a name.
 */
export async function loadDefinitionsDir(dir: string): Promise<LoadedDefinitions> {
  const errors: DefinitionError[] = [];
  const shopFile = join(dir, 'shop.yaml');
  const shopRead = await readDefinitionFile(shopFile);
  let shop: CompiledShop | null = null;
  if ('errors' in shopRead) errors.push(...shopRead.errors);
  else {
    const loaded = loadWith(shopRead.text, shopFile, null, shopKind);
    errors.push(...loaded.errors);
    shop = loaded.value ?? null;
  }

  const definitions: LoadedDefinition[] = [];
  const owners = new Map<string, string>();
  for (const file of await processFiles(join(dir, 'processes'))) {
    const read = await readDefinitionFile(file);
    if ('errors' in read) {
      errors.push(...read.errors);
      continue;
    }
    const loaded = loadWith(read.text, file, shop, definitionKind);
    errors.push(...loaded.errors);
    if (!loaded.value || !loaded.source) continue;
    const key = `${loaded.value.kind}/${loaded.value.name}`;
    const owner = owners.get(key);
    if (owner !== undefined) {
      const { line, col } = locate(loaded.source, ['metadata', 'name']);
      const message = `${loaded.value.kind} "${loaded.value.name}" is already defined in ${owner} — names must be unique`;
      errors.push({ file, line, col, path: 'metadata.name', message });
      continue;
    }
    owners.set(key, file);
    definitions.push({ file, value: loaded.value, summary: loaded.summary! });
  }
  // A folder is one set: the processes its channels run must be among its order processes.
  if (shop && !('errors' in shopRead)) {
    const names = new Set(definitions.filter((d) => runsLeads(d.value.kind)).map((d) => d.value.name));
    const problems = processSettingProblems(shop, names);
    if (problems.length) {
      const parsed = parseYamlSource(shopRead.text, shopFile);
      for (const problem of problems) {
        const at = problem.path.split('.');
        const { line, col } = parsed.ok ? locate(parsed.source, at) : { line: 1, col: 1 };
        errors.push({ file: shopFile, line, col, path: problem.path, message: problem.message });
      }
    }
  }
  return { shop, definitions, errors: sortErrors(errors) };
}

// ─── internals ───────────────────────────────────────────────────────────────

interface Loaded<T> {
  errors: DefinitionError[];
  source?: YamlSource;
  value?: T;
  summary?: LoadSummary;
}

function loadWith<T>(
  text: string,
  file: string,
  shop: CompiledShop | null,
  kindOf: (kind: unknown) => DefinitionKind<T> | string,
): Loaded<T> {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_DEFINITION_BYTES) return { errors: [tooLarge(file, bytes)] };

  const parsed = parseYamlSource(text, file);
  if (!parsed.ok) return { errors: parsed.errors };
  const { source } = parsed;

  // Ids become record keys (roles, channels, couriers, stages…): a name Object.prototype answers to is never one.
  const prototypeNames = prototypeNameIssues(source.data);
  if (prototypeNames.length > 0) return { source, errors: sortErrors(positionIssues(source, prototypeNames)) };

  const handler = kindOf(recordOf(source.data).kind);
  if (typeof handler === 'string') {
    const at: Issue = { path: ['kind'], message: handler };
    return { source, errors: positionIssues(source, [at]) };
  }

  const validate = definitionValidator(handler.schema);
  const schemaProblems = validate(source.data) ? [] : schemaIssues(validate.errors);
  let semanticProblems: Issue[];
  try {
    semanticProblems = handler.check(source.data, shop);
  } catch (error) {
    // Checks guard against malformed data, but if one still trips over it the schema errors explain why.
    if (schemaProblems.length === 0) throw error;
    semanticProblems = [];
  }
  // Where the schema already objected (e.g. a role id of the wrong form), it is the clearer message.
  const schemaPaths = new Set(schemaProblems.map((i) => JSON.stringify(i.path)));
  const issues = [...schemaProblems, ...semanticProblems.filter((i) => !schemaPaths.has(JSON.stringify(i.path)))];
  if (issues.length > 0) return { source, errors: sortErrors(positionIssues(source, issues)) };
  // Without a shop (shop.yaml is broken) a process was checked as far as possible but cannot compile.
  if (handler.needsShop && !shop) return { source, errors: [] };

  const value = handler.compile(source.data, shop as CompiledShop);
  return { source, errors: [], value, summary: handler.summarize(value) };
}

/**
 * Keys, and the `id`/`name` of list entries, that are Object.prototype's names (`__proto__`,
 * `constructor`, `toString`…): as a role, channel or stage id they would resolve to the prototype
 * wherever a lookup forgot to check own properties. Walked iteratively: nesting cannot overflow.
 */
function prototypeNameIssues(data: unknown): Issue[] {
  const issues: Issue[] = [];
  const stack: Array<{ node: unknown; path: Array<string | number>; inList: boolean }> = [{ node: data, path: [], inList: false }];
  while (stack.length > 0 && issues.length < 20) {
    const { node, path, inList } = stack.pop()!;
    if (Array.isArray(node)) {
      node.forEach((child, i) => stack.push({ node: child, path: [...path, i], inList: true }));
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    for (const [key, child] of Object.entries(node)) {
      if (isPrototypeName(key))
        issues.push({
          path: [...path, key],
          at: 'key',
          message: `"${key}" is a reserved name (a JavaScript object's own member), so it cannot be an id or a key here — choose another name`,
        });
      else if (inList && (key === 'id' || key === 'name') && isPrototypeName(child))
        issues.push({
          path: [...path, key],
          message: `"${String(child)}" is a reserved name (a JavaScript object's own member), so it cannot be an id — choose another name`,
        });
      stack.push({ node: child, path: [...path, key], inList: false });
    }
  }
  return issues;
}

function toResult<T>(loaded: Loaded<T>): LoadResult<T> {
  return loaded.value !== undefined && loaded.errors.length === 0
    ? { ok: true, value: loaded.value, summary: loaded.summary! }
    : { ok: false, errors: loaded.errors };
}

function shopKind(kind: unknown): DefinitionKind<CompiledShop> | string {
  return kind === 'Shop' ? SHOP_KIND : wrongKind(kind, ['Shop']);
}

function definitionKind(kind: unknown): DefinitionKind<CompiledDefinition> | string {
  if (hasOwnEntry(DEFINITION_KINDS, kind)) return DEFINITION_KINDS[kind]!;
  if (kind === 'Shop') return 'a Shop belongs in shop.yaml and is loaded as the shop, not as a process definition';
  return wrongKind(kind, Object.keys(DEFINITION_KINDS));
}

function wrongKind(kind: unknown, expected: string[]): string {
  if (kind === undefined) return `missing "kind" — set it to ${listNames(expected)}`;
  const typo = typeof kind === 'string' ? didYouMean(kind, expected) : '';
  return `${JSON.stringify(kind)} is not a kind this file can have${typo} — use: ${listNames(expected)}`;
}

function tooLarge(file: string, bytes: number): DefinitionError {
  const kib = Math.ceil(bytes / 1024);
  return {
    file,
    line: 1,
    col: 1,
    path: '',
    message: `the file is ${kib} KiB; definition files are limited to ${MAX_DEFINITION_BYTES / 1024} KiB — split it or remove unused parts`,
  };
}

async function readDefinitionFile(path: string): Promise<{ text: string } | { errors: DefinitionError[] }> {
  const fail = (message: string) => ({ errors: [{ file: path, line: 1, col: 1, path: '', message }] });
  try {
    const info = await stat(path);
    if (!info.isFile()) return fail('is not a file');
    // Checked before reading so a huge file is never loaded into memory.
    if (info.size > MAX_DEFINITION_BYTES) return { errors: [tooLarge(path, info.size)] };
    return { text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'file not found' : `could not be read: ${(error as Error).message}`);
  }
}

async function processFiles(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names
      .filter((n) => /\.ya?ml$/.test(n))
      .sort()
      .map((n) => join(dir, n));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
