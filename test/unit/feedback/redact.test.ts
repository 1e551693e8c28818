import { describe, expect, it } from 'vitest';
import { redactText, redactUrl } from '@/lib/feedback/redact';

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

describe('redactText', () => {
  it.each([
    ['fetch failed: token=abc123&x=1', 'fetch failed: token=redacted&x=1'],
    ['{"password":"hunter2","user":"ann"}', '{"password":"redacted","user":"ann"}'],
    ["Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig", 'Authorization: redacted'],
    ['sent with bearer eyJhbGciOiJIUzI1NiJ9', 'sent with bearer redacted'],
    ['api_key: k-123, apiKey=k2 sessionid=s1', 'api_key: redacted, apiKey=redacted sessionid=redacted'],
    ['GET https://ann:pw@api.example.com/a?client_secret=s#x', 'GET https://api.example.com/a?client_secret=redacted#x'],
  ])('removes the secret from %j', (raw, redacted) => {
    expect(redactText(raw)).toBe(redacted);
  });

  it.each(['Invalid token provided', 'keyboard shortcut pressed', 'https://shop.example.com/search?q=tokens', ''])(
    'leaves %j as it was',
    (raw) => {
      expect(redactText(raw)).toBe(raw);
    },
  );
});
