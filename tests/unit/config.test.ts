import { ConfigError, loadConfig } from '../../server/platform/config';

describe('configuration', () => {
  test('When nothing is set, then the documented defaults apply (PGlite, local dev server)', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '0.0.0.0', databaseUrl: undefined, logLevel: 'info' });
    expect(config.temporal).toMatchObject({
      address: undefined,
      namespace: 'default',
      taskQueue: 'shopflow',
      tls: false,
      dev: { port: 7233, uiPort: 8233 },
    });
    expect(config.dataDir).toMatch(/\/data$/);
  });

  test('When values are bad, then every bad variable is named at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TEMPORAL_ADDRESS: 'nohost', LOG_LEVEL: 'loud', TEMPORAL_TLS: 'maybe' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).message;
    for (const name of ['PORT', 'DATABASE_URL', 'TEMPORAL_ADDRESS', 'LOG_LEVEL', 'TEMPORAL_TLS']) expect(text).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(5);
  });

  test("When WORKER_MAX_CACHED_WORKFLOWS is unset, set or bad, then the SDK's default, the number, or a named problem", () => {
    expect(loadConfig({}).temporal.maxCachedWorkflows).toBeUndefined();
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '12000' }).temporal.maxCachedWorkflows).toBe(12000);
    for (const bad of ['0', '-5', '2.5', 'many']) {
      expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: bad })).toThrow(
        `WORKER_MAX_CACHED_WORKFLOWS="${bad}" must be a whole number of at least 1`,
      );
    }
  });

  test('When a Temporal Cloud API key is set, then TLS is on and the key is kept', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'shop.a1b2c.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'shop.a1b2c', TEMPORAL_API_KEY: 'k' });
    expect(config.temporal).toMatchObject({ address: 'shop.a1b2c.tmprl.cloud:7233', namespace: 'shop.a1b2c', tls: true, apiKey: 'k' });
  });

  test('When only half of an mTLS pair is given, then start-up stops naming both variables', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/c.pem' })).toThrow(/TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH/);
  });
});
