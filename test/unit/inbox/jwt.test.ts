import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { JWT_MAX_LIFETIME_SECONDS } from '../../../server/constants';
import { TOKEN_TTL_SECONDS, importSecret, signToken } from '../../../server/inbox/client/jwt';

const SECRET = 'q2Vb3m0cYl0sZk1uV1l5cE9tZ0x2S2x4Y0l6a0x0UWc'; // a key secret's shape: 43 base64url characters

describe('the inbox’s token signing (WebCrypto)', () => {
  it('makes an HS256 JWT with the kid that an independent library verifies with the secret’s text', async () => {
    const nowMs = Date.UTC(2025, 0, 2, 3, 4, 5);
    const token = await signToken('key_abc', await importSecret(SECRET), nowMs);
    const decoded = jwt.verify(token, SECRET, { algorithms: ['HS256'], complete: true, clockTimestamp: nowMs / 1000 });
    expect(decoded.header).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'key_abc' });
    expect(decoded.payload).toEqual({ iat: nowMs / 1000, exp: nowMs / 1000 + TOKEN_TTL_SECONDS });
  });

  it('expires after five minutes, and another secret does not verify it', async () => {
    const nowMs = Date.now();
    const token = await signToken('key_abc', await importSecret(SECRET), nowMs);
    expect(TOKEN_TTL_SECONDS).toBe(300);
    // The server refuses a token without iat or living longer than its cap.
    const claims = jwt.decode(token) as { iat: number; exp: number };
    expect(claims.iat).toBe(Math.floor(nowMs / 1000));
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(JWT_MAX_LIFETIME_SECONDS);
    expect(() => jwt.verify(token, SECRET, { clockTimestamp: Math.floor(nowMs / 1000) + 301 })).toThrow(/expired/);
    expect(() => jwt.verify(token, `${SECRET}x`)).toThrow(/signature/);
  });
});
