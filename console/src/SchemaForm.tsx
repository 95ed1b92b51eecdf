/**
 * A form generated from a stage's form JSON Schema (objects, arrays of objects, strings, enums,
 * numbers, booleans), with the API's field errors shown beside their fields. Values are kept
 * as typed in and converted by `formData` when submitted: the server's validation is the one
 * that counts, so nothing is silently dropped or coerced here beyond what the server does too (a
 * phone's spelling). Fields whose definition names a widget (`x-shopflow`, see FormWidgets.tsx)
 * are drawn by it: the product picker, the address picker, phone and money inputs.
 */
import type { ReactNode } from 'react';
import { useI18n } from './i18n';
import type { JsonSchema } from './api';
import { AddressPicker, linesTotal, MoneyHint, PhoneHint, ProductPicker, typedNumber } from './FormWidgets';
import { FormSections, sectionsOf } from './FormSections';
import { normalizePhone } from '../../definitions/rules/phone';
import { shippingFeeFor, type ShippingFeeRules } from '../../definitions/rules/shipping-fee';

export type Raw = unknown;
/** Field path (`items.0.qty`) → message. `''` is the form as a whole. */
export type FieldErrors = Record<string, string>;

/** `data.items[0].qty` (API) → `items.0.qty` (form path): field-errors.ts places the API's errors. */
export { formPath } from './field-errors';

const typeOf = (schema: JsonSchema): string =>
  Array.isArray(schema.type)
    ? (schema.type.find((x) => x !== 'null') ?? 'string')
    : (schema.type ?? (schema.properties ? 'object' : 'string'));

/**
 * The value to send for what was typed: numbers parsed, empty optional fields left out. A
 * checkbox left unticked is `false` when the form requires the field (a required boolean asks
 * "yes or no?", and no is an answer), left out when it is optional. A money field that adds up
 * its siblings (`x-shopflow.sum`) and was not typed over sends the sum.
 */
export function formData(schema: JsonSchema, raw: Raw, required = false, fees?: ShippingFeeRules | null): unknown {
  const type = typeOf(schema);
  if (schema.enum) {
    if (raw === '' || raw === undefined) return undefined;
    return schema.enum[Number(raw)];
  }
  if (type === 'object') {
    const out: Record<string, unknown> = {};
    const values = (raw ?? {}) as Record<string, Raw>;
    const requiredKeys = schema.required ?? [];
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      // A field shown only with a checkbox ticked (`x-shopflow.when`) is not sent while it is hidden.
      if (!shown(schema, key, values)) continue;
      const value = formData(child, values[key], requiredKeys.includes(key));
      if (value !== undefined) out[key] = value;
    }
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      if (values[key] !== undefined && values[key] !== '') continue;
      const computed = child['x-shopflow']?.fee
        ? computedFee(schema, key, values, fees)
        : child['x-shopflow']?.sum
          ? computedSum(schema, key, values, fees)
          : undefined;
      if (computed !== undefined) out[key] = computed;
    }
    return out;
  }
  if (type === 'array') {
    const rows = (raw as Raw[] | undefined) ?? [];
    return rows.length ? rows.map((row) => formData(schema.items ?? {}, row) ?? null) : undefined;
  }
  if (type === 'integer' || type === 'number') {
    if (raw === '' || raw === undefined) return undefined;
    const n = Number(String(raw).replace(/[\s.,](?=\d{3}\b)/g, ''));
    return Number.isFinite(n) ? n : raw; // the server names the field if it is not a number
  }
  if (type === 'boolean') return raw === undefined ? (required ? false : undefined) : Boolean(raw);
  // A phone in any spelling goes as 0xxxxxxxxx (the server does the same; a non-number is sent as typed, for it to name).
  if (schema['x-shopflow']?.widget === 'phone' && typeof raw === 'string' && raw.trim()) return normalizePhone(raw) ?? raw;
  return raw === '' || raw === undefined ? undefined : raw;
}

/**
 * What a field adding up its siblings (`x-shopflow: { sum: [items, shippingFee] }`) comes to for
 * the values typed: numbers as typed, a list of lines as Σ qty × price. Undefined when the field
 * sums nothing or nothing it sums has a value yet.
 */
