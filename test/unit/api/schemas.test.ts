import { describe, expect, it } from 'vitest';
import {
  METADATA_MAX_BYTES,
  WIRE_ERRORS,
  clientIdSchema,
  jsonBytes,
  parseFeedback,
  screenshotRefSchema,
  type FieldIssues,
} from '../../../lib/api/schemas';

const base = { clientId: 'client_abc123' };

/** The issues of a failing parse; fails the test when the parse succeeded. */
function issuesOf(body: unknown): FieldIssues {
  const result = parseFeedback(body);
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  expect(result.error.error).toBe(WIRE_ERRORS.invalidData);
  return result.error.issues ?? {};
}

function valueOf(body: unknown) {
  const result = parseFeedback(body);
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.value;
}

const NEEDS = 'Provide a rating or a non-empty comment';

describe('clientId', () => {
  it('must start with client_', () => {
    expect(valueOf({ ...base, rating: 3 }).clientId).toBe('client_abc123');
    expect(issuesOf({ clientId: 'abc123', rating: 3 })).toEqual({ clientId: ['Client ID must start with "client_"'] });
    expect(issuesOf({ clientId: 'Client_abc', rating: 3 })).toHaveProperty('clientId');
    expect(clientIdSchema.safeParse('client_x').success).toBe(true);
  });

  it('is required and must be a string', () => {
    expect(Object.keys(issuesOf({ rating: 3 }))).toEqual(['clientId']);
    expect(Object.keys(issuesOf({ clientId: 42, rating: 3 }))).toEqual(['clientId']);
  });
});

describe('rating', () => {
  it.each([1, 2, 3, 4])('accepts %i', (rating) => {
    expect(valueOf({ ...base, rating }).rating).toBe(rating);
  });

  it.each([0, 5, -1, 100])('refuses %i as out of range', (rating) => {
    expect(issuesOf({ ...base, rating })).toEqual({ rating: ['Rating must be from 1 to 4'] });
  });

  it.each([2.5, '3', true, null])('refuses %j as not a whole number', (rating) => {
    expect(issuesOf({ ...base, rating, comment: 'words' })).toEqual({ rating: ['Rating must be a whole number from 1 to 4'] });
  });
});

describe('rating or comment', () => {
  it('accepts a comment without a rating, and both together', () => {
    expect(valueOf({ ...base, comment: 'Nice' }).comment).toBe('Nice');
    expect(valueOf({ ...base, rating: 1, comment: 'Broken' })).toMatchObject({ rating: 1, comment: 'Broken' });
  });

  it('accepts a rating with an empty comment', () => {
    expect(valueOf({ ...base, rating: 2, comment: '' })).toMatchObject({ rating: 2, comment: '' });
  });

  it.each([{}, { comment: '' }, { comment: '   \n\t' }])('refuses %j with the issue under both fields', (extra) => {
    expect(issuesOf({ ...base, ...extra })).toEqual({ rating: [NEEDS], comment: [NEEDS] });
  });

  it('refuses a comment that is not a string', () => {
    expect(issuesOf({ ...base, rating: 3, comment: 12 })).toHaveProperty('comment');
  });
});

describe('userEmail', () => {
  it('accepts a valid address', () => {
    expect(valueOf({ ...base, rating: 3, userEmail: 'ada@example.com' }).userEmail).toBe('ada@example.com');
  });

  it('treats "" as absent', () => {
    const value = valueOf({ ...base, rating: 3, userEmail: '' });
    expect(value).not.toHaveProperty('userEmail');
  });

  it.each(['not-an-email', 'a@', '@b.com', 'a b@c.com'])('refuses %j', (userEmail) => {
    expect(issuesOf({ ...base, rating: 3, userEmail })).toEqual({ userEmail: ['Invalid email address'] });
  });
});

describe('environment', () => {
  it('keeps a named environment', () => {
    expect(valueOf({ ...base, rating: 3, environment: 'staging' }).environment).toBe('staging');
  });

  it('drops "" (the default environment is the absence of one)', () => {
    expect(valueOf({ ...base, rating: 3, environment: '' })).not.toHaveProperty('environment');
  });
});

describe('screenshots', () => {
  const shot = { fileName: 'client_abc/1-x.png', url: 'https://h/files/client_abc/1-x.png', fileSize: 10, mimeType: 'image/png' };

  it('accepts upload results with and without dimensions', () => {
    const screenshots = [shot, { ...shot, width: 1280, height: 800 }];
    expect(valueOf({ ...base, rating: 3, screenshots }).screenshots).toEqual(screenshots);
  });

  it.each([
    ['missing fileName', { url: shot.url, fileSize: 1, mimeType: 'image/png' }],
    ['empty url', { ...shot, url: '' }],
    ['string fileSize', { ...shot, fileSize: '10' }],
    ['negative fileSize', { ...shot, fileSize: -1 }],
    ['missing mimeType', { fileName: shot.fileName, url: shot.url, fileSize: 1 }],
    ['string width', { ...shot, width: '1280' }],
  ])('refuses an entry with %s', (_label, entry) => {
    expect(Object.keys(issuesOf({ ...base, rating: 3, screenshots: [entry] }))).toEqual(['screenshots']);
    expect(screenshotRefSchema.safeParse(entry).success).toBe(false);
  });

  it('refuses a screenshots value that is not an array', () => {
    expect(Object.keys(issuesOf({ ...base, rating: 3, screenshots: shot }))).toEqual(['screenshots']);
  });
});

