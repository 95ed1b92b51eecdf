/**
 * The point of sale in headless Chromium on a tablet (1024×768, touch) against the real app and
 * PostgreSQL: store staff scan two items (a scanner types the barcode + Enter), the customer pays
 * by transfer and sees the VietQR code of the amount, the K80 receipt prints and its text is read
 * back from the PDF; the goods left stock once. Screenshots go to .cache/screenshots/.
 */
import type { Browser } from 'playwright-core';
import { ensureConsoleBuilt } from '../../console/build';
import { crc16CcittFalse } from '../../definitions/store/vietqr';
import { readPdf } from '../support/pdf';
import { apiClient, eventually, openTestStack, type TestStack } from '../support/stack';
import { launchBrowser, screenshot, signIn, watchErrors } from './support/browser';

let stack: TestStack;
let base: string;
let browser: Browser;
let admin: { id: string; token: string };
let seller: { id: string; token: string };

const AO = { sku: 'E2E-ST-AO', name: 'Áo sơ mi linen', barcode: '8936000000011', price: 250000 };
const VO = { sku: 'E2E-ST-VO', name: 'Vớ cổ ngắn', barcode: '8936000000028', price: 35000 };

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await openTestStack();
  base = await stack.startApp();
  admin = await stack.createStaff(['admin']);
  seller = await stack.createStaff(['store-sales'], { name: 'Lê Thu Ngân', channels: ['store'] });
  for (const p of [AO, VO]) {
    expect((await apiClient(base, admin.token).post('/api/v1/products', p)).status).toBe(201);
    expect(
      (await apiClient(base, admin.token).post('/api/v1/stock/adjustments', { sku: p.sku, qty: 6, reason: 'nhập đầu kỳ' })).status,
    ).toBe(201);
  }
  browser = await launchBrowser();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const onHand = async (sku: string) =>
  (await apiClient(base, admin.token).get(`/api/v1/stock/levels?sku=${sku}&warehouse=main`)).body.levels[0]?.onHand ?? 0;

test('When store staff scan two items and the customer pays by transfer, then the VietQR code shows and the K80 receipt prints the sale', async () => {
  const context = await browser.newContext({
    viewport: { width: 1024, height: 768 },
    hasTouch: true,
    isMobile: true,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, base, seller.token, '/store');
  await page.getByRole('link', { name: 'Bán tại cửa hàng' }).waitFor();
  const scanBox = page.getByLabel('Quét mã vạch hoặc nhập mã sản phẩm');
  await scanBox.waitFor();

  // A scanner types fast and ends with Enter; the second áo raises the quantity, the sock adds a line.
  await scanBox.pressSequentially(AO.barcode, { delay: 5 });
  await scanBox.press('Enter');
  await page.getByText(AO.name).waitFor();
  await scanBox.pressSequentially(VO.barcode, { delay: 5 });
  await scanBox.press('Enter');
  await page.getByText(VO.name).waitFor();
  await page.getByRole('button', { name: `+ ${VO.name}` }).click();
  // 250 000 + 2 × 35 000 = 320 000.
  await expect_(async () => (await page.getByTestId('store-total').textContent())?.replace(/\s/g, ' ') === '320.000 ₫');

  // A wrong code is told in words, and the cart stays as it was.
  await scanBox.fill('KHONG-CO-MA');
  await scanBox.press('Enter');
  await page.getByRole('alert').filter({ hasText: 'barcode' }).waitFor();

  await page.getByLabel('Chuyển khoản (VietQR)').check();
  await page.getByRole('button', { name: /^Thanh toán 320\.000/ }).click();
  await page.getByTestId('store-sale-number').waitFor();
  const number = (await page.getByTestId('store-sale-number').textContent())!;
  expect(number).toMatch(/^HD-\d{4}-\d{6}$/);
  const qr = page.getByRole('img', { name: /^VietQR 320\.000/ });
  await qr.waitFor();
  const payload = (await qr.getAttribute('data-payload'))!;
  expect(payload).toContain('0010A000000727');
  expect(payload).toContain('5406320000');
  expect(payload.slice(-4)).toBe(crc16CcittFalse(payload.slice(0, -4)));
  await page.getByText('Khách quét mã VietQR để chuyển khoản').waitFor();
  await screenshot(page, 'store-transfer-qr');
  expect(await onHand(AO.sku)).toBe(5);
  expect(await onHand(VO.sku)).toBe(4);

  // Print: the console fetches the receipt; read its text back from the PDF.
  let receipt: { status: number; type?: string; body: Buffer } | undefined;
  await page.route(/\/receipt\.pdf$/, async (route) => {
    const response = await route.fetch();
    receipt = { status: response.status(), type: response.headers()['content-type'], body: await response.body() };
    await route.fulfill({ response });
  });
  const popup = context.waitForEvent('page').catch(() => undefined);
  await page.getByRole('button', { name: 'In hoá đơn (K80)' }).click();
  await eventually(async () => receipt !== undefined, 20_000, 'the receipt PDF');
  await popup;
  expect(receipt!.status).toBe(200);
  expect(receipt!.type).toContain('application/pdf');
  const [pdf] = await readPdf(new Uint8Array(receipt!.body));
  for (const text of [
    'HOÁ ĐƠN BÁN HÀNG',
    number,
    AO.name,
    VO.name,
    'TỔNG CỘNG',
    '320.000',
    'Chuyển khoản (VietQR)',
    'Quét mã VietQR',
    'Vietcombank',
  ])
    expect(pdf!.text).toContain(text);

  // Paid once: the same sale is not paid again, stock unchanged.
  expect(await onHand(AO.sku)).toBe(5);
  expect(errors).toEqual([]);
  await context.close();
}, 180_000);

/** Waits until a check on the page holds. */
async function expect_(check: () => Promise<boolean>) {
  await eventually(async () => ((await check()) ? true : undefined), 10_000, 'the page to show it');
}
