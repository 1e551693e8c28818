/**
 * A loopback proxy in front of the real server that can misbehave on purpose: refuse
 * connections (server down), answer 5xx, or hold a response. Every other request goes
 * through to the real server and its real database unchanged.
 */
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Fault = { path: string; remaining: number; status: number };

/** The proxy and its switches. */
export type FaultProxy = {
  url: string;
  /** While down, every connection is dropped, as when nothing listens. */
  setDown(down: boolean): void;
  /** The next `count` requests to `path` get `status` with the contract's error body. */
  failNext(path: string, count: number, status: number): void;
  /** The next request to `path` reaches the server, but its answer waits for `release()`. */
  holdNext(path: string): { arrived: Promise<void>; release(): void };
  /** Every request seen, as `METHOD path -> status` (`dropped` when refused). */
  log: string[];
  close(): Promise<void>;
};

/** Starts a proxy to `targetUrl` on 127.0.0.1. */
export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  let down = false;
  const faults: Fault[] = [];
  const holds = new Map<string, { arrived: () => void; released: Promise<void> }>();
  const log: string[] = [];

  const pass = (req: IncomingMessage, res: ServerResponse, path: string) => {
    const hold = holds.get(path);
    if (hold) holds.delete(path);
    const upstream = forward(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      async (answer) => {
        log.push(`${req.method} ${path} -> ${answer.statusCode}`);
        if (hold) {
          hold.arrived();
          await hold.released;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (down) {
      log.push(`${req.method} ${path} -> dropped`);
      req.socket.destroy();
      return;
    }
    const fault = req.method === 'POST' ? faults.find((f) => f.path === path && f.remaining > 0) : undefined;
    if (fault) {
      fault.remaining--;
      log.push(`${req.method} ${path} -> ${fault.status}`);
      req.resume();
      res.writeHead(fault.status, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
      res.end(JSON.stringify({ error: 'Internal server error' }));
      return;
    }
    pass(req, res, path);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setDown: (value) => void (down = value),
    failNext: (path, count, status) => void faults.push({ path, remaining: count, status }),
    holdNext(path) {
      let arrived!: () => void;
      let release!: () => void;
      const arrivedPromise = new Promise<void>((resolve) => (arrived = resolve));
      holds.set(path, { arrived, released: new Promise<void>((resolve) => (release = resolve)) });
      return { arrived: arrivedPromise, release: () => release() };
    },
    log,
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}
