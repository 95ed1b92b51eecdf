/**
 * A manual order (phone or walk-in): the customer, the products from the catalogue, where it
 * goes, the channel and how it is paid. It starts already closed by the person entering it
 * (POST /orders/manual) and the order's page opens. The server checks everything; its field
 * errors show at their fields.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, get, post, type JsonSchema } from '../api';
import { Card, ErrorNote } from '../components';
import { AddressPicker, linesTotal, MoneyHint, PhoneHint, ProductPicker, typedNumber } from '../FormWidgets';
import { formatVnd, useI18n, usePageWords } from '../i18n';
import { navigate } from '../router';
import { useLoad } from '../hooks';
import type { FieldErrors, Raw } from '../SchemaForm';

const TEXT = {
  vi: {
    title: 'Tạo đơn thủ công',
    intro: 'Đơn khách gọi điện hoặc mua tại quầy: đơn được tạo ở trạng thái đã chốt, do bạn chốt.',
    channel: 'Kênh bán',
    customer: 'Khách hàng',
    name: 'Tên khách hàng',
    phone: 'Số điện thoại',
    items: 'Sản phẩm',
    address: 'Địa chỉ giao hàng',
    payment: 'Thanh toán',
    cod: 'Thu tiền khi giao (COD)',
    prepaid: 'Đã thanh toán (chuyển khoản, tiền mặt tại quầy)',
    shippingFee: 'Phí ship khách trả (VND)',
    codAmount: 'Tiền thu hộ (COD, VND)',
    codAuto: 'tiền hàng + phí ship',
    note: 'Ghi chú cho bên giao hàng',
    create: 'Tạo đơn',
    creating: 'Đang tạo đơn…',
    fix: 'Vui lòng sửa các ô được đánh dấu.',
    required: 'Bắt buộc',
    noItems: 'Thêm ít nhất một sản phẩm.',
    total: 'Thu khi giao hàng: {amount}',
    existing: 'Khách cũ: {name}',
  },
  en: {
    title: 'New manual order',
    intro: 'A phone or walk-in order: it is created already closed, by you.',
    channel: 'Sales channel',
    customer: 'Customer',
    name: "Customer's name",
    phone: 'Phone number',
    items: 'Products',
    address: 'Shipping address',
    payment: 'Payment',
    cod: 'Cash on delivery (COD)',
    prepaid: 'Already paid (transfer, cash at the counter)',
    shippingFee: 'Shipping fee the customer pays (VND)',
    codAmount: 'Cash to collect (COD, VND)',
    codAuto: 'items + shipping fee',
    note: 'Note for the courier',
    create: 'Create order',
    creating: 'Creating…',
    fix: 'Please fix the marked fields.',
    required: 'Required',
    noItems: 'Add at least one product.',
    total: 'Collected on delivery: {amount}',
    existing: 'Returning customer: {name}',
  },
} as const;

const useText = () => usePageWords(TEXT);

/** The shop's channels and couriers with their titles (GET /orders/choices). */
export interface OrderChoices {
  channels: Array<{ id: string; title: string }>;
  couriers: Array<{ id: string; title: string }>;
  statuses: string[];
}
let choicesLoad: Promise<OrderChoices> | undefined;
export const loadOrderChoices = () =>
  (choicesLoad ??= get<OrderChoices>('/orders/choices').catch((err: unknown) => {
    choicesLoad = undefined;
    throw err;
  }));

// The widgets read the shape of what they edit from a schema, as on a task's form.
const ITEMS_SCHEMA: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: { sku: { type: 'string', title: 'SKU' }, name: { type: 'string' }, qty: { type: 'integer' }, price: { type: 'integer' } },
  },
};
const ADDRESS_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['street', 'ward', 'province'],
  properties: { province: { type: 'string' }, ward: { type: 'string' }, street: { type: 'string' } },
};

