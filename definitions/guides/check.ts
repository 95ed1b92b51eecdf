/**
 * Semantic checks of a SalesGuide beyond its schema: channels and segments exist in the shop,
 * script ids are used once, checklist ids are unique within a guide. Runs on unchecked data.
 */
import type { Issue } from '../loading/errors';
import { didYouMean, listNames } from '../loading/errors';
import { listOf, recordOf } from '../loading/plain';
import type { CompiledShop } from '../types';

export function checkSalesGuide(data: unknown, shop: CompiledShop | null): Issue[] {
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  listOf(recordOf(recordOf(data).spec).guides).forEach((raw, i) => {
    const guide = recordOf(raw);
    const at = ['spec', 'guides', i];
    if (typeof guide.id === 'string') {
      const first = seen.get(guide.id);
      if (first !== undefined)
        issues.push({
          path: [...at, 'id'],
          message: `script "${guide.id}" is already guides[${first}] — each script id is used once (raise its version instead)`,
        });
      else seen.set(guide.id, i);
    }
    if (shop) {
      const names = (key: 'channels' | 'segments', known: string[]) =>
        listOf(guide[key]).forEach((value, j) => {
          if (typeof value === 'string' && !known.includes(value))
            issues.push({
              path: [...at, key, j],
              message: `unknown ${key === 'channels' ? 'channel' : 'segment'} "${value}"${didYouMean(value, known)} — known: ${listNames(known)}`,
            });
        });
      names('channels', Object.keys(shop.channels));
      names(
        'segments',
        shop.segments.map((s) => s.id),
      );
    }
    const items = new Set<string>();
    listOf(guide.checklist).forEach((item, j) => {
      const id = recordOf(item).id;
      if (typeof id !== 'string') return;
      if (items.has(id))
        issues.push({ path: [...at, 'checklist', j, 'id'], message: `checklist item "${id}" is listed twice in this guide` });
      items.add(id);
    });
  });
  return issues;
}
