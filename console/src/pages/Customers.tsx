/**
 * One customer, editable: name, phone, the addresses (province and ward as after the 2025
 * reform), tags and the wholesale flag; the segment is the shop's rules' (shown, not typed).
 * PATCH /customers/{id}; the server's field errors show at their fields (a phone another
 * customer has is a 409 shown at the phone).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, get } from '../api';
import { Card, ErrorNote, Loading } from '../components';
import { AddressPicker, PhoneHint } from '../FormWidgets';
import { useLoad } from '../hooks';
import { usePageWords } from '../i18n';
import type { FieldErrors, Raw } from '../SchemaForm';
import type { JsonSchema } from '../api';

const TEXT = {
  vi: {
    title: 'Khách hàng {name}',
    name: 'Tên khách hàng',
    phone: 'Số điện thoại',
    segment: 'Phân khúc (tự tính theo quy tắc của shop)',
    tags: 'Nhãn',
    tagsHelp: 'Cách nhau bằng dấu phẩy, ví dụ: vip, hay-doi-tra',
    wholesale: 'Khách sỉ',
    notes: 'Ghi chú',
    addresses: 'Địa chỉ',
    address: 'Địa chỉ {n}',
    label: 'Tên gọi (Nhà, Công ty…)',
    isDefault: 'Địa chỉ mặc định',
    addAddress: 'Thêm địa chỉ',
    removeAddress: 'Xóa địa chỉ {n}',
    save: 'Lưu thay đổi',
    saving: 'Đang lưu…',
    saved: 'Đã lưu.',
    fix: 'Vui lòng sửa các ô được đánh dấu.',
    phoneTaken: 'Số này đã là của khách hàng khác ({id}).',
    orders: 'Đơn hàng: {n}',
  },
  en: {
    title: 'Customer {name}',
    name: 'Name',
    phone: 'Phone number',
    segment: "Segment (computed by the shop's rules)",
    tags: 'Tags',
    tagsHelp: 'Separated by commas, e.g. vip, often-returns',
    wholesale: 'Wholesale customer',
    notes: 'Notes',
    addresses: 'Addresses',
    address: 'Address {n}',
    label: 'Label (Home, Office…)',
    isDefault: 'Default address',
    addAddress: 'Add an address',
    removeAddress: 'Remove address {n}',
    save: 'Save changes',
    saving: 'Saving…',
    saved: 'Saved.',
    fix: 'Please fix the marked fields.',
    phoneTaken: 'Another customer has this number ({id}).',
    orders: 'Orders: {n}',
  },
} as const;

const useText = () => usePageWords(TEXT);

interface Address {
  label?: string;
  street: string;
  ward: string;
  district?: string;
  province: string;
  isDefault: boolean;
}
interface Customer {
  id: string;
  phone: string;
  name: string;
  segment: string;
  tags: string[];
  wholesale: boolean;
  notes: string | null;
  addresses: Address[];
  reliability?: { orders: number };
}

const ADDRESS_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['street', 'ward', 'province'],
  properties: { province: { type: 'string' }, ward: { type: 'string' }, street: { type: 'string' } },
};

export function CustomerPage({ id }: { id: string }) {
  const x = useText();
  const loaded = useLoad(() => get<Customer>(`/customers/${encodeURIComponent(id)}`), [id]);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [tags, setTags] = useState('');
  const [wholesale, setWholesale] = useState(false);
  const [notes, setNotes] = useState('');
  const [addresses, setAddresses] = useState<Array<Record<string, Raw>>>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const c = loaded.data;
  useEffect(() => {
    if (!c) return;
    setName(c.name);
    setPhone(c.phone);
    setTags(c.tags.join(', '));
    setWholesale(c.wholesale);
    setNotes(c.notes ?? '');
    setAddresses(c.addresses.map((a) => ({ ...a })));
  }, [c]);

  if (loaded.error && !c)
    return (
      <Card level={1} id="customer-edit-title" title={x('title', { name: id })}>
        <ErrorNote error={loaded.error} />
      </Card>
    );
  if (!c) return <Loading />;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setError(undefined);
    setSaved(false);
    try {
      const defaultAt = addresses.findIndex((a) => a.isDefault === true);
      const answer = await api<Customer>('PATCH', `/customers/${encodeURIComponent(c.id)}`, {
        name: name.trim(),
        phone: phone.trim(),
        tags: [
          ...new Set(
            tags
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean),
          ),
        ],
        wholesale,
        notes: notes.trim() ? notes : null,
        addresses: addresses.map((a, i) => ({
          ...(String(a.label ?? '').trim() ? { label: String(a.label).trim() } : {}),
          street: String(a.street ?? ''),
          ward: String(a.ward ?? ''),
          ...(String(a.district ?? '').trim() ? { district: String(a.district) } : {}),
          province: String(a.province ?? ''),
          isDefault: i === (defaultAt >= 0 ? defaultAt : 0),
        })),
      });
      setSaved(true);
      setPhone(answer.phone);
      setAddresses(answer.addresses.map((a) => ({ ...a })));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && (err.details as { existingId?: string } | undefined)?.existingId) {
        setErrors({ phone: x('phoneTaken', { id: String((err.details as { existingId: string }).existingId) }) });
        setError(new Error(x('fix')));
      } else if (err instanceof ApiError && err.fields.length) {
        const out: FieldErrors = {};
        for (const f of err.fields) {
          out[f.field] ??= f.message;
          // `tags.2` marks the tags box; an address's own fields are marked by its picker.
          if (!f.field.startsWith('addresses.')) out[f.field.split('.')[0]!] ??= f.message;
        }
        setErrors(out);
        setError(new Error(x('fix')));
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const invalid = (key: string) => (errors[key] ? true : undefined);
  const message = (key: string) =>
    errors[key] ? (
      <p id={`ce-${key}-error`} className="field-error" role="alert">
        {errors[key]}
      </p>
    ) : null;

  return (
    <Card level={1} id="customer-edit-title" title={x('title', { name: c.name })}>
      <p className="muted">
        {x('segment')}: <strong>{c.segment}</strong>
        {c.reliability ? ` · ${x('orders', { n: c.reliability.orders })}` : ''}
      </p>
      <form className="form customer-edit" onSubmit={save} noValidate>
        <div className={errors.name ? 'field invalid' : 'field'}>
          <label htmlFor="ce-name">{x('name')}</label>
          <input
            id="ce-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={invalid('name')}
            aria-describedby={errors.name ? 'ce-name-error' : undefined}
          />
          {message('name')}
        </div>
        <div className={errors.phone ? 'field invalid' : 'field'}>
          <label htmlFor="ce-phone">{x('phone')}</label>
          <input
            id="ce-phone"
            type="tel"
            inputMode="tel"
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            aria-invalid={invalid('phone')}
            aria-describedby={errors.phone ? 'ce-phone-error ce-phone-help' : 'ce-phone-help'}
          />
          <PhoneHint value={phone} id="ce-phone-help" />
          {message('phone')}
        </div>
        <fieldset className="nested">
          <legend>{x('addresses')}</legend>
          {errors.addresses && (
            <p className="field-error" role="alert">
              {errors.addresses}
            </p>
          )}
          {addresses.map((a, i) => (
            <div key={i} className="customer-address">
              <div className="field">
                <label htmlFor={`ce-address-${i}-label`}>{x('label')}</label>
                <input
                  id={`ce-address-${i}-label`}
                  value={String(a.label ?? '')}
                  onChange={(e) => setAddresses(addresses.map((b, j) => (j === i ? { ...b, label: e.target.value } : b)))}
                />
              </div>
              <AddressPicker
                schema={ADDRESS_SCHEMA}
                value={a}
                onChange={(v) => setAddresses(addresses.map((b, j) => (j === i ? { ...b, ...(v as Record<string, Raw>) } : b)))}
                path={`addresses.${i}`}
                id={`ce-address-${i}`}
                errors={errors}
                label={x('address', { n: i + 1 })}
                required
              />
              <label className="check">
                <input
                  type="radio"
                  name="ce-default-address"
                  checked={a.isDefault === true}
                  onChange={() => setAddresses(addresses.map((b, j) => ({ ...b, isDefault: j === i })))}
                />{' '}
                {x('isDefault')}
              </label>{' '}
              <button type="button" className="secondary small" onClick={() => setAddresses(addresses.filter((_, j) => j !== i))}>
                {x('removeAddress', { n: i + 1 })}
              </button>
            </div>
          ))}
          <button
            type="button"
            className="secondary small"
            onClick={() => setAddresses([...addresses, { street: '', ward: '', province: '', isDefault: addresses.length === 0 }])}
          >
            {x('addAddress')}
          </button>
        </fieldset>
        <div className={errors.tags ? 'field invalid' : 'field'}>
          <label htmlFor="ce-tags">{x('tags')}</label>
          <input
            id="ce-tags"
            value={tags}
            onChange={(e) => setTags(e.target.value)}
            aria-invalid={invalid('tags')}
            aria-describedby={errors.tags ? 'ce-tags-error ce-tags-help' : 'ce-tags-help'}
          />
          <p id="ce-tags-help" className="muted small">
            {x('tagsHelp')}
          </p>
          {message('tags')}
        </div>
        <label className="check">
          <input type="checkbox" checked={wholesale} onChange={(e) => setWholesale(e.target.checked)} /> {x('wholesale')}
        </label>
        <div className={errors.notes ? 'field invalid' : 'field'}>
          <label htmlFor="ce-notes">{x('notes')}</label>
          <textarea id="ce-notes" rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} />
          {message('notes')}
        </div>
        <ErrorNote error={error} />
        {saved && (
          <p role="status" className="ok">
            {x('saved')}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? x('saving') : x('save')}
        </button>
      </form>
    </Card>
  );
}
