/**
 * Applying a whole set of definitions at once (a shop-size template: its shop.yaml and
 * processes): every file is checked against the set's own shop, then the set is stored and made
 * the active one in one transaction — the definitions in use before are retired (running orders
 * keep the snapshot they started with). Applying the same set again changes nothing.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { definitionVersions } from '../../db/schema';
import { loadDefinitionText, loadShopText } from '../../definitions/loading/loader';
import { processSettingProblems, runsLeads } from '../../definitions/shop/processes';
import type { CompiledDefinition, CompiledShop, DefinitionError } from '../../definitions/types';
import { hashYaml, InvalidDefinition } from './definitions';

/** One file of a set: its YAML and the name errors are reported under. */
export interface SetFile {
  file: string;
  yaml: string;
}

/** What applying did to each definition of the set. */
export interface AppliedDefinition {
  name: string;
  kind: string;
  title: string;
  version: number;
  /** A new version was stored (false: this exact YAML was stored before). */
  created: boolean;
  /** It was already the active version before (nothing changed for it). */
  wasActive: boolean;
}

/** Checks the set as a whole: the shop alone, every process against it, and the channels' processes among them. */
export function checkDefinitionSet(
  files: SetFile[],
): { ok: true; compiled: Array<CompiledShop | CompiledDefinition> } | { ok: false; errors: DefinitionError[] } {
  const [shopFile, ...processFiles] = files;
  if (!shopFile) return { ok: false, errors: [{ file: '', line: 1, col: 1, path: '', message: 'bộ định nghĩa trống: thiếu shop.yaml' }] };
  const shop = loadShopText(shopFile.yaml, shopFile.file);
  if (!shop.ok) return { ok: false, errors: shop.errors };
  const errors: DefinitionError[] = [];
  const compiled: Array<CompiledShop | CompiledDefinition> = [shop.value];
  for (const f of processFiles) {
    const loaded = loadDefinitionText(f.yaml, f.file, shop.value);
    if (loaded.ok) compiled.push(loaded.value);
    else errors.push(...loaded.errors);
  }
  const orderProcesses = new Set(compiled.filter((c) => runsLeads(c.kind)).map((c) => c.name));
  for (const p of processSettingProblems(shop.value, orderProcesses))
    errors.push({ file: shopFile.file, line: 1, col: 1, path: p.path, message: p.message });
  return errors.length ? { ok: false, errors } : { ok: true, compiled };
}

/** Stores the set (reusing identical versions) and makes exactly it active. Throws InvalidDefinition. */
export async function applyDefinitionSet(db: Db, files: SetFile[], opts: { author: string; source: string }): Promise<AppliedDefinition[]> {
  const checked = checkDefinitionSet(files);
  if (!checked.ok) throw new InvalidDefinition(checked.errors);
  return db.transaction(async (tx) => {
    // One set applied at a time; saves of the same names wait for it.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('definition-set'))`);
    const applied: Array<AppliedDefinition & { id: number }> = [];
    for (const [i, value] of checked.compiled.entries()) {
      const yaml = files[i]!.yaml;
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`definition:${value.name}`}))`);
      const hash = hashYaml(yaml);
      const [same] = await tx
        .select()
        .from(definitionVersions)
        .where(and(eq(definitionVersions.name, value.name), eq(definitionVersions.hash, hash)));
      if (same) {
        applied.push({
          id: same.id,
          name: same.name,
          kind: same.kind,
          title: value.title,
          version: same.version,
          created: false,
          wasActive: same.active,
        });
        continue;
      }
      const [latest] = await tx
        .select({ version: definitionVersions.version, kind: definitionVersions.kind })
        .from(definitionVersions)
        .where(eq(definitionVersions.name, value.name))
        .orderBy(desc(definitionVersions.version))
        .limit(1);
      if (latest && latest.kind !== value.kind)
        throw new InvalidDefinition([
          {
            file: files[i]!.file,
            line: 1,
            col: 1,
            path: 'metadata.name',
            message: `tên "${value.name}" đã được dùng cho một ${latest.kind}; ${value.kind} cần metadata.name khác`,
          },
        ]);
      const [row] = await tx
        .insert(definitionVersions)
        .values({
          name: value.name,
          kind: value.kind,
          version: (latest?.version ?? 0) + 1,
          hash,
          yaml,
          compiled: value,
          author: opts.author,
          source: opts.source,
        })
        .returning();
      applied.push({
        id: row!.id,
        name: row!.name,
        kind: row!.kind,
        title: value.title,
        version: row!.version,
        created: true,
        wasActive: false,
      });
    }
    const ids = applied.map((a) => a.id);
    await tx
      .update(definitionVersions)
      .set({ active: false })
      .where(and(eq(definitionVersions.active, true), sql`${definitionVersions.id} not in ${ids}`));
    await tx
      .update(definitionVersions)
      .set({ active: true, activatedAt: sql`now()` })
      .where(and(sql`${definitionVersions.id} in ${ids}`, eq(definitionVersions.active, false)));
    return applied.map(({ id: _id, ...rest }) => rest);
  });
}
