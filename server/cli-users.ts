/** The `users` commands of `npm run server`: make an account, list them. */
import { inboxLink, issueToken } from './auth/one-time.ts';
import { createUser } from './auth/users.ts';
import type { CliCommand } from './cli-args.ts';
import { DEFAULTS, PASSWORD_LIMITS } from './constants.ts';
import { parseBodyWith } from './read-api/schemas.ts';
import { openStorage } from './start.ts';
import { passwordSchema } from './team-api/schemas.ts';

/** A users command. */
export type UsersCommand = Extract<CliCommand, { kind: 'users-create' | 'users-list' }>;

/** What a command printed; `ok` false means it failed (exit code 1) and `lines` say why. */
export interface UsersResult {
  ok: boolean;
  lines: string[];
}

/** Where printed sign-in links point: env PUBLIC_URL, else the server's default address. */
function linkBase(env: Record<string, string | undefined>): string {
  return env.PUBLIC_URL || `http://${DEFAULTS.host}:${DEFAULTS.port}`;
}

/**
 * Runs one users command against a data directory. `readStdin` gives standard input's text
 * (for --password-stdin; one trailing line break is not part of the password).
 */
export async function runUsersCommand(
  command: UsersCommand,
  options: { readStdin: () => Promise<string>; env: Record<string, string | undefined>; nowMs?: number },
): Promise<UsersResult> {
  let password = command.kind === 'users-create' ? command.password : undefined;
  if (command.kind === 'users-create' && command.passwordStdin) {
    password = (await options.readStdin()).replace(/\r?\n$/, '');
    if (!parseBodyWith(passwordSchema, password).ok) {
      return { ok: false, lines: [`The password must be ${PASSWORD_LIMITS.minChars} to ${PASSWORD_LIMITS.maxChars} characters`] };
    }
  }
  const storage = await openStorage(command.dataDir, command.databaseUrl);
  const nowMs = options.nowMs ?? Date.now();
  try {
    if (command.kind === 'users-list') {
      const users = await storage.team.listUsers();
      if (users.length === 0) return { ok: true, lines: ['No users yet. Create one with: npm run server -- users create --email EMAIL'] };
      return {
        ok: true,
        lines: users.map((u) =>
          [u.id, u.email, u.name ?? '(no name)', u.serverOwner ? 'server owner' : 'member', u.passwordHash ? 'password' : 'no password', `created ${u.createdAt}`].join('\t'),
        ),
      };
    }
    const user = await createUser(storage.team, { email: command.email, name: command.name, password, serverOwner: command.owner }, nowMs);
    if (!user) return { ok: false, lines: [`A user with the e-mail ${command.email} already exists (see: npm run server -- users list)`] };
    const lines = [`Created ${user.serverOwner ? 'the server owner' : 'user'} ${user.email}${user.name ? ` (${user.name})` : ''}`];
    if (!user.passwordHash) {
      const { token } = await issueToken(storage.team, 'sign_in', { userId: user.id }, nowMs);
      lines.push(`Sign-in link (works once, for an hour): ${inboxLink(linkBase(options.env), 'signIn', token)}`);
    }
    // Alone on the last line, for scripts.
    lines.push(user.id);
    return { ok: true, lines };
  } finally {
    await storage.close();
  }
}
