/**
 * The OpenAPI document at /openapi.json: a valid OpenAPI 3.1 document; an operation for every
 * /api route the app registers (but the few listed below, each with its reason); and every
 * documented operation's real answers (its success, and each 400, 401, 403 and 404 it
 * documents) valid against that answer's schema, as ajv reads JSON Schema 2020-12 with formats.
 * The requests are in openapi-cases.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createClient } from '../../server/clients.ts';
import { newTeamId } from '../../server/ids.ts';
import { buildOpenApiDocument } from '../../server/openapi/document.ts';
import { postFeedback, postScreenshot, pngBytes, startTestServer, type TestServer } from './helpers.ts';
import { otherCases, successes, type Case, type Sent, type Who, type World } from './openapi-cases.ts';
import { setUpOutbound, startStandIns, type Outbound } from './openapi-outbound-cases.ts';
import { callApi, createKey, tokenFor } from './read-api-helpers.ts';
import { gzipJson, postReplay, replayEvents, replayFile } from './replay-fixtures.ts';
import { makeUser } from './team-auth-helpers.ts';
import { addPerson } from './team-helpers.ts';

const ADMIN_TOKEN = 'openapi-test-admin-token-0123456789';

/** Routes under /api the document leaves out, and why. */
const UNDOCUMENTED: Record<string, string> = {
  'GET /api/auth/oidc': 'a browser navigation for single sign-on: 302 to the OpenID provider, not an API call',
  'GET /api/auth/oidc/callback': 'where the provider sends the browser back: 302 to the inbox or an HTML page',
  'POST /api/integrations/:integrationId/jira': "TODO(issue 15): Jira's webhook of a connection (tested in jira.test.ts), signed with X-Hub-Signature; not yet in the document",
};

type Operation = { security: Record<string, string[]>[]; parameters?: { name: string }[]; requestBody?: { content: Record<string, unknown> }; responses: Record<string, { content?: unknown }> };
type Doc = { paths: Record<string, Record<string, Operation>> };

let t: TestServer;
let standIns: Pick<Outbound, 'github' | 'receiver'> | undefined;
let w: World;
let doc: Doc;
let headersOf: (who: Who, csrf?: false) => Record<string, string>;
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
addFormats(ajv);
// The document's own fields, so that ajv takes it as a schema and resolves pointers into it.
ajv.addVocabulary(['openapi', 'info', 'servers', 'tags', 'paths', 'components']);

