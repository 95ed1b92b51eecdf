/**
 * The web-shop simulator: orders in Shopify's and Haravan's real webhook format, signed as the
 * platforms sign them (base64 HMAC-SHA256 of the raw body with the app's secret in
 * `X-Shopify-Hmac-Sha256` / `X-Haravan-Hmac-Sha256`, with the topic, shop and webhook id headers),
 * and posted the way they deliver: retried while the receiver is down or answers non-2xx. Used by
 * the integration tests and `npm run webshop-sim`. A fake only at the outer edge.
 */
import crypto from 'node:crypto';

export type SimPlatform = 'shopify' | 'haravan';

/** One line of a simulated order. */
export interface SimLine {
  sku: string | null;
  name: string;
  quantity: number;
  /** Unit price in VND. */
  price: number;
}

/** What a simulated order is made of; the builders fill the rest of the platform's shape. */
export interface SimOrder {
  id: number;
  /** `#1001` */
  name?: string;
  createdAt?: string;
  customer: { firstName: string; lastName: string; phone: string; email?: string };
  /** Shopify: address2 carries the ward and city the district (Vietnamese stores ask so); Haravan has its own fields. */
  address: { street: string; ward?: string; district?: string; province: string };
  lines: SimLine[];
  shippingFee?: number;
  /** Cash on delivery (default) or paid online. */
  cod?: boolean;
  note?: string;
  cancelled?: { at: string; reason: string };
}

const money = (vnd: number) => vnd.toFixed(2);
const totalOf = (o: SimOrder) => o.lines.reduce((n, l) => n + l.quantity * l.price, 0) + (o.shippingFee ?? 0);

/** A Shopify `orders/create` (or `orders/cancelled`) body: the REST Admin API order resource. */
export function shopifyOrder(o: SimOrder): Record<string, unknown> {
  const cod = o.cod ?? true;
  const total = totalOf(o);
  const address = {
    first_name: o.customer.firstName,
    last_name: o.customer.lastName,
    name: `${o.customer.lastName} ${o.customer.firstName}`,
    address1: o.address.street,
    address2: o.address.ward ?? null,
    city: o.address.district ?? null,
    province: o.address.province,
    country: 'Vietnam',
    country_code: 'VN',
    zip: null,
    phone: o.customer.phone,
    company: null,
  };
  return {
    id: o.id,
    admin_graphql_api_id: `gid://shopify/Order/${o.id}`,
    name: o.name ?? `#${o.id % 100000}`,
    order_number: o.id % 100000,
    email: o.customer.email ?? null,
    phone: null,
    created_at: o.createdAt ?? new Date().toISOString(),
    updated_at: new Date().toISOString(),
    processed_at: o.createdAt ?? new Date().toISOString(),
    currency: 'VND',
    presentment_currency: 'VND',
    financial_status: cod ? 'pending' : 'paid',
    fulfillment_status: null,
    gateway: cod ? 'Cash on Delivery (COD)' : 'shopify_payments',
    payment_gateway_names: [cod ? 'Cash on Delivery (COD)' : 'shopify_payments'],
    subtotal_price: money(total - (o.shippingFee ?? 0)),
    total_price: money(total),
    total_outstanding: money(cod ? total : 0),
    total_discounts: '0.00',
    total_tax: '0.00',
    total_shipping_price_set: {
      shop_money: { amount: money(o.shippingFee ?? 0), currency_code: 'VND' },
      presentment_money: { amount: money(o.shippingFee ?? 0), currency_code: 'VND' },
    },
    note: o.note ?? null,
    tags: '',
    cancelled_at: o.cancelled?.at ?? null,
    cancel_reason: o.cancelled?.reason ?? null,
    customer: {
      id: 7_000_000_000 + o.id,
      email: o.customer.email ?? null,
      first_name: o.customer.firstName,
      last_name: o.customer.lastName,
      phone: o.customer.phone,
    },
    billing_address: address,
    shipping_address: address,
    line_items: o.lines.map((l, i) => ({
      id: o.id * 100 + i,
      variant_id: 40_000_000 + i,
      product_id: 8_000_000 + i,
      sku: l.sku,
      name: l.name,
      title: l.name,
      quantity: l.quantity,
      price: money(l.price),
      total_discount: '0.00',
      requires_shipping: true,
      taxable: false,
    })),
    shipping_lines: o.shippingFee ? [{ id: o.id, title: 'Giao hàng tiêu chuẩn', price: money(o.shippingFee), code: 'standard' }] : [],
  };
}

