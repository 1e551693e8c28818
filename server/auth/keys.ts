/**
 * Project keys: a kid and a secret made here, the secret kept encrypted at rest with the
 * master key (AES-256-GCM). HMAC verification needs the secret itself, so it cannot be
 * only hashed; a copy of the database alone does not give it away.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  MASTER_KEY,
  PROJECT_KEY_ID_PREFIX,
  PROJECT_KEY_ID_RANDOM_CHARS,
  PROJECT_KEY_SECRET_BYTES,
} from '../constants.ts';
import { randomUrlSafe } from '../ids.ts';
import type { ProjectKey, Storage } from '../storage/types.ts';

/** Version tag of the stored format `v1.<iv>.<tag>.<ciphertext>` (base64url parts). */
const FORMAT = 'v1';
const IV_BYTES = 12;

/** Where the master key comes from: the env var's value when set, else `<dataDir>/master.key`. */
export interface MasterKeySource {
  dataDir: string;
  /** Base64 of 32 bytes (`LOUPE_MASTER_KEY`); wins over the file. */
  envValue?: string;
}

function decodeMasterKey(text: string, where: string): Buffer {
  const bytes = Buffer.from(text.trim(), 'base64');
  if (bytes.length !== MASTER_KEY.bytes || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text.trim())) {
    throw new Error(`${where} must hold the base64 of ${MASTER_KEY.bytes} random bytes`);
  }
  return bytes;
}

/**
 * The master key: from the env value, else read from `<dataDir>/master.key`, which is
 * created (mode 0600, never overwritten) on first use. Throws on a malformed key.
 */
export function loadMasterKey(source: MasterKeySource): Buffer {
  if (source.envValue !== undefined && source.envValue !== '') {
    return decodeMasterKey(source.envValue, MASTER_KEY.envVar);
  }
  const path = join(source.dataDir, MASTER_KEY.fileName);
  try {
    // 'wx': two processes starting at once cannot both write; the loser reads the winner's key.
    writeFileSync(path, `${randomBytes(MASTER_KEY.bytes).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return decodeMasterKey(readFileSync(path, 'utf8'), path);
}

/** Encrypts a secret; the kid is authenticated with it, so a row's ciphertext cannot be moved to another kid. */
export function encryptSecret(masterKey: Uint8Array, kid: string, secret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
  return [FORMAT, ...parts].join('.');
}

/** Decrypts what encryptSecret made; throws when the master key or the kid is not the one it was made with. */
export function decryptSecret(masterKey: Uint8Array, kid: string, encrypted: string): string {
  const [format, iv, tag, ciphertext] = encrypted.split('.');
  if (format !== FORMAT || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new Error(`Unknown encrypted secret format for key ${kid}`);
  }
  const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(kid, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(`Cannot decrypt the secret of key ${kid}: is this the master key it was created with?`);
  }
}

/** A new key id: `key_` and 22 random url-safe characters. */
export function newKeyId(): string {
  return PROJECT_KEY_ID_PREFIX + randomUrlSafe(PROJECT_KEY_ID_RANDOM_CHARS);
}

/**
 * A new secret: 32 random bytes as base64url (43 characters). Callers sign with the UTF-8
 * bytes of this text as the HMAC key, as JWT libraries do with a string secret.
 */
export function newKeySecret(): string {
  return randomBytes(PROJECT_KEY_SECRET_BYTES).toString('base64url');
}

/** What creating a key hands back: the stored key, and its secret, which is not kept in clear anywhere. */
export interface CreatedKey {
  key: ProjectKey;
  secret: string;
}

/** Creates and stores a key for a client; the secret is returned once and stored only encrypted. */
export async function createProjectKey(
  storage: Storage,
  masterKey: Uint8Array,
  input: { clientId: string; name?: string },
): Promise<CreatedKey> {
  const kid = newKeyId();
  const secret = newKeySecret();
  const key: ProjectKey = {
    kid,
    clientId: input.clientId,
    name: input.name ?? null,
    secretEncrypted: encryptSecret(masterKey, kid, secret),
    createdAt: new Date().toISOString(),
    revokedAt: null,
  };
  await storage.insertProjectKey(key);
  return { key, secret };
}
