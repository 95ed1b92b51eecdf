/**
 * Vietnamese phone numbers in the one stored form `0xxxxxxxxx`: accepts +84 / 84 prefixes,
 * spaces, dots, dashes and parentheses. Returns undefined when it is not a Vietnamese number.
 */
export function normalizePhone(raw: string): string | undefined {
  const digits = raw.replace(/[\s.\-()]/g, '');
  let local = digits;
  if (/^\+84\d+$/.test(digits)) local = `0${digits.slice(3)}`;
  else if (/^84\d{9,10}$/.test(digits)) local = `0${digits.slice(2)}`;
  return /^0[1-9]\d{8,9}$/.test(local) ? local : undefined;
}

/** Characters customers put between the digits of a phone number ("0912 345 678", "0912.345.678", "(+84) 912-345-678"). */
const SEPARATOR = /[\s.\-()]/;

/**
 * The first Vietnamese phone number written in a customer's message, in the stored form
 * (`0xxxxxxxxx`), or undefined. Finds it in any common spelling — spaces, dots, dashes,
 * parentheses, `+84`, `84`, `(+84)`, a leading 0 — and reads exactly as many digits as the
 * number has (10 for a mobile, 11 for a landline starting 02), so words or quantities after it
 * ("0912345678 2 hộp") are not taken as part of it. A digit run glued to more digits is not a
 * phone (an order code, a bank account).
 */
export function findPhoneInText(text: string): string | undefined {
  for (let start = 0; start < text.length; start++) {
    const ch = text[start]!;
    if (!/[0-9+(]/.test(ch)) continue;
    if (start > 0 && /[0-9+]/.test(text[start - 1]!)) continue;
    const found = readPhoneAt(text, start);
    if (found) return found;
  }
  return undefined;
}

function readPhoneAt(text: string, start: number): string | undefined {
  let i = start;
  let digits = '';
  let sawPlus = false;
  let separators = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\d/.test(ch)) {
      digits += ch;
      separators = 0;
      i++;
      const local = localForm(digits, sawPlus);
      if (local === null) return undefined;
      if (local && local.length === expectedLength(local)) {
        // Glued to a further digit: a longer number, not a phone.
        if (i < text.length && /\d/.test(text[i]!)) return undefined;
        return normalizePhone(local);
      }
      continue;
    }
    if (ch === '+' && digits === '' && !sawPlus) {
      sawPlus = true;
      i++;
      continue;
    }
    // At most three separators in a row ("0912 - 345 678"); anything else ends the candidate.
    if (SEPARATOR.test(ch) && separators < 3) {
      separators++;
      i++;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** The local form of the digits read so far: '' while still undecided, null when it cannot be a Vietnamese number. */
function localForm(digits: string, sawPlus: boolean): string | null {
  if (digits.startsWith('0')) return digits.length >= 2 && digits[1] === '0' ? null : digits;
  if ('84'.startsWith(digits)) return '';
  if (digits.startsWith('84')) return digits.length === 2 ? '' : digits[2] === '0' ? null : `0${digits.slice(2)}`;
  return sawPlus || digits.length > 0 ? null : '';
}

/** Mobile numbers have 10 digits (0 + 9); landlines, whose area codes start 02, have 11. */
const expectedLength = (local: string) => (local.length >= 2 && local[1] === '2' ? 11 : 10);
