/**
 * Validation messages a shop clerk reads: each refused value at its machine path, in Vietnamese by
 * default and in English on request, naming the field by its title in the definition.
 */
import type { FormSchema } from '../../../definitions/types';
import { formDataProblems } from '../../../definitions/tasks/forms';
import { fieldProblems, phoneMessage, unknownSkuMessage } from '../../../definitions/rules/field-words';
import { sharedAjv } from '../../../definitions/loading/ajv';
import { languageOf } from '../../../server/http/lang';
import { fieldErrors } from '../../../server/http/validate';

const form = {
  type: 'object',
  required: ['customerName', 'phone', 'items', 'reason'],
  properties: {
    customerName: { type: 'string', title: 'Tên khách hàng', minLength: 1 },
    phone: { type: 'string', title: 'Số điện thoại', pattern: '^(0|\\+84)[0-9]{9,10}$' },
    items: {
      type: 'array',
      title: 'Sản phẩm',
      minItems: 1,
      items: {
        type: 'object',
        required: ['sku', 'qty'],
        properties: { sku: { type: 'string', title: 'Mã SKU', minLength: 1 }, qty: { type: 'integer', minimum: 1, title: 'Số lượng' } },
      },
    },
    reason: {
      type: 'string',
      title: 'Lý do',
      enum: ['not-home', 'refused'],
      'x-shopflow': { titles: { 'not-home': 'Khách vắng nhà', refused: 'Khách từ chối nhận' } },
    },
    expectedDate: { type: 'string', format: 'date', title: 'Ngày dự kiến' },
    reachedCustomer: { type: 'boolean', title: 'Liên lạc được khách' },
  },
} as unknown as FormSchema;

const at = (problems: Array<{ path: Array<string | number>; message: string }>) =>
  Object.fromEntries(problems.map((p) => [p.path.join('.'), p.message]));

describe('field words', () => {
  it('When a phone breaks its pattern, then the clerk reads the Vietnamese phone sentence at the phone field, English on request', () => {
    const data = { customerName: 'Lan', phone: '12345', items: [{ sku: 'A', qty: 1 }], reason: 'refused' };
    expect(formDataProblems(form, data, 'vi')).toEqual([{ path: ['phone'], message: 'Số điện thoại không hợp lệ (ví dụ 0912 345 678)' }]);
    expect(formDataProblems(form, data, 'en')).toEqual([{ path: ['phone'], message: 'Not a valid phone number (e.g. 0912 345 678)' }]);
    expect(phoneMessage('vi')).not.toMatch(/\^|\$|\[0-9\]/);
  });

  it('When required fields are missing, then each is named by its title ("Cần điền …"), never "missing required key"', () => {
    const vi = at(formDataProblems(form, {}, 'vi'));
    expect(vi).toEqual({
      customerName: 'Cần điền «Tên khách hàng»',
      phone: 'Cần điền «Số điện thoại»',
      items: 'Cần điền «Sản phẩm»',
      reason: 'Cần điền «Lý do»',
    });
    expect(at(formDataProblems(form, {}, 'en')).customerName).toBe('Fill in “Tên khách hàng”');
    expect(Object.values(vi).join(' ')).not.toMatch(/missing required key|customerName/);
  });

  it('When a choice, a minimum, a format and a list line are wrong, then each says so in words at its own path', () => {
    const data = {
      customerName: 'Lan',
      phone: '0912345678',
      items: [{ sku: '', qty: 0 }],
      reason: 'lost-it',
      expectedDate: 'mai',
    };
    expect(at(formDataProblems(form, data, 'vi'))).toEqual({
      'items.0.sku': 'Cần điền «Mã SKU»',
      'items.0.qty': '«Số lượng» phải từ 1 trở lên',
      reason: 'Chọn một trong: Khách vắng nhà, Khách từ chối nhận',
      expectedDate: '«Ngày dự kiến» phải là một ngày (ngày/tháng/năm)',
    });
    expect(at(formDataProblems(form, data, 'en'))['items.0.qty']).toBe('“Số lượng” must be at least 1');
  });

  it('When an optional boolean is left out, then the form is valid', () => {
    expect(
      formDataProblems(form, { customerName: 'Lan', phone: '0912345678', items: [{ sku: 'A', qty: 1 }], reason: 'refused' }, 'vi'),
    ).toEqual([]);
  });

  it('When an API body (no titles) is refused, then the field keeps its machine path (lines.0.sku) and the message names it in the shop’s words', () => {
    const body = {
      type: 'object',
      required: ['supplier', 'lines'],
      properties: {
        supplier: { type: 'string', minLength: 1 },
        lines: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['sku', 'qty'],
            properties: { sku: { type: 'string', minLength: 1 }, qty: { type: 'integer', minimum: 1 } },
          },
        },
      },
    };
    const validate = sharedAjv().compile(body);
    expect(validate({ supplier: '', lines: [{ qty: 0 }] })).toBe(false);
    expect(fieldErrors(validate)).toEqual([
      { field: 'supplier', message: 'Cần điền «Nhà cung cấp»' },
      { field: 'lines.0.sku', message: 'Cần điền «Mã hàng»' },
      { field: 'lines.0.qty', message: '«Số lượng» phải từ 1 trở lên' },
    ]);
    expect(fieldErrors(validate, '(body)', 'en')[1]).toEqual({ field: 'lines.0.sku', message: 'Fill in “SKU”' });
    expect(fieldProblems(validate.errors, 'vi').map((p) => p.path)).toEqual([['supplier'], ['lines', 0, 'sku'], ['lines', 0, 'qty']]);
  });

  it('When a SKU is not in the catalogue, then both languages say so with the SKU', () => {
    expect(unknownSkuMessage('kem-x', 'vi')).toContain('«kem-x» không có trong danh mục sản phẩm');
    expect(unknownSkuMessage('kem-x', 'en')).toContain('“kem-x” is not in the product catalogue');
  });

  it('When the caller sends Accept-Language, then English is chosen only when preferred; Vietnamese otherwise', () => {
    expect(languageOf(undefined)).toBe('vi');
    expect(languageOf('en')).toBe('en');
    expect(languageOf('en-US,en;q=0.9')).toBe('en');
    expect(languageOf('vi-VN,vi;q=0.9,en;q=0.8')).toBe('vi');
    expect(languageOf('fr, en;q=0.5')).toBe('en');
    expect(languageOf('vi;q=0.2, en;q=0.8')).toBe('en');
    expect(languageOf('de')).toBe('vi');
  });
});
