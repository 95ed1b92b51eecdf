import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redactUrl } from '../../../server/platform/logger';
import { bootstrapTokenNotice, writeBootstrapToken } from '../../../server/platform/runtime';

describe('URLs in the HTTP log', () => {
  test.each([
    ['/webhooks/couriers/ghtk?token=s3cr3t-value&label=S1', '/webhooks/couriers/ghtk?token=***&label=S1'],
    ['/webhooks/couriers/ghtk?hash=abc123&x=1', '/webhooks/couriers/ghtk?hash=***&x=1'],
    ['/webhooks/couriers/ghn?signature=zz&Token=yy&api_key=k', '/webhooks/couriers/ghn?signature=***&Token=***&api_key=***'],
    ['/api/v1/customers?q=0912345678', '/api/v1/customers?q=***'],
    ['/api/v1/customers?q=%2B84912345678&limit=20', '/api/v1/customers?q=***&limit=20'],
    ['/api/v1/customers?q=0912.777.888', '/api/v1/customers?q=***'],
    ['/api/v1/customers?q=0912%20777%20888', '/api/v1/customers?q=***'],
    ['/api/v1/customers/by-phone/0912345678/history', '/api/v1/customers/by-phone/***/history'],
  ])('When the URL is %s, then the log holds %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });

  test('When the URL holds no secret and no phone, then it is logged as it is (order ids and dates stay)', () => {
    for (const url of [
      '/api/v1/orders/DH20250101-ABC123',
      '/api/v1/books/sales?from=2025-01-01&to=2025-01-31',
      '/api/v1/stock/levels?sku=KEM-50ML',
      '/healthz',
    ]) {
      expect(redactUrl(url)).toBe(url);
    }
  });
});

describe('the first start’s admin token', () => {
  test('When it is created, then it is written to a file only its owner can read, and the notice names the file, never the token', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-token-'));
    const token = 'sf_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
    const file = await writeBootstrapToken(path.join(dir, 'data'), token);
    expect(file).toBe(path.join(dir, 'data', 'admin-token.txt'));
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(token);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const notice = bootstrapTokenNotice(file).join('\n');
    expect(notice).toContain(file);
    expect(notice).not.toContain(token);
    expect(bootstrapTokenNotice(undefined)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
