/**
 * Web-shop platforms as their webhooks speak: Shopify and Haravan (a Vietnamese platform whose
 * webhooks follow Shopify's shape). Each signs the raw body with HMAC-SHA256 and the app's secret,
 * base64, in its own header (`X-Shopify-Hmac-Sha256`, `X-Haravan-Hmac-Sha256`), names the topic
 * (`orders/create`, `orders/cancelled`) and the shop in headers, and posts the order as JSON. This
 * module verifies and reads them into one plain order; nothing here writes anywhere.
 */
import crypto from 'node:crypto';

export type WebShopPlatform = 'shopify' | 'haravan';

/** Where each platform puts what shopflow reads. */
export const PLATFORMS: Readonly<
  Record<WebShopPlatform, { title: string; hmac: string; topic: string; shop: string; webhookId?: string }>
> = Object.freeze({
  shopify: {
    title: 'Shopify',
    hmac: 'X-Shopify-Hmac-Sha256',
    topic: 'X-Shopify-Topic',
    shop: 'X-Shopify-Shop-Domain',
    webhookId: 'X-Shopify-Webhook-Id',
  },
  haravan: { title: 'Haravan', hmac: 'X-Haravan-Hmac-Sha256', topic: 'X-Haravan-Topic', shop: 'X-Haravan-Org-Id' },
});

export const isWebShopPlatform = (value: string): value is WebShopPlatform => Object.hasOwn(PLATFORMS, value);

/** The signature a platform puts on a body: base64 of HMAC-SHA256(raw body, secret). */
export function webShopSignature(raw: Buffer | string, secret: string): string {
  return crypto.createHmac('sha256', secret).update(raw).digest('base64');
}

/** Whether a signature header is the body's signature with this secret (constant time, decoded bytes). */
export function signatureMatches(raw: Buffer, header: string | undefined, secret: string): boolean {
  if (!header || !secret) return false;
  const expected = crypto.createHmac('sha256', secret).update(raw).digest();
  const given = Buffer.from(header.trim(), 'base64');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/** One order as a web shop sent it, read into shopflow's words (amounts in whole VND). */
export interface WebShopOrder {
  platform: WebShopPlatform;
  /** The shop at the platform (Shopify's domain, Haravan's org id). */
  shop: string;
  /** The platform's order id. */
  id: string;
  /** What the shop calls it (`#1001`). */
  name: string;
  createdAt: Date;
  customer: { name: string; phone: string };
  items: Array<{ line: number; sku?: string; name: string; qty?: number; price?: number }>;
  address: { street?: string; ward?: string; district?: string; province?: string };
  /** Cash on delivery: the courier collects `codAmount`. */
  cod: boolean;
  codAmount: number;
  shippingFee?: number;
  currency?: string;
  note?: string;
  /** Why the order is cancelled (`orders/cancelled`). */
  cancelReason?: string;
}

/** A body field that keeps the webhook from naming its order: the field, and why (answered 400/422). */
export class WebShopOrderError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'WebShopOrderError';
  }
}

/**
 * Reads an order body. Throws WebShopOrderError only for what names the order and its customer
 * (`id`, `created_at`, a phone): everything else that is missing or odd (a line without SKU, no
 * ward) is kept as it is, for the intake to turn into a task.
 */