beforeAll(async () => {
  standIns = await startStandIns();
  t = await startTestServer({
    adminToken: ADMIN_TOKEN,
    emailEnabled: true,
    rateLimitIpPerMin: 0,
    rateLimitClientPerMin: 0,
    githubApiUrl: standIns.github.url,
    outbound: { allowedHosts: ['127.0.0.1'], pollMs: 50 },
  });
  const storage = t.server.storage;
  const a = await createClient(storage, { name: 'Project A' });
  const guarded = await createClient(storage, { name: 'Guarded', allowedOrigins: ['https://allowed.example.com'] });
  const people = {
    owner: await addPerson(storage, { clientId: a.id, role: 'owner' }),
    member: await addPerson(storage, { clientId: a.id, role: 'member' }),
    viewer: await addPerson(storage, { clientId: a.id, role: 'viewer' }),
    serverOwner: await addPerson(storage, undefined, { serverOwner: true }),
    outsider: await addPerson(storage),
  };
  const key = await createKey(t, a.id);
  const token = tokenFor(key, { expiresIn: 3600 });
  headersOf = (who, csrf) => {
    if (who === 'nobody') return {};
    if (who === 'key' || who === 'admin') return { Authorization: `Bearer ${who === 'key' ? token : ADMIN_TOKEN}` };
    const { 'X-CSRF-Token': csrfToken, ...cookie } = (typeof who === 'string' ? people[who] : who).headers;
    return csrf === false ? cookie : { ...cookie, 'X-CSRF-Token': csrfToken! };
  };

  // A's report with a screenshot, a replay, a label and a comment; assigned by the owner, so the member has a notification.
  const shot = (await (await postScreenshot(t.url, { clientId: a.id, screenshot: { bytes: pngBytes(4, 4), type: 'image/png' } })).json()) as { screenshot: unknown };
  const replay = (await (await postReplay(t.url, { clientId: a.id, replay: replayFile(gzipJson(replayEvents())) })).json()) as { replay: { id: string } };
  const report = { clientId: a.id, rating: 3, comment: 'The chart is empty', screenshots: [shot.screenshot], sessionReplayId: replay.replay.id, metadata: { build: '1.2.3' } };
  const { feedbackId } = (await (await postFeedback(t.url, report)).json()) as { feedbackId: string };
  const labelId = newTeamId('label');
  await storage.team.insertLabel({ id: labelId, clientId: a.id, name: 'Regression', color: '#d73a4a', createdAt: new Date().toISOString() });
  const at = new Date().toISOString();
  const commentId = newTeamId('comment');
  await storage.team.insertComment({ id: commentId, clientId: a.id, feedbackId, authorId: people.owner.user.id, body: 'Looking', createdAt: at, updatedAt: at, deletedAt: null }, {});
  const assign = await callApi(t, `/api/projects/${a.id}/feedbacks/${feedbackId}`, undefined, { method: 'PATCH', headers: people.owner.headers, body: { assigneeId: people.member.user.id } });
  expect(assign.status).toBe(200);

  const withPassword = await makeUser(t, 'has-a-password@example.com');
  const outbound = await setUpOutbound(t, a.id, people.owner, standIns);
  const ids = { clientId: a.id, id: feedbackId, labelId, commentId, userId: people.member.user.id, kid: key.kid, ...outbound.ids };
  w = { t, a, guarded, ids, people, withPassword, outbound };
  doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as Doc;
  ajv.addSchema(doc, DOC);
});
afterAll(async () => {
  await t?.stop();
  await standIns?.receiver.close();
  await standIns?.github.close();
});

const DOC = 'openapi.json';
const METHODS = ['get', 'post', 'patch', 'put', 'delete'];

/** A JSON pointer into the document, as a URI fragment. */
const pointer = (...parts: string[]) => `${DOC}#/${parts.map((part) => encodeURIComponent(part.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/')}`;

function operationOf(route: string): Operation {
  const [method, path] = route.split(' ') as [string, string];
  const found = doc.paths[path]?.[method.toLowerCase()];
  if (!found) throw new Error(`${route} is not in the document`);
  return found;
}

const validators = new Map<string, ValidateFunction>();
function validatorAt(ref: string): ValidateFunction {
  let validate = validators.get(ref);
  if (!validate) validators.set(ref, (validate = ajv.compile({ $ref: ref })));
  return validate;
}

/** The schema of an answer: a validator, `'none'` for an answer without a body, undefined when the status is not documented. */
function answerSchema(route: string, status: number): ValidateFunction | 'none' | undefined {
  const [method, path] = route.split(' ') as [string, string];
  const answer = operationOf(route).responses[status];
  if (!answer) return undefined;
  return answer.content ? validatorAt(pointer('paths', path, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema')) : 'none';
}

async function send(route: string, sent: Sent): Promise<{ status: number; type: string | null; text: string }> {
  const [method, pattern] = route.split(' ') as [string, string];
  const values: Record<string, string> = { ...w.ids, ...sent.path };
  const path = pattern.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name]!));
  const headers: Record<string, string> = { ...headersOf(sent.who, sent.csrf), ...sent.headers };
  let body: string | FormData | undefined;
  if (sent.form) {
    body = new FormData();
    for (const [name, field] of Object.entries(sent.form)) {
      if (typeof field === 'string') body.append(name, field);
      else body.append(name, new Blob([new Uint8Array(field.bytes)], { type: field.type }), field.name ?? 'file');
    }
  } else if (sent.body !== undefined || sent.text !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = sent.text ?? JSON.stringify(sent.body);
  }
  const res = await fetch(`${t.url}${path}${sent.query ? `?${sent.query}` : ''}`, { method, headers, body });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** Sends a case; what is wrong with its answer (or with a request the route took), and which route and status it saw. */