/** A Haravan `orders/create` (or `orders/cancelled`) body: Haravan's order resource (amounts as numbers). */
export function haravanOrder(o: SimOrder): Record<string, unknown> {
  const cod = o.cod ?? true;
  const total = totalOf(o);
  const address = {
    first_name: o.customer.firstName,
    last_name: o.customer.lastName,
    name: `${o.customer.lastName} ${o.customer.firstName}`,
    address1: o.address.street,
    address2: null,
    ward: o.address.ward ?? null,
    district: o.address.district ?? null,
    province: o.address.province,
    city: o.address.province,
    country: 'Vietnam',
    country_code: 'VN',
    phone: o.customer.phone,
  };
  return {
    id: o.id,
    name: o.name ?? `#${o.id % 100000}`,
    order_number: String(o.id % 100000),
    email: o.customer.email ?? '',
    created_at: o.createdAt ?? new Date().toISOString(),
    updated_at: new Date().toISOString(),
    currency: 'VND',
    financial_status: cod ? 'pending' : 'paid',
    fulfillment_status: 'notfulfilled',
    gateway: cod ? 'Thanh toán khi giao hàng (COD)' : 'Chuyển khoản qua ngân hàng',
    gateway_code: cod ? 'COD' : 'BankDeposit',
    subtotal_price: total - (o.shippingFee ?? 0),
    total_price: total,
    total_discounts: 0,
    note: o.note ?? '',
    cancelled_at: o.cancelled?.at ?? null,
    cancel_reason: o.cancelled?.reason ?? null,
    cancelled_status: o.cancelled ? 'cancelled' : 'uncancelled',
    customer: { id: 1_000_000 + o.id, first_name: o.customer.firstName, last_name: o.customer.lastName, phone: o.customer.phone },
    billing_address: address,
    shipping_address: address,
    line_items: o.lines.map((l, i) => ({
      id: o.id * 100 + i,
      variant_id: 1_000 + i,
      product_id: 2_000 + i,
      sku: l.sku ?? '',
      name: l.name,
      title: l.name,
      quantity: l.quantity,
      price: l.price,
      requires_shipping: true,
    })),
    shipping_lines: o.shippingFee ? [{ title: 'Giao hàng tận nơi', price: o.shippingFee, code: null }] : [],
  };
}

/** The headers a platform sends with a webhook body (signature computed over exactly these bytes). */
export function signedHeaders(
  platform: SimPlatform,
  raw: string,
  opts: { secret: string; topic: string; shop: string; webhookId?: string },
): Record<string, string> {
  const hmac = crypto.createHmac('sha256', opts.secret).update(raw, 'utf8').digest('base64');
  if (platform === 'shopify') {
    return {
      'Content-Type': 'application/json',
      'X-Shopify-Topic': opts.topic,
      'X-Shopify-Hmac-Sha256': hmac,
      'X-Shopify-Shop-Domain': opts.shop,
      'X-Shopify-API-Version': '2024-10',
      'X-Shopify-Webhook-Id': opts.webhookId ?? crypto.randomUUID(),
      'X-Shopify-Triggered-At': new Date().toISOString(),
    };
  }
  return {
    'Content-Type': 'application/json',
    'X-Haravan-Topic': opts.topic,
    'X-Haravan-Hmac-Sha256': hmac,
    'X-Haravan-Org-Id': opts.shop,
  };
}

export interface SendOptions {
  /** The receiver's URL for this platform, e.g. `http://127.0.0.1:3000/webhooks/shopify`. */
  url: string;
  platform: SimPlatform;
  secret: string;
  topic: 'orders/create' | 'orders/cancelled' | string;
  shop: string;
  body: Record<string, unknown>;
  /** The same id on every retry of this delivery (Shopify's X-Shopify-Webhook-Id). */
  webhookId?: string;
  /** Tries while the receiver is down or answers non-2xx (default 1: tests look at each answer). */
  attempts?: number;
  retryDelayMs?: number;
}

/** Posts one signed webhook; resolves with the receiver's last answer. */
export async function sendWebShopWebhook(o: SendOptions): Promise<{ status: number; body: unknown; attempts: number }> {
  const raw = JSON.stringify(o.body);
  const headers = signedHeaders(o.platform, raw, {
    secret: o.secret,
    topic: o.topic,
    shop: o.shop,
    webhookId: o.webhookId ?? crypto.randomUUID(),
  });
  const attempts = o.attempts ?? 1;
  let last: { status: number; body: unknown } = { status: 0, body: undefined };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await fetch(o.url, { method: 'POST', headers, body: raw, signal: AbortSignal.timeout(10_000) });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      last = { status: res.status, body };
      if (res.ok) return { ...last, attempts: attempt };
    } catch (err) {
      last = { status: 0, body: (err as Error).message };
    }
    if (attempt < attempts) await new Promise((r) => setTimeout(r, (o.retryDelayMs ?? 500) * 2 ** (attempt - 1)));
  }
  return { ...last, attempts };
}
