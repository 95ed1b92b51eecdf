/** Orders: a filterable list, and one order with where it is, who it waits on, and its timeline. */
import { useEffect, useState } from 'react';
import { get, readWaitingOn, type Me, type Order, type OrderDetail, type OrderItem } from '../api';
import { Card, ErrorNote, LastUpdated, Loading, StatusText, TimeLeft } from '../components';
import { useLoad, useNow } from '../hooks';
import { formatDateTime, formatVnd, useI18n } from '../i18n';
import { Link, useOrderJump } from '../router';
import { useTaskChanges } from '../live';
import { PrintButtons, usePackingText } from './Packing';
import { BulkActions, OrderActions, OrderFilters, useChoiceTitles, useOrderFilters } from './OrderOps';
import { Phone } from '../Phone';
import { OrderTimeline } from './OrderTimeline';
import { courierStatusText } from '../../../definitions/orders/timeline-words';

export function OrdersPage({ me }: { me?: Me }) {
  const { t, lang } = useI18n();
  // The search box and filters live in the URL (OrderOps); the cursor is this page's.
  const filters = useOrderFilters();
  const [cursor, setCursor] = useState<string | null>(null);
  useEffect(() => setCursor(null), [filters.query]);
  const query = `/orders?limit=50${filters.query ? `&${filters.query}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  const { data, error, reload } = useLoad(() => get<{ orders: Order[]; nextCursor: string | null }>(query), [query]);
  const jump = useOrderJump();
  const p = usePackingText();
  // Orders ticked for bulk actions (confirm, print, hand over), kept across pages.
  const [selected, setSelected] = useState<string[]>([]);
  const toggle = (id: string) => setSelected((now) => (now.includes(id) ? now.filter((x) => x !== id) : [...now, id]));
  return (
    <Card level={1} id="orders-title" title={t('navOrders')}>
      <form className="toolbar" onSubmit={jump}>
        <label htmlFor="order-id">{t('orderId')}</label>
        <input id="order-id" name="orderId" placeholder="DH…" />
        <button type="submit">{t('findOrder')}</button>
      </form>
      <OrderFilters f={filters} me={me} />
      <ErrorNote error={error} />
      <BulkActions orderIds={selected} onDone={() => void reload()} />
      {!data ? (
        <Loading />
      ) : data.orders.length === 0 ? (
        <p className="muted">{t('noOrders')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">
                  <span className="sr-only">{p('print')}</span>
                </th>
                <th scope="col">{t('orderId')}</th>
                <th scope="col">{t('customer')}</th>
                <th scope="col">{t('stage')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('total')}</th>
                <th scope="col">{t('createdAt')}</th>
              </tr>
            </thead>
            <tbody>
              {data.orders.map((o) => (
                <tr key={o.id}>
                  <td>
                    <input
                      type="checkbox"
                      checked={selected.includes(o.id)}
                      onChange={() => toggle(o.id)}
                      aria-label={p('selectOrder', { id: o.id })}
                    />
                  </td>
                  <td>
                    <Link href={`/orders/${encodeURIComponent(o.id)}`}>{o.id}</Link>
                  </td>
                  <td>
                    {o.customer.name}
                    <br />
                    <span className="muted small">
                      <Phone value={o.customer.phone} link={false} />
                    </span>
                  </td>
                  <td>{o.stage}</td>
                  <td>
                    <StatusText status={o.status} />
                  </td>
                  <td className="num">{formatVnd(o.total, lang)}</td>
                  <td>{formatDateTime(o.createdAt, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data?.nextCursor && (
        <button type="button" className="secondary" onClick={() => setCursor(data.nextCursor)}>
          {t('more')}
        </button>
      )}
    </Card>
  );
}

export function OrderPage({ id, me }: { id: string; me?: Me }) {
  const { t, lang } = useI18n();
  const now = useNow();
  const { data: order, error, loadedAt, reload } = useLoad(() => get<OrderDetail>(`/orders/${encodeURIComponent(id)}`), [id], 15_000);
  // A task of this order changed (opened, assigned, done): read the order again at once.
  useTaskChanges(
    (c) => c.subject.id === id || c.taskId === '*',
    () => void reload(),
  );
  // Staff names for the holders and the timeline: the order answer names the people it mentions.
  const names = new Map(Object.entries(order?.people ?? {}));
  const titles = useChoiceTitles();
  if (error && !order)
    return (
      <Card level={1} id="order-title" title={t('orderTitle', { id })}>
        <ErrorNote error={error} />
      </Card>
    );
  if (!order) return <Loading />;
  return (
    <>
      <Card level={1} id="order-title" title={t('orderTitle', { id: order.id })}>
        <LastUpdated at={loadedAt} />
        <ErrorNote error={error} />
        <PrintButtons orderId={order.id} />
        <dl className="meta grid">
          <div>
            <dt>{t('customer')}</dt>
            <dd>{order.customer.name ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('phone')}</dt>
            <dd>
              <Phone value={order.customer.phone} />
            </dd>
          </div>
          <div>
            <dt>{t('channel')}</dt>
            <dd>{titles.channel(order.channel)}</dd>
          </div>
          <div>
            <dt>{t('status')}</dt>
            <dd>
              <StatusText status={order.status} />
            </dd>
          </div>
          <div>
            <dt>{t('currentStage')}</dt>
            <dd>
              {order.current
                ? order.current.title
                : order.stage && Object.hasOwn(order.stages ?? {}, order.stage)
                  ? order.stages[order.stage]
                  : '—'}
            </dd>
          </div>
          <div>
            <dt>{t('since')}</dt>
            <dd>{formatDateTime(order.current?.since, lang)}</dd>
          </div>
          <div>
            <dt>{t('total')}</dt>
            <dd>{formatVnd(order.total, lang)}</dd>
          </div>
          <div>
            <dt>{t('cod')}</dt>
            <dd>{formatVnd(order.codAmount, lang)}</dd>
          </div>
          <div>
            <dt>{t('courier')}</dt>
            <dd>{titles.courier(order.shipment?.courier ?? order.courier)}</dd>
          </div>
          <div>
            <dt>{t('tracking')}</dt>
            <dd>{order.shipment?.trackingCode ?? order.trackingCode ?? '—'}</dd>
          </div>
          {order.shipment && (
            <div>
              <dt>{t('shipmentState')}</dt>
              <dd>{courierStatusText(order.shipment.courier, order.shipment.status, order.shipment.state, lang)}</dd>
            </div>
          )}
          {order.shipment?.deliveryDueAt && (
            <div>
              <dt>{t('dueAt')}</dt>
              <dd>
                {formatDateTime(order.shipment.deliveryDueAt, lang)} ·{' '}
                <TimeLeft dueAt={order.shipment.state === 'delivered' ? null : order.shipment.deliveryDueAt} now={now} />
              </dd>
            </div>
          )}
          {order.definition && (
            <div>
              <dt>{t('process')}</dt>
              <dd>
                {order.definition.name} v{order.definition.version}
              </dd>
            </div>
          )}
          {order.shippingAddress && (
            <div>
              <dt>{t('address')}</dt>
              <dd>{order.shippingAddress.text}</dd>
            </div>
          )}
        </dl>
        <OrderItems items={order.items} />
        <h3>{t('waitingOn')}</h3>
        {!order.current || order.current.waitingOn.length === 0 ? (
          <p className="muted">{t('nobody')}</p>
        ) : (
          <ul className="plain">
            {order.current.waitingOn.map(readWaitingOn).map((w) => (
              <li key={w.taskId}>
                <strong>{w.title ?? w.taskId}</strong> — {t('role')}: {w.role}, {t('assignee')}:{' '}
                {w.assigneeId ? (names?.get(w.assigneeId) ?? w.assigneeId) : t('unassigned')}
                {' · '}
                <TimeLeft dueAt={w.dueAt || null} now={now} />
                {w.escalationLevel > 0 && <span className="warn"> · {t('escalationLevel', { n: w.escalationLevel })}</span>}
              </li>
            ))}
          </ul>
        )}
      </Card>
      {me && <OrderActions order={order} me={me} onChanged={() => void reload()} />}
      <OrderTimeline order={order} names={names} />
    </>
  );
}

/** The items staff agreed (the order API's `items`), named from the catalogue where listed there. */
function OrderItems({ items }: { items: OrderItem[] }) {
  const { t, lang } = useI18n();
  if (items.length === 0) return null;
  return (
    <div className="table-wrap">
      <table className="compact" data-testid="order-items">
        <caption>{t('items')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('sku')}</th>
            <th scope="col">{t('product')}</th>
            <th scope="col">{t('qty')}</th>
            <th scope="col">{t('unitPrice')}</th>
            <th scope="col">{t('amount')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item, i) => (
            <tr key={`${item.sku ?? ''}-${i}`}>
              <td>{item.sku ?? '—'}</td>
              <td>{item.name ?? '—'}</td>
              <td className="num">{item.qty ?? '—'}</td>
              <td className="num">{formatVnd(item.price, lang)}</td>
              <td className="num">{formatVnd(item.amount, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