export function computedSum(
  schema: JsonSchema,
  key: string,
  values: Record<string, Raw>,
  fees?: ShippingFeeRules | null,
): number | undefined {
  const names = schema.properties?.[key]?.['x-shopflow']?.sum;
  if (!names?.length) return undefined;
  let total = 0;
  let any = false;
  for (const entry of names) {
    // `-prepaid`: taken off (COD = items + fee − what the customer paid ahead).
    const sign = entry.startsWith('-') ? -1 : 1;
    const name = entry.replace(/^-/, '');
    const sibling = schema.properties?.[name];
    if (!sibling) continue;
    const value = values[name];
    if (typeOf(sibling) === 'array') {
      if (Array.isArray(value) && value.length) any = true;
      total += sign * linesTotal(value);
    } else {
      const typed = typedNumber(value);
      const n =
        typed ??
        (sibling['x-shopflow']?.fee ? computedFee(schema, name, values, fees) : undefined) ??
        (typeof sibling.default === 'number' ? sibling.default : undefined);
      if (n !== undefined) {
        if (sign > 0) any = true;
        total += sign * n;
      }
    }
  }
  return any ? Math.max(0, total) : undefined;
}

/**
 * A shipping fee field (`x-shopflow: { fee: { address, total } }`) as the shop's rules
 * (shop.yaml `shippingFee`) put it for the address's province and the items' total.
 */
export function computedFee(
  schema: JsonSchema,
  key: string,
  values: Record<string, Raw>,
  fees: ShippingFeeRules | null | undefined,
): number | undefined {
  const fee = schema.properties?.[key]?.['x-shopflow']?.fee;
  if (!fee || !fees) return undefined;
  const address = values[fee.address] as { province?: unknown } | undefined;
  const province = typeof address?.province === 'string' ? address.province : undefined;
  const lines = values[fee.total];
  const total = Array.isArray(lines) ? (lines.length ? linesTotal(lines) : undefined) : typedNumber(lines);
  return shippingFeeFor(fees, province, total);
}

/** Whether a field is shown: always, unless it waits for a checkbox beside it (`x-shopflow.when`). */
function shown(schema: JsonSchema, key: string, values: Record<string, Raw>): boolean {
  const when = schema.properties?.[key]?.['x-shopflow']?.when;
  return !when || values[when] === true;
}

/**
 * Data (a task's prefill from the server) as the form keeps it while typing: the inverse of
 * `formData` — numbers as text, enum values as their option index, objects and lists alike.
 */
export function toRaw(schema: JsonSchema, data: unknown): Raw {
  if (data === undefined || data === null) return undefined;
  if (schema.enum) {
    const i = schema.enum.findIndex((option) => JSON.stringify(option) === JSON.stringify(data));
    return i >= 0 ? String(i) : undefined;
  }
  const type = typeOf(schema);
  if (type === 'object') {
    if (typeof data !== 'object' || Array.isArray(data)) return undefined;
    const out: Record<string, Raw> = {};
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      const value = toRaw(child, (data as Record<string, unknown>)[key]);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  if (type === 'array') return Array.isArray(data) ? data.map((row) => toRaw(schema.items ?? {}, row)) : undefined;
  if (type === 'integer' || type === 'number') return typeof data === 'number' ? String(data) : undefined;
  if (type === 'boolean') return typeof data === 'boolean' ? data : undefined;
  return typeof data === 'string' ? data : undefined;
}

/**
 * Required fields first, in the order the YAML lists them under `required` (the stored schema
 * is JSONB, which does not keep the order of object keys), then the optional ones.
 */
function orderedProperties(schema: JsonSchema): Array<[string, JsonSchema]> {
  const properties = schema.properties ?? {};
  const required = (schema.required ?? []).filter((k) => k in properties);
  const order = [...required, ...Object.keys(properties).filter((k) => !required.includes(k))];
  // A sum (COD = items + shipping fee) comes right after the last field it adds up.
  for (const key of [...order]) {
    const parts = (properties[key]?.['x-shopflow']?.sum ?? []).filter((p) => p in properties);
    if (!parts.length) continue;
    order.splice(order.indexOf(key), 1);
    order.splice(Math.max(...parts.map((p) => order.indexOf(p))) + 1, 0, key);
  }
  return order.map((k) => [k, properties[k]!]);
}

const humanize = (key: string) =>
  key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[-_]/g, ' ')
    .replace(/^./, (c) => c.toUpperCase());

