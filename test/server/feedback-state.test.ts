import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import { setFeedbackState } from '../../server/feedback-state.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import type { Storage } from '../../server/storage/types.ts';
import { storeFeedback } from './helpers.ts';
import { feedbackInput } from './read-api-helpers.ts';

let dir: string;
let storage: Storage;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loupe-state-'));
  storage = openSqliteStorage(join(dir, 'loupe.db'));
});
afterEach(async () => {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

it('moves updatedAt strictly forward, even for changes racing at one instant or after a clock step back', async () => {
  const client = await createClient(storage, { name: 'States' });
  const row = await storeFeedback(storage, feedbackInput(client.id, {}));
  const at = Date.parse(row.updatedAt);
  const [a, b] = await Promise.all([
    setFeedbackState(storage, client.id, row.id, 'in_progress', at),
    setFeedbackState(storage, client.id, row.id, 'done', at),
  ]);
  const times = [a!.updatedAt, b!.updatedAt].map(Date.parse).sort();
  expect(times).toEqual([at + 1, at + 2]);
  const back = await setFeedbackState(storage, client.id, row.id, 'new', at - 60_000);
  expect(Date.parse(back!.updatedAt)).toBe(at + 3);
  expect((await storage.getFeedback(row.id))?.state).toBe('new');
});

it('applies a change only to the time it read, and to the client’s own item', async () => {
  const client = await createClient(storage, { name: 'Mine' });
  const other = await createClient(storage, { name: 'Theirs' });
  const row = await storeFeedback(storage, feedbackInput(client.id, {}));
  const stale = { clientId: client.id, id: row.id, state: 'done' as const, updatedAt: '2030-01-01T00:00:00.000Z' };
  expect(await storage.updateFeedbackState({ ...stale, previousUpdatedAt: '2000-01-01T00:00:00.000Z' })).toBeUndefined();
  expect(await setFeedbackState(storage, other.id, row.id, 'done', Date.now())).toBeUndefined();
  expect((await storage.getFeedback(row.id))?.state).toBe('new');
});
