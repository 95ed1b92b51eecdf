/**
 * A manual order from the console (headless Chromium), on a desktop and on a 390×844 phone: a
 * seller types the customer (phone in any spelling), picks products from the catalogue, chooses
 * the province and ward, COD, and creates the order; its page opens with the items and the COD,
 * and the order list's search box finds it by the phone number typed another way.
 */
import type { Browser, Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../console/build';
import { apiClient, eventually, openTestStack, type TestStack } from '../support/stack';
import { launchBrowser, newContext, screenshot, signIn, watchErrors } from './support/browser';

let stack: TestStack;
let base: string;
let browser: Browser;
let seller: { id: string; token: string };
let phoneSeq = Math.floor(Math.random() * 900_000);

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await openTestStack({ COURIERS: 'simulator' });
  await stack.startWorker();
  base = await stack.startApp();
  const admin = apiClient(base, (await stack.createStaff(['admin'])).token);
  seller = await stack.createStaff(['sales'], { name: 'Đỗ Thị Bán Hàng' });
  for (const [sku, name, price] of [
    ['GOM-BINH-01', 'Bình gốm men rạn', 320_000],
    ['GOM-DIA-02', 'Đĩa gốm hoa sen', 90_000],
  ] as const) {
    expect((await admin.post('/api/v1/products', { sku, name, price })).status).toBe(201);
    expect((await admin.post('/api/v1/stock/adjustments', { sku, qty: 40, reason: 'kiểm kho đầu kỳ' })).status).toBeLessThan(300);
  }
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function enterOrder(page: Page, phone: string, name: string): Promise<string> {
  await page.goto(`${base}/orders/new`);
  await page.getByRole('heading', { level: 1, name: 'Tạo đơn thủ công' }).waitFor();
  await page.getByLabel('Kênh bán').selectOption({ label: 'Zalo' });
  // Spaced the way people say it; the hint says how it is stored.
  await page.getByLabel('Số điện thoại').fill(`${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`);
  await page.getByText(`Sẽ lưu: ${phone}`).waitFor();
  await page.getByLabel('Tên khách hàng').fill(name);
  const search = page.getByLabel('Tìm sản phẩm (tên, SKU hoặc mã vạch)');
  await search.fill('binh gom');
  await page.getByRole('button', { name: 'Thêm Bình gốm men rạn (GOM-BINH-01)' }).click();
  await search.fill('GOM-DIA-02');
  await page.getByRole('button', { name: 'Thêm Đĩa gốm hoa sen (GOM-DIA-02)' }).click();
  await page.getByLabel('Số lượng #2').fill('3');
  await page.getByLabel('Tỉnh/Thành phố').selectOption('Hà Nội');
  const ward = page.getByLabel('Phường/Xã');
  await eventually(async () => (await ward.locator('option').count()) > 2, 20_000, 'the wards of Hà Nội');
  await ward.selectOption('Phường Ba Đình');
  await page.getByLabel('Số nhà, đường').fill('18 Phan Đình Phùng');
  await page.getByLabel('Phí ship khách trả (VND)').fill('30.000');
  // COD: the items (320.000 + 3 × 90.000) and the shipping fee.
  expect(await page.getByLabel('Tiền thu hộ (COD, VND)').inputValue()).toBe('620000');
  await page.getByRole('button', { name: 'Tạo đơn', exact: true }).click();
  await page.waitForURL(/\/orders\/DH[^/]+$/, { timeout: 60_000 });
  const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  await page.getByRole('heading', { level: 1, name: new RegExp(id) }).waitFor();
  return id;
}

async function findByPhone(page: Page, typed: string, id: string) {
  await page.goto(`${base}/orders?status=`);
  await page.getByRole('searchbox', { name: 'Tìm kiếm đơn' }).fill(typed);
  await page.getByRole('button', { name: 'Tìm', exact: true }).click();
  await page.waitForURL(/[?&]q=/);
  await page.getByRole('link', { name: id }).waitFor({ timeout: 30_000 });
  // The search is in the URL: a reload shows the same list.
  await page.reload();
  await page.getByRole('link', { name: id }).waitFor({ timeout: 30_000 });
  expect(await page.getByRole('searchbox', { name: 'Tìm kiếm đơn' }).inputValue()).toBe(typed);
}

for (const size of ['desktop', 'phone'] as const) {
  test(`When a seller creates a manual order on a ${size}, then its page shows what they entered and the phone search finds it`, async () => {
    const context = await newContext(browser, size);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, seller.token);
    const phone = `0978${String(++phoneSeq).padStart(6, '0')}`;
    const name = size === 'phone' ? 'Ngô Văn Điện Thoại' : 'Hà Thị Tại Bàn';
    const id = await enterOrder(page, phone, name);
    // The items and COD come from the closing the order arrived with (the page reads it again as it moves on).
    await eventually(
      async () => {
        await page.reload();
        await page.getByRole('heading', { level: 1, name: new RegExp(id) }).waitFor({ timeout: 30_000 });
        await page.getByText(name).first().waitFor({ timeout: 10_000 });
        return page
          .getByText('Bình gốm men rạn')
          .first()
          .waitFor({ timeout: 5_000 })
          .then(() => true)
          .catch(() => false);
      },
      90_000,
      'the items on the order page',
    );
    await page.getByText('Đĩa gốm hoa sen').first().waitFor();
    await page.getByText('18 Phan Đình Phùng, Phường Ba Đình, Hà Nội').waitFor();
    await screenshot(page, `manual-order-${size}`);
    if (size === 'phone') {
      // Nothing runs off the right edge of the phone.
      expect(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
    }
    await findByPhone(page, `+84 ${phone.slice(1, 4)}.${phone.slice(4, 7)}.${phone.slice(7)}`, id);
    await screenshot(page, `manual-order-search-${size}`);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
}

test('When a manual order has an unknown SKU typed by hand, then the message is at that line and no order is created', async () => {
  const context = await newContext(browser, 'desktop');
  const page = await context.newPage();
  await signIn(page, base, seller.token);
  await page.goto(`${base}/orders/new`);
  await page.getByLabel('Số điện thoại').fill(`0978${String(++phoneSeq).padStart(6, '0')}`);
  await page.getByLabel('Tên khách hàng').fill('Khách Nhập Tay');
  await page.getByRole('button', { name: 'Thêm dòng nhập tay' }).click();
  await page.getByLabel('SKU #1').fill('KHONG-CO-MA');
  await page.getByLabel('Số lượng #1').fill('1');
  await page.getByLabel('Đơn giá #1').fill('10000');
  await page.getByLabel('Tỉnh/Thành phố').selectOption('Hà Nội');
  const ward = page.getByLabel('Phường/Xã');
  await eventually(async () => (await ward.locator('option').count()) > 2, 20_000, 'the wards of Hà Nội');
  await ward.selectOption('Phường Ba Đình');
  await page.getByLabel('Số nhà, đường').fill('1 Tràng Tiền');
  await page.getByRole('button', { name: 'Tạo đơn', exact: true }).click();
  const sku = page.getByLabel('SKU #1');
  await eventually(async () => (await sku.getAttribute('aria-invalid')) === 'true', 20_000, 'the SKU marked invalid');
  await page.locator('#mo-items-0-sku-error').waitFor();
  expect(new URL(page.url()).pathname).toBe('/orders/new');
  await context.close();
}, 120_000);
