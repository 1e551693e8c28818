import { describe, expect, it } from 'vitest';
import { parseCli } from '../../server/cli-args.ts';

describe('parseCli rate limits', () => {
  it('defaults to 120 per IP and 600 per client', () => {
    expect(parseCli([], {})).toMatchObject({ kind: 'serve', rateLimitIpPerMin: 120, rateLimitClientPerMin: 600 });
  });

  it('takes flags over env, and 0 turns a limit off', () => {
    const env = { RATE_LIMIT_IP_PER_MIN: '30', RATE_LIMIT_CLIENT_PER_MIN: '0' };
    expect(parseCli([], env)).toMatchObject({ rateLimitIpPerMin: 30, rateLimitClientPerMin: 0 });
    expect(parseCli(['--rate-limit-ip-per-min', '0', '--rate-limit-client-per-min', '5'], env)).toMatchObject({
      rateLimitIpPerMin: 0,
      rateLimitClientPerMin: 5,
    });
  });

  it.each([['-1'], ['1.5'], ['ten'], [''], ['1e3']])('refuses %j as a limit', (value) => {
    expect(parseCli([`--rate-limit-ip-per-min=${value}`], {})).toEqual({ kind: 'usage-error', message: `Not a per-minute limit: ${value}` });
    expect(parseCli([], { RATE_LIMIT_CLIENT_PER_MIN: value }).kind).toBe('usage-error');
  });

  it('does not accept the limits on client commands', () => {
    expect(parseCli(['clients', 'list', '--rate-limit-ip-per-min', '5'], {}).kind).toBe('usage-error');
  });
});

describe('parseCli --trust-proxy', () => {
  it('ignores X-Forwarded-For by default, and takes a number of proxies from the flag or TRUST_PROXY', () => {
    expect(parseCli([], {})).toMatchObject({ kind: 'serve', trustProxyHops: 0 });
    expect(parseCli([], { TRUST_PROXY: '2' })).toMatchObject({ trustProxyHops: 2 });
    expect(parseCli(['--trust-proxy', '1'], { TRUST_PROXY: '2' })).toMatchObject({ trustProxyHops: 1 });
  });

  it.each([['true'], ['-1'], ['11'], ['1.5'], ['']])('refuses %j, naming it', (value) => {
    expect(parseCli([`--trust-proxy=${value}`], {})).toEqual({ kind: 'usage-error', message: `Not a number of proxies (0 to 10): ${value}` });
  });
});

describe('parseCli database', () => {
  it('takes --database-url over DATABASE_URL on every command that opens the data, and migrate', () => {
    const env = { DATABASE_URL: 'postgres://env/db' };
    expect(parseCli([], {})).not.toHaveProperty('databaseUrl');
    expect(parseCli([], env)).toMatchObject({ kind: 'serve', databaseUrl: 'postgres://env/db' });
    expect(parseCli(['--database-url', 'postgres://flag/db'], env)).toMatchObject({ databaseUrl: 'postgres://flag/db' });
    expect(parseCli(['migrate'], env)).toEqual({ kind: 'migrate', dataDir: './data', databaseUrl: 'postgres://env/db' });
    expect(parseCli(['clients', 'list', '--database-url', 'postgres://flag/db'], {})).toMatchObject({ kind: 'clients-list', databaseUrl: 'postgres://flag/db' });
    expect(parseCli(['keys', 'revoke', '--kid', 'key_a'], env)).toMatchObject({ kind: 'keys-revoke', databaseUrl: 'postgres://env/db' });
    expect(parseCli(['migrate', '--name', 'x'], {}).kind).toBe('usage-error');
  });
});
