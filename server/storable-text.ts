/**
 * Text as both engines can store it. PostgreSQL's `text` cannot hold U+0000 (SQLite can), so
 * a NUL in what a client sends would fail the write there and answer 500 for ever to a
 * retrying outbox. The server stores every NUL as U+FFFD, the replacement character, on both
 * engines alike, and reads filter values the same way so that a search finds what was stored.
 */
const NUL = /\u0000/g;

/** `text` with each U+0000 replaced by U+FFFD. */
export function storableText(text: string): string {
  return text.includes('\u0000') ? text.replace(NUL, '\uFFFD') : text;
}

/** `storableText` of a value that may be absent. */
export function storableOrNull(text: string | null | undefined): string | null {
  return text == null ? null : storableText(text);
}
