/**
 * OpenID Connect sign-in with openid-client: the provider's configuration (discovered on
 * first use), the authorization request (code + PKCE + state + nonce) and, at the callback,
 * the code exchange that verifies the ID token and yields the person's verified e-mail.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import { OIDC } from '../constants.ts';

/** The provider the inbox may sign in with (env OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME). */
export interface OidcConfig {
  /** The issuer, or its discovery document's URL (`…/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The sign-in button's label (default OIDC.defaultName). */
  name?: string;
}

/** The provider named by the environment, or undefined when OIDC_ISSUER is unset; throws when it is half set. */
export function oidcConfigFromEnv(env: NodeJS.ProcessEnv = process.env): OidcConfig | undefined {
  const issuer = env[OIDC.issuerEnvVar];
  if (!issuer) return undefined;
  const clientId = env[OIDC.clientIdEnvVar];
  const clientSecret = env[OIDC.clientSecretEnvVar];
  if (!clientId || !clientSecret) {
    throw new Error(`${OIDC.issuerEnvVar} is set: ${OIDC.clientIdEnvVar} and ${OIDC.clientSecretEnvVar} are needed too`);
  }
  new URL(issuer); // a malformed issuer stops the start, not the first sign-in
  return { issuer, clientId, clientSecret, name: env[OIDC.nameEnvVar] || undefined };
}

/** What the callback needs back: kept in the signed state cookie between the two requests. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  /** When it stops being accepted, in ms since the epoch. */
  expiresAt: number;
}

/** Why a callback was refused. */
export type OidcFailure = 'state' | 'provider' | 'unverified' | 'no-email';

/** A callback's outcome: the e-mail the provider vouches for (trimmed, lower-cased), or why not. */
export type OidcOutcome = { ok: true; email: string } | { ok: false; reason: OidcFailure; error?: unknown };

/** The provider, talked to. */
export interface OidcProvider {
  /** Where to send the browser, and what to keep for the callback. */
  start(redirectUri: string, nowMs: number): Promise<{ url: string; pending: PendingSignIn }>;
  /** Checks the provider's answer at `callbackUrl` (the redirect URI plus its query) against `pending`. */
  finish(callbackUrl: URL, pending: PendingSignIn | undefined, nowMs: number): Promise<OidcOutcome>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The provider behind `config`; its discovery document is fetched on first use (and again after a failure). */
export function createOidcProvider(config: OidcConfig): OidcProvider {
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = () => {
    const url = new URL(config.issuer);
    // Plain http only to a provider on this machine (a test or a local set-up).
    const execute = url.protocol === 'http:' && LOOPBACK.has(url.hostname) ? [client.allowInsecureRequests] : [];
    discovered ??= client
      .discovery(url, config.clientId, config.clientSecret, undefined, { execute, timeout: OIDC.requestTimeoutSeconds })
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };
  return {
    async start(redirectUri, nowMs) {
      const pending = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), expiresAt: nowMs + OIDC.stateTtlMs };
      const url = client.buildAuthorizationUrl(await configuration(), {
        redirect_uri: redirectUri,
        scope: OIDC.scope,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, pending };
    },
    async finish(callbackUrl, pending, nowMs) {
      const state = callbackUrl.searchParams.get('state');
      if (!pending || pending.expiresAt <= nowMs || state === null || !sameText(state, pending.state)) return { ok: false, reason: 'state' };
      let claims: Record<string, unknown>;
      try {
        const config = await configuration();
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims()!;
        // Many providers put `email` in the ID token only when asked for it by claim: else it is userinfo's.
        claims = idClaims.email === undefined ? { ...(await client.fetchUserInfo(config, tokens.access_token, idClaims.sub)) } : idClaims;
      } catch (error) {
        return { ok: false, reason: 'provider', error };
      }
      if (typeof claims.email !== 'string' || claims.email.trim() === '') return { ok: false, reason: 'no-email' };
      if (claims.email_verified !== undefined && claims.email_verified !== true) return { ok: false, reason: 'unverified' };
      return { ok: true, email: claims.email.trim().toLowerCase() };
    },
  };
}

function sameText(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Seals `pending` into a cookie value: base64url JSON and an HMAC by a key derived from the master key. */
export function sealPending(pending: PendingSignIn, masterKey: Uint8Array): string {
  const body = Buffer.from(JSON.stringify(pending), 'utf8').toString('base64url');
  return `${body}.${mac(body, masterKey)}`;
}

/** The pending sign-in a cookie value holds, or undefined when it is missing, malformed or not ours. */
export function openPending(value: string | undefined, masterKey: Uint8Array): PendingSignIn | undefined {
  if (value === undefined || value.length > 1000) return undefined;
  const [body, tag, extra] = value.split('.');
  if (!body || !tag || extra !== undefined || !sameText(tag, mac(body, masterKey))) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const p = parsed as Partial<PendingSignIn>;
    const strings = [p.state, p.nonce, p.verifier].every((s) => typeof s === 'string' && s.length > 0 && s.length <= 200);
    return strings && typeof p.expiresAt === 'number' ? (parsed as PendingSignIn) : undefined;
  } catch {
    return undefined;
  }
}

function mac(body: string, masterKey: Uint8Array): string {
  // A key of its own for this one use: the master key itself encrypts project key secrets.
  const key = createHmac('sha256', masterKey).update('loupe oidc state cookie').digest();
  return createHmac('sha256', key).update(body).digest('base64url');
}
