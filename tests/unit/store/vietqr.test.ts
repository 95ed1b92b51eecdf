import { crc16CcittFalse, transferPurpose, vietQrPayload } from '../../../definitions/store/vietqr';

describe('VietQR payload (EMVCo, NAPAS 247)', () => {
  it('When the CRC is computed, then it is CRC-16/CCITT-FALSE (the check value of "123456789" is 29B1)', () => {
    expect(crc16CcittFalse('123456789')).toBe('29B1');
  });

  it('When a published VietQR code is checked, then its CRC matches (120 000 ₫ to VietinBank 0011001932418)', () => {
    // A code from a public VietQR generator (subiz/vietqr README), scanned by Vietnamese bank apps.
    const known =
      '00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN62170813ung ho lu lut6304C15C';
    expect(crc16CcittFalse(known.slice(0, -4))).toBe('C15C');
    expect(vietQrPayload({ bin: '970415', account: '0011001932418', amount: 120000, purpose: 'ủng hộ lũ lụt' })).toBe(known);
  });

  it('When there is no amount, then the code is static (11) and has no amount field', () => {
    const payload = vietQrPayload({ bin: '970436', account: '0011001234567' });
    expect(payload).toMatch(/^00020101021138/);
    expect(payload).not.toContain('5406');
    expect(payload.slice(-4)).toBe(crc16CcittFalse(payload.slice(0, -4)));
  });

  it('When the purpose has diacritics or symbols, then it is reduced to 25 ASCII characters', () => {
    expect(transferPurpose('Thanh toán HD-2026-000123 — cửa hàng Đà Nẵng')).toBe('Thanh toan HD 2026 000123');
  });

  it('When the BIN or account is malformed, then it is refused', () => {
    expect(() => vietQrPayload({ bin: '97043', account: '1' })).toThrow(RangeError);
    expect(() => vietQrPayload({ bin: '970436', account: 'có dấu' })).toThrow(RangeError);
  });
});
