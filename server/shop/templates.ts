/**
 * Shop-size templates shipped under definitions/templates/<name>/ (shop.yaml + processes/*.yaml):
 * a small, medium or large shop's roles, channels and processes, ready to apply in one step
 * (`npx shopflow init --template small`, or the console's first-run checklist).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../platform/paths';
import { listYaml } from './definitions';
import type { SetFile } from './definition-set';

/** The names templates are listed in (the folder names under definitions/templates/). */
export const TEMPLATE_NAMES = ['small', 'medium', 'large'] as const;

export interface TemplateInfo {
  name: string;
  title: string;
  description: string;
  /** The definitions it applies, by metadata.name. */
  definitions: Array<{ name: string; kind: string; file: string }>;
}

/** Where the templates live (TEMPLATES_DIR overrides, for tests and forks). */
export function templatesDir(): string {
  return process.env.TEMPLATES_DIR ?? path.join(projectRoot(), 'definitions', 'templates');
}

/** The template's folder, if `name` is one of the shipped templates (never a path from the caller). */
function folderOf(name: string): string | undefined {
  if (!(TEMPLATE_NAMES as readonly string[]).includes(name)) return undefined;
  const dir = path.join(templatesDir(), name);
  return fs.existsSync(path.join(dir, 'shop.yaml')) ? dir : undefined;
}

/** A template's files, shop first; undefined when there is no such template. */
export function templateFiles(name: string): SetFile[] | undefined {
  const dir = folderOf(name);
  if (!dir) return undefined;
  const files = [path.join(dir, 'shop.yaml'), ...listYaml(path.join(dir, 'processes'))];
  return files.map((file) => ({ file: path.relative(templatesDir(), file), yaml: fs.readFileSync(file, 'utf8') }));
}

/** Every shipped template with its title and description (from its shop.yaml metadata). */
export function listTemplates(): TemplateInfo[] {
  return TEMPLATE_NAMES.flatMap((name) => {
    const files = templateFiles(name);
    if (!files) return [];
    const headers = files.map((f) => header(f.yaml));
    const shop = headers[0]!;
    return [
      {
        name,
        title: shop.title ?? name,
        description: shop.description ?? '',
        definitions: headers.map((h, i) => ({ name: h.name ?? '', kind: h.kind ?? '', file: files[i]!.file })),
      },
    ];
  });
}

function header(yaml: string): { kind?: string; name?: string; title?: string; description?: string } {
  const doc = parse(yaml) as { kind?: string; metadata?: { name?: string; title?: string; description?: string } };
  return { kind: doc.kind, name: doc.metadata?.name, title: doc.metadata?.title, description: doc.metadata?.description };
}
