/** Starts and stops the server; shared by the CLI, `npm start` and the tests. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { loadMasterKey } from './auth/keys.ts';
import { oidcConfigFromEnv, type OidcConfig } from './auth/oidc.ts';
import { ADMIN_TOKEN_MIN_CHARS, DATA_LAYOUT, DEFAULTS, DRAIN_POLL_MS, DRAIN_TIMEOUT_MS, GITHUB, MASTER_KEY, POSTGRES } from './constants.ts';
import { startOrphanSweep } from './orphan-sweep.ts';
import type { FileStore } from './storage/files.ts';
import { filesConfigFromEnv, openFileStore } from './storage/open-files.ts';
import { openPgStorage } from './storage/pg.ts';
import type { S3FilesConfig } from './storage/s3-files.ts';
import { openSqliteStorage } from './storage/sqlite.ts';
import type { Storage } from './storage/types.ts';
import type { UploadIntakeOptions } from './upload-intake.ts';
import { createNewReportNotifier } from './notify/new-reports.ts';
import { allowedHostsFromEnv } from './outbox/safe-http.ts';
import { OUTBOX_TARGETS } from './outbox/all-targets.ts';
import { startOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from './outbox/worker.ts';
import { smtpConfigFromEnv, startEmailSender, type EmailSender, type SenderOptions, type SmtpConfig } from './notify/sender.ts';

/** Where things start; every field has a default (see DEFAULTS). */
export interface StartOptions {
  host?: string;
  /** 0 picks a free port; the real one is reported back. */
  port?: number;
  dataDir?: string;
  /**
   * `postgres://…`: the database, shared by every instance (default env DATABASE_URL);
   * absent or empty, SQLite in the data directory.
   */
  databaseUrl?: string;
  /** Public base URL for links to stored files, e.g. behind a reverse proxy. */
  publicUrl?: string;
  /** Where unexpected request errors are reported; defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
  /** Ingest requests per minute per remote address; 0 is unlimited (default 120). */
  rateLimitIpPerMin?: number;
  /** Ingest writes per minute per client; 0 is unlimited (default 600). */
  rateLimitClientPerMin?: number;
  /** Reverse proxies in front whose X-Forwarded-For gives the client's address (default 0: none). */
  trustProxyHops?: number;
  /** The clock for rate limits and key expiry, in ms; for tests (default Date.now). */
  nowMs?: () => number;
  /** When set (16+ characters), `Authorization: Bearer <adminToken>` reads every project. */
  adminToken?: string;
  /**
   * Base64 of the 32-byte key that encrypts project key secrets; default env
   * LOUPE_MASTER_KEY, else `<dataDir>/master.key` (created on first use; not with a database URL).
   */
  masterKey?: string;
  /** Upload intake overrides (budget, no-progress timeout); for tests. */
  uploads?: Partial<Omit<UploadIntakeOptions, 'tempDir' | 'remoteAddress'>>;
  /** How old an unrecorded file must be before the sweep removes it (default ORPHAN_FILE_GRACE_MS); for tests. */
  orphanFileGraceMs?: number;
  /** Files in this S3 bucket; default env S3_BUCKET (storage/open-files.ts), else on disk in dataDir. */
  s3?: S3FilesConfig;
  /**
   * Where queued e-mail is sent; default env SMTP_URL and SMTP_FROM (both, else no e-mail is
   * sent: it waits in the queue). The timings are for tests (default EMAIL_QUEUE's).
   */
  smtp?: SmtpConfig & Pick<SenderOptions, 'pollMs' | 'retryDelaysMs' | 'maxAttempts'>;
  /** Whether password resets and invitations are e-mailed (queued); default: whether `smtp` is set. */
  emailEnabled?: boolean;
  /**
   * The OpenID provider the inbox may sign in with; default env OIDC_ISSUER, OIDC_CLIENT_ID,
   * OIDC_CLIENT_SECRET and OIDC_NAME (server/auth/oidc.ts); `false`: off whatever the environment says.
   */
  oidc?: OidcConfig | false;
  /** The GitHub API new tracker connections talk to; default env GITHUB_API_URL, else github.com's. */
  githubApiUrl?: string;
  /**
   * Outbound deliveries (webhooks, trackers): the hosts that may be private (default env
   * WEBHOOK_ALLOWED_HOSTS) and, for tests, the worker's timings (default OUTBOUND's).
   */
  outbound?: Partial<Pick<OutboxWorkerOptions, 'allowedHosts' | 'pollMs' | 'retryDelaysMs' | 'disableAfterFailingMs' | 'timeoutMs'>>;
}

