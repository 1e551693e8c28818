/**
 * `npm start`: the embedded default on one machine. Starts the server with SQLite under
 * ./data, makes sure a demo project exists, builds the extension preconfigured for both,
 * and opens Chromium with it where a display is available.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCli, USAGE } from '../server/cli-args.ts';
import { startServer } from '../server/start.ts';
import { createClient } from '../server/clients.ts';
import { FIRST_OWNER } from '../server/constants.ts';
import { ensureFirstOwner, type FirstOwner } from '../server/first-owner.ts';
import { parseBodyWith } from '../server/read-api/schemas.ts';
import { emailSchema } from '../server/team-api/schemas.ts';

const DEMO_PROJECT = 'Demo project';
// LOUPE_OUT_DIR is also read by wxt.config.ts, so the build lands where this points.
const EXTENSION_DIR = resolve(process.env.LOUPE_OUT_DIR ?? '.output', 'chrome-mv3');
/** Where the local admin token is kept, in the data directory: readable by this user only. */
const ADMIN_TOKEN_FILE = 'admin-token';
const BROWSERS = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

async function main(): Promise<void> {
  // The same HOST, PORT, DATA_DIR and PUBLIC_URL rules as `npm run server`.
  const options = parseCli([], process.env);
  if (options.kind !== 'serve') {
    console.error(`${options.kind === 'usage-error' ? options.message : ''}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const { dataDir } = options;
  const ownerEmail = parseBodyWith(emailSchema, process.env[FIRST_OWNER.emailEnv] || FIRST_OWNER.defaultEmail);
  if (!ownerEmail.ok) {
    console.error(`${FIRST_OWNER.emailEnv} must be an e-mail address`);
    process.exitCode = 2;
    return;
  }
  const adminToken = options.adminToken ?? localAdminToken(dataDir);
  const server = await startServer({ ...options, adminToken });
  const clients = await server.storage.listClients();
  const demo = clients.find((client) => client.name === DEMO_PROJECT) ?? (await createClient(server.storage, { name: DEMO_PROJECT }));
  const baseUrl = options.publicUrl ?? server.url;
  const owner = await ensureFirstOwner(server.storage, { email: ownerEmail.value, demoClientId: demo.id, baseUrl, nowMs: Date.now() });

  console.log(`Building the extension for ${server.url} and ${demo.id}...`);
  const build = spawnSync('npx', ['wxt', 'build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, WXT_LOUPE_SERVER_URL: server.url, WXT_LOUPE_CLIENT_ID: demo.id },
  });
  if (build.status !== 0) {
    await server.close();
    throw new Error('The extension build failed (see above).');
  }

  const demoPage = `${server.url}/demo`;
  console.log(`
Loupe is running.
  Server:        ${server.url}  (data in ${resolve(dataDir)})
  Demo project:  ${demo.name}
  Extension:     ${EXTENSION_DIR}  (set up for this server and project)
  Demo page:     ${demoPage}
  Inbox:         ${server.url}/  (as the owner below, or with the admin token ${adminToken}${options.adminToken ? '' : `, kept in ${join(resolve(dataDir), ADMIN_TOKEN_FILE)}`})
${ownerLines(owner)}`);
  const browser = openBrowser(demoPage);
  if (!browser) {
    console.log(`To load the extension by hand in Chrome or Chromium:
  1. Open chrome://extensions and turn on "Developer mode".
  2. Click "Load unpacked" and choose ${EXTENSION_DIR}
Then open ${demoPage} and click the Loupe button in the toolbar.
`);
  }
  console.log('Press Ctrl+C to stop.');
  // The demo project's id, alone on the last line, for scripts.
  console.log(demo.id);

  const stop = () => {
    browser?.kill();
    void server.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** How the server's owner signs in: the one-time link while they have no password. */
function ownerLines(owner: FirstOwner | undefined): string {
  if (!owner) return '';
  if (!owner.signInUrl) return `  Owner:         ${owner.user.email} (sign in with your password)\n`;
  const made = owner.created ? ', just created' : '';
  return `  Owner:         ${owner.user.email}${made}: sign in once with\n                 ${owner.signInUrl}\n                 (works once, for an hour; a new one is printed on each start until you set a password)\n`;
}

/** The admin token of this data directory: made once (32 random bytes), then read back on every start. */
function localAdminToken(dataDir: string): string {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const token = randomBytes(32).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** Opens Chromium with the extension on the demo page when a display is available. */
function openBrowser(url: string): ChildProcess | undefined {
  const executable = BROWSERS.find((path) => path && existsSync(path));
  if (!executable || !(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) return undefined;
  console.log(`Opening ${executable} with the extension loaded...`);
  return spawn(
    executable,
    [
      `--user-data-dir=${resolve('.output/chromium-profile')}`,
      '--no-first-run',
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      url,
    ],
    { stdio: 'ignore' },
  );
}

main().catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  console.error(code === 'EADDRINUSE' ? 'The port is in use: stop the other server or set PORT.' : error);
  process.exitCode = 1;
});