interface FieldProps {
  schema: JsonSchema;
  value: Raw;
  onChange: (v: Raw) => void;
  path: string;
  idPrefix: string;
  errors: FieldErrors;
  label: string;
  required: boolean;
  /** For a field that adds up its siblings: what they come to now, and their titles. */
  computed?: number;
  computedFrom?: string[];
  fees?: ShippingFeeRules | null;
}

export function SchemaForm({
  schema,
  value,
  onChange,
  errors,
  idPrefix,
  shippingFee,
}: {
  schema: JsonSchema;
  value: Raw;
  onChange: (v: Raw) => void;
  errors: FieldErrors;
  idPrefix: string;
  /** The shop's shipping fee rules, for a fee field (`x-shopflow.fee`); GET /tasks/{id} `shippingFee`. */
  shippingFee?: ShippingFeeRules | null;
}) {
  if (Object.keys(schema.properties ?? {}).length === 0) return null;
  const fields = (only?: string[]) => (
    <ObjectFields
      schema={schema}
      value={value}
      onChange={onChange}
      path=""
      idPrefix={idPrefix}
      errors={errors}
      fees={shippingFee}
      only={only}
    />
  );
  // A long form (groups such as the items and the address among other fields) comes in sections.
  const values = (value ?? {}) as Record<string, Raw>;
  const sections = sectionsOf(schema, orderedProperties(schema), (key) => schema.properties?.[key]?.title ?? humanize(key)).filter((s) =>
    s.keys.some((key) => shown(schema, key, values)),
  );
  if (!sections.length) return fields();
  return (
    <FormSections key={idPrefix} schema={schema} sections={sections} value={value} errors={errors} idPrefix={idPrefix} render={fields} />
  );
}

function ObjectFields({
  schema,
  value,
  onChange,
  path,
  idPrefix,
  errors,
  fees,
  only,
}: Omit<FieldProps, 'label' | 'required'> & { only?: string[] }) {
  const values = (value ?? {}) as Record<string, Raw>;
  return (
    <>
      {orderedProperties(schema).map(([key, child]) => {
        if (only && !only.includes(key)) return null;
        const childPath = path ? `${path}.${key}` : key;
        // Shown (and then required) only when its checkbox is ticked, e.g. the new address under "Khách đổi địa chỉ".
        if (!shown(schema, key, values)) return null;
        const fee = child['x-shopflow']?.fee ? computedFee(schema, key, values, fees) : undefined;
        return (
          <Field
            key={key}
            schema={child}
            value={values[key]}
            path={childPath}
            idPrefix={idPrefix}
            errors={errors}
            label={child.title ?? humanize(key)}
            required={(schema.required ?? []).includes(key) || Boolean(child['x-shopflow']?.when)}
            computed={fee ?? computedSum(schema, key, values, fees)}
            computedFrom={
              fee !== undefined
                ? ['feeRules']
                : (child['x-shopflow']?.sum ?? []).map((entry) => {
                    const p = entry.replace(/^-/, '');
                    const title = schema.properties?.[p]?.title ?? humanize(p);
                    return entry.startsWith('-') ? `− ${title}` : title;
                  })
            }
            onChange={(v) => onChange({ ...values, [key]: v })}
          />
        );
      })}
    </>
  );
}

function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {message}
    </p>
  );
}

