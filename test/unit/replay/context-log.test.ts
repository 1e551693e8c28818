import { describe, expect, it } from 'vitest';
import { jsonBytes, METADATA_MAX_BYTES } from '@/lib/api/schemas';
import { buildMetadata, describeUserAgent } from '@/lib/feedback/metadata';
import {
  CONTEXT_LIST_MAX,
  CONTEXT_MAX_BYTES,
  CONTEXT_TEXT_MAX_CHARS,
  createContextLog,
  URL_REMOVED,
  replayEventOf,
  sanitizeEntry,
  type ContextEntry,
} from '@/lib/replay/context-log';
import { PAGE_DATA_MAX_BYTES } from '@/lib/replay/page-data';
import { PAGE } from '../fixtures';

const BASE = 'https://shop.example/cart';
const NOW = 1_700_000_000_000;
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const WORKER = { extensionVersion: '1.0.0', userAgent: UA, ...describeUserAgent(UA) };

const clean = (raw: object) => sanitizeEntry(raw, BASE, NOW);

describe('what the recorder keeps of an entry', () => {
  it('never keeps the values of secret-looking keys, in URLs or in logged text', () => {
    const request = clean({
      kind: 'request',
      method: 'get',
      url: 'https://user:pw@api.shop.example/orders?token=abc123&page=2&api_key=k#session=s1',
      status: 404,
      durationMs: 12.4,
      atMs: NOW - 5,
    });
    expect(request).toEqual({
      kind: 'request',
      method: 'GET',
      url: 'https://api.shop.example/orders?token=redacted&page=2&api_key=redacted#session=redacted',
      status: 404,
      durationMs: 12,
      atMs: NOW - 5,
    });
    const logged = clean({
      kind: 'error',
      source: 'console',
      message: 'login failed token=abc123 {"password":"hunter2"} Authorization: Bearer eyJhbGciOi.x.y secret: s3cr3t key=K1',
      stack: 'Error: x\n    at https://cdn.shop.example/app.js?sessionid=SID42:1:2',
      atMs: NOW,
    });
    const text = JSON.stringify(logged);
    for (const secret of ['abc123', 'hunter2', 'eyJhbGciOi', 's3cr3t', 'K1', 'SID42']) expect(text).not.toContain(secret);
    expect(logged).toMatchObject({ message: expect.stringContaining('token=redacted') });
  });

  it('resolves relative URLs, drops user info, and clips every string', () => {
    expect(clean({ kind: 'navigation', url: '/checkout?step=2', via: 'push', atMs: NOW })).toEqual({
      kind: 'navigation',
      url: 'https://shop.example/checkout?step=2',
      via: 'push',
      atMs: NOW,
    });
    const long = clean({ kind: 'warning', message: 'x'.repeat(1_000_000), stack: 'y'.repeat(5000), atMs: NOW })!;
    expect(long.kind === 'warning' && [long.message.length, long.stack!.length]).toEqual([CONTEXT_TEXT_MAX_CHARS, CONTEXT_TEXT_MAX_CHARS]);
  });

  it.each([
    ['no kind', { message: 'x' }],
    ['an unknown kind', { kind: 'cookie', value: 'x' }],
    ['an unknown error source', { kind: 'error', source: 'headers', message: 'x' }],
    ['a request without a status', { kind: 'request', method: 'GET', url: '/a', durationMs: 1 }],
    ['a navigation to nowhere', { kind: 'navigation', url: 'http://[', via: 'push' }],
    ['a navigation of an unknown kind', { kind: 'navigation', url: '/a', via: 'teleport' }],
  ])('refuses %s (the page can post anything)', (_name, raw) => {
    expect(clean(raw)).toBeUndefined();
  });

  it('takes a time to come as now', () => {
    expect(clean({ kind: 'warning', message: 'w', atMs: NOW + 60_000 })).toMatchObject({ atMs: NOW });
  });

  it('becomes a documented rrweb custom event', () => {
    const error = clean({ kind: 'error', source: 'exception', message: 'boom', stack: 'at x', atMs: NOW })!;
    expect(replayEventOf(error)).toEqual({
      tag: 'loupe.console',
      payload: { level: 'error', source: 'exception', message: 'boom', stack: 'at x', atMs: NOW, reportedBy: 'page' },
    });
    expect(replayEventOf(clean({ kind: 'warning', message: 'w', atMs: NOW })!)).toEqual({
      tag: 'loupe.console',
      payload: { level: 'warn', message: 'w', atMs: NOW, reportedBy: 'page' },
    });
    expect(replayEventOf(clean({ kind: 'request', method: 'POST', url: '/a', status: 0, durationMs: 3, atMs: NOW })!).tag).toBe('loupe.network');
    expect(replayEventOf(clean({ kind: 'navigation', url: '/a', via: 'hash', atMs: NOW })!).tag).toBe('loupe.navigation');
  });
});