async function run(c: Case, seen: Set<string>): Promise<string[]> {
  const sent = await c.sent();
  const answer = await send(c.route, sent);
  const label = `${c.route} → ${answer.status}`;
  if (answer.status !== c.status) return [`${label} (expected ${c.status}): ${answer.text.slice(0, 160)}`];
  seen.add(`${c.route} ${answer.status}`);
  const wrong: string[] = [];
  const schema = answerSchema(c.route, answer.status);
  if (!schema) wrong.push(`${label}: not documented`);
  else if (schema === 'none') {
    if (answer.text !== '') wrong.push(`${label}: documented without a body, answered ${answer.text.slice(0, 80)}`);
  } else if (!answer.type?.startsWith('application/json')) wrong.push(`${label}: answered ${answer.type}`);
  else if (!schema(JSON.parse(answer.text))) wrong.push(`${label}: ${ajv.errorsText(schema.errors)} in ${answer.text.slice(0, 200)}`);
  // A body the route accepted must be one the document allows.
  if (answer.status < 300 && sent.body !== undefined) {
    const [method, path] = c.route.split(' ') as [string, string];
    const request = validatorAt(pointer('paths', path, method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema'));
    if (!request(sent.body)) wrong.push(`${c.route}: the request it took fails the document: ${ajv.errorsText(request.errors)}`);
  }
  return wrong;
}

const isPerson = (who: Who) => typeof who === 'object' || ['owner', 'member', 'viewer', 'serverOwner', 'outsider'].includes(who);

/** The refusals a success implies: without credentials (or a signature), from outside the project, an unknown project, a session without CSRF, a bad body or query. */
function derived(route: string, success: () => Promise<Sent>): Case[] {
  const op = operationOf(route);
  const [method, path] = route.split(' ') as [string, string];
  const cases: Case[] = [];
  const as = (status: number, change: (sent: Sent) => Partial<Sent>) =>
    cases.push({ route, status, sent: async () => { const sent = await success(); return { ...sent, ...change(sent) }; } });
  if (op.security.length > 0 && op.security.every((requirement) => Object.keys(requirement).length > 0)) as(401, () => ({ who: 'nobody', headers: undefined }));
  if (path.startsWith('/api/projects/{clientId}')) {
    as(403, () => ({ who: 'outsider' }));
    as(404, (sent) => ({ who: 'admin', path: { ...sent.path, clientId: 'client_nope' } }));
  }
  if (method !== 'GET' && op.security.some((requirement) => 'csrf' in requirement)) {
    // A's owner may do anything in A: the CSRF check is all that refuses them.
    as(403, (sent) => ({ who: isPerson(sent.who) ? sent.who : 'owner', csrf: false }));
  }
  // A body that is not an object: the 400 that names `body` (where the documented 400 names its places).
  const namesPlaces = JSON.stringify(op.responses[400]?.content ?? null).includes('/InvalidRequest"');
  if (op.requestBody?.content['application/json'] && namesPlaces) as(400, () => ({ body: [] }));
  else if (op.parameters?.some((parameter) => parameter.name === 'limit')) as(400, () => ({ query: 'limit=0' }));
  return cases;
}

describe('the OpenAPI document', () => {
  it('is served as a valid OpenAPI 3.1 document, cached, readable from any origin', async () => {
    const res = await fetch(`${t.url}/openapi.json`, { headers: { Origin: 'https://tools.example.com' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(`${t.url}/openapi.json`, { method: 'OPTIONS', headers: { Origin: 'https://tools.example.com', 'Access-Control-Request-Method': 'GET' } });
    expect([preflight.status, preflight.headers.get('access-control-allow-origin')]).toEqual([204, '*']);

    const validator = new Validator();
    const result = await validator.validate((await res.json()) as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect([result.valid, validator.version]).toEqual([true, '3.1']);
    // Without a public URL the paths are the server's own; with one, the document says where.
    expect(doc).not.toHaveProperty('servers');
    expect(buildOpenApiDocument({ publicUrl: 'https://feedback.example.com/' }).servers).toEqual([{ url: 'https://feedback.example.com' }]);
  });

  it('has an operation for every /api route the app registers, but those listed as undocumented', async () => {
    const uploadTempDir = await mkdtemp(join(tmpdir(), 'loupe-openapi-'));
    const app = createApp({ storage: t.server.storage, files: t.server.files, masterKey: new Uint8Array(32), uploadTempDir });
    await rm(uploadTempDir, { recursive: true, force: true });
    const registered = new Set(app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`));
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)),
    );
    const excluded = (route: string) => route in UNDOCUMENTED;
    expect([...registered].filter((route) => !documented.has(route) && !excluded(route)), 'routes without an operation').toEqual([]);
    expect([...documented].filter((route) => !registered.has(route)), 'operations without a route').toEqual([]);
    expect([...documented].filter(excluded), 'documented after all').toEqual([]);
    expect(Object.keys(UNDOCUMENTED).filter((route) => !registered.has(route)), 'exclusions of no route').toEqual([]);
  });

  it("answers every operation's success and documented 400, 401, 403 and 404 as the document describes them", async () => {
    const success = successes(w);
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.filter((route) => !(route in success)), 'operations without a success case').toEqual([]);
    const cases: Case[] = [
      ...Object.entries(success).map(([route, sent]) => {
        const status = Number(Object.keys(operationOf(route).responses).find((s) => s.startsWith('2')));
        return { route, status, sent };
      }),
      ...Object.entries(success).flatMap(([route, sent]) => derived(route, sent)),
      ...otherCases(w),
    ];
    const seen = new Set<string>();
    const wrong: string[] = [];
    for (const c of cases) wrong.push(...(await run(c, seen)));
    expect(wrong).toEqual([]);

    const unseen = operations.flatMap((route) =>
      Object.keys(operationOf(route).responses)
        .filter((status) => status.startsWith('2') || ['400', '401', '403', '404'].includes(status))
        .filter((status) => !seen.has(`${route} ${status}`))
        .map((status) => `${route} ${status}`),
    );
    expect(unseen, 'documented answers no request got').toEqual([]);
  }, 120_000);

  it('refuses an answer with a field dropped, added or of the wrong kind', async () => {
    const item = (await callApi(t, `/api/projects/${w.a.id}/feedbacks/${w.ids.id}`, ADMIN_TOKEN)).json;
    const validate = answerSchema('GET /api/projects/{clientId}/feedbacks/{id}', 200) as ValidateFunction;
    expect(validate(item)).toBe(true);
    const { id: _id, ...withoutId } = item;
    expect(validate(withoutId)).toBe(false);
    expect(validate({ ...item, userAgent: 'Mozilla/5.0' })).toBe(false);
    expect(validate({ ...item, state: 'closed' })).toBe(false);
    expect(validate({ ...item, createdAt: 'yesterday' })).toBe(false);
    expect(validate({ ...item, replay: { ...item.replay, eventCount: 'many' } })).toBe(false);

    const bad = await callApi(t, `/api/projects/${w.a.id}/feedbacks?limit=0`, ADMIN_TOKEN);
    const invalid = answerSchema('GET /api/projects/{clientId}/feedbacks', 400) as ValidateFunction;
    expect([bad.status, invalid(bad.json)]).toEqual([400, true]);
    expect(invalid({ error: bad.json.error })).toBe(false);
    const refused = await callApi(t, `/api/projects/${w.a.id}/feedbacks`, undefined);
    const error = answerSchema('GET /api/projects/{clientId}/feedbacks', 401) as ValidateFunction;
    expect([refused.status, error(refused.json)]).toEqual([401, true]);
    expect(error({ ...refused.json, detail: 'more' })).toBe(false);
  });
});
