/**
 * Web-shop orders without the network: the platforms' HMAC signatures, reading Shopify's and
 * Haravan's order bodies (as the simulator builds them in their real shape), and how an order
 * arrives against the shipped process: closed when its data fills the closing form, else a cause.
 */
import crypto from 'node:crypto';
import { loadDefinitionText } from '../../../definitions/loading/loader';
import type { CompiledOrderProcess } from '../../../definitions/types';
import { haravanOrder, shopifyOrder, signedHeaders, type SimOrder } from '../../../scripts/webshop-sim';
import { arrivalOf } from '../../../server/webshops/intake';
import { readWebShopOrder, signatureMatches, webShopSignature, WebShopOrderError } from '../../../server/webshops/platforms';
import { ORDER_FILE, orderText, shippedShop } from '../definitions/helpers';

const SECRET = 'shpss_0123456789abcdef0123456789abcdef';

const order = (over: Partial<SimOrder> = {}): SimOrder => ({
  id: 5_512_345_678_901,
  name: '#1001',
  createdAt: '2026-12-04T08:15:00+07:00',
  customer: { firstName: 'An', lastName: 'Nguyễn Văn', phone: '+84 912 345 678' },
  address: { street: '12 Lý Thường Kiệt', ward: 'Phường Hàng Bài', district: 'Quận Hoàn Kiếm', province: 'Hà Nội' },
  lines: [
    { sku: 'AO-THUN-M', name: 'Áo thun cotton (M)', quantity: 2, price: 150_000 },
    { sku: 'QUAN-JEAN-30', name: 'Quần jean (30)', quantity: 1, price: 420_000 },
  ],
  shippingFee: 30_000,
  ...over,
});

const shippedProcess = (): CompiledOrderProcess => {
  const result = loadDefinitionText(orderText(), ORDER_FILE, shippedShop());
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value as CompiledOrderProcess;
};
const noneUnknown = async () => new Set<string>();

describe('Web-shop webhook signatures', () => {
  const raw = Buffer.from(JSON.stringify(shopifyOrder(order())));

  test('When a body is signed as Shopify signs it (base64 HMAC-SHA256 with the app secret), then it matches', () => {
    const header = crypto.createHmac('sha256', SECRET).update(raw).digest('base64');
    expect(webShopSignature(raw, SECRET)).toBe(header);
    expect(signatureMatches(raw, header, SECRET)).toBe(true);
    expect(signedHeaders('shopify', raw.toString(), { secret: SECRET, topic: 'orders/create', shop: 's.myshopify.com' })).toMatchObject({
      'X-Shopify-Hmac-Sha256': header,
      'X-Shopify-Topic': 'orders/create',
      'X-Shopify-Shop-Domain': 's.myshopify.com',
      'X-Shopify-Webhook-Id': expect.any(String),
    });
    expect(signedHeaders('haravan', raw.toString(), { secret: SECRET, topic: 'orders/create', shop: '200000123' })).toMatchObject({
      'X-Haravan-Hmac-Sha256': header,
      'X-Haravan-Topic': 'orders/create',
      'X-Haravan-Org-Id': '200000123',
    });
  });

  test('When the signature is of another secret, another body, hex instead of base64, or missing, then it does not match', () => {
    const good = webShopSignature(raw, SECRET);
    expect(signatureMatches(raw, webShopSignature(raw, 'another-secret'), SECRET)).toBe(false);
    expect(signatureMatches(Buffer.concat([raw, Buffer.from(' ')]), good, SECRET)).toBe(false);
    expect(signatureMatches(raw, crypto.createHmac('sha256', SECRET).update(raw).digest('hex'), SECRET)).toBe(false);
    expect(signatureMatches(raw, undefined, SECRET)).toBe(false);
    expect(signatureMatches(raw, '', SECRET)).toBe(false);
    expect(signatureMatches(raw, good, '')).toBe(false);
    expect(signatureMatches(raw, good.slice(0, 20), SECRET)).toBe(false);
  });
});

