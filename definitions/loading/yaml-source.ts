/**
 * Reads one YAML definition file into plain data while keeping node positions, so every later
 * check can point at `file:line:col`.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { formatPath, type DefinitionError, type Issue, type PathSegment } from './errors';

/** A parsed file: the plain data plus what is needed to find positions in it. */
export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  data: unknown;
}

/** Anchors/aliases are allowed (to share forms), but not enough to blow up memory. */
const MAX_ALIAS_COUNT = 100;

/** Parses one YAML document; reports syntax errors, empty files and multi-document files. */
export function parseYamlSource(text: string, file: string): { ok: true; source: YamlSource } | { ok: false; errors: DefinitionError[] } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: true });
  const at = (offset: number) => lineCounter.linePos(offset);
  const fail = (line: number, col: number, message: string) => ({
    ok: false as const,
    errors: [{ file, line, col, path: '', message }],
  });

  if (docs.length === 0 || docs.every((d) => d.contents === null)) {
    return fail(1, 1, 'the file is empty — it needs apiVersion, kind, metadata and spec');
  }
  if (docs.length > 1) {
    const { line, col } = at(docs[1].range[0]);
    return fail(line, col, `the file holds ${docs.length} YAML documents (separated by ---); put each definition in its own file`);
  }
  const doc = docs[0];
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    return {
      ok: false,
      errors: problems.map((problem) => {
        const { line, col } = problem.linePos?.[0] ?? at(problem.pos[0]);
        return { file, line, col, path: '', message: `YAML syntax: ${firstSentence(problem.message)}` };
      }),
    };
  }
  const loop = selfReferencingAlias(doc);
  if (loop) {
    const { line, col } = at(loop.range?.[0] ?? 0);
    return fail(
      line,
      col,
      `the alias *${loop.source} refers to the node it sits in (&${loop.source}), so the value would never end; copy the part you need instead`,
    );
  }
  try {
    return { ok: true, source: { file, doc, lineCounter, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) } };
  } catch (error) {
    return fail(1, 1, `YAML could not be read: ${(error as Error).message}`);
  }
}

/**
 * An alias inside the very node its anchor names (`&a [*a]`) makes the data cyclic: it would
 * loop every check and every copy of the definition, so such a file is refused up front.
 */
function selfReferencingAlias(doc: Document.Parsed): { source: string; range?: readonly number[] | null } | undefined {
  const ancestors: unknown[] = [];
  const visit = (node: unknown): { source: string; range?: readonly number[] | null } | undefined => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      return target && ancestors.includes(target) ? { source: node.source, range: node.range } : undefined;
    }
    const children: unknown[] =
      isMap(node) || isSeq(node)
        ? node.items.flatMap((item) => (isSeq(node) ? [item] : [(item as { key: unknown }).key, (item as { value: unknown }).value]))
        : [];
    if (!children.length) return undefined;
    ancestors.push(node);
    try {
      for (const child of children) {
        const found = visit(child);
        if (found) return found;
      }
      return undefined;
    } finally {
      ancestors.pop();
    }
  };
  return visit(doc.contents);
}

/** yaml's pretty messages end with " at line X, column Y:" and a code excerpt; we report position separately. */
function firstSentence(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Finds where a path is in the file. A path that does not exist (e.g. a missing key) resolves to
 * its nearest existing ancestor, which is where the admin has to add it.
 */
export function locate(source: YamlSource, path: readonly PathSegment[], at: 'key' | 'value' = 'value') {
  let node: unknown = source.doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(segment));
      if (!pair) break;
      if (at === 'key' && i === path.length - 1) {
        offset = rangeStart(pair.key) ?? offset;
        break;
      }
      node = pair.value;
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      // Scalars have no children; aliases point elsewhere — the alias itself is the best position.
      break;
    }
    if (isAlias(node)) break;
  }
  return source.lineCounter.linePos(offset);
}

/** Turns check issues into positioned errors. */
export function positionIssues(source: YamlSource, issues: readonly Issue[]): DefinitionError[] {
  return issues.map((issue) => {
    const { line, col } = locate(source, issue.path, issue.at);
    return { file: source.file, line, col, path: formatPath(issue.path), message: issue.message };
  });
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}