describe('metadata', () => {
  /** An object whose JSON is exactly `bytes` bytes: {"k":"xxx..."} has 8 bytes of framing. */
  const metadataOf = (bytes: number) => ({ k: 'x'.repeat(bytes - 8) });

  it('accepts an object of exactly 10 KB serialized', () => {
    const metadata = metadataOf(METADATA_MAX_BYTES);
    expect(jsonBytes(metadata)).toBe(10 * 1024);
    expect(valueOf({ ...base, rating: 3, metadata }).metadata).toEqual(metadata);
  });

  it('refuses one byte more with its own error and no issues', () => {
    const metadata = metadataOf(METADATA_MAX_BYTES + 1);
    expect(parseFeedback({ ...base, rating: 3, metadata })).toEqual({
      ok: false,
      error: { error: 'Metadata too large (max 10KB)' },
    });
  });

  it('counts UTF-8 bytes, not characters', () => {
    // 'é' is 2 bytes: 5,117 of them fill 10,234 bytes + 8 framing = 10,242 > 10,240.
    const metadata = { k: 'é'.repeat(5117) };
    expect(JSON.stringify(metadata).length).toBeLessThan(METADATA_MAX_BYTES);
    expect(parseFeedback({ ...base, rating: 3, metadata })).toMatchObject({ ok: false, error: { error: WIRE_ERRORS.metadataTooLarge } });
  });

  it.each([[[1, 2]], ['text'], [null], [42]])('refuses %j as not an object', (metadata) => {
    expect(Object.keys(issuesOf({ ...base, rating: 3, metadata }))).toEqual(['metadata']);
  });
});

describe('sessionReplayId and replayOffsetMs', () => {
  it('accepts ids of 1 and 128 characters', () => {
    expect(valueOf({ ...base, rating: 3, sessionReplayId: 'r' }).sessionReplayId).toBe('r');
    expect(valueOf({ ...base, rating: 3, sessionReplayId: 'r'.repeat(128) }).sessionReplayId).toHaveLength(128);
  });

  it.each(['', 'r'.repeat(129)])('refuses an id of %s.length characters', (sessionReplayId) => {
    expect(Object.keys(issuesOf({ ...base, rating: 3, sessionReplayId }))).toEqual(['sessionReplayId']);
  });

  it('accepts 0 and positive whole offsets', () => {
    expect(valueOf({ ...base, rating: 3, replayOffsetMs: 0 }).replayOffsetMs).toBe(0);
    expect(valueOf({ ...base, rating: 3, replayOffsetMs: 29_999 }).replayOffsetMs).toBe(29_999);
  });

  it('refuses a negative offset as negative and a fractional one as not whole', () => {
    expect(issuesOf({ ...base, rating: 3, replayOffsetMs: -1 })).toEqual({ replayOffsetMs: ['replayOffsetMs must be 0 or more'] });
    expect(issuesOf({ ...base, rating: 3, replayOffsetMs: 1.5 })).toEqual({ replayOffsetMs: ['replayOffsetMs must be a whole number'] });
    expect(Object.keys(issuesOf({ ...base, rating: 3, replayOffsetMs: '10' }))).toEqual(['replayOffsetMs']);
  });
});

describe('the body as a whole', () => {
  it('strips unknown keys', () => {
    const value = valueOf({ ...base, rating: 3, isAdmin: true, state: 'done', id: 'fb_forged' });
    expect(value).toEqual({ ...base, rating: 3 });
  });

  it('keeps the optional text fields as sent', () => {
    const text = { pageUrl: 'https://a.com/x', pageTitle: 'A', referrer: 'https://b.com/' };
    expect(valueOf({ ...base, rating: 3, ...text })).toEqual({ ...base, rating: 3, ...text });
  });

  it('reports several failing fields at once, one key each', () => {
    const issues = issuesOf({
      clientId: 'nope',
      rating: 9,
      userEmail: 'bad',
      screenshots: 'x',
      metadata: [],
      sessionReplayId: '',
      replayOffsetMs: -3,
    });
    expect(Object.keys(issues).sort()).toEqual(
      ['clientId', 'metadata', 'rating', 'replayOffsetMs', 'screenshots', 'sessionReplayId', 'userEmail'].sort(),
    );
    for (const messages of Object.values(issues)) expect(messages.length).toBeGreaterThan(0);
  });

  it.each([null, [], 'text', 42])('refuses %j as a body with a single body issue', (body) => {
    expect(issuesOf(body)).toEqual({ body: ['Body must be a JSON object'] });
  });
});

describe('issue messages', () => {
  it('name what was expected and where, never a bare "Invalid input"', () => {
    const issues = issuesOf({ pageUrl: 4, metadata: [], sessionReplayId: '', screenshots: [{ url: 'u' }], rating: 2 });
    expect(issues).toEqual({
      clientId: ['Required'],
      pageUrl: ['Expected a string'],
      metadata: ['Expected an object'],
      sessionReplayId: ['Must not be empty'],
      screenshots: ['0.fileName: Required', '0.fileSize: Required', '0.mimeType: Required'],
    });
    expect(issuesOf({ ...base, rating: 2, sessionReplayId: 'x'.repeat(129) })).toEqual({
      sessionReplayId: ['Must be at most 128 characters'],
    });
  });
});
