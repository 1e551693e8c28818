/**
 * Reporter invite links: POST /api/projects/:clientId/reporter-links (owners only) and the
 * page the link opens, GET /join. Roles here come from bearer tokens: the admin token acts as
 * owner, a project key as member.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJoinLink } from '../../lib/api/join-link.ts';
import { ENVIRONMENT_MAX_CHARS } from '../../lib/api/schemas.ts';
import { createClient } from '../../server/clients.ts';
import type { Client } from '../../server/storage/types.ts';
import { startTestServer, type TestServer } from './helpers.ts';
import { callApi, createKey, tokenFor, type TestKey } from './read-api-helpers.ts';

const ADMIN_TOKEN = 'admin-token-for-reporter-links-0123';
const PUBLIC_URL = 'https://feedback.example.com/loupe';
let t: TestServer;
let acme: Client;
let other: Client;
let acmeKey: TestKey;
let otherKey: TestKey;

beforeAll(async () => {
  t = await startTestServer({ adminToken: ADMIN_TOKEN, publicUrl: PUBLIC_URL });
  acme = await createClient(t.server.storage, { name: 'Acme <b>&</b> "Co"' });
  other = await createClient(t.server.storage, { name: 'Other' });
  acmeKey = await createKey(t, acme.id);
  otherKey = await createKey(t, other.id);
});
afterAll(() => t.stop());

const linksOf = (clientId: string) => `/api/projects/${clientId}/reporter-links`;
const makeLink = (body: unknown, token = ADMIN_TOKEN, clientId = acme.id) =>
  callApi(t, linksOf(clientId), token, { method: 'POST', body });

describe('POST /api/projects/:clientId/reporter-links', () => {
  it('gives an owner a link to the join page naming the project and the environment (trimmed)', async () => {
    const res = await makeLink({ environment: ' staging ' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.json)).toEqual(['url']);
    expect(res.json.url.startsWith(`${PUBLIC_URL}/join?`)).toBe(true);
    expect(parseJoinLink(res.json.url)).toEqual({ serverUrl: PUBLIC_URL, clientId: acme.id, environment: 'staging', projectName: acme.name });
  });

  it('leaves the environment out for the default one', async () => {
    for (const body of [{}, { environment: '' }, { environment: '  ' }, { environment: null }]) {
      const res = await makeLink(body);
      expect(res.status).toBe(201);
      expect(new URL(res.json.url).searchParams.has('environment')).toBe(false);
      expect(parseJoinLink(res.json.url)?.environment).toBe('');
    }
  });

  it.each([
    [{ environment: 'default' }, 'environment', 'Omit environment for the default one: "default" would create a separate environment'],
    [{ environment: ' No-Env ' }, 'environment', 'Omit environment for the default one: "No-Env" would create a separate environment'],
    [{ environment: 'e'.repeat(ENVIRONMENT_MAX_CHARS + 1) }, 'environment', `Must be at most ${ENVIRONMENT_MAX_CHARS} characters`],
    [{ environment: 42 }, 'environment', 'Expected a string'],
    [[], 'body', 'Body must be a JSON object'],
    ['"staging"', 'body', 'Body must be a JSON object'],
    ['{"environment":', 'body', 'Body must be valid JSON'],
    ['', 'body', 'A JSON body is required (send {} for none)'],
  ])('refuses %j with the read API\'s 400', async (body, field, message) => {
    const res = await makeLink(body);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: 'Invalid body', issues: { [field]: [message] } });
  });

  it('ignores a __proto__ key: the default environment, nothing inherited', async () => {
    const res = await makeLink('{"__proto__": {"environment": "staging"}}');
    expect(res.status).toBe(201);
    expect(parseJoinLink(res.json.url)?.environment).toBe('');
  });

  it('refuses a project key (it acts as member) with 403, before reading the body', async () => {
    const res = await makeLink({ environment: 'default' }, tokenFor(acmeKey));
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ error: 'This needs the owner role in this project' });
  });

  it('refuses another project\'s key, and a request without a token, with 401', async () => {
    const foreign = await makeLink({}, tokenFor(otherKey));
    expect(foreign.status).toBe(401);
    expect(foreign.json).toEqual({ error: 'Key does not belong to this project' });
    const anonymous = await callApi(t, linksOf(acme.id), undefined, { method: 'POST', body: {} });
    expect(anonymous.status).toBe(401);
  });

  it('answers 404 for a project that does not exist', async () => {
    const res = await makeLink({}, ADMIN_TOKEN, 'client_doesNotExist');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: 'Invalid client ID' });
  });
});

describe('GET /join', () => {
  const get = async (query: string) => {
    const res = await fetch(`${t.url}/join${query}`);
    return { status: res.status, headers: res.headers, html: await res.text() };
  };

  it('explains the steps with the project\'s stored name, escaped, and what to enter by hand', async () => {
    const link = (await makeLink({ environment: 'staging' })).json.url as string;
    const res = await get(new URL(link).search);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.html).toContain('Send feedback on Acme &lt;b&gt;&amp;&lt;/b&gt; &quot;Co&quot; with Loupe');
    expect(res.html).not.toContain('<b>');
    expect(res.html).toContain(`<code>${PUBLIC_URL}</code>`);
    expect(res.html).toContain(`<code>${acme.id}</code>`);
    expect(res.html).toContain('<code>staging</code>');
    expect(res.html).toContain('Join Acme &lt;b&gt;&amp;&lt;/b&gt; &quot;Co&quot; on feedback.example.com?');
    expect(res.html).toContain('prefers-color-scheme: dark');
  });

  it('runs no script and allows only its own style, by hash', async () => {
    const res = await get(`?clientId=${acme.id}`);
    expect(res.html).not.toMatch(/<script|\son\w+=/i);
    const style = /<style>([\s\S]*?)<\/style>/.exec(res.html)![1]!;
    const hash = createHash('sha256').update(style, 'utf8').digest('base64');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      `style-src 'sha256-${hash}'`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ]);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.html).toContain('(leave blank)');
  });

  it('says a changed or incomplete link does not work (400), and an unknown project does not exist (404)', async () => {
    for (const query of ['', '?clientId=abc', `?clientId=${acme.id}&environment=default`, `?clientId=${acme.id}&clientId=${other.id}`]) {
      const res = await get(query);
      expect(res.status).toBe(400);
      expect(res.html).toContain('This invite link does not work');
    }
    const unknown = await get('?clientId=client_doesNotExist');
    expect(unknown.status).toBe(404);
    expect(unknown.html).toContain('This project does not exist');
  });
});
