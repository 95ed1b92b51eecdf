/**
 * The profile page in a real browser (headless Chromium, phone width) against the real stack: a
 * rep opens it from their name, sees a field error at the row of a channel they have no address
 * for, saves their Telegram chat id and quiet hours, and on "Bật thông báo trên máy này" the
 * browser is asked for permission and the console's service worker is registered.
 * Screenshots under .cache/screenshots/.
 */
import type { Browser } from 'playwright-core';
import webpush from 'web-push';
import { ensureConsoleBuilt } from '../../console/build';
import { apiClient, eventually, openTestStack, type TestStack } from '../support/stack';
import { launchBrowser, newContext, screenshot, signIn, watchErrors } from './support/browser';

const vapid = webpush.generateVAPIDKeys();
let stack: TestStack;
let base: string;
let browser: Browser;

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await openTestStack({ VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey });
  base = await stack.startApp();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

test('When a rep sets how they are told on the profile page, then errors show at their fields, the settings are saved, and push is turned on by their click', async () => {
  const rep = await stack.createStaff(['sales'], { name: 'Nguyễn Văn Hồ Sơ' });
  const context = await newContext(browser, 'phone');
  await context.grantPermissions(['notifications'], { origin: base });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, base, rep.token);
  await page.getByRole('link', { name: 'Nguyễn Văn Hồ Sơ' }).click();
  await page.getByRole('heading', { name: 'Hồ sơ và cách nhận thông báo' }).waitFor();
  await page.getByText('Máy này chưa nhận thông báo đẩy.').waitFor();
  await screenshot(page, 'profile-01-defaults-phone');

  // Telegram for normal items without a chat id: the error is shown at that row.
  await page.getByRole('checkbox', { name: 'Bình thường — Telegram' }).check();
  await page.getByRole('button', { name: 'Lưu cài đặt' }).click();
  await page.getByText('Vui lòng sửa các trường được đánh dấu.').waitFor();
  expect(await page.locator('tr.invalid th').textContent()).toBe('Bình thường');
  await page.getByText('Bình thường: kênh Telegram cần địa chỉ nhận').waitFor();
  expect((await apiClient(base, rep.token).get('/api/v1/me/preferences')).body.saved).toBe(false);
  await screenshot(page, 'profile-02-field-error-phone');

  await page.getByLabel('Telegram chat id').fill('555000111');
  await page.getByLabel('Tự chọn giờ').check();
  await page.getByLabel('Từ').fill('21:30');
  await page.getByLabel('Đến').fill('06:45');
  await page.getByRole('button', { name: 'Lưu cài đặt' }).click();
  await page.getByText('Đã lưu cài đặt thông báo.').waitFor();
  const saved = (await apiClient(base, rep.token).get('/api/v1/me/preferences')).body;
  expect(saved).toMatchObject({
    saved: true,
    telegramChatId: '555000111',
    channels: { normal: ['push', 'telegram'] },
    quietHours: { mode: 'custom', from: '21:30', to: '06:45' },
  });

  // The button asks for permission on the click and registers the service worker (the push
  // service itself is out of reach of this offline machine, so the subscription may not follow).
  const registered = `navigator.serviceWorker.getRegistration('/assets/sw.js').then(Boolean)`;
  expect(await page.evaluate(registered)).toBe(false);
  await page.getByRole('button', { name: 'Bật thông báo trên máy này' }).click();
  await eventually(async () => (await page.evaluate(registered)) === true, 10_000, 'the service worker registered');
  expect(await page.evaluate('Notification.permission')).toBe('granted');
  await screenshot(page, 'profile-03-push-phone');
  expect(errors.filter((e) => !/push service|Registration failed|AbortError/i.test(e))).toEqual([]);
  await context.close();
});
