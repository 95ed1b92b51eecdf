/**
 * The accountant's books over `/books` and `/purchases`: the sales book (sales and returns of a
 * range, with its CSV), the day/month summary (with its CSV), and purchase documents with a
 * form that records goods received.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, download, get, post } from '../api';
import { Card, ErrorNote, Loading, PageTitle } from '../components';
import { useLoad } from '../hooks';
import { formatDateTime, formatVnd, shopDay, useI18n } from '../i18n';
import { Link } from '../router';
import { placeFieldErrors } from '../field-errors';

interface SalesDocument {
  number: string;
  kind: 'sale' | 'return';
  orderId: string;
  reverses: string | null;
  channel: string | null;
  customerName: string | null;
  customerPhone: string | null;
  courier: string | null;
  goodsTotal: number;
  shippingFee: number;
  codAmount: number;
  reason: string | null;
  at: string;
  lines: Array<{ sku: string; name: string | null; qty: number; price: number; amount: number }>;
}
/** A row of GET /books/summary: netSales = salesGoods − returnedGoods − refunded. */
interface SummaryRow {
  period?: string;
  salesDocuments: number;
  returnDocuments: number;
  refundDocuments: number;
  salesGoods: number;
  returnedGoods: number;
  refunded: number;
  netSales: number;
  shippingFees: number;
  codAmount: number;
  purchaseDocuments: number;
  purchasesTotal: number;
}
interface Purchase {
  number: string;
  supplier: string;
  supplierInvoice: string | null;
  warehouse: string;
  total: number;
  note: string | null;
  actor: string;
  createdAt: string;
  lines: Array<{ sku: string; qty: number; unitCost: number; amount: number }>;
}

/** From/to local days (shop timezone), this month by default; applied with the button. */
function useRange() {
  const [draft, setDraft] = useState({ from: shopDay(new Date(), true), to: shopDay() });
  const [range, setRange] = useState(draft);
  return { draft, setDraft, range, apply: () => setRange(draft), query: `from=${range.from}&to=${range.to}` };
}

function RangeForm({ r, id, children }: { r: ReturnType<typeof useRange>; id: string; children?: ReactNode }) {
  const { t } = useI18n();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    r.apply();
  };
  return (
    <form className="toolbar" onSubmit={submit}>
      <label htmlFor={`${id}-from`}>{t('fromDay')}</label>
      <input id={`${id}-from`} type="date" value={r.draft.from} onChange={(e) => r.setDraft({ ...r.draft, from: e.target.value })} />
      <label htmlFor={`${id}-to`}>{t('toDay')}</label>
      <input id={`${id}-to`} type="date" value={r.draft.to} onChange={(e) => r.setDraft({ ...r.draft, to: e.target.value })} />
      {children}
      <button type="submit">{t('show')}</button>
    </form>
  );
}

function CsvButton({ path, filename }: { path: string; filename: string }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>();
  return (
    <>
      <button
        type="button"
        className="secondary"
        onClick={() => {
          setError(undefined);
          download(path, filename).catch(setError);
        }}
      >
        {t('downloadCsv')}
      </button>
      <ErrorNote error={error} />
    </>
  );
}