/** A listening server and the handles it owns. */
export interface RunningServer {
  /** `http://host:port`, with the real port. */
  url: string;
  port: number;
  storage: Storage;
  files: FileStore;
  /** Stops listening, drops open connections, closes the database. Safe to call twice. */
  close(): Promise<void>;
  /**
   * Stops listening, lets the requests under way finish (at most `timeoutMs`, then drops
   * them), then closes as `close` does: what a rolling restart needs (SIGTERM).
   */
  drain(timeoutMs?: number): Promise<void>;
}

/** Absolute paths of the database file and the files directory inside a data directory. */
export function dataPaths(dataDir: string): { dataDir: string; databaseFile: string; filesDir: string; uploadTempDir: string } {
  const root = resolve(dataDir);
  return {
    dataDir: root,
    databaseFile: join(root, DATA_LAYOUT.databaseFile),
    filesDir: join(root, DATA_LAYOUT.filesDir),
    uploadTempDir: join(root, DATA_LAYOUT.uploadTempDir),
  };
}

/** The database URL in force: the one given, else env DATABASE_URL; empty means none (SQLite). */
export function databaseUrlOf(given?: string): string | undefined {
  return (given ?? process.env[POSTGRES.envVar]) || undefined;
}

/**
 * Opens the storage: PostgreSQL when a database URL is in force (migrated, and reachable,
 * or an error saying which and why), else SQLite in the data directory, created on first use.
 */
export async function openStorage(dataDir: string = DEFAULTS.dataDir, databaseUrl?: string): Promise<Storage> {
  const url = databaseUrlOf(databaseUrl);
  if (url) return openPgStorage(url);
  // The files directory is the disk store's to make (its ping), not the database's.
  const paths = dataPaths(dataDir);
  mkdirSync(paths.dataDir, { recursive: true });
  return openSqliteStorage(paths.databaseFile);
}

/**
 * The file store of a data directory (an S3 bucket given or named by env S3_BUCKET, else disk),
 * checked: an unreachable bucket rejects naming S3, endpoint, bucket and why.
 */
export async function openFiles(dataDir: string = DEFAULTS.dataDir, s3?: S3FilesConfig): Promise<FileStore> {
  const files = openFileStore(s3 ? { engine: 's3', s3 } : filesConfigFromEnv(process.env, dataPaths(dataDir).filesDir));
  await files.ping().catch(async (error: unknown) => {
    await files.close();
    throw error;
  });
  return files;
}

/**
 * The master key: the override, else env LOUPE_MASTER_KEY, else the data directory's key
 * file (made if missing). With a database URL there is no file to fall back on: instances
 * on other machines must share the key, so it has to be given.
 */
