/**
 * The widgets a form field names in its definition (`x-shopflow: { widget }`): a product picker
 * over the catalogue (search by name, SKU or barcode — a scanner typing a barcode and Enter adds
 * it; price and stock shown; line totals and the order total), an address picker over Vietnam's
 * provinces and wards after the 2025 reform (province, then ward, street typed), a phone input that
 * takes any common spelling, and money in VND. The server validates what is sent, as always.
 */
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { get, type JsonSchema } from './api';
import type { components } from './api-types.gen';
import { formatVnd, useI18n, type Lang } from './i18n';
import { normalizePhone } from '../../definitions/rules/phone';
import type { FieldErrors, Raw } from './SchemaForm';
import './form-widgets.css';

type Product = components['schemas']['Product'];
type Province = components['schemas']['Province'];
type Ward = components['schemas']['Ward'];

const TEXT = {
  vi: {
    search: 'Tìm sản phẩm (tên, SKU hoặc mã vạch)',
    searchHelp: 'Gõ tên (không dấu cũng được), SKU, hoặc quét mã vạch rồi Enter. Mỗi size, màu là một SKU riêng.',
    searching: 'Đang tìm…',
    noMatch: 'Không có sản phẩm nào khớp.',
    add: 'Thêm',
    inStock: 'còn {n}',
    noStock: 'chưa có tồn kho',
    manual: 'Thêm dòng nhập tay',
    qty: 'Số lượng',
    price: 'Đơn giá',
    lineTotal: 'Thành tiền',
    remove: 'Xóa',
    itemsTotal: 'Tổng tiền hàng',
    noItems: 'Chưa có sản phẩm nào.',
    province: 'Tỉnh/Thành phố',
    ward: 'Phường/Xã',
    street: 'Số nhà, đường',
    chooseProvinceFirst: '— Chọn tỉnh/thành trước —',
    choose: '— Chọn —',
    reform: '34 tỉnh/thành và phường/xã sau sắp xếp 1/7/2025 (không còn cấp huyện).',
    phoneHelp: 'Gõ kiểu nào cũng được: 0912 345 678, 0912.345.678, +84 912 345 678.',
    phoneNormalised: 'Sẽ lưu: {phone}',
    computed: 'Tự tính: {parts}. Có thể sửa.',
    feeRules: 'biểu phí ship của shop theo tỉnh/thành và tổng tiền hàng',
    recompute: 'Tính lại',
    typed: 'Đã sửa tay (tự tính: {value}).',
  },
  en: {
    search: 'Find a product (name, SKU or barcode)',
    searchHelp: 'Type a name (tone marks optional), a SKU, or scan a barcode and press Enter. Each size or colour is its own SKU.',
    searching: 'Searching…',
    noMatch: 'No product matches.',
    add: 'Add',
    inStock: '{n} in stock',
    noStock: 'no stock yet',
    manual: 'Add a line by hand',
    qty: 'Quantity',
    price: 'Unit price',
    lineTotal: 'Line total',
    remove: 'Remove',
    itemsTotal: 'Items total',
    noItems: 'No items yet.',
    province: 'Province/City',
    ward: 'Ward/Commune',
    street: 'House number, street',
    chooseProvinceFirst: '— Choose the province first —',
    choose: '— Choose —',
    reform: "Vietnam's 34 provinces and their wards after the 1 July 2025 reform (no district level).",
    phoneHelp: 'Any spelling: 0912 345 678, 0912.345.678, +84 912 345 678.',
    phoneNormalised: 'Stored as: {phone}',
    computed: 'Computed: {parts}. You can change it.',
    feeRules: "the shop's shipping fee rules by province and items total",
    recompute: 'Recompute',
    typed: 'Typed by hand (computed: {value}).',
  },
} as const;
type Key = keyof (typeof TEXT)['vi'];

