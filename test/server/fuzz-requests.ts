/**
 * fast-check arbitraries for bad ingest requests. Every request they make must be refused:
 * a client id is unknown, malformed or missing, or names the one client whose allowlist
 * no generated Origin, pageUrl or Referer can satisfy.
 */
import fc from 'fast-check';
import { pngBytes } from './helpers.ts';

/** One generated request, ready for fetch. */
export interface FuzzRequest {
  path: '/api/feedback' | '/api/screenshots' | '/api/replays';
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/** The only origin the fuzzed client accepts; nothing below can produce it. */
export const ALLOWED_ORIGIN = 'https://allowed.example';

const FEEDBACK_FIELDS = [
  'clientId', 'rating', 'comment', 'userEmail', 'pageUrl', 'pageTitle', 'referrer', 'environment',
  'screenshots', 'metadata', 'sessionReplayId', 'replayOffsetMs',
];
/** Built-in property names: on a plain object each finds a prototype member, never an empty slot. */
export const POLLUTING_KEYS = [
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf',
  'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__',
];

// Characters fetch (undici) lets into a header value: tab, visible ASCII, space, Latin-1.
// Other control characters never reach the app: Node's HTTP parser refuses them first.
const headerChar = fc
  .oneof(fc.constant(0x09), fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }))
  .map((c) => String.fromCharCode(c));

/** Strings that break naive code: empty, binary, lone surrogates, bidi, huge, path- and HTML-like. */
export const oddString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '\udfff\ud800', '\u202e\u0041', '🙂'.repeat(50), '%00', '../../etc/passwd', '<script>alert(1)</script>', 'a'.repeat(5000)),
);

const jsonish = fc.jsonValue({ maxDepth: 4 });
const deepNest = fc.integer({ min: 1_000, max: 200_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth));

/** Header sets: odd types, origins that are never allowed, and odd Idempotency-Keys. */
export function headersArb(contentTypes: fc.Arbitrary<string | undefined>): fc.Arbitrary<Record<string, string>> {
  const origin = fc.constantFrom(undefined, 'null', 'https://evil.example', 'http://allowed.example', 'https://allowed.example.evil.com', 'chrome-extension://abcdefghijklmnop', 'moz-extension://x', 'not a url', 'https://allowed.example:444', 'javascript:alert(1)');
  const referer = fc.constantFrom(undefined, '', 'https://evil.example/page', 'file:///etc/passwd', '::::', 'http://[::1]/');
  // Mostly absent or valid, so that most requests get past the key check to the body.
  const key = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 4 },
    { arbitrary: fc.uuid(), weight: 3 },
    { arbitrary: fc.constantFrom('', ' ', 'two words', 'k'.repeat(256), '~'.repeat(255), 'caf\u00e9', 'a\tb', '"', '{}'), weight: 1 },
    { arbitrary: fc.string({ unit: headerChar, maxLength: 300 }), weight: 1 },
  );
  return fc.record({ 'Content-Type': contentTypes, Origin: origin, Referer: referer, 'Idempotency-Key': key }).map((headers) => {
    const set: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) set[name] = value;
    return set;
  });
}

