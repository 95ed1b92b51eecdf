/**
 * Which language an answer's words are in: Vietnamese unless the caller prefers English
 * (`Accept-Language: en`, as the console sends when English is chosen in its language menu).
 */
import type { Request } from 'express';
import type { WordsLang } from '../../definitions/rules/field-words';

/** The caller's language from `Accept-Language` (by its q-values); Vietnamese when it names neither. */
export function languageOf(header: string | undefined): WordsLang {
  if (!header) return 'vi';
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.q > 0 && Number.isFinite(x.q))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag === 'vi' || tag.startsWith('vi-')) return 'vi';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'vi';
}

/** The language of this request's answer. */
export const requestLang = (req: Partial<Pick<Request, 'get'>>): WordsLang =>
  // A request object without headers (a handler called directly) is answered in the default language.
  languageOf(typeof req.get === 'function' ? req.get('accept-language') : undefined);
