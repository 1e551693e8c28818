import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli } from '../../server/cli-args.ts';
import { startServer, type RunningServer } from '../../server/start.ts';
import { runCli } from './child-process.ts';
import { createTestInstall, type TestInstall } from './helpers.ts';

let install: TestInstall;

/** Runs `tsx server/main.ts ...args` on the test install, with `stdin` written to it. */
const cli = (args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) =>
  runCli(args, { DATA_DIR: install.dataDir, ...install.env, ...options.env }, options.stdin);

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

beforeAll(async () => {
  install = await createTestInstall('loupe-cli-users-');
});
afterAll(() => install.remove());

async function withServer<T>(run: (server: RunningServer) => Promise<T>): Promise<T> {
  const server = await startServer({ host: '127.0.0.1', port: 0, dataDir: install.dataDir, databaseUrl: install.databaseUrl });
  try {
    return await run(server);
  } finally {
    await server.close();
  }
}

const signIn = (server: RunningServer, email: string, password: string) =>
  fetch(`${server.url}/api/auth/sign-in`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });

describe('npm run server -- users', () => {
  it('creates people with a password (flag or stdin), or a sign-in link; lists them; refuses a taken e-mail', async () => {
    const ada = await cli(['users', 'create', '--email', 'Ada@Example.com', '--name', 'Ada', '--password', 'ada password 1', '--owner']);
    expect(ada.code, ada.stderr).toBe(0);
    expect(ada.stdout).toContain('Created the server owner ada@example.com (Ada)');
    expect(lastLine(ada.stdout)).toMatch(/^usr_[A-Za-z0-9_-]{24}$/);

    const bob = await cli(['users', 'create', '--email', 'bob@example.com', '--password-stdin'], { stdin: 'bob password 2\n' });
    expect(bob.code, bob.stderr).toBe(0);
    expect(bob.stdout).toContain('Created user bob@example.com');

    const carol = await cli(['users', 'create', '--email', 'carol@example.com'], { env: { PUBLIC_URL: 'https://loupe.example' } });
    expect(carol.code, carol.stderr).toBe(0);
    const link = /Sign-in link \(works once, for an hour\): https:\/\/loupe\.example\/#sign-in=([A-Za-z0-9_-]+)/.exec(carol.stdout);
    expect(link).not.toBeNull();

    const again = await cli(['users', 'create', '--email', 'ada@example.com', '--password', 'whatever123']);
    expect([again.code, again.stderr.trim()]).toEqual([1, 'A user with the e-mail ada@example.com already exists (see: npm run server -- users list)']);
    const short = await cli(['users', 'create', '--email', 'dan@example.com', '--password-stdin'], { stdin: 'short\n' });
    expect([short.code, short.stderr.trim()]).toEqual([1, 'The password must be 8 to 256 characters']);

    const listed = await cli(['users', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    const rows = listed.stdout.trim().split('\n').map((line) => line.split('\t').slice(1, 5));
    expect(rows).toEqual([
      ['ada@example.com', 'Ada', 'server owner', 'password'],
      ['bob@example.com', '(no name)', 'member', 'password'],
      ['carol@example.com', '(no name)', 'member', 'no password'],
    ]);

    await withServer(async (server) => {
      expect((await signIn(server, 'ada@example.com', 'ada password 1')).status).toBe(200);
      expect((await signIn(server, 'bob@example.com', 'bob password 2')).status).toBe(200);
      const byLink = await fetch(`${server.url}/api/auth/sign-in/link`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token: link![1] }),
      });
      expect(((await byLink.json()) as { user: { email: string } }).user.email).toBe('carol@example.com');
    });
  }, 60_000); // seven CLI runs, each a fresh tsx process
});

describe('parseCli users', () => {
  it('parses users create and users list', () => {
    expect(parseCli(['users', 'create', '--email', ' A@B.example ', '--name', ' A ', '--owner'], {})).toEqual({
      kind: 'users-create',
      dataDir: './data',
      email: 'a@b.example',
      name: 'A',
      passwordStdin: false,
      owner: true,
    });
    expect(parseCli(['users', 'list'], {})).toEqual({ kind: 'users-list', dataDir: './data' });
  });

  it.each([
    [['users', 'create'], 'users create needs --email EMAIL'],
    [['users', 'create', '--email', 'nope'], 'Not an e-mail address: nope'],
    [['users', 'create', '--email', 'a@b.c', '--password', 'x', '--password-stdin'], 'Use --password or --password-stdin, not both'],
    [['users', 'create', '--email', 'a@b.c', '--password', 'short'], 'The password must be 8 to 256 characters'],
    [['users', 'list', '--email', 'a@b.c'], '--email does not apply to "users list"'],
  ])('refuses %j', (argv, message) => {
    expect(parseCli(argv, {})).toEqual({ kind: 'usage-error', message });
  });
});
