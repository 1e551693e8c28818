/** Unguessable, url-safe identifiers for clients, feedback, replays and stored files. */
import { randomFillSync } from 'node:crypto';
import { CLIENT_ID_PREFIX } from '../lib/api/schemas.ts';
import { FEEDBACK_ID_PREFIX, ID_RANDOM_CHARS, ID_RANDOM_POOL_BYTES, REPLAY_ID_PREFIX } from './constants.ts';

// Bytes from the CSPRNG, drawn a pool at a time and each handed out once: one call per id
// was a system call per ingest request. Node's own randomUUID keeps such a cache.
const pool = Buffer.alloc(ID_RANDOM_POOL_BYTES);
let poolOffset = pool.length;

/** `length` random characters from the base64url alphabet (A-Z a-z 0-9 - _). */
export function randomUrlSafe(length: number): string {
  // base64url turns every 3 bytes into 4 characters; take enough and trim.
  const bytes = Math.ceil((length * 3) / 4);
  if (bytes > pool.length) throw new Error(`An id of ${length} random characters needs more than the ${pool.length}-byte pool`);
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const text = pool.toString('base64url', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return text.slice(0, length);
}

/** A new project id: `client_` and 20 random characters. */
export function newClientId(): string {
  return CLIENT_ID_PREFIX + randomUrlSafe(ID_RANDOM_CHARS.client);
}

/** A new feedback id: `fb_` and 24 random characters. */
export function newFeedbackId(): string {
  return FEEDBACK_ID_PREFIX + randomUrlSafe(ID_RANDOM_CHARS.feedback);
}

/** A new replay id: `rp_` and 24 random characters. */
export function newReplayId(): string {
  return REPLAY_ID_PREFIX + randomUrlSafe(ID_RANDOM_CHARS.replay);
}

/**
 * Client ids the server will put into a file path: the contract's prefix and url-safe
 * characters only, so an id can never carry `/`, `.` or `%`.
 */
export const SAFE_CLIENT_ID = /^client_[A-Za-z0-9_-]{1,100}$/;

/** Prefixes of the team side's ids (server/storage/team-types.ts). */
export const TEAM_ID_PREFIXES = {
  user: 'usr_',
  label: 'lbl_',
  comment: 'cmt_',
  activity: 'act_',
  notification: 'ntf_',
  email: 'eml_',
  event: 'evt_',
  delivery: 'msg_',
  webhook: 'whk_',
  integration: 'int_',
} as const;

/** A new id of a team-side row: its prefix and 24 random characters. */
export function newTeamId(kind: keyof typeof TEAM_ID_PREFIXES): string {
  return TEAM_ID_PREFIXES[kind] + randomUrlSafe(24);
}
