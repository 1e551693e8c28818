/**
 * Helpers for the read API tests. Tokens are minted with `jsonwebtoken` (or node:crypto by
 * hand), never with the server's own code, so the tests check interoperability, not symmetry.
 */
import jwt from 'jsonwebtoken';
import { createProjectKey } from '../../server/auth/keys.ts';
import { openMasterKey } from '../../server/start.ts';
import type { NewFeedback } from '../../server/storage/types.ts';
import type { TestServer } from './helpers.ts';
import { call, type Answer } from './team-auth-helpers.ts';

/** A key created for a client, with the secret shown once. */
export interface TestKey {
  kid: string;
  secret: string;
  clientId: string;
}

/** Creates a project key the way the CLI does (the master key from the server's data dir). */
export async function createKey(t: TestServer, clientId: string, name = 'tests'): Promise<TestKey> {
  const { key, secret } = await createProjectKey(t.server.storage, openMasterKey(t.dataDir), { clientId, name });
  return { kid: key.kid, secret, clientId };
}

/**
 * An HS256 JWT signed by jsonwebtoken with the key's secret, valid for 5 minutes unless told
 * otherwise (`expiresIn: undefined` for none, or an `exp` in the payload).
 */
export function tokenFor(key: TestKey, options: jwt.SignOptions = {}, payload: object = {}): string {
  const merged: jwt.SignOptions = { algorithm: 'HS256', keyid: key.kid, expiresIn: 300, ...options };
  if (merged.expiresIn === undefined || 'exp' in payload) delete merged.expiresIn;
  return jwt.sign(payload, key.secret, merged);
}

/** Sends a request to the read API with a bearer token (or none) and JSON body. */
export async function callApi(
  t: TestServer,
  path: string,
  token: string | undefined,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; json: any }> {
  const headers: Record<string, string> = { ...init.headers };
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  }
  const res = await fetch(`${t.url}${path}`, { method: init.method ?? 'GET', headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text === '' ? undefined : JSON.parse(text) };
}

/**
 * A GET sent from another loopback address (any of 127.0.0.0/8 reaches a server on
 * 127.0.0.1 on Linux): the read API counts failed authentications per remote address.
 */
export function getFrom(
  t: TestServer,
  localAddress: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return call(t, path, { headers, localAddress });
}

/** A submission with every optional field absent, as ingest stores it; override what a test needs. */
export function feedbackInput(clientId: string, fields: Partial<NewFeedback> = {}): NewFeedback {
  return {
    clientId,
    rating: null,
    comment: null,
    userEmail: null,
    pageUrl: null,
    pageTitle: null,
    referrer: null,
    environment: null,
    screenshots: null,
    metadata: null,
    sessionReplayId: null,
    replayOffsetMs: null,
    userAgent: null,
    origin: null,
    ...fields,
  };
}

/** Items in the API's default order: updatedAt, then id, newest first. */
export function newestUpdatedFirst<T extends { id: string; updatedAt: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) =>
    a.updatedAt === b.updatedAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.updatedAt < b.updatedAt ? 1 : -1,
  );
}
