import { readFile, readdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import { dataPaths, openMasterKey, startServer } from '../../server/start.ts';
import { createDiskFileStore } from '../../server/storage/disk-files.ts';
import { openPgStorage } from '../../server/storage/pg.ts';
import { createS3FileStore } from '../../server/storage/s3-files.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import { exportInstall, type Install } from '../../server/transfer/export.ts';
import { TABLES, EXPORT_LAYOUT, type Manifest } from '../../server/transfer/format.ts';
import { importInstall } from '../../server/transfer/import.ts';
import { createPgDatabase, startPgCluster, type PgCluster } from '../support/postgres.ts';
import { startTestS3, type TestS3 } from '../support/s3.ts';
import { TEST_ENGINE, createTestInstall, pngBytes, postFeedback, postScreenshot, startTestServer, type TestServer } from './helpers.ts';
import { callApi, createKey, tokenFor } from './read-api-helpers.ts';
import { gzipJson, postReplay, replayEvents, replayFile } from './replay-fixtures.ts';
import { addMember, call, makeUser, signIn } from './team-auth-helpers.ts';

let source: TestServer | undefined;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await source?.stop();
  source = undefined;
  // Last made, first undone: a store closes before its directory or database goes.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// Started by the test that moves between engines, when it needs them.
let ownCluster: PgCluster | undefined;
let s3: TestS3 | undefined;
afterAll(async () => {
  await ownCluster?.stop();
  await s3?.stop();
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** An empty install of the test engine (SQLite or a fresh PostgreSQL database) and disk, with the given master key. */
async function emptyInstall(masterKey: Buffer): Promise<Install & { dataDir: string; databaseUrl?: string }> {
  const install = await createTestInstall('loupe-import-');
  cleanups.push(() => install.remove());
  const storage = await install.open();
  cleanups.push(() => storage.close());
  const { dataDir, databaseUrl } = install;
  return { dataDir, databaseUrl, storage, files: createDiskFileStore(dataPaths(dataDir).filesDir), masterKey };
}

/** An empty install on a named engine and file store, whatever engine this project tests. */
async function installOn(engine: 'sqlite' | 'postgres', files: 'disk' | 's3', masterKey: Buffer): Promise<Install> {
  const dataDir = await tempDir(`loupe-${engine}-${files}-`);
  let storage;
  if (engine === 'sqlite') {
    storage = openSqliteStorage(dataPaths(dataDir).databaseFile);
  } else {
    // server-pg has a cluster for the run; the SQLite project starts one for this test.
    const adminUrl = TEST_ENGINE === 'postgres' ? inject('pgAdminUrl') : (ownCluster ??= await startPgCluster()).adminUrl;
    const database = await createPgDatabase(adminUrl);
    cleanups.push(() => database.drop());
    storage = await openPgStorage(database.url);
  }
  cleanups.push(() => storage.close());
  if (files === 'disk') return { storage, files: createDiskFileStore(dataPaths(dataDir).filesDir), masterKey };
  s3 ??= await startTestS3();
  const store = createS3FileStore(await s3.createBucket());
  cleanups.push(() => store.close());
  return { storage, files: store, masterKey };
}

/** The team side of a source: an owner and a member of Acme, a label, an assignment, a comment, an invitation. */
async function addTeam(t: TestServer, clientId: string, feedbackId: string): Promise<void> {
  const owner = await makeUser(t, 'owner@acme.test', { name: 'Olive' });
  const member = await makeUser(t, 'member@acme.test', { name: 'Mia' });
  await addMember(t, clientId, owner.id, 'owner');
  await addMember(t, clientId, member.id, 'member');
  const olive = await signIn(t, owner.email);
  const label = await call(t, `/api/projects/${clientId}/labels`, { method: 'POST', as: olive, body: { name: 'Checkout', color: '#aa3300' } });
  expect(label.status).toBe(201);
  const triaged = await call(t, `/api/projects/${clientId}/feedbacks/${feedbackId}`, {
    method: 'PATCH',
    as: olive,
    body: { assigneeId: member.id, labelIds: [label.json.id], priority: 'high' },
  });
  expect(triaged.status).toBe(200);
  const comment = await call(t, `/api/projects/${clientId}/feedbacks/${feedbackId}/comments`, { method: 'POST', as: olive, body: { body: 'Over to you @Mia' } });
  expect(comment.status).toBe(201);
  const invited = await call(t, `/api/projects/${clientId}/invitations`, { method: 'POST', as: olive, body: { role: 'viewer' } });
  expect(invited.status).toBe(201);
}

/** A source with a bit of everything the ingest, read and team API make. */
async function populatedSource(): Promise<TestServer> {
  const t = await startTestServer();
  const acme = await createClient(t.server.storage, { name: 'Acme', allowedOrigins: ['https://app.acme.test'] });
  const beta = await createClient(t.server.storage, { name: 'Beta' });
  const key = await createKey(t, acme.id);
  await createKey(t, beta.id, 'revoked one').then((k) => t.server.storage.revokeProjectKey(k.kid, new Date().toISOString()));
  const origin = { Origin: 'https://app.acme.test' };
  const shot = await postScreenshot(t.url, { clientId: acme.id, screenshot: { bytes: pngBytes(30, 20), type: 'image/png' } }, origin);
  const { screenshot } = (await shot.json()) as { screenshot: Record<string, unknown> };
  const replay = await postReplay(t.url, { clientId: acme.id, replay: replayFile(gzipJson(replayEvents({ moves: 20 }))) }, {
    ...origin,
    'Idempotency-Key': 'replay-once',
  });
  const replayId = ((await replay.json()) as { replay: { id: string } }).replay.id;
  for (let i = 0; i < 7; i++) {
    const res = await postFeedback(
      t.url,
      {
        clientId: i % 2 ? beta.id : acme.id,
        rating: (i % 4) + 1,
        comment: `Comment ${i} with "quotes", ünïcode and a\nnewline`,
        environment: i % 3 ? 'staging' : undefined,
        metadata: { build: i, nested: { ok: true } },
        ...(i === 0 ? { screenshots: [screenshot], sessionReplayId: replayId, replayOffsetMs: 1200 } : {}),
      },
      { ...origin, 'Idempotency-Key': `feedback-${i}` },
    );
    if (res.status !== 200) throw new Error(await res.text());
    const { feedbackId } = (await res.json()) as { feedbackId: string };
    if (i === 0) {
      await addTeam(t, acme.id, feedbackId);
      const patched = await callApi(t, `/api/projects/${acme.id}/feedbacks/${feedbackId}`, tokenFor(key), {
        method: 'PATCH',
        body: { state: 'in_progress' },
      });
      expect(patched.status).toBe(200);
    }
  }
  return t;
}

const sourceInstall = (t: TestServer): Install => ({ storage: t.server.storage, files: t.server.files, masterKey: openMasterKey(t.dataDir) });

/** Every line of every table file, sorted, and the manifest without its time. */
async function exportContents(dir: string): Promise<{ tables: Record<string, string[]>; manifest: Omit<Manifest, 'exportedAt'> }> {
  const tables: Record<string, string[]> = {};
  for (const table of TABLES) tables[table] = (await readFile(join(dir, EXPORT_LAYOUT.table(table)), 'utf8')).split('\n').filter(Boolean).sort();
  const { exportedAt: _, ...manifest } = JSON.parse(await readFile(join(dir, EXPORT_LAYOUT.manifest), 'utf8')) as Manifest;
  return { tables, manifest };
}

describe('export and import', () => {
  it('round-trips every row and every file byte for byte, and the imported install serves them', async () => {
    source = await populatedSource();
    const first = await tempDir('loupe-export-a-');
    const lines: string[] = [];
    const manifest = await exportInstall(sourceInstall(source), first, (line) => lines.push(line));
    expect(manifest.counts).toMatchObject({ clients: 2, projectKeys: 2, screenshots: 1, replays: 1, feedback: 7, idempotency: 8 });
    // Two people in Acme, its label on one report, a comment, the assignment's and the mention's notifications.
    expect(manifest.counts).toMatchObject({ users: 2, memberships: 2, labels: 1, feedbackLabels: 1, comments: 1, oneTimeTokens: 1 });
    expect(manifest.counts.activity).toBeGreaterThanOrEqual(4);
    expect(manifest.counts.notifications).toBeGreaterThanOrEqual(1);
    expect(manifest.files).toHaveLength(2);
    expect(lines).toContain('feedback: 7 rows');

    const target = await emptyInstall(openMasterKey(source.dataDir));
    await importInstall(target, first);
    const second = await tempDir('loupe-export-b-');
    await exportInstall(target, second);
    expect(await exportContents(second)).toEqual(await exportContents(first));

    // The imported install answers as the source did: its files, its keys, its remembered answers.
    await target.storage.close();
    const moved = await startServer({
      host: '127.0.0.1',
      port: 0,
      dataDir: target.dataDir,
      databaseUrl: target.databaseUrl,
      masterKey: openMasterKey(source.dataDir).toString('base64'),
      logError: () => {},
    });
    cleanups.push(() => moved.close());
    const acme = (await moved.storage.listClients()).find((client) => client.name === 'Acme');
    const shot = (await moved.storage.pageScreenshots(undefined, 10))[0]!;
    const served = await fetch(`${moved.url}/files/${shot.fileName}`);
    const original = await fetch(`${source.url}/files/${shot.fileName}`);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(Buffer.from(await original.arrayBuffer()));
    const again = await postFeedback(moved.url, { clientId: acme!.id, rating: 1 }, {
      Origin: 'https://app.acme.test',
      'Idempotency-Key': 'feedback-0',
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    // The team came along: the member signs in with their password and sees the label, the comment, the other members.
    const there = { url: moved.url } as TestServer;
    const mia = await signIn(there, 'member@acme.test');
    const feedbackId = (await moved.storage.pageFeedback(undefined, 10)).find((row) => row.assigneeId !== null)!.id;
    const item = await call(there, `/api/projects/${acme!.id}/feedbacks/${feedbackId}`, { as: mia });
    const labels = await call(there, `/api/projects/${acme!.id}/labels`, { as: mia });
    expect(labels.json.items).toEqual([{ id: expect.any(String), name: 'Checkout', color: '#aa3300' }]);
    expect(item.json).toMatchObject({ assigneeId: mia.user.id, labelIds: [labels.json.items[0].id], priority: 'high', state: 'in_progress' });
    const comments = await call(there, `/api/projects/${acme!.id}/feedbacks/${feedbackId}/comments`, { as: mia });
    expect(comments.json.items).toMatchObject([{ body: 'Over to you @Mia', author: { email: 'owner@acme.test', name: 'Olive' } }]);
    const members = await call(there, `/api/projects/${acme!.id}/members`, { as: mia });
    expect(members.json.items.map((m: { email: string; role: string }) => [m.email, m.role]).sort()).toEqual([
      ['member@acme.test', 'member'],
      ['owner@acme.test', 'owner'],
    ]);
    const bell = await call(there, '/api/me/notifications', { as: mia });
    expect(bell.json.items.map((n: { kind: string }) => n.kind).sort()).toEqual(['assigned', 'mentioned']);
  });

  it('moves to the other engine with files in S3 and back (SQLite + disk → PostgreSQL + S3 → SQLite + disk), nothing lost', async () => {
    source = await populatedSource();
    const masterKey = openMasterKey(source.dataDir);
    const there = TEST_ENGINE === 'sqlite' ? 'postgres' : 'sqlite';
    const first = await tempDir('loupe-export-a-');
    await exportInstall(sourceInstall(source), first);

    const moved = await installOn(there, 's3', masterKey);
    await importInstall(moved, first);
    const second = await tempDir('loupe-export-b-');
    await exportInstall(moved, second);

    const back = await installOn(TEST_ENGINE, 'disk', masterKey);
    await importInstall(back, second);
    const third = await tempDir('loupe-export-c-');
    await exportInstall(back, third);

    // Every row (each table's lines) and every file (name, size, SHA-256 in the manifest) the same at each step.
    const original = await exportContents(first);
    expect(original.manifest.files.length).toBeGreaterThan(0);
    expect(await exportContents(second)).toEqual(original);
    expect(await exportContents(third)).toEqual(original);
  }, 60_000);

  it('imports a version 1 export (before the team tables) as an install without people', async () => {
    source = await startTestServer();
    const old = await createClient(source.server.storage, { name: 'Old' });
    expect((await postFeedback(source.url, { clientId: old.id, rating: 4 })).status).toBe(200);
    const dir = await tempDir('loupe-export-v1-');
    const manifest = await exportInstall(sourceInstall(source), dir);
    // What a server before the team tables wrote: no team files, no team counts, version 1.
    const { counts } = manifest;
    const v1Counts = { clients: counts.clients, projectKeys: counts.projectKeys, screenshots: counts.screenshots, replays: counts.replays, feedback: counts.feedback, idempotency: counts.idempotency };
    for (const table of TABLES) if (!(table in v1Counts)) await rm(join(dir, EXPORT_LAYOUT.table(table)));
    await writeFile(join(dir, EXPORT_LAYOUT.manifest), JSON.stringify({ ...manifest, version: 1, counts: v1Counts }));

    const target = await emptyInstall(openMasterKey(source.dataDir));
    await importInstall(target, dir);
    expect((await target.storage.listClients()).map((client) => client.name)).toEqual(['Old']);
    expect(await target.storage.pageFeedback(undefined, 10)).toHaveLength(1);
    expect(await target.storage.team.listUsers()).toEqual([]);
  });

  it('refuses a target that holds clients or users, another master key, and a file that does not match', async () => {
    source = await populatedSource();
    const dir = await tempDir('loupe-export-');
    await exportInstall(sourceInstall(source), dir);
    await expect(exportInstall(sourceInstall(source), dir)).rejects.toThrow(/not empty/);

    const used = await emptyInstall(openMasterKey(source.dataDir));
    await createClient(used.storage, { name: 'Already here' });
    await expect(importInstall(used, dir)).rejects.toThrow('The target already holds clients: import only into an empty database');

    const peopled = await emptyInstall(openMasterKey(source.dataDir));
    const now = new Date().toISOString();
    await peopled.storage.team.insertUser({ id: 'usr_here', email: 'here@example.com', name: null, passwordHash: null, serverOwner: true, createdAt: now });
    await expect(importInstall(peopled, dir)).rejects.toThrow('The target already holds users: import only into an empty database');

    const otherKey = await emptyInstall(Buffer.alloc(32, 7));
    await expect(importInstall(otherKey, dir)).rejects.toThrow(/encrypted with another master key/);

    const manifest = JSON.parse(await readFile(join(dir, EXPORT_LAYOUT.manifest), 'utf8')) as Manifest;
    const victim = join(dir, EXPORT_LAYOUT.filesDir, manifest.files[0]!.fileName);
    const bytes = await readFile(victim);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    await rm(victim);
    await writeFile(victim, bytes);
    const fresh = await emptyInstall(openMasterKey(source.dataDir));
    await expect(importInstall(fresh, dir)).rejects.toThrow(`Exported file ${manifest.files[0]!.fileName} does not match the manifest`);
    expect(await fresh.storage.listClients()).toEqual([]);
    expect(await readdir(dir)).toContain(EXPORT_LAYOUT.manifest);
  });
});
