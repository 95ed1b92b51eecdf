/**
 * What a shop clerk reads when a value they typed is refused: one sentence per field, in
 * Vietnamese (English on request), naming the field by its title in the definition. The one place
 * Ajv's errors (API bodies, query parameters, task forms) and the catalogue's SKU check become
 * words; the machine path stays beside the sentence, so the console shows it at its field.
 * Pure: the server (server/http/validate.ts, the task API) and unit tests use it.
 */
import type { ErrorObject } from 'ajv';

/** The languages the API answers in: Vietnamese by default, English when the caller asks. */
export type WordsLang = 'vi' | 'en';

/** A step into the data: a key or a list index. */
export type FieldPathSegment = string | number;

/** One refused value: where it is (machine path) and what a clerk reads about it. */
export interface FieldProblem {
  path: FieldPathSegment[];
  message: string;
}

/** The phone sentence, the same for a pattern, a widget or a lead's phone the server normalises. */
export function phoneMessage(lang: WordsLang): string {
  return lang === 'en' ? 'Not a valid phone number (e.g. 0912 345 678)' : 'Số điện thoại không hợp lệ (ví dụ 0912 345 678)';
}

/** A SKU the shop's catalogue does not list. */
export function unknownSkuMessage(sku: string, lang: WordsLang): string {
  return lang === 'en'
    ? `SKU “${sku}” is not in the product catalogue (SKUs are written exactly, e.g. in capitals)`
    : `Mã hàng «${sku}» không có trong danh mục sản phẩm (ghi đúng mã, ví dụ chữ in hoa)`;
}

/** A number beyond what the order's figures can hold. */
export function tooLargeMessage(limit: number, lang: WordsLang): string {
  return lang === 'en' ? `Too large: at most ${formatNumber(limit, lang)}` : `Số quá lớn: tối đa ${formatNumber(limit, lang)}`;
}

/**
 * Names of the API's own fields (bodies have no titles, forms do), by key: what a clerk calls
 * them. A key not listed here is shown as written.
 */
const FIELD_NAMES: Record<string, { vi: string; en: string }> = {
  phone: { vi: 'Số điện thoại', en: 'Phone' },
  name: { vi: 'Tên', en: 'Name' },
  customerName: { vi: 'Tên khách', en: 'Customer name' },
  customer: { vi: 'Khách hàng', en: 'Customer' },
  customerId: { vi: 'Khách hàng', en: 'Customer' },
  email: { vi: 'Email', en: 'Email' },
  address: { vi: 'Địa chỉ', en: 'Address' },
  street: { vi: 'Số nhà, đường', en: 'Street' },
  ward: { vi: 'Phường/xã', en: 'Ward' },
  district: { vi: 'Quận/huyện', en: 'District' },
  province: { vi: 'Tỉnh/thành phố', en: 'Province' },
  sku: { vi: 'Mã hàng', en: 'SKU' },
  qty: { vi: 'Số lượng', en: 'Quantity' },
  price: { vi: 'Đơn giá', en: 'Unit price' },
  unitCost: { vi: 'Giá nhập', en: 'Unit cost' },
  amount: { vi: 'Số tiền', en: 'Amount' },
  codAmount: { vi: 'Tiền thu hộ (COD)', en: 'Cash on delivery (COD)' },
  shippingFee: { vi: 'Phí vận chuyển', en: 'Shipping fee' },
  supplier: { vi: 'Nhà cung cấp', en: 'Supplier' },
  supplierInvoice: { vi: 'Số hóa đơn nhà cung cấp', en: 'Supplier invoice' },
  warehouse: { vi: 'Kho', en: 'Warehouse' },
  lines: { vi: 'Dòng hàng', en: 'Lines' },
  items: { vi: 'Sản phẩm', en: 'Items' },
  note: { vi: 'Ghi chú', en: 'Note' },
  reason: { vi: 'Lý do', en: 'Reason' },
  description: { vi: 'Mô tả', en: 'Description' },
  category: { vi: 'Loại khiếu nại', en: 'Category' },
  outcome: { vi: 'Kết quả', en: 'Outcome' },
  channel: { vi: 'Kênh', en: 'Channel' },
  title: { vi: 'Tiêu đề', en: 'Title' },
  role: { vi: 'Vai trò', en: 'Role' },
  to: { vi: 'Người nhận việc', en: 'Assign to' },
  reference: { vi: 'Mã tham chiếu', en: 'Reference' },
  summary: { vi: 'Tóm tắt', en: 'Summary' },
};

/** Hints for the patterns shopflow's own schemas use, keyed by the pattern. */
const PATTERN_WORDS: Record<string, { vi: string; en: string }> = {
  '^[a-z][a-z0-9]*(-[a-z0-9]+)*$': {
    vi: 'chỉ dùng chữ thường không dấu, số và dấu gạch ngang, bắt đầu bằng chữ (ví dụ sales-lead)',
    en: 'use lowercase letters, digits and dashes, starting with a letter (e.g. sales-lead)',
  },
  '^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$': {
    vi: 'ghi giờ dạng GG:PP-GG:PP, ví dụ 08:00-17:30',
    en: 'write hours as HH:MM-HH:MM, e.g. 08:00-17:30',
  },
  '^[A-Z]{3}$': { vi: 'dùng mã tiền tệ 3 chữ như VND', en: 'use a 3-letter currency code such as VND' },
};

