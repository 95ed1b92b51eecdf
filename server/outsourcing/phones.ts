/**
 * Customers' phone numbers as outsourced staff see them: masked (09******78) unless the person
 * holds an open task for that customer. One walk over any answer body, so every route that
 * carries phones (customers, orders, leads, tasks, complaints, search, notifications) is covered
 * by the same rule, including phones written inside text (a note, a notification's body).
 */
import { normalizePhone } from '../../definitions/rules/phone';

/** Keys whose values are phone numbers (`phone`, `customerPhone`, `phones`…). */
const PHONE_KEY = /phone/i;
/**
 * A phone number written in text: +84 / 84 / 0, then 8–10 more digits with the separators people
 * type. Not glued to a word or more digits (an id such as `ord_0912345678`, a bank account).
 */
const PHONE_IN_TEXT = /(?<![\w+])(?:\+84|84|0)(?:[\s.-]?\d){8,10}(?![\d])/g;

/** `0912345678` → `09******78`: the first two and the last two digits stay, so a person can still tell numbers apart. */
export function maskPhone(phone: string): string {
  const digits = normalizePhone(phone) ?? phone.replace(/\D/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return `${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
}

/** Whether a phone is one the person may read in clear. */
function shown(phone: string, visible: ReadonlySet<string>): boolean {
  const normal = normalizePhone(phone);
  return normal !== undefined && visible.has(normal);
}

function maskText(text: string, visible: ReadonlySet<string>): string {
  return text.replace(PHONE_IN_TEXT, (found) => (normalizePhone(found) && !shown(found, visible) ? maskPhone(found) : found));
}

/**
 * A copy of `value` with every customer phone masked but those in `visible` (normalised,
 * `0xxxxxxxxx`): values under phone keys, and phone numbers written inside other text.
 */
export function maskPhonesIn(value: unknown, visible: ReadonlySet<string>, phoneKey = false): unknown {
  if (typeof value === 'string') {
    // Under a phone key: a number in any spelling (even one that is not Vietnamese); words stay words.
    if (phoneKey && value.replace(/\D/g, '').length >= 6) return shown(value, visible) ? value : maskPhone(value);
    return maskText(value, visible);
  }
  if (Array.isArray(value)) return value.map((item) => maskPhonesIn(item, visible, phoneKey));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    // Anything else reaches the client as its JSON: mask that.
    return maskPhonesIn(JSON.parse(JSON.stringify(value)) as unknown, visible, phoneKey);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    out[key] = maskPhonesIn(item, visible, PHONE_KEY.test(key));
  }
  return out;
}
