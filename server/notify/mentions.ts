/**
 * `@name` and `@email` mentions in a comment, resolved against the project's members only:
 * text that merely looks like a mention of someone outside the project mentions nobody.
 */
import { DISCUSSION_LIMITS } from '../constants.ts';

/** Someone who may be mentioned. */
export interface Mentionable {
  id: string;
  email: string;
  name: string | null;
}

// A handle is preceded by the start or by a character that cannot be part of an address
// (so "ada@example.com" does not mention "example.com"), and followed by the end or by a
// character that cannot continue it (a full stop may end a sentence, not "@ada.lovelace").
const WORD = /[\p{L}\p{N}_]/u;
const BEFORE_OK = (ch: string | undefined) => ch === undefined || !(WORD.test(ch) || ch === '.' || ch === '@' || ch === '-' || ch === '+');
function afterOk(text: string, at: number): boolean {
  const ch = text[at];
  if (ch === undefined || ch === '@') return ch === undefined;
  if (WORD.test(ch)) return false;
  if (ch === '.' || ch === '-') return !WORD.test(text[at + 1] ?? '');
  return true;
}

function mentions(text: string, lowerText: string, handle: string): boolean {
  const needle = `@${handle.toLowerCase()}`;
  for (let at = lowerText.indexOf(needle); at !== -1; at = lowerText.indexOf(needle, at + 1)) {
    // Lower-casing can change lengths (e.g. "İ"): fall back to the original text's positions only when they agree.
    if (lowerText.length !== text.length) return true;
    if (BEFORE_OK(text[at - 1]) && afterOk(text, at + needle.length)) return true;
  }
  return false;
}

/** The people among `candidates` whom `body` mentions by `@name` or `@email` (case-insensitively), in candidate order. */
export function findMentions<T extends Mentionable>(body: string, candidates: readonly T[]): T[] {
  if (!body.includes('@')) return [];
  const lower = body.toLowerCase();
  const found: T[] = [];
  for (const candidate of candidates) {
    const handles = [candidate.email, ...(candidate.name?.trim() ? [candidate.name.trim()] : [])];
    if (handles.some((handle) => mentions(body, lower, handle))) found.push(candidate);
    if (found.length === DISCUSSION_LIMITS.maxMentions) break;
  }
  return found;
}