export function openMasterKey(dataDir: string = DEFAULTS.dataDir, override?: string, databaseUrl?: string): Buffer {
  const envValue = override || process.env[MASTER_KEY.envVar];
  if (!envValue && databaseUrlOf(databaseUrl)) {
    throw new Error(
      `${MASTER_KEY.envVar} is required with ${POSTGRES.envVar}: every instance on the database must use the same ` +
        `master key (base64 of ${MASTER_KEY.bytes} random bytes, e.g. from: openssl rand -base64 ${MASTER_KEY.bytes})`,
    );
  }
  const paths = dataPaths(dataDir);
  mkdirSync(paths.dataDir, { recursive: true });
  return loadMasterKey({ dataDir: paths.dataDir, envValue });
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Opens the data directory and listens; resolves once the port is bound. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const host = options.host ?? DEFAULTS.host;
  const paths = dataPaths(options.dataDir ?? DEFAULTS.dataDir);
  if (options.adminToken !== undefined && options.adminToken.length < ADMIN_TOKEN_MIN_CHARS) {
    throw new Error(`The admin token must be at least ${ADMIN_TOKEN_MIN_CHARS} characters`);
  }
  // Before anything opens: a half-set OIDC_* environment stops the start.
  const oidc = options.oidc === false ? undefined : (options.oidc ?? oidcConfigFromEnv());
  // Before the database: a malformed LOUPE_MASTER_KEY stops the start, not the first sign-in.
  const masterKey = openMasterKey(paths.dataDir, options.masterKey, options.databaseUrl);
  // Before listening: an unreachable bucket or an unreachable or unmigratable database stops the start here.
  const files = await openFiles(paths.dataDir, options.s3);
  const storage = await openStorage(paths.dataDir, options.databaseUrl).catch(async (error: unknown) => {
    await files.close();
    throw error;
  });
  const logError = options.logError ?? ((message: string, error: unknown) => console.error(message, error));
  const nowMs = options.nowMs ?? Date.now;
  // Files a crash left without their row go before the first request comes in.
  const stopSweep = await startOrphanSweep({
    files,
    storage,
    nowMs,
    graceMs: options.orphanFileGraceMs,
    uploadTempDir: paths.uploadTempDir,
    logError,
  });
  const smtp = options.smtp ?? smtpConfigFromEnv();
  let sender: EmailSender | undefined;
  const wakeSender = () => sender?.wake();
  const newReports = createNewReportNotifier({ storage, nowMs, logError, onQueued: wakeSender });
  let outbox: OutboxWorker | undefined;
  const app = createApp({
    newReports,
    onEmailsQueued: wakeSender,
    onOutboxQueued: () => outbox?.wake(),
    storage,
    files,
    publicUrl: options.publicUrl,
    logError: options.logError,
    rateLimitIpPerMin: options.rateLimitIpPerMin,
    rateLimitClientPerMin: options.rateLimitClientPerMin,
    trustProxyHops: options.trustProxyHops,
    nowMs: options.nowMs,
    masterKey,
    adminToken: options.adminToken,
    emailEnabled: options.emailEnabled ?? smtp !== undefined,
    uploadTempDir: paths.uploadTempDir,
    uploads: options.uploads,
    oidc,
    githubApiUrl: options.githubApiUrl ?? (process.env[GITHUB.apiUrlEnvVar] || undefined),
  });

  let server: Server;
  let info: AddressInfo;
  try {
    ({ server, info } = await new Promise<{ server: Server; info: AddressInfo }>((resolveListen, reject) => {
      const created = serve({ fetch: app.fetch, hostname: host, port: options.port ?? DEFAULTS.port }, (address) =>
        resolveListen({ server: created as Server, info: address }),
      );
      created.once('error', reject);
    }));
  } catch (error) {
    await stopSweep();
    await storage.close();
    await files.close();
    throw error;
  }

  if (smtp) sender = startEmailSender({ ...smtp, team: storage.team, smtp, nowMs, logError });
  const url = `http://${urlHost(host)}:${info.port}`;
  outbox = startOutboxWorker({
    storage,
    files,
    masterKey,
    baseUrl: (options.publicUrl ?? url).replace(/\/+$/, ''),
    allowedHosts: options.outbound?.allowedHosts ?? allowedHostsFromEnv(),
    nowMs,
    logError,
    targets: OUTBOX_TARGETS,
    onEmailsQueued: wakeSender,
    ...options.outbound,
  });

  let closing: Promise<void> | undefined;
  const stop = (graceMs: number): Promise<void> => {
    // Closing while a drain waits: the requests still under way are dropped now.
    if (closing && graceMs === 0) server.closeAllConnections();
    closing ??= new Promise<void>((resolveClose) => {
      server.close(() => {
        clearInterval(idleSweep);
        clearTimeout(deadline);
        resolveClose();
      });
      // Keep-alive connections would hold close() open until they time out: each goes as soon
      // as it has no request under way, and whatever is left at the deadline is dropped.
      server.closeIdleConnections();
      const idleSweep = setInterval(() => server.closeIdleConnections(), DRAIN_POLL_MS);
      const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    })
      .then(stopSweep)
      // Notifications of the last reports are written, then the e-mail under way is sent.
      .then(() => newReports.settle())
      .then(() => outbox?.stop())
      .then(() => sender?.stop())
      .then(() => storage.close())
      .then(() => files.close());
    return closing;
  };

  return {
    url,
    port: info.port,
    storage,
    files,
    close: () => stop(0),
    drain: (timeoutMs = DRAIN_TIMEOUT_MS) => stop(timeoutMs),
  };
}