const FORMAT_WORDS: Record<string, { vi: string; en: string }> = {
  date: { vi: 'phải là một ngày (ngày/tháng/năm)', en: 'must be a date (day/month/year)' },
  'date-time': { vi: 'phải là ngày và giờ', en: 'must be a date and time' },
  time: { vi: 'phải là giờ (GG:PP)', en: 'must be a time (HH:MM)' },
  email: { vi: 'không phải địa chỉ email hợp lệ (ví dụ ten@shop.vn)', en: 'is not a valid email address (e.g. name@shop.vn)' },
  uri: { vi: 'không phải đường dẫn hợp lệ (ví dụ https://shop.vn)', en: 'is not a valid link (e.g. https://shop.vn)' },
  url: { vi: 'không phải đường dẫn hợp lệ (ví dụ https://shop.vn)', en: 'is not a valid link (e.g. https://shop.vn)' },
  sku: { vi: 'cần ghi mã hàng', en: 'needs a SKU' },
};

const TYPE_WORDS: Record<string, { vi: string; en: string }> = {
  string: { vi: 'phải là chữ', en: 'must be text' },
  number: { vi: 'phải là số', en: 'must be a number' },
  integer: { vi: 'phải là số nguyên', en: 'must be a whole number' },
  boolean: { vi: 'phải là có hoặc không', en: 'must be yes or no' },
  array: { vi: 'phải là một danh sách', en: 'must be a list' },
  object: { vi: 'phải là một nhóm thông tin', en: 'must be a group of fields' },
};

/**
 * Each Ajv error (from a validator run with `verbose`, so the failing schema is at hand) as a
 * clerk's sentence at its path. `if` errors say nothing of their own and are left out; a field
 * refused twice keeps its first sentence.
 */
export function fieldProblems(errors: readonly ErrorObject[] | null | undefined, lang: WordsLang): FieldProblem[] {
  const out: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    if (error.keyword === 'if') continue;
    // A branch of anyOf/oneOf is reported by the group; propertyNames' inner errors by propertyNames.
    if ((error as ErrorObject & { propertyName?: string }).propertyName !== undefined) continue;
    const problem = fieldProblem(error, lang);
    const key = JSON.stringify(problem.path);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out;
}

