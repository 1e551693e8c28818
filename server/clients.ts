/** Creating projects (clients): the row is made above the storage engine, then stored. */
import { newClientRow } from './new-rows.ts';
import type { Client, NewClient, Storage } from './storage/types.ts';

/** Stores a new client with a fresh id, created at `nowMs`, and returns it. */
export async function createClient(storage: Storage, input: NewClient, nowMs: number = Date.now()): Promise<Client> {
  const client = newClientRow(input, nowMs);
  await storage.insertClient(client);
  return client;
}
