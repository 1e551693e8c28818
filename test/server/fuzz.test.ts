import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLAY_ERRORS } from '../../lib/api/schemas.ts';
import type { Client } from '../../server/storage/types.ts';
import { ALLOWED_ORIGIN, badRequests, type FuzzRequest } from './fuzz-requests.ts';
import { badFeedbackBodies, badReadApiRequests, type NamedBadBody } from './fuzz-read-api.ts';
import { badReplayRequests } from './fuzz-replays.ts';
import { postFeedback, startTestServer, storeFeedback, type TestServer } from './helpers.ts';
import { callApi, createKey, feedbackInput, tokenFor } from './read-api-helpers.ts';
import { createClient } from '../../server/clients.ts';

/** Fixed, so a failure reproduces; fast-check prints the seed and path of any counterexample. */
const FUZZ_SEED = 20_261_121;
const FUZZ_RUNS = 3_000;
/** Runs of each built-in-names property below (a few hundred each reach every key at every level). */
const NAMES_RUNS = 400;

// The content checks of POST /api/replays the fuzz must reach (not just the client lookup).
const { notGzip, corruptGzip, notJson, notArray, notEvent, badStart } = REPLAY_ERRORS;
const REPLAY_CONTENT_ERRORS = { notGzip, corruptGzip, notJson, notArray, notEvent, badStart };

let t: TestServer;
let client: Client;
/** No allowlist: replays sent to it get as far as the content checks (and are always broken). */
let openClient: Client;

beforeAll(async () => {
  // No rate limits: this test is thousands of requests from one address.
  t = await startTestServer({ rateLimitIpPerMin: 0, rateLimitClientPerMin: 0 });
  client = await createClient(t.server.storage, { name: 'Fuzzed', allowedOrigins: [ALLOWED_ORIGIN] });
  openClient = await createClient(t.server.storage, { name: 'Open' });
});
afterAll(() => t.stop());

/** Whether a body is the contract's error shape: `{"error": string, "issues"?: {field: string[]}}`. */
function isErrorShape(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { error, issues, ...rest } = value as Record<string, unknown>;
  if (typeof error !== 'string' || error === '' || Object.keys(rest).length > 0) return false;
  if (issues === undefined) return true;
  if (typeof issues !== 'object' || issues === null || Array.isArray(issues)) return false;
  return Object.values(issues).every((messages) => Array.isArray(messages) && messages.length > 0 && messages.every((m) => typeof m === 'string'));
}

async function send(request: FuzzRequest): Promise<{ status: number; text: string; cors: string | null }> {
  // Bytes from Buffer.concat/subarray are typed over ArrayBufferLike; fetch takes them as they are.
  const body = request.body as BodyInit;
  const res = await fetch(`${t.url}${request.path}`, { method: 'POST', headers: request.headers, body });
  return { status: res.status, text: await res.text(), cors: res.headers.get('access-control-allow-origin') };
}

