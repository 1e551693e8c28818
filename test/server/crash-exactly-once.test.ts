/**
 * Exactly once across a power cut: the real server runs as a child process in its own
 * process group, keyed bursts of feedback and uploads go in, the group is SIGKILLed at a
 * random moment, the server restarts on the same data directory and every key is sent
 * again. After the last crash every submission is stored exactly once, none is missing,
 * and no file is left that no row names.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataPaths, openStorage, startServer } from '../../server/start.ts';
import { spawnCliServer } from './child-process.ts';
import { pngBytes, postFeedback, postScreenshot } from './helpers.ts';
import { gzipJson, postReplay, replayEvents, replayFile } from './replay-fixtures.ts';
import { createClient } from '../../server/clients.ts';

const CRASHES = 15;
const FEEDBACK_PER_ROUND = 60;
const UPLOADS_PER_ROUND = 16;

type Kind = 'feedback' | 'screenshot' | 'replay';
interface Submission {
  key: string;
  kind: Kind;
  /** The answer's id (feedbackId, screenshot fileName, replay id) once one came back. */
  answered?: string;
}

let dataDir: string | undefined;
let child: ChildProcess | undefined;
afterAll(async () => {
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function killGroup(proc: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  if (proc.exitCode === null && proc.signalCode === null) process.kill(-proc.pid!, 'SIGKILL');
  return exited;
}

const shot = pngBytes(8, 8);
const replay = gzipJson(replayEvents({ durationMs: 1_000 }));

/** Sends one submission with its key; records the id it answered with. Network errors are the crash. */
async function send(url: string, clientId: string, s: Submission, onFirstAnswer?: () => void): Promise<void> {
  const headers = { 'Idempotency-Key': s.key };
  let res: Response;
  try {
    if (s.kind === 'feedback') res = await postFeedback(url, { clientId, comment: s.key }, headers);
    else if (s.kind === 'screenshot') res = await postScreenshot(url, { clientId, screenshot: { bytes: shot, type: 'image/png' } }, headers);
    else res = await postReplay(url, { clientId, replay: replayFile(replay) }, headers);
  } catch {
    return;
  }
  // A body cut off by the kill is no answer, like a connection refused.
  const text = await res.text().catch(() => undefined);
  if (text === undefined) return;
  if (res.status !== 200) throw new Error(`${s.kind} ${s.key} answered ${res.status}: ${text}`);
  const body = JSON.parse(text) as { feedbackId?: string; screenshot?: { fileName: string }; replay?: { id: string } };
  const id = body.feedbackId ?? body.screenshot?.fileName ?? body.replay?.id;
  if (s.answered !== undefined && s.answered !== id) {
    throw new Error(`key ${s.key} answered ${id} after it had answered ${s.answered}: a second write`);
  }
  s.answered = id;
  onFirstAnswer?.();
}

/** `<clientId>/<name>` of every file in the store (two levels, listed by hand: no recursive readdir). */
async function storedFiles(dir: string): Promise<string[]> {
  const filesDir = dataPaths(dir).filesDir;
  const names: string[] = [];
  for (const clientDir of await readdir(filesDir)) {
    for (const name of await readdir(join(filesDir, clientDir))) names.push(`${clientDir}/${name}`);
  }
  return names.sort();
}

function newRound(round: number): Submission[] {
  const made: Submission[] = [];
  for (let i = 0; i < FEEDBACK_PER_ROUND; i++) made.push({ key: `r${round}-fb${i}`, kind: 'feedback' });
  for (let i = 0; i < UPLOADS_PER_ROUND; i++) made.push({ key: `r${round}-up${i}`, kind: i % 2 ? 'replay' : 'screenshot' });
  return made;
}

describe('exactly once across SIGKILL', () => {
  it(`stores every keyed submission once after ${CRASHES} crashes, and leaves no orphan file`, { timeout: 60_000 }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'loupe-crash-'));
    const setup = await openStorage(dataDir);
    const clientId = (await createClient(setup, { name: 'Crash' })).id;
    await setup.close();

    const all: Submission[] = [];
    for (let round = 0; round < CRASHES; round++) {
      const { url, proc } = await spawnCliServer(dataDir, ['--rate-limit-ip-per-min', '0', '--rate-limit-client-per-min', '0']);
      child = proc;
      const fresh = newRound(round);
      all.push(...fresh);
      // Every key sent so far goes again, the new ones for the first time, in a shuffled
      // order; the kill lands mid-write, after a random number of first answers.
      const pending = all.filter((s) => s.answered === undefined).length;
      const killAfter = 1 + Math.floor(Math.random() * (pending - 1));
      let firstAnswers = 0;
      let kill!: () => void;
      const killNow = new Promise<void>((resolve) => (kill = resolve));
      const order = all.map((s) => ({ s, at: Math.random() })).sort((a, b) => a.at - b.at).map(({ s }) => s);
      const counted = (s: Submission) => (s.answered === undefined ? () => ++firstAnswers >= killAfter && kill() : undefined);
      const inFlight = Promise.all(order.map((s) => send(url, clientId, s, counted(s))));
      await Promise.race([killNow, inFlight]);
      await killGroup(proc);
      await inFlight;
    }

    const filesBefore = await storedFiles(dataDir);
    // The last restart, in process, sweeps every unrecorded file at once (no grace).
    const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, orphanFileGraceMs: 0, rateLimitIpPerMin: 0, rateLimitClientPerMin: 0 });
    try {
      for (const s of all) await send(server.url, clientId, s);
      const missing = all.filter((s) => s.answered === undefined).map((s) => s.key);
      expect(missing, 'keys never answered').toEqual([]);

      const { storage } = server;
      const byComment = new Map<string, number>();
      for (const f of await storage.pageFeedback(undefined, 100_000)) byComment.set(f.comment!, (byComment.get(f.comment!) ?? 0) + 1);
      const counts = [...byComment].map(([comment, n]) => ({ comment, n }));
      const replayRows = (await storage.pageReplays(undefined, 100_000)).map((r) => ({ id: r.id, file_name: r.fileName }));
      const shotRows = (await storage.pageScreenshots(undefined, 100_000)).map((r) => ({ file_name: r.fileName }));
      const onDisk = await storedFiles(dataDir);
      const swept = filesBefore.filter((name) => !onDisk.includes(name)).length;
      console.log(
        `${CRASHES} crashes, ${all.length} keys: ${counts.filter((c) => c.n > 1).length} feedback stored twice,` +
          ` ${filesBefore.length} files before the last start, ${swept} of them orphans swept at start`,
      );
      const duplicated = counts.filter((c) => c.n > 1).map((c) => `${c.comment} x${c.n}`);
      expect(duplicated, 'feedback stored more than once').toEqual([]);
      const feedback = all.filter((s) => s.kind === 'feedback');
      expect(counts.length, 'feedback rows vs keys').toBe(feedback.length);

      const replays = all.filter((s) => s.kind === 'replay');
      expect(replayRows.map((r) => r.id).sort(), 'replay rows are exactly the answered ones').toEqual(replays.map((s) => s.answered).sort());
      const shots = all.filter((s) => s.kind === 'screenshot').map((s) => s.answered!);
      expect(shotRows.map((r) => r.file_name).sort(), 'screenshot rows are exactly the answered ones').toEqual(shots.sort());
      const expectedFiles = [...shots, ...replayRows.map((r) => r.file_name)].sort();
      expect(onDisk, 'files on disk are exactly the answered uploads (no orphan, no second file)').toEqual(expectedFiles);
    } finally {
      await server.close();
    }
  });
});
