/** TRUST_PROXY: read as Express documents `trust proxy`, off by default, bad values named at start-up. */
import express from 'express';
import { ConfigError, loadConfig, parseTrustProxy } from '../../server/platform/config';

/** Express's compiled trust function for the value: does it trust the hop at `address`? */
function trusts(value: unknown, address: string, hop = 0): boolean {
  const app = express();
  app.set('trust proxy', value);
  return (app.get('trust proxy fn') as (addr: string, i: number) => boolean)(address, hop);
}

describe('TRUST_PROXY', () => {
  test('When it is unset or empty, then no proxy is trusted, not even on loopback', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '  ' }).trustProxy).toBe(false);
    expect(trusts(loadConfig({}).trustProxy, '127.0.0.1')).toBe(false);
  });

  test('When it is true, false or a hop count, then Express gets that boolean or number', () => {
    expect(parseTrustProxy('true')).toEqual({ value: true });
    expect(parseTrustProxy('FALSE')).toEqual({ value: false });
    expect(parseTrustProxy('2')).toEqual({ value: 2 });
    expect(parseTrustProxy('0')).toEqual({ value: 0 });
    expect(trusts(2, '203.0.113.9', 1)).toBe(true);
    expect(trusts(2, '203.0.113.9', 2)).toBe(false);
  });

  test('When it lists presets, addresses and subnets, then each is kept and Express trusts exactly those', () => {
    const { trustProxy } = loadConfig({
      TRUST_PROXY: 'loopback, 10.0.0.0/8,192.168.1.7, fc00::/7, 172.16.0.0/255.240.0.0, uniquelocal, linklocal',
    });
    expect(trustProxy).toEqual(['loopback', '10.0.0.0/8', '192.168.1.7', 'fc00::/7', '172.16.0.0/255.240.0.0', 'uniquelocal', 'linklocal']);
    expect(trusts(trustProxy, '127.0.0.1')).toBe(true);
    expect(trusts(trustProxy, '10.20.30.40')).toBe(true);
    expect(trusts(trustProxy, '203.0.113.9')).toBe(false);
    expect(trusts(['loopback'], '192.168.1.7')).toBe(false);
  });

  test('When an entry is neither an address, a subnet nor a preset, then start-up stops naming it with the other problems', () => {
    for (const bad of ['yes', 'loopbak', '10.0.0.0/33', '10.0.0.300', 'fc00::/129', '10.0.0.1/8/8', '1.5', 'loopback,,10.0.0.1', '-1']) {
      const parsed = parseTrustProxy(bad);
      expect(parsed).toEqual({ problem: expect.stringContaining(`TRUST_PROXY="${bad}"`) });
      // Every problem is reported at once, this one among them.
      let error: unknown;
      try {
        loadConfig({ TRUST_PROXY: bad, PORT: 'eighty' });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([expect.stringContaining('PORT'), expect.stringContaining('TRUST_PROXY')]);
    }
    expect((parseTrustProxy('loopback, proxy.local') as { problem: string }).problem).toMatch(
      /"proxy.local" is not an address, subnet or preset/,
    );
  });
});
