/**
 * A stored replay's events read back on the server (the inbox reads them in the browser): for
 * what is made from them away from the inbox, e.g. the repro steps of a tracker's issue.
 * Inflated within the upload's own limit.
 */
import { REPLAY_MAX_UNPACKED_BYTES } from '../lib/api/schemas.ts';
import { gunzipCapped } from './gunzip-capped.ts';
import type { FileStore } from './storage/files.ts';
import type { Storage } from './storage/types.ts';

/** The events of replay `id`, or `undefined` when it is not stored or cannot be read. */
export async function readReplayEvents(storage: Storage, files: FileStore, id: string): Promise<unknown[] | undefined> {
  const replay = await storage.getReplay(id);
  const stored = replay && (await files.open(replay.fileName));
  if (!stored) return undefined;
  const gzip = new Uint8Array(await new Response(stored.stream).arrayBuffer());
  const chunks: Buffer[] = [];
  const outcome = await gunzipCapped(gzip, REPLAY_MAX_UNPACKED_BYTES, (chunk) => chunks.push(chunk) > 0);
  if (outcome.kind !== 'ok') return undefined;
  try {
    const events: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return Array.isArray(events) ? events : undefined;
  } catch {
    return undefined;
  }
}