export function readWebShopOrder(platform: WebShopPlatform, shop: string, body: Record<string, unknown>): WebShopOrder {
  const id = text(body.id);
  if (!id || id.length > 64) throw new WebShopOrderError('id', 'the order has no id (a number or text of at most 64 characters)');
  const createdAt = new Date(text(body.created_at));
  if (Number.isNaN(createdAt.getTime())) throw new WebShopOrderError('created_at', 'the order has no created_at time (ISO 8601)');
  const ship = record(body.shipping_address);
  const bill = record(body.billing_address);
  const customer = record(body.customer);
  const phone = text(ship.phone) || text(body.phone) || text(customer.phone) || text(bill.phone);
  if (!phone)
    throw new WebShopOrderError(
      'shipping_address.phone',
      'the order has no phone number (shipping_address.phone, phone or customer.phone)',
    );
  const fullName = (r: Record<string, unknown>) => text(r.name) || [text(r.last_name), text(r.first_name)].filter(Boolean).join(' ');
  const name = fullName(ship) || fullName(customer) || fullName(bill) || phone;
  const items = (Array.isArray(body.line_items) ? body.line_items : []).map((raw, i) => {
    const line = record(raw);
    return withoutUndefined({
      line: i + 1,
      sku: text(line.sku) || undefined,
      name: text(line.name) || text(line.title) || `Dòng ${i + 1}`,
      qty: wholeNumber(line.quantity),
      price: vnd(line.price),
    });
  });
  const address =
    platform === 'haravan'
      ? {
          street: joined(ship.address1, ship.address2),
          ward: text(ship.ward),
          district: text(ship.district),
          province: text(ship.province),
        }
      : // Shopify has no ward: Vietnamese shops ask for it as the second address line, the district as the city.
        {
          street: text(ship.address1),
          ward: text(ship.address2),
          district: text(ship.city),
          province: text(ship.province) || text(ship.city),
        };
  const total = vnd(body.total_price) ?? 0;
  const cod = platform === 'haravan' ? haravanCod(body) : shopifyCod(body);
  const outstanding = platform === 'shopify' ? vnd(body.total_outstanding) : undefined;
  return withoutUndefined({
    platform,
    shop,
    id,
    name: text(body.name) || `#${text(body.order_number) || id}`,
    createdAt,
    customer: { name, phone },
    items,
    address: withoutUndefined({
      street: address.street || undefined,
      ward: address.ward || undefined,
      district: address.district || undefined,
      province: address.province || undefined,
    }),
    cod,
    codAmount: cod ? (outstanding !== undefined && outstanding > 0 ? outstanding : total) : 0,
    shippingFee: shippingFeeOf(platform, body),
    currency: text(body.currency) || undefined,
    note: text(body.note) || undefined,
    cancelReason: text(body.cancel_reason) || undefined,
  });
}

const COD_WORDS = /cash on delivery|\bcod\b|thanh toán khi (nhận|giao) hàng/i;

/** Shopify: a COD gateway ("Cash on Delivery (COD)") and not yet paid. */
function shopifyCod(body: Record<string, unknown>): boolean {
  const gateways = [...(Array.isArray(body.payment_gateway_names) ? body.payment_gateway_names : []), body.gateway].map(text);
  return gateways.some((g) => COD_WORDS.test(g)) && text(body.financial_status) !== 'paid';
}

/** Haravan: `gateway_code` COD ("Thanh toán khi giao hàng (COD)") and not yet paid. */
function haravanCod(body: Record<string, unknown>): boolean {
  return (text(body.gateway_code).toUpperCase() === 'COD' || COD_WORDS.test(text(body.gateway))) && text(body.financial_status) !== 'paid';
}

function shippingFeeOf(platform: WebShopPlatform, body: Record<string, unknown>): number | undefined {
  if (platform === 'shopify') {
    const set = vnd(record(record(body.total_shipping_price_set).shop_money).amount);
    if (set !== undefined) return set;
  }
  const lines = Array.isArray(body.shipping_lines) ? body.shipping_lines.map((l) => vnd(record(l).price)) : [];
  return lines.length && lines.every((p) => p !== undefined) ? lines.reduce<number>((a, b) => a + b!, 0) : undefined;
}

/** A field as trimmed text (numbers too); anything else is ''. */
function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

function joined(...parts: unknown[]): string {
  return parts.map(text).filter(Boolean).join(', ');
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** An amount in whole VND ("199000.00" → 199000); undefined when it is not a non-negative amount. */
function vnd(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= 2_147_483_647 ? Math.round(n) : undefined;
}

function wholeNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 && n <= 100_000 ? n : undefined;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
