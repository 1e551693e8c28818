import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createReplayScanner } from '../../server/replay-scan.ts';

/** The same facts the way JSON.parse would give them: the reference the scanner must match. */
function reference(text: string) {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { syntaxError: true };
  }
  if (!Array.isArray(value)) return { syntaxError: false, isArray: false };
  const isEvent = (e: unknown): e is { type: number; timestamp: number } => {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return false;
    const { type, timestamp } = e as Record<string, unknown>;
    return typeof type === 'number' && Number.isFinite(type) && typeof timestamp === 'number' && Number.isFinite(timestamp) && Math.abs(timestamp) <= 8.64e15;
  };
  const bad = value.findIndex((e) => !isEvent(e));
  return {
    syntaxError: false,
    isArray: true,
    eventCount: value.length,
    firstBadEvent: bad === -1 ? undefined : bad,
    ...(bad === -1 ? { leadingTypes: value.slice(0, 2).map((e) => e.type), firstTimestamp: value[0]?.timestamp, lastTimestamp: value.at(-1)?.timestamp } : {}),
  };
}

/** Scans `text` in chunks of the given sizes (cycled), as the inflater would hand it over. */
function scan(text: string, chunkSizes: number[]) {
  const scanner = createReplayScanner();
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    const size = chunkSizes[i % chunkSizes.length]!;
    scanner.write(text.slice(at, at + size));
    at += size;
  }
  const result = scanner.end();
  if (result.syntaxError) return { syntaxError: true };
  if (!result.isArray) return { syntaxError: false, isArray: false };
  const { leadingTypes, firstTimestamp, lastTimestamp, ...rest } = result;
  return { ...rest, ...(result.firstBadEvent === undefined ? { leadingTypes, firstTimestamp, lastTimestamp } : {}) };
}

const event = fc.record(
  {
    type: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.double(), fc.string(), fc.constant(null)),
    timestamp: fc.oneof(fc.integer({ min: 0, max: 2e12 }), fc.double({ min: -1e16, max: 1e16 }), fc.constant('1'), fc.constant(1e400)),
    // Any UTF-16 in strings: lone surrogates, U+2028, control characters JSON must escape.
    data: fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }),
  },
  { requiredKeys: [] },
);
const documents = fc.oneof(
  fc.array(fc.oneof({ arbitrary: event, weight: 4 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 }), { maxLength: 6 }).map((a) => JSON.stringify(a, null, 1)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
);
// Breaks valid text the way a buggy recorder or an attacker would: cut, splice, swap a byte.
const mutated = fc
  .record({ text: documents, at: fc.nat(), cut: fc.nat({ max: 4 }), insert: fc.constantFrom('', ',', ']', '}', '"', '\\', '\n', '\u0001', 'x', '-', '.', 'e', '0', 'tru', '{"type":') })
  .map(({ text, at, cut, insert }) => {
    const i = text.length === 0 ? 0 : at % text.length;
    return text.slice(0, i) + insert + text.slice(i + cut);
  });
const chunkSizes = fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 4 });

describe('the streaming replay scanner', () => {
  it('agrees with JSON.parse on valid and broken documents, however they are chunked', () => {
    fc.assert(
      fc.property(fc.oneof(documents, mutated), chunkSizes, (text, sizes) => {
        expect(scan(text, sizes)).toEqual(reference(text));
      }),
      { seed: 4_242, numRuns: 3_000 },
    );
  });

  it.each([
    ['escaped keys count as the key they spell', '[{"t\\u0079pe":4,"timestamp":1},{"type":2,"times\\u0074amp":2}]'],
    ['the last of duplicate keys wins', '[{"type":"x","type":4,"timestamp":1},{"type":2,"timestamp":5,"timestamp":"no"}]'],
    ['nested type and timestamp do not count', '[{"data":{"type":4,"timestamp":1}}]'],
    ['a number ending the document', '12'],
    ['leading zeros', '[01]'],
    ['a lone minus', '[-]'],
    ['whitespace around everything', ' \n[ {"type" : 4 , "timestamp" : 1e3 } ]\t'],
    ['trailing commas', '[{"type":4,"timestamp":1,}]'],
    ['two top-level values', '[] []'],
    ['an empty document', ''],
  ])('%s', (_name, text) => {
    expect(scan(text, [3])).toEqual(reference(text));
    expect(scan(text, [1000])).toEqual(reference(text));
  });

  it('stops at the first element past maxEvents, reading no further', () => {
    const scanner = createReplayScanner({ maxEvents: 3 });
    expect(scanner.write('[{"type":4,"timestamp":1},{"type":2,"timestamp":2},{"type":3,"timestamp":3}')).toBe(true);
    expect(scanner.write(',{"type":3,"timestamp":4}')).toBe(false);
    expect(scanner.end().eventCount).toBe(4);
    const atLimit = createReplayScanner({ maxEvents: 2 });
    atLimit.write('[{"type":4,"timestamp":1},{"type":2,"timestamp":2}]');
    expect(atLimit.end()).toMatchObject({ syntaxError: false, eventCount: 2 });
  });
});
