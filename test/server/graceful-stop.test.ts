/**
 * SIGTERM (a rolling restart) stops accepting at once, lets the request under way finish and be
 * answered, then exits by itself: no request the server started is lost to its stop.
 */
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { openStorage } from '../../server/start.ts';
import { spawnCliServer } from './child-process.ts';
import { createClient } from '../../server/clients.ts';

let dataDir: string | undefined;
let proc: ChildProcess | undefined;
afterAll(async () => {
  if (proc?.pid !== undefined && proc.exitCode === null && proc.signalCode === null) process.kill(-proc.pid, 'SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('finishes the request under way after SIGTERM, refuses new connections, then exits 0', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'loupe-drain-'));
  const storage = await openStorage(dataDir);
  const { id: clientId } = await createClient(storage, { name: 'Rolling restart' });
  await storage.close();
  const started = await spawnCliServer(dataDir);
  proc = started.proc;
  const exited = new Promise<number | null>((resolve) => proc!.once('exit', (code) => resolve(code)));
  const { hostname, port } = new URL(started.url);

  // A feedback whose body is half sent when the signal comes.
  let bodyRest: () => void = () => undefined;
  const body = Buffer.from(JSON.stringify({ clientId, rating: 4, comment: 'sent across a restart' }));
  const answer = new Promise<{ status: number; json: { feedbackId?: string } }>((resolve, reject) => {
    const req = request({ hostname, port, path: '/api/feedback', method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.write(body.subarray(0, 10));
    bodyRest = () => req.end(body.subarray(10));
  });
  // The request is under way once the server has its headers: it then stays in flight until its body ends.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const draining = new Promise<void>((resolve) => {
    proc!.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('SIGTERM received')) resolve();
    });
  });
  process.kill(proc.pid!, 'SIGTERM');
  await draining;

  // While it drains, a new connection is refused: the load balancer sends it elsewhere.
  await expect(fetch(`${started.url}/healthz`)).rejects.toThrow();
  bodyRest();

  const { status, json } = await answer;
  expect(status).toBe(200);
  expect(await exited).toBe(0);
  const after = await openStorage(dataDir);
  expect((await after.getFeedback(json.feedbackId!))?.comment).toBe('sent across a restart');
  await after.close();
});
