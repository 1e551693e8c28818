import { describe, expect, it } from 'vitest';
import { redactUrl } from '@/lib/feedback/redact';

describe('redactUrl', () => {
  it.each([
    ['https://app.example.com/reset?token=abc123&step=2', 'https://app.example.com/reset?token=redacted&step=2'],
    ['https://x.com/cb?code=OAUTHCODE&state=s', 'https://x.com/cb?code=redacted&state=s'],
    ['https://x.com/?api_key=k&apiKey=k2&password=p&X-Amz-Signature=s', 'https://x.com/?api_key=redacted&apiKey=redacted&password=redacted&X-Amz-Signature=redacted'],
    ['https://user:pw@x.com/a', 'https://x.com/a'],
    ['https://x.com/#access_token=t&token_type=bearer', 'https://x.com/#access_token=redacted&token_type=redacted'],
  ])('removes the secret from %s', (raw, redacted) => {
    expect(redactUrl(raw)).toBe(redacted);
  });

  it.each([
    'https://shop.example.com/search?q=tokens&page=2',
    'https://x.com/#section-2',
    'https://x.com/a?token=',
    'not a url',
    '',
  ])('leaves %j exactly as it was', (raw) => {
    expect(redactUrl(raw)).toBe(raw);
  });
});