/** One Ajv error as a clerk's sentence at its path. */
export function fieldProblem(error: ErrorObject, lang: WordsLang): FieldProblem {
  const at = pointerPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const schema = isRecord(error.parentSchema) ? error.parentSchema : {};
  const en = lang === 'en';
  const name = (key: FieldPathSegment | undefined, node: Record<string, unknown>) => fieldTitle(key, node, lang);
  const own = name(lastKey(at), schema);
  switch (error.keyword) {
    case 'required': {
      const key = String(params.missingProperty);
      const properties = isRecord(schema.properties) ? schema.properties : {};
      const child = isRecord(properties[key]) ? (properties[key] as Record<string, unknown>) : {};
      return { path: [...at, key], message: en ? `Fill in “${name(key, child)}”` : `Cần điền «${name(key, child)}»` };
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      return { path: [...at, key], message: en ? `This form has no field “${key}”` : `Biểu mẫu không có ô «${key}»` };
    }
    case 'pattern':
      if (isPhoneField(at, schema, String(params.pattern))) return { path: at, message: phoneMessage(lang) };
      return {
        path: at,
        message: Object.hasOwn(PATTERN_WORDS, String(params.pattern))
          ? `${quote(own, lang)}: ${PATTERN_WORDS[String(params.pattern)]![lang]}`
          : en
            ? `“${own}” is not written the expected way`
            : `«${own}» chưa đúng cách ghi`,
      };
    case 'format': {
      const format = String(params.format);
      if (format === 'phone' || isPhoneField(at, schema, '')) return { path: at, message: phoneMessage(lang) };
      const words = Object.hasOwn(FORMAT_WORDS, format) ? FORMAT_WORDS[format]![lang] : en ? 'is not valid' : 'không hợp lệ';
      return { path: at, message: `${quote(own, lang)} ${words}` };
    }
    case 'type': {
      const type = String(params.type).split(',')[0]!;
      if (isPhoneField(at, schema, '')) return { path: at, message: phoneMessage(lang) };
      const words = Object.hasOwn(TYPE_WORDS, type) ? TYPE_WORDS[type]![lang] : en ? 'is not valid' : 'không hợp lệ';
      return { path: at, message: `${quote(own, lang)} ${words}` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => choiceTitle(schema, v));
      return { path: at, message: en ? `Choose one of: ${allowed.join(', ')}` : `Chọn một trong: ${allowed.join(', ')}` };
    }
    case 'const':
      return {
        path: at,
        message: en
          ? `“${own}” must be ${choiceTitle(schema, params.allowedValue)}`
          : `«${own}» phải là ${choiceTitle(schema, params.allowedValue)}`,
      };
    case 'minimum':
      return {
        path: at,
        message: en ? `“${own}” must be at least ${num(params.limit, lang)}` : `«${own}» phải từ ${num(params.limit, lang)} trở lên`,
      };
    case 'maximum':
      return {
        path: at,
        message: en ? `“${own}” must be at most ${num(params.limit, lang)}` : `«${own}» không được quá ${num(params.limit, lang)}`,
      };
    case 'exclusiveMinimum':
      return {
        path: at,
        message: en ? `“${own}” must be more than ${num(params.limit, lang)}` : `«${own}» phải lớn hơn ${num(params.limit, lang)}`,
      };
    case 'exclusiveMaximum':
      return {
        path: at,
        message: en ? `“${own}” must be less than ${num(params.limit, lang)}` : `«${own}» phải nhỏ hơn ${num(params.limit, lang)}`,
      };
    case 'multipleOf':
      return {
        path: at,
        message: en
          ? `“${own}” must be a multiple of ${num(params.multipleOf, lang)}`
          : `«${own}» phải là bội số của ${num(params.multipleOf, lang)}`,
      };
    case 'minLength':
      if (Number(params.limit) <= 1) return { path: at, message: en ? `Fill in “${own}”` : `Cần điền «${own}»` };
      return {
        path: at,
        message: en ? `“${own}” needs at least ${params.limit} characters` : `«${own}» cần ít nhất ${params.limit} ký tự`,
      };
    case 'maxLength':
      return { path: at, message: en ? `“${own}” may have at most ${params.limit} characters` : `«${own}» tối đa ${params.limit} ký tự` };
    case 'minItems':
      if (Number(params.limit) <= 1)
        return { path: at, message: en ? `Add at least one line to “${own}”` : `Cần ít nhất một dòng «${own}»` };
      return { path: at, message: en ? `“${own}” needs at least ${params.limit} lines` : `«${own}» cần ít nhất ${params.limit} dòng` };
    case 'maxItems':
      return { path: at, message: en ? `“${own}” may have at most ${params.limit} lines` : `«${own}» tối đa ${params.limit} dòng` };
    case 'minProperties':
      return { path: at, message: en ? `Fill in “${own}”` : `Cần điền «${own}»` };
    case 'uniqueItems':
      return { path: at, message: en ? `“${own}” lists the same thing twice` : `«${own}» có dòng bị trùng` };
    case 'anyOf':
    case 'oneOf':
      return { path: at, message: en ? `“${own}” is not one of the accepted forms` : `«${own}» không đúng dạng cho phép` };
    default:
      return { path: at, message: en ? `“${own}” is not valid` : `«${own}» không hợp lệ` };
  }
}

/** What a clerk calls a field: its title in the definition, else the API's name for its key, else the key. */
export function fieldTitle(key: FieldPathSegment | undefined, schema: Record<string, unknown>, lang: WordsLang): string {
  if (typeof schema.title === 'string' && schema.title.trim()) return schema.title;
  if (typeof key === 'string' && Object.hasOwn(FIELD_NAMES, key)) return FIELD_NAMES[key]![lang];
  if (key === undefined) return lang === 'en' ? 'This value' : 'Giá trị này';
  return String(key);
}

/** A choice as staff read it: its title (`x-shopflow.titles`) when the definition gives one. */
function choiceTitle(schema: Record<string, unknown>, value: unknown): string {
  const shopflow = isRecord(schema['x-shopflow']) ? schema['x-shopflow'] : {};
  const titles = isRecord(shopflow.titles) ? shopflow.titles : {};
  const key = String(value);
  return Object.hasOwn(titles, key) && typeof titles[key] === 'string' ? (titles[key] as string) : key;
}

/** A phone field: a pattern for Vietnamese numbers, the phone widget, or a key that says so. */
function isPhoneField(at: FieldPathSegment[], schema: Record<string, unknown>, pattern: string): boolean {
  if (pattern.includes('+84')) return true;
  const shopflow = isRecord(schema['x-shopflow']) ? schema['x-shopflow'] : {};
  if (shopflow.widget === 'phone') return true;
  const key = lastKey(at);
  return typeof key === 'string' && /phone$/i.test(key);
}

/** JSON Pointer (`/lines/0/sku`) to segments; list indexes become numbers. */
function pointerPath(pointer: string): FieldPathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment));
}

/** The last key of a path, skipping list indexes (`lines.0` is about `lines`). */
function lastKey(path: FieldPathSegment[]): FieldPathSegment | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i];
  return undefined;
}

const quote = (title: string, lang: WordsLang) => (lang === 'en' ? `“${title}”` : `«${title}»`);
const num = (n: unknown, lang: WordsLang) => (typeof n === 'number' ? formatNumber(n, lang) : String(n));
function formatNumber(n: number, lang: WordsLang): string {
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'vi-VN').format(n);
}
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