function useText() {
  const { lang } = useI18n();
  return (key: Key, vars: Record<string, string | number> = {}) =>
    String(TEXT[lang as Lang][key]).replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

/** A number typed the Vietnamese way (`350.000`, `350 000`) or undefined. */
export function typedNumber(raw: Raw): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'number') return raw;
  const n = Number(String(raw).replace(/[\s.,](?=\d{3}\b)/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

/** Σ qty × price of raw order lines. */
export function linesTotal(rows: Raw): number {
  if (!Array.isArray(rows)) return 0;
  return rows.reduce((sum: number, row: Raw) => {
    const r = (row ?? {}) as Record<string, Raw>;
    return sum + (typedNumber(r.qty) ?? 0) * (typedNumber(r.price) ?? 0);
  }, 0);
}

interface WidgetProps {
  schema: JsonSchema;
  value: Raw;
  onChange: (v: Raw) => void;
  path: string;
  id: string;
  errors: FieldErrors;
  label: string;
  required: boolean;
}

const available = (p: Product) => p.stock.reduce((sum, s) => sum + s.available, 0);

function LineError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="field-error" role="alert">
      {message}
    </p>
  ) : null;
}

/** The product picker: search the catalogue, add lines, change quantities and prices, see the totals. */
export function ProductPicker({ schema, value, onChange, path, id, errors, label, required }: WidgetProps) {
  const x = useText();
  const { lang } = useI18n();
  const rows = (Array.isArray(value) ? value : []) as Array<Record<string, Raw>>;
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Product[] | undefined>();
  const [busy, setBusy] = useState(false);
  const asked = useRef(0);
  const lineProps = schema.items?.properties ?? {};
  const error = errors[path];

  useEffect(() => {
    const text = q.trim();
    if (!text) return setFound(undefined);
    const seq = ++asked.current;
    setBusy(true);
    const timer = setTimeout(() => {
      get<{ products: Product[] }>(`/products?active=true&limit=10&q=${encodeURIComponent(text)}`)
        .then((res) => seq === asked.current && setFound(res.products))
        .catch(() => seq === asked.current && setFound([]))
        .finally(() => seq === asked.current && setBusy(false));
    }, 200);
    return () => clearTimeout(timer);
  }, [q]);

  const add = (p: Product) => {
    const at = rows.findIndex((r) => r.sku === p.sku);
    if (at >= 0) onChange(rows.map((r, i) => (i === at ? { ...r, qty: String((typedNumber(r.qty) ?? 0) + 1) } : r)));
    else
      onChange([
        ...rows,
        {
          sku: p.sku,
          ...('name' in lineProps ? { name: p.name } : {}),
          qty: '1',
          ...('price' in lineProps ? { price: String(p.price) } : {}),
        },
      ]);
    setQ('');
    setFound(undefined);
  };
  const set = (i: number, key: string, v: Raw) => onChange(rows.map((r, j) => (j === i ? { ...r, [key]: v } : r)));
  const total = linesTotal(rows);

  return (
    <fieldset
      className={error ? 'nested product-picker invalid' : 'nested product-picker'}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>
        {label}
        {required && (
          <span className="req" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </legend>
      <LineError id={`${id}-error`} message={error} />
      <div className="field">
        <label htmlFor={`${id}-search`}>{x('search')}</label>
        <input
          id={`${id}-search`}
          type="search"
          autoComplete="off"
          value={q}
          aria-describedby={`${id}-search-help`}
          aria-controls={`${id}-results`}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            // A scanner types the barcode and Enter: one match is added at once, never the form sent.
            if (e.key === 'Enter') {
              e.preventDefault();
              if (found?.length === 1) add(found[0]!);
            }
          }}
        />
        <p id={`${id}-search-help`} className="muted small">
          {x('searchHelp')}
        </p>
      </div>
      <div id={`${id}-results`} aria-live="polite">
        {busy && !found && <p className="muted small">{x('searching')}</p>}
        {found && found.length === 0 && <p className="muted small">{x('noMatch')}</p>}
        {found && found.length > 0 && (
          <ul className="product-results">
            {found.map((p) => (
              <li key={p.sku}>
                <button
                  type="button"
                  className="secondary product-result"
                  onClick={() => add(p)}
                  aria-label={`${x('add')} ${p.name} (${p.sku})`}
                >
                  <span className="product-name">{p.name}</span>
                  <span className="muted small">
                    {p.sku}
                    {p.barcode ? ` · ${p.barcode}` : ''} · {formatVnd(p.price, lang)} ·{' '}
                    {p.stock.length ? x('inStock', { n: available(p) }) : x('noStock')}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      {rows.length === 0 ? (
        <p className="muted small">{x('noItems')}</p>
      ) : (
        <ul className="order-lines">
          {rows.map((row, i) => {
            const rowPath = `${path}.${i}`;
            const lineTotal = (typedNumber(row.qty) ?? 0) * (typedNumber(row.price) ?? 0);
            const fieldId = (key: string) => `${id}-${i}-${key}`;
            const input = (key: string, title: string, numeric: boolean) => {
              const message = errors[`${rowPath}.${key}`];
              return (
                <div className={message ? 'field invalid' : 'field'} key={key}>
                  <label htmlFor={fieldId(key)}>
                    {title} #{i + 1}
                  </label>
                  <input
                    id={fieldId(key)}
                    type="text"
                    inputMode={numeric ? 'numeric' : undefined}
                    value={row[key] === undefined ? '' : String(row[key])}
                    aria-invalid={message ? true : undefined}
                    aria-describedby={message ? `${fieldId(key)}-error` : undefined}
                    onChange={(e) => set(i, key, e.target.value)}
                  />
                  <LineError id={`${fieldId(key)}-error`} message={message} />
                </div>
              );
            };
            return (
              <li key={i} className="order-line" data-sku={String(row.sku ?? '')}>
                <LineError id={`${id}-${i}-error`} message={errors[rowPath]} />
                <div className="line-fields">
                  {'sku' in lineProps && input('sku', lineProps.sku?.title ?? 'SKU', false)}
                  {'name' in lineProps && input('name', lineProps.name?.title ?? 'Tên', false)}
                  {'qty' in lineProps && input('qty', lineProps.qty?.title ?? x('qty'), true)}
                  {'price' in lineProps && input('price', lineProps.price?.title ?? x('price'), true)}
                </div>
                <div className="line-foot">
                  {'price' in lineProps && (
                    <span>
                      {x('lineTotal')}: <output data-testid={`line-total-${i}`}>{formatVnd(lineTotal, lang)}</output>
                    </span>
                  )}
                  <button type="button" className="secondary small" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                    {x('remove')} #{i + 1}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <div className="picker-foot">
        <button type="button" className="secondary small" onClick={() => onChange([...rows, {}])}>
          {x('manual')}
        </button>
        {'price' in lineProps && (
          <p className="items-total">
            {x('itemsTotal')}: <output data-testid="items-total">{formatVnd(total, lang)}</output>
          </p>
        )}
      </div>
    </fieldset>
  );
}

// Reference data: read once per page load.
let provincesLoad: Promise<Province[]> | undefined;
const wardsLoad = new Map<string, Promise<Ward[]>>();
const loadProvinces = () =>
  (provincesLoad ??= get<{ provinces: Province[] }>('/places/provinces').then(
    (r) => r.provinces,
    (err: unknown) => {
      provincesLoad = undefined;
      throw err;
    },
  ));
function loadWards(code: string): Promise<Ward[]> {
  let load = wardsLoad.get(code);
  if (!load) {
    load = get<{ wards: Ward[] }>(`/places/provinces/${encodeURIComponent(code)}/wards`).then((r) => r.wards);
    load.catch(() => wardsLoad.delete(code));
    wardsLoad.set(code, load);
  }
  return load;
}

/** The address picker: province, then its ward (after the 2025 reform, no district), street typed. */
export function AddressPicker({ schema, value, onChange, path, id, errors, label, required }: WidgetProps) {
  const x = useText();
  const v = (value ?? {}) as Record<string, Raw>;
  const [provinces, setProvinces] = useState<Province[]>([]);
  const [wards, setWards] = useState<Ward[]>([]);
  const props = schema.properties ?? {};
  const province = provinces.find((p) => p.name === v.province || p.fullName === v.province);
  useEffect(() => {
    loadProvinces().then(setProvinces, () => setProvinces([]));
  }, []);
  const provinceCode = province?.code;
  useEffect(() => {
    if (!provinceCode) return setWards([]);
    loadWards(provinceCode).then(setWards, () => setWards([]));
  }, [provinceCode]);
  const set = (key: string, next: Raw) => onChange({ ...v, [key]: next });
  const error = errors[path];
  const part = (key: string, title: string, control: (common: Record<string, unknown>) => ReactElement) => {
    if (!(key in props)) return null;
    const message = errors[`${path}.${key}`];
    const fieldId = `${id}-${key}`;
    const common = {
      id: fieldId,
      'aria-invalid': message ? true : undefined,
      'aria-describedby': message ? `${fieldId}-error` : undefined,
      'aria-required': (schema.required ?? []).includes(key) || undefined,
    };
    return (
      <div className={message ? 'field invalid' : 'field'}>
        <label htmlFor={fieldId}>{props[key]?.title ?? title}</label>
        {control(common)}
        <LineError id={`${fieldId}-error`} message={message} />
      </div>
    );
  };
  const current = (list: Array<{ name: string }>, name: Raw) =>
    typeof name === 'string' && name && !list.some((o) => o.name === name) ? <option value={name}>{name}</option> : null;
  return (
    <fieldset className={error ? 'nested address-picker invalid' : 'nested address-picker'} aria-describedby={`${id}-reform`}>
      <legend>
        {label}
        {required && (
          <span className="req" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </legend>
      <p id={`${id}-reform`} className="muted small">
        {x('reform')}
      </p>
      <LineError id={`${id}-error`} message={error} />
      {part('province', x('province'), (common) => (
        // Choosing another province clears the ward: wards belong to one province.
        <select {...common} value={String(v.province ?? '')} onChange={(e) => onChange({ ...v, province: e.target.value, ward: '' })}>
          <option value="">{x('choose')}</option>
          {current(provinces, v.province)}
          {provinces.map((p) => (
            <option key={p.code} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
      ))}
      {part('ward', x('ward'), (common) => (
        <select {...common} value={String(v.ward ?? '')} disabled={!province && !v.ward} onChange={(e) => set('ward', e.target.value)}>
          <option value="">{province ? x('choose') : x('chooseProvinceFirst')}</option>
          {current(wards, v.ward)}
          {wards.map((w) => (
            <option key={w.code} value={w.name}>
              {w.name}
            </option>
          ))}
        </select>
      ))}
      {part('street', x('street'), (common) => (
        <input
          {...common}
          type="text"
          autoComplete="street-address"
          value={String(v.street ?? '')}
          onChange={(e) => set('street', e.target.value)}
        />
      ))}
    </fieldset>
  );
}

/** Under a phone input: how it will be stored, when the spelling is one the server normalises. */
export function PhoneHint({ value, id }: { value: Raw; id: string }) {
  const x = useText();
  const typed = typeof value === 'string' ? value.trim() : '';
  const stored = typed ? normalizePhone(typed) : undefined;
  return (
    <p id={id} className="muted small">
      {stored && stored !== typed ? x('phoneNormalised', { phone: stored }) : x('phoneHelp')}
    </p>
  );
}

/** Under a money input: the amount in VND, and for a sum what it adds up (with "recompute" once typed over). */
export function MoneyHint({
  value,
  id,
  computed,
  parts,
  onRecompute,
}: {
  value: Raw;
  id: string;
  computed?: number;
  parts?: string[];
  onRecompute: () => void;
}) {
  const x = useText();
  const { lang } = useI18n();
  const typed = typedNumber(value);
  // Always there (maybe empty): the input's aria-describedby names it.
  if (computed === undefined)
    return (
      <p id={id} className="muted small">
        {typed === undefined ? '' : `= ${formatVnd(typed, lang)}`}
      </p>
    );
  if (value === undefined)
    return (
      <p id={id} className="muted small">
        {x('computed', {
          // A part taken off (`-prepaid` in a sum) reads "− …"; a fee field names the shop's rules.
          parts: (parts ?? [])
            .map((p) => (p === 'feeRules' ? x('feeRules') : p))
            .map((p, i) => (i === 0 ? p : p.startsWith('−') ? ` ${p}` : ` + ${p}`))
            .join(''),
        })}
      </p>
    );
  return (
    <p id={id} className="muted small">
      {typed !== undefined ? `= ${formatVnd(typed, lang)}. ` : ''}
      {typed !== computed && x('typed', { value: formatVnd(computed, lang) })}{' '}
      {typed !== computed && (
        <button type="button" className="secondary small" onClick={onRecompute}>
          {x('recompute')}
        </button>
      )}
    </p>
  );
}
