/**
 * Passwords, hashed with argon2id (@node-rs/argon2's defaults: 19 MiB, 2 passes, 1 lane,
 * OWASP's recommended minimum) into a PHC string. Unknown accounts are checked against a
 * dummy hash, so that a wrong e-mail takes as long to refuse as a wrong password.
 */
import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id: a `const enum` in the package's types, which isolated modules cannot import.
const ARGON2ID = 2;

/** The PHC string of a new hash of `password` (random salt). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

let dummyHash: Promise<string> | undefined;

/**
 * Whether `password` matches `passwordHash`; `null` (no account, or one without a password)
 * is checked against a dummy hash of the same cost and is never a match.
 */
export async function checkPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    dummyHash ??= hashPassword('no account has this password');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
