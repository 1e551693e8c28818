import { describe, expect, it } from 'vitest';
import { parseFeedback } from '@/lib/api/schemas';
import { buildFeedback, createReport, type Draft } from '@/lib/feedback/send';
import { MessageError } from '@/lib/messaging/protocol';
import { PAGE } from '../fixtures';

const draft: Draft = {
  attachReplay: false,
  rating: 3,
  comment: '  Looks good  ',
  screenshots: [],
  page: PAGE,
};
const worker = { extensionVersion: '0.1.0', userAgent: 'test', browser: 'Chrome 156', os: 'Linux' };
const settings = { clientId: 'client_abc', environment: '', serverUrl: 'https://usero.io' };
const fields = (d: Draft, s: typeof settings) => ({ ...d, settings: s, metadata: {} });

describe('the feedback body', () => {
  it('omits environment when the setting is blank (never a placeholder) and email when not shared', () => {
    const body = buildFeedback(fields(draft, settings), undefined);
    expect(body).not.toHaveProperty('environment');
    expect(body).not.toHaveProperty('userEmail');
    expect(body).not.toHaveProperty('screenshots');
    expect(body).toMatchObject({ clientId: 'client_abc', rating: 3, comment: 'Looks good', pageUrl: 'https://example.com/a', pageTitle: 'A', referrer: 'https://example.com/' });
    expect(parseFeedback(body).ok).toBe(true);
  });

  it('carries the environment and the shared email when present', () => {
    const body = buildFeedback(fields({ ...draft, userEmail: ' a@b.co ' }, { ...settings, environment: 'staging' }), []);
    expect(body).toMatchObject({ environment: 'staging', userEmail: 'a@b.co' });
  });

  it('sends page and referrer URLs without the secrets in them', () => {
    const page = { ...draft.page, url: 'https://example.com/a?token=abc&tab=2', referrer: 'https://login.example.com/?code=xyz' };
    const body = buildFeedback(fields({ ...draft, page }, settings), undefined);
    expect(body).toMatchObject({ pageUrl: 'https://example.com/a?token=redacted&tab=2', referrer: 'https://login.example.com/?code=redacted' });
  });

  it('omits a blank comment so a rating alone is valid', () => {
    const body = buildFeedback(fields({ ...draft, comment: '   ' }, settings), undefined);
    expect(body).not.toHaveProperty('comment');
    expect(parseFeedback(body).ok).toBe(true);
  });
});

describe('an outbox report', () => {
  const id = '123e4567-e89b-42d3-a456-426614174000';

  it('holds the draft, the settings at send time, the metadata and the screenshot bytes', () => {
    const screenshots = [
      { dataUrl: 'data:image/png;base64,iVBORw0KGgo=', mode: 'element' as const, selector: '#buy > span' },
      { dataUrl: 'data:image/jpeg;base64,/9j/4A==', mode: 'full-page' as const, rendered: true, part: { index: 2, count: 2 } },
    ];
    const report = createReport({ ...draft, screenshots }, settings, worker, id, 1000);
    expect(report).toMatchObject({ id, revision: 0, state: 'queued', attempts: 0, nextAttemptAtMs: 1000, settings, rating: 3 });
    expect(report.metadata).toMatchObject({ browser: 'Chrome 156', os: 'Linux' });
    expect(report.metadata.screenshots).toEqual([
      { capture: 'element', selector: '#buy > span' },
      { capture: 'full-page', rendered: 'html2canvas', part: '2/2' },
    ]);
    expect(report.screenshots.map((shot) => [shot.type, shot.image.byteLength])).toEqual([['image/png', 8], ['image/jpeg', 4]]);
    expect(report.sizeBytes).toBeGreaterThan(12);
  });

  it('is refused before it is kept when the server would refuse it, naming the field', () => {
    const refuse = () => createReport({ ...draft, userEmail: 'not-an-email' }, settings, worker, id, 0);
    expect(refuse).toThrow(MessageError);
    expect(() => refuse()).toThrow('Invalid data provided');
    try {
      refuse();
    } catch (error) {
      expect((error as MessageError).issues).toEqual({ userEmail: ['Invalid email address'] });
    }
    expect(() => createReport(draft, { ...settings, clientId: '' }, worker, id, 0)).toThrow(MessageError);
  });
});
