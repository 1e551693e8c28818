/** Signs the short-lived HS256 JWTs the read API takes, with the browser's WebCrypto. */

/** How long a signed token is valid: one request's worth, with room for a slow clock. */
export const TOKEN_TTL_SECONDS = 300;

const encoder = new TextEncoder();

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const encodeJson = (value: unknown) => base64Url(encoder.encode(JSON.stringify(value)));

/** Whether this page can sign (WebCrypto exists only in secure contexts: https, localhost). */
export function canSign(): boolean {
  return typeof crypto !== 'undefined' && crypto.subtle !== undefined;
}

/** Imports a key's secret for HMAC-SHA-256 (the secret's text is the key, as jose and jsonwebtoken take it). */
export function importSecret(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/** A compact JWT: header `{alg: HS256, typ: JWT, kid}`, claims `iat` and `exp` (now + TOKEN_TTL_SECONDS). */
export async function signToken(kid: string, key: CryptoKey, nowMs: number = Date.now()): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  const signingInput = `${encodeJson({ alg: 'HS256', typ: 'JWT', kid })}.${encodeJson({ iat, exp: iat + TOKEN_TTL_SECONDS })}`;
  const signature = await crypto.subtle.sign('HMAC', key, encoder.encode(signingInput));
  return `${signingInput}.${base64Url(new Uint8Array(signature))}`;
}
