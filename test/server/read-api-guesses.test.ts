/**
 * The read API's limit on failed authentications: per remote address, 20 a minute, answered 429 with Retry-After before anything is checked; valid tokens never count.
 * Requests come from distinct loopback addresses (127.0.0.0/8 all reach 127.0.0.1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createApi } from '../../server/inbox/client/api.ts';
import type { Client } from '../../server/storage/types.ts';
import { startTestServer, type TestServer } from './helpers.ts';
import { createKey, getFrom, tokenFor, type TestKey } from './read-api-helpers.ts';
import { createClient } from '../../server/clients.ts';

const ADMIN_TOKEN = 'admin-token-for-guess-tests-0123456789';
const LIMIT = 20;
const TOO_MANY = { error: 'Too many failed authentications, try again later' };

let t: TestServer;
let clockMs = Date.now();
let acme: Client;
let key: TestKey;
let otherKey: TestKey;

beforeAll(async () => {
  t = await startTestServer({ adminToken: ADMIN_TOKEN, nowMs: () => clockMs });
  acme = await createClient(t.server.storage, { name: 'Acme' });
  key = await createKey(t, acme.id);
  otherKey = await createKey(t, acme.id, 'other');
});
afterAll(() => t.stop());

/** A token valid on the server's clock (which the tests move), for 5 minutes. */
const validToken = (k: TestKey) => tokenFor(k, {}, { iat: Math.floor(clockMs / 1000), exp: Math.floor(clockMs / 1000) + 300 });
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const projects = (from: string, headers: Record<string, string>) => getFrom(t, from, '/api/projects', headers);

describe('read API: failed authentications are limited', () => {
  it('answers the 21st bad guess from one address 429 with Retry-After, while another address signs in', async () => {
    const from = '127.0.1.2';
    for (let i = 0; i < LIMIT; i++) expect((await projects(from, bearer(`wrong-admin-token-${i}`))).status).toBe(401);
    const refused = await projects(from, bearer('wrong-admin-token-21'));
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual(TOO_MANY);
    expect(refused.headers['retry-after']).toBe('3'); // one more try every 60/20 s
    // A page on another origin can read it (CORS, Retry-After exposed).
    expect(refused.headers['access-control-allow-origin']).toBe('*');
    expect(String(refused.headers['access-control-expose-headers']).toLowerCase()).toContain('retry-after');
    // Refused unchecked: even the right token from that address waits.
    expect((await projects(from, bearer(ADMIN_TOKEN))).status).toBe(429);
    expect((await projects('127.0.1.3', bearer(ADMIN_TOKEN))).status).toBe(200);
    expect((await projects('127.0.1.3', bearer(validToken(key)))).status).toBe(200);
  });

  it('never counts valid tokens or requests without one', async () => {
    const from = '127.0.2.2';
    for (let i = 0; i < 3 * LIMIT; i++) expect((await projects(from, bearer(validToken(key)))).status).toBe(200);
    for (let i = 0; i < 2 * LIMIT; i++) expect((await projects(from, {})).status).toBe(401);
    expect((await projects(from, bearer('a-wrong-guess'))).status).toBe(401);
  });

  it('never locks a key out: guesses at its secret from many addresses leave its holder working', async () => {
    const wrongSecret = { ...key, secret: otherKey.secret };
    for (let i = 0; i < 2 * LIMIT; i++) expect((await projects(`127.0.3.${i + 2}`, bearer(validToken(wrongSecret)))).status).toBe(401);
    expect((await projects('127.0.3.200', bearer(validToken(key)))).status).toBe(200);
  });

  it('forgets after the window on the app clock: one try back every 3 s, all of them after a minute', async () => {
    const from = '127.0.4.2';
    for (let i = 0; i < LIMIT; i++) await projects(from, bearer(`guess-${i}`));
    expect((await projects(from, bearer('guess'))).status).toBe(429);
    clockMs += 3_000;
    expect((await projects(from, bearer('guess'))).status).toBe(401);
    expect((await projects(from, bearer('guess'))).status).toBe(429);
    clockMs += 60_000;
    for (let i = 0; i < LIMIT; i++) expect((await projects(from, bearer(`guess-${i}`))).status).toBe(401);
    expect((await projects(from, bearer('guess'))).status).toBe(429);
    clockMs += 60_000;
    expect((await projects(from, bearer(validToken(key)))).status).toBe(200);
  });

  it('the inbox’s client says when to try again: "Too many attempts, try again in N s"', async () => {
    // The inbox's own client (fetch + WebCrypto, both in Node), signing in from 127.0.0.1.
    const signIn = (credentials: Parameters<typeof createApi>[0]['credentials']) =>
      createApi({ base: new URL(`${t.url}/`), credentials, onUnauthorized: () => undefined }).listProjects();
    for (let i = 0; i < LIMIT; i++) await expect(signIn({ kind: 'admin', token: `nope-${i}` })).rejects.toMatchObject({ status: 401 });
    const error = await signIn({ kind: 'key', kid: key.kid, secret: key.secret }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, message: 'Too many attempts, try again in 3 s' });
  });
});
