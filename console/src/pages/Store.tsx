/**
 * The point of sale at the shop's counter (bán hàng tại cửa hàng), made for a tablet: a USB or
 * Bluetooth scanner types the barcode into the scan box and presses Enter; quantities change
 * with big buttons; the customer pays in cash (change shown), by transfer (the VietQR code of the
 * amount on screen) or by card; the K80 receipt opens for printing; returns and exchanges are
 * taken back by sale number. Words are Vietnamese first, English from the language menu.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import QRCode from 'qrcode';
import { api, ApiError, get, newIdempotencyKey, post, session } from '../api';
import { PageTitle } from '../components';
import { useI18n } from '../i18n';
import type { components } from '../api-types.gen';
import './store.css';

type Settings = components['schemas']['StoreSettings'];
type Product = components['schemas']['StoreProduct'];
type Sale = components['schemas']['StoreSale'];
type SaleAnswer = components['schemas']['StoreSaleAnswer'];
type ReturnAnswer = components['schemas']['StoreReturnAnswer'];
type Method = Settings['payments'][number]['method'];

const words = {
  vi: {
    title: 'Bán hàng tại cửa hàng',
    scan: 'Quét mã vạch hoặc nhập mã sản phẩm',
    scanHint: 'Máy quét gõ mã rồi Enter. Có thể gõ mã SKU.',
    add: 'Thêm',
    empty: 'Giỏ hàng trống — quét sản phẩm đầu tiên.',
    product: 'Sản phẩm',
    price: 'Đơn giá',
    qty: 'SL',
    amount: 'Thành tiền',
    remove: 'Bỏ',
    total: 'Tổng cộng',
    method: 'Hình thức thanh toán',
    received: 'Khách đưa',
    change: 'Tiền thối lại',
    reference: 'Mã giao dịch / số hoá đơn thẻ (nếu có)',
    customerPhone: 'SĐT khách (không bắt buộc)',
    customerName: 'Tên khách (không bắt buộc)',
    pay: 'Thanh toán',
    paying: 'Đang thanh toán…',
    paid: 'Đã thanh toán',
    saleNumber: 'Số hoá đơn',
    scanToPay: 'Khách quét mã VietQR để chuyển khoản',
    bank: 'Ngân hàng',
    account: 'Số tài khoản',
    purpose: 'Nội dung',
    print: 'In hoá đơn (K80)',
    next: 'Khách tiếp theo',
    returns: 'Đổi / trả hàng',
    findSale: 'Số hoá đơn, mã đơn hoặc SĐT',
    find: 'Tìm',
    back: 'Trả lại',
    left: 'còn trả được',
    reason: 'Lý do',
    refundMethod: 'Hoàn tiền bằng',
    doReturn: 'Nhận hàng trả',
    returned: 'Đã nhận trả {number}: hoàn {refund}',
    exchangeHint: 'Đổi hàng: quét hàng mới vào giỏ ở trên, chọn hàng trả ở đây rồi bấm “Đổi hàng”.',
    doExchange: 'Đổi hàng (trả + bán mới)',
    exchanged: 'Đã đổi: {number}, đơn mới {order}, khách trả thêm {due}',
    noSale: 'Không tìm thấy hoá đơn.',
    stock: 'tồn {n}',
    error: 'Lỗi: {message}',
    noProcess: 'Cửa hàng chưa có quy trình bán tại quầy đang hoạt động.',
  },
  en: {
    title: 'Store point of sale',
    scan: 'Scan a barcode or type a SKU',
    scanHint: 'The scanner types the code and presses Enter. A SKU works too.',
    add: 'Add',
    empty: 'The cart is empty — scan the first item.',
    product: 'Product',
    price: 'Price',
    qty: 'Qty',
    amount: 'Amount',
    remove: 'Remove',
    total: 'Total',
    method: 'Payment method',
    received: 'Cash received',
    change: 'Change',
    reference: 'Transaction / card slip number (optional)',
    customerPhone: 'Customer phone (optional)',
    customerName: 'Customer name (optional)',
    pay: 'Take payment',
    paying: 'Taking payment…',
    paid: 'Paid',
    saleNumber: 'Receipt number',
    scanToPay: 'The customer scans the VietQR code to transfer',
    bank: 'Bank',
    account: 'Account',
    purpose: 'Purpose',
    print: 'Print receipt (K80)',
    next: 'Next customer',
    returns: 'Returns / exchanges',
    findSale: 'Receipt number, order id or phone',
    find: 'Find',
    back: 'Return',
    left: 'returnable',
    reason: 'Reason',
    refundMethod: 'Refund by',
    doReturn: 'Take the return',
    returned: 'Return {number} taken: refund {refund}',
    exchangeHint: 'Exchange: scan the new goods into the cart above, pick what comes back here, then press “Exchange”.',
    doExchange: 'Exchange (return + new sale)',
    exchanged: 'Exchanged: {number}, new order {order}, customer pays {due}',
    noSale: 'No such receipt.',
    stock: '{n} in stock',
    error: 'Error: {message}',
    noProcess: 'The shop has no active store sale process.',
  },
};
type Word = keyof (typeof words)['vi'];

const vnd = (n: number) => `${new Intl.NumberFormat('vi-VN').format(n)} ₫`;

/** The VietQR payload as an SVG QR code (qrcode's matrix; no canvas, sharp on any screen). */
function QrCode({ payload, label }: { payload: string; label: string }) {
  const matrix = QRCode.create(payload, { errorCorrectionLevel: 'M' }).modules;
  const n = matrix.size;
  let d = '';
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (matrix.get(r, c)) d += `M${c + 2} ${r + 2}h1v1h-1z`;
  return (
    <svg
      role="img"
      aria-label={label}
      data-payload={payload}
      viewBox={`0 0 ${n + 4} ${n + 4}`}
      width="240"
      height="240"
      className="store-qr"
    >
      <rect width={n + 4} height={n + 4} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}

interface CartLine extends Product {
  qty: number;
}

/** An API refusal with the fields it names, in one line. */
function explain(err: unknown, w: (k: Word, v?: Record<string, string>) => string): string {
  if (err instanceof ApiError) {
    const fields = (err.details as { fields?: Array<{ field: string; message: string }> } | undefined)?.fields;
    return w('error', { message: fields?.length ? fields.map((f) => `${f.field}: ${f.message}`).join('; ') : err.message });
  }
  return w('error', { message: String((err as Error)?.message ?? err) });
}

export function StorePage() {
  const { lang } = useI18n();
  const w = (key: Word, vars: Record<string, string> = {}) =>
    Object.entries(vars).reduce((s, [k, v]) => s.replace(`{${k}}`, v), words[lang][key]);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [settingsError, setSettingsError] = useState<string | null>(null);
  const [cart, setCart] = useState<CartLine[]>([]);
  const [code, setCode] = useState('');
  const [method, setMethod] = useState<Method>('cash');
  const [received, setReceived] = useState('');
  const [reference, setReference] = useState('');
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sale, setSale] = useState<Sale | null>(null);
  const cartId = useRef<string | null>(null);
  const scanBox = useRef<HTMLInputElement>(null);

  useEffect(() => {
    get<Settings>('/store/settings').then(
      (s) => {
        setSettings(s);
        setMethod(s.payments[0]?.method ?? 'cash');
      },
      (err: unknown) => setSettingsError(err instanceof ApiError && err.status === 409 ? w('noProcess') : explain(err, w)),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const total = cart.reduce((s, l) => s + l.qty * l.price, 0);
  const cash = Number(received.replace(/\D/g, '')) || 0;

  async function scan(e: FormEvent) {
    e.preventDefault();
    const typed = code.trim();
    if (!typed) return;
    setError(null);
    try {
      const product = await post<Product>('/store/scans', { barcode: typed });
      setCart((c) => {
        const at = c.findIndex((l) => l.sku === product.sku);
        if (at < 0) return [...c, { ...product, qty: 1 }];
        return c.map((l, i) => (i === at ? { ...l, qty: l.qty + 1 } : l));
      });
      if (sale) setSale(null);
    } catch (err) {
      setError(explain(err, w));
    }
    setCode('');
    scanBox.current?.focus();
  }

  const setQty = (sku: string, qty: number) =>
    setCart((c) => (qty <= 0 ? c.filter((l) => l.sku !== sku) : c.map((l) => (l.sku === sku ? { ...l, qty } : l))));

  async function pay() {
    if (!cart.length || busy) return;
    setBusy(true);
    setError(null);
    try {
      // The cart is opened once and paid by its id: a second tap or a retry pays nothing twice.
      if (!cartId.current) {
        const opened = await post<Sale>('/store/sales/open', {
          ...(phone.trim() || name.trim()
            ? { customer: { ...(phone.trim() && { phone: phone.trim() }), ...(name.trim() && { name: name.trim() }) } }
            : {}),
        });
        cartId.current = opened.id;
      }
      const answer = await post<SaleAnswer>(`/store/sales/${encodeURIComponent(cartId.current)}/checkout`, {
        lines: cart.map((l) => ({ sku: l.sku, qty: l.qty })),
        payment: {
          method,
          ...(method === 'cash' && received.trim() ? { received: cash } : {}),
          ...(method !== 'cash' && reference.trim() ? { reference: reference.trim() } : {}),
        },
      });
      setSale(answer.sale);
    } catch (err) {
      setError(explain(err, w));
    } finally {
      setBusy(false);
    }
  }

  function nextCustomer() {
    setCart([]);
    setSale(null);
    setReceived('');
    setReference('');
    setPhone('');
    setName('');
    setError(null);
    cartId.current = null;
    scanBox.current?.focus();
  }

  async function printReceipt(id: string) {
    const res = await fetch(`/api/v1/store/sales/${encodeURIComponent(id)}/receipt.pdf`, {
      headers: { authorization: `Bearer ${session.token() ?? ''}` },
    });
    if (!res.ok) return setError(w('error', { message: `${res.status}` }));
    const url = URL.createObjectURL(await res.blob());
    const tab = window.open(url, '_blank');
    if (!tab) location.assign(url);
  }

  if (settingsError)
    return (
      <p className="error" role="alert">
        {settingsError}
      </p>
    );
  return (
    <section className="store-pos">
      <PageTitle>{w('title')}</PageTitle>
      {settings && (
        <p className="muted small">
          {settings.shop.name} · {settings.warehouse.title}
        </p>
      )}
      <form onSubmit={scan} className="store-scan">
        <label>
          <span>{w('scan')}</span>
          <input
            ref={scanBox}
            autoFocus
            inputMode="text"
            autoComplete="off"
            name="barcode"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            aria-describedby="store-scan-hint"
          />
        </label>
        <button type="submit">{w('add')}</button>
        <p id="store-scan-hint" className="muted small">
          {w('scanHint')}
        </p>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}

      {cart.length === 0 ? (
        <p className="muted">{w('empty')}</p>
      ) : (
        <table className="store-cart">
          <thead>
            <tr>
              <th>{w('product')}</th>
              <th>{w('price')}</th>
              <th>{w('qty')}</th>
              <th>{w('amount')}</th>
            </tr>
          </thead>
          <tbody>
            {cart.map((l) => (
              <tr key={l.sku}>
                <td>
                  <strong>{l.name}</strong>
                  <br />
                  <span className="muted small">
                    {l.sku} · {w('stock', { n: String(l.available) })}
                  </span>
                </td>
                <td>{vnd(l.price)}</td>
                <td>
                  <span className="store-qty">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`− ${l.name}`}
                      disabled={!!sale}
                      onClick={() => setQty(l.sku, l.qty - 1)}
                    >
                      −
                    </button>
                    <input
                      aria-label={`${w('qty')} ${l.name}`}
                      inputMode="numeric"
                      value={l.qty}
                      disabled={!!sale}
                      onChange={(e) => setQty(l.sku, Number(e.target.value.replace(/\D/g, '')) || 0)}
                    />
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`+ ${l.name}`}
                      disabled={!!sale}
                      onClick={() => setQty(l.sku, l.qty + 1)}
                    >
                      +
                    </button>
                  </span>
                </td>
                <td>{vnd(l.qty * l.price)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th colSpan={3}>{w('total')}</th>
              <th data-testid="store-total">{vnd(total)}</th>
            </tr>
          </tfoot>
        </table>
      )}

      {!sale && cart.length > 0 && settings && (
        <div className="store-pay">
          <fieldset>
            <legend>{w('method')}</legend>
            {settings.payments.map((p) => (
              <label key={p.method} className="store-method">
                <input type="radio" name="method" value={p.method} checked={method === p.method} onChange={() => setMethod(p.method)} />
                {p.title}
              </label>
            ))}
          </fieldset>
          {method === 'cash' ? (
            <label>
              <span>{w('received')}</span>
              <input inputMode="numeric" value={received} onChange={(e) => setReceived(e.target.value)} placeholder={String(total)} />
              {received.trim() && cash >= total && (
                <span className="store-change">
                  {w('change')}: <strong>{vnd(cash - total)}</strong>
                </span>
              )}
            </label>
          ) : (
            <label>
              <span>{w('reference')}</span>
              <input value={reference} onChange={(e) => setReference(e.target.value)} />
            </label>
          )}
          <label>
            <span>{w('customerPhone')}</span>
            <input inputMode="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />
          </label>
          <label>
            <span>{w('customerName')}</span>
            <input value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="button" className="store-pay-button" disabled={busy} onClick={pay}>
            {busy ? w('paying') : `${w('pay')} ${vnd(total)}`}
          </button>
        </div>
      )}

      {sale && (
        <div className="store-done" aria-live="polite">
          <h2>
            {w('paid')} · {w('saleNumber')} <span data-testid="store-sale-number">{sale.saleNumber}</span>
          </h2>
          {sale.payment?.method === 'cash' && sale.payment.change !== null && (
            <p>
              {w('change')}: <strong>{vnd(sale.payment.change ?? 0)}</strong>
            </p>
          )}
          {sale.transfer && (
            <figure className="store-transfer">
              <figcaption>{w('scanToPay')}</figcaption>
              <QrCode payload={sale.transfer.payload} label={`VietQR ${vnd(sale.transfer.amount)}`} />
              <p>
                <strong>{vnd(sale.transfer.amount)}</strong>
                <br />
                {w('bank')}: {sale.transfer.bank.bankName} · {w('account')}: {sale.transfer.bank.account} ({sale.transfer.bank.accountName})
                <br />
                {w('purpose')}: {sale.transfer.purpose}
              </p>
            </figure>
          )}
          <button type="button" onClick={() => printReceipt(sale.id)}>
            {w('print')}
          </button>{' '}
          <button type="button" className="secondary" onClick={nextCustomer}>
            {w('next')}
          </button>
        </div>
      )}

      <Returns
        w={w}
        settings={settings}
        exchangeCart={sale ? [] : cart}
        onExchanged={(s) => {
          setCart([]);
          setSale(s);
        }}
        explain={(e) => explain(e, w)}
      />
    </section>
  );
}

/** Returns and exchanges: find the sale, pick what comes back, refund or exchange for the cart. */
function Returns({
  w,
  settings,
  exchangeCart,
  onExchanged,
  explain: say,
}: {
  w: (k: Word, v?: Record<string, string>) => string;
  settings: Settings | null;
  exchangeCart: CartLine[];
  onExchanged: (sale: Sale) => void;
  explain: (err: unknown) => string;
}) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Sale | null>(null);
  const returnKey = useRef<{ key: string; body: string } | null>(null);
  const [back, setBack] = useState<Record<string, number>>({});
  const [reason, setReason] = useState('');
  const [refundMethod, setRefundMethod] = useState<Method | ''>('');
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function find(e: FormEvent) {
    e.preventDefault();
    setNote(null);
    try {
      const { sales } = await get<{ sales: Sale[] }>(`/store/sales?status=paid&q=${encodeURIComponent(q.trim())}&limit=1`);
      setFound(sales[0] ?? null);
      setBack({});
      if (!sales[0]) setNote(w('noSale'));
    } catch (err) {
      setNote(say(err));
    }
  }

  async function take(exchange: boolean) {
    if (!found || busy) return;
    const lines = Object.entries(back)
      .filter(([, n]) => n > 0)
      .map(([sku, qty]) => ({ sku, qty }));
    if (!lines.length) return;
    setBusy(true);
    setNote(null);
    try {
      const body = {
        lines,
        ...(reason.trim() && { reason: reason.trim() }),
        ...(refundMethod && { refundMethod }),
        ...(exchange && {
          exchange: { lines: exchangeCart.map((l) => ({ sku: l.sku, qty: l.qty })), payment: { method: refundMethod || 'cash' } },
        }),
      };
      // One key per return: pressing again after a lost answer repeats the same return, never a second one.
      const fingerprint = JSON.stringify([found.id, body]);
      if (!returnKey.current || returnKey.current.body !== fingerprint) returnKey.current = { key: newIdempotencyKey(), body: fingerprint };
      const answer = await api<ReturnAnswer>('POST', `/store/sales/${encodeURIComponent(found.id)}/returns`, body, {
        idempotencyKey: returnKey.current.key,
      });
      returnKey.current = null;
      setFound(answer.sale);
      setBack({});
      if (answer.exchange) {
        setNote(
          w('exchanged', { number: answer.return.number, order: answer.exchange.id, due: vnd(answer.exchange.payment?.amount ?? 0) }),
        );
        onExchanged(answer.exchange);
      } else setNote(w('returned', { number: answer.return.number, refund: vnd(answer.return.refund) }));
    } catch (err) {
      setNote(say(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="store-returns">
      <summary>{w('returns')}</summary>
      <form onSubmit={find} className="store-scan">
        <label>
          <span>{w('findSale')}</span>
          <input value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
        <button type="submit">{w('find')}</button>
      </form>
      {note && <p role="status">{note}</p>}
      {found && (
        <>
          <p>
            <strong>{found.saleNumber}</strong> · {found.id} · {vnd(found.total)}
          </p>
          <table>
            <tbody>
              {found.lines.map((l) => (
                <tr key={l.lineNo}>
                  <td>
                    {l.name} ({l.sku})
                  </td>
                  <td>
                    {l.qty - l.returnedQty} {w('left')}
                  </td>
                  <td>
                    <label>
                      <span className="muted small">{w('back')}</span>{' '}
                      <input
                        inputMode="numeric"
                        aria-label={`${w('back')} ${l.name}`}
                        value={back[l.sku] ?? ''}
                        onChange={(e) => setBack({ ...back, [l.sku]: Number(e.target.value.replace(/\D/g, '')) || 0 })}
                      />
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <label>
            <span>{w('reason')}</span>
            <input value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <label>
            <span>{w('refundMethod')}</span>
            <select value={refundMethod} onChange={(e) => setRefundMethod(e.target.value as Method)}>
              <option value="">—</option>
              {settings?.payments.map((p) => (
                <option key={p.method} value={p.method}>
                  {p.title}
                </option>
              ))}
            </select>
          </label>
          <button type="button" disabled={busy} onClick={() => take(false)}>
            {w('doReturn')}
          </button>{' '}
          <button type="button" className="secondary" disabled={busy || exchangeCart.length === 0} onClick={() => take(true)}>
            {w('doExchange')}
          </button>
          <p className="muted small">{w('exchangeHint')}</p>
        </>
      )}
    </details>
  );
}
