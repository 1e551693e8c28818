/** Unguessable, url-safe identifiers for clients, feedback, replays and stored files. */
import { randomBytes } from 'node:crypto';
import { CLIENT_ID_PREFIX } from '../lib/api/schemas.ts';
import { FEEDBACK_ID_PREFIX, ID_RANDOM_CHARS, REPLAY_ID_PREFIX } from './constants.ts';

/** `length` random characters from the base64url alphabet (A-Z a-z 0-9 - _). */
export function randomUrlSafe(length: number): string {
  // base64url turns every 3 bytes into 4 characters; ask for enough and trim.
  return randomBytes(Math.ceil((length * 3) / 4)).toString('base64url').slice(0, length);
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
