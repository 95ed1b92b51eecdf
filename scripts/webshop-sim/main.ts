/**
 * `npm run webshop-sim -- [shopify|haravan] [create|cancel] [order id]`: posts one signed web-shop
 * order webhook, in the platform's real format, to the local server (`npm start`), as the store
 * would. Settings: WEBSHOP_SIM_URL (http://127.0.0.1:3000/webhooks), SHOPIFY_WEBHOOK_SECRET /
 * HARAVAN_WEBHOOK_SECRET (the secret the server checks), WEBSHOP_SIM_SHOP (the shop's domain or id),
 * WEBSHOP_SIM_SKU (a SKU of the catalogue; default AO-THUN-M).
 */
import { haravanOrder, sendWebShopWebhook, shopifyOrder, type SimOrder, type SimPlatform } from '.';

async function main(): Promise<void> {
  const [platformArg = 'shopify', action = 'create', idArg] = process.argv.slice(2);
  if (platformArg !== 'shopify' && platformArg !== 'haravan') throw new Error(`platform must be shopify or haravan, not "${platformArg}"`);
  if (action !== 'create' && action !== 'cancel') throw new Error(`action must be create or cancel, not "${action}"`);
  const platform: SimPlatform = platformArg;
  const secret = process.env[`${platform.toUpperCase()}_WEBHOOK_SECRET`]?.trim();
  if (!secret) throw new Error(`${platform.toUpperCase()}_WEBHOOK_SECRET is not set: give the secret the server checks`);
  const id = Number(idArg ?? Date.now() % 1_000_000_000);
  if (!Number.isInteger(id) || id <= 0) throw new Error(`order id must be a positive whole number, not "${idArg}"`);
  const order: SimOrder = {
    id,
    createdAt: new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000).toISOString(),
    customer: { firstName: 'An', lastName: 'Nguyễn Văn', phone: '0912345678' },
    address: { street: '12 Lý Thường Kiệt', ward: 'Phường Hàng Bài', district: 'Quận Hoàn Kiếm', province: 'Hà Nội' },
    lines: [{ sku: process.env.WEBSHOP_SIM_SKU ?? 'AO-THUN-M', name: 'Áo thun cotton (M)', quantity: 2, price: 150_000 }],
    shippingFee: 30_000,
    ...(action === 'cancel' ? { cancelled: { at: new Date().toISOString(), reason: 'customer' } } : {}),
  };
  const base = (process.env.WEBSHOP_SIM_URL ?? 'http://127.0.0.1:3000/webhooks').replace(/\/+$/, '');
  const answer = await sendWebShopWebhook({
    url: `${base}/${platform}`,
    platform,
    secret,
    topic: action === 'create' ? 'orders/create' : 'orders/cancelled',
    shop: process.env.WEBSHOP_SIM_SHOP ?? (platform === 'shopify' ? 'shop-demo.myshopify.com' : '200000123'),
    body: platform === 'shopify' ? shopifyOrder(order) : haravanOrder(order),
    attempts: 5,
  });
  process.stdout.write(
    `${platform} ${action} #${id} → ${answer.status} after ${answer.attempts} attempt(s)\n${JSON.stringify(answer.body, null, 2)}\n`,
  );
  if (answer.status < 200 || answer.status >= 300) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`webshop-sim: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