/** The server's field errors by field (`items.0.sku`, `customer.phone`), each also marking its parent. */
function fieldErrorsOf(err: unknown): FieldErrors | undefined {
  if (!(err instanceof ApiError) || !err.fields.length) return undefined;
  const out: FieldErrors = {};
  for (const f of err.fields) out[f.field] ??= f.message;
  return out;
}

export function ManualOrderPage() {
  const x = useText();
  const { lang } = useI18n();
  const choices = useLoad(loadOrderChoices, []);
  const [channel, setChannel] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [items, setItems] = useState<Raw>([]);
  const [address, setAddress] = useState<Raw>({});
  const [payment, setPayment] = useState<'cod' | 'prepaid'>('cod');
  const [fee, setFee] = useState('');
  const [cod, setCod] = useState<string | undefined>();
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [known, setKnown] = useState<string | null>(null);

  useEffect(() => {
    if (!channel && choices.data?.channels.length) setChannel(choices.data.channels[0]!.id);
  }, [channel, choices.data]);

  // A returning customer: their name and address are filled in from the customer book (if still empty).
  useEffect(() => {
    const digits = phone.replace(/\D/g, '');
    if (digits.length < 9) return setKnown(null);
    const timer = setTimeout(() => {
      get<{ customers: Array<{ name: string; phone: string; address?: string | null }> }>(
        `/customers?q=${encodeURIComponent(phone.trim())}&limit=1`,
      )
        .then((r) => {
          const c = r.customers[0];
          setKnown(c ? c.name : null);
          if (c) setName((now) => now || c.name);
        })
        .catch(() => setKnown(null));
    }, 300);
    return () => clearTimeout(timer);
  }, [phone]);

  const goods = linesTotal(items);
  const shippingFee = typedNumber(fee) ?? 0;
  const computedCod = goods + shippingFee;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const rows = (Array.isArray(items) ? items : []) as Array<Record<string, Raw>>;
    const a = (address ?? {}) as Record<string, Raw>;
    const missing: FieldErrors = {};
    if (!name.trim()) missing['customer.name'] = x('required');
    if (!phone.trim()) missing['customer.phone'] = x('required');
    if (rows.length === 0) missing.items = x('noItems');
    for (const key of ['province', 'ward', 'street']) if (!String(a[key] ?? '').trim()) missing[`shippingAddress.${key}`] = x('required');
    if (Object.keys(missing).length) {
      setErrors(missing);
      setError(new Error(x('fix')));
      return;
    }
    setBusy(true);
    setErrors({});
    setError(undefined);
    try {
      const started = await post<{ orderId: string }>('/orders/manual', {
        channel,
        customer: { name: name.trim(), phone: phone.trim() },
        items: rows.map((r) => ({
          sku: String(r.sku ?? '').trim(),
          qty: typedNumber(r.qty) ?? 0,
          ...(typedNumber(r.price) !== undefined ? { price: typedNumber(r.price) } : {}),
        })),
        shippingAddress: { street: String(a.street ?? ''), ward: String(a.ward ?? ''), province: String(a.province ?? '') },
        payment,
        ...(fee.trim() ? { shippingFee } : {}),
        ...(payment === 'cod' && cod !== undefined && typedNumber(cod) !== undefined ? { codAmount: typedNumber(cod) } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      navigate(`/orders/${encodeURIComponent(started.orderId)}`);
    } catch (err) {
      const fields = fieldErrorsOf(err);
      if (fields) {
        setErrors(fields);
        setError(new Error(x('fix')));
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (key: string) =>
    errors[key] ? (
      <p id={`mo-${key.replace(/\./g, '-')}-error`} className="field-error" role="alert">
        {errors[key]}
      </p>
    ) : null;
  const describedBy = (key: string, help?: string) =>
    [errors[key] ? `mo-${key.replace(/\./g, '-')}-error` : '', help ?? ''].filter(Boolean).join(' ') || undefined;

  return (
    <Card id="manual-order-title" title={x('title')} level={1}>
      <p className="muted">{x('intro')}</p>
      <ErrorNote error={choices.error} />
      <form className="form manual-order" onSubmit={submit} noValidate>
        <div className={errors.channel ? 'field invalid' : 'field'}>
          <label htmlFor="mo-channel">{x('channel')}</label>
          <select id="mo-channel" value={channel} onChange={(e) => setChannel(e.target.value)} aria-describedby={describedBy('channel')}>
            {(choices.data?.channels ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
          {fieldError('channel')}
        </div>
        <fieldset className="nested">
          <legend>{x('customer')}</legend>
          <div className={errors['customer.phone'] ? 'field invalid' : 'field'}>
            <label htmlFor="mo-phone">{x('phone')}</label>
            <input
              id="mo-phone"
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
              aria-invalid={errors['customer.phone'] ? true : undefined}
              aria-describedby={describedBy('customer.phone', 'mo-phone-help')}
            />
            <PhoneHint value={phone} id="mo-phone-help" />
            {known && <p className="muted small">{x('existing', { name: known })}</p>}
            {fieldError('customer.phone')}
          </div>
          <div className={errors['customer.name'] ? 'field invalid' : 'field'}>
            <label htmlFor="mo-name">{x('name')}</label>
            <input
              id="mo-name"
              type="text"
              autoComplete="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={errors['customer.name'] ? true : undefined}
              aria-describedby={describedBy('customer.name')}
            />
            {fieldError('customer.name')}
          </div>
        </fieldset>
        <ProductPicker
          schema={ITEMS_SCHEMA}
          value={items}
          onChange={setItems}
          path="items"
          id="mo-items"
          errors={errors}
          label={x('items')}
          required
        />
        <AddressPicker
          schema={ADDRESS_SCHEMA}
          value={address}
          onChange={setAddress}
          path="shippingAddress"
          id="mo-address"
          errors={errors}
          label={x('address')}
          required
        />
        <fieldset className="nested">
          <legend>{x('payment')}</legend>
          <label className="check">
            <input type="radio" name="mo-payment" checked={payment === 'cod'} onChange={() => setPayment('cod')} /> {x('cod')}
          </label>
          <label className="check">
            <input type="radio" name="mo-payment" checked={payment === 'prepaid'} onChange={() => setPayment('prepaid')} /> {x('prepaid')}
          </label>
          <div className={errors.shippingFee ? 'field invalid' : 'field'}>
            <label htmlFor="mo-fee">{x('shippingFee')}</label>
            <input
              id="mo-fee"
              type="text"
              inputMode="numeric"
              value={fee}
              onChange={(e) => setFee(e.target.value)}
              aria-describedby={describedBy('shippingFee', 'mo-fee-help')}
            />
            <MoneyHint value={fee || undefined} id="mo-fee-help" onRecompute={() => setFee('')} />
            {fieldError('shippingFee')}
          </div>
          {payment === 'cod' && (
            <div className={errors.codAmount ? 'field invalid' : 'field'}>
              <label htmlFor="mo-cod">{x('codAmount')}</label>
              <input
                id="mo-cod"
                type="text"
                inputMode="numeric"
                value={cod ?? String(computedCod)}
                onChange={(e) => setCod(e.target.value)}
                aria-describedby={describedBy('codAmount', 'mo-cod-help')}
              />
              <MoneyHint value={cod} id="mo-cod-help" computed={computedCod} parts={[x('codAuto')]} onRecompute={() => setCod(undefined)} />
              {fieldError('codAmount')}
            </div>
          )}
          <p className="items-total" aria-live="polite">
            {x('total', { amount: formatVnd(payment === 'cod' ? (typedNumber(cod) ?? computedCod) : 0, lang) })}
          </p>
        </fieldset>
        <div className="field">
          <label htmlFor="mo-note">{x('note')}</label>
          <textarea id="mo-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy || !channel}>
          {busy ? x('creating') : x('create')}
        </button>
      </form>
    </Card>
  );
}
