/**
 * An HTTP server on 127.0.0.1 for the tests' stand-ins of other services (a webhook receiver,
 * Slack): each request handed over with its whole body; closed (the port then refuses
 * connections) and listening again on the same port.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  port: number;
  /** Stops listening and drops the connections open. */
  close(): Promise<void>;
  /** Listens again on the same port. */
  reopen(): Promise<void>;
}

/** Starts listening (on `port`, or a free one); `onRequest` answers each request once its body is read. */
export async function startLoopbackServer(
  onRequest: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void,
  port = 0,
): Promise<LoopbackServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => onRequest(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  const listen = async (on: number) => {
    server.listen(on, '127.0.0.1');
    await once(server, 'listening');
  };
  await listen(port);
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    reopen: () => listen(bound),
  };
}
