/**
 * A webhook receiver on 127.0.0.1 for the tests: it verifies every request with the
 * `standardwebhooks` library (as a team's receiver would) and answers as the test says.
 */
import { Webhook } from 'standardwebhooks';
import { startLoopbackServer } from './loopback-server.ts';

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
  const server = await startLoopbackServer((req, text, res) => {
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
  }, port);
  const receiver: TestReceiver = {
    url: `http://127.0.0.1:${server.port}/hooks`,
    port: server.port,
    received: [],
    answer: () => ({ status: 200, body: 'ok' }),
    close: server.close,
    reopen: server.reopen,
  };
  return receiver;
}