/** Feedback bodies: broken JSON, wrong shapes, polluting keys, odd and huge strings, deep nesting. */
function feedbackBody(clientIds: fc.Arbitrary<unknown>): fc.Arbitrary<string | Uint8Array> {
  const field = fc.constantFrom(...FEEDBACK_FIELDS, ...POLLUTING_KEYS);
  const garbageObject = fc.dictionary(field, fc.oneof(jsonish, oddString), { maxKeys: 8 });
  const nearlyValid = fc
    .record({ clientId: clientIds, rating: fc.oneof(fc.integer({ min: -5, max: 9 }), fc.double(), jsonish), comment: fc.option(oddString), extra: garbageObject })
    .map(({ extra, ...fields }) => ({ ...fields, ...extra }));
  return fc.oneof(
    oddString,
    fc.uint8Array({ maxLength: 512 }),
    jsonish.map((v) => JSON.stringify(v)),
    garbageObject.map((o) => JSON.stringify(o)),
    nearlyValid.map((o) => JSON.stringify(o)),
    nearlyValid.map((o) => JSON.stringify(o).slice(0, -1)),
    fc.record({ clientId: clientIds, metadataJson: deepNest }).map(({ clientId, metadataJson }) => `{"clientId":${JSON.stringify(clientId)},"rating":3,"metadata":{"deep":${metadataJson}}}`),
    fc.record({ clientId: clientIds, key: fc.constantFrom(...POLLUTING_KEYS) }).map(({ clientId, key }) => `{"clientId":${JSON.stringify(clientId)},"rating":2,"${key}":{"polluted":true},"metadata":{"${key}":{"isAdmin":true}}}`),
    fc.record({ clientId: clientIds, sizeBytes: fc.constantFrom(11 * 1024, 300 * 1024, 1024 * 1024 + 1) }).map(({ clientId, sizeBytes }) => JSON.stringify({ clientId, comment: 'x'.repeat(sizeBytes), metadata: { blob: 'y'.repeat(sizeBytes) } })),
  );
}

/** One part of a multipart body. */
export interface Part {
  name: string;
  filename?: string;
  type?: string;
  content: Uint8Array;
}

/** How a multipart body is framed; `declaredBoundary` is what the Content-Type header will say. */
export interface Framing {
  boundary: string;
  declaredBoundary: 'same' | 'other' | 'none';
  closing: string;
  crlf: string;
}

/** Encodes parts with the given (possibly broken) framing. */
export function encodeMultipart(parts: Part[], framing: Framing): { body: Uint8Array; boundary: string } {
  const { boundary, declaredBoundary, closing, crlf } = framing;
  const chunks: Uint8Array[] = [];
  const text = (s: string) => chunks.push(new TextEncoder().encode(s));
  for (const part of parts) {
    const filename = part.filename === undefined ? '' : `; filename="${part.filename}"`;
    text(`--${boundary}${crlf}Content-Disposition: form-data; name="${part.name}"${filename}${crlf}`);
    if (part.type !== undefined) text(`Content-Type: ${part.type}${crlf}`);
    text(crlf);
    chunks.push(part.content);
    text(crlf);
  }
  text(`--${boundary}${closing}`);
  const declared = declaredBoundary === 'same' ? boundary : declaredBoundary === 'other' ? 'mismatch' : '';
  return { body: Buffer.concat(chunks), boundary: declared };
}

const validPng = pngBytes(8, 6);

