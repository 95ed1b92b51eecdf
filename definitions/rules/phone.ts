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
