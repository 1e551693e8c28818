/**
 * fast-check arbitraries for bad POST /api/replays requests. Every one must be refused: the
 * replay goes to an unknown or malformed client, to the client whose allowlist nothing
 * here satisfies, or to a client without an allowlist with contents broken by construction
 * (so that the gzip, JSON and event checks are reached, not just the client lookup).
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { encodeMultipart, headersArb, oddString, type FuzzRequest, type Part } from './fuzz-requests.ts';
import { replayEvents } from './replay-fixtures.ts';

const encode = (s: string) => new TextEncoder().encode(s);
const gzip = (s: string | Uint8Array) => new Uint8Array(gzipSync(s));
const validEvents = replayEvents({ moves: 2 }) as Record<string, unknown>[];

/** Values that are not an rrweb event. */
const notAnEvent = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
  fc.constantFrom<unknown>(
    { type: 3 }, { timestamp: 1 }, { type: '3', timestamp: 1 }, { type: 3, timestamp: '1' },
    { type: null, timestamp: 1 }, { type: 3, timestamp: 1e300 }, { type: 3, timestamp: [1] }, {},
  ),
);

/** JSON text that is not a valid replay, each broken in one definite way. */
const brokenJson = fc.oneof(
  fc.record({ at: fc.nat(), bad: notAnEvent }).map(({ at, bad }) => {
    const events: unknown[] = [...validEvents];
    events.splice(at % (events.length + 1), 0, bad);
    return JSON.stringify(events);
  }),
  fc.constantFrom(
    JSON.stringify([validEvents[1], validEvents[0], ...validEvents.slice(2)]), // FullSnapshot first
    JSON.stringify(validEvents.slice(1)), // no Meta
    JSON.stringify([validEvents[0], ...validEvents.slice(2)]), // no FullSnapshot
    JSON.stringify([validEvents[0]]),
    '[]',
    JSON.stringify({ events: validEvents }),
    `${JSON.stringify(validEvents)} x`,
    `${JSON.stringify(validEvents)}]`,
    '',
  ),
  fc.nat().map((n) => {
    const text = JSON.stringify(validEvents);
    return text.slice(0, n % text.length); // always cut before the closing bracket
  }),
  fc.jsonValue({ maxDepth: 3 }).filter((v) => !Array.isArray(v) || v.length < 2).map((v) => JSON.stringify(v)),
  oddString,
);

/** Replay file contents that must be refused. */
const brokenFile: fc.Arbitrary<Uint8Array> = fc.oneof(
  { arbitrary: brokenJson.map((text) => gzip(text)), weight: 4 },
  brokenJson.map(encode), // not gzip at all
  fc.uint8Array({ maxLength: 1024 }),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => gzip(bytes)).filter((g) => g.length > 0),
  // Valid events, broken gzip: cut anywhere before the end, or a wrong checksum.
  fc.nat().map((n) => {
    const whole = gzip(JSON.stringify(validEvents));
    return whole.subarray(0, n % whole.length);
  }),
  fc.integer({ min: 1, max: 8 }).map((fromEnd) => {
    const bytes = gzip(JSON.stringify(validEvents));
    bytes[bytes.length - fromEnd]! ^= 0x55;
    return bytes;
  }),
  fc.constant(new Uint8Array([0x1f, 0x8b, 0x08])),
  fc.constant(gzip(new Uint8Array([0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d]))), // invalid UTF-8
);

/** Bad replay uploads. `lockedClientId` has an allowlist nothing here passes; `openClientId` has none. */
export function badReplayRequests(lockedClientId: string, openClientId: string): fc.Arbitrary<FuzzRequest> {
  const validFile = gzip(JSON.stringify(validEvents));
  const otherIds = fc.oneof(fc.constantFrom('client_doesnotexist000000', 'client_', '', `${openClientId}/../x`, openClientId.toUpperCase()), oddString);
  // Who gets which file: only the locked client (and ids that name no client) may get a valid one.
  const target = fc.oneof(
    { arbitrary: fc.record({ clientId: fc.constant(openClientId), file: brokenFile }), weight: 2 },
    { arbitrary: fc.record({ clientId: fc.oneof(fc.constant(lockedClientId), otherIds), file: fc.oneof(brokenFile, fc.constant(validFile)) }), weight: 1 },
  );
  const parts = fc
    .record({
      target,
      fileName: fc.oneof({ arbitrary: fc.constant('replay'), weight: 8 }, { arbitrary: fc.constantFrom('Replay', 'file', '__proto__'), weight: 1 }),
      type: fc.option(fc.constantFrom('application/gzip', 'application/octet-stream', 'application/json', 'text/html', ''), { nil: undefined }),
      filename: fc.constantFrom('replay.json.gz', '../../x.json.gz', 'a\u00e9.gz'),
      pageUrl: fc.option(fc.constantFrom('https://evil.example/', 'https://allowed.example.evil.com/', 'javascript:alert(1)', ''), { nil: undefined }),
      idFirst: fc.boolean(),
      withId: fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, { arbitrary: fc.constant(false), weight: 1 }),
    })
    .map(({ target, fileName, type, filename, pageUrl, idFirst, withId }): Part[] => {
      const filePart: Part = { name: fileName, filename, type, content: target.file };
      const idPart: Part = { name: 'clientId', content: encode(String(target.clientId)) };
      const extra: Part[] = pageUrl === undefined ? [] : [{ name: 'pageUrl', content: encode(pageUrl) }];
      const head = withId ? (idFirst ? [idPart, filePart] : [filePart, idPart]) : [filePart];
      return [...head, ...extra];
    });
  const framing = fc.oneof(
    { arbitrary: fc.constant({ boundary: 'r3play', declaredBoundary: 'same' as const, closing: '--\r\n', crlf: '\r\n' }), weight: 5 },
    {
      arbitrary: fc.record({
        boundary: fc.constantFrom('x', '----WebKitFormBoundary7MA4YWxkTrZu0gW'),
        declaredBoundary: fc.constantFrom('same' as const, 'other' as const, 'none' as const),
        closing: fc.constantFrom('--\r\n', '', '--'),
        crlf: fc.constantFrom('\r\n', '\n'),
      }),
      weight: 1,
    },
  );
  return fc.record({ headers: headersArb(fc.constant(undefined)), parts, framing }).map(({ headers, parts, framing }): FuzzRequest => {
    const { body, boundary } = encodeMultipart(parts, framing);
    return {
      path: '/api/replays',
      headers: { ...headers, 'Content-Type': boundary ? `multipart/form-data; boundary=${boundary}` : 'multipart/form-data' },
      body,
    };
  });
}
