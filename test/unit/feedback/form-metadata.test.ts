import { describe, expect, it } from 'vitest';
import { jsonBytes, METADATA_MAX_BYTES } from '@/lib/api/schemas';
import { FORM_LIMITS } from '@/lib/feedback/form-fields';
import { formMetadata } from '@/lib/feedback/form-metadata';
import { createReport, type Draft } from '@/lib/feedback/send';
import { PROTOCOL } from '@/lib/messaging/protocol';
import { PAGE } from '../fixtures';

const draft: Draft = { attachReplay: false, comment: 'Checkout fails', screenshots: [], page: PAGE };
const worker = { extensionVersion: '0.1.0', userAgent: 'test', browser: 'Chrome 156', os: 'Linux' };
const settings = { clientId: 'client_abc', environment: '', serverUrl: 'https://usero.io' };
const id = '123e4567-e89b-42d3-a456-426614174000';

describe('the form in metadata', () => {
  it('names the type, and each answer given, as top-level keys', () => {
    expect(formMetadata({ type: 'bug', title: ' Checkout fails ', priority: 'high', category: 'UI', name: 'Ada' })).toEqual({
      type: 'bug',
      title: 'Checkout fails',
      priority: 'high',
      category: 'UI',
      name: 'Ada',
    });
    expect(formMetadata({ type: 'idea', title: '   ', name: '' })).toEqual({ type: 'idea' });
    // A draft from a panel without the form adds nothing.
    expect(formMetadata(undefined)).toBeUndefined();
  });

  it('reaches the report the worker keeps, beside the page facts', () => {
    const report = createReport({ ...draft, form: { type: 'bug', title: 'Checkout fails', priority: 'urgent' } }, settings, worker, id, 0);
    expect(report.metadata).toMatchObject({ type: 'bug', title: 'Checkout fails', priority: 'urgent', browser: 'Chrome 156', viewport: PAGE.viewport });
    expect(report.metadata).not.toHaveProperty('category');
    expect(createReport(draft, settings, worker, id, 0).metadata).not.toHaveProperty('type');
  });

  it('keeps metadata under 10 KB with the longest answers the message allows', () => {
    const form = {
      type: 'general' as const,
      title: '\u{1F600}'.repeat(FORM_LIMITS.titleMaxChars / 2),
      name: 'n'.repeat(FORM_LIMITS.nameMaxChars),
      category: 'c'.repeat(FORM_LIMITS.categoryMaxChars),
      priority: 'low' as const,
    };
    expect(PROTOCOL['feedback:send'].request.safeParse({ ...draft, form }).success).toBe(true);
    expect(jsonBytes(createReport({ ...draft, form }, settings, worker, id, 0).metadata)).toBeLessThan(METADATA_MAX_BYTES);
  });

  it.each([
    ['an unknown type', { type: 'complaint' }],
    ['an unknown priority', { type: 'bug', priority: 'critical' }],
    ['a title over the limit', { type: 'bug', title: 'x'.repeat(FORM_LIMITS.titleMaxChars + 1) }],
    ['a name over the limit', { type: 'bug', name: 'x'.repeat(FORM_LIMITS.nameMaxChars + 1) }],
    ['a category over the limit', { type: 'bug', category: 'x'.repeat(FORM_LIMITS.categoryMaxChars + 1) }],
    ['no type', { title: 'T' }],
  ])('is refused at the message boundary with %s', (_what, form) => {
    expect(PROTOCOL['feedback:send'].request.safeParse({ ...draft, form }).success).toBe(false);
  });
});
