/** The delivery settings are read and checked at start-up like the rest of the configuration. */
import { ConfigError, loadConfig } from '../../server/platform/config';

describe('delivery configuration', () => {
  test('When nothing is set, then providers are off but their API roots default to the real services, and retries to 6 attempts', () => {
    const { delivery } = loadConfig({});
    expect(delivery).toMatchObject({
      publicUrl: 'http://localhost:3000',
      channels: 'simulator',
      smtpUrl: undefined,
      telegramBotToken: undefined,
      telegramApiUrl: 'https://api.telegram.org',
      zaloOaApiUrl: 'https://openapi.zalo.me',
      maxAttempts: 6,
      retryBaseMs: 30_000,
      retryMaxMs: 3_600_000,
      leaseMs: 120_000,
      relay: 'worker',
    });
    expect(loadConfig({ DELIVERY_RELAY: 'own' }).delivery.relay).toBe('own');
    expect(() => loadConfig({ DELIVERY_RELAY: 'api' })).toThrow(ConfigError);
    expect(loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233' }).delivery.channels).toBe('live');
  });

  test('When values are set, then they are read (trailing slashes dropped, durations parsed)', () => {
    const { delivery } = loadConfig({
      PUBLIC_URL: 'https://shop.example.vn/',
      SMTP_URL: 'smtps://mailer:secret@smtp.example.vn:465',
      SMTP_FROM: 'Shop <no-reply@shop.example.vn>',
      TELEGRAM_BOT_TOKEN: '123:abc',
      DELIVERY_MAX_ATTEMPTS: '3',
      DELIVERY_RETRY_BASE: '10s',
      DELIVERY_RETRY_MAX: '5m',
      DELIVERY_LEASE: '1m',
    });
    expect(delivery).toMatchObject({
      publicUrl: 'https://shop.example.vn',
      smtpUrl: 'smtps://mailer:secret@smtp.example.vn:465',
      smtpFrom: 'Shop <no-reply@shop.example.vn>',
      telegramBotToken: '123:abc',
      maxAttempts: 3,
      retryBaseMs: 10_000,
      retryMaxMs: 300_000,
      leaseMs: 60_000,
    });
  });

  test('When values are bad, then start-up stops naming each variable (and never prints a password)', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({
        PUBLIC_URL: 'shop.example.vn',
        SMTP_URL: 'http://user:hunter2@mail.example.vn',
        TELEGRAM_API_URL: 'ftp://api.telegram.org',
        VAPID_PUBLIC_KEY: 'only-half',
        DELIVERY_MAX_ATTEMPTS: '0',
        DELIVERY_RETRY_BASE: 'soon',
      });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error!.problems.join('\n');
    for (const name of [
      'PUBLIC_URL',
      'SMTP_URL',
      'TELEGRAM_API_URL',
      'VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY',
      'DELIVERY_MAX_ATTEMPTS',
      'DELIVERY_RETRY_BASE',
    ])
      expect(text).toContain(name);
    expect(text).not.toContain('hunter2');
  });
});
