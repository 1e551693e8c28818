/**
 * Helpers for the team API tests: people made through the server's account code, requests
 * over raw HTTP (from any loopback address, with a session cookie and its CSRF token, or a
 * bearer token), and sign-in as the inbox does it.
 */
import { request } from 'node:http';
import { createUser } from '../../server/auth/users.ts';
import type { User } from '../../server/storage/team-types.ts';
import type { TestServer } from './helpers.ts';

/** A signed-in browser: its cookie and the CSRF token it must send back. */
export interface Browser {
  cookie: string;
  csrfToken: string;
  user: { id: string; email: string; name: string | null; serverOwner: boolean };
}

/** How a test request is sent. */
export interface Call {
  method?: string;
  /** JSON-encoded unless a string. */
  body?: unknown;
  /** Sends the cookie, and its CSRF token unless `csrf: false`. */
  as?: Browser;
  csrf?: boolean;
  bearer?: string;
  headers?: Record<string, string>;
  localAddress?: string;
}

/** An answer: status, headers (lower-case names), JSON body (or undefined when empty). */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: any;
}

/** Sends one request to the test server. */
export function call(t: TestServer, path: string, init: Call = {}): Promise<Answer> {
  const { hostname, port } = new URL(t.url);
  const headers: Record<string, string> = { ...init.headers };
  if (init.as) headers.Cookie = init.as.cookie;
  if (init.as && init.csrf !== false) headers['X-CSRF-Token'] = init.as.csrfToken;
  if (init.bearer !== undefined) headers.Authorization = `Bearer ${init.bearer}`;
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  if (body !== undefined) headers['Content-Type'] ??= 'application/json';
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: init.method ?? 'GET', headers, localAddress: init.localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text === '' ? undefined : JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The `name=value` of a Set-Cookie answer's session cookie, or undefined. */
export function sessionCookie(answer: Answer): string | undefined {
  const set = answer.headers['set-cookie'] ?? [];
  const found = (Array.isArray(set) ? set : [set]).find((line) => line.startsWith('loupe_session='));
  return found?.split(';')[0];
}

/** The browser an answer that signed in (200 with user, csrfToken and the cookie) made. */
export function browserOf(answer: Answer): Browser {
  const cookie = sessionCookie(answer);
  if (answer.status !== 200 || !cookie) throw new Error(`Not signed in: ${answer.status} ${JSON.stringify(answer.json)}`);
  return { cookie, csrfToken: answer.json.csrfToken, user: answer.json.user };
}

/** Makes an account with a password. */
export async function makeUser(t: TestServer, email: string, options: { password?: string; serverOwner?: boolean; name?: string } = {}): Promise<User> {
  const user = await createUser(t.server.storage.team, { email, password: options.password ?? PASSWORD, serverOwner: options.serverOwner, name: options.name }, Date.now());
  if (!user) throw new Error(`${email} exists`);
  return user;
}

/** The password makeUser gives unless told otherwise. */
export const PASSWORD = 'correct horse battery';

/** Signs in with e-mail and password (PASSWORD by default). */
export async function signIn(t: TestServer, email: string, password = PASSWORD): Promise<Browser> {
  return browserOf(await call(t, '/api/auth/sign-in', { method: 'POST', body: { email, password } }));
}

/** Puts a user in a project with a role. */
export async function addMember(t: TestServer, clientId: string, userId: string, role: 'owner' | 'member' | 'viewer'): Promise<void> {
  await t.server.storage.team.putMember({ clientId, userId, role, notifyNewReports: false, createdAt: new Date().toISOString() });
}