describe('Reading a web shop’s order', () => {
  test('When Shopify sends a COD order, then its lines, address (ward from address2), phone and amounts are read in whole VND', () => {
    const read = readWebShopOrder('shopify', 's.myshopify.com', shopifyOrder(order()));
    expect(read).toMatchObject({
      platform: 'shopify',
      shop: 's.myshopify.com',
      id: '5512345678901',
      name: '#1001',
      customer: { name: 'Nguyễn Văn An', phone: '+84 912 345 678' },
      items: [
        { line: 1, sku: 'AO-THUN-M', name: 'Áo thun cotton (M)', qty: 2, price: 150000 },
        { line: 2, sku: 'QUAN-JEAN-30', name: 'Quần jean (30)', qty: 1, price: 420000 },
      ],
      address: { street: '12 Lý Thường Kiệt', ward: 'Phường Hàng Bài', district: 'Quận Hoàn Kiếm', province: 'Hà Nội' },
      cod: true,
      codAmount: 750000,
      shippingFee: 30000,
      currency: 'VND',
    });
    expect(read.createdAt.toISOString()).toBe('2026-12-04T01:15:00.000Z');
  });

  test('When Haravan sends a COD order (gateway_code COD, numbers), then it reads the same', () => {
    expect(readWebShopOrder('haravan', '200000123', haravanOrder(order()))).toMatchObject({
      id: '5512345678901',
      items: [{ sku: 'AO-THUN-M', qty: 2, price: 150000 }, { sku: 'QUAN-JEAN-30' }],
      address: { ward: 'Phường Hàng Bài', district: 'Quận Hoàn Kiếm', province: 'Hà Nội' },
      cod: true,
      codAmount: 750000,
      shippingFee: 30000,
    });
  });

  test('When the order was paid online, then nothing is collected on delivery', () => {
    expect(readWebShopOrder('shopify', 's', shopifyOrder(order({ cod: false })))).toMatchObject({ cod: false, codAmount: 0 });
    expect(readWebShopOrder('haravan', 'h', haravanOrder(order({ cod: false })))).toMatchObject({ cod: false, codAmount: 0 });
  });

  test('When the order has no id, no created_at or no phone, then reading fails naming the field', () => {
    const body = shopifyOrder(order());
    const fieldOf = (b: Record<string, unknown>) => {
      try {
        readWebShopOrder('shopify', 's', b);
      } catch (err) {
        return err instanceof WebShopOrderError ? err.field : 'other';
      }
      return 'none';
    };
    expect(fieldOf({ ...body, id: null })).toBe('id');
    expect(fieldOf({ ...body, created_at: 'yesterday' })).toBe('created_at');
    const noPhone = shopifyOrder(order({ customer: { firstName: 'An', lastName: 'Nguyễn', phone: '' } }));
    expect(fieldOf(noPhone)).toBe('shipping_address.phone');
    expect(fieldOf({ ...body, __proto__: { id: 1 } } as Record<string, unknown>)).toBe('none');
  });
});

describe('How a web shop’s order arrives (shipped process)', () => {
  test('When every line is a known SKU and the address is whole, then it arrives closed with the closing form’s fields only', async () => {
    const read = readWebShopOrder('shopify', 's.myshopify.com', shopifyOrder(order({ note: 'Giao giờ hành chính' })));
    const arrival = await arrivalOf(read, shippedProcess(), noneUnknown);
    expect(arrival.intakeProblem).toBeUndefined();
    expect(arrival.closed).toEqual({
      outcome: 'closed',
      actor: 'shopify',
      data: {
        customerName: 'Nguyễn Văn An',
        phone: '0912345678',
        items: [
          { sku: 'AO-THUN-M', name: 'Áo thun cotton (M)', qty: 2, price: 150000 },
          { sku: 'QUAN-JEAN-30', name: 'Quần jean (30)', qty: 1, price: 420000 },
        ],
        shippingAddress: { street: '12 Lý Thường Kiệt', ward: 'Phường Hàng Bài', district: 'Quận Hoàn Kiếm', province: 'Hà Nội' },
        codAmount: 750000,
        shippingFee: 30000,
        note: 'Shopify #1001 · COD · Giao giờ hành chính',
      },
    });
  });

  test('When a SKU is not in the catalogue, then it does not arrive closed: the cause, in Vietnamese, names the SKU', async () => {
    const read = readWebShopOrder('haravan', '200000123', haravanOrder(order()));
    const arrival = await arrivalOf(read, shippedProcess(), async (skus) => new Set(skus.filter((s) => s === 'QUAN-JEAN-30')));
    expect(arrival.closed).toBeUndefined();
    expect(arrival.intakeProblem).toBe(
      'Đơn Haravan #1001 chưa tự chốt được: mã SKU "QUAN-JEAN-30" không có trong danh mục sản phẩm. Kiểm tra với khách và chốt lại đơn.',
    );
  });

  test('When a line has no SKU and the address no ward, then every cause is listed', async () => {
    const read = readWebShopOrder(
      'shopify',
      's',
      shopifyOrder(
        order({ lines: [{ sku: null, name: 'Quà tặng', quantity: 1, price: 0 }], address: { street: '1 Trần Phú', province: 'Hà Nội' } }),
      ),
    );
    const arrival = await arrivalOf(read, shippedProcess(), noneUnknown);
    expect(arrival.closed).toBeUndefined();
    expect(arrival.intakeProblem).toContain('dòng 1 (Quà tặng) không có mã SKU');
    expect(arrival.intakeProblem).toContain('địa chỉ giao hàng thiếu phường/xã');
  });

  test('When the order is in another currency, then it is not closed in VND figures', async () => {
    const read = readWebShopOrder('shopify', 's', { ...shopifyOrder(order()), currency: 'USD' });
    expect((await arrivalOf(read, shippedProcess(), noneUnknown)).intakeProblem).toContain('đơn tính bằng USD');
  });
});
