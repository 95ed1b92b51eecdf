/**
 * Suppliers (nhà cung cấp) and purchase orders over `/suppliers` and `/purchase-orders`: who the
 * shop buys from (contacts, lead time), orders to them with the expected day, and receiving what
 * arrived — all of it or part — which records a purchase document (phiếu nhập) and the stock.
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError, get, post } from '../api';
import { Card, ErrorNote, Loading } from '../components';
import { useLoad } from '../hooks';
import { formatVnd, shopDay, useI18n, type Key } from '../i18n';

interface Contact {
  name: string;
  phone?: string;
  email?: string;
  role?: string;
}
interface Supplier {
  id: string;
  name: string;
  taxCode: string | null;
  phone: string | null;
  email: string | null;
  leadTimeDays: number;
  contacts: Contact[];
  active: boolean;
}
interface PurchaseOrder {
  id: string;
  supplier: { id: string; name: string };
  status: 'draft' | 'sent' | 'received' | 'cancelled';
  orderDate: string;
  expectedDate: string;
  total: number;
  lines: Array<{ sku: string; qty: number; unitCost: number; receivedQty: number; outstandingQty: number }>;
  receipts: Array<{ purchaseNumber: string; createdAt: string }>;
}

const STATUS_WORDS: Record<PurchaseOrder['status'], Key> = {
  draft: 'poStatusDraft',
  sent: 'poStatusSent',
  received: 'poStatusReceived',
  cancelled: 'poStatusCancelled',
};

/** `350.000` typed the Vietnamese way → 350000; anything else stays as typed for the server to refuse at its field. */
const whole = (raw: string): number | string =>
  /^\d{1,3}([.,]\d{3})+$|^\d+$/.test(raw.trim()) ? Number(raw.trim().replace(/[.,]/g, '')) : raw;
const optional = (v: string) => (v.trim() ? v.trim() : undefined);

/** The field errors of a refused body, one per line, for the form's note. */
function FieldErrors({ error }: { error: unknown }) {
  const fields = error instanceof ApiError ? ((error.details as { fields?: Array<{ field: string; message: string }> })?.fields ?? []) : [];
  return (
    <>
      <ErrorNote error={error} />
      {fields.length > 0 && (
        <ul className="field-error" role="alert">
          {fields.map((f) => (
            <li key={f.field}>{f.message}</li>
          ))}
        </ul>
      )}
    </>
  );
}

function NewSupplier({ onSaved }: { onSaved: (s: Supplier) => void }) {
  const { t } = useI18n();
  const empty = {
    name: '',
    phone: '',
    email: '',
    taxCode: '',
    leadTimeDays: '0',
    contacts: [] as Array<{ name: string; phone: string; role: string }>,
  };
  const [draft, setDraft] = useState(empty);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const saved = await post<Supplier>('/suppliers', {
        name: draft.name.trim(),
        phone: optional(draft.phone),
        email: optional(draft.email),
        taxCode: optional(draft.taxCode),
        leadTimeDays: whole(draft.leadTimeDays),
        contacts: draft.contacts
          .filter((c) => c.name.trim())
          .map((c) => ({ name: c.name.trim(), phone: optional(c.phone), role: optional(c.role) })),
      });
      setDraft(empty);
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const field = (id: keyof typeof empty, label: Key, type = 'text') => (
    <div className="field">
      <label htmlFor={`sup-${id}`}>{t(label)}</label>
      <input
        id={`sup-${id}`}
        type={type}
        value={draft[id] as string}
        required={id === 'name'}
        onChange={(e) => setDraft({ ...draft, [id]: e.target.value })}
      />
    </div>
  );
  return (
    <Card id="supplier-new" title={t('supNew')}>
      <form onSubmit={submit}>
        {field('name', 'supName')}
        {field('phone', 'supPhone', 'tel')}
        {field('email', 'supEmail', 'email')}
        {field('taxCode', 'supTaxCode')}
        {field('leadTimeDays', 'supLeadTime', 'number')}
        <fieldset>
          <legend>{t('supContacts')}</legend>
          {draft.contacts.map((c, i) => (
            <div className="toolbar" key={i}>
              <label htmlFor={`sup-contact-${i}-name`}>{t('supContactName')}</label>
              <input
                id={`sup-contact-${i}-name`}
                value={c.name}
                onChange={(e) =>
                  setDraft({ ...draft, contacts: draft.contacts.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)) })
                }
              />
              <label htmlFor={`sup-contact-${i}-phone`}>{t('supPhone')}</label>
              <input
                id={`sup-contact-${i}-phone`}
                type="tel"
                value={c.phone}
                onChange={(e) =>
                  setDraft({ ...draft, contacts: draft.contacts.map((x, j) => (j === i ? { ...x, phone: e.target.value } : x)) })
                }
              />
              <label htmlFor={`sup-contact-${i}-role`}>{t('supContactRole')}</label>
              <input
                id={`sup-contact-${i}-role`}
                value={c.role}
                onChange={(e) =>
                  setDraft({ ...draft, contacts: draft.contacts.map((x, j) => (j === i ? { ...x, role: e.target.value } : x)) })
                }
              />
            </div>
          ))}
          <button
            type="button"
            className="secondary small"
            onClick={() => setDraft({ ...draft, contacts: [...draft.contacts, { name: '', phone: '', role: '' }] })}
          >
            {t('supAddContact')}
          </button>
        </fieldset>
        <FieldErrors error={error} />
        <button type="submit" disabled={busy}>
          {t('supSave')}
        </button>
      </form>
    </Card>
  );
}