function Field(props: FieldProps) {
  const { t } = useI18n();
  const { schema, value, onChange, path, idPrefix, errors, label, required, computed, computedFrom } = props;
  const id = `${idPrefix}-${path.replace(/\./g, '-')}`;
  const errorId = `${id}-error`;
  const error = errors[path];
  const type = typeOf(schema);
  const widget = schema['x-shopflow']?.widget;
  // A checkbox always answers (unticked is no): it is never marked as one that must be filled in.
  const mark =
    required && type !== 'boolean' ? (
      <span className="req" aria-hidden="true">
        {' '}
        *
      </span>
    ) : null;
  const hinted = widget === 'phone' || widget === 'money' || computed !== undefined;
  const describedBy =
    [schema.description ? `${id}-help` : '', hinted ? `${id}-hint` : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const help = schema.description ? (
    <p id={`${id}-help`} className="muted small">
      {schema.description}
    </p>
  ) : null;

  const widgetProps = { schema, value, onChange, path, id, errors, label, required };
  if (widget === 'product-picker' && type === 'array') return <ProductPicker {...widgetProps} />;
  if (widget === 'address' && type === 'object') return <AddressPicker {...widgetProps} />;
  if (type === 'object') {
    return (
      <fieldset className={error ? 'nested invalid' : 'nested'} aria-describedby={describedBy}>
        <legend>
          {label}
          {mark}
        </legend>
        {help}
        <FieldError id={errorId} message={error} />
        <ObjectFields schema={schema} value={value} onChange={onChange} path={path} idPrefix={idPrefix} errors={errors} />
      </fieldset>
    );
  }
  if (type === 'array') {
    const rows = (value as Raw[] | undefined) ?? [];
    const itemSchema = schema.items ?? { type: 'string' };
    return (
      <fieldset className={error ? 'nested invalid' : 'nested'} aria-describedby={describedBy}>
        <legend>
          {label}
          {mark}
        </legend>
        {help}
        <FieldError id={errorId} message={error} />
        {rows.map((row, i) => (
          <div className="array-row" key={i}>
            <Field
              schema={itemSchema}
              value={row}
              path={`${path}.${i}`}
              idPrefix={idPrefix}
              errors={errors}
              label={`${label} #${i + 1}`}
              required={false}
              onChange={(v) => onChange(rows.map((r, j) => (j === i ? v : r)))}
            />
            <button type="button" className="secondary small" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              {t('removeRow')} #{i + 1}
            </button>
          </div>
        ))}
        <button type="button" className="secondary small" onClick={() => onChange([...rows, typeOf(itemSchema) === 'object' ? {} : ''])}>
          {t('addRow')}
        </button>
      </fieldset>
    );
  }
  const common = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    'aria-required': required || undefined,
  } as const;
  let input;
  let hint: ReactNode = null;
  if (schema.enum) {
    input = (
      <select {...common} value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('choose')}</option>
        {schema.enum.map((option, i) => (
          <option key={i} value={i}>
            {enumTitle(schema, option)}
          </option>
        ))}
      </select>
    );
  } else if (type === 'boolean') {
    return (
      <div className={error ? 'field invalid' : 'field'}>
        <label className="check" htmlFor={id}>
          <input {...common} type="checkbox" checked={Boolean(value)} onChange={(e) => onChange(e.target.checked)} /> {label}
          {mark}
        </label>
        {help}
        <FieldError id={errorId} message={error} />
      </div>
    );
  } else if (type === 'integer' || type === 'number') {
    // A sum not typed over shows what it comes to; typing over it keeps what was typed.
    const shown = value === undefined && computed !== undefined ? String(computed) : value === undefined ? '' : String(value);
    input = (
      <input
        {...common}
        type="text"
        inputMode={type === 'integer' ? 'numeric' : 'decimal'}
        value={shown}
        onChange={(e) => onChange(e.target.value)}
      />
    );
    if (widget === 'money' || computed !== undefined) {
      hint = <MoneyHint id={`${id}-hint`} value={value} computed={computed} parts={computedFrom} onRecompute={() => onChange(undefined)} />;
    }
  } else if (schema.format === 'date') {
    input = <input {...common} type="date" value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />;
  } else {
    const key = path.split('.').pop() ?? '';
    const long = (schema as { maxLength?: number }).maxLength === undefined && /^(note|notes|description|reason|comment)$/i.test(key);
    const phone = widget === 'phone' || path.toLowerCase().includes('phone');
    input = long ? (
      <textarea {...common} rows={2} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />
    ) : (
      <input
        {...common}
        type={schema.format === 'email' ? 'email' : phone ? 'tel' : 'text'}
        inputMode={phone ? 'tel' : undefined}
        autoComplete={widget === 'phone' ? 'tel' : undefined}
        value={String(value ?? '')}
        onChange={(e) => onChange(e.target.value)}
      />
    );
    if (widget === 'phone') hint = <PhoneHint id={`${id}-hint`} value={value} />;
  }
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>
        {label}
        {mark}
      </label>
      {input}
      {hint}
      {help}
      <FieldError id={errorId} message={error} />
    </div>
  );
}

/** What staff read for an enum value: the definition's title for it (`x-shopflow.titles`), else the value. */
export function enumTitle(schema: JsonSchema, value: unknown): string {
  const titles = schema['x-shopflow']?.titles;
  const key = String(value);
  return titles && Object.hasOwn(titles, key) ? titles[key]! : key;
}
