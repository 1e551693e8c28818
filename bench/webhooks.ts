/**
 * Webhooks, side by side in one run. **Latency**: from a report accepted (POST /api/feedback
 * answered 200) to its feedback.created at a receiver on loopback (test/server/webhook-receiver.ts,
 * verifying every signature), with one Loupe instance on SQLite, one on PostgreSQL and two on
 * one PostgreSQL database (reports posted to either), next to a bare signed POST from this
 * process to a receiver. **Backlog**: reports queued while the receiver answers 503, the
 * endpoint turned off, then, with all of them due, the receiver up and the endpoint turned on
 * through the API: how fast they arrive, and whether any arrives twice.
 *
 * Every server in its own process (bench/serve-child.ts) with the production timings
 * (OUTBOUND: the worker is woken after a write, else polls every second); only loopback
 * is allowed (WEBHOOK_ALLOWED_HOSTS). PostgreSQL is a throwaway cluster (test/support/postgres.ts).
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { createClient } from '../server/clients.ts';
import { MASTER_KEY, OUTBOUND } from '../server/constants.ts';
import { newWebhookSecret } from '../server/outbox/webhook.ts';
import { openPgStorage } from '../server/storage/pg.ts';
import type { TestServer } from '../test/server/helpers.ts';
import { callAs } from '../test/server/team-helpers.ts';
import { startReceiver, type TestReceiver } from '../test/server/webhook-receiver.ts';
import { createPgDatabase, startPgCluster } from '../test/support/postgres.ts';
import { startBenchChild, type BenchChild } from './bench-child.ts';
import { percentile, sampleFeedbackJson, sleep } from './stats.ts';

const ROUNDS = Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 200);
const WARMUP_ROUNDS = 10;
const BACKLOG = Number(process.env.BENCH_WEBHOOK_BACKLOG ?? 1000);
/** Reports posted at once while the backlog is queued. */
const QUEUE_CONCURRENCY = 8;
/**
 * What the receiver's 503 asks for while down: longer than the first retry delay (5 s), so
 * that queuing the backlog ends before any delivery is due again (a second try would wait 30 s).
 */
const RETRY_AFTER_S = 20;
/** After the last delivery is due by the server's clock, so that none is still waiting when the endpoint is turned on. */
const DUE_MARGIN_MS = 500;
/** How long after the last arrival a duplicate would still be counted. */
const LINGER_MS = 1_000;
const ARRIVAL_TIMEOUT_MS = 10_000;
const DRAIN_TIMEOUT_MS = 60_000;

/** A receiver that answers 200 while `up`, else 503 with Retry-After, and notes when each try came (performance.now()). */
interface Arrivals {
  receiver: TestReceiver;
  up: boolean;
  /** webhook-id → its report's id, when each try came, and when each 2xx answer was given. */
  tries: Map<string, { feedbackId: string; at: number[]; okAt: number[] }>;
  /** Report id → when its first delivery was answered 2xx. */
  delivered: Map<string, number>;
  unverified: number;
}

async function startArrivals(): Promise<Arrivals> {
  const arrivals: Arrivals = { receiver: await startReceiver(), up: true, tries: new Map(), delivered: new Map(), unverified: 0 };
  arrivals.receiver.answer = (received) => {
    const at = performance.now();
    if (!received.verified) arrivals.unverified++;
    const feedbackId = String(received.body.data?.id);
    const tries = arrivals.tries.get(received.id) ?? { feedbackId, at: [], okAt: [] };
    arrivals.tries.set(received.id, tries);
    tries.at.push(at);
    if (!arrivals.up) return { status: 503, headers: { 'Retry-After': String(RETRY_AFTER_S) }, body: 'Down for maintenance' };
    tries.okAt.push(at);
    if (!arrivals.delivered.has(feedbackId)) arrivals.delivered.set(feedbackId, at);
    return { status: 200, body: 'ok' };
  };
  return arrivals;
}

async function waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(1);
  }
}

/** One way of getting a report's webhook to a receiver. */
interface Case {
  name: string;
  /** Reports go to these in turn; the first is the one the endpoint is managed through. */
  servers: BenchChild[];
  arrivals: Arrivals;
  endpointId: string;
  fromAnswerMs: number[];
  fromSendMs: number[];
}

