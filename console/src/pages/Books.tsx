/**
 * Customers and the books, over the APIs other parts of shopflow provide: customers by phone,
 * stock levels, COD mismatches. Each is listed in the navigation for those allowed to read it.
 */
import { useState, type ComponentType, type FormEvent } from 'react';
import { get } from '../api';
import { Card, ErrorNote, Loading, PageTitle, StatusText } from '../components';
import { useLoad } from '../hooks';
import { formatDateTime, formatPercent, formatVnd, useI18n, type Key } from '../i18n';
import { Link } from '../router';
import { ledgerPages } from './Ledgers';
import { Phone } from '../Phone';

interface Customer {
  id: string;
  phone: string;
  name: string;
  channel: string | null;
  segment: string;
  wholesale: boolean;
  tags: string[];
  createdAt: string;
  address?: string | null;
}
interface CustomerDetail extends Customer {
  reliability: { orders: number; delivered: number; returned: number; deliveredValue12m: number; returnRate: number };
  orders: Array<{ id: string; status: string; stage?: string | null; total?: number | null; createdAt: string }>;
  complaints: Array<{ id: string; category: string; status: string; openedAt: string }>;
}

function CustomersPage() {
  const { t, lang } = useI18n();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const found = useLoad(
    () =>
      query
        ? get<{ customers: Customer[] }>(`/customers?q=${encodeURIComponent(query)}&limit=50`).then((r) => r.customers)
        : Promise.resolve(undefined),
    [query],
  );
  const detail = useLoad(
    () => (selected ? get<CustomerDetail>(`/customers/${encodeURIComponent(selected)}`) : Promise.resolve(undefined)),
    [selected],
  );
  const search = (e: FormEvent) => {
    e.preventDefault();
    setSelected(null);
    setQuery(q.trim() || null);
  };
  return (
    <>
      <Card level={1} id="customers-title" title={t('navCustomers')}>
        <form className="toolbar" onSubmit={search} role="search">
          <label htmlFor="customer-q">{t('searchPhone')}</label>
          <input
            id="customer-q"
            type="search"
            inputMode="tel"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            aria-describedby="customer-q-help"
          />
          <button type="submit">{t('search')}</button>
          <span id="customer-q-help" className="muted small">
            {t('phoneHint')}
          </span>
        </form>
        <ErrorNote error={found.error} />
        {query &&
          (!found.data ? (
            <Loading />
          ) : found.data.length === 0 ? (
            <p className="muted">{t('noResults')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('customer')}</th>
                    <th scope="col">{t('phone')}</th>
                    <th scope="col">{t('segment')}</th>
                    <th scope="col">{t('channel')}</th>
                    <th scope="col">
                      <span className="sr-only">{t('view')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {found.data.map((c) => (
                    <tr key={c.id}>
                      <td>
                        {c.name}
                        {c.wholesale ? ' · B2B' : ''}
                      </td>
                      <td>
                        <Phone value={c.phone} />
                      </td>
                      <td>{c.segment}</td>
                      <td>{c.channel ?? '—'}</td>
                      <td>
                        <button type="button" className="secondary small" onClick={() => setSelected(c.id)}>
                          {t('view')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
      </Card>
      {selected && (
        <Card id="customer-title" title={detail.data ? `${detail.data.name} · ${detail.data.phone}` : t('customer')}>
          <ErrorNote error={detail.error} />
          {!detail.data ? (
            <Loading />
          ) : (
            <>
              <dl className="meta grid">
                <div>
                  <dt>{t('segment')}</dt>
                  <dd>{detail.data.segment}</dd>
                </div>
                <div>
                  <dt>{t('orders')}</dt>
                  <dd>{detail.data.reliability.orders}</dd>
                </div>
                <div>
                  <dt>{t('delivered')}</dt>
                  <dd>{detail.data.reliability.delivered}</dd>
                </div>
                <div>
                  <dt>{t('returned')}</dt>
                  <dd>
                    {detail.data.reliability.returned} ({formatPercent(detail.data.reliability.returnRate, lang)})
                  </dd>
                </div>
                <div>
                  <dt>{t('deliveredValue12m')}</dt>
                  <dd>{formatVnd(detail.data.reliability.deliveredValue12m, lang)}</dd>
                </div>
              </dl>
              <h3>{t('orders')}</h3>
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('orderId')}</th>
                      <th scope="col">{t('status')}</th>
                      <th scope="col">{t('total')}</th>
                      <th scope="col">{t('createdAt')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {detail.data.orders.map((o) => (
                      <tr key={o.id}>
                        <td>
                          <Link href={`/orders/${encodeURIComponent(o.id)}`}>{o.id}</Link>
                        </td>
                        <td>
                          <StatusText status={o.status} />
                        </td>
                        <td className="num">{formatVnd(o.total ?? null, lang)}</td>
                        <td>{formatDateTime(o.createdAt, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {detail.data.complaints.length > 0 && (
                <>
                  <h3>{t('complaints')}</h3>
                  <ul className="plain">
                    {detail.data.complaints.map((c) => (
                      <li key={c.id}>
                        {formatDateTime(c.openedAt, lang)} — {c.category} ({c.status})
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          )}
        </Card>
      )}
    </>
  );
}

interface StockLevel {
  sku: string;
  name: string | null;
  warehouse: string;
  onHand: number;
  reserved: number;
  available: number;
  low: boolean;
}

function StockPage() {
  const { t } = useI18n();
  const [low, setLow] = useState(false);
  const levels = useLoad(
    () => get<{ levels: StockLevel[] }>(`/stock/levels${low ? '?low=true' : ''}`).then((r) => r.levels),
    [low],
    30_000,
  );
  return (
    <Card level={1} id="stock-title" title={t('navStock')}>
      <label className="check">
        <input type="checkbox" checked={low} onChange={(e) => setLow(e.target.checked)} /> {t('lowOnly')}
      </label>
      <ErrorNote error={levels.error} />
      {!levels.data ? (
        <Loading />
      ) : levels.data.length === 0 ? (
        <p className="muted">{t('noResults')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('sku')}</th>
                <th scope="col">{t('product')}</th>
                <th scope="col">{t('warehouse')}</th>
                <th scope="col">{t('onHand')}</th>
                <th scope="col">{t('reserved')}</th>
                <th scope="col">{t('available')}</th>
              </tr>
            </thead>
            <tbody>
              {levels.data.map((l) => (
                <tr key={`${l.sku}@${l.warehouse}`}>
                  <td>{l.sku}</td>
                  <td>{l.name ?? '—'}</td>
                  <td>{l.warehouse}</td>
                  <td className="num">{l.onHand}</td>
                  <td className="num">{l.reserved}</td>
                  <td className={l.low ? 'num overdue' : 'num'}>
                    {l.available}
                    {l.low ? ` (${t('low')})` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

interface CodMismatch {
  kind: string;
  orderId: string | null;
  orderCode: string | null;
  trackingCode: string | null;
  courier: string;
  expectedCod: number | null;
  collected: number;
  difference: number | null;
  remittances: string[];
}
interface Unpaid {
  orderId: string;
  courier: string;
  trackingCode: string;
  expectedCod: number;
  deliveredAt: string | null;
}

function CodPage() {
  const { t, lang } = useI18n();
  const mismatches = useLoad(() => get<{ mismatches: CodMismatch[] }>('/cod/mismatches').then((r) => r.mismatches), [], 30_000);
  const unpaid = useLoad(() => get<{ orders: Unpaid[]; total: number }>('/cod/unpaid'), [], 30_000);
  return (
    <>
      <PageTitle>{t('navCod')}</PageTitle>
      <Card id="cod-title" title={t('mismatches')}>
        <ErrorNote error={mismatches.error} />
        {!mismatches.data ? (
          <Loading />
        ) : mismatches.data.length === 0 ? (
          <p className="muted">{t('noMismatches')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('kindMismatch')}</th>
                  <th scope="col">{t('orderId')}</th>
                  <th scope="col">{t('courier')}</th>
                  <th scope="col">{t('expected')}</th>
                  <th scope="col">{t('received')}</th>
                  <th scope="col">{t('difference')}</th>
                  <th scope="col">{t('remittances')}</th>
                </tr>
              </thead>
              <tbody>
                {mismatches.data.map((m, i) => (
                  <tr key={i}>
                    <td className="overdue">{t(`mismatch_${m.kind}` as Key)}</td>
                    <td>{m.orderId ? <Link href={`/orders/${encodeURIComponent(m.orderId)}`}>{m.orderId}</Link> : (m.orderCode ?? '—')}</td>
                    <td>
                      {m.courier}
                      {m.trackingCode ? ` · ${m.trackingCode}` : ''}
                    </td>
                    <td className="num">{formatVnd(m.expectedCod, lang)}</td>
                    <td className="num">{formatVnd(m.collected, lang)}</td>
                    <td className="num">{formatVnd(m.difference, lang)}</td>
                    <td className="small">{m.remittances.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card id="unpaid-title" title={t('unpaid')}>
        <ErrorNote error={unpaid.error} />
        {!unpaid.data ? (
          <Loading />
        ) : unpaid.data.orders.length === 0 ? (
          <p className="muted">{t('noResults')}</p>
        ) : (
          <>
            <p>
              <strong>{formatVnd(unpaid.data.total, lang)}</strong> · {t('ordersCount', { n: unpaid.data.orders.length })}
            </p>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('orderId')}</th>
                    <th scope="col">{t('courier')}</th>
                    <th scope="col">{t('cod')}</th>
                    <th scope="col">{t('delivered')}</th>
                  </tr>
                </thead>
                <tbody>
                  {unpaid.data.orders.map((o) => (
                    <tr key={o.orderId}>
                      <td>
                        <Link href={`/orders/${encodeURIComponent(o.orderId)}`}>{o.orderId}</Link>
                      </td>
                      <td>
                        {o.courier} · {o.trackingCode}
                      </td>
                      <td className="num">{formatVnd(o.expectedCod, lang)}</td>
                      <td>{formatDateTime(o.deliveredAt, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Card>
    </>
  );
}

export const extraPages: Array<{ path: string; label: Key; permission: string; Component: ComponentType }> = [
  { path: '/customers', label: 'navCustomers', permission: 'customers.read', Component: CustomersPage },
  { path: '/stock', label: 'navStock', permission: 'orders.read', Component: StockPage },
  { path: '/cod', label: 'navCod', permission: 'books.manage', Component: CodPage },
  ...ledgerPages,
];
