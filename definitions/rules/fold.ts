/**
 * Vietnamese text as people type it into a search box: lower case, without tone marks, đ as d
 * ("Áo thun Đỏ" → "ao thun do"). One rule for the catalogue search (in SQL, by translate()) and
 * the places lookup (in JavaScript), so both find the same things.
 */

/** Lower case, without tone marks and with đ as d, spaces collapsed. */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const LETTERS = 'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ';
/**
 * The same folding as PostgreSQL `translate(text, FOLD_FROM, FOLD_TO)` arguments (one character
 * for one): works whatever the database's locale, without the unaccent extension.
 */
export const FOLD_FROM = `${LETTERS}${LETTERS.toUpperCase()}ABCDEFGHIJKLMNOPQRSTUVWXYZ`;
export const FOLD_TO = [...FOLD_FROM].map((c) => foldVietnamese(c)).join('');
