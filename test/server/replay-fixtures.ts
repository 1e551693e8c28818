/** Hand-made rrweb recordings for the server tests, and the upload request that carries them. */
import { gzipSync } from 'node:zlib';
import type { FormField } from './helpers.ts';

/** When the fixture recording starts, in ms since the epoch. */
export const RECORDING_START_MS = Date.UTC(2024, 5, 7, 10, 0, 0);

/**
 * A valid recording: Meta, FullSnapshot of a tiny page, then `moves` mouse moves and one
 * text mutation, spread so that the last event is `durationMs` after the first.
 */
export function replayEvents(options: { moves?: number; durationMs?: number; text?: string } = {}): unknown[] {
  const { moves = 3, durationMs = 5_000, text = 'Hello replay' } = options;
  const t0 = RECORDING_START_MS;
  const node = {
    type: 0,
    id: 1,
    childNodes: [
      { type: 1, name: 'html', publicId: '', systemId: '', id: 2 },
      {
        type: 2, tagName: 'html', attributes: { lang: 'en' }, id: 3,
        childNodes: [
          { type: 2, tagName: 'head', attributes: {}, id: 4, childNodes: [] },
          {
            type: 2, tagName: 'body', attributes: {}, id: 5,
            childNodes: [{ type: 2, tagName: 'h1', attributes: { id: 'title' }, id: 6, childNodes: [{ type: 3, textContent: text, id: 7 }] }],
          },
        ],
      },
    ],
  };
  const events: unknown[] = [
    { type: 4, data: { href: 'https://app.example.com/page', width: 800, height: 600 }, timestamp: t0 },
    { type: 2, data: { node, initialOffset: { top: 0, left: 0 } }, timestamp: t0 + 1 },
  ];
  for (let i = 1; i <= moves; i++) {
    const at = t0 + Math.round((i * (durationMs - 1)) / (moves + 1));
    events.push({ type: 3, data: { source: 1, positions: [{ x: 10 * i, y: 5 * i, id: 6, timeOffset: 0 }] }, timestamp: at });
  }
  events.push({ type: 3, data: { source: 0, texts: [{ id: 7, value: `${text} (changed)` }], attributes: [], removes: [], adds: [] }, timestamp: t0 + durationMs });
  return events;
}

/** The gzip of a value's JSON (or of a raw string), as the browser's CompressionStream makes it. */
export function gzipJson(value: unknown): Buffer {
  return gzipSync(typeof value === 'string' ? value : JSON.stringify(value));
}

/** A replay file field with an untyped blob, as the extension sends it. */
export const replayFile = (bytes: Uint8Array): FormField => ({ bytes, type: 'application/octet-stream', name: 'replay.json.gz' });

/** POSTs a multipart form to /api/replays. */
export function postReplay(base: string, fields: Record<string, FormField>, headers: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.append(key, value);
    else form.append(key, new Blob([new Uint8Array(value.bytes)], { type: value.type }), value.name ?? 'replay.json.gz');
  }
  return fetch(`${base}/api/replays`, { method: 'POST', body: form, headers });
}

/**
 * A zip bomb that is valid JSON as far as it goes: a good start, then an endless string of
 * `a` made of `members` gzip members of 64 MB each (~64 KB compressed apiece).
 */
export function replayBomb(members: number): Buffer {
  const head = JSON.stringify(replayEvents({ moves: 0 })).slice(0, -1) + ',{"type":3,"timestamp":1,"data":"';
  const filler = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x61), { level: 9 });
  return Buffer.concat([gzipSync(head), ...Array<Buffer>(members).fill(filler)]);
}
