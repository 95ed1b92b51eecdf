import { findPhoneInText } from '../../../definitions/rules/phone';

describe('a phone number written in a customer message', () => {
  test.each([
    ['sdt của mình 0912345678 nhé', '0912345678'],
    ['0912 345 678', '0912345678'],
    ['số em là 0912.345.678 ạ', '0912345678'],
    ['gọi 0912-345-678 giúp em', '0912345678'],
    ['zalo: +84912345678', '0912345678'],
    ['+84 912 345 678', '0912345678'],
    ['(+84) 912-345-678', '0912345678'],
    ['84912345678 nha shop', '0912345678'],
    ['84 912 345 678', '0912345678'],
    ['số bàn 028 3812 3456', '02838123456'],
    ['Lấy 2 hộp, sđt 0987654321, giao giờ hành chính', '0987654321'],
    ['0912345678 2 cái size M', '0912345678'], // a quantity after the number is not part of it
    ['sdt:0383 456 789', '0383456789'],
    ['0912 - 345 - 678', '0912345678'],
  ])('When a customer writes "%s", then %s is picked up', (text, phone) => {
    expect(findPhoneInText(text)).toBe(phone);
  });

  test.each([
    ['cho mình hỏi giá áo'],
    ['mã đơn 123456789012'], // too many digits and no Vietnamese prefix
    ['stk 0912345678999'], // glued to more digits: a bank account, not a phone
    ['giá 350.000đ, 2 cái'],
    ['0012345678'],
    ['091234567'], // one digit short
    ['+1 650 555 0100'],
    [''],
  ])('When a customer writes "%s", then no phone is picked up', (text) => {
    expect(findPhoneInText(text)).toBeUndefined();
  });

  test('When a message has two numbers, then the first Vietnamese one is taken', () => {
    expect(findPhoneInText('mã 12345, số 0912345678 hoặc 0987654321')).toBe('0912345678');
  });
});
