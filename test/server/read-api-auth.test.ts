import { createHmac, generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/start.ts';
import type { Client } from '../../server/storage/types.ts';
import { startTestServer, type TestServer } from './helpers.ts';
import { callApi, createKey, getFrom, tokenFor, type TestKey } from './read-api-helpers.ts';
import { createClient } from '../../server/clients.ts';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
let t: TestServer;
let acme: Client;
let other: Client;
let key: TestKey;
let otherKey: TestKey;

beforeAll(async () => {
  t = await startTestServer({ adminToken: ADMIN_TOKEN });
  acme = await createClient(t.server.storage, { name: 'Acme' });
  other = await createClient(t.server.storage, { name: 'Other' });
  key = await createKey(t, acme.id);
  otherKey = await createKey(t, other.id);
});
afterAll(() => t.stop());

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowS = () => Math.floor(Date.now() / 1000);
const feedbacks = () => `/api/projects/${acme.id}/feedbacks`;

/** A JWT assembled by hand: header and payload (an object, or JSON text as is), HMAC-SHA256 over them with `secret`. */
function handMade(header: object, payload: object | string, secret: string): string {
  const payloadPart = typeof payload === 'string' ? Buffer.from(payload).toString('base64url') : b64(payload);
  const signingInput = `${b64(header)}.${payloadPart}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

// Each refusal comes from its own loopback address, so that the limit on failed
// authentications per address (20 a minute) never answers in its place.
let addresses = 0;
const nextAddress = () => `127.0.${Math.floor(addresses / 250)}.${(addresses++ % 250) + 2}`;

async function expectRefused(headers: Record<string, string>, message: string, path = feedbacks()) {
  const res = await getFrom(t, nextAddress(), path, headers);
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toBe('Bearer');
  expect(res.json).toEqual({ error: message });
}
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('read API: every refusal is 401 with a clear message', () => {
  it('refuses a request without an Authorization header, or with another scheme', async () => {
    await expectRefused({}, 'Missing bearer token');
    await expectRefused({ Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, 'Missing bearer token');
    await expectRefused({ Authorization: 'Bearer' }, 'Missing bearer token');
    await expectRefused({}, 'Missing bearer token', '/api/projects');
  });

  it('refuses garbage that is not a JWT', async () => {
    await expectRefused(bearer('garbage'), 'Token is not a valid JWT');
    await expectRefused(bearer('a.b.c'), 'Token is not a valid JWT');
    await expectRefused(bearer(`${b64({ alg: 'HS256' })}.e30.sig.x.y`), 'Token is not a valid JWT');
  });

  it('refuses alg none, HS512 and RS256 (even validly signed)', async () => {
    const none = `${b64({ alg: 'none', typ: 'JWT', kid: key.kid })}.${b64({ exp: nowS() + 300 })}.`;
    await expectRefused(bearer(none), 'Token algorithm must be HS256');
    await expectRefused(bearer(tokenFor(key, { algorithm: 'HS512' })), 'Token algorithm must be HS256');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs256 = jwt.sign({}, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      algorithm: 'RS256',
      keyid: key.kid,
      expiresIn: 300,
    });
    await expectRefused(bearer(rs256), 'Token algorithm must be HS256');
  });

  it('refuses a token without kid, with an unknown kid, or with a wrong signature', async () => {
    await expectRefused(bearer(jwt.sign({}, key.secret, { algorithm: 'HS256', expiresIn: 300 })), 'Token has no key id (kid)');
    await expectRefused(bearer(tokenFor({ ...key, kid: 'key_doesNotExist0000000000' })), 'Unknown key id');
    await expectRefused(bearer(tokenFor({ ...key, secret: otherKey.secret })), 'Invalid token signature');
    const [header, payload] = tokenFor(key).split('.');
    const tampered = `${header}.${b64({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), exp: nowS() + 9999 })}`;
    await expectRefused(bearer(`${tampered}.${tokenFor(key).split('.')[2]}`), 'Invalid token signature');
  });

  it('refuses expired, not-yet-valid and exp-less tokens, with 30 s of clock tolerance', async () => {
    await expectRefused(bearer(tokenFor(key, { expiresIn: undefined }, { exp: nowS() - 120 })), 'Token has expired');
    await expectRefused(bearer(tokenFor(key, { notBefore: 120 })), 'Token is not yet valid');
    await expectRefused(bearer(tokenFor(key, { expiresIn: undefined })), 'Token must have an exp claim');
    // Within the tolerance both ways: a slightly fast or slow caller clock still works.
    expect((await callApi(t, feedbacks(), tokenFor(key, { expiresIn: undefined }, { exp: nowS() - 10 }))).status).toBe(200);
    expect((await callApi(t, feedbacks(), tokenFor(key, { notBefore: 10 }))).status).toBe(200);
  });

  it('refuses a token without iat, issued in the future, or living longer than 24 hours (year 9999, 1e309)', async () => {
    const header = { alg: 'HS256', typ: 'JWT', kid: key.kid };
    const signed = (payload: object | string) => bearer(handMade(header, payload, key.secret));
    const day = 24 * 60 * 60;
    await expectRefused(signed({ iat: nowS(), exp: 253_402_300_799 }), 'Token lifetime (exp - iat) is longer than 24 hours');
    await expectRefused(signed(`{"iat":${nowS()},"exp":1e309}`), 'Token lifetime (exp - iat) is longer than 24 hours');
    await expectRefused(bearer(tokenFor(key, { expiresIn: day + 1 })), 'Token lifetime (exp - iat) is longer than 24 hours');
    // An old iat with a fresh exp claims the same too-long life.
    await expectRefused(signed({ iat: nowS() - day - 3600, exp: nowS() + 60 }), 'Token lifetime (exp - iat) is longer than 24 hours');
    await expectRefused(bearer(tokenFor(key, { noTimestamp: true })), 'Token must have an iat claim');
    await expectRefused(signed({ exp: nowS() + 60 }), 'Token must have an iat claim');
    await expectRefused(signed({ iat: nowS() + 120, exp: nowS() + 300 }), 'Token was issued in the future (iat)');
    await expectRefused(signed('{"iat":1e309,"exp":1e309}'), 'Token was issued in the future (iat)');
    await expectRefused(signed({ iat: String(nowS()), exp: nowS() + 60 }), 'Token is not a valid JWT');
    // Exactly 24 hours, and an iat within the 30 s tolerance, are fine.
    expect((await callApi(t, feedbacks(), tokenFor(key, { expiresIn: day }))).status).toBe(200);
    expect((await callApi(t, feedbacks(), handMade(header, { iat: nowS() + 10, exp: nowS() + 300 }, key.secret))).status).toBe(200);
  });

  it('refuses a revoked key', async () => {
    const doomed = await createKey(t, acme.id, 'doomed');
    expect((await callApi(t, feedbacks(), tokenFor(doomed))).status).toBe(200);
    await t.server.storage.revokeProjectKey(doomed.kid, new Date().toISOString());
    await expectRefused(bearer(tokenFor(doomed)), 'Key has been revoked');
  });

  it("refuses a key on another project's routes, before saying whether that project exists", async () => {
    await expectRefused(bearer(tokenFor(otherKey)), 'Key does not belong to this project');
    await expectRefused(bearer(tokenFor(key)), 'Key does not belong to this project', '/api/projects/client_missing000000000/feedbacks');
    const res = await callApi(t, `/api/projects/${acme.id}/feedbacks/filter/count`, tokenFor(otherKey), { method: 'POST', body: {} });
    expect(res.status).toBe(401);
  });
});

describe('read API: accepted tokens', () => {
  it('accepts a jsonwebtoken HS256 token and a token signed by hand with node:crypto', async () => {
    const res = await callApi(t, feedbacks(), tokenFor(key));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ items: [], next: null, previous: null, has_more: false });
    const manual = handMade({ alg: 'HS256', typ: 'JWT', kid: key.kid }, { iat: nowS(), exp: nowS() + 60, sub: 'script' }, key.secret);
    expect((await callApi(t, feedbacks(), manual)).status).toBe(200);
  });

  it('accepts the admin token for every project, and answers 404 for an unknown one', async () => {
    expect((await callApi(t, feedbacks(), ADMIN_TOKEN)).status).toBe(200);
    expect((await callApi(t, `/api/projects/${other.id}/feedbacks`, ADMIN_TOKEN)).status).toBe(200);
    const missing = await callApi(t, '/api/projects/client_missing000000000/feedbacks', ADMIN_TOKEN);
    expect(missing).toMatchObject({ status: 404, json: { error: 'Invalid client ID' } });
    await expectRefused(bearer(`${ADMIN_TOKEN}x`), 'Token is not a valid JWT');
  });

  it('GET /api/projects lists every project for the admin, and only its own for a key', async () => {
    const admin = await callApi(t, '/api/projects', ADMIN_TOKEN);
    expect(admin.status).toBe(200);
    expect(admin.json.items).toEqual(
      expect.arrayContaining([
        { id: acme.id, name: 'Acme' },
        { id: other.id, name: 'Other' },
      ]),
    );
    expect((await callApi(t, '/api/projects', tokenFor(key))).json).toEqual({ items: [{ id: acme.id, name: 'Acme' }] });
  });

  it('answers cross-origin preflights allowing Authorization and PATCH', async () => {
    const res = await fetch(`${t.url}/api/projects/${acme.id}/feedbacks/fb_x`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://tools.example.com',
        'Access-Control-Request-Method': 'PATCH',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')!.split(',')).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH']));
    expect(res.headers.get('access-control-allow-headers')!.toLowerCase().split(',')).toEqual(
      expect.arrayContaining(['authorization', 'content-type']),
    );
  });
});

describe('server start with an admin token', () => {
  it('refuses an admin token shorter than 16 characters', async () => {
    const dataDir = join(t.dataDir, 'short-admin-token');
    await expect(startServer({ host: '127.0.0.1', port: 0, dataDir, adminToken: 'short' })).rejects.toThrow(/at least 16 characters/);
  });
});
