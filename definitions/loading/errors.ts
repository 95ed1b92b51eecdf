/**
 * The one error shape of definition loading, and how paths are written in it.
 * Checks produce {@link Issue}s (a path plus a sentence); the loader turns them into positioned
 * {@link DefinitionError}s using the YAML source.
 */
import type { DefinitionError } from '../types';

export type { DefinitionError } from '../types';

/** A step into a document: a mapping key or a list index. */
export type PathSegment = string | number;

/** A problem found by a check, before it is given a file position. */
export interface Issue {
  path: PathSegment[];
  message: string;
  /** Point at the key rather than the value (e.g. for unknown keys). */
  at?: 'key' | 'value';
}

/** Writes a path the way an admin reads it: `spec.stages[3].when["customer.segment"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** `file:line:col path: message`, the form editors and terminals link to. */
export function formatDefinitionError(error: DefinitionError): string {
  const where = `${error.file}:${error.line}:${error.col}`;
  // `file:line:col: message` is what editors and CI annotators parse; the path follows for humans.
  return error.path ? `${where}: ${error.message} (at ${error.path})` : `${where}: ${error.message}`;
}

/** Sorts errors by file position so they read top to bottom. */
export function sortErrors(errors: DefinitionError[]): DefinitionError[] {
  return [...errors].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}

/** Suggests the closest known name for a typo: ` (did you mean "warehouse"?)`, or an empty string. */
export function didYouMean(word: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // Very short words are "close" to everything; only suggest for them when it is a near-certain typo.
  const threshold = word.length <= 2 ? 0 : Math.max(1, Math.floor(word.length / 3));
  return best !== undefined && bestDistance <= threshold ? ` (did you mean "${best}"?)` : '';
}

/** Lists known names for a message: `manager, sales, cskh`. */
export function listNames(names: readonly string[]): string {
  return names.length === 0 ? '(none)' : names.join(', ');
}

/** Optimal string alignment distance: edits plus swaps of neighbours ("humna" → "human" is 1). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