const asServer = (server: BenchChild) => ({ url: server.url }) as TestServer;

/** Creates the case's endpoint through the API as its project's owner. */
async function loupeCase(name: string, servers: BenchChild[]): Promise<Case> {
  const arrivals = await startArrivals();
  const [first] = servers as [BenchChild];
  const made = await callAs(asServer(first), { headers: first.owner! }, `/api/projects/${first.clientId}/webhooks`, { method: 'POST', body: { url: arrivals.receiver.url } });
  if (made.status !== 201) throw new Error(`Creating the endpoint answered ${made.status}: ${JSON.stringify(made.json)}`);
  arrivals.receiver.secret = made.json.secret;
  return { name, servers, arrivals, endpointId: made.json.id, fromAnswerMs: [], fromSendMs: [] };
}

async function setEnabled(c: Case, enabled: boolean): Promise<void> {
  const [first] = c.servers as [BenchChild];
  const path = `/api/projects/${first.clientId}/webhooks/${c.endpointId}`;
  const answer = await callAs(asServer(first), { headers: first.owner! }, path, { method: 'PATCH', body: { enabled } });
  if (answer.status !== 200 || answer.json.enabled !== enabled) throw new Error(`PATCH enabled=${enabled} answered ${answer.status}: ${JSON.stringify(answer.json)}`);
}

/** Posts one report; resolves with its id and when the 200 answer was read. */
async function postReport(server: BenchChild): Promise<{ feedbackId: string; answeredAt: number }> {
  const response = await fetch(`${server.url}/api/feedback`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: sampleFeedbackJson(server.clientId) });
  const answer = (await response.json()) as { feedbackId?: string };
  if (response.status !== 200 || !answer.feedbackId) throw new Error(`POST /api/feedback answered ${response.status}: ${JSON.stringify(answer)}`);
  return { feedbackId: answer.feedbackId, answeredAt: performance.now() };
}

/** One report to its webhook; the times are kept after the warm-up. */
async function measureLoupe(c: Case, round: number): Promise<void> {
  const sentAt = performance.now();
  const { feedbackId, answeredAt } = await postReport(c.servers[round % c.servers.length]!);
  await waitUntil(() => c.arrivals.delivered.has(feedbackId), ARRIVAL_TIMEOUT_MS, `the webhook of ${feedbackId} (${c.name})`);
  if (round < WARMUP_ROUNDS) return;
  c.fromAnswerMs.push(c.arrivals.delivered.get(feedbackId)! - answeredAt);
  c.fromSendMs.push(c.arrivals.delivered.get(feedbackId)! - sentAt);
}

