/**
 * One-time links: sign-in, password reset and invitations. The token is random and only its
 * SHA-256 is stored; using one marks it used in the same statement that checks it (TeamStore
 * useToken), so a link works once even when opened twice at the same moment.
 */
import { INBOX_LINKS, ONE_TIME_TTL_MS } from '../constants.ts';
import type { OneTimeToken, Role, TeamStore, TokenPurpose } from '../storage/team-types.ts';
import { hashToken, newToken } from './session.ts';

/** What a token is about besides its purpose. */
export interface TokenSubject {
  userId?: string;
  clientId?: string;
  role?: Role;
  email?: string;
  createdBy?: string | null;
}

/** A stored token and the secret that goes in the link (shown once). */
export interface IssuedToken {
  token: string;
  stored: OneTimeToken;
}

/** Makes, stores and returns a token that expires after its purpose's lifetime (ONE_TIME_TTL_MS). */
export async function issueToken(team: TeamStore, purpose: TokenPurpose, subject: TokenSubject, nowMs: number): Promise<IssuedToken> {
  const token = newToken();
  const stored: OneTimeToken = {
    tokenHash: hashToken(token),
    purpose,
    userId: subject.userId ?? null,
    clientId: subject.clientId ?? null,
    role: subject.role ?? null,
    email: subject.email ?? null,
    createdBy: subject.createdBy ?? null,
    createdAt: new Date(nowMs).toISOString(),
    expiresAt: new Date(nowMs + ONE_TIME_TTL_MS[purpose]).toISOString(),
    usedAt: null,
  };
  await team.insertToken(stored);
  return { token, stored };
}

// Tokens are 43 base64url characters; anything else is no token of ours and is never looked up.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

/** Uses a token once: the stored token when it is live and of this purpose, else `undefined`. */
export async function useToken(team: TeamStore, token: string, purpose: TokenPurpose, nowMs: number): Promise<OneTimeToken | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  return team.useToken(hashToken(token), purpose, new Date(nowMs).toISOString());
}

/** A live token of this purpose, without using it (an invitation shown before it is accepted). */
export async function peekToken(team: TeamStore, token: string, purpose: TokenPurpose, nowMs: number): Promise<OneTimeToken | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const found = await team.getToken(hashToken(token));
  const live = found && found.purpose === purpose && found.usedAt === null && found.expiresAt > new Date(nowMs).toISOString();
  return live ? found : undefined;
}

/** The inbox link that carries a token: `<base>/#sign-in=TOKEN` and so on (INBOX_LINKS). */
export function inboxLink(base: string, kind: keyof typeof INBOX_LINKS, token: string): string {
  return `${base.replace(/\/+$/, '')}${INBOX_LINKS[kind]}${token}`;
}