describe('fuzzing the ingest routes with bad requests', () => {
  it(`answers ${FUZZ_RUNS} generated bad requests with a 4xx in the contract's error shape, and stores nothing`, async () => {
    const statuses = new Map<number, number>();
    const paths = new Map<string, number>();
    const replayErrors = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: badRequests(client.id), weight: 3 }, { arbitrary: badReplayRequests(client.id, openClient.id), weight: 1 }), async (request) => {
        const answer = await send(request);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        paths.set(request.path, (paths.get(request.path) ?? 0) + 1);
        expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
        expect(answer.status, answer.text).toBeLessThan(500);
        expect(isErrorShape(JSON.parse(answer.text)), answer.text).toBe(true);
        expect(answer.cors).toBe('*');
        if (request.path === '/api/replays') {
          const error = (JSON.parse(answer.text) as { error: string }).error.replace(/ \(event \d+ is not\)$/, '');
          replayErrors.set(error, (replayErrors.get(error) ?? 0) + 1);
        }
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: true },
    );

    // Every route was exercised, and in depth (client lookup, allowlist, validation).
    expect(paths.get('/api/feedback')).toBeGreaterThan(FUZZ_RUNS / 4);
    expect(paths.get('/api/screenshots')).toBeGreaterThan(FUZZ_RUNS / 4);
    expect(paths.get('/api/replays')).toBeGreaterThan(FUZZ_RUNS / 6);
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 403, 404, 413]));
    for (const error of Object.values(REPLAY_CONTENT_ERRORS)) expect(replayErrors.has(error), error).toBe(true);
    console.info(`fuzz seed ${FUZZ_SEED}: ${FUZZ_RUNS} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}, replay errors ${JSON.stringify(Object.fromEntries(replayErrors))}`);

    expect(t.loggedErrors).toEqual([]);
    expect(await t.storedFiles()).toEqual([]);
    const { storage } = t.server;
    expect(await storage.pageFeedback(undefined, 1)).toEqual([]);
    expect(await storage.pageReplays(undefined, 1)).toEqual([]);
    expect(await storage.pageIdempotent(undefined, 1)).toEqual([]);
    expect(await storage.listClients()).toHaveLength(2);
    // Nothing was polluted along the way.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  }, 90_000);
});

/** A 400 in the contract's error shape whose issues name `place` (when one is expected). */
function expectNamed400(answer: { status: number; json: unknown }, bad: NamedBadBody, error: string): void {
  const text = JSON.stringify(answer.json);
  expect(answer.status, `${bad.body} -> ${text}`).toBe(400);
  expect(isErrorShape(answer.json), text).toBe(true);
  const { error: said, issues } = answer.json as { error: string; issues?: Record<string, string[]> };
  expect(said, text).toBe(error);
  expect(Object.keys(issues ?? {}).length, text).toBeGreaterThan(0);
  if (bad.place !== undefined) expect(Object.hasOwn(issues!, bad.place), `${bad.body} should name ${bad.place}: ${text}`).toBe(true);
}

describe('fuzzing with built-in property names as keys (__proto__, constructor, toString...)', () => {
  it(`answers ${NAMES_RUNS} filter, count and PATCH bodies with a 400 naming the field, never a 500`, async () => {
    const key = await createKey(t, openClient.id);
    const row = await storeFeedback(t.server.storage, feedbackInput(openClient.id, { comment: 'kept as it was' }));
    const project = `/api/projects/${openClient.id}/feedbacks`;
    const routes = {
      filter: { path: `${project}/filter`, method: 'POST', error: 'Invalid filter' },
      count: { path: `${project}/filter/count`, method: 'POST', error: 'Invalid filter' },
      patch: { path: `${project}/${row.id}`, method: 'PATCH', error: 'Invalid body' },
    } as const;
    await fc.assert(
      fc.asyncProperty(badReadApiRequests, async (request) => {
        const { path, method, error } = routes[request.route];
        expectNamed400(await callApi(t, path, tokenFor(key), { method, body: request.body }), request, error);
      }),
      { seed: FUZZ_SEED, numRuns: NAMES_RUNS, endOnFailure: true },
    );
    expect(t.loggedErrors).toEqual([]);
    expect((await t.server.storage.getFeedback(row.id))?.state).toBe('new');
  }, 60_000);

  it(`answers ${NAMES_RUNS} feedback bodies polluted at every level with a 400 naming the refused field`, async () => {
    const stored = (await t.server.storage.listFeedback(openClient.id)).length;
    await fc.assert(
      fc.asyncProperty(badFeedbackBodies(openClient.id), async (bad) => {
        const res = await postFeedback(t.url, bad.body);
        expectNamed400({ status: res.status, json: await res.json() }, bad, 'Invalid data provided');
      }),
      { seed: FUZZ_SEED, numRuns: NAMES_RUNS, endOnFailure: true },
    );
    expect(t.loggedErrors).toEqual([]);
    expect(await t.server.storage.listFeedback(openClient.id)).toHaveLength(stored);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 60_000);
});
