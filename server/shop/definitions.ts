import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { parse } from 'yaml';
import { activeShop } from '../../db/active-shop';
import type { Db } from '../../db/client';
import { definitionVersions } from '../../db/schema';
import { formatDefinitionError } from '../../definitions/loading/errors';
import { loadDefinitionText, loadShopText, MAX_DEFINITION_BYTES } from '../../definitions/loading/loader';
import type { CompiledDefinition, CompiledShop, DefinitionError, LoadSummary } from '../../definitions/types';
import { conflict, notFound, unprocessable } from '../http/errors';
import type { Logger } from '../platform/logger';
import { processSettingProblems, runsLeads } from '../../definitions/shop/processes';

type VersionRow = typeof definitionVersions.$inferSelect;
type Compiled = CompiledShop | CompiledDefinition;

/** A stored version as the admin API shows it (the YAML only on request). */
export interface VersionView {
  name: string;
  kind: string;
  version: number;
  hash: string;
  active: boolean;
  author: string | null;
  source: string | null;
  createdAt: string;
  activatedAt: string | null;
}

export const toVersionView = (row: VersionRow): VersionView => ({
  name: row.name,
  kind: row.kind,
  version: row.version,
  hash: row.hash,
  active: row.active,
  author: row.author,
  source: row.source,
  createdAt: row.createdAt.toISOString(),
  activatedAt: row.activatedAt?.toISOString() ?? null,
});

/** Content hash of a definition: versions are identified by exactly what the admin wrote. */
export const hashYaml = (yaml: string) => `sha256:${crypto.createHash('sha256').update(yaml).digest('hex')}`;

/** Thrown when YAML does not validate; carries every error for a 422. */
export class InvalidDefinition extends Error {
  constructor(readonly errors: DefinitionError[]) {
    super(`invalid definition:\n${errors.map(formatDefinitionError).join('\n')}`);
    this.name = 'InvalidDefinition';
  }
}