function SalesBookPage() {
  const { t, lang } = useI18n();
  const r = useRange();
  const [kind, setKind] = useState('');
  const [cursor, setCursor] = useState<string | null>(null);
  const path = `/books/sales?${r.query}&limit=100${kind ? `&kind=${kind}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  const docs = useLoad(() => get<{ documents: SalesDocument[]; nextCursor: string | null }>(path), [path]);
  return (
    <Card
      level={1}
      id="sales-book-title"
      title={t('navSalesBook')}
      actions={<CsvButton path={`/books/sales/export.csv?${r.query}`} filename={`so-ban-hang-${r.range.from}-${r.range.to}.csv`} />}
    >
      <RangeForm r={r} id="sales">
        <label htmlFor="sales-kind">{t('kindFilter')}</label>
        <select
          id="sales-kind"
          value={kind}
          onChange={(e) => {
            setKind(e.target.value);
            setCursor(null);
          }}
        >
          <option value="">{t('all')}</option>
          <option value="sale">{t('doc_sale')}</option>
          <option value="return">{t('doc_return')}</option>
        </select>
      </RangeForm>
      <ErrorNote error={docs.error} />
      {!docs.data ? (
        <Loading />
      ) : docs.data.documents.length === 0 ? (
        <p className="muted">{t('noDocuments')}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="sales-documents">
            <thead>
              <tr>
                <th scope="col">{t('number')}</th>
                <th scope="col">{t('date')}</th>
                <th scope="col">{t('order')}</th>
                <th scope="col">{t('customer')}</th>
                <th scope="col">{t('lines')}</th>
                <th scope="col">{t('goods')}</th>
                <th scope="col">{t('shippingFee')}</th>
                <th scope="col">{t('cod')}</th>
              </tr>
            </thead>
            <tbody>
              {docs.data.documents.map((d) => (
                <tr key={d.number} className={d.kind === 'return' ? 'doc-return' : undefined}>
                  <td>
                    {d.number}
                    {d.reverses ? (
                      <>
                        <br />
                        <span className="muted small">↩ {d.reverses}</span>
                      </>
                    ) : null}
                  </td>
                  <td>{formatDateTime(d.at, lang)}</td>
                  <td>
                    <Link href={`/orders/${encodeURIComponent(d.orderId)}`}>{d.orderId}</Link>
                  </td>
                  <td>
                    {d.customerName ?? '—'}
                    {d.customerPhone ? (
                      <>
                        <br />
                        <span className="muted small">{d.customerPhone}</span>
                      </>
                    ) : null}
                  </td>
                  <td className="small">{d.lines.map((l) => `${l.sku}${l.name ? ` ${l.name}` : ''} × ${l.qty}`).join('; ')}</td>
                  <td className="num">{formatVnd(d.goodsTotal, lang)}</td>
                  <td className="num">{formatVnd(d.shippingFee, lang)}</td>
                  <td className="num">{formatVnd(d.codAmount, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {docs.data?.nextCursor && (
        <button type="button" className="secondary" onClick={() => setCursor(docs.data!.nextCursor)}>
          {t('more')}
        </button>
      )}
    </Card>
  );
}

function BooksSummaryPage() {
  const { t, lang } = useI18n();
  const r = useRange();
  const [granularity, setGranularity] = useState<'day' | 'month'>('day');
  const q = `${r.query}&granularity=${granularity}`;
  const summary = useLoad(() => get<{ rows: SummaryRow[]; totals: SummaryRow; timezone: string }>(`/books/summary?${q}`), [q]);
  const vnd = (v: number) => formatVnd(v, lang);
  const row = (label: string, s: SummaryRow, total = false) => (
    <tr key={label} className={total ? 'total' : undefined}>
      <th scope="row">{label}</th>
      <td className="num">{s.salesDocuments}</td>
      <td className="num">{s.returnDocuments}</td>
      <td className="num">{s.refundDocuments}</td>
      <td className="num">{vnd(s.salesGoods)}</td>
      <td className="num">{vnd(s.returnedGoods)}</td>
      <td className="num">{vnd(s.refunded)}</td>
      <td className="num">{vnd(s.netSales)}</td>
      <td className="num">{vnd(s.shippingFees)}</td>
      <td className="num">{vnd(s.codAmount)}</td>
      <td className="num">{s.purchaseDocuments}</td>
      <td className="num">{vnd(s.purchasesTotal)}</td>
    </tr>
  );
  return (
    <Card
      level={1}
      id="summary-title"
      title={t('navBooksSummary')}
      actions={<CsvButton path={`/books/summary/export.csv?${q}`} filename={`tong-hop-${r.range.from}-${r.range.to}.csv`} />}
    >
      <RangeForm r={r} id="summary">
        <label htmlFor="summary-granularity">{t('granularity')}</label>
        <select id="summary-granularity" value={granularity} onChange={(e) => setGranularity(e.target.value as 'day' | 'month')}>
          <option value="day">{t('byDay')}</option>
          <option value="month">{t('byMonth')}</option>
        </select>
      </RangeForm>
      <ErrorNote error={summary.error} />
      {!summary.data ? (
        <Loading />
      ) : (
        <div className="table-wrap">
          <table data-testid="books-summary">
            <thead>
              <tr>
                <th scope="col">{t('period')}</th>
                <th scope="col">{t('salesDocs')}</th>
                <th scope="col">{t('returnDocs')}</th>
                <th scope="col">{t('refundDocs')}</th>
                <th scope="col">{t('salesGoods')}</th>
                <th scope="col">{t('returnedGoods')}</th>
                <th scope="col">{t('refunded')}</th>
                <th scope="col">{t('netSales')}</th>
                <th scope="col">{t('shippingFee')}</th>
                <th scope="col">{t('cod')}</th>
                <th scope="col">{t('purchaseDocs')}</th>
                <th scope="col">{t('purchasesTotal')}</th>
              </tr>
            </thead>
            <tbody>
              {summary.data.rows.map((s) => row(s.period ?? '—', s))}
              {row(t('totalRow'), summary.data.totals, true)}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

interface LineDraft {
  sku: string;
  qty: string;
  unitCost: string;
}
const emptyLine = (): LineDraft => ({ sku: '', qty: '1', unitCost: '' });
/** `350.000` or `350,000` typed the Vietnamese way → 350000; anything else stays as typed for the server to refuse. */
const whole = (raw: string): number | string =>
  /^\d{1,3}([.,]\d{3})+$|^\d+$/.test(raw.trim()) ? Number(raw.trim().replace(/[.,]/g, '')) : raw;

function PurchasesPage() {
  const { t, lang } = useI18n();
  const r = useRange();
  const [cursor, setCursor] = useState<string | null>(null);
  const path = `/purchases?${r.query}&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  const list = useLoad(() => get<{ purchases: Purchase[]; nextCursor: string | null }>(path), [path]);
  const [notice, setNotice] = useState<string | undefined>();
  return (
    <>
      <PageTitle>{t('navPurchases')}</PageTitle>
      <NewPurchase
        onSaved={(p) => {
          setNotice(t('purchaseSaved', { number: p.number }));
          setCursor(null);
          void list.reload();
        }}
      />
      <Card
        id="purchases-title"
        title={t('navPurchases')}
        actions={<CsvButton path={`/purchases/export.csv?${r.query}`} filename={`nhap-hang-${r.range.from}-${r.range.to}.csv`} />}
      >
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <RangeForm r={r} id="purchases" />
        <ErrorNote error={list.error} />
        {!list.data ? (
          <Loading />
        ) : list.data.purchases.length === 0 ? (
          <p className="muted">{t('noPurchases')}</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="purchases">
              <thead>
                <tr>
                  <th scope="col">{t('number')}</th>
                  <th scope="col">{t('date')}</th>
                  <th scope="col">{t('supplier')}</th>
                  <th scope="col">{t('warehouse')}</th>
                  <th scope="col">{t('lines')}</th>
                  <th scope="col">{t('total')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.purchases.map((p) => (
                  <tr key={p.number}>
                    <td>{p.number}</td>
                    <td>{formatDateTime(p.createdAt, lang)}</td>
                    <td>
                      {p.supplier}
                      {p.supplierInvoice ? (
                        <>
                          <br />
                          <span className="muted small">{p.supplierInvoice}</span>
                        </>
                      ) : null}
                    </td>
                    <td>{p.warehouse}</td>
                    <td className="small">{p.lines.map((l) => `${l.sku} × ${l.qty} @ ${formatVnd(l.unitCost, lang)}`).join('; ')}</td>
                    <td className="num">{formatVnd(p.total, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list.data?.nextCursor && (
          <button type="button" className="secondary" onClick={() => setCursor(list.data!.nextCursor)}>
            {t('more')}
          </button>
        )}
      </Card>
    </>
  );
}

/** Goods received: supplier, invoice, note and lines (SKU, qty, unit cost); the server's field errors appear at their inputs. */
function NewPurchase({ onSaved }: { onSaved: (p: Purchase) => void }) {
  const { t } = useI18n();
  const [head, setHead] = useState({ supplier: '', supplierInvoice: '', note: '' });
  const [lines, setLines] = useState<LineDraft[]>([emptyLine()]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setError(undefined);
    try {
      const body = {
        supplier: head.supplier.trim(),
        ...(head.supplierInvoice.trim() ? { supplierInvoice: head.supplierInvoice.trim() } : {}),
        ...(head.note.trim() ? { note: head.note.trim() } : {}),
        lines: lines.map((l) => ({ sku: l.sku.trim(), qty: whole(l.qty), unitCost: whole(l.unitCost) })),
      };
      const saved = await post<Purchase>('/purchases', body);
      setHead({ supplier: '', supplierInvoice: '', note: '' });
      setLines([emptyLine()]);
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.fields.length) {
        // Each message at its input (`lines.0.sku`, or `lines[0].sku`, is line 1's SKU); one no input shows is said in words.
        const { placed, unplaced } = placeFieldErrors(err.fields, (path) =>
          /^(supplier|supplierInvoice|note|lines|lines\.\d+\.(sku|qty|unitCost))$/.test(path),
        );
        setErrors(placed);
        setError(new Error(unplaced.length ? unplaced.join(' · ') : t('fixErrors')));
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const input = (
    key: string,
    label: string,
    value: string,
    onChange: (v: string) => void,
    extra: { required?: boolean; inputMode?: 'numeric' } = {},
  ) => (
    <div className={errors[key] ? 'field invalid' : 'field'}>
      <label htmlFor={`p-${key}`}>
        {label}
        {extra.required && (
          <span className="req" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      <input
        id={`p-${key}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        inputMode={extra.inputMode}
        required={extra.required}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={errors[key] ? `p-${key}-error` : undefined}
      />
      {errors[key] && (
        <p id={`p-${key}-error`} className="field-error">
          {errors[key]}
        </p>
      )}
    </div>
  );
  const setLine = (i: number, key: keyof LineDraft) => (v: string) => setLines(lines.map((l, j) => (j === i ? { ...l, [key]: v } : l)));
  return (
    <Card id="new-purchase-title" title={t('newPurchase')}>
      <form className="stack-form" onSubmit={submit} noValidate>
        {input('supplier', t('supplier'), head.supplier, (v) => setHead({ ...head, supplier: v }), { required: true })}
        {input('supplierInvoice', t('supplierInvoice'), head.supplierInvoice, (v) => setHead({ ...head, supplierInvoice: v }))}
        {lines.map((l, i) => (
          <fieldset key={i} className={Object.keys(errors).some((k) => k.startsWith(`lines.${i}.`)) ? 'invalid' : undefined}>
            <legend>{t('line', { n: i + 1 })}</legend>
            <div className="row-fields">
              {input(`lines.${i}.sku`, t('sku'), l.sku, setLine(i, 'sku'), { required: true })}
              {input(`lines.${i}.qty`, t('qty'), l.qty, setLine(i, 'qty'), { required: true, inputMode: 'numeric' })}
              {input(`lines.${i}.unitCost`, t('unitCost'), l.unitCost, setLine(i, 'unitCost'), { required: true, inputMode: 'numeric' })}
            </div>
            {lines.length > 1 && (
              <button type="button" className="secondary small" onClick={() => setLines(lines.filter((_, j) => j !== i))}>
                {t('removeRow')}
              </button>
            )}
          </fieldset>
        ))}
        {errors.lines && <p className="field-error">{errors.lines}</p>}
        <div>
          <button type="button" className="secondary" onClick={() => setLines([...lines, emptyLine()])}>
            {t('addRow')}
          </button>
        </div>
        {input('note', t('note'), head.note, (v) => setHead({ ...head, note: v }))}
        <ErrorNote error={error} />
        <div>
          <button type="submit" disabled={busy}>
            {busy ? t('submitting') : t('savePurchase')}
          </button>
        </div>
      </form>
    </Card>
  );
}

export const ledgerPages = [
  { path: '/sales-book', label: 'navSalesBook', permission: 'books.manage', Component: SalesBookPage },
  { path: '/books-summary', label: 'navBooksSummary', permission: 'books.manage', Component: BooksSummaryPage },
  { path: '/purchases', label: 'navPurchases', permission: 'stock.manage', Component: PurchasesPage },
] as const;
