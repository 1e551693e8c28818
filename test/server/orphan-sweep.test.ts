/**
 * A file written without its row (a crash between the upload's file and its transaction)
 * is never served, and is removed at start and by the sweep once older than the grace.
 * On disk whatever LOUPE_TEST_FILES says: files are aged with utimes; files-s3.test.ts sweeps a bucket.
 */
import { access, mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ORPHAN_FILE_GRACE_MS, UPLOAD_TEMP_STALE_MS } from '../../server/constants.ts';
import { startOrphanSweep, sweepOrphanFiles } from '../../server/orphan-sweep.ts';
import { startServer } from '../../server/start.ts';
import { listFilesBelow, pngBytes, postScreenshot, startTestServer, type TestServer } from './helpers.ts';
import { gzipJson, postReplay, replayEvents, replayFile } from './replay-fixtures.ts';
import { createClient } from '../../server/clients.ts';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

/** Writes a file under a name the store could have made, last modified `ageMs` ago. */
async function plantOrphan(dataDir: string, clientId: string, ageMs: number, ext = 'png'): Promise<string> {
  const fileName = `${clientId}/${Date.now()}-orphan${String(ageMs).padStart(10, '0')}xyz.${ext}`;
  const path = join(dataDir, 'files', fileName);
  await mkdir(join(dataDir, 'files', clientId), { recursive: true });
  await writeFile(path, pngBytes(4, 4));
  const at = (Date.now() - ageMs) / 1000;
  await utimes(path, at, at);
  return fileName;
}

async function uploads(base: string, clientId: string): Promise<{ shot: string; replay: string }> {
  const shot = await postScreenshot(base, { clientId, screenshot: { bytes: pngBytes(8, 8), type: 'image/png' } });
  const replay = await postReplay(base, { clientId, replay: replayFile(gzipJson(replayEvents())) });
  const replayId = ((await replay.json()) as { replay: { id: string } }).replay.id;
  return {
    shot: ((await shot.json()) as { screenshot: { fileName: string } }).screenshot.fileName,
    replay: (await t!.server.storage.getReplay(replayId))!.fileName,
  };
}

describe('orphan files', () => {
  it('removes an orphan older than the grace; keeps a fresh orphan and every recorded file', async () => {
    t = await startTestServer({}, 'disk');
    const { id } = await createClient(t.server.storage, { name: 'Sweep' });
    const recorded = await uploads(t.url, id);
    const old = await plantOrphan(t.dataDir, id, ORPHAN_FILE_GRACE_MS + 60_000);
    const oldGz = await plantOrphan(t.dataDir, id, ORPHAN_FILE_GRACE_MS + 60_000, 'json.gz');
    const fresh = await plantOrphan(t.dataDir, id, 1_000);
    // Recorded files are as old as the orphan: only the missing row decides.
    for (const name of [recorded.shot, recorded.replay]) {
      const at = (Date.now() - ORPHAN_FILE_GRACE_MS - 60_000) / 1000;
      await utimes(join(t.dataDir, 'files', name), at, at);
    }
    const removed = await sweepOrphanFiles({ files: t.server.files, storage: t.server.storage, nowMs: Date.now });
    expect(removed.sort()).toEqual([old, oldGz].sort());
    expect(await listFilesBelow(join(t.dataDir, 'files'))).toEqual([recorded.shot, recorded.replay, fresh].sort());
  });

  it('never serves a file no row names, even while it is on disk', async () => {
    t = await startTestServer({}, 'disk');
    const { id } = await createClient(t.server.storage, { name: 'Serve' });
    const { shot } = await uploads(t.url, id);
    const orphan = await plantOrphan(t.dataDir, id, 0);
    expect((await fetch(`${t.url}/files/${shot}`)).status).toBe(200);
    const res = await fetch(`${t.url}/files/${orphan}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Not found' });
  });

  it('sweeps at start, before the first request', async () => {
    t = await startTestServer({}, 'disk');
    const { id } = await createClient(t.server.storage, { name: 'Restart' });
    const recorded = await uploads(t.url, id);
    await t.server.close();
    const orphan = await plantOrphan(t.dataDir, id, ORPHAN_FILE_GRACE_MS + 1_000);
    const restarted = await startServer({ host: '127.0.0.1', port: 0, dataDir: t.dataDir, databaseUrl: t.databaseUrl });
    try {
      expect(await listFilesBelow(join(t.dataDir, 'files'))).toEqual([recorded.shot, recorded.replay].sort());
      expect(await listFilesBelow(join(t.dataDir, 'files'))).not.toContain(orphan);
    } finally {
      await restarted.close();
    }
  });

  it('sweeps again on its timer until its owner stops it', async () => {
    t = await startTestServer({}, 'disk');
    const { id } = await createClient(t.server.storage, { name: 'Timer' });
    const options = { files: t.server.files, storage: t.server.storage, nowMs: Date.now, graceMs: 0, intervalMs: 20, logError: () => {} };
    const stop = await startOrphanSweep(options);
    const exists = (name: string) => access(join(t!.dataDir, 'files', name)).then(() => true, () => false);
    const first = await plantOrphan(t.dataDir, id, 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await exists(first), 'swept by the timer').toBe(false);
    await stop();
    const second = await plantOrphan(t.dataDir, id, 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await exists(second), 'kept once stopped').toBe(true);
  });

  it('removes stale upload temp files (a crash mid-upload) but not one another process may be writing', async () => {
    t = await startTestServer({}, 'disk');
    const tempDir = join(t.dataDir, 'tmp');
    const plantTemp = async (name: string, ageMs: number) => {
      await writeFile(join(tempDir, name), 'partial body');
      const at = (Date.now() - ageMs) / 1000;
      await utimes(join(tempDir, name), at, at);
    };
    await plantTemp('crashed.upload', UPLOAD_TEMP_STALE_MS + 1_000);
    await plantTemp('in-flight.upload', 1_000);
    await sweepOrphanFiles({ files: t.server.files, storage: t.server.storage, nowMs: Date.now, uploadTempDir: tempDir });
    expect(await readdir(tempDir)).toEqual(['in-flight.upload']);
    // A second server starting on the same data directory leaves the in-flight body alone.
    const second = await startServer({ host: '127.0.0.1', port: 0, dataDir: t.dataDir, databaseUrl: t.databaseUrl });
    await second.close();
    expect(await readdir(tempDir)).toEqual(['in-flight.upload']);
  });
});