/** Immutable, content-hashed versions of the shop and process definitions; explicit activation. */
export function createDefinitionsStore(db: Db) {
  const shopNow = () => activeShop(db);

  /** Validates YAML of any kind against the active shop (a Shop is validated on its own). */
  async function validate(
    yaml: string,
    file: string,
  ): Promise<{ ok: true; value: Compiled; summary: LoadSummary } | { ok: false; errors: DefinitionError[] }> {
    if (Buffer.byteLength(yaml) > MAX_DEFINITION_BYTES) {
      return {
        ok: false,
        errors: [
          {
            file,
            line: 1,
            col: 1,
            path: '',
            message: `the definition is ${Buffer.byteLength(yaml)} bytes; the limit is ${MAX_DEFINITION_BYTES} bytes`,
          },
        ],
      };
    }
    if (peekHeader(yaml).kind === 'Shop') return loadShopText(yaml, file);
    const shop = await shopNow();
    if (!shop)
      return {
        ok: false,
        errors: [{ file, line: 1, col: 1, path: '', message: 'no shop definition is active yet: upload and activate shop.yaml first' }],
      };
    return loadDefinitionText(yaml, file, shop);
  }

  /**
   * Compiled content of versions read before, by row id. A stored version never changes (only
   * which one is active does), so each is read and parsed once per process; every lead then reads
   * only which version is active, a small row, instead of the whole definition (~18 KB of JSON).
   */
  const compiledById = new Map<number, Compiled>();
  async function activeCompiled<T extends Compiled>(where: SQL): Promise<{ name: string; version: number; compiled: T } | undefined> {
    const [row] = await db
      .select({ id: definitionVersions.id, name: definitionVersions.name, version: definitionVersions.version })
      .from(definitionVersions)
      .where(and(where, eq(definitionVersions.active, true)))
      .orderBy(desc(definitionVersions.activatedAt))
      .limit(1);
    if (!row) return undefined;
    let compiled = compiledById.get(row.id);
    if (!compiled) {
      const [full] = await db
        .select({ compiled: definitionVersions.compiled })
        .from(definitionVersions)
        .where(eq(definitionVersions.id, row.id));
      if (!full) return undefined;
      compiled = full.compiled as Compiled;
      if (compiledById.size > 200) compiledById.clear();
      compiledById.set(row.id, compiled);
    }
    return { name: row.name, version: row.version, compiled: compiled as T };
  }

  /** Which shop version is active and where it came from (a file, `api`, `template:<name>`). */
  async function activeShopSource() {
    const [row] = await db
      .select({ name: definitionVersions.name, version: definitionVersions.version, source: definitionVersions.source })
      .from(definitionVersions)
      .where(and(eq(definitionVersions.kind, 'Shop'), eq(definitionVersions.active, true)));
    return row;
  }

  const store = {
    validate,
    activeShop: shopNow,

    /** One row per definition name: its latest and its active version. */
    async list() {
      const rows = await db.select().from(definitionVersions).orderBy(asc(definitionVersions.name), desc(definitionVersions.version));
      const byName = new Map<string, { name: string; kind: string; latestVersion: number; activeVersion: number | null; title: string }>();
      for (const row of rows) {
        const entry = byName.get(row.name) ?? {
          name: row.name,
          kind: row.kind,
          latestVersion: row.version,
          activeVersion: null,
          title: (row.compiled as Compiled).title,
        };
        if (row.active) {
          entry.activeVersion = row.version;
          entry.title = (row.compiled as Compiled).title;
        }
        byName.set(row.name, entry);
      }
      return [...byName.values()];
    },

    async versions(name: string): Promise<VersionRow[]> {
      const rows = await db
        .select()
        .from(definitionVersions)
        .where(eq(definitionVersions.name, name))
        .orderBy(desc(definitionVersions.version));
      if (rows.length === 0) throw notFound(`no definition named "${name}"`);
      return rows;
    },

    async version(name: string, version: number): Promise<VersionRow> {
      const [row] = await db
        .select()
        .from(definitionVersions)
        .where(and(eq(definitionVersions.name, name), eq(definitionVersions.version, version)));
      if (!row) throw notFound(`definition "${name}" has no version ${version}`);
      return row;
    },

    async active(name: string): Promise<VersionRow | undefined> {
      return (
        await db
          .select()
          .from(definitionVersions)
          .where(and(eq(definitionVersions.name, name), eq(definitionVersions.active, true)))
      )[0];
    },

    /** The active compiled definition of a kind (e.g. the order process new orders take). */
    async activeOfKind<T extends Compiled>(kind: T['kind']): Promise<{ name: string; version: number; compiled: T } | undefined> {
      return activeCompiled<T>(eq(definitionVersions.kind, kind));
    },

    /** The active compiled definition of a name, if it is of `kind`. */
    async activeNamed<T extends Compiled>(
      name: string,
      kind: T['kind'],
    ): Promise<{ name: string; version: number; compiled: T } | undefined> {
      return activeCompiled<T>(and(eq(definitionVersions.name, name), eq(definitionVersions.kind, kind))!);
    },

    /**
     * Validates and stores YAML as a new immutable version (not activated). Identical content
     * returns the existing version. Throws InvalidDefinition with every error.
     */
    async save(input: {
      yaml: string;
      file: string;
      author?: string;
      source?: string;
    }): Promise<{ row: VersionRow; created: boolean; summary: LoadSummary }> {
      const loaded = await validate(input.yaml, input.file);
      if (!loaded.ok) throw new InvalidDefinition(loaded.errors);
      const { value, summary } = loaded;
      const hash = hashYaml(input.yaml);
      return db.transaction(async (tx) => {
        // Two admins (or two replicas at start-up) saving the same name get consecutive numbers.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`definition:${value.name}`}))`);
        const [same] = await tx
          .select()
          .from(definitionVersions)
          .where(and(eq(definitionVersions.name, value.name), eq(definitionVersions.hash, hash)));
        if (same) return { row: same, created: false, summary };
        const [latest] = await tx
          .select()
          .from(definitionVersions)
          .where(eq(definitionVersions.name, value.name))
          .orderBy(desc(definitionVersions.version))
          .limit(1);
        if (latest && latest.kind !== value.kind) {
          throw conflict(`the name "${value.name}" is already used by a ${latest.kind}; a ${value.kind} needs another metadata.name`);
        }
        const [row] = await tx
          .insert(definitionVersions)
          .values({
            name: value.name,
            kind: value.kind,
            version: (latest?.version ?? 0) + 1,
            hash,
            yaml: input.yaml,
            compiled: value,
            author: input.author ?? null,
            source: input.source ?? null,
          })
          .returning();
        return { row: row!, created: true, summary };
      });
    },

    /**
     * Makes one version the active one of its name. A shop version is activated only if every
     * active process still validates against it (so roles in use cannot vanish).
     */
    async activate(name: string, version: number, opts: { pendingProcesses?: readonly string[] } = {}): Promise<VersionRow> {
      const target = await store.version(name, version);
      if (target.kind === 'Shop') {
        const shop = target.compiled as CompiledShop;
        const processes = await db
          .select()
          .from(definitionVersions)
          .where(and(eq(definitionVersions.active, true), sql`${definitionVersions.kind} <> 'Shop'`));
        const errors = processes.flatMap((p) => {
          const result = loadDefinitionText(p.yaml, `${p.name}@v${p.version}`, shop);
          return result.ok ? [] : result.errors;
        });
        if (errors.length) {
          throw unprocessable(`shop "${name}" v${version} would break active definitions`, {
            errors: errors.map(({ file, path: p, line, col, message }) => ({ definition: file, path: p, line, col, message })),
          });
        }
        // Channels may only run processes that are active (or activated with this shop, in one batch).
        const active = new Set([...processes.filter((p) => runsLeads(p.kind)).map((p) => p.name), ...(opts.pendingProcesses ?? [])]);
        const unknown = processSettingProblems(shop, active);
        if (unknown.length) {
          throw unprocessable(`cửa hàng "${name}" v${version} chọn quy trình chưa hoạt động cho kênh bán: ${unknown[0]!.message}`, {
            errors: unknown.map((u) => ({ definition: `${name}@v${version}`, path: u.path, message: u.message })),
          });
        }
      }
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`definition:${name}`}))`);
        await tx
          .update(definitionVersions)
          .set({ active: false })
          .where(
            and(
              // There is one shop: activating a shop (of any name, e.g. a template's) retires the one in use.
              target.kind === 'Shop' ? eq(definitionVersions.kind, 'Shop') : eq(definitionVersions.name, name),
              eq(definitionVersions.active, true),
            ),
          );
        const [row] = await tx
          .update(definitionVersions)
          .set({ active: true, activatedAt: sql`now()` })
          .where(and(eq(definitionVersions.name, name), eq(definitionVersions.version, version)))
          .returning();
        return row!;
      });
    },

    /**
     * Start-up: the files shipped in DEFINITIONS_DIR become versions and are activated, so
     * editing a file and restarting works. An invalid file is reported and skipped while an
     * earlier version of it stays active; with nothing to fall back on, start-up fails.
     */
    async syncFromDir(dir: string, log: Logger): Promise<void> {
      const files = [path.join(dir, 'shop.yaml'), ...listYaml(path.join(dir, 'processes'))];
      // The shop is activated first, before the processes its channels may name: those count as active.
      const pendingProcesses = orderProcessNames(files);
      const failures: string[] = [];
      // A template applied (`shopflow init --template`, the console) is the shop now: the folder does not take it back.
      const inUse = await activeShopSource();
      if (inUse?.source?.startsWith('template:')) {
        log.info(
          `the shop in use (${inUse.name} v${inUse.version}) was applied from ${inUse.source}; ${dir} is not loaded — change definitions with \`shopflow definitions apply\` or the API`,
        );
        return;
      }
      for (const file of files) {
        const rel = path.relative(process.cwd(), file) || file;
        let yaml: string;
        try {
          yaml = fs.readFileSync(file, 'utf8');
        } catch (err) {
          failures.push(`${rel}: cannot read (${(err as Error).message})`);
          continue;
        }
        try {
          const { row, created } = await store.save({ yaml, file: rel, author: 'system', source: rel });
          if (!row.active) await store.activate(row.name, row.version, { pendingProcesses });
          if (created || !row.active)
            log.info(
              { name: row.name, kind: row.kind, version: row.version },
              `definition ${row.name} v${row.version} activated from ${rel}`,
            );
        } catch (err) {
          if (!(err instanceof InvalidDefinition) && !(err instanceof Error && 'status' in err)) throw err;
          const name = peekHeader(yaml).name;
          const fallback = name ? await store.active(name) : undefined;
          const detail = err instanceof InvalidDefinition ? err.errors.map(formatDefinitionError).join('\n') : err.message;
          if (fallback) log.error(`${rel} is invalid; ${fallback.name} v${fallback.version} stays active:\n${detail}`);
          else failures.push(detail);
        }
      }
      if (failures.length) throw new Error(`definitions in ${dir} are invalid and no earlier version can be used:\n${failures.join('\n')}`);
    },
  };
  return store;
}

export type DefinitionsStore = ReturnType<typeof createDefinitionsStore>;

/** kind and metadata.name of a document, if it parses at all (the loader reports why not). */
function peekHeader(yaml: string): { kind?: string; name?: string } {
  try {
    const doc = parse(yaml) as { kind?: unknown; metadata?: { name?: unknown } } | null;
    return {
      kind: typeof doc?.kind === 'string' ? doc.kind : undefined,
      name: typeof doc?.metadata?.name === 'string' ? doc.metadata.name : undefined,
    };
  } catch {
    return {};
  }
}

/** metadata.name of the OrderProcess files among `files` (unreadable or unparsable ones are skipped). */
export function orderProcessNames(files: string[]): string[] {
  return files.flatMap((file) => {
    try {
      const header = peekHeader(fs.readFileSync(file, 'utf8'));
      return header.kind && runsLeads(header.kind) && header.name ? [header.name] : [];
    } catch {
      return [];
    }
  });
}

export function listYaml(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}
