import { describe, expect, it } from 'vitest';
import { parseFeedback } from '@/lib/api/schemas';
import { buildFeedback, dataUrlToBlob, type Draft } from '@/lib/feedback/send';
import { PAGE } from '../fixtures';

const draft: Draft = {
  rating: 3,
  comment: '  Looks good  ',
  screenshots: [],
  page: PAGE,
};
const worker = { extensionVersion: '0.1.0', userAgent: 'test', browser: 'Chrome 156', os: 'Linux' };
const settings = { clientId: 'client_abc', environment: '', serverUrl: 'https://usero.io' };

describe('the feedback body', () => {
  it('omits environment when the setting is blank (never a placeholder) and email when not shared', () => {
    const body = buildFeedback(draft, settings, worker, undefined);
    expect(body).not.toHaveProperty('environment');
    expect(body).not.toHaveProperty('userEmail');
    expect(body).not.toHaveProperty('screenshots');
    expect(body).toMatchObject({ clientId: 'client_abc', rating: 3, comment: 'Looks good', pageUrl: 'https://example.com/a', pageTitle: 'A', referrer: 'https://example.com/' });
    expect(parseFeedback(body).ok).toBe(true);
  });

  it('carries the environment and the shared email when present', () => {
    const body = buildFeedback({ ...draft, userEmail: ' a@b.co ' }, { ...settings, environment: 'staging' }, worker, []);
    expect(body).toMatchObject({ environment: 'staging', userEmail: 'a@b.co' });
  });

  it('sends page and referrer URLs without the secrets in them', () => {
    const page = { ...draft.page, url: 'https://example.com/a?token=abc&tab=2', referrer: 'https://login.example.com/?code=xyz' };
    const body = buildFeedback({ ...draft, page }, settings, worker, undefined);
    expect(body).toMatchObject({ pageUrl: 'https://example.com/a?token=redacted&tab=2', referrer: 'https://login.example.com/?code=redacted' });
  });

  it('omits a blank comment so a rating alone is valid', () => {
    const body = buildFeedback({ ...draft, comment: '   ' }, settings, worker, undefined);
    expect(body).not.toHaveProperty('comment');
    expect(parseFeedback(body).ok).toBe(true);
  });

  it('decodes a PNG data URL into a Blob of the same bytes', async () => {
    const blob = dataUrlToBlob('data:image/png;base64,iVBORw0KGgo=');
    expect(blob.type).toBe('image/png');
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });
});