interface LineDraft {
  sku: string;
  qty: string;
  unitCost: string;
}

function NewPurchaseOrder({ suppliers, onSaved }: { suppliers: Supplier[]; onSaved: (po: PurchaseOrder) => void }) {
  const { t } = useI18n();
  const [supplierId, setSupplierId] = useState('');
  const [orderDate, setOrderDate] = useState(shopDay());
  const [lines, setLines] = useState<LineDraft[]>([{ sku: '', qty: '1', unitCost: '' }]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const po = await post<PurchaseOrder>('/purchase-orders', {
        supplierId,
        orderDate,
        lines: lines.filter((l) => l.sku.trim()).map((l) => ({ sku: l.sku.trim(), qty: whole(l.qty), unitCost: whole(l.unitCost) })),
      });
      setLines([{ sku: '', qty: '1', unitCost: '' }]);
      onSaved(po);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const setLine = (i: number, patch: Partial<LineDraft>) => setLines(lines.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  return (
    <Card id="po-new" title={t('poNew')}>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="po-supplier">{t('poSupplier')}</label>
          <select id="po-supplier" value={supplierId} required onChange={(e) => setSupplierId(e.target.value)}>
            <option value="">—</option>
            {suppliers
              .filter((s) => s.active)
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({t('supDays', { n: s.leadTimeDays })})
                </option>
              ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="po-date">{t('poOrderDate')}</label>
          <input id="po-date" type="date" value={orderDate} onChange={(e) => setOrderDate(e.target.value)} />
        </div>
        <fieldset>
          <legend>{t('poLines')}</legend>
          {lines.map((l, i) => (
            <div className="toolbar" key={i}>
              <label htmlFor={`po-line-${i}-sku`}>SKU</label>
              <input id={`po-line-${i}-sku`} value={l.sku} onChange={(e) => setLine(i, { sku: e.target.value })} />
              <label htmlFor={`po-line-${i}-qty`}>{t('qty')}</label>
              <input id={`po-line-${i}-qty`} inputMode="numeric" value={l.qty} onChange={(e) => setLine(i, { qty: e.target.value })} />
              <label htmlFor={`po-line-${i}-cost`}>{t('unitCost')}</label>
              <input
                id={`po-line-${i}-cost`}
                inputMode="numeric"
                value={l.unitCost}
                onChange={(e) => setLine(i, { unitCost: e.target.value })}
              />
            </div>
          ))}
          <button type="button" className="secondary small" onClick={() => setLines([...lines, { sku: '', qty: '1', unitCost: '' }])}>
            {t('poAddLine')}
          </button>
        </fieldset>
        <FieldErrors error={error} />
        <button type="submit" disabled={busy}>
          {t('poCreate')}
        </button>
      </form>
    </Card>
  );
}

function PurchaseOrderRow({ po, onChanged }: { po: PurchaseOrder; onChanged: (notice: string) => void }) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<unknown>();
  const [partial, setPartial] = useState<Record<string, string> | null>(null);
  const act = async (path: string, body?: unknown) => {
    setError(undefined);
    try {
      const answer = await post<{ purchase?: { number: string } | null; status?: string }>(`/purchase-orders/${po.id}/${path}`, body ?? {});
      setPartial(null);
      onChanged(
        path === 'receive'
          ? answer.purchase
            ? t('poReceivedDoc', { number: answer.purchase.number })
            : t('poNothingLeft')
          : `${po.supplier.name}: ${t(STATUS_WORDS[(answer.status as PurchaseOrder['status']) ?? po.status])}`,
      );
    } catch (err) {
      setError(err);
    }
  };
  const receivePart = (e: FormEvent) => {
    e.preventDefault();
    const lines = Object.entries(partial ?? {})
      .filter(([, qty]) => qty.trim() && qty.trim() !== '0')
      .map(([sku, qty]) => ({ sku, qty: whole(qty) }));
    void act('receive', lines.length ? { lines } : {});
  };
  return (
    <tr>
      <th scope="row">
        {po.supplier.name}
        <br />
        <span className="muted small">{t(STATUS_WORDS[po.status])}</span>
      </th>
      <td>{po.orderDate}</td>
      <td>{po.expectedDate}</td>
      <td>
        <ul className="plain">
          {po.lines.map((l) => (
            <li key={l.sku}>
              {l.sku}: {l.receivedQty}/{l.qty}{' '}
              {l.outstandingQty > 0 && (
                <span className="muted small">
                  ({t('poOutstanding')} {l.outstandingQty})
                </span>
              )}
            </li>
          ))}
        </ul>
        {po.receipts.length > 0 && (
          <p className="small">
            {t('poDocuments')}: {po.receipts.map((r) => r.purchaseNumber).join(', ')}
          </p>
        )}
      </td>
      <td className="num">{formatVnd(po.total, lang)}</td>
      <td>
        {po.status === 'draft' && (
          <button type="button" className="small" onClick={() => void act('send')}>
            {t('poSend')}
          </button>
        )}
        {po.status === 'sent' && (
          <>
            <button type="button" className="small" onClick={() => void act('receive')}>
              {t('poReceiveAll')}
            </button>
            <button
              type="button"
              className="secondary small"
              aria-expanded={partial !== null}
              onClick={() =>
                setPartial(partial ? null : Object.fromEntries(po.lines.filter((l) => l.outstandingQty > 0).map((l) => [l.sku, ''])))
              }
            >
              {t('poReceivePart')}
            </button>
          </>
        )}
        {(po.status === 'draft' || (po.status === 'sent' && po.receipts.length === 0)) && (
          <button type="button" className="secondary small" onClick={() => void act('cancel')}>
            {t('poCancel')}
          </button>
        )}
        {partial && (
          <form onSubmit={receivePart}>
            {Object.entries(partial).map(([sku, qty]) => (
              <div className="field" key={sku}>
                <label htmlFor={`po-${po.id}-${sku}`}>
                  {t('poReceiveQty')} {sku}
                </label>
                <input
                  id={`po-${po.id}-${sku}`}
                  inputMode="numeric"
                  value={qty}
                  onChange={(e) => setPartial({ ...partial, [sku]: e.target.value })}
                />
              </div>
            ))}
            <button type="submit" className="small">
              {t('poReceivePart')}
            </button>
          </form>
        )}
        <FieldErrors error={error} />
      </td>
    </tr>
  );
}

export function SuppliersPage() {
  const { t } = useI18n();
  const suppliers = useLoad(() => get<{ suppliers: Supplier[] }>('/suppliers'), []);
  const orders = useLoad(() => get<{ purchaseOrders: PurchaseOrder[] }>('/purchase-orders'), []);
  const [notice, setNotice] = useState<string>();
  const changed = (text: string) => {
    setNotice(text);
    void suppliers.reload();
    void orders.reload();
  };
  const deactivate = async (s: Supplier) => {
    await api('DELETE', `/suppliers/${s.id}`);
    changed(`${s.name}: ${t('supInactive')}`);
  };
  return (
    <>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <Card level={1} id="suppliers-title" title={t('navSuppliers')}>
        <ErrorNote error={suppliers.error} />
        {!suppliers.data ? (
          <Loading />
        ) : suppliers.data.suppliers.length === 0 ? (
          <p className="muted">{t('supNone')}</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="suppliers">
              <thead>
                <tr>
                  <th scope="col">{t('supName')}</th>
                  <th scope="col">{t('supPhone')}</th>
                  <th scope="col">{t('supLeadTime')}</th>
                  <th scope="col">{t('supContacts')}</th>
                  <th scope="col">{t('poStatus')}</th>
                </tr>
              </thead>
              <tbody>
                {suppliers.data.suppliers.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">{s.name}</th>
                    <td>{s.phone ?? '—'}</td>
                    <td className="num">{s.leadTimeDays}</td>
                    <td>{s.contacts.map((c) => [c.name, c.role, c.phone].filter(Boolean).join(' · ')).join('; ') || '—'}</td>
                    <td>
                      {s.active ? t('supActive') : t('supInactive')}{' '}
                      {s.active && (
                        <button type="button" className="secondary small" onClick={() => void deactivate(s)}>
                          {t('supDeactivate')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <NewSupplier onSaved={(s) => changed(t('supSaved', { name: s.name }))} />
      {suppliers.data && (
        <NewPurchaseOrder suppliers={suppliers.data.suppliers} onSaved={(po) => changed(t('poCreated', { day: po.expectedDate }))} />
      )}
      <Card id="po-title" title={t('poTitle')}>
        <ErrorNote error={orders.error} />
        {!orders.data ? (
          <Loading />
        ) : orders.data.purchaseOrders.length === 0 ? (
          <p className="muted">{t('poNone')}</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="purchase-orders">
              <thead>
                <tr>
                  <th scope="col">{t('poSupplier')}</th>
                  <th scope="col">{t('poOrderDate')}</th>
                  <th scope="col">{t('poExpected')}</th>
                  <th scope="col">{t('poLines')}</th>
                  <th scope="col">{t('total')}</th>
                  <th scope="col">{t('poActions')}</th>
                </tr>
              </thead>
              <tbody>
                {orders.data.purchaseOrders.map((po) => (
                  <PurchaseOrderRow key={po.id} po={po} onChanged={changed} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