describe('the context summary', () => {
  const consoleError = (i: number): ContextEntry => ({
    kind: 'error',
    source: 'console',
    message: `error ${i} ${'x'.repeat(400)}`.slice(0, CONTEXT_TEXT_MAX_CHARS),
    stack: `Error: ${i}\n${'    at f (https://shop.example/app.js:1:1)\n'.repeat(20)}`.slice(0, CONTEXT_TEXT_MAX_CHARS),
    atMs: NOW - 10_000 + i,
  });

  it('after 10,000 console errors: holds the newest, counts them all, and keeps metadata under 10 KB', () => {
    const log = createContextLog();
    for (let i = 0; i < 10_000; i++) log.add(consoleError(i));
    for (let i = 0; i < 30; i++) log.add({ kind: 'request', method: 'GET', url: `https://shop.example/api/${i}?${'q'.repeat(200)}`, status: 500, durationMs: 4, atMs: NOW - 100 + i });
    for (let i = 0; i < 30; i++) log.add({ kind: 'navigation', url: `https://shop.example/p/${i}/${'n'.repeat(250)}`, via: 'push', atMs: NOW - 100 + i });
    const summary = log.summary(NOW - 30_000, NOW);

    expect(jsonBytes(summary)).toBeLessThanOrEqual(CONTEXT_MAX_BYTES);
    expect(summary.totals).toEqual({ errors: 10_000, warnings: 0, requests: 30, navigations: 30 });
    expect(summary.errors.length).toBeGreaterThan(0);
    expect(summary.errors.length).toBeLessThanOrEqual(CONTEXT_LIST_MAX);
    // The newest of each kind, oldest first; a flood of errors leaves room for the other kinds.
    expect(summary.errors.at(-1)!.message).toMatch(/^error 9999 /);
    expect(summary.requests.at(-1)!.url).toContain('/api/29');
    expect(summary.navigations.at(-1)!.url).toContain('/p/29/');
    expect(summary.requests.length).toBeGreaterThan(0);
    expect(summary.navigations.length).toBeGreaterThan(0);

    const pageData = { note: 'n'.repeat(PAGE_DATA_MAX_BYTES - 20) };
    const screenshots = Array.from({ length: 3 }, () => ({
      dataUrl: 'data:image/png;base64,', mode: 'element' as const, selector: 's'.repeat(2000),
    }));
    const metadata = buildMetadata(PAGE, WORKER, { screenshots, context: summary, pageData });
    expect(jsonBytes(metadata)).toBeLessThan(METADATA_MAX_BYTES);
    expect(metadata).toMatchObject({ browser: 'Chrome 156', pageData });
    // Room was made by leaving out the oldest context entries, not the newest.
    const kept = metadata.context as typeof summary;
    expect(kept.errors.at(-1)).toEqual(summary.errors.at(-1));
    expect(kept.errors.length).toBeLessThan(summary.errors.length);
  });

  it('lists only what happened in the window, and a URL once while the page stays on it', () => {
    const log = createContextLog();
    log.add({ kind: 'error', source: 'rejection', message: 'old', atMs: NOW - 60_000 });
    log.add({ kind: 'error', source: 'rejection', message: 'recent', atMs: NOW - 1_000 });
    log.add({ kind: 'error', source: 'console', message: 'after the panel opened', atMs: NOW + 1_000 });
    expect(log.add({ kind: 'navigation', url: 'https://shop.example/', via: 'load', atMs: NOW - 900 })).toBe(true);
    expect(log.add({ kind: 'navigation', url: 'https://shop.example/', via: 'replace', atMs: NOW - 800 })).toBe(false);
    expect(log.add({ kind: 'navigation', url: 'https://shop.example/#a', via: 'hash', atMs: NOW - 700 })).toBe(true);
    const summary = log.summary(NOW - 30_000, NOW);
    expect(summary.errors.map((error) => error.message)).toEqual(['recent']);
    expect(summary.navigations.map((step) => step.via)).toEqual(['load', 'hash']);
  });
});

describe('what the page said', () => {
  it('drops requests and navigations to script or data URLs, and cuts them out of messages and stacks', () => {
    for (const url of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'blob:https://shop.example/1', 'ftp://shop.example/f']) {
      expect(clean({ kind: 'navigation', url, via: 'push', atMs: NOW }), url).toBeUndefined();
      expect(clean({ kind: 'request', method: 'GET', url, status: 0, durationMs: 1, atMs: NOW }), url).toBeUndefined();
    }
    const error = clean({ kind: 'error', source: 'console', message: 'Fix it: javascript:alert(document.cookie)', stack: 'at x (data:text/javascript,evil:1:1)', atMs: NOW });
    expect(error).toMatchObject({ message: `Fix it: ${URL_REMOVED}`, stack: `at x (${URL_REMOVED})` });
  });

  it('marks every kept entry as reported by the page', () => {
    const log = createContextLog();
    log.add(clean({ kind: 'error', source: 'console', message: 'boom', atMs: NOW - 10 })!);
    log.add(clean({ kind: 'request', method: 'GET', url: '/api', status: 500, durationMs: 3, atMs: NOW - 9 })!);
    log.add(clean({ kind: 'navigation', url: '/next', via: 'push', atMs: NOW - 8 })!);
    const summary = log.summary(NOW - 1_000, NOW);
    for (const entry of [...summary.errors, ...summary.requests, ...summary.navigations]) expect(entry.reportedBy).toBe('page');
  });
});
