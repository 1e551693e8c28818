/**
 * A webhook receiver on 127.0.0.1 for the tests: it verifies every request with the
 * `standardwebhooks` library (as a team's receiver would) and answers as the test says.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request as received: its `webhook-id`, whether its signature verified, and its body. */
export interface Received {
  id: string;
  verified: boolean;
  body: { type: string; timestamp: string; data: any };
  at: number;
}

/** What the receiver answers a request with. */
export type Answer = { status: number; headers?: Record<string, string>; body?: string };

export interface TestReceiver {
  url: string;
  port: number;
  received: Received[];
  /** The endpoint's signing secret, once made: requests are verified with it. */
  secret?: string;
  /** How the next requests are answered (default 200 "ok"). */
  answer: (received: Received, count: number) => Answer;
  /** Stops listening (the port then refuses connections). */
  close(): Promise<void>;
  /** Listens again on the same port. */
  reopen(): Promise<void>;
}

/** Starts a receiver (on `port`, or a free one). */
export async function startReceiver(port = 0): Promise<TestReceiver> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        new Webhook(receiver.secret ?? '').verify(text, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      const received: Received = { id: String(req.headers['webhook-id']), verified, body: JSON.parse(text), at: Date.now() };
      receiver.received.push(received);
      const answer = receiver.answer(received, receiver.received.length);
      res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
    });
  });
  const listen = async (on: number) => {
    server.listen(on, '127.0.0.1');
    await once(server, 'listening');
  };
  await listen(port);
  const bound = (server.address() as AddressInfo).port;
  const receiver: TestReceiver = {
    url: `http://127.0.0.1:${bound}/hooks`,
    port: bound,
    received: [],
    answer: () => ({ status: 200, body: 'ok' }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    reopen: () => listen(bound),
  };
  return receiver;
}
