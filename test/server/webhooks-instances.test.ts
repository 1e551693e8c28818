/**
 * Two server instances on one PostgreSQL database, as a team runs them behind a load
 * balancer, both with their outbox worker running: every report reaches the receiver, each
 * exactly once (one `webhook-id` per report, never sent by both instances).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import { createEndpoint } from '../../server/outbox/endpoints.ts';
import { openMasterKey, startServer, type RunningServer } from '../../server/start.ts';
import { createTestInstall, postFeedback, type TestInstall } from './helpers.ts';
import { startReceiver, type TestReceiver } from './webhook-receiver.ts';

const REPORTS = 60;
let install: TestInstall;
let receiver: TestReceiver;
const servers: RunningServer[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const server of servers) await server.close();
  await receiver?.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  await install?.remove();
});

it('delivers every report once with two instances sharing the queue', async () => {
  install = await createTestInstall();
  receiver = await startReceiver();
  // A slow receiver keeps both instances' claims overlapping in time.
  receiver.answer = (_, count) => (count % 7 === 0 ? { status: 503 } : { status: 200 });
  for (let i = 0; i < 2; i++) {
    const dataDir = await mkdtemp(join(tmpdir(), 'loupe-instance-'));
    dirs.push(dataDir);
    servers.push(
      await startServer({
        host: '127.0.0.1',
        port: 0,
        dataDir,
        databaseUrl: install.databaseUrl,
        rateLimitIpPerMin: 0,
        rateLimitClientPerMin: 0,
        logError: () => {},
        outbound: { allowedHosts: ['127.0.0.1'], pollMs: 20, retryDelaysMs: [50, 50, 50] },
      }),
    );
  }
  const storage = servers[0]!.storage;
  const client = await createClient(storage, { name: 'Shop' });
  const made = await createEndpoint(storage, openMasterKey(dirs[0], undefined, install.databaseUrl), { clientId: client.id, url: receiver.url, nowMs: Date.now() });
  receiver.secret = made.secret;

  const ids = await Promise.all(
    Array.from({ length: REPORTS }, async (_, i) => {
      const res = await postFeedback(servers[i % 2]!.url, { clientId: client.id, rating: 1 + (i % 4), comment: `Report ${i}` });
      expect(res.status).toBe(200);
      return ((await res.json()) as { feedbackId: string }).feedbackId;
    }),
  );
  const delivered = () => new Set(receiver.received.filter((r, n) => (n + 1) % 7 !== 0).map((r) => r.body.data.id)).size;
  await expect.poll(delivered, { timeout: 20_000 }).toBe(REPORTS);
  await new Promise((resolve) => setTimeout(resolve, 500));

  expect(receiver.received.every((r) => r.verified)).toBe(true);
  // One webhook-id per report, and each id answered 2xx exactly once.
  const byReport = new Map<string, Set<string>>();
  for (const r of receiver.received) byReport.set(r.body.data.id, (byReport.get(r.body.data.id) ?? new Set()).add(r.id));
  expect([...byReport.keys()].sort()).toEqual([...ids].sort());
  expect([...byReport.values()].every((set) => set.size === 1)).toBe(true);
  const okPerId = new Map<string, number>();
  receiver.received.forEach((r, n) => {
    if ((n + 1) % 7 !== 0) okPerId.set(r.id, (okPerId.get(r.id) ?? 0) + 1);
  });
  expect([...okPerId.values()].every((count) => count === 1)).toBe(true);
  const rows = await storage.outbox.listDeliveries(made.endpoint.id, 1000);
  expect(rows).toHaveLength(REPORTS);
  expect(rows.every((row) => row.status === 'delivered')).toBe(true);
});