/** Multipart bodies: odd parts and files (non-image bytes, truncated or mislabelled images). */
function multipartBody(clientIds: fc.Arbitrary<unknown>): fc.Arbitrary<{ body: Uint8Array; boundary: string }> {
  const content = fc.oneof(
    fc.uint8Array({ maxLength: 2048 }),
    fc.constant(validPng),
    fc.integer({ min: 1, max: validPng.length - 1 }).map((n) => validPng.subarray(0, n)),
    fc.constant(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')),
    fc.constant(new TextEncoder().encode('GIF89a')),
    fc.constant(new Uint8Array(0)),
  );
  const filePart = fc.record({
    name: fc.constantFrom('screenshot', 'screenshot', 'Screenshot', 'file', '__proto__', 'screenshot[]'),
    filename: fc.option(fc.constantFrom('a.png', '../../x.png', '', 'a\u00e9.png', '"quoted".png'), { nil: undefined }),
    type: fc.option(fc.constantFrom('image/png', 'image/svg+xml', 'image/', 'text/html', 'application/octet-stream', 'IMAGE/PNG', ''), { nil: undefined }),
    content,
  });
  const textPart = fc.record({
    name: fc.constantFrom('clientId', 'clientId', 'pageUrl', 'constructor', 'x'),
    content: fc.oneof(clientIds.map((id) => String(id)), oddString).map((s) => new TextEncoder().encode(s)),
  });
  // Half the forms carry both expected parts, so the bytes and the client checks get reached.
  const expectedParts = fc
    .record({
      clientId: clientIds.map((id) => new TextEncoder().encode(String(id))),
      file: fc.record({
        type: fc.constantFrom('image/png', 'image/jpeg', 'image/svg+xml', 'text/html', 'IMAGE/PNG', 'image/'),
        filename: fc.constantFrom('shot.png', '../../x.png', 'a\u00e9.png'),
        content,
      }).map((file): Part => ({ ...file, name: 'screenshot' })),
      extra: fc.array(textPart as fc.Arbitrary<Part>, { maxLength: 2 }),
      fileFirst: fc.boolean(),
    })
    .map(({ clientId, file, extra, fileFirst }): Part[] => {
      const idPart: Part = { name: 'clientId', content: clientId };
      return [...(fileFirst ? [file, idPart] : [idPart, file]), ...extra];
    });
  const messy = fc.record({
    boundary: fc.constantFrom('b0undary', 'x', '----WebKitFormBoundary7MA4YWxkTrZu0gW'),
    declaredBoundary: fc.constantFrom('same' as const, 'other' as const, 'none' as const),
    parts: fc.array(fc.oneof(filePart, textPart as fc.Arbitrary<Part>), { maxLength: 4 }),
    closing: fc.constantFrom('--\r\n', '', '--', '\r\n'),
    crlf: fc.constantFrom('\r\n', '\n'),
  });
  // Well-framed forms with both expected parts, so the bytes, client and origin checks get reached.
  const clean = fc.record({
    boundary: fc.constantFrom('b0undary', '----WebKitFormBoundary7MA4YWxkTrZu0gW'),
    declaredBoundary: fc.constant('same' as const),
    parts: expectedParts,
    closing: fc.constant('--\r\n'),
    crlf: fc.constant('\r\n'),
  });
  return fc.oneof({ arbitrary: messy, weight: 1 }, { arbitrary: clean, weight: 2 }).map(({ parts, ...framing }) => encodeMultipart(parts, framing));
}

/** Any bad ingest request, for either route. `clientIds` mixes the fuzzed client's id with bad ones. */
export function badRequests(realClientId: string): fc.Arbitrary<FuzzRequest> {
  const clientIds = fc.oneof(
    fc.constant(realClientId),
    fc.constantFrom('client_doesnotexist000000', 'client_', '', `${realClientId}/../x`, realClientId.toUpperCase()),
    jsonish,
    oddString,
  );
  const feedback = fc
    .record({
      headers: headersArb(fc.constantFrom(undefined, 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', '*/*')),
      body: feedbackBody(clientIds),
    })
    .map(({ headers, body }): FuzzRequest => ({ path: '/api/feedback', headers, body }));
  const multipart = fc
    .record({ headers: headersArb(fc.constant(undefined)), form: multipartBody(clientIds) })
    .map(({ headers, form }): FuzzRequest => ({
      path: '/api/screenshots',
      headers: { ...headers, 'Content-Type': form.boundary ? `multipart/form-data; boundary=${form.boundary}` : 'multipart/form-data' },
      body: form.body,
    }));
  const otherScreenshot = fc
    .record({
      headers: headersArb(fc.constantFrom(undefined, 'application/json', 'image/png', 'application/x-www-form-urlencoded', 'multipart/mixed; boundary=x', 'text/plain')),
      body: fc.oneof(oddString, fc.uint8Array({ maxLength: 1024 }), fc.constant(validPng), fc.constant(`clientId=${realClientId}&screenshot=abc`)),
    })
    .map(({ headers, body }): FuzzRequest => ({ path: '/api/screenshots', headers, body }));
  return fc.oneof({ arbitrary: feedback, weight: 5 }, { arbitrary: multipart, weight: 4 }, { arbitrary: otherScreenshot, weight: 1 });
}
