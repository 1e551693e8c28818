/** What every end-to-end test runs against: the real server on a temp SQLite file, and the local test site. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type StartOptions } from '../../../server/start';
import { startPageServer } from './pages';

/** The running server and site, and the temp directory that holds the server's data. */
export type Stack = {
  server: RunningServer;
  site: Awaited<ReturnType<typeof startPageServer>>;
  dataDir: string;
  /** The server's admin token (random per stack): signs the inbox in to every project. */
  adminToken: string;
  close(): Promise<void>;
};

/** Starts the server (on 127.0.0.1, any free port, with `options` added, e.g. `smtp`) and the test site. */
export async function startStack(options: Omit<StartOptions, 'host' | 'port' | 'dataDir' | 'adminToken'> = {}): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loupe-e2e-'));
  const adminToken = randomBytes(24).toString('base64url');
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    dataDir: join(dataDir, 'server'),
    adminToken,
    logError: () => undefined,
    ...options,
  });
  const site = await startPageServer();
  return {
    server,
    site,
    dataDir,
    adminToken,
    async close() {
      await site.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
