/**
 * A new shop's first hour in the console (headless Chromium, real app, worker, dev server and
 * PostgreSQL): the owner's home page shows the first-run checklist, its steps lead to the staff and
 * products pages (API-only before), and what is done there ticks the steps — on a desktop and on
 * a phone.
 */
import type { Browser } from 'playwright-core';
import { ensureConsoleBuilt } from '../../console/build';
import { apiClient, openTestStack, type TestStack } from '../support/stack';
import { launchBrowser, newContext, screenshot, signIn, watchErrors } from './support/browser';

let stack: TestStack;
let base: string;
let browser: Browser;
let owner: { id: string; token: string };

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await openTestStack({ COURIERS: 'simulator' });
  await stack.startWorker();
  base = await stack.startApp();
  owner = await stack.createStaff(['admin'], { name: 'Chủ Cửa Hàng' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('first-run checklist in headless Chromium', () => {
  for (const size of ['desktop', 'phone'] as const) {
    test(`When the owner of a new shop signs in on a ${size}, then the checklist leads to adding a product and a staff member, and those steps turn done`, async () => {
      const context = await newContext(browser, size);
      const page = await context.newPage();
      const errors = watchErrors(page);
      await signIn(page, base, owner.token, '/');
      const checklist = page.getByRole('region', { name: 'Bắt đầu với cửa hàng của bạn' });
      await checklist.waitFor();
      const productsStep = checklist.locator('li[data-step="products"]');
      const staffStep = checklist.locator('li[data-step="staff"]');
      await screenshot(page, `first-run-checklist-${size}`);
      if (size === 'phone') {
        // A compact header: the pages are behind the menu button, opened on demand.
        const header = await page.locator('header.top').boundingBox();
        expect(header!.height).toBeLessThan(140);
        expect(await page.getByRole('navigation', { name: 'Điều hướng chính' }).isVisible()).toBe(false);
        await page.getByRole('button', { name: 'Menu' }).click();
        await page.getByRole('link', { name: 'Sản phẩm' }).waitFor();
        await page.getByRole('button', { name: 'Menu' }).click();
      }

      // Products: from the checklist's link to the products page; a price typed the Vietnamese way.
      const sku = `FR-${size.toUpperCase()}`;
      if ((await productsStep.getByText('Chưa xong').count()) > 0) await productsStep.getByRole('link', { name: 'Làm ngay' }).click();
      else await page.goto(`${base}/products`);
      await page.getByRole('heading', { level: 1, name: 'Sản phẩm và tồn kho' }).waitFor();
      await page.getByLabel('Mã SKU').fill(sku);
      await page.getByLabel('Tên sản phẩm').fill(`Áo thử ${size}`);
      await page.getByLabel('Mã vạch').fill(size === 'desktop' ? '8930000000011' : '8930000000028');
      await page.getByLabel('Giá bán (VND)').fill('150.000');
      await page.getByLabel('Tồn đầu (số lượng)').fill('20');
      await page.getByRole('button', { name: 'Thêm sản phẩm' }).click();
      await page.getByText(`Áo thử ${size}`).waitFor();
      const product = await apiClient(base, owner.token).get(`/api/v1/products/${sku}`);
      expect(product.body).toMatchObject({ sku, price: 150000 });
      expect(JSON.stringify(product.body.stock)).toContain('"available":20');
      // A barcode another product has is refused at its field, in the shop's words.
      await page.getByLabel('Mã SKU').fill(`${sku}-2`);
      await page.getByLabel('Tên sản phẩm').fill('Trùng mã vạch');
      await page.getByLabel('Mã vạch').fill(size === 'desktop' ? '8930000000011' : '8930000000028');
      await page.getByRole('button', { name: 'Thêm sản phẩm' }).click();
      await page.locator('#p-barcode-error').waitFor();
      expect(await page.getByLabel('Mã vạch').getAttribute('aria-invalid')).toBe('true');
      await screenshot(page, `first-run-products-${size}`);

      // Staff: a sales rep with a role and a channel; the token is shown once and signs in as them.
      await page.goto(`${base}/staff`);
      await page.getByRole('heading', { level: 1, name: 'Nhân viên' }).waitFor();
      await page.getByLabel('Họ tên').fill(`Nhân Viên ${size}`);
      await page.getByLabel('Số điện thoại').fill('0912345678');
      await page.getByRole('checkbox', { name: /Nhân viên kinh doanh/ }).check();
      await page.getByRole('checkbox', { name: 'Facebook' }).check();
      await page.getByRole('button', { name: 'Thêm nhân viên' }).click();
      const token = (await page.locator('code[data-token]').textContent())!.trim();
      expect(token).toMatch(/^sf_/);
      const me = await apiClient(base, token).get('/api/v1/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ name: `Nhân Viên ${size}`, roles: ['sales'], channels: ['facebook'] });
      await screenshot(page, `first-run-staff-${size}`);
      // The page never runs off the right edge (a phone has no room for a sideways scroll).
      expect(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);

      // Home again: both steps read done from the data.
      await page.goto(`${base}/`);
      await checklist.waitFor();
      await productsStep.getByText('Đã xong').waitFor();
      await staffStep.getByText('Đã xong').waitFor();
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
