/**
 * VietQR (NAPAS 247) transfer codes: the EMVCo merchant-presented QR payload a Vietnamese banking
 * app reads to pre-fill a transfer — the receiving bank (its BIN), the account, the amount and a
 * purpose — closed by a CRC-16/CCITT-FALSE. Pure: the API, the receipt and the console use it.
 */

/** One EMVCo data object: id, two-digit length, value. */
function tlv(id: string, value: string): string {
  if (value.length > 99) throw new RangeError(`VietQR field ${id} is longer than 99 characters`);
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor) as 4 upper-case hex digits. */
export function crc16CcittFalse(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * A purpose banks accept: ASCII letters, digits and spaces only (diacritics dropped, đ → d),
 * at most 25 characters (the additional-data field's limit in the VietQR spec).
 */
export function transferPurpose(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 25)
    .trim();
}

export interface VietQrInput {
  /** The receiving bank's 6-digit NAPAS BIN (acquirer id), e.g. 970436 Vietcombank. */
  bin: string;
  /** The receiving account number. */
  account: string;
  /** VND; a positive whole number makes a dynamic code with the amount filled in. */
  amount?: number;
  /** What the transfer is for (the sale's number); reduced by {@link transferPurpose}. */
  purpose?: string;
}

/**
 * The payload: 00 format "01"; 01 "12" with an amount (dynamic) or "11" without (static);
 * 38 merchant account (00 GUID A000000727, 01 beneficiary: 00 BIN + 01 account, 02 service
 * QRIBFTTA = transfer to an account); 53 currency 704 (VND); 54 amount; 58 country VN;
 * 62 additional data (08 purpose); 63 the CRC over everything before it, "6304" included.
 */
export function vietQrPayload(input: VietQrInput): string {
  if (!/^\d{6}$/.test(input.bin)) throw new RangeError('a VietQR bank BIN is 6 digits');
  if (!/^[0-9A-Za-z]{1,19}$/.test(input.account)) throw new RangeError('a VietQR account is 1–19 letters or digits');
  const amount = input.amount !== undefined && input.amount > 0 ? Math.round(input.amount) : undefined;
  const purpose = input.purpose ? transferPurpose(input.purpose) : '';
  const body =
    tlv('00', '01') +
    tlv('01', amount !== undefined ? '12' : '11') +
    tlv('38', tlv('00', 'A000000727') + tlv('01', tlv('00', input.bin) + tlv('01', input.account)) + tlv('02', 'QRIBFTTA')) +
    tlv('53', '704') +
    (amount !== undefined ? tlv('54', String(amount)) : '') +
    tlv('58', 'VN') +
    (purpose ? tlv('62', tlv('08', purpose)) : '') +
    '6304';
  return body + crc16CcittFalse(body);
}