/** The yardstick: the same envelope signed here and POSTed straight to a receiver (fetch). */
async function measureBare(c: Case, round: number, envelope: { type: string; timestamp: string; data: any }): Promise<void> {
  const feedbackId = `bare_${round}`;
  const payload = JSON.stringify({ ...envelope, data: { ...envelope.data, id: feedbackId } });
  const startedAt = performance.now();
  const id = `msg_bare${round}`;
  const at = new Date();
  const signature = new Webhook(c.arrivals.receiver.secret!).sign(id, at, payload);
  const headers = { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
  const response = await fetch(c.arrivals.receiver.url, { method: 'POST', headers, body: payload });
  await response.arrayBuffer();
  if (round < WARMUP_ROUNDS) return;
  c.fromAnswerMs.push(c.arrivals.delivered.get(feedbackId)! - startedAt);
  c.fromSendMs.push(c.arrivals.delivered.get(feedbackId)! - startedAt);
}

/** A case's reports queued behind its endpoint turned off. */
interface Backlog {
  c: Case;
  ids: string[];
  /** Its tries (webhook-id → tries) so far. */
  mine: () => { feedbackId: string; at: number[]; okAt: number[] }[];
  queueS: number;
  triedS: number;
  firstTries: number;
  offAt: number;
  /** When every delivery is due again (performance.now()). */
  dueAt: number;
}

const triesOf = (backlog: Backlog) => backlog.mine().reduce((sum, t) => sum + t.at.length, 0);

/** Posts BACKLOG reports while the receiver is down; once each was tried, turns the endpoint off, which gathers their retries. */
async function queueBacklog(c: Case): Promise<Backlog> {
  const { arrivals } = c;
  arrivals.up = false;
  const queueStart = performance.now();
  const ids: string[] = [];
  await Promise.all(
    Array.from({ length: QUEUE_CONCURRENCY }, async (_, lane) => {
      for (let n = lane; n < BACKLOG; n += QUEUE_CONCURRENCY) ids.push((await postReport(c.servers[n % c.servers.length]!)).feedbackId);
    }),
  );
  const queueS = (performance.now() - queueStart) / 1000;
  const wanted = new Set(ids);
  const mine = () => [...arrivals.tries.values()].filter((t) => wanted.has(t.feedbackId));
  const tried = () => new Set(mine().map((t) => t.feedbackId)).size;
  await waitUntil(() => tried() === BACKLOG, DRAIN_TIMEOUT_MS, `a first try of each of ${BACKLOG} reports (${c.name})`);
  const triedS = (performance.now() - queueStart) / 1000;
  const backlog: Backlog = { c, ids, mine, queueS, triedS, firstTries: 0, offAt: 0, dueAt: 0 };
  backlog.firstTries = triesOf(backlog);

  // Turned off, no delivery is claimed; each becomes due after the wait its failed tries earned.
  await setEnabled(c, false);
  backlog.offAt = performance.now();
  // A claim under way when it was turned off is still tried.
  await sleep(200);
  const waitMs = (tries: number) => Math.max(OUTBOUND.retryDelaysMs[tries - 1]!, RETRY_AFTER_S * 1000);
  backlog.dueAt = Math.max(...mine().map((t) => t.at.at(-1)! + waitMs(t.at.length))) + DUE_MARGIN_MS;
  return backlog;
}

/** What draining a backlog came to. */
interface Drain {
  name: string;
  queueS: number;
  triedS: number;
  firstTries: number;
  offS: number;
  toFirstMs: number;
  toAllS: number;
  perSecond: number;
  steadyPerSecond: number;
  deliveredOnce: number;
  duplicates: number;
  triedWhileOff: number;
}

/** With every delivery due, the receiver up and the endpoint turned on: until each report arrived, and a while after. */
async function drainBacklog(backlog: Backlog): Promise<Drain> {
  const { c, ids } = backlog;
  const triesBefore = triesOf(backlog);
  c.arrivals.up = true;
  await setEnabled(c, true);
  const onAt = performance.now();
  await waitUntil(() => ids.every((id) => c.arrivals.delivered.has(id)), DRAIN_TIMEOUT_MS, `all ${BACKLOG} deliveries (${c.name})`);
  const times = ids.map((id) => c.arrivals.delivered.get(id)!);
  const [firstAt, lastAt] = [Math.min(...times), Math.max(...times)];
  await sleep(LINGER_MS);
  const ok = backlog.mine().filter((t) => t.okAt.length > 0);
  if (new Set(ok.map((t) => t.feedbackId)).size !== ok.length) throw new Error(`${c.name}: a report was delivered under two webhook-ids`);
  return {
    name: c.name,
    queueS: backlog.queueS,
    triedS: backlog.triedS,
    firstTries: backlog.firstTries,
    offS: (onAt - backlog.offAt) / 1000,
    toFirstMs: firstAt - onAt,
    toAllS: (lastAt - onAt) / 1000,
    perSecond: BACKLOG / ((lastAt - onAt) / 1000),
    steadyPerSecond: (BACKLOG - 1) / ((lastAt - firstAt) / 1000),
    deliveredOnce: ok.filter((t) => t.okAt.length === 1).length,
    duplicates: ok.reduce((sum, t) => sum + t.okAt.length - 1, 0),
    triedWhileOff: triesBefore - backlog.firstTries,
  };
}

const ms = (sorted: number[], p: number) => percentile(sorted, p).toFixed(2);

/** Starts the servers, measures latency (cases interleaved), then each backlog; returns a Markdown section. */
export async function benchWebhooks(): Promise<string> {
  const startedMs = performance.now();
  // Every instance on a database must share the master key; the children inherit it.
  process.env[MASTER_KEY.envVar] ||= randomBytes(MASTER_KEY.bytes).toString('base64');
  const env = { [OUTBOUND.allowedHostsEnvVar]: '127.0.0.1', BENCH_OWNER: '1' };
  const cluster = await startPgCluster();
  const servers: BenchChild[] = [];
  const cases: Case[] = [];
  try {
    const start = async (args: string[] = []) => {
      const server = await startBenchChild('serve-child.ts', args, env);
      servers.push(server);
      return server;
    };
    /** A fresh database with one client, and `instances` servers on it. */
    const onPg = async (instances: number) => {
      const database = await createPgDatabase(cluster.adminUrl);
      const storage = await openPgStorage(database.url);
      const { id: clientId } = await createClient(storage, { name: 'bench' });
      await storage.close();
      return Promise.all(Array.from({ length: instances }, () => start([database.url, clientId])));
    };
    const bare: Case = { name: 'bare: a signed POST from this process to the receiver', servers: [], arrivals: await startArrivals(), endpointId: '', fromAnswerMs: [], fromSendMs: [] };
    bare.arrivals.receiver.secret = newWebhookSecret();
    cases.push(bare);
    cases.push(await loupeCase('Loupe, one instance, SQLite', [await start()]));
    cases.push(await loupeCase('Loupe, one instance, PostgreSQL', await onPg(1)));
    cases.push(await loupeCase('Loupe, two instances, one PostgreSQL database', await onPg(2)));
    const loupe = cases.slice(1);

    for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      for (const c of loupe) await measureLoupe(c, round);
      await measureBare(bare, round, loupe[0]!.arrivals.receiver.received[0]!.body);
    }
    // Queued one case after the other; their waits overlap; drained one after the other, the others off and idle.
    const backlogs: Backlog[] = [];
    for (const c of loupe) backlogs.push(await queueBacklog(c));
    await sleep(Math.max(0, Math.max(...backlogs.map((b) => b.dueAt)) - performance.now()));
    const drains: Drain[] = [];
    for (const backlog of backlogs) drains.push(await drainBacklog(backlog));
    const unverified = cases.reduce((sum, c) => sum + c.arrivals.unverified, 0);
    if (unverified > 0) throw new Error(`${unverified} webhook(s) failed their signature check`);

    for (const c of cases) [c.fromAnswerMs, c.fromSendMs].forEach((times) => times.sort((a, b) => a - b));
    const base = percentile(bare.fromAnswerMs, 50);
    const latencyRows = cases.map((c) =>
      c === bare
        ? `| ${c.name} | ${c.fromAnswerMs.length} | ${ms(c.fromAnswerMs, 50)} | ${ms(c.fromAnswerMs, 95)} | | | 1.0x |`
        : `| ${c.name} | ${c.fromAnswerMs.length} | ${ms(c.fromAnswerMs, 50)} | ${ms(c.fromAnswerMs, 95)} | ${ms(c.fromSendMs, 50)} | ${ms(c.fromSendMs, 95)} | ${(percentile(c.fromAnswerMs, 50) / base).toFixed(1)}x |`,
    );
    const drainRows = drains.map(
      (d) =>
        `| ${d.name} | ${d.queueS.toFixed(1)} | ${d.triedS.toFixed(1)} | ${d.firstTries} | ${d.offS.toFixed(1)} | ${d.toFirstMs.toFixed(0)} | ${d.toAllS.toFixed(2)} | ${d.perSecond.toFixed(0)} | ${d.steadyPerSecond.toFixed(0)} | ${d.deliveredOnce} | ${d.duplicates} | ${d.triedWhileOff} |`,
    );
    const [first] = OUTBOUND.retryDelaysMs;
    return [
      '## Webhooks: accepted report to receiver, and a backlog drained',
      '',
      'Every Loupe server in its own process (bench/serve-child.ts, fresh SQLite file or fresh database of a throwaway PostgreSQL',
      `cluster, no rate limits) with the outbox's production timings (woken after a write, else polling every ${OUTBOUND.pollMs} ms; claims of`,
      `${OUTBOUND.batch}, ${OUTBOUND.concurrency} sent at once), WEBHOOK_ALLOWED_HOSTS=127.0.0.1; receivers (test/server/webhook-receiver.ts,`,
      'verifying each signature with `standardwebhooks`) in this process, on loopback, one per endpoint.',
      '',
      `**Latency**: ${ROUNDS} reports per case, one at a time, after ${WARMUP_ROUNDS} warm-up ones, the cases taking turns: from reading`,
      'POST /api/feedback\'s 200 answer (and from sending it) until the receiver has the report\'s feedback.created. With two',
      'instances the reports go to each in turn; an instance is woken only by its own writes. **Bare**: the same envelope signed',
      'here and POSTed straight to a receiver (fetch), from signing until the receiver has it.',
      '',
      '| case | reports | from answer p50 ms | p95 ms | from POST sent p50 ms | p95 ms | p50 vs bare |',
      '|---|---|---|---|---|---|---|',
      ...latencyRows,
      '',
      `**Backlog**: per case, ${BACKLOG} reports posted (${QUEUE_CONCURRENCY} at a time; with two instances, to each in turn) while the receiver`,
      `answers 503 with \`Retry-After: ${RETRY_AFTER_S}\` (more than the first retry delay, ${first / 1000} s, so that no delivery is due again before`,
      'all are queued and tried once); then the endpoint is turned off (PATCH enabled=false): nothing is claimed, and every',
      'delivery becomes due. The cases are queued one after the other and wait together; once every try\'s time plus',
      `${RETRY_AFTER_S} s and ${DUE_MARGIN_MS} ms has passed, each case in turn gets its receiver answering 200 and its endpoint turned on`,
      '(PATCH enabled=true, which does not wake the worker: its next poll finds them), the others off and idle. Timed from the',
      'PATCH\'s answer until the last report\'s first 2xx (deliveries/s: the backlog over that time; first → last: without the wait',
      `for the poll). Duplicates: 2xx answers past the first per webhook-id, counted until ${LINGER_MS / 1000} s after the last; tries while off: tries`,
      'that reached the receiver between the two PATCHes (a claim under way when it was turned off).',
      '',
      '| case | posting s | all tried once s | tries while down | off s | on → first ms | on → all s | deliveries/s | first → last deliveries/s | delivered once | duplicates | tries while off |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...drainRows,
      '',
      `Report to webhook, p50 from the answer: ${loupe.map((c) => `${ms(c.fromAnswerMs, 50)} ms (${c.name.replace('Loupe, ', '')})`).join(', ')}.`,
      `The backlog of ${BACKLOG}: ${drains.map((d) => `${d.perSecond.toFixed(0)}/s (${d.name.replace('Loupe, ', '')})`).join(', ')};`,
      `${drains.reduce((sum, d) => sum + d.deliveredOnce, 0)} of ${drains.length * BACKLOG} delivered exactly once, ${drains.reduce((sum, d) => sum + d.duplicates, 0)} duplicates.`,
      '',
      'Where a PostgreSQL drain\'s time goes (pg_stat_activity sampled every 5 ms from outside the bench in one run, not part of it):',
      'on average 1–2 backends at a time (one instance) and 2–7 (two) wait on Lock:transactionid / Lock:tuple in',
      '`UPDATE integrations SET failing_since = NULL WHERE id = $1`, the rest of the busy time being the commits\' WAL flush.',
      'Each delivered try\'s transaction (finishDelivery) updates its endpoint\'s one row and holds it until its commit is flushed, so',
      'the tries of one endpoint finish one after another, however many instances share them (the failing first tries likewise, on',
      '`failing_since = coalesce(failing_since, ?)`). With both UPDATEs guarded (`AND failing_since IS NOT NULL` / `IS NULL`; tried, not',
      'applied) those waits were gone and the database mostly idle, but on this shared 2-core machine the rate did not measurably',
      'change in two runs: the servers\', the receivers\' and PostgreSQL\'s CPU on the same two cores is likely the next limit.',
      '',
      `This section took ${((performance.now() - startedMs) / 1000).toFixed(0)} s.`,
      '',
    ].join('\n');
  } finally {
    for (const c of cases) await c.arrivals.receiver.close();
    await Promise.all(servers.map((server) => server.stop()));
    await cluster.stop();
  }
}
